import { costOf } from '../cost';
import type { LedgerRecord } from '../ledger';
import type { ModelPrice } from '../prices/priceTable';
import type { Task } from '../types';

/**
 * What the strong-tier comparison (costView's savings) counts for requests
 * that re-asked an answer on the strong tier ("Retry with the strong model").
 * Sent to the strong tier first, a request is never retried: taking this out
 * of the strong-tier total counts a retry's whole cost against routing, as
 * Auto's own figure (routing/autoReport.ts) does, so the two agree.
 */
export function retriesAtStrongTier(records: Iterable<LedgerRecord>, strongPrice: (task: Task) => ModelPrice | undefined): number {
  let total = 0;
  for (const record of records) {
    if (record.routing?.mode !== 'retry' || !record.retryOf || record.servedFrom) continue;
    // As in costView: a request with no strong-tier price counts at what it cost.
    total += costOf(record.usage, strongPrice(record.task)) ?? record.costUsd ?? 0;
  }
  return total;
}
