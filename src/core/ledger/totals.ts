import { LONG_CONTEXT_THRESHOLD } from '../cost';
import { DayKeyer } from '../localDay';
import { ZERO_USAGE, type Task, type Usage } from '../types';
import { isPricedAtBound } from '../usageBound';
import { recordCount, type LedgerRecord, type LedgerSource } from './record';

/**
 * The ledger's totals for one day, task, provider, model and source: what
 * `costs`, the status bar, the budget and the dashboard read instead of the
 * records themselves. A year of records folds into a few thousand cells.
 */
export interface LedgerCell {
  /** Local YYYY-MM-DD. */
  day: string;
  task: Task;
  provider: string;
  model: string;
  /** '' for records that name no source (written by older versions). */
  source: LedgerSource | '';
  /** Model requests this model answered (or was the last tried for). */
  requests: number;
  errors: number;
  cancelled: number;
  /** Requests whose usage was estimated from the text. */
  estimated: number;
  /**
   * Requests whose provider reported more tokens than the request could use,
   * or whose gateway reported more than it could cost, priced at the bound
   * (usageBound.ts). Optional: cells cached before it
   * existed have none, and most cells never do.
   */
  bounded?: number;
  /** Requests of which nothing has a known price. */
  unpriced: number;
  /**
   * Requests whose recorded cost no request could have cost (LedgerRecord.implausibleCost): counted at their
   * tokens × the price table's rates, or as unpriced. Optional: most cells have none.
   */
  implausibleCost?: number;
  /**
   * Requests recorded as served on this machine that nobody priced (costSource `local`, $0): what the record
   * said then, not where today's settings point its provider. Optional: cells cached before it have none.
   */
  local?: number;
  /**
   * Requests charged at the price table's vendor rate although their server was on this machine
   * (LedgerRecord.tableRateOnLocalServer): named with the setting that makes them free. Optional: most cells have
   * none, and cells cached before it counted records that could not carry it.
   */
  tableRate?: number;
  /** Inline completions served without a request (cache, typed-through, in-flight). */
  served: number;
  /** Failed attempts on this model that the provider billed. */
  billedAttempts: number;
  costUsd: number;
  /**
   * Of costUsd, what was billed for no answer: failed attempts the provider
   * billed (a fallback's first try) and requests that failed after being
   * billed (a stream cut mid-answer). Said beside the spend, which would
   * otherwise read as the price of answers. Optional: most cells have none.
   */
  failedUsd?: number;
  /**
   * Of `requests`, those that used no token at all (refused before any model
   * was asked, or failed before the provider counted anything): they have
   * nothing to price at the strong tier, so the saving does not count them as
   * compared. Optional: most cells have none.
   */
  noUsage?: number;
  /**
   * Requests recorded but never sent, the setup they needed missing (no credentials, an empty route: see
   * LedgerRecord.notSent): apart from `requests` and `errors`, so a first `ask` before any key is set reads as
   * not sent rather than as a failed request. Optional: most cells have none, and a cell cached by a version
   * before it counted such records as errors, as they were then.
   */
  notSent?: number;
  /** Tokens of calls whose prompt stayed within the long-context threshold… */
  usage: Usage;
  /** …and of calls beyond it, which are priced at the long-context rate. */
  longUsage: Usage;
  /** Sum over the requests, for averages. */
  latencyMs: number;
  /**
   * Of `requests`, the priced answers Auto's strong tier handed over to the
   * cheap tier because it failed (routing.handedOverFrom "strong"): cheaper
   * than the strong tier, but by a failure, not by routing's choice, so the
   * saving reports them apart (costView). Optional: most cells have none.
   */
  handedOver?: HandedOverPart;
  /**
   * Of `requests`, the answers routing sent to a cheaper tier on purpose:
   * Auto's choice of the cheap tier, and a retry of such an answer on the
   * strong tier (routing's cost). Only these are compared with the strong
   * tier for "saved by routing"; every other answer (a plain route's first
   * model, a fallback after a failure, a model picked by hand, a budget's
   * downgrade, a hand-over) counts at what it cost on both sides, since no
   * routing choice made it cheaper or dearer (costView). Priced ones in
   * requests/costUsd/usage, unpriced ones counted in `unpriced`. Optional:
   * cells without Auto never have it.
   */
  chosen?: ChosenPart;
}

