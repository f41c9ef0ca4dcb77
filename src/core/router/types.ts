import type { LedgerRecord } from '../ledger';
import type { RoutePlan } from '../routing/autoRoute';
import type { Tier } from '../routing/tiers';
import type { ProviderError } from '../providers/providerError';
import type { FailedAttempt, ModelRef, Task } from '../types';

/* What a caller of the Router passes with a request and gets back, and what it is told meanwhile. */

export interface RunOptions {
  signal?: AbortSignal;
  /** Ask for this model only (CLI --model, the chat panel's picker); overrides Auto. */
  model?: ModelRef;
  /** Use this tier of the route without scoring ("Retry with the strong model"). */
  tier?: Tier;
  /** The ledger id of the answer this request re-asks. */
  retryOf?: string;
  /** The answer it re-asks had no known price (recorded as `retryOfUnpriced`, so the saving leaves the pair out). */
  retryOfUnpriced?: boolean;
  /** The answer it re-asks was handed over from a failed strong tier (recorded as `retryOfHandedOver`). */
  retryOfHandedOver?: boolean;
  /** The route as route() planned it, so what the user was shown is what runs. */
  routed?: RoutePlan;
  /** Streamed text, in order, from the model that is answering. */
  onText?: (text: string) => void;
}

export interface RouteResult {
  /** Everything that arrived, also on error or cancel. */
  text: string;
  record: LedgerRecord;
  /** Set when the outcome is 'error': what went wrong, for the user. */
  error?: string;
  /** No model was asked because of a budget limit; the 'finished' event already offered the ways out. */
  budgetRefused?: boolean;
  /**
   * Set when a limit shaped the request (record.budgetAction `warn` or `downgrade`): where it stood when the
   * request went, e.g. "$0.03 left of the daily budget ($0.17 spent of $0.20), and this request could cost up to
   * $0.045 (…)". The spend read afterwards has the request in it, and may not be at the limit at all.
   */
  budgetReason?: string;
  /** With budgetReason: the setting of the limit it names, e.g. `budget.providers.openai.dailyUsd`. */
  budgetSetting?: string;
  /** Under `downgrade`: the model (`provider:model`) the request would have gone to had no limit moved it. */
  downgradedFrom?: string;
  /**
   * Under `downgrade` with Auto: the limit moved the request from the strong tier Auto picked to its cheap tier
   * (downgradedFrom is the strong tier's first model), not to the route's cheapest model.
   */
  downgradedToCheapTier?: boolean;
  /**
   * Models of the route a limit stopped (under `block`, a provider's own limit) before another answered: the
   * editor lists them as fallbacks with the refusal; the CLI says so on stderr.
   */
  budgetSkipped?: { model: string; reason: string }[];
}

/**
 * Why a request would be refused before any model is asked. The editor checks
 * this before each inline completion, so that a state that will not change by
 * itself (no key, an empty route, the budget spent, the host holding requests)
 * costs no request and no ledger record per typing pause.
 */
export type Refusal =
  | { kind: 'held'; message: string }
  | { kind: 'empty-route'; message: string }
  | { kind: 'no-credentials'; message: string; skipped: FailedAttempt[] }
  | { kind: 'budget'; message: string };

/** What the UI and the log listen to while a request is under way. */
export type RouterEvent =
  | { type: 'waiting'; requestId: number; task: Task; ref: ModelRef; reason: string }
  | { type: 'attempt-failed'; requestId: number; task: Task; ref: ModelRef; error: ProviderError }
  /** The model's first text of this attempt: sent once, not per chunk (the status bar stops spinning). */
  | { type: 'streaming'; requestId: number; task: Task; ref: ModelRef }
  /** `budgetRefused`: no model was asked because of a budget limit (the UI offers Raise Budget and Allow Once). */
  | { type: 'finished'; requestId: number; record: LedgerRecord; error?: string; budgetRefused?: boolean };
