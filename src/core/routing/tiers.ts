import { parseModelRef } from '../modelRef';
import type { ModelRef } from '../types';
import type { RoutingInput } from './features';
import { shippedRoutingModel, thresholdForShare, type RoutingModel } from './routingModel';
import { reasonsFor, scoreRequest, type Tier } from './scorer';
import { DEFAULT_CHEAP_TIERS } from './tierDefaults';

/** The routes Auto decides for; inline completions always use their own (cheap) route. */
export type AutoTask = 'chat' | 'plan';
export const AUTO_TASKS: readonly AutoTask[] = ['chat', 'plan'];

export type { Tier };

/** Why a request went where it went: shown in the chat footer, the quick pick, the log and the ledger. */
export interface RoutingDecision {
  /** 'auto': scored and sent to a tier; 'manual': the user picked the model. */
  mode: 'auto' | 'manual';
  tier: Tier;
  /** In [0, 1]; absent when the user picked the model. */
  score?: number;
  reasons: string[];
}

export interface TierChoice extends RoutingDecision {
  mode: 'auto';
  score: number;
  /** The models to try, in order: the chosen tier's list. */
  models: ModelRef[];
}

/**
 * The cheap tier used when the user has not set one: the default list,
 * narrowed to the providers the route's strong list already uses. Auto never
 * sends a request to a provider the user did not put in the route: someone
 * whose chat route is a local server stays on that server (and gets no cheap
 * tier, unless they name one).
 */
export function defaultCheapTier(task: AutoTask, strong: readonly ModelRef[]): ModelRef[] {
  const providers = new Set(strong.map((ref) => ref.provider));
  return DEFAULT_CHEAP_TIERS[task].map((text) => parseModelRef(text)!).filter((ref) => providers.has(ref.provider));
}

/**
 * Scores a request and picks its tier: strong when the score reaches the
 * threshold that lets `strongShare` of requests through (on the evaluation
 * set), else cheap. With no cheap tier there is nothing to decide.
 */
export function chooseTier(
  input: RoutingInput,
  tiers: { cheap: readonly ModelRef[]; strong: readonly ModelRef[] },
  strongShare: number,
  model: RoutingModel = shippedRoutingModel(),
): TierChoice {
  const result = scoreRequest(input, model);
  if (tiers.cheap.length === 0) {
    return { mode: 'auto', tier: 'strong', score: result.score, reasons: ['no cheap tier for this route'], models: [...tiers.strong] };
  }
  const tier: Tier = result.score >= thresholdForShare(model.dial, strongShare) ? 'strong' : 'cheap';
  return { mode: 'auto', tier, score: result.score, reasons: reasonsFor(result, tier), models: [...tiers[tier]] };
}

/** "cheap tier: short lookup question, no code attached": the one-line form for footers and logs. */
export function describeDecision(decision: RoutingDecision): string {
  if (decision.mode === 'manual') return 'model picked by you';
  return `${decision.tier} tier: ${decision.reasons.join(', ')}`;
}
