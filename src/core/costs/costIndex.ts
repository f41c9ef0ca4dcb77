import type { LedgerRecord } from '../ledger';
import { CellTable, type LedgerCell } from '../ledger/totals';
import { localDay } from '../localDay';
import type { ModelPrice } from '../prices/priceTable';
import type { Task } from '../types';
import { compileFilters, costView, type CostFilters, type CostView } from './costView';
import { inRange, type DayRange } from './dayRange';
import { countRetries } from './retrySavings';
import { TopRequests, type CostlyRequest } from './topRequests';
import { TOP_REQUESTS, TopTable, type TopCell } from './topTable';

export { TOP_REQUESTS } from './topTable';

export interface CostReport {
  view: CostView;
  top: CostlyRequest[];
}

/**
 * The ledger folded for the dashboard: its cells, and each cell's costliest
 * requests. Ranges and filters choose whole cells (a day, task, provider and
 * model), so the costliest requests of any choice are among its cells' own
 * costliest: a report never goes back to the records, and a year of them is
 * held as a few thousand cells of a handful of rows each. Filled from the
 * ledger files' caches (see costLedger.ts) and from records as they come.
 */
export class CostIndex {
  private cells = new CellTable();
  private tops = new TopTable();

  /** Requests and completions served without one, counted so far. */
  get records(): number {
    let count = 0;
    for (const cell of this.cells.list()) count += cell.requests + cell.served;
    return count;
  }

  /**
   * How many requests are recorded while none has been answered or cost anything (each refused, say for want of
   * a provider, or failed); undefined once one has. Until then the dashboard keeps its first-run guidance: a
   * refusal is a record, and "2 requests, $0.00" over empty charts told a new user nothing.
   */
  get unansweredOnly(): number | undefined {
    let unanswered = 0;
    for (const cell of this.cells.list()) {
      if (cell.requests > cell.errors || cell.served > 0 || cell.costUsd > 0) return undefined;
      // Those never sent for want of a provider too: a new user's tries before any key was set.
      unanswered += cell.requests + (cell.notSent ?? 0);
    }
    return unanswered;
  }

  add(record: LedgerRecord): void {
    const day = localDay(new Date(record.time));
    this.cells.add(record, day);
    this.tops.add(record, day);
  }

  /** Cells counted elsewhere (a file's summary and the lines after it); their costliest requests come through mergeTops. */
  mergeCells(cells: Iterable<LedgerCell>): void {
    this.cells.merge(cells);
  }

  mergeTops(cells: Iterable<TopCell>, retries: Iterable<LedgerRecord>): void {
    this.tops.merge(cells, retries);
  }

  /** Forgets everything (the ledger was replaced or moved). */
  clear(): void {
    this.cells = new CellTable();
    this.tops = new TopTable();
  }

  report(options: { range: DayRange; filters?: CostFilters; strongPrice: (task: Task) => ModelPrice | undefined }): CostReport {
    const cells = this.cells.list();
    const view = costView(cells, options);
    const filter = compileFilters(options.filters ?? {});
    const top = new TopRequests(TOP_REQUESTS);
    for (const cell of cells) {
      if (!inRange(cell.day, options.range) || !filter(cell)) continue;
      for (const row of this.tops.rowsOf(cell)) top.offerRow(row);
    }
    const retries = this.tops.retries().filter((record) => inRange(localDay(new Date(record.time)), options.range) && filter(record));
    return { view: { ...view, savings: countRetries(view.savings, view.days, retries, options.strongPrice) }, top: top.rows() };
  }
}
