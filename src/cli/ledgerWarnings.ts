import { ledgerWarningsOnce } from '../core/ledger/warningsOnce';
import type { CliIO } from './cliSupport';

/** The ledger's warnings on stderr: each line's once in the run, new ones of a kind as one message with their count. */
export function sayLedgerWarnings(warnings: Iterable<string>, io: Pick<CliIO, 'stderr'>): void {
  for (const message of ledgerWarningsOnce.fresh(warnings)) io.stderr(`switchboard: warning: ${message}\n`);
}
