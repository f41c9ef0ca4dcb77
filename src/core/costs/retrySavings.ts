import { costOf, roundUsd } from '../cost';
import type { LedgerRecord } from '../ledger';
import { localDay } from '../localDay';
import type { ModelPrice } from '../prices/priceTable';
import type { Task } from '../types';
import type { Savings } from './costView';

/** What the retry savings read of a record: a whole one, or a cached RetryRecord (ledger/autoTally.ts). */
export type RetryFields = Pick<LedgerRecord, 'time' | 'task' | 'usage' | 'costUsd' | 'retryOf' | 'retryOfUnpriced' | 'retryOfHandedOver' | 'servedFrom'> & { routing?: Pick<NonNullable<LedgerRecord['routing']>, 'mode'> };

/** Whether `record` re-asked an answer on the strong tier ("Retry with the strong model"). */
export function isRetry(record: RetryFields): boolean {
  return record.routing?.mode === 'retry' && record.retryOf !== undefined && !record.servedFrom;
}

/**
 * costView's savings with retries counted as routing's cost. Sent to the
 * strong tier first, a request is never retried: a retry's strong-tier price
 * leaves the strong-tier line, so its whole cost counts against routing, as
 * Auto's own figure (routing/autoReport.ts) counts it, and the two agree.
 * `retries` are those of the view's days and filters.
 */
export function countRetries(savings: Savings, days: readonly string[], retries: Iterable<RetryFields>, strongPrice: (task: Task) => ModelPrice | undefined): Savings {
  const strong = [...savings.strong];
  let compared = savings.comparedRequests;
  const index = new Map(days.map((day, at) => [day, at]));
  for (const retry of retries) {
    const at = index.get(localDay(new Date(retry.time)));
    if (at === undefined || !isRetry(retry)) continue;
    // As in costView: a request with no strong-tier price counts at what it cost.
    const atStrong = costOf(retry.usage, strongPrice(retry.task)) ?? retry.costUsd ?? 0;
    if (retry.retryOfUnpriced || retry.retryOfHandedOver) {
      // The answer it re-asks had no price, or was handed over by a failed strong tier, so costView left
      // it out of the comparison; the retry goes out with it, counted at what it cost on both lines
      // (nothing when it is unpriced too).
      if (retry.costUsd !== null) {
        strong[at]! += retry.costUsd - (costOf(retry.usage, strongPrice(retry.task)) ?? retry.costUsd);
        if (strongPrice(retry.task)) compared--;
      }
      continue;
    }
    strong[at]! -= atStrong;
  }
  const strongUsd = roundUsd(strong.reduce((total, value) => total + value, 0));
  return { ...savings, strong: strong.map(roundUsd), strongUsd, savedUsd: roundUsd(strongUsd - savings.actualUsd), comparedRequests: compared };
}
