import { scanAndFollow } from '../ledger/reader';
import type { LedgerTail } from '../ledger/tail';
import { CostIndex } from './costIndex';
import { foldTopRequests } from './topFile';

export interface OpenedCosts {
  index: CostIndex;
  /** One per skipped line, naming the file and line. */
  warnings: string[];
  /** Continues where the live file's read ended. */
  tail: LedgerTail;
}

/**
 * The dashboard's open: every file of the ledger (archived months included)
 * folded into a CostIndex from the files' caches (the summary's cells, the
 * costliest requests beside them) and the lines written after them, never a
 * year of records; and a tail to follow the live file from there.
 */
export async function openCostIndex(base: string, onWarning?: (warning: string) => void): Promise<OpenedCosts> {
  const index = new CostIndex();
  const { warnings, tail } = await scanAndFollow(base, {}, onWarning, async (file, scan) => {
    index.mergeCells(scan.cells);
    await foldTopRequests(file, scan.end, index);
  });
  return { index, warnings, tail };
}
