/** What the workbench wrote to disk: the User settings and the ledger. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LedgerRecord } from '../../../src/core/ledger';
import { UI_TIMEOUT_MS, waitUntil } from './waits';
import type { Workbench } from './workbench';

/**
 * The workbench's User settings.json as an object. VS Code rewrites that file in place (emptied, then written), so a
 * read can land between the two and see nothing or half the JSON: read again until it parses, as VS Code itself
 * will have finished within moments.
 */
export async function readUserSettings(workbench: Workbench, timeoutMs = UI_TIMEOUT_MS): Promise<Record<string, unknown>> {
  const file = path.join(workbench.server.userDataDir, 'User', 'settings.json');
  let settings: Record<string, unknown> | undefined;
  let lastError: unknown;
  await waitUntil(
    () => {
      try {
        settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        return true;
      } catch (error) {
        lastError = error;
        return false;
      }
    },
    () => `${file} to hold whole JSON (last read: ${lastError instanceof Error ? lastError.message : String(lastError)})`,
    timeoutMs,
  );
  return settings!;
}

/** The ledger's records (one JSON object a line); none while the file does not exist yet. */
export function readLedger(ledgerPath: string): LedgerRecord[] {
  let text: string;
  try {
    text = readFileSync(ledgerPath, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LedgerRecord);
}

/** Waits until the ledger holds a record matching `predicate` (the extension appends asynchronously), and returns the last such. */
export async function waitForLedgerRecord(ledgerPath: string, predicate: (record: LedgerRecord) => boolean, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<LedgerRecord> {
  let found: LedgerRecord | undefined;
  await waitUntil(() => (found = readLedger(ledgerPath).filter(predicate).at(-1)) !== undefined, `a ledger record: ${what}`, timeoutMs);
  return found!;
}
