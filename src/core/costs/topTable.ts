import type { LedgerRecord, LedgerSource } from '../ledger/record';
import { cellKey } from '../ledger/totals';
import type { Task } from '../types';
import { isRetry } from './retrySavings';
import { TopRequests, type CostlyRequest } from './topRequests';

/** Rows of the costliest-requests table. */
export const TOP_REQUESTS = 10;

/** A cell's costliest requests: the cell is a day, task, provider, model and source (see ledger/totals.ts). */
export interface TopCell {
  day: string;
  task: Task;
  provider: string;
  model: string;
  source: LedgerSource | '';
  rows: CostlyRequest[];
}

/**
 * What the dashboard needs of the records beyond the cells: each cell's
 * TOP_REQUESTS costliest requests, and the retries on the strong tier (few:
 * one per "Retry with the strong model"), which the savings count as
 * routing's cost. Built from records, or merged from the files' caches.
 */
export class TopTable {
  private readonly tops = new Map<string, { cell: Omit<TopCell, 'rows'>; top: TopRequests }>();
  private readonly retryList: LedgerRecord[] = [];

  /** Adds one record, on its local `day`. */
  add(record: LedgerRecord, day: string): void {
    if (isRetry(record)) this.retryList.push(record);
    if (record.servedFrom || record.costUsd === null) return;
    // Found by key first: a cell object per record was a tenth of a year's first read.
    const source = record.source ?? '';
    const entry = this.tops.get(cellKey(day, record.task, record.provider, record.model, source));
    (entry ? entry.top : this.top({ day, task: record.task, provider: record.provider, model: record.model, source })).offer(record);
  }

  merge(cells: Iterable<TopCell>, retries: Iterable<LedgerRecord>): void {
    for (const { rows, ...cell } of cells) {
      const top = this.top(cell);
      for (const row of rows) top.offerRow(row);
    }
    this.retryList.push(...retries);
  }

  /** The costliest requests of one cell, costliest first. */
  rowsOf(cell: Omit<TopCell, 'rows'>): CostlyRequest[] {
    return this.tops.get(cellKey(cell.day, cell.task, cell.provider, cell.model, cell.source))?.top.rows() ?? [];
  }

  list(): TopCell[] {
    return [...this.tops.values()].map(({ cell, top }) => ({ ...cell, rows: top.rows() }));
  }

  retries(): readonly LedgerRecord[] {
    return this.retryList;
  }

  private top(cell: Omit<TopCell, 'rows'>): TopRequests {
    const key = cellKey(cell.day, cell.task, cell.provider, cell.model, cell.source);
    let entry = this.tops.get(key);
    if (!entry) this.tops.set(key, (entry = { cell: { day: cell.day, task: cell.task, provider: cell.provider, model: cell.model, source: cell.source }, top: new TopRequests(TOP_REQUESTS) }));
    return entry.top;
  }
}