/** The answers routing chose on purpose (see LedgerCell.chosen): the priced ones' tokens and cost, and how many had no price. */
export interface ChosenPart extends HandedOverPart {
  unpriced: number;
}

/** The priced hand-overs of a cell: how many, their tokens (split by prompt size as the cell's) and their cost. */
export interface HandedOverPart {
  requests: number;
  costUsd: number;
  usage: Usage;
  longUsage: Usage;
}

/** Cells by key, built from records or merged from summaries. */
export class CellTable {
  private readonly cells = new Map<string, LedgerCell>();

  /** Adds one record, on its local `day`: the answer to its model, each billed failed attempt to that attempt's model. */
  add(record: LedgerRecord, day: string): void {
    const source = record.source ?? '';
    const answered = this.cell(day, record.task, record.provider, record.model, source);
    if (record.servedFrom) {
      answered.served += recordCount(record);
      return;
    }
    if (record.notSent) {
      answered.notSent = (answered.notSent ?? 0) + 1;
      return;
    }
    answered.requests += 1;
    if (record.outcome === 'error') answered.errors += 1;
    else if (record.outcome === 'cancelled') answered.cancelled += 1;
    if (record.usageEstimated) answered.estimated += 1;
    if (isPricedAtBound(record)) answered.bounded = (answered.bounded ?? 0) + 1;
    if (record.implausibleCost) answered.implausibleCost = (answered.implausibleCost ?? 0) + 1;
    if (record.costSource === 'local') answered.local = (answered.local ?? 0) + 1;
    else if (record.tableRateOnLocalServer === true && record.costUsd !== null) answered.tableRate = (answered.tableRate ?? 0) + 1;
    answered.latencyMs += record.latencyMs;
    if (usesNoToken(record.usage)) answered.noUsage = (answered.noUsage ?? 0) + 1;
    addUsage(answered, record.usage);
    let attemptsUsd = 0;
    for (const attempt of record.attempts) {
      if (!attempt.usage) continue;
      const cell = this.cell(day, record.task, attempt.provider, attempt.model, source);
      cell.billedAttempts += 1;
      addUsage(cell, attempt.usage);
      if (typeof attempt.costUsd === 'number') {
        cell.costUsd += attempt.costUsd;
        if (attempt.costUsd > 0) cell.failedUsd = (cell.failedUsd ?? 0) + attempt.costUsd;
        attemptsUsd += attempt.costUsd;
      }
    }
    const chosen = routingChoseIt(record) && !usesNoToken(record.usage) ? (answered.chosen ??= emptyChosen()) : undefined;
    if (record.costUsd === null) {
      answered.unpriced += 1;
      if (chosen) chosen.unpriced += 1;
      return;
    }
    const answerUsd = Math.max(0, record.costUsd - attemptsUsd);
    answered.costUsd += answerUsd;
    if (record.outcome === 'error' && answerUsd > 0) answered.failedUsd = (answered.failedUsd ?? 0) + answerUsd;
    if (record.routing?.handedOverFrom === 'strong') {
      const handed = (answered.handedOver ??= emptyHandedOver());
      handed.requests += 1;
      handed.costUsd += answerUsd;
      addUsage(handed, record.usage);
    }
    if (chosen) {
      chosen.requests += 1;
      chosen.costUsd += answerUsd;
      addUsage(chosen, record.usage);
    }
  }

