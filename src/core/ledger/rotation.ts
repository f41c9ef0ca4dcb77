import { randomBytes } from 'node:crypto';
import { type BigIntStats } from 'node:fs';
import { copyFile, link, lstat, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { localMonth } from '../localDay';
import { isProcessAlive } from '../processAlive';
import { breakStaleLock, HeldLock, judgeLock, sweepLockLeftovers } from '../staleLock';
import { isObject } from '../recordShape';
import { archivePath, autoPartPath, escapeRegExp, ledgerFiles, openLedgerFile, readLedgerSideFile, summaryPath, topRequestsPath } from './ledgerPath';
import { SHIPPED_LEDGER_PRICES } from './costCheck';
import { parseLine, readLines } from './lines';

/** A rotation lock unrefreshed for longer than this has a holder that stopped (or, with no pid in it, died). */
const STALE_LOCK_MS = 60_000;
/** How often a rotator refreshes its lock: well within STALE_LOCK_MS, so a slow rotation never looks stopped. */
const HEARTBEAT_MS = 10_000;
/** How far into the file the first record is looked for. */
const HEAD_BYTES = 64 * 1024;

/**
 * Moves the live ledger file aside once its first record is from an earlier
 * month than `now`: `ledger.jsonl` becomes `ledger.2026-10.jsonl` (with its
 * summary), and the next write starts a new `ledger.jsonl`. Returns the
 * archive's path when this call rotated.
 *
 * Many processes append to the file and any of them may rotate it, so:
 * - the file is never renamed over anything: it is hard-linked to the archive
 *   name (which fails if the name exists), so two rotators never lose or
 *   duplicate a file;
 * - rotators take a lock file (O_EXCL) and check again under it. A lock left
 *   by a dead process is broken after a minute, under a second lock named for
 *   it and judged again there (takeRotationLock, staleLock.ts), so two
 *   rotators that found it stale cannot both get in;
 * - a rotator that was merely slow (a laptop suspended mid-rotation) may find
 *   its lock broken and the file rotated by another, and an appender may have
 *   started a new `ledger.jsonl` since. So the rotator names the file by the
 *   inode it read, and removes the live name only through a rename to a name
 *   of its own, which is atomic: it then knows which file it took, and puts
 *   back one that is not the archived file (unlinkIfSame);
 * - appenders take no lock: a record appended while the file is being moved
 *   lands in the archive or the new file, and readers read both (skipping
 *   the second name of a file they have already read).
 * A filesystem without hard links keeps one growing file: rotation is an
 * economy, not a condition of correctness.
 */
export async function rotateIfDue(base: string, now: Date): Promise<string | undefined> {
  const month = localMonth(now);
  const first = await firstRecordMonth(base);
  if (!first || first.month >= month) return undefined;
  const lock = `${base}.rotate.lock`;
  const held = await takeRotationLock(lock);
  if (!held) return undefined;
  try {
    // The month and the inode from one open, so they describe the same file.
    const live = await firstRecordMonth(base);
    if (!live || live.month >= month) return undefined;
    let target: string | undefined;
    for (let serial = 1; !target; serial++) {
      const candidate = archivePath(base, live.month, serial);
      try {
        await link(base, candidate);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
        // Linked already by a rotator that stopped before unlinking: finish its work.
        if ((await stat(candidate)).ino === live.ino) target = candidate;
        continue;
      }
      if ((await stat(candidate)).ino === live.ino) {
        target = candidate;
        continue;
      }
      // The live name was given to a newer file between the read and the link (only a rotator that lost its lock
      // sees this): that file is not this month's to archive. Its live name still holds it, and no one else
      // removes an archive's name, so this unlink removes only the name just made.
      await unlink(candidate);
      return undefined;
    }
    await moveSummary(base, target, live.ino);
    await unlinkIfSame(base, live.ino);
    return target;
  } finally {
    await held.release();
  }
}

/**
 * Removes `base`'s name if it still names inode `ino` (which the archive's
 * name keeps). stat then unlink would race with another rotator and an
 * appender: between the two the file may be unlinked and a new live file
 * created, and the unlink would remove that one with its records. rename is
 * atomic, so the file moved to our own name is the one we then check: the
 * archived file loses a name it no longer needs; any other goes back under
 * the live name, or, if an appender created yet another live file meanwhile,
 * under an archive name of its own month, where readers find its records.
 */
export async function unlinkIfSame(base: string, ino: number): Promise<void> {
  const taken = `${base}.${process.pid}.${randomBytes(6).toString('hex')}.rotating`;
  try {
    await rename(base, taken);
  } catch {
    return; // Gone already: another rotator finished the work.
  }
  if ((await stat(taken)).ino !== ino) await keepUnderLedgerName(base, taken);
  await unlink(taken);
}

/**
 * A rotator that died between renaming the live name to its own (see
 * unlinkIfSame) and removing that name leaves `ledger.jsonl.<pid>.<hex>.rotating`,
 * which readers ignore. What it holds is one of:
 * - the archived file, or a live file already put back: a ledger name (the
 *   archive, the live name) holds the same inode, and this name is only a
 *   second one;
 * - a newer live file it took by mistake and had not put back: then this is
 *   the only name of those records, and readers miss them.
 * So each leftover whose process is gone is removed, after the second case is
 * first put under a ledger name (the live name, else the next archive of its
 * month, as unlinkIfSame would have done). Records are then never lost, and
 * never counted twice: a file is linked under a ledger name only when no
 * ledger name has it, and readers skip a second name of a file anyway. Done
 * under the rotation lock, so two processes recovering the same leftover do
 * not both link it; a leftover of a live process is its rotation under way.
 * A crash in the middle leaves a second name, recovered as the first case
 * next time. Returns how many leftovers were removed.
 */
export async function recoverRotationLeftovers(base: string): Promise<number> {
  const dir = path.dirname(base);
  const pattern = new RegExp(`^${escapeRegExp(path.basename(base))}\\.(\\d+)\\.[0-9a-f]+\\.rotating$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  const leftovers = names.filter((name) => {
    const pid = Number(pattern.exec(name)?.[1]);
    return pid > 0 && !isProcessAlive(pid);
  });
  const lock = `${base}.rotate.lock`;
  // What a breaker that died left beside the lock goes too (staleLock.ts); readers ignore it.
  await sweepLockLeftovers(lock, STALE_LOCK_MS).catch(() => undefined);
  if (leftovers.length === 0) return 0;
  const held = await takeRotationLock(lock);
  if (!held) return 0;
  try {
    let removed = 0;
    for (const name of leftovers) {
      const leftover = path.join(dir, name);
      const info = await lstat(leftover).catch(() => undefined);
      // Gone: recovered meanwhile by another process, before this one took the lock. Not a regular file (a link, a
      // named pipe): not something a rotator renamed, so not put under a ledger name.
      if (!info?.isFile()) continue;
      const named = await ledgerInodes(base);
      if (!named.has(info.ino)) await keepUnderLedgerName(base, leftover);
      await unlink(leftover);
      removed++;
    }
    return removed;
  } finally {
    await held.release();
  }
}

/** The inodes of the live file and of every archive. */
async function ledgerInodes(base: string): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const file of await ledgerFiles(base)) {
    const info = await stat(file.path).catch(() => undefined);
    if (info) inodes.add(info.ino);
  }
  return inodes;
}

/** Links `taken` (a live file moved aside by mistake) back as `base`, or as the next free archive of its first month. */
export async function keepUnderLedgerName(base: string, taken: string): Promise<void> {
  try {
    await link(taken, base);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const month = (await firstRecordMonth(taken))?.month ?? localMonth(new Date());
  for (let serial = 1; ; serial++) {
    try {
      await link(taken, archivePath(base, month, serial));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** The local month of the file's first record, if it has one near its start, and the file's inode. */
async function firstRecordMonth(file: string): Promise<{ month: string; ino: number } | undefined> {
  const handle = await openLedgerFile(file, 'read').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { ino } = await handle.stat();
    for await (const line of readLines(handle, 0, HEAD_BYTES)) {
      // Only the record's time is read: whatever prices judge its cost, its month is the same.
      const parsed = parseLine(line, SHIPPED_LEDGER_PRICES);
      if ('record' in parsed) return { month: localMonth(new Date(parsed.record.time)), ino };
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Takes the rotation lock (O_EXCL, this process's pid in it, refreshed while
 * held). A lock whose rotator is gone, or that has no pid (older versions)
 * and is older than STALE_LOCK_MS, is broken by breakStaleLock
 * (staleLock.ts), never by stat then unlink: two rotators that both found it
 * stale would both unlink, and the slower would remove the lock the faster
 * had just taken, letting both in. A lock whose rotator runs is never broken,
 * however slow: rotation waits for a later write. Undefined when another
 * rotator holds it or is breaking it, or it cannot be made.
 */
export async function takeRotationLock(lock: string): Promise<HeldLock | undefined> {
  for (let tries = 0; tries < 2; tries++) {
    try {
      return await HeldLock.take(lock, HEARTBEAT_MS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      if (!(await breakStaleLock(lock, isLeft, STALE_LOCK_MS).catch(() => false))) return undefined;
    }
  }
  return undefined;
}

/** Whether a rotation lock was left behind (see judgeLock). */
async function isLeft(file: string, info: BigIntStats): Promise<boolean> {
  return (await judgeLock(file, info, Date.now(), STALE_LOCK_MS)) === 'left';
}

/** The live file's caches (its summary, the dashboard's costliest requests, Auto's part) go with it, when they describe that file. */
async function moveSummary(base: string, target: string, ino: number): Promise<void> {
  for (const cache of [summaryPath, topRequestsPath, autoPartPath]) {
    try {
      const summary: unknown = JSON.parse(await readLedgerSideFile(cache(base)));
      if (!isObject(summary) || summary.ino !== ino) continue;
      await copyFile(cache(base), cache(target));
      await unlink(cache(base));
    } catch {
      // None, or not this file's: the archive's is built on its first read.
    }
  }
}
