import { isCount, isFailedAttempt, isObject, isTask, USAGE_FIELDS, usageProblem, type Fields } from '../recordShape';
import type { RoutingInfo } from '../routing/autoRoute';
import { routingFieldsProblem } from '../routing/routingRecord';
import type { UsageLimits } from '../usageBound';
import { TASKS, type FailedAttempt, type GatewayName, type Outcome, type Task, type Usage } from '../types';

/**
 * One request, as written to the ledger: what was asked, which model
 * answered, what it used and cost. Never prompt text, answers or keys.
 */
export interface LedgerRecord {
  v: 1;
  /**
   * Unique among all records of all processes sharing the ledger (a random
   * per-process prefix and a counter), so a process reading the file back can
   * tell its own records from those of other windows and the CLI.
   */
  id?: string;
  /** When the request started, ISO 8601. */
  time: string;
  task: Task;
  /** The provider and model that answered (or the last one tried, when none did). */
  provider: string;
  model: string;
  /** `provider:model`: the route's first choice, or the explicit --model. */
  requestedModel: string;
  usage: Usage;
  /** True when the provider reported no usage and it was estimated from the text. */
  usageEstimated: boolean;
  /**
   * Set, with usageBound, when the provider reported more tokens than the
   * request could have used (usageBound.ts): its counts as reported. `usage`
   * and the cost hold the bound instead.
   */
  reportedUsage?: Partial<Usage>;
  /** The bounds the reported counts exceeded, and were priced at: output tokens, prompt tokens (input plus cache). */
  usageBound?: UsageLimits;
  /**
   * What the request cost: the answer plus every failed attempt the provider
   * billed (see FailedAttempt.costUsd). null: nothing of it has a known price
   * (unpriced, not free).
   */
  costUsd: number | null;
  /**
   * Where costUsd came from: the figure the gateway in front of the provider
   * reported (`gateway` names it), usage × the price table, or `local`: $0 for
   * a model on a server on this machine that nobody priced. Absent on
   * unpriced records and on records written before it existed (price table).
   */
  costSource?: CostSource;
  /**
   * Set when costUsd is the price table's rate for a vendor's model name although the provider's server was on
   * this machine when the request was made (LM Studio or vLLM serving `gpt-5.4-nano` from a file, or a proxy
   * forwarding to the vendor: a record cannot tell which). Where the cost is shown it is said, with the setting
   * that makes the model free (switchboard.freeOnLocalServer). Read only as `true`: any other value is no flag,
   * and never costs the record (its spend counts whatever the flag says).
   */
  tableRateOnLocalServer?: true;
  gateway?: GatewayName;
  /**
   * Set, with gatewayCostBoundUsd, when the gateway's own cost figure was more
   * than the request could cost at the price table's rates (usageBound.ts
   * boundGatewayCost): the gateway's figure. The cost holds the bound instead,
   * and costSource says price-table.
   */
  gatewayCostUsd?: number;
  /** The most the request could cost at the price table's rates, which it was priced at. */
  gatewayCostBoundUsd?: number;
  /** 'dearest' when the model has no price and the bound is at 16 times the dearest rates the table knows. */
  gatewayCostBoundRates?: 'dearest';
  /**
   * The gateway's figure was less than its counted tokens at the price table's rates, which it was counted at
   * instead (gatewayCostBoundUsd): a gateway's figure never lowers what the budgets count (usageBound.ts).
   */
  gatewayCostUnderTable?: true;
  /**
   * Set when a budget limit shaped this request: `downgrade` (only the route's
   * cheapest model was asked), `warn` (it went on past a limit), `allow-once`
   * (the user let it past a limit).
   */
  budgetAction?: BudgetEffect;
  /**
   * Set when the provider stopped the answer at the request's max output
   * (switchboard.*.maxTokens): that max. The answer is whole as a stream but
   * cut short, which the user is told.
   */
  maxTokensReached?: number;
  latencyMs: number;
  firstTokenMs: number | null;
  outcome: Outcome;
  error?: string;
  /**
   * Set on a request that never left this machine because the setup it needs is missing: no model of its route
   * had credentials, or the route named none (`setup`). Recorded, as every request is, but counted apart from
   * the requests that failed or were refused: a first `ask` before any key is set is not a failed request.
   */
  notSent?: NotSent;
  /** Models tried and left before the one that answered. */
  attempts: FailedAttempt[];
  /**
   * Set when inline completions were served without a model request (the
   * completion cache, typing through shown ghost text, or joining a request
   * already streaming): counted, never billed (cost 0, usage 0). Such
   * completions are written as one record per minute and model, with `count`.
   */
  servedFrom?: ServedFrom;
  /** How many completions a servedFrom record stands for (1 when absent). */
  count?: number;
  source?: LedgerSource;
  /** How the models were chosen when Auto was on: tier, score and reasons (never prompt text). */
  routing?: RoutingInfo;
  /** The id of the record this request re-asks ("Retry with the strong model"). */
  retryOf?: string;
  /**
   * Set on a retry whose first answer had no known price: the saving
   * against the strong tier leaves the pair out, since what the first
   * answer cost is unknown (see costs/retrySavings.ts).
   */
  retryOfUnpriced?: true;
  /**
   * Set on a retry whose first answer was handed over by Auto's failed strong
   * tier to the cheap tier: a failure, not routing, chose that answer's tier,
   * so the pair stays out of the saving and the retry is no routing miss.
   */
  retryOfHandedOver?: true;
  /**
   * Never written: set by the reader on a record whose recorded cost no request could have cost (costCheck.ts),
   * `repriced` when it is counted at its tokens × its model's rates in the prices in effect instead, `not-counted` when no price
   * is known for its model and it counts as unpriced.
   */
  implausibleCost?: 'repriced' | 'not-counted';
}