  merge(cells: Iterable<LedgerCell>): void {
    for (const from of cells) {
      const into = this.cell(from.day, from.task, from.provider, from.model, from.source);
      into.requests += from.requests;
      into.errors += from.errors;
      into.cancelled += from.cancelled;
      into.estimated += from.estimated;
      if (from.bounded) into.bounded = (into.bounded ?? 0) + from.bounded;
      if (from.implausibleCost) into.implausibleCost = (into.implausibleCost ?? 0) + from.implausibleCost;
      if (from.local) into.local = (into.local ?? 0) + from.local;
      if (from.tableRate) into.tableRate = (into.tableRate ?? 0) + from.tableRate;
      into.unpriced += from.unpriced;
      into.served += from.served;
      into.billedAttempts += from.billedAttempts;
      into.costUsd += from.costUsd;
      if (from.failedUsd) into.failedUsd = (into.failedUsd ?? 0) + from.failedUsd;
      if (from.noUsage) into.noUsage = (into.noUsage ?? 0) + from.noUsage;
      if (from.notSent) into.notSent = (into.notSent ?? 0) + from.notSent;
      into.latencyMs += from.latencyMs;
      sumInto(into.usage, from.usage);
      sumInto(into.longUsage, from.longUsage);
      if (from.handedOver) {
        const handed = (into.handedOver ??= emptyHandedOver());
        handed.requests += from.handedOver.requests;
        handed.costUsd += from.handedOver.costUsd;
        sumInto(handed.usage, from.handedOver.usage);
        sumInto(handed.longUsage, from.handedOver.longUsage);
      }
      if (from.chosen) {
        const chosen = (into.chosen ??= emptyChosen());
        chosen.requests += from.chosen.requests;
        chosen.unpriced += from.chosen.unpriced;
        chosen.costUsd += from.chosen.costUsd;
        sumInto(chosen.usage, from.chosen.usage);
        sumInto(chosen.longUsage, from.chosen.longUsage);
      }
    }
  }

  list(): LedgerCell[] {
    return [...this.cells.values()];
  }

  private cell(day: string, task: Task, provider: string, model: string, source: LedgerSource | ''): LedgerCell {
    const key = cellKey(day, task, provider, model, source);
    let cell = this.cells.get(key);
    if (!cell) {
      cell = {
        day,
        task,
        provider,
        model,
        source,
        requests: 0,
        errors: 0,
        cancelled: 0,
        estimated: 0,
        unpriced: 0,
        served: 0,
        billedAttempts: 0,
        costUsd: 0,
        usage: { ...ZERO_USAGE },
        longUsage: { ...ZERO_USAGE },
        latencyMs: 0,
      };
      this.cells.set(key, cell);
    }
    return cell;
  }
}

/** What tells cells apart: one per day, task, provider, model and source. */
export function cellKey(day: string, task: Task, provider: string, model: string, source: LedgerSource | ''): string {
  return `${day}\u0000${task}\u0000${provider}\u0000${model}\u0000${source}`;
}

/** The cells of records held in memory, on their local days. */
/**
 * Whether a cell holds anything the cost figures count: a request, a billed attempt or ghost text served. A cell
 * of only requests never sent (notSent) does not, so no total, table, filter or range is drawn from it.
 */
export function countsInFigures(cell: Pick<LedgerCell, 'requests' | 'billedAttempts' | 'served'>): boolean {
  return cell.requests > 0 || cell.billedAttempts > 0 || cell.served > 0;
}

export function cellsOf(records: Iterable<LedgerRecord>): LedgerCell[] {
  const table = new CellTable();
  const keyer = new DayKeyer();
  for (const record of records) table.add(record, keyer.dayOf(record.time));
  return table.list();
}

function emptyHandedOver(): HandedOverPart {
  return { requests: 0, costUsd: 0, usage: { ...ZERO_USAGE }, longUsage: { ...ZERO_USAGE } };
}

function emptyChosen(): ChosenPart {
  return { ...emptyHandedOver(), unpriced: 0 };
}

/**
 * Whether routing, on purpose, sent `record` to a cheaper tier than the
 * route's strong one (Auto picked the cheap tier and it answered), or
 * re-asked such an answer on the strong tier (a retry: routing's cost).
 */
function routingChoseIt(record: Pick<LedgerRecord, 'routing'>): boolean {
  const routing = record.routing;
  if (!routing) return false;
  if (routing.mode === 'retry') return true;
  return routing.mode === 'auto' && routing.tier === 'cheap' && routing.handedOverFrom === undefined;
}

function usesNoToken(usage: Usage): boolean {
  return usage.inputTokens === 0 && usage.outputTokens === 0 && usage.cacheReadTokens === 0 && usage.cacheWriteTokens === 0;
}

function addUsage(cell: Pick<LedgerCell, 'usage' | 'longUsage'>, usage: Usage): void {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  sumInto(prompt > LONG_CONTEXT_THRESHOLD ? cell.longUsage : cell.usage, usage);
}

/** Adds token counts into anything that holds them (a Usage, or totals with the same four fields). */
export function sumInto(into: Usage, from: Usage): void {
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cacheReadTokens += from.cacheReadTokens;
  into.cacheWriteTokens += from.cacheWriteTokens;
}
