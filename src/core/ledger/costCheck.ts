import { createHash } from 'node:crypto';
import type { PriceOverride } from '../config';
import { costOf, formatUsd, roundUsd } from '../cost';
import { PriceTable } from '../prices/priceTable';
import { isCount, isObject, usageProblem, type Fields } from '../recordShape';
import type { Usage } from '../types';

/**
 * A recorded cost no request could have cost (hand-edited or corrupted: 1e20, -5, "NaN", 1e999) is not believed:
 * counted as it stood, one line filled every budget (every request refused until the month ended) and
 * turned the dashboard's figures into nonsense. The ledger's readers all parse lines through here (lines.ts), so
 * the budgets, the dashboard and `switchboard costs` count such a record the same way: at its tokens × its model's
 * rates in the reader's prices (LedgerPrices: the price table with the user's; a local server's record at $0),
 * or, where they have no price for it, as unpriced ("not counted"), as any request with no known price. Each such
 * line is named in the readers' warnings.
 *
 * Implausible means not a number >= 0, or more than both $10 and its tokens at 16 times the dearest rate the
 * reader's prices know for any token (the headroom usageBound.ts gives a gateway's figure for a model without a
 * price). A gateway's own figure (costSource `gateway`) may honestly be more than its counted tokens (it is
 * believed up to the request's max output, which the record does not keep), so it is held to the writer's own
 * ceiling for one, $1,000 a request (a unit mix-up beyond). The $10 floor keeps hand-made records and the
 * writer's bounds on a small request from being second-guessed; it is far below what fills a budget by mistake.
 */

/** Below this a recorded cost is believed whatever its tokens. */
const FLOOR_USD = 10;
/** A gateway's figure over this is a unit mix-up (the writer ignores one: see usageBound.ts). */
const GATEWAY_CEILING_USD = 1000;

/**
 * The prices a record's cost is bounded by and repriced at: the shipped table with the prices the reader's user set
 * (`switchboard.prices` in the editor, `prices` in the CLI's --config), so a model they priced above the table's
 * dearest rate is believed at its own rates. Given to each read, never held by the module: two readers in one
 * process (the CLI's tests, windows of other settings) each judge by their own.
 */
export interface LedgerPrices {
  readonly table: PriceTable;
  /** 16 × the dearest input or output rate of `table`, per token. */
  readonly mostUsdPerToken: number;
  /**
   * Names the prices, for the caches beside the ledger (summaryFile.ts): one that holds a cost the check judged is
   * only good for the same prices. 'shipped' for the table alone.
   */
  readonly key: string;
}

/** The reader's prices: the shipped table with `overrides` (validated by config.ts). */
export function ledgerPricesOf(overrides: Readonly<Record<string, PriceOverride>>): LedgerPrices {
  const table = new PriceTable(overrides);
  const { input, output } = table.dearestRates();
  const entries = Object.entries(overrides);
  const key = entries.length === 0 ? 'shipped' : createHash('sha256').update(canonical(overrides)).digest('hex').slice(0, 16);
  return { table, mostUsdPerToken: (16 * Math.max(input, output)) / 1e6, key };
}

/** The price table alone: a reader nobody gave prices (the CLI without --config). */
export const SHIPPED_LEDGER_PRICES: LedgerPrices = ledgerPricesOf({});

/** `value` as JSON with its keys sorted at every level, so the same prices written in another order name the same key. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonical(item)}`).join(',')}}`;
}

export interface CostRepair {
  /** The record, its implausible costs replaced (a copy; `value` itself is left as read, and returned when every cost was plausible). */
  value: Fields;
  /** What was done, for the warning naming the line; undefined when every cost was plausible. */
  note?: string;
  /**
   * Always true: a cost of the record was over the floor, so the verdict depended on the reader's prices
   * (a cache holding it is good for those prices only).
   */
  pricesUsed: true;
}

/**
 * `value` with any implausible cost replaced (see above), judged by `prices`; undefined when it is not shaped as a
 * record or every cost is under the floor (the prices played no part).
 */
