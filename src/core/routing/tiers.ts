import type { AutoRoutedTask } from '../config';
import { parseModelRef } from '../modelRef';
import type { ModelRef } from '../types';
import type { RoutingInput } from './features';
import { shippedRoutingModel, thresholdForShare, type RoutingModel } from './routingModel';
import { reasonsFor, scoreRequest, type Tier } from './scorer';
import { DEFAULT_CHEAP_TIERS } from './tierDefaults';

export type { Tier };

export interface TierChoice {
  tier: Tier;
  /** In [0, 1]. */
  score: number;
  /** The main reasons, as shown to the user (they may quote the request). */
  reasons: string[];
  /** The same without quotes from the request: what the ledger and the log keep. */
  recordableReasons: string[];
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
export function defaultCheapTier(task: AutoRoutedTask, strong: readonly ModelRef[]): ModelRef[] {
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
    const reasons = ['no cheap tier for this route'];
    return { tier: 'strong', score: result.score, reasons, recordableReasons: reasons, models: [...tiers.strong] };
  }
  const tier: Tier = result.score >= thresholdForShare(model.dial, strongShare) ? 'strong' : 'cheap';
  return {
    tier,
    score: result.score,
    reasons: reasonsFor(result, tier),
    recordableReasons: reasonsFor(result, tier, { recordable: true }),
    models: [...tiers[tier]],
  };
}
