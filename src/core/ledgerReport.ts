import { costOf, roundUsd } from './cost';
import type { ModelPrice } from './prices/priceTable';
import type { LedgerRecord } from './ledger';
import { TASKS, type Task } from './types';

export interface ModelTotals {
  requests: number;
  /** Sum over the priced requests only. */
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Requests with no known price: their cost is unknown and not in costUsd. */
  unpriced: number;
}

export interface TaskTotals {
  requests: number;
  costUsd: number;
}

export interface LedgerSummary {
  totalUsd: number;
  unpricedRequests: number;
  requests: number;
  /** Requests whose usage was estimated from the text (cancelled or broken streams). */
  estimatedRequests: number;
  /** Inline completions served without a model request (cache, typed-through, in-flight reuse). */
  servedWithoutRequest: number;
  /**
   * What the same usage would have cost on the baseline model (the strong
   * model everything would go to without routing), over the priced requests;
   * null when no baseline price was given.
   */
  baselineUsd: number | null;
  /** Keyed by `provider:model` of the model that answered. */
  byModel: Record<string, ModelTotals>;
  byTask: Record<Task, TaskTotals>;
}

/**
 * Totals for the CLI's `costs` command and the status-bar tooltip. Every
 * outcome counts: a cancelled or failed stream is still billed for what it used.
 */
export function summarize(records: Iterable<LedgerRecord>, options: { since?: Date; baseline?: ModelPrice } = {}): LedgerSummary {
  const since = options.since?.getTime();
  const byTask = Object.fromEntries(TASKS.map((task) => [task, { requests: 0, costUsd: 0 }])) as Record<Task, TaskTotals>;
  const byModel: Record<string, ModelTotals> = {};
  const summary: LedgerSummary = {
    totalUsd: 0,
    unpricedRequests: 0,
    requests: 0,
    estimatedRequests: 0,
    servedWithoutRequest: 0,
    baselineUsd: options.baseline ? 0 : null,
    byModel,
    byTask,
  };

  for (const record of records) {
    if (since !== undefined && !(Date.parse(record.time) >= since)) continue;
    if (record.servedFrom) {
      summary.servedWithoutRequest += 1;
      continue;
    }
    const key = `${record.provider}:${record.model}`;
    const model = (byModel[key] ??= emptyModelTotals());
    const task = byTask[record.task];
    summary.requests += 1;
    model.requests += 1;
    if (task) task.requests += 1;
    if (record.usageEstimated) summary.estimatedRequests += 1;
    model.inputTokens += record.usage.inputTokens;
    model.outputTokens += record.usage.outputTokens;
    model.cacheReadTokens += record.usage.cacheReadTokens;
    model.cacheWriteTokens += record.usage.cacheWriteTokens;
    if (record.costUsd === null) {
      summary.unpricedRequests += 1;
      model.unpriced += 1;
    } else {
      summary.totalUsd += record.costUsd;
      if (options.baseline && summary.baselineUsd !== null) summary.baselineUsd += costOf(record.usage, options.baseline) ?? 0;
      model.costUsd += record.costUsd;
      if (task) task.costUsd += record.costUsd;
    }
  }

  summary.totalUsd = roundUsd(summary.totalUsd);
  if (summary.baselineUsd !== null) summary.baselineUsd = roundUsd(summary.baselineUsd);
  for (const totals of Object.values(byModel)) totals.costUsd = roundUsd(totals.costUsd);
  for (const totals of Object.values(byTask)) totals.costUsd = roundUsd(totals.costUsd);
  return summary;
}

function emptyModelTotals(): ModelTotals {
  return { requests: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, unpriced: 0 };
}
