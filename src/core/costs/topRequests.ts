import type { LedgerRecord } from '../ledger';
import { promptTokens, type Task } from '../types';

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
}

/**
 * The `limit` costliest records offered, kept in a min-heap: O(log limit)
 * per record, so a pass over a million records keeps only a handful.
 * Unpriced and served-without-request records have no cost to rank.
 */
export class TopRequests {
  private readonly heap: LedgerRecord[] = [];

  constructor(readonly limit = 10) {}

  offer(record: LedgerRecord): void {
    const cost = record.costUsd;
    if (cost === null || record.servedFrom || this.limit <= 0) return;
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(record);
      this.up(heap.length - 1);
    } else if (cost > heap[0]!.costUsd!) {
      heap[0] = record;
      this.down(0);
    }
  }

  /** The records kept, costliest first (ties: the newer first). */
  records(): LedgerRecord[] {
    return [...this.heap].sort((a, b) => b.costUsd! - a.costUsd! || b.time.localeCompare(a.time));
  }

  rows(): CostlyRequest[] {
    return this.records().map(costlyRequest);
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.costUsd! <= heap[index]!.costUsd!) return;
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
      if (left < heap.length && heap[left]!.costUsd! < heap[smallest]!.costUsd!) smallest = left;
      if (right < heap.length && heap[right]!.costUsd! < heap[smallest]!.costUsd!) smallest = right;
      if (smallest === index) return;
      [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
      index = smallest;
    }
  }
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
  };
}

/** Why the model that answered was the one asked, in a few words. */
export function routingReason(record: LedgerRecord): string {
  const { routing } = record;
  const failed = record.attempts.filter((attempt) => !attempt.error.startsWith('cooling down'));
  const parts: string[] = [];
  if (routing?.tier) {
    const { reasons } = routing;
    parts.push(`${routing.mode === 'retry' ? 'retried on the' : 'Auto:'} ${routing.tier} tier${reasons.length ? ` (${reasons.join(', ')})` : ''}`);
  }
  if (failed.length > 0) parts.push(`fallback after ${failed.map((attempt) => attempt.model).join(', ')} failed`);
  else if (record.attempts.length > 0) parts.push(`${record.attempts.map((attempt) => attempt.model).join(', ')} resting after a failure`);
  else if (parts.length === 0 && record.requestedModel && record.requestedModel !== `${record.provider}:${record.model}`) parts.push(`${record.requestedModel} answered through this model`);
  if (parts.length === 0) parts.push('first model of the route');
  return parts.join('; ');
}
