import { costAtTier, costOf, roundUsd } from '../cost';
import type { LedgerRecord } from '../ledger';
import type { AutoPart } from '../ledger/autoTally';
import type { ModelPrice } from '../prices/priceTable';
import type { Task } from '../types';

/** What Auto did over a stretch of the ledger: where it sent requests, how often it was overruled, what it saved. */
export interface AutoSummary {
  /** Requests whose tier Auto chose. */
  requests: number;
  cheap: number;
  strong: number;
  /** Of `requests`, those handed over to the other tier because the one Auto picked could not answer (or, past a budget, `downgrade`). */
  handedOver: number;
  /**
   * Requests that re-asked an Auto cheap-tier answer on the strong tier ("Retry with the strong model");
   * not those of an answer a failed strong tier handed over (`retryOfHandedOver`), which Auto did not choose.
   */
  retries: number;
  /** retries / cheap: how often a cheap answer was not good enough (a measure of routing misses); null with no cheap answers. */
  retriedShare: number | null;
  /**
   * The cheap-tier answers Auto chose priced at the route's strong model,
   * minus what they cost, minus what their retries cost; null when no strong
   * price is known. Hand-overs from a failed strong tier are not in it.
   */
  savedUsd: number | null;
}

/**
 * Sums Auto's part of the ledger. `strongPrice` prices a task's strong tier
 * (its route's first model); a record with no price is left out of savings.
 */
export function summarizeAuto(records: Iterable<LedgerRecord>, strongPrice: (task: Task) => ModelPrice | undefined): AutoSummary {
  const summary: AutoSummary = { requests: 0, cheap: 0, strong: 0, handedOver: 0, retries: 0, retriedShare: null, savedUsd: null };
  const cheapIds = new Set<string>();
  const unpricedIds = new Set<string>();
  const retries: LedgerRecord[] = [];
  let saved = 0;
  let priced = false;
  for (const record of records) {
    if (record.routing?.mode === 'retry' && record.retryOf) retries.push(record);
    if (record.routing?.mode !== 'auto') continue;
    summary.requests++;
    if (record.routing.handedOverFrom) {
      summary.handedOver++;
      // Out of the saving, but a priced strong tier makes the saving known ($0 from them), not unpriced.
      if (strongPrice(record.task)) priced = true;
    }
    if (record.routing.tier === 'strong') {
      summary.strong++;
      continue;
    }
    summary.cheap++;
    if (record.id) cheapIds.add(record.id);
    if (record.id && record.costUsd === null) unpricedIds.add(record.id);
    // A hand-over from a failed strong tier is cheaper by a failure, not by Auto's choice: not its saving.
    if (record.routing.handedOverFrom) continue;
    const strong = costOf(record.usage, strongPrice(record.task));
    if (strong !== null && record.costUsd !== null) {
      saved += strong - record.costUsd;
      priced = true;
    }
  }
  return closeSummary(summary, { retries, cheapIds, unpricedIds, saved, priced }, strongPrice);
}

/** A retry as both reports read it: a record of the ledger or of a folded Auto part. */
type Retry = Pick<LedgerRecord, 'task' | 'usage' | 'costUsd' | 'retryOfUnpriced' | 'retryOfHandedOver'> & { retryOf?: string };

/** What each report gathers before its retries are counted. */
interface Gathered {
  retries: Iterable<Retry>;
  /** Auto's cheap-tier answers of the stretch, and of those the ones with no known price. */
  cheapIds: ReadonlySet<string>;
  unpricedIds: ReadonlySet<string>;
  /** The saving before retries, and whether any of it is known. */
  saved: number;
  priced: boolean;
}

/**
 * Counts the retries and takes them off the saving, the same way for
 * records and for a folded part, so the two reports cannot drift apart.
 */
