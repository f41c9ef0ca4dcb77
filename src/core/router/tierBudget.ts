import type { Budget } from '../budget/budget';
import type { SwitchboardConfig } from '../config';
import type { ProviderRegistry } from '../providerRegistry';
import { handOverPlan, type RoutePlan } from '../routing/autoRoute';
import type { FailedAttempt, ModelRef, Task } from '../types';
import { eligibilityOf } from './refusal';

/* What a budget past its limit does to Auto's tiers: the strong tier downgraded, a hand-over to the dearer tier refused. */

/** What the tier rules read, each time they are asked (the router's dependencies hold it). */
export interface TierBudgetDeps {
  registry: ProviderRegistry;
  config: () => SwitchboardConfig;
}

/**
 * Auto's cheap tier in place of the strong tier it picked, when the strong
 * tier's first model could pass a limit with this request (its worst case,
 * with what is spent and in flight: the rule a plain route's downgrade
 * follows) and the budget's action is `downgrade` (which keeps a plain
 * route to its cheapest model): a one-model strong tier would otherwise
 * have nothing to downgrade to.
 */
export function downgradeToCheapTier(
  deps: TierBudgetDeps,
  task: Task,
  routing: RoutePlan['routing'],
  strong: readonly ModelRef[],
  budget: Budget,
  worstCase: (ref: ModelRef) => number | null,
  estimatedModel: (ref: ModelRef) => string | undefined,
): (RoutePlan & { eligible: ModelRef[]; skipped: FailedAttempt[]; reason: string; setting: string; from: ModelRef }) | undefined {
  if (routing?.mode !== 'auto' || routing.tier !== 'strong' || deps.config().budget.action !== 'downgrade') return undefined;
  const usd = strong[0] ? (worstCase(strong[0]) ?? 0) : 0;
  const passes = strong[0] && budget.gate.passing(strong[0].provider, usd);
  if (!passes) return undefined;
  const cheap = handOverPlan(deps.config(), task, routing, 'downgrade');
  // Its models that cannot be asked (no key, an invalid setting) are listed as skipped, as a hand-over's are.
  const { eligible, skipped } = cheap ? eligibilityOf(deps.registry, cheap.models) : { eligible: [], skipped: [] };
  return cheap && eligible.length > 0 ? { ...cheap, eligible, skipped, reason: budget.gate.overMessage(passes, usd, estimatedModel(strong[0]!)), setting: passes.limit.setting, from: strong[0]! } : undefined;
}

/**
 * The models of the tier a request is handed over to that may be asked:
 * those with credentials, and, when that tier is the dearer one, only those
 * this request could not take past a limit (its worst case, with what is
 * spent and in flight; `warn` aside, which lets any request pass a limit). A budget past its limit is the user's word that
 * money comes before an answer: `downgrade` keeps requests on the cheap
 * tier, `block` stops them. Handing over to the cheap tier is never dearer.
 */
export function handOverModels(
  deps: TierBudgetDeps,
  next: RoutePlan,
  budget: Budget | undefined,
  worstCase: (ref: ModelRef) => number | null,
  estimatedModel: (ref: ModelRef) => string | undefined,
): { eligible: ModelRef[]; skipped: FailedAttempt[] } | { refused: string } | undefined {
  const { eligible, skipped } = eligibilityOf(deps.registry, next.models);
  if (eligible.length === 0) return undefined;
  if (!budget || next.routing?.tier !== 'strong' || deps.config().budget.action === 'warn') return { eligible, skipped };
  const within = eligible.filter((ref) => !budget.gate.passing(ref.provider, worstCase(ref) ?? 0));
  if (within.length > 0) return { eligible: within, skipped };
  const first = eligible[0]!;
  const usd = worstCase(first) ?? 0;
  const status = budget.gate.passing(first.provider, usd);
  return { refused: status ? budget.gate.refusalMessage(status, usd, estimatedModel(first)) : 'the budget is reached' };
}
