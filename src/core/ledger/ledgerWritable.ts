import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { openLedgerFile } from './ledgerPath';
import { writeFailureReason } from './writer';

/**
 * Why the ledger at `file` could not be written, or undefined when it could, without creating anything: a check
 * (`switchboard doctor`, Check Setup) must not leave a ledger or its folders behind. An existing file is opened for
 * appending, as the writer opens it, and closed with nothing written; a missing one needs its nearest existing folder
 * to be writable, since the writer creates the rest.
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
      await access(current, constants.W_OK | constants.X_OK);
      return undefined;
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT' && path.dirname(current) !== current) continue;
      return `${current}: ${writeFailureReason(error)}`;
    }
  }
}
