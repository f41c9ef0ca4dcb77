import { roundUsd } from './cost';
import { sumInto, type LedgerCell } from './ledger/totals';
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
  /** Failed attempts the provider billed (a stream that broke before any text). */
  billedAttempts: number;
}

export interface TaskTotals {
  requests: number;
  /** Sum over the priced requests only. */
  costUsd: number;
  /** Requests with no known price: their cost is unknown and not in costUsd. */
  unpriced: number;
}

export interface LedgerSummary {
  totalUsd: number;
  unpricedRequests: number;
  requests: number;
  /** Requests whose usage was estimated from the text (cancelled or broken streams). */
  estimatedRequests: number;
  /** Requests that ended in an error: failed at every model, or refused before any was asked (a budget). */
  failedRequests: number;
  /**
   * Requests recorded but never sent, not in `requests`: the setup they needed was missing (no model of the
   * route had credentials, or the route named none). Not failures: nothing reached a provider.
   */
  notSentRequests: number;
  /** Requests stopped before the answer ended (billed for what they used). */
  cancelledRequests: number;
  /**
   * Of totalUsd, what was billed for no answer: failed attempts a provider
   * billed (a fallback's first try) and requests that failed after being
   * billed (a stream cut mid-answer).
   */
  failedUsd: number;
  /** Requests priced at a usage bound: the provider reported more tokens than the request could use. Absent when none. */
  boundedRequests?: number;
  /** Inline completions served without a model request (cache, typed-through, in-flight reuse). */
  servedWithoutRequest: number;
  /** Keyed by `provider:model`: the model that answered, and models whose failed attempts were billed. */
  byModel: Record<string, ModelTotals>;
  byTask: Record<Task, TaskTotals>;
}

/**
 * Totals for the CLI's `costs` command, from the ledger's cells (see
 * ledger/totals.ts). Every outcome counts: a cancelled or failed stream is
 * still billed for what it used.
 */
export function summarize(cells: Iterable<LedgerCell>): LedgerSummary {
  const byTask = Object.fromEntries(TASKS.map((task) => [task, { requests: 0, costUsd: 0, unpriced: 0 }])) as Record<Task, TaskTotals>;
  const byModel: Record<string, ModelTotals> = {};
  const summary: LedgerSummary = {
    totalUsd: 0,
    unpricedRequests: 0,
    requests: 0,
    estimatedRequests: 0,
    failedRequests: 0,
    notSentRequests: 0,
    cancelledRequests: 0,
    failedUsd: 0,
    servedWithoutRequest: 0,
    byModel,
    byTask,
  };

  for (const cell of cells) {
    summary.servedWithoutRequest += cell.served;
    summary.notSentRequests += cell.notSent ?? 0;
    if (cell.requests === 0 && cell.billedAttempts === 0) continue;
    const model = (byModel[`${cell.provider}:${cell.model}`] ??= emptyModelTotals());
    const task = byTask[cell.task];
    summary.requests += cell.requests;
    summary.estimatedRequests += cell.estimated;
    summary.failedRequests += cell.errors;
    summary.cancelledRequests += cell.cancelled;
    summary.failedUsd += cell.failedUsd ?? 0;
    if (cell.bounded) summary.boundedRequests = (summary.boundedRequests ?? 0) + cell.bounded;
    summary.unpricedRequests += cell.unpriced;
    summary.totalUsd += cell.costUsd;
    model.requests += cell.requests;
    model.unpriced += cell.unpriced;
    model.billedAttempts += cell.billedAttempts;
    model.costUsd += cell.costUsd;
    sumInto(model, cell.usage);
    sumInto(model, cell.longUsage);
    task.requests += cell.requests;
    task.costUsd += cell.costUsd;
    task.unpriced += cell.unpriced;
  }

  summary.totalUsd = roundUsd(summary.totalUsd);
  summary.failedUsd = roundUsd(summary.failedUsd);
  for (const totals of Object.values(byModel)) totals.costUsd = roundUsd(totals.costUsd);
  for (const totals of Object.values(byTask)) totals.costUsd = roundUsd(totals.costUsd);
  return summary;
}

function emptyModelTotals(): ModelTotals {
  return { requests: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, unpriced: 0, billedAttempts: 0 };
}