export function repairImplausibleCosts(value: unknown, prices: LedgerPrices): CostRepair | undefined {
  if (!isObject(value) || !Array.isArray(value.attempts)) return undefined;
  const gateway = value.costSource === 'gateway';
  // Nearly every line's costs are under the floor, believed whatever their tokens: nothing to count or copy, and
  // its usage is left for recordProblem to check, once.
  if (underFloor(value.costUsd, gateway) && value.attempts.every((attempt: unknown) => !isObject(attempt) || underFloor(attempt.costUsd, false))) return undefined;
  if (usageProblem(value.usage, 'usage')) return undefined;
  const kept: CostRepair = { value, pricesUsed: true };
  const local = value.costSource === 'local';
  const notes: string[] = [];
  // Copied only when an attempt's cost is replaced: `value.attempts` itself is left as read.
  const read: unknown[] = value.attempts;
  let attempts = read;
  read.forEach((attempt, index) => {
    if (!isObject(attempt) || attempt.costUsd === undefined || attempt.costUsd === null || usageProblem(attempt.usage, 'usage')) return;
    if (plausible(attempt.costUsd, tokensOf(attempt.usage as Usage), false, prices)) return;
    const repaired = priceOf(attempt.provider, attempt.model, attempt.usage as Usage, false, prices);
    notes.push(`a failed attempt's recorded cost ${shown(attempt.costUsd)} ${why(attempt.costUsd, tokensOf(attempt.usage as Usage), false, prices)}: ${repairText(repaired, attempt.provider, attempt.model)}`);
    if (attempts === read) attempts = [...read];
    attempts[index] = { ...attempt, costUsd: repaired };
  });
  const attemptsChanged = attempts !== read;
  const cost = value.costUsd;
  const costBad = cost !== null && cost !== undefined && !plausible(cost, allTokens(value.usage as Usage, attempts), gateway, prices);
  if (!costBad && !attemptsChanged) return kept;
  const repaired: Fields = { ...value, attempts };
  if (costBad) {
    const answer = priceOf(value.provider, value.model, value.usage as Usage, local, prices);
    repaired.costUsd = answer === null ? null : roundUsd(answer + sumOf(attempts));
    if (answer === null) delete repaired.costSource;
    repaired.implausibleCost = answer === null ? 'not-counted' : 'repriced';
    notes.unshift(`the recorded cost ${shown(cost)} ${why(cost, allTokens(value.usage as Usage, attempts), gateway, prices)}: ${repairText(answer, value.provider, value.model, local)}`);
  } else {
    // Only an attempt's cost was replaced: the record's total holds it, so it is counted again from the parts.
    const answerUsd = typeof cost === 'number' ? Math.max(0, cost - sumOf(read)) : null;
    if (answerUsd !== null) repaired.costUsd = roundUsd(answerUsd + sumOf(attempts));
    repaired.implausibleCost = 'repriced';
  }
  return { value: repaired, note: notes.join('; '), pricesUsed: true };
}

/** A cost believed whatever its tokens: none recorded, or a number >= 0 no more than the floor (a gateway's: its ceiling). */
function underFloor(cost: unknown, gateway: boolean): boolean {
  return cost === undefined || cost === null || (isCount(cost) && cost <= (gateway ? GATEWAY_CEILING_USD : FLOOR_USD));
}

function plausible(cost: unknown, tokens: number, gateway: boolean, prices: LedgerPrices): boolean {
  return isCount(cost) && cost <= mostFor(tokens, gateway, prices);
}

/** The most a request of `tokens` is believed to have cost. */
function mostFor(tokens: number, gateway: boolean, prices: LedgerPrices): number {
  // The small margin keeps a cost rounded to 12 digits (roundUsd) from reading as over its bound.
  return Math.max(gateway ? GATEWAY_CEILING_USD : FLOOR_USD, tokens * prices.mostUsdPerToken * (1 + 1e-9));
}

function allTokens(usage: Usage, attempts: unknown[]): number {
  let tokens = tokensOf(usage);
  for (const attempt of attempts) if (isObject(attempt) && !usageProblem(attempt.usage, 'usage')) tokens += tokensOf(attempt.usage as Usage);
  return tokens;
}

function tokensOf(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}

function sumOf(attempts: unknown[]): number {
  return attempts.reduce<number>((sum, attempt) => sum + (isObject(attempt) && isCount(attempt.costUsd) ? attempt.costUsd : 0), 0);
}

function priceOf(provider: unknown, model: unknown, usage: Usage, local: boolean, prices: LedgerPrices): number | null {
  if (local) return 0;
  if (typeof provider !== 'string' || typeof model !== 'string') return null;
  return costOf(usage, prices.table.lookup(provider, model));
}

/** Why `cost` is not believed. */
function why(cost: unknown, tokens: number, gateway: boolean, prices: LedgerPrices): string {
  if (!isCount(cost)) return 'is not a cost (a number of dollars >= 0)';
  return `is more than ${tokens.toLocaleString('en-US')} tokens could cost at any price (believed up to ${formatUsd(roundUsd(mostFor(tokens, gateway, prices)))})`;
}

function repairText(usd: number | null, provider: unknown, model: unknown, local = false): string {
  if (usd === null) return `not counted, as no price is known for ${String(provider)}:${String(model)} to count its tokens at (it counts as unpriced)`;
  return local ? 'counted at $0, as the request to a local server it was recorded as' : `counted at its tokens × its model's rates instead, ${formatUsd(usd)}`;
}

/** A recorded value as the warning shows it: JSON's own text ("NaN" stays a string, 1e20 a number). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
