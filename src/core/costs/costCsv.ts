import type { LedgerRecord } from '../ledger';
import { usageBoundNote } from '../usageBound';

/**
 * The ledger as CSV: one row per record, the ledger's fields as columns
 * (usage, the usage as reported and its bounds, and routing flattened; new
 * columns go at the end, so a spreadsheet built on the old ones still reads; the
 * reported and bound columns are empty unless the record was priced at a
 * bound; `gatewayCostBoundRates` says "dearest" where a gateway's figure for a
 * model without a price was held to the dearest rates the table knows, and
 * `pricedAtBound` says in words what the dashboard and the log say, so a bill
 * that differs from the export can be reconciled row by row), for a
 * spreadsheet. Error texts come from
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
  'reportedInputTokens',
  'reportedOutputTokens',
  'reportedCacheReadTokens',
  'reportedCacheWriteTokens',
  'usageBoundOutputTokens',
  'usageBoundPromptTokens',
  'costUsd',
  'costSource',
  'gateway',
  'gatewayCostUsd',
  'gatewayCostBoundUsd',
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
  'routingHandedOverFrom',
  'retryOfUnpriced',
  'retryOfHandedOver',
  'budgetAction',
  'maxTokensReached',
  'gatewayCostBoundRates',
  'pricedAtBound',
  // A request recorded but never sent (no key, no model named); added at the end, so the columns before it keep their places.
  'notSent',
  // true where a gateway's figure was under its counted tokens at the table's rates, and counted at those instead.
  'gatewayCostUnderTable',
] as const;

type Cell = string | number | boolean | null | undefined;

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

export function csvRow(record: LedgerRecord): string {
  const { routing, reportedUsage: reported, usageBound: bound } = record;
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
    reportedInputTokens: reported?.inputTokens,
    reportedOutputTokens: reported?.outputTokens,
    reportedCacheReadTokens: reported?.cacheReadTokens,
    reportedCacheWriteTokens: reported?.cacheWriteTokens,
    usageBoundOutputTokens: bound?.outputTokens,
    usageBoundPromptTokens: bound?.promptTokens,
    costUsd: record.costUsd,
    costSource: record.costSource,
    gateway: record.gateway,
    gatewayCostUsd: record.gatewayCostUsd,
    gatewayCostBoundUsd: record.gatewayCostBoundUsd,
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
    routingHandedOverFrom: routing?.handedOverFrom,
    retryOfUnpriced: record.retryOfUnpriced,
    retryOfHandedOver: record.retryOfHandedOver,
    budgetAction: record.budgetAction,
    maxTokensReached: record.maxTokensReached,
    gatewayCostBoundRates: record.gatewayCostBoundRates,
    pricedAtBound: usageBoundNote(record),
    gatewayCostUnderTable: record.gatewayCostUnderTable,
    notSent: record.notSent,
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
