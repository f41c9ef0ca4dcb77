import { LedgerWarningsOnce } from '../core/ledger/warningsOnce';
import type { CliIO } from './cliSupport';

/**
 * The ledger's warnings on stderr: each line's once in the run (the run's own memory, `io.ledgerWarnings`, which
 * main gives every run), new ones of a kind as one message with their count. An `io` without one (a command called
 * outside main) says every warning, as nothing said before it is known.
 */
export function sayLedgerWarnings(warnings: Iterable<string>, io: Pick<CliIO, 'stderr' | 'ledgerWarnings'>): void {
  const once = io.ledgerWarnings ?? new LedgerWarningsOnce();
  for (const message of once.fresh(warnings)) io.stderr(`switchboard: warning: ${message}\n`);
}
