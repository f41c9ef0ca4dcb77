import { randomBytes } from 'node:crypto';
import { type BigIntStats } from 'node:fs';
import { link, open, rename, stat, unlink } from 'node:fs/promises';

/**
 * Breaking lock files left by processes that died holding them, for the
 * locks every window and the CLI share beside the ledger: the budget's
 * admission lock (budget/sharedReservations.ts) and the ledger's rotation
 * lock (ledger/rotation.ts). A lock is a file created with O_EXCL.
 *
 * Removing a lock judged stale by name (stat, then unlink) races: two
 * processes that both judged it stale both unlink, and the slower removes
 * the lock the faster has just taken in its place, so both get in. Nor is a
 * second lock of one fixed name (`lock.break`) enough: it too is left behind
 * by a process that dies holding it, and breaking it has the same race one
 * level up (renaming it aside and putting back a newer one narrows that
 * race but leaves the name empty for an instant, which a stress test with
 * eight contenders still hit about one run in three).
 *
 * So the breaker's lock is named for the very file it breaks: its inode and
 * the time it was last written, to the nanosecond (`lock.break.<ino>-<ns>`).
 * Every process that found that file stale races for that one name; a lock
 * taken anew has another inode or time, so its breaker's lock has another
 * name, and a late process that takes an old name finds the file it was for
 * gone, and removes nothing. Only the holder of that name removes the file,
 * after renaming it to a name of its own, which is atomic: it then checks it
 * took the file judged (a holder that was only slow may have let it go
 * meanwhile, and a new lock taken its name), and puts back anything else.
 * A breaker's lock left by a process that died breaking grows old and is
 * broken the same way, under a lock named for it.
 */

/** Whether the lock `file`, as `info` describes it, was left behind (reading the file if it must: a holder's pid). */
export type StaleJudge = (file: string, info: BigIntStats) => boolean | Promise<boolean>;

/** Breakers' locks left by processes that died breaking, broken in turn: more deaths in a row than this are not waited out at once. */
const MAX_DEPTH = 3;

/**
 * Removes `lock` if `isStale` judges it left behind, so that the caller can
 * take it anew. Returns true when this process judged it under its breaker's
 * lock (so trying to take the lock now makes sense), false when the lock is
 * not stale or another process is breaking it. A breaker's lock older than
 * `breakerStaleMs` was left by a process that died breaking.
 */
export async function breakStaleLock(lock: string, isStale: StaleJudge, breakerStaleMs: number, now: () => number = Date.now, depth = 0): Promise<boolean> {
  const isOld: StaleJudge = (_, info) => now() - Number(info.mtimeMs) > breakerStaleMs;
  for (let tries = 0; tries < 2; tries++) {
    const seen = await stat(lock, { bigint: true }).catch(() => undefined);
    if (!seen || !(await isStale(lock, seen))) return false;
    const breaker = breakerLockPath(lock, seen);
    let handle;
    try {
      handle = await open(breaker, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      // Another process is breaking it, or died doing so: then its breaker's lock is broken, and this one tried again.
      if (depth < MAX_DEPTH && (await breakStaleLock(breaker, isOld, breakerStaleMs, now, depth + 1))) continue;
      return false;
    }
    try {
      await handle.close();
      await removeIfSame(lock, seen, isStale);
      return true;
    } finally {
      await unlink(breaker).catch(() => undefined);
    }
  }
  return false;
}

/** The breaker's lock for the version of `lock` that `info` describes (`lock.break.<ino>-<ns>`). */
export function breakerLockPath(lock: string, info: BigIntStats): string {
  return `${lock}.break.${identity(info)}`;
}

/** Removes `file` if it is still the file `seen` described (and still stale), through a rename to a name of this process's own. */
async function removeIfSame(file: string, seen: BigIntStats, isStale: StaleJudge): Promise<void> {
  const before = await stat(file, { bigint: true }).catch(() => undefined);
  // Broken and taken anew since it was judged: its breaker's lock was released, and this process took it late.
  if (!before || identity(before) !== identity(seen)) return;
  const taken = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(file, taken);
  } catch {
    return; // Gone meanwhile: its holder let it go.
  }
  try {
    const info = await stat(taken, { bigint: true });
    // Judged again too: on a filesystem with coarse times, a new lock given the freed inode could look the same.
    if (identity(info) === identity(seen) && (await isStale(taken, info))) return;
    // A newer lock, taken after a holder that was only slow let this one go: back under its name.
    await link(taken, file).catch(() => undefined);
  } finally {
    await unlink(taken).catch(() => undefined);
  }
}

/** One version of a file: its inode and when it was last written. A lock is never written after it is taken, save the budget's pid, written at once. */
function identity(info: BigIntStats): string {
  return `${info.ino}-${info.mtimeNs}`;
}
