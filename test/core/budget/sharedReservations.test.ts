import assert from 'node:assert/strict';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SharedReservations } from '../../../src/core/budget/sharedReservations';
import { localDay } from '../../../src/core/localDay';
import { breakerLockPath } from '../../../src/core/staleLock';
import { endedPid, tempDir } from '../ledger/fixtures';

describe('requests in flight shared between processes', () => {
  const dir = tempDir('inflight');

  it('each sees the others\' reservations until they are withdrawn, never its own twice', async () => {
    const ledger = path.join(dir.path, 'a.jsonl');
    const window = new SharedReservations(ledger);
    const cli = new SharedReservations(ledger);
    const entry = await window.add('openai', 0.25);
    assert.deepEqual((await cli.others()).map((other) => [other.provider, other.usd]), [['openai', 0.25]]);
    assert.deepEqual(await window.others(), [], 'its own are counted by its gate, not read back');
    await window.remove(entry);
    assert.deepEqual(await cli.others(), []);
    assert.deepEqual(await readdir(`${ledger}.inflight`), [], 'no file is left once nothing is in flight');
  });

  it("tells the others the day each request started (a file without it, from an older version: the day it was reserved)", async () => {
    const ledger = path.join(dir.path, 'days.jsonl');
    const window = new SharedReservations(ledger);
    const entry = await window.add('openai', 0.25, '2026-12-02');
    const at = Date.now();
    const older = { pid: process.pid, owner: 'older', reservations: [{ provider: 'anthropic', usd: 0.5, at, owner: 'older', seq: 1 }] };
    await writeFile(path.join(`${ledger}.inflight`, 'older.json'), JSON.stringify(older));
    const seen = await new SharedReservations(ledger).others();
    assert.deepEqual(
      seen.sort((a, b) => a.provider.localeCompare(b.provider)),
      [
        { provider: 'anthropic', usd: 0.5, since: localDay(new Date(at)) },
        { provider: 'openai', usd: 0.25, since: '2026-12-02' },
      ],
    );
    await window.remove(entry);
  });

  it('counts nothing from a process that has ended, or from a reservation older than any request', async () => {
    const ledger = path.join(dir.path, 'b.jsonl');
    await mkdir(`${ledger}.inflight`, { recursive: true });
    const crashed = { pid: await endedPid(), owner: 'crashed', reservations: [{ provider: 'openai', usd: 5, at: Date.now(), owner: 'crashed', seq: 1 }] };
    await writeFile(path.join(`${ledger}.inflight`, 'crashed.json'), JSON.stringify(crashed));
    const old = { pid: process.pid, owner: 'old', reservations: [{ provider: 'openai', usd: 7, at: Date.now() - 3_600_000, owner: 'old', seq: 1 }] };
    await writeFile(path.join(`${ledger}.inflight`, 'old.json'), JSON.stringify(old));
    await writeFile(path.join(`${ledger}.inflight`, 'broken.json'), '{"pid": 1, "reserv');
    assert.deepEqual(await new SharedReservations(ledger).others(), []);
  });

  it('breaks a lock its holder left when it ended, and admits one process at a time', async () => {
    // Several processes finding the same dead holder's lock at once is where breaking it can race: tried many times over.
    const dead = await endedPid();
    for (let round = 0; round < 30; round++) {
      const ledger = path.join(dir.path, `c${round}.jsonl`);
      await mkdir(`${ledger}.inflight`, { recursive: true });
      await writeFile(path.join(`${ledger}.inflight`, 'lock'), String(dead));
      const order: string[] = [];
      await Promise.all(
        ['first', 'second', 'third'].map((name) => {
          const window = new SharedReservations(ledger);
          return window.withLock(async () => {
            order.push(`${name} in`);
            await window.add('openai', 0.01);
            order.push(`${name} out`);
          });
        }),
      );
      assert.equal(order.length, 6);
      for (let index = 0; index < order.length; index += 2) assert.equal(order[index]!.replace(' in', ' out'), order[index + 1], `round ${round}: ${order.join(', ')}`);
      assert.deepEqual((await readdir(`${ledger}.inflight`)).filter((name) => name.startsWith('lock')), [], 'no lock is left behind');
    }
  });

  it('breaks a breaker\'s lock left by a process that died breaking, letting one process at a time remove the stale lock', async () => {
    // A dead holder's lock and a dead breaker's lock (left by a process that died between taking it and removing the
    // lock): every contender finds both stale at once. Removing the breaker's lock by stat then unlink let a slower
    // contender remove the breaker's lock a faster one had just taken, so two judged and removed the lock at once and
    // the slower removed the lock the faster had just taken: two admissions overlapped.
    const dead = await endedPid();
    const longAgo = new Date(Date.now() - 60_000);
    for (let round = 0; round < 20; round++) {
      const ledger = path.join(dir.path, `e${round}.jsonl`);
      const folder = `${ledger}.inflight`;
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'lock'), String(dead));
      const breaker = breakerLockPath(path.join(folder, 'lock'), await stat(path.join(folder, 'lock'), { bigint: true }));
      await writeFile(breaker, '');
      await utimes(breaker, longAgo, longAgo);
      let inside = 0;
      const overlaps: string[] = [];
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => `contender ${i}`).map(async (name, i) => {
          // Staggered by a few turns of the event loop, differently each round, so the contenders' file operations interleave in many orders.
          for (let turn = 0; turn < (round * (i + 1)) % 11; turn++) await new Promise(setImmediate);
          const window = new SharedReservations(ledger);
          await window.withLock(async () => {
            if (++inside > 1) overlaps.push(name);
            await window.add('openai', 0.01);
            inside--;
          });
        }),
      );
      assert.deepEqual(overlaps, [], `round ${round}: admitted while another was admitting`);
      const left = (await readdir(folder)).filter((name) => !name.endsWith('.json'));
      assert.deepEqual(left, [], `round ${round}: no lock, breaker's lock or renamed lock is left behind`);
    }
  });

  it("queues one process's own admissions without a second one starting inside the first", async () => {
    const ledger = path.join(dir.path, 'd.jsonl');
    const shared = new SharedReservations(ledger);
    const order: string[] = [];
    const failing = shared.withLock(async () => {
      order.push('failing in');
      await shared.add('openai', 0.01);
      order.push('failing out');
      throw new Error('admission failed');
    });
    const next = ['first', 'second'].map((name) =>
      shared.withLock(async () => {
        order.push(`${name} in`);
        await shared.add('openai', 0.01);
        order.push(`${name} out`);
        return name;
      }),
    );
    await assert.rejects(failing, /admission failed/);
    assert.deepEqual(await Promise.all(next), ['first', 'second'], 'a failed admission does not stop the next');
    assert.deepEqual(order, ['failing in', 'failing out', 'first in', 'first out', 'second in', 'second out']);
  });
});
