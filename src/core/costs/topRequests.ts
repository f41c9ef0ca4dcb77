import type { LedgerRecord } from '../ledger';
import { promptTokens, type Task } from '../types';
import { usageBoundNote } from '../usageBound';

/** A row of the dashboard's "most expensive requests" table. */
export interface CostlyRequest {
  time: string;
  task: Task;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  outcome: LedgerRecord['outcome'];
  /** Why this model answered: Auto's tier and reasons, a fallback, an explicit choice, or the route's order. */
  reason: string;
  /**
   * Set when the cost was priced at a bound (usageBound.ts): what was reported
   * and what it was priced at. Rows cached before it have none (and, from the
   * first day of bounds, the note at the end of `reason`).
   */
  pricedAtBound?: string;
  /** Set when the model was served on this machine and nobody priced it (costSource `local`): "local, $0". */
  local?: true;
  /**
   * Set when the cost is the price table's vendor rate although the model's server was on this machine
   * (LedgerRecord.tableRateOnLocalServer): the row says so, with the one step that makes it free.
   */
  tableRateOnLocalServer?: true;
}

/**
 * The `limit` costliest requests offered, kept in a min-heap: O(log limit)
 * per record, so a pass over a million records keeps only a handful. The
 * order is total (cost, then the newer first), so the requests kept do not
 * depend on the order offered: the costliest of a union of cells are the
 * costliest of the cells' own costliest. Unpriced and served-without-request
 * records have no cost to rank, and a request never sent (notSent) is in no
 * figure of the page, so it is no row either ($0.00 rows of a first request
 * made before any key was set).
 */
export class TopRequests {
  private readonly heap: CostlyRequest[] = [];

  constructor(readonly limit = 10) {}

  offer(record: LedgerRecord): void {
    const cost = record.costUsd;
    if (cost === null || record.servedFrom || record.notSent || this.limit <= 0) return;
    // Most records rank below the kept ones: decided before the row is made.
    if (this.heap.length >= this.limit && !outranks(cost, record.time, this.heap[0]!)) return;
    this.offerRow(costlyRequest(record));
  }

  offerRow(row: CostlyRequest): void {
    const heap = this.heap;
    if (this.limit <= 0) return;
    if (heap.length < this.limit) {
      heap.push(row);
      this.up(heap.length - 1);
    } else if (outranks(row.costUsd, row.time, heap[0]!)) {
      heap[0] = row;
      this.down(0);
    }
  }

  /** The rows kept, costliest first (ties: the newer first). */
  rows(): CostlyRequest[] {
    return [...this.heap].sort((a, b) => (outranks(a.costUsd, a.time, b) ? -1 : outranks(b.costUsd, b.time, a) ? 1 : 0));
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!outranks(heap[parent]!.costUsd, heap[parent]!.time, heap[index]!)) return;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && outranks(heap[smallest]!.costUsd, heap[smallest]!.time, heap[left]!)) smallest = left;
      if (right < heap.length && outranks(heap[smallest]!.costUsd, heap[smallest]!.time, heap[right]!)) smallest = right;
      if (smallest === index) return;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
  }
}

/** Whether a request of `costUsd` at `time` ranks above `row`: costlier, or as costly and newer. */
function outranks(costUsd: number, time: string, row: CostlyRequest): boolean {
  return costUsd > row.costUsd || (costUsd === row.costUsd && time > row.time);
}

function pricedAtBound(record: LedgerRecord): Pick<CostlyRequest, 'pricedAtBound'> {
  const note = usageBoundNote(record);
  return note ? { pricedAtBound: note } : {};
}

export function costlyRequest(record: LedgerRecord): CostlyRequest {
  return {
    time: record.time,
    task: record.task,
    provider: record.provider,
    model: record.model,
    inputTokens: promptTokens(record.usage),
    outputTokens: record.usage.outputTokens,
    costUsd: record.costUsd ?? 0,
    latencyMs: record.latencyMs,
    outcome: record.outcome,
    reason: routingReason(record),
    // The costliest list is where an absurd report would surface: the cost says what it was priced at.
    ...pricedAtBound(record),
    ...(record.costSource === 'local' && { local: true as const }),
    ...(record.tableRateOnLocalServer === true && record.costSource !== 'local' && { tableRateOnLocalServer: true as const }),
  };
}

/** Why the model that answered was the one asked, in a few words. */
export function routingReason(record: LedgerRecord): string {
  const { routing } = record;
  const failed = record.attempts.filter((attempt) => !attempt.error.startsWith('cooling down') && !attempt.skipped);
  const resting = record.attempts.filter((attempt) => attempt.error.startsWith('cooling down'));
  const skipped = record.attempts.filter((attempt) => attempt.skipped);
  const parts: string[] = [];
  if (routing?.tier) {
    const { reasons } = routing;
    parts.push(`${routing.mode === 'retry' ? 'retried on the' : 'Auto:'} ${routing.tier} tier${reasons.length ? ` (${reasons.join(', ')})` : ''}`);
  }
  if (failed.length > 0) parts.push(`fallback after ${failed.map((attempt) => attempt.model).join(', ')} failed`);
  else if (resting.length > 0) parts.push(`${resting.map((attempt) => attempt.model).join(', ')} resting after a failure`);
  if (skipped.length > 0) parts.push(`${skipped.map((attempt) => attempt.model).join(', ')} not asked (provider not usable)`);
  else if (parts.length === 0 && record.requestedModel && record.requestedModel !== `${record.provider}:${record.model}`) parts.push(`${record.requestedModel} answered through this model`);
  if (parts.length === 0) parts.push('first model of the route');
  return parts.join('; ');
}
