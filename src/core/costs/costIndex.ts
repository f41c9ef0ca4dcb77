import type { LedgerRecord } from '../ledger';
import { CellTable, cellKey } from '../ledger/totals';
import { localDay } from '../localDay';
import type { ModelPrice } from '../prices/priceTable';
import type { Task } from '../types';
import { compileFilters, costView, type CostFilters, type CostView } from './costView';
import { inRange, type DayRange } from './dayRange';
import { countRetries, isRetry } from './retrySavings';
import { TopRequests, type CostlyRequest } from './topRequests';

/** Rows of the costliest-requests table. */
export const TOP_REQUESTS = 10;

export interface CostReport {
  view: CostView;
  top: CostlyRequest[];
}

/**
 * The ledger folded for the dashboard: its cells, and each cell's costliest
 * requests. Ranges and filters choose whole cells (a day, task, provider and
 * model), so the costliest requests of any choice are among its cells' own
 * costliest: a report never goes back to the records, and a year of them is
 * held as a few thousand cells of a handful of records each.
 */
export class CostIndex {
  private cells = new CellTable();
  /** By cell key (see ledger/totals.ts): the costliest requests each cell's model answered. */
  private readonly tops = new Map<string, TopRequests>();
  /** Retries on the strong tier, which the savings count as routing's cost (few: one per "Retry with the strong model"). */
  private retries: LedgerRecord[] = [];
  private count = 0;

  /** Records added so far (well-formed lines read from the ledger). */
  get records(): number {
    return this.count;
  }

  add(record: LedgerRecord): void {
    const day = localDay(new Date(record.time));
    this.cells.add(record, day);
    this.count++;
    if (isRetry(record)) this.retries.push(record);
    if (record.servedFrom || record.costUsd === null) return;
    const key = cellKey(day, record.task, record.provider, record.model, record.source ?? '');
    let top = this.tops.get(key);
    if (!top) this.tops.set(key, (top = new TopRequests(TOP_REQUESTS)));
    top.offer(record);
  }

  /** Forgets everything (the ledger was replaced or moved). */
  clear(): void {
    this.cells = new CellTable();
    this.tops.clear();
    this.retries = [];
    this.count = 0;
  }

  report(options: { range: DayRange; filters?: CostFilters; strongPrice: (task: Task) => ModelPrice | undefined }): CostReport {
    const cells = this.cells.list();
    const view = costView(cells, options);
    const filter = compileFilters(options.filters ?? {});
    const top = new TopRequests(TOP_REQUESTS);
    for (const cell of cells) {
      if (!inRange(cell.day, options.range) || !filter(cell)) continue;
      for (const record of this.tops.get(cellKey(cell.day, cell.task, cell.provider, cell.model, cell.source))?.records() ?? []) top.offer(record);
    }
    const retries = this.retries.filter((record) => inRange(localDay(new Date(record.time)), options.range) && filter(record));
    return { view: { ...view, savings: countRetries(view.savings, view.days, retries, options.strongPrice) }, top: top.rows() };
  }
}
