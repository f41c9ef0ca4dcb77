import type { LedgerRecord } from '../ledger';

/**
 * The ledger as CSV: one row per record, the ledger's fields as columns
 * (usage and routing flattened), for a spreadsheet. Error texts come from
 * providers and are untrusted: a cell that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading
 * apostrophe.
 */
export const CSV_COLUMNS = [
  'id',
  'time',
  'task',
  'provider',
  'model',
  'requestedModel',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'usageEstimated',
  'costUsd',
  'costSource',
  'gateway',
  'latencyMs',
  'firstTokenMs',
  'outcome',
  'error',
  'attempts',
  'servedFrom',
  'count',
  'source',
  'routingMode',
  'routingTier',
  'routingReasons',
  'retryOf',
] as const;

type Cell = string | number | boolean | null | undefined;

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

export function csvRow(record: LedgerRecord): string {
  const { routing } = record;
  const values: Record<(typeof CSV_COLUMNS)[number], Cell> = {
    id: record.id,
    time: record.time,
    task: record.task,
    provider: record.provider,
    model: record.model,
    requestedModel: record.requestedModel,
    inputTokens: record.usage.inputTokens,
    outputTokens: record.usage.outputTokens,
    cacheReadTokens: record.usage.cacheReadTokens,
    cacheWriteTokens: record.usage.cacheWriteTokens,
    usageEstimated: record.usageEstimated,
    costUsd: record.costUsd,
    costSource: record.costSource,
    gateway: record.gateway,
    latencyMs: record.latencyMs,
    firstTokenMs: record.firstTokenMs,
    outcome: record.outcome,
    error: record.error,
    attempts: record.attempts.map((attempt) => `${attempt.provider}:${attempt.model}: ${attempt.error}`).join(' | '),
    servedFrom: record.servedFrom,
    count: record.count,
    source: record.source,
    routingMode: routing?.mode,
    routingTier: routing?.tier,
    routingReasons: routing?.reasons.join('; '),
    retryOf: record.retryOf,
  };
  return CSV_COLUMNS.map((column) => csvCell(values[column])).join(',') + '\r\n';
}

/** One CSV field: quoted when it holds a comma, quote or line break; formulas defused. */
export function csvCell(value: Cell): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
