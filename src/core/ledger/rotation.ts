import { copyFile, link, open, stat, unlink } from 'node:fs/promises';
import { localMonth } from '../localDay';
import { isObject } from '../recordShape';
import { archivePath, autoPartPath, openLedgerFile, readLedgerSideFile, summaryPath, topRequestsPath } from './ledgerPath';
import { parseLine, readLines } from './lines';

/** A lock older than this was left by a process that died while rotating. */
const STALE_LOCK_MS = 60_000;
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
 *   name (which fails if the name exists) and then unlinked, so two rotators
 *   never lose or duplicate a file;
 * - rotators take a lock file (O_EXCL) and check again under it; a lock left
 *   by a dead process is broken after a minute, and the inode checks below
 *   keep even a rotator that slept through that from unlinking a newer file;
 * - appenders take no lock: a record appended while the file is being moved
 *   lands in the archive or the new file, and readers read both (skipping
 *   the second name of a file they have already read).
 * A filesystem without hard links keeps one growing file: rotation is an
 * economy, not a condition of correctness.
 */
export async function rotateIfDue(base: string, now: Date): Promise<string | undefined> {
  const month = localMonth(now);
  const first = await firstRecordMonth(base);
  if (!first || first >= month) return undefined;
  const lock = `${base}.rotate.lock`;
  if (!(await takeLock(lock))) return undefined;
  try {
    const live = await stat(base).catch(() => undefined);
    const again = live && (await firstRecordMonth(base));
    if (!live || !again || again >= month) return undefined;
    let target: string | undefined;
    for (let serial = 1; !target; serial++) {
      const candidate = archivePath(base, again, serial);
      try {
        await link(base, candidate);
        target = candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
        // Linked already by a rotator that stopped before unlinking: finish its work.
        if ((await stat(candidate)).ino === live.ino) target = candidate;
      }
    }
    await moveSummary(base, target, live.ino);
    if ((await stat(base).catch(() => undefined))?.ino === live.ino) await unlink(base);
    return target;
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/** The local month of the file's first record, if it has one near its start. */
async function firstRecordMonth(file: string): Promise<string | undefined> {
  const handle = await openLedgerFile(file, 'read').catch(() => undefined);
  if (!handle) return undefined;
  try {
    for await (const line of readLines(handle, 0, HEAD_BYTES)) {
      const parsed = parseLine(line);
      if ('record' in parsed) return localMonth(new Date(parsed.record.time));
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

async function takeLock(lock: string): Promise<boolean> {
  for (let tries = 0; tries < 2; tries++) {
    try {
      await (await open(lock, 'wx', 0o600)).close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      const held = await stat(lock).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs < STALE_LOCK_MS) return false;
      await unlink(lock).catch(() => undefined);
    }
  }
  return false;
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
