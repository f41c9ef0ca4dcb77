import type { LedgerCell, LedgerRecord } from '../../../src/core/ledger';

/** A cell with one priced request unless told otherwise. */
export function cell(fields: Partial<LedgerCell>): LedgerCell {
  return {
    day: '2026-07-25',
    task: 'chat',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    source: 'vscode',
    requests: 1,
    errors: 0,
    cancelled: 0,
    estimated: 0,
    unpriced: 0,
    served: 0,
    billedAttempts: 0,
    costUsd: 0.01,
    usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 },
    longUsage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    latencyMs: 1000,
    ...fields,
  };
}

/** A priced chat request of 2026-07-25 unless told otherwise (a fixed day, for ranges). */
export function record(fields: Partial<LedgerRecord>): LedgerRecord {
  return {
    v: 1,
    time: '2026-07-25T10:00:00.000Z',
    task: 'chat',
    provider: 'anthropic',
    model: 'claude-sonnet-5',
    requestedModel: 'anthropic:claude-sonnet-5',
    usage: { inputTokens: 100, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd: 0.1,
    latencyMs: 1000,
    firstTokenMs: 300,
    outcome: 'ok',
    attempts: [],
    ...fields,
  };
}

/** A cell whose priced requests Auto sent to the cheap tier on purpose: the only kind the saving compares. */
export function chosenCell(fields: Partial<LedgerCell>): LedgerCell {
  const base = cell(fields);
  const priced = base.requests - base.unpriced - (base.noUsage ?? 0);
  return { ...base, chosen: { requests: priced, unpriced: base.unpriced, costUsd: base.costUsd, usage: { ...base.usage }, longUsage: { ...base.longUsage } }, ...fields };
}
