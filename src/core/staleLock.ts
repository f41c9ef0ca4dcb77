import { randomBytes } from 'node:crypto';
import { type BigIntStats } from 'node:fs';
import { type FileHandle, link, lstat, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { escapeRegExp } from './ledger/ledgerPath';
import { isProcessAlive } from './processAlive';

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
 *
 * A live holder is never broken for being slow: the lock holds its pid, and
 * its holder refreshes the lock's time while it holds it (HeldLock's
 * heartbeat), so a lock whose holder still runs is `held` while it is
 * refreshed and `stuck` once it is not (a holder stopped, or its event loop
 * blocked): the caller then goes on without it (the budget admits without the
 * lock, rotation waits for a later write) rather than break it, since a
 * holder that wakes up carries on as if it held it. Only a lock whose holder
 * is gone, or unrefreshed far longer than any stop (a pid reused by another
 * process), is `left` and broken.
 *
 * Versions before this scheme took one fixed breaker's lock, `<lock>.break`;
 * a breaker takes that name too (after its own), so an older Switchboard
 * running beside this one breaks the same lock only while neither of these
 * does.
 */

/** What a lock found taken is: held by a live holder, stuck (its live holder refreshes it no more), or left behind. */
export type LockState = 'held' | 'stuck' | 'left';

/**
 * A lock whose holder still runs but has not refreshed it for this long is
 * taken for left all the same: its pid was given to another process (a
 * holder refreshes it every fraction of the stale age), or its holder was
 * stopped for longer than anyone waits.
 */
export const ABANDONED_MS = 10 * 60_000;

/**
 * Judges a lock found taken, `info` its stat: its content is its holder's pid
 * (empty for an instant after it is made, and always in rotation locks made
 * by older versions: those are judged by age alone).
 */
export async function judgeLock(file: string, info: BigIntStats, now: number, staleMs: number): Promise<LockState> {
  let holder: string;
  try {
    holder = await readFile(file, 'utf8');
  } catch {
    return 'held'; // Gone meanwhile: try again.
  }
  const age = now - Number(info.mtimeMs);
  const pid = Number(holder);
  if (holder === '' || !Number.isInteger(pid) || pid <= 0) return age > staleMs ? 'left' : 'held';
  // This process's own, though it holds it no more: a removal that failed (a folder made read-only meanwhile).
  if (pid === process.pid && !heldHere.has(file)) return 'left';
  if (!isProcessAlive(pid) || age > ABANDONED_MS) return 'left';
  return age > staleMs ? 'stuck' : 'held';
}

/** The locks this process holds now, by path. */
const heldHere = new Set<string>();