export type ServedFrom = 'cache' | 'typed-through' | 'inflight';

/** Why a request never left this machine (see LedgerRecord.notSent). */
export type NotSent = 'setup';

/** `local`: a model served on this machine that nobody priced, so $0 (prices/servingProviders.ts). */
export type CostSource = 'gateway' | 'price-table' | 'local';
const COST_SOURCES: ReadonlySet<string> = new Set<CostSource>(['gateway', 'price-table', 'local']);
const GATEWAYS: ReadonlySet<string> = new Set<GatewayName>(['openrouter', 'litellm']);
/** What a budget did to a request (see LedgerRecord.budgetAction). */
export type BudgetEffect = 'downgrade' | 'warn' | 'allow-once';
const BUDGET_EFFECTS: ReadonlySet<string> = new Set<BudgetEffect>(['downgrade', 'warn', 'allow-once']);
const SERVED_FROM: ReadonlySet<string> = new Set<ServedFrom>(['cache', 'typed-through', 'inflight']);

/** Who made the request; 'bench' keeps benchmark runs apart from real spending. */
export type LedgerSource = 'vscode' | 'cli' | 'bench';
const SOURCES: ReadonlySet<string> = new Set<LedgerSource>(['vscode', 'cli', 'bench']);

const OUTCOMES: ReadonlySet<string> = new Set<Outcome>(['ok', 'cancelled', 'error']);

