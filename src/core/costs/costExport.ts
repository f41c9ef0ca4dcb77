import { roundUsd } from '../cost';
import { readLedgerRecords } from '../ledger/reader';
import { localDay } from '../localDay';
import { compileFilters, type CostFilters } from './costView';
import { csvHeader, csvRow } from './costCsv';
import { inRange, parseDay, type DayRange } from './dayRange';

export interface CsvExport {
  /** Header and one row per request of the range and filters. */
  chunks: string[];
  rows: number;
  /** Their summed cost: what the dashboard shows as spent for the same choice. */
  totalUsd: number;
  /** Lines of the ledger that were skipped, naming the file and line. */
  warnings: string[];
}

/** The requests of a range and filters as CSV, from every file of the ledger (every window's and the CLI's, archived months included). */
export async function exportCsv(ledgerPath: string, choice: { range: DayRange; filters?: CostFilters }): Promise<CsvExport> {
  const filter = compileFilters(choice.filters ?? {});
  const since = choice.range.from ? parseDay(choice.range.from) : undefined;
  const { records, warnings } = await readLedgerRecords(ledgerPath, since ? { since } : {});
  const chunks = [csvHeader()];
  let block = '';
  let rows = 0;
  let total = 0;
  for (const record of records) {
    if (!inRange(localDay(new Date(record.time)), choice.range) || !filter(record)) continue;
    block += csvRow(record);
    rows++;
    total += record.costUsd ?? 0;
    // Many short strings joined once are cheaper than one string grown a million times.
    if (block.length > 1 << 16) {
      chunks.push(block);
      block = '';
    }
  }
  if (block) chunks.push(block);
  return { chunks, rows, totalUsd: roundUsd(total), warnings };
}
