import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SharedReservations } from '../../src/core/budget/sharedReservations';
import { takeRotationLock } from '../../src/core/ledger/rotation';
import { breakStaleLock, HeldLock, judgeLock, sweepLockLeftovers } from '../../src/core/staleLock';
import { endedPid, NOBODY, runChild, runningAsRoot, tempDir } from './ledger/fixtures';

/** Sets a file's times `ms` into the past. */
async function age(file: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(file, then, then);
}

describe('stale locks: leftovers of processes that died breaking', () => {
  const dir = tempDir('stale-sweep');

  it('sweeps breakers\' locks of dead or old breakers and locks renamed aside by dead processes, never a live breaker\'s', async () => {
    const folder = path.join(dir.path, 'sweep');
    await mkdir(folder);
    const lock = path.join(folder, 'lock');
    const dead = await endedPid();
    const put = async (name: string, content: string, oldMs = 0): Promise<void> => {
      await writeFile(path.join(folder, name), content);
      if (oldMs) await age(path.join(folder, name), oldMs);
    };
    await put(`lock.${dead}.0123456789ab.stale`, String(dead)); // renamed aside by a breaker that died before removing it
    await put(`lock.break.1-2.${dead}.0123456789ab.stale`, ''); // the same, a level up
    await put('lock.break.11-22', '', 60_000); // a breaker's lock of a dead breaker, older than any breaking takes
    await put('lock.break.33-44', String(dead)); // just made, but its breaker is gone
    await put('lock.break', '', 60_000); // the older versions' fixed name, left by one that died
    await put(`lock.${process.pid}.0123456789ab.stale`, ''); // a live process's rename under way
    await put('lock.break.55-66', String(process.pid)); // a live breaker at work
    await put('lock.break.77-88', ''); // a breaker that has not written its pid yet
    await put('other.break.1-2', '', 60_000); // not this lock's
    const swept = await sweepLockLeftovers(lock, 5_000);
    assert.deepEqual((await readdir(folder)).sort(), [`lock.${process.pid}.0123456789ab.stale`, 'lock.break.55-66', 'lock.break.77-88', 'other.break.1-2']);
    assert.equal(swept, 5);
  });

  it('the budget sweeps them once per process, with dead processes\' reservations and half-written files', async () => {
    const ledger = path.join(dir.path, 'budget.jsonl');
    const folder = `${ledger}.inflight`;
    await mkdir(folder, { recursive: true });
    const dead = await endedPid();
    await writeFile(path.join(folder, 'lock.break.1-2'), String(dead));
    await writeFile(path.join(folder, `${dead}-abcdef01.json`), '{}');
    await writeFile(path.join(folder, `${dead}-abcdef01.json.7.tmp`), '{');
    await writeFile(path.join(folder, `${process.pid}-abcdef01.json`), '{}');
    const window = new SharedReservations(ledger);
    await window.withLock(async () => undefined);
    assert.deepEqual(await readdir(folder), [`${process.pid}-abcdef01.json`]);
  });
});