function closeSummary(summary: AutoSummary, gathered: Gathered, strongPrice: (task: Task) => ModelPrice | undefined): AutoSummary {
  let saved = gathered.saved;
  for (const retry of gathered.retries) {
    // Only retries of answers in this stretch count: a retry of an older answer is not this period's miss.
    if (!gathered.cheapIds.has(retry.retryOf!)) continue;
    // The retry of a hand-over's answer: a failure chose the cheap tier, not Auto, so it is no routing miss.
    if (retry.retryOfHandedOver) continue;
    summary.retries++;
    if (!leftOut(retry, gathered.unpricedIds)) saved -= retryCost(retry, strongPrice);
  }
  summary.retriedShare = summary.cheap > 0 ? summary.retries / summary.cheap : null;
  summary.savedUsd = gathered.priced ? roundUsd(saved) : null;
  return summary;
}

/**
 * Whether a retry stays out of the saving: the answer it re-asks had no
 * known price, so that answer is out of it (its tokens were never priced at
 * the strong tier), and the pair's cost is unknown. Taking the retry off
 * alone would charge routing for a question whose baseline was never
 * counted: a cheap answer of a local model, retried once, made Auto's
 * saving fall by a whole strong-tier answer.
 */
function leftOut(retry: Pick<LedgerRecord, 'retryOf' | 'retryOfUnpriced'>, unpricedIds: ReadonlySet<string>): boolean {
  return retry.retryOfUnpriced === true || unpricedIds.has(retry.retryOf!);
}

/**
 * summarizeAuto from the ledger's folded Auto part (its files' cached cells,
 * retries and cheap-tier ids, already cut to the report's days) instead of
 * the records: the same counts, and the same saving summed in another order
 * (cheap-tier tokens priced per day and task rather than per request, as the
 * dashboard prices its cells), so it can differ from the record-by-record
 * figure only in float noise, far below a cent.
 */
export function summarizeAutoPart(part: AutoPart, strongPrice: (task: Task) => ModelPrice | undefined): AutoSummary {
  const summary: AutoSummary = { requests: 0, cheap: 0, strong: 0, handedOver: 0, retries: 0, retriedShare: null, savedUsd: null };
  let saved = 0;
  let priced = false;
  for (const cell of part.cells) {
    summary.requests += cell.requests;
    summary.cheap += cell.cheap;
    summary.strong += cell.strong;
    summary.handedOver += cell.handedOver;
    const price = strongPrice(cell.task);
    if (price && cell.pricedCheap > 0) {
      saved += costAtTier(cell.usage, price, false) + costAtTier(cell.longUsage, price, true) - cell.costUsd;
      priced = true;
    }
    // As in summarizeAuto: hand-overs add nothing to the saving, but with a priced strong tier it is known.
    if (price && cell.handedOver > 0) priced = true;
  }
  // Only retries of cheap answers of these days count (as in summarizeAuto); the ids asked for are few.
  const wanted = new Set(part.retries.map((retry) => retry.retryOf));
  const cheapIds = wantedIds(part.cheapIds, wanted);
  const unpricedIds = wantedIds(part.unpricedIds, wanted);
  return closeSummary(summary, { retries: part.retries, cheapIds, unpricedIds, saved, priced }, strongPrice);
}

/** The ids of `byDay` that `wanted` names. */
function wantedIds(byDay: Record<string, string[]>, wanted: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const ids of Object.values(byDay)) {
    for (const id of ids) if (wanted.has(id)) found.add(id);
  }
  return found;
}

/**
 * What a retry takes off the saving: what it cost, or, answered by a model
 * with no known price (a fallback of the strong tier), its usage at the
 * price the saving is reckoned at, the route's strong model. Never $0: an
 * unpriced retry would otherwise make routing look free.
 */
function retryCost(retry: Pick<LedgerRecord, 'task' | 'usage' | 'costUsd'>, strongPrice: (task: Task) => ModelPrice | undefined): number {
  return retry.costUsd ?? costOf(retry.usage, strongPrice(retry.task)) ?? 0;
}
