import { roundUsd } from '../cost';
import type { LedgerPrices } from '../ledger/costCheck';
import { readLedgerRecords } from '../ledger/reader';
import { recordCount } from '../ledger/record';
import { localDay } from '../localDay';
import { compileFilters, type CostFilters } from './costView';
import { csvHeader, csvRow } from './costCsv';
import { inRange, parseDay, type DayRange } from './dayRange';

export interface CsvExport {
  /** Header and one row per record of the range and filters: each request, and each minute's count of completions served without one. */
  chunks: string[];
  rows: number;
  /** Rows that are model requests… */
  requests: number;
  /** …and the completions served without a request that the other rows count (see ServedTally). */
  served: number;
  /** Their summed cost: what the dashboard shows as spent for the same choice. */
  totalUsd: number;
  /** Lines of the ledger that were skipped, naming the file and line. */
  warnings: string[];
}

/** The ledger's records of a range and filters as CSV, from every file of the ledger (every window's and the CLI's, archived months included). */
export async function exportCsv(ledgerPath: string, choice: { range: DayRange; filters?: CostFilters; prices?: LedgerPrices }): Promise<CsvExport> {
  const filter = compileFilters(choice.filters ?? {});
  const since = choice.range.from ? parseDay(choice.range.from) : undefined;
  // Judged by the reader's prices (costCheck.ts), as the dashboard's figures it is the export of.
  const { records, warnings } = await readLedgerRecords(ledgerPath, { ...(since ? { since } : {}), ...(choice.prices ? { prices: choice.prices } : {}) });
  const chunks = [csvHeader()];
  let block = '';
  let rows = 0;
  let requests = 0;
  let served = 0;
  let total = 0;
  for (const record of records) {
    if (!inRange(localDay(new Date(record.time)), choice.range) || !filter(record)) continue;
    block += csvRow(record);
    rows++;
    if (record.servedFrom) served += recordCount(record);
    else requests++;
    total += record.costUsd ?? 0;
    // Many short strings joined once are cheaper than one string grown a million times.
    if (block.length > 1 << 16) {
      chunks.push(block);
      block = '';
    }
  }
  if (block) chunks.push(block);
  return { chunks, rows, requests, served, totalUsd: roundUsd(total), warnings };
}
