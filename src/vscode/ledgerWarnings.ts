import { LedgerWarningsOnce } from '../core/ledger/warningsOnce';

/** The extension host's memory of the ledger warnings it has logged: the status bar and the dashboard share it. */
export const hostLedgerWarnings = new LedgerWarningsOnce();