/** Why `value` is not a ledger record, or undefined when it is one. The one check, for reading and for writing. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.v !== 1) {
    return typeof value.v === 'number' && value.v > 1
      ? `version ${value.v} was written by a newer Switchboard`
      : '"v" must be 1';
  }
  if (value.id !== undefined && typeof value.id !== 'string') return '"id" must be a string';
  if (typeof value.time !== 'string' || !Number.isFinite(Date.parse(value.time))) return '"time" must be an ISO date';
  if (!isTask(value.task)) return `"task" must be one of ${TASKS.join(', ')}`;
  for (const field of ['provider', 'model', 'requestedModel'] as const) {
    if (typeof value[field] !== 'string') return `"${field}" must be a string`;
  }
  const usage = usageProblem(value.usage, 'usage');
  if (usage) return usage;
  if (typeof value.usageEstimated !== 'boolean') return '"usageEstimated" must be true or false';
  const bounded = boundedUsageProblem(value) ?? boundedGatewayCostProblem(value);
  if (bounded) return bounded;
  if (value.costUsd !== null && !isCount(value.costUsd)) return '"costUsd" must be a number >= 0 or null';
  if (value.costSource !== undefined && (typeof value.costSource !== 'string' || !COST_SOURCES.has(value.costSource))) {
    return '"costSource" must be gateway, price-table or local';
  }
  if (value.gateway !== undefined && (typeof value.gateway !== 'string' || !GATEWAYS.has(value.gateway))) return '"gateway" must be openrouter or litellm';
  if (value.budgetAction !== undefined && (typeof value.budgetAction !== 'string' || !BUDGET_EFFECTS.has(value.budgetAction))) {
    return '"budgetAction" must be downgrade, warn or allow-once';
  }
  if (value.maxTokensReached !== undefined && !isCount(value.maxTokensReached)) return '"maxTokensReached" must be a number >= 0';
  if (!isCount(value.latencyMs)) return '"latencyMs" must be a number >= 0';
  if (value.firstTokenMs !== null && !isCount(value.firstTokenMs)) return '"firstTokenMs" must be a number >= 0 or null';
  if (typeof value.outcome !== 'string' || !OUTCOMES.has(value.outcome)) return '"outcome" must be ok, cancelled or error';
  if (value.error !== undefined && typeof value.error !== 'string') return '"error" must be a string';
  if (value.notSent !== undefined && value.notSent !== 'setup') return '"notSent" must be "setup" when set';
  if (!Array.isArray(value.attempts)) return '"attempts" must be a list';
  if (!value.attempts.every(isFailedAttempt)) {
    return '"attempts" must hold {provider, model, error} strings, and a billed attempt its usage and costUsd';
  }
  if (value.servedFrom !== undefined && (typeof value.servedFrom !== 'string' || !SERVED_FROM.has(value.servedFrom))) {
    return '"servedFrom" must be cache, typed-through or inflight';
  }
  if (value.count !== undefined && !(Number.isInteger(value.count) && (value.count as number) >= 1)) return '"count" must be a whole number >= 1';
  if (value.source !== undefined && (typeof value.source !== 'string' || !SOURCES.has(value.source))) {
    return '"source" must be vscode, cli or bench';
  }
  return routingFieldsProblem(value);
}

/** reportedUsage and usageBound: both or neither, each an object of counts >= 0 naming only their own fields. */
function boundedUsageProblem(value: Fields): string | undefined {
  if (value.reportedUsage === undefined && value.usageBound === undefined) return undefined;
  if (!isCountsOf(value.reportedUsage, USAGE_FIELDS)) return '"reportedUsage" must hold token counts >= 0 (inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens)';
  if (!isCountsOf(value.usageBound, BOUND_FIELDS)) return '"usageBound" must hold token counts >= 0 (outputTokens, promptTokens)';
  return undefined;
}

/** gatewayCostUsd and gatewayCostBoundUsd: both or neither, each a number of dollars >= 0; their flags as written. */
function boundedGatewayCostProblem(value: Fields): string | undefined {
  if (value.gatewayCostUsd === undefined && value.gatewayCostBoundUsd === undefined) return undefined;
  if (!isCount(value.gatewayCostUsd)) return '"gatewayCostUsd" must be a number >= 0 (set with gatewayCostBoundUsd)';
  if (!isCount(value.gatewayCostBoundUsd)) return '"gatewayCostBoundUsd" must be a number >= 0 (set with gatewayCostUsd)';
  if (value.gatewayCostBoundRates !== undefined && value.gatewayCostBoundRates !== 'dearest') return '"gatewayCostBoundRates" must be "dearest" when set';
  if (value.gatewayCostUnderTable !== undefined && value.gatewayCostUnderTable !== true) return '"gatewayCostUnderTable" must be true when set';
  return undefined;
}

const BOUND_FIELDS = ['outputTokens', 'promptTokens'] as const;

function isCountsOf(value: unknown, fields: readonly string[]): boolean {
  return isObject(value) && Object.entries(value).every(([field, count]) => fields.includes(field) && isCount(count));
}

/** How many requests or served completions a record stands for. */
export function recordCount(record: LedgerRecord): number {
  return record.count ?? 1;
}
