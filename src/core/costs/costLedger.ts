import { SHIPPED_LEDGER_PRICES, type LedgerPrices } from '../ledger/costCheck';
import { scanAndFollow, type FileProgress, type StoppedRead } from '../ledger/reader';
import type { LedgerTail } from '../ledger/tail';
import { CostIndex } from './costIndex';
import { foldTopRequests, TopFold } from './topFile';

export interface OpenedCosts {
  index: CostIndex;
  /** One per skipped line, naming the file and line. */
  warnings: string[];
  /** Continues where the live file's read ended. */
  tail: LedgerTail;
  /**
   * Set when an archive could not be read (a named pipe in the folder, say): the index holds the files read before
   * it, newest first (the live file always among them), and the tail still follows the live file.
   */
  stopped?: StoppedRead;
}

/**
 * The dashboard's open: every file of the ledger (archived months included)
 * folded into a CostIndex from the files' caches (the summary's cells, the
 * costliest requests beside them) and the lines written after them, never a
 * year of records; and a tail to follow the live file from there.
 */
export async function openCostIndex(
  base: string,
  onWarning?: (warning: string) => void,
  onFile?: (index: CostIndex, progress: FileProgress) => void,
  /** The reader's prices, which judge a recorded cost (costCheck.ts); the price table alone by default. */
  prices: LedgerPrices = SHIPPED_LEDGER_PRICES,
): Promise<OpenedCosts> {
  const index = new CostIndex();
  // Newest first: where caches must be rebuilt (the first open after an upgrade read a year of records for
  // seconds), `onFile` lets the dashboard show this month at once while the older months fill in.
  // The costliest requests come in the cells' pass where their cache covers what the summary does (always, but
  // for a cache lost or written apart): a first open reads each file once, not twice.
  const fold = new TopFold(index);
  // An archive that cannot be read stops the read there but not the following: the requests made meanwhile are
  // in the live file, read first, and a dashboard that stopped following showed none of them until reopened.
  const { warnings, tail, stopped } = await scanAndFollow(base, { newestFirst: true, fold: (file) => fold.forFile(file), stopAtUnreadableArchive: true, prices }, onWarning, async (file, scan, progress) => {
    index.mergeCells(scan.cells);
    if (!scan.folded) await foldTopRequests(file, scan.end, index, prices);
    onFile?.(index, progress);
  });
  return { index, warnings, tail, ...(stopped ? { stopped } : {}) };
}

/**
 * Folds into `opened.index` what the live file gained since the last read;
 * undefined then. A live file replaced or emptied under the dashboard (a sync
 * tool, a restore, a hand edit: the tail says so, as it tells the spend
 * tracker) is not added on top of what was read of the old one, which counted
 * every record twice until the panel was opened again. The index also holds
 * the archived months (and a file rotated aside since), so it cannot simply
 * start from the new file's records: the ledger is opened again instead (the
 * archives from their caches) and that open is returned, its tail in place of
 * the old one, which is closed either way.
 */
export async function followCosts(opened: { index: CostIndex; tail: LedgerTail }, onWarning?: (warning: string) => void): Promise<OpenedCosts | undefined> {
  const { records, replaced } = await opened.tail.readChanges();
  if (!replaced) {
    for (const record of records) opened.index.add(record);
    return undefined;
  }
  try {
    // By the prices it was read by: a reader with other prices opens the ledger afresh (costsPanel.ts).
    return await openCostIndex(opened.tail.file, onWarning, undefined, opened.tail.prices);
  } finally {
    await opened.tail.close();
  }
}
