import { TASKS, type FailedAttempt, type Task, type Usage } from './types';

/**
 * The parts a ledger record is made of, checked in one place: the ledger's
 * record check, its summary files and its rotation lock use these.
 */

export type Fields = Record<string, unknown>;

export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number >= 0: a token count, a latency, a price, a cost. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

export function isTask(value: unknown): value is Task {
  return TASKS.includes(value as Task);
}

export const USAGE_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const;

/** Why `value` is not a Usage, naming the field under `at`; undefined when it is one. */
export function usageProblem(value: unknown, at: string): string | undefined {
  if (!isObject(value)) return `"${at}" must be an object`;
  for (const field of USAGE_FIELDS) {
    if (!isCount(value[field])) return `"${at}.${field}" must be a number >= 0`;
  }
  return undefined;
}

function readUsage(value: unknown): Usage | undefined {
  if (usageProblem(value, '') || !isObject(value)) return undefined;
  return {
    inputTokens: value.inputTokens as number,
    outputTokens: value.outputTokens as number,
    cacheReadTokens: value.cacheReadTokens as number,
    cacheWriteTokens: value.cacheWriteTokens as number,
  };
}

/**
 * A failed attempt, copied field by field (nothing else of the input is
 * kept), or undefined when it is not one: provider, model and error are
 * strings; a billed attempt also has its usage and its cost (a number >= 0,
 * or null when unpriced).
 */
function readFailedAttempt(value: unknown): FailedAttempt | undefined {
  if (!isObject(value) || typeof value.provider !== 'string' || typeof value.model !== 'string' || typeof value.error !== 'string') {
    return undefined;
  }
  const attempt: FailedAttempt = { provider: value.provider, model: value.model, error: value.error, ...(value.skipped === true ? { skipped: true as const } : {}) };
  if (value.usage === undefined && value.costUsd === undefined) return attempt;
  const usage = readUsage(value.usage);
  if (!usage || (value.costUsd !== null && !isCount(value.costUsd))) return undefined;
  return { ...attempt, usage, costUsd: value.costUsd };
}

export function isFailedAttempt(value: unknown): value is FailedAttempt {
  return readFailedAttempt(value) !== undefined;
}
