import type { Budget } from '../budget/budget';
import type { Reservation } from '../budget/budgetGate';
import type { InFlight } from '../budget/sharedReservations';
import type { unpricedPriceOf } from '../budget/requestCost';
import type { LedgerRecord } from '../ledger';
import { localDay } from '../localDay';
import type { RoutePlan } from '../routing/autoRoute';
import type { FailedAttempt, ModelRef, ModelRequest, Task } from '../types';
import type { RunOptions } from './types';
import type { TooLongInRun } from './promptTooLong';

/**
 * One request's way through the route: what its ledger record is built from,
 * and what it holds against the budget, shared by runRoute's steps.
 */
export interface RouteRun {
  readonly requestId: number;
  /** Wall-clock time the request began: the record's `time`. */
  readonly started: number;
  /** The same moment on the elapsed clock, for its latency. */
  readonly startedElapsed: number;
  readonly task: Task;
  readonly request: ModelRequest;
  readonly options: RunOptions;
  readonly route: readonly ModelRef[];
  readonly requestedModel: string;
  readonly attempts: FailedAttempt[];
  /** What the record says of Auto's choice: the plan's, or after a hand-over the tier that was handed the request. */
  routing: RoutePlan['routing'];
  /** What is reserved against the budget for the model being asked; released once the record counts. */
  reservation?: Reservation;
  /**
   * What failed attempts the provider billed hold against the budget until the record (which counts them) does:
   * released with the first model's worst case, a billed failure counted nowhere, and a fallback was admitted
   * into money already spent.
   */
  readonly billed: Reservation[];
  /** The same as other processes see them; kept apart from `published`, which each failed attempt withdraws. */
  readonly billedPublished: InFlight[];
  /** The same, as other processes see them: withdrawn once the record is in the ledger, where they read it. */
  readonly published: InFlight[];
  budgetAction: LedgerRecord['budgetAction'];
  /** With budgetAction `warn` or `downgrade`: where the limit it passed stood, in the budget's words, when it did. */
  budgetReason?: string;
  /** With budgetReason: that limit's setting (`budget.dailyUsd`, `budget.providers.openai.monthlyUsd`). */
  budgetSetting?: string;
  /** Under `downgrade`: the model (`provider:model`) the request would have gone to before the budget moved it. */
  downgradedFrom?: string;
  /** Under `downgrade` with Auto: the limit moved the request to Auto's cheap tier (see RouteResult). */
  downgradedToCheapTier?: boolean;
  /** Models a limit stopped under `block` while the route went on to another: which, and the refusal's words. */
  readonly budgetSkipped: { model: string; reason: string }[];
  /**
   * The route's models whose provider cannot be used (no key, a key withheld, an invalid setting): not asked, and
   * listed in the record as skipped where they came before the model that answered (runRecord).
   */
  passedOver: FailedAttempt[];
  /**
   * Those of each tier Auto handed the request over to, listed the same way after the attempts made before the
   * hand-over (`at`: how many there were).
   */
  readonly handedOverPassedOver: { route: readonly ModelRef[]; skipped: FailedAttempt[]; at: number }[];
  /** Set once this request spends an "Allow once": its fallbacks and Auto's hand-over are the same question. */
  allowedOnce: boolean;
  /** The ledger names the last model tried when none answered. */
  lastTried?: ModelRef;
  /** The first budget refusal of one of its models. */
  budgetStop?: string;
  /** Why the tier before a hand-over gave the request up. */
  givenUp?: string;
  /** A model refused the prompt as longer than its context window: only larger ones are asked after (promptTooLong.ts). */
  tooLong?: TooLongInRun;
}

/** A tier's turn: its usable models, its name in messages, and why its first model is asked (for the log). */
export interface TierInRun {
  eligible: ModelRef[];
  name: string;
  first: string;
}

/** The budget while a limit is set: the request's worst case on a model, and what stands in for an unknown price. */
export interface BudgetInRun {
  budget: Budget;
  worstCase: (ref: ModelRef) => number | null;
  unpricedPrice: ReturnType<typeof unpricedPriceOf>;
  /** `provider:model` when worstCase counts `ref` at budget.unpricedEstimate (see estimatedModelOf). */
  estimatedModel: (ref: ModelRef) => string | undefined;
}

/**
 * The local day the request started, its record's day: what it holds against the budget in flight counts in that
 * day's limits, not the next one's when it streams across midnight.
 */
export function startDay(run: Pick<RouteRun, 'started'>): string {
  return localDay(new Date(run.started));
}

/** The last model tried, for a record with no answer. */
export function triedFields(run: Pick<RouteRun, 'lastTried'>): { provider?: string; model?: string } {
  return run.lastTried ? { provider: run.lastTried.provider, model: run.lastTried.model } : {};
}

/** "chat route", or with Auto "chat route's cheap tier": how errors name what was tried. */
export function routeNameOf(task: Task, routed: RoutePlan | undefined): string {
  return routed?.routing?.tier ? `${task} route's ${routed.routing.tier} tier` : `${task} route`;
}

/** Why the first model was tried, for the log: the pick, Auto's tier, or the route's order. */
export function firstReason(routed: RoutePlan, options: RunOptions): string {
  const routing = routed.routing;
  if (options.model) return 'model chosen explicitly';
  if (routing?.mode === 'auto') return `Auto: ${routing.tier} tier, score ${routing.score?.toFixed(3)} (${routing.reasons.join(', ')})`;
  if (routing?.mode === 'retry') return `retry on the ${routing.tier} tier`;
  return 'first eligible model of the route';
}

/** HH:MM local time, rounded up: a promise the user can hold us to. */
export function clockTime(ms: number): string {
  const date = new Date(Math.ceil(ms / 60_000) * 60_000);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
