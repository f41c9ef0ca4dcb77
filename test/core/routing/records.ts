import type { LedgerRecord } from '../../../src/core/ledger';

/** A chat ledger record as Auto writes it; fields override. */
export function autoRecord(fields: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    v: 1,
    id: 'rec-1',
    time: '2026-11-30T10:00:00.000Z',
    task: 'chat',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    requestedModel: 'anthropic:claude-haiku-4-5',
    usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd: 0.002,
    latencyMs: 900,
    firstTokenMs: 300,
    outcome: 'ok',
    attempts: [],
    source: 'vscode',
    routing: { mode: 'auto', tier: 'cheap', score: 0.08, reasons: ['short request (5 words)', 'no code attached'] },
    ...fields,
  };
}
