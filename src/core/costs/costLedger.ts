import { readDayAndFollow } from '../ledger/reader';
import type { LedgerTail } from '../ledger/tail';
import { CostIndex } from './costIndex';

export interface OpenedCosts {
  index: CostIndex;
  /** One per skipped line, naming the file and line. */
  warnings: string[];
  /** Continues where the live file's read ended. */
  tail: LedgerTail;
}

/**
 * The dashboard's open: every file of the ledger (archived months included)
 * folded into a CostIndex, and a tail to follow the live file from there.
 */
export async function openCostIndex(base: string, onWarning?: (warning: string) => void): Promise<OpenedCosts> {
  const { records, warnings, tail } = await readDayAndFollow(base, '', onWarning);
  const index = new CostIndex();
  for (const record of records) index.add(record);
  return { index, warnings, tail };
}