/** A lock this process holds, its file kept open so that the heartbeat refreshes this very file and never a newer one under its name. */
export class HeldLock {
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly ino: bigint,
    heartbeatMs: number,
  ) {
    // Touched through the open file: had the lock been broken and taken anew, its name would lead to the newer lock.
    this.heartbeat = setInterval(() => {
      const now = new Date();
      this.handle.utimes(now, now).catch(() => undefined);
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Creates `lock` exclusively and writes this process's pid into it.
   * Throws EEXIST when it is taken, and any other error when it cannot be
   * made or written (a read-only folder, a full disk: a lock whose pid
   * cannot be read is no lock, so it is removed before the error is thrown).
   * `heartbeatMs` is how often the holder refreshes it: a fraction of the age at which others judge it stale.
   */
  static async take(lock: string, heartbeatMs: number): Promise<HeldLock> {
    const handle = await open(lock, 'wx', 0o600);
    // Known as held here before its pid is in it: another part of this process must never take it for a leftover of its own.
    heldHere.add(lock);
    try {
      await handle.writeFile(String(process.pid));
      const { ino } = await handle.stat({ bigint: true });
      return new HeldLock(lock, handle, ino, heartbeatMs);
    } catch (error) {
      await unlink(lock).catch(() => undefined);
      await handle.close().catch(() => undefined);
      heldHere.delete(lock);
      throw error;
    }
  }

  /**
   * Lets it go: removes the name only while it still leads to this lock (one broken meanwhile and taken anew is
   * another's). Never throws: the work it guarded is done. A removal that fails (the folder made read-only
   * meanwhile) leaves a lock this process judges its own leftover, that others go past once it is not refreshed,
   * and break once this process has ended.
   */
  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    // From here another part of this process may break it as a leftover: harmless, it is being let go.
    heldHere.delete(this.path);
    // Closed after the check: while it is open its inode cannot be given to a newer lock, so the same inode is this lock.
    const now = await stat(this.path, { bigint: true }).catch(() => undefined);
    if (now?.ino === this.ino) await unlink(this.path).catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}

/** Whether the lock `file`, as `info` describes it, was left behind (reading the file if it must: a holder's pid). */
export type StaleJudge = (file: string, info: BigIntStats) => boolean | Promise<boolean>;

/** Breakers' locks left by processes that died breaking, broken in turn: more deaths in a row than this are not waited out at once. */
const MAX_DEPTH = 3;

/**
 * Removes `lock` if `isStale` judges it left behind, so that the caller can
 * take it anew. Returns true when this process judged it under its breaker's
 * lock (so trying to take the lock now makes sense), false when the lock is
 * not stale or another process is breaking it. A breaker's lock older than
 * `breakerStaleMs` was left by a process that died breaking. Throws when no
 * breaker's lock can be made in the folder (read-only, full).
 */
export async function breakStaleLock(lock: string, isStale: StaleJudge, breakerStaleMs: number, now: () => number = Date.now, depth = 0): Promise<boolean> {
  const breakerLeft = breakerJudge(breakerStaleMs, now);
  for (let tries = 0; tries < 2; tries++) {
    const seen = await stat(lock, { bigint: true }).catch(() => undefined);
    if (!seen || !(await isStale(lock, seen))) return false;
    const breaker = breakerLockPath(lock, seen);
    const taken = await takeBreakerLock(breaker, breakerLeft, breakerStaleMs, now, depth);
    if (taken === 'again') continue;
    if (!taken) return false;
    try {
      // Older versions break under the one fixed name, so it is taken as well; not for a breaker's lock, which they never break.
      if (depth === 0) {
        const older = await takeBreakerLock(`${lock}.break`, breakerLeft, breakerStaleMs, now, depth);
        if (older !== true) {
          if (older === 'again') continue;
          return false;
        }
      }
      try {
        await removeIfSame(lock, seen, isStale);
        return true;
      } finally {
        if (depth === 0) await unlink(`${lock}.break`).catch(() => undefined);
      }
    } finally {
      await unlink(breaker).catch(() => undefined);
    }
  }
  return false;
}

/**
 * Takes a breaker's lock, writing this process's pid into it so that one left by a dead breaker is known at once.
 * 'again' when one left behind was broken (try the whole thing again), false when another process is breaking.
 */
async function takeBreakerLock(breaker: string, breakerLeft: StaleJudge, breakerStaleMs: number, now: () => number, depth: number): Promise<boolean | 'again'> {
  let handle;
  try {
    handle = await open(breaker, 'wx', 0o600);
  } catch (error) {
    // A folder where no breaker's lock can be made (read-only, full) is one where no lock can be broken: said
    // to the caller, who goes on without the lock rather than wait for what cannot happen.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is breaking it, or died doing so: then its breaker's lock is broken, and this one tries again.
    if (depth < MAX_DEPTH && (await breakStaleLock(breaker, breakerLeft, breakerStaleMs, now, depth + 1))) return 'again';
    return false;
  }
  await handle.writeFile(String(process.pid)).catch(() => undefined);
  await handle.close().catch(() => undefined);
  return true;
}

/** A breaker's lock is left behind when its breaker is gone, or when it is older than any breaking takes (older versions wrote no pid). */
function breakerJudge(breakerStaleMs: number, now: () => number): StaleJudge {
  return async (file, info) => {
    if (now() - Number(info.mtimeMs) > breakerStaleMs) return true;
    const pid = Number(await readFile(file, 'utf8').catch(() => ''));
    return Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid);
  };
}

/**
 * Removes what a process that died at the wrong instant left beside `lock`:
 * a breaker's lock (`<lock>.break…`, of this scheme or the older fixed name)
 * whose breaker is gone or that is older than any breaking takes, broken as
 * any other (a live contender may be judging it this instant), and a lock it
 * had renamed aside (`….<pid>.<hex>.stale`) once that pid runs no more (only
 * its own process ever uses that name). Every reader ignores these names;
 * this only keeps the folder from filling with them. Returns how many went.
 */
export async function sweepLockLeftovers(lock: string, breakerStaleMs: number, now: () => number = Date.now): Promise<number> {
  const dir = path.dirname(lock);
  const base = escapeRegExp(path.basename(lock));
  const renamedAside = new RegExp(`^${base}\\.(?:.+\\.)?(\\d+)\\.[0-9a-f]{12}\\.stale$`);
  const breakerLock = new RegExp(`^${base}\\.break(?:\\.[^.]+)*$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  const breakerLeft = breakerJudge(breakerStaleMs, now);
  let swept = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const aside = renamedAside.exec(name);
    if (aside) {
      if (isProcessAlive(Number(aside[1]))) continue;
      if ((await lstat(file).catch(() => undefined))?.isFile()) swept += await unlink(file).then(() => 1, () => 0);
      continue;
    }
    if (!breakerLock.test(name)) continue;
    const info = await lstat(file, { bigint: true }).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (await breakStaleLock(file, breakerLeft, breakerStaleMs, now, 1).catch(() => false)) swept++;
  }
  return swept;
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

/** One version of a file: its inode and when it was last written (its holder's pid, written at once, and each heartbeat after). */
function identity(info: BigIntStats): string {
  return `${info.ino}-${info.mtimeNs}`;
}
