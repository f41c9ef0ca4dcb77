import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { openLedgerFile } from './ledgerPath';
import { writeFailureReason } from './writer';

/**
 * Why the ledger at `file` could not be written, or undefined when it could, leaving nothing behind: a check
 * (`switchboard doctor`, Check Setup) must not leave a ledger or its folders. An existing file is opened for
 * appending, as the writer opens it, and closed with nothing written; a missing one needs its nearest existing folder
 * to take what the writer would make there (the file, or the first missing folder), which is made and removed.
 */
export async function ledgerWriteProblem(file: string): Promise<string | undefined> {
  try {
    await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return writeFailureReason(error);
    return folderProblem(path.dirname(file));
  }
  try {
    await (await openLedgerFile(file, 'append')).close();
    return undefined;
  } catch (error) {
    return writeFailureReason(error);
  }
}

async function folderProblem(folder: string): Promise<string | undefined> {
  for (let current = folder; ; current = path.dirname(current)) {
    try {
      if (!(await stat(current)).isDirectory()) return `${current} is a file, not a folder`;
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT' && path.dirname(current) !== current) continue;
      return `${current}: ${writeFailureReason(error)}`;
    }
    return creationProblem(current, current === folder ? 'file' : 'folder');
  }
}

/**
 * Tries the writer's own step in `folder` (creating the ledger file, or the first folder of its path) under a name
 * of its own, and removes what it made. Not access(W_OK): as root it says yes to what the kernel still refuses, a
 * folder of /sys or /proc, and no mode bit tells of a read-only mount or a full inode table.
 */
async function creationProblem(folder: string, what: 'file' | 'folder'): Promise<string | undefined> {
  const probe = path.join(folder, `.switchboard-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    if (what === 'file') await (await open(probe, 'wx', 0o600)).close();
    else await mkdir(probe);
  } catch (error) {
    // ENOENT in a folder that is there: a kernel's (/proc) that holds only what it makes itself.
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${what} can be created there` : writeFailureReason(error);
    return `${folder}: ${reason}`;
  }
  await rm(probe, { recursive: true, force: true });
  return undefined;
}
