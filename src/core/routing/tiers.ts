/**
 * Scoring and tier choice: the heavy part of Auto (features, word groups,
 * the model's weights). scripts/build.mjs bundles it apart as
 * dist/routing.js, loaded on the first Auto request (autoRoute.ts), so
 * activating the extension never parses it.
 */
import type { ModelRef } from '../types';
import { acknowledgementWord } from './acknowledgement';
import type { RoutingInput } from './features';
import { shippedRoutingModel, thresholdForShare, type RoutingModel } from './routingModel';
import { reasonsFor, scoreRequest, type Tier } from './scorer';

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
 * Scores a request and picks its tier: strong when the score reaches the
 * threshold that lets `strongShare` of requests through (on the evaluation
 * set), else cheap. With no cheap tier there is nothing to decide.
 */
export function chooseTier(
  input: RoutingInput,
  tiers: { cheap: readonly ModelRef[]; strong: readonly ModelRef[]; /** Why there is no cheap tier, when there is none. */ noCheap?: string },
  strongShare: number,
  model: RoutingModel = shippedRoutingModel(),
): TierChoice {
  const result = scoreRequest(input, model);
  if (tiers.cheap.length === 0) {
    const reasons = [tiers.noCheap ?? 'no cheap tier for this route'];
    return { tier: 'strong', score: result.score, reasons, recordableReasons: reasons, models: [...tiers.strong] };
  }
  // The dial's 1 is "all strong", a promise kept even for "thanks".
  const thanks = strongShare < 1 ? acknowledgementWord(input.prompt) : undefined;
  if (thanks) {
    const reasons = [`only an acknowledgement ("${thanks}"), nothing new asked`];
    return { tier: 'cheap', score: result.score, reasons, recordableReasons: reasons, models: [...tiers.cheap] };
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