describe('stale locks: a live holder is never broken', () => {
  const dir = tempDir('stale-live');

  it('a budget lock whose holder is stopped is left alone: the admission goes without it, and the holder lets it go when it wakes', async function () {
    this.timeout(30_000);
    const ledger = path.join(dir.path, 'stopped.jsonl');
    const lock = path.join(`${ledger}.inflight`, 'lock');
    const holder = runChild('test/core/children/budgetLockHolder.ts', [ledger]);
    try {
      await holder.waitFor(/^holding$/);
      const before = await stat(lock, { bigint: true });
      holder.process.kill('SIGSTOP');
      // A minute later, as far as this window can tell: the stopped holder refreshed nothing meanwhile.
      const later = () => Date.now() + 60_000;
      const window = new SharedReservations(ledger, later);
      let admitted = false;
      await window.withLock(async () => {
        admitted = true;
      });
      assert.equal(admitted, true, 'the admission went on');
      const after = await stat(lock, { bigint: true });
      assert.equal(after.ino, before.ino, 'the stopped holder\'s lock is still its own');
      assert.equal(await readFile(lock, 'utf8'), String(holder.process.pid));
      holder.process.kill('SIGCONT');
      holder.process.stdin.write('go\n');
      await holder.waitFor(/^released$/);
      assert.deepEqual(await readdir(`${ledger}.inflight`), [], 'the holder removed its own lock, and nothing was left aside');
    } finally {
      holder.process.kill('SIGCONT');
      holder.process.stdin.end();
      assert.equal((await holder.exited).code, 0, holder.stderr());
    }
  });

  it('a rotation lock of a live rotator unrefreshed past its stale age is left alone; one past any stop, or of a dead one, is broken', async () => {
    const lock = path.join(dir.path, 'ledger.jsonl.rotate.lock');
    // Another process that runs (this one's parent): a lock of this process's own that it does not hold is its own leftover.
    const live = String(process.ppid);
    await writeFile(lock, live);
    await age(lock, 2 * 60_000);
    assert.equal(await takeRotationLock(lock), undefined);
    assert.equal(await readFile(lock, 'utf8'), live, 'still the live rotator\'s');
    assert.equal(await judgeLock(lock, await stat(lock, { bigint: true }), Date.now(), 60_000), 'stuck');
    assert.equal(await judgeLock(lock, await stat(lock, { bigint: true }), Date.now() + 20 * 60_000, 60_000), 'left');
    await writeFile(lock, String(await endedPid()));
    const held = await takeRotationLock(lock);
    assert.ok(held, 'a dead rotator\'s lock is broken at once, young as it is');
    await held.release();
    assert.deepEqual((await readdir(dir.path)).filter((name) => name.startsWith('ledger.jsonl.rotate')), []);
  });

  it('a holder refreshes its lock while it holds it, and lets go of its own lock only', async () => {
    const lock = path.join(dir.path, 'held.lock');
    const held = await HeldLock.take(lock, 10);
    const taken = await stat(lock, { bigint: true });
    // Waits on the lock's time itself, not on a duration: the heartbeat moves it on.
    while ((await stat(lock, { bigint: true })).mtimeNs === taken.mtimeNs) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await judgeLock(lock, await stat(lock, { bigint: true }), Date.now(), 1_000), 'held');
    // Broken meanwhile (as after a stop past ABANDONED_MS) and taken by another: releasing must leave that one alone.
    await unlink(lock);
    await writeFile(lock, '424242');
    await held.release();
    assert.equal(await readFile(lock, 'utf8'), '424242');
  });
});

describe('stale locks beside an older Switchboard (the fixed lock.break name)', () => {
  const dir = tempDir('stale-mixed');

  it('does not break a lock while an older version breaks it under lock.break; breaks it once that is gone or old', async () => {
    const lock = path.join(dir.path, 'lock');
    await writeFile(lock, String(await endedPid()));
    await writeFile(`${lock}.break`, '');
    const left = async (file: string) => (await judgeLock(file, await stat(file, { bigint: true }), Date.now(), 5_000)) === 'left';
    assert.equal(await breakStaleLock(lock, (file) => left(file), 5_000), false);
    assert.equal(await readFile(lock, 'utf8').then(() => true), true, 'the lock is there while the older version judges it');
    await age(`${lock}.break`, 60_000);
    assert.equal(await breakStaleLock(lock, (file) => left(file), 5_000), true);
    assert.deepEqual(await readdir(dir.path), [], 'the lock and the old breaker\'s lock are gone, nothing left aside');
  });
});

describe('stale locks in a folder made read-only while a lock is held', () => {
  const dir = tempDir('stale-readonly');

  it('admits although the lock cannot be removed, and admits again without waiting on the lock it left', async function () {
    this.timeout(30_000);
    const folder = path.join(dir.path, 'ro');
    await mkdir(folder);
    await chmod(folder, 0o777);
    await chmod(dir.path, 0o755);
    const ledger = path.join(folder, 'ledger.jsonl');
    if (runningAsRoot()) {
      // Root writes anything: the window runs as a user without the right, in its own process.
      const child = runChild('test/core/children/lockFolderReadOnly.ts', [ledger], { uid: NOBODY });
      assert.deepEqual(await child.exited, { code: 0, signal: null }, child.stderr());
      assert.deepEqual(child.lines, ['admitted 1', 'admitted 2']);
    } else {
      const shared = new SharedReservations(ledger);
      await shared.withLock(async () => {
        await chmod(`${ledger}.inflight`, 0o555);
      });
      await shared.withLock(async () => undefined);
    }
    // Left behind (nothing could remove it), holding the pid of a process that has ended: the next one breaks it.
    assert.deepEqual(await readdir(`${ledger}.inflight`), ['lock']);
    await chmod(`${ledger}.inflight`, 0o755);
  });
});
