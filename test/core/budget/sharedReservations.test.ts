import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SharedReservations } from '../../../src/core/budget/sharedReservations';
import { tempDir } from '../ledger/fixtures';

/** The id of a process that has ended: what a crashed window leaves in its files. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

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
