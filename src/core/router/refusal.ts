import type { Budget } from '../budget/budget';
import { estimatedModelOf, largestCompletionCost, unpricedPriceOf } from '../budget/requestCost';
import type { SwitchboardConfig } from '../config';
import { editorSettingName, type SettingNamer } from '../config/settingNamer';
import type { PriceTable } from '../prices/priceTable';
import type { LedgerSource } from '../ledger/record';
import type { ProviderRegistry } from '../providerRegistry';
import { cheapTier, handOverPlan, isAutoRouted, type RoutePlan } from '../routing/autoRoute';
import type { FailedAttempt, ModelRef, Task } from '../types';
import { routeNameOf } from './routeRun';
import { inFlightScopeOf } from './sharedAdmission';
import type { Refusal } from './types';

/* Why a request would be refused before any model is asked (Router.refusal), and which models it may ask. */

/** What the refusal reads, each time it is asked (the router's dependencies hold all of it). */
export interface RefusalDeps {
  registry: ProviderRegistry;
  config: () => SwitchboardConfig;
  prices: () => PriceTable;
  budget?: Budget;
  /** Whose requests: ghost text in the editor counts only its own window's in flight (see admittedAlone). */
  source: LedgerSource;
  /** How a refusal names the setting to change (the editor's by default). */
  settingName?: SettingNamer;
}

/** Which of `route` can be tried (their provider has credentials), in order, and why the rest cannot. */
export function eligibilityOf(registry: ProviderRegistry, route: readonly ModelRef[]): { eligible: ModelRef[]; skipped: FailedAttempt[] } {
  const eligible: ModelRef[] = [];
  const skipped: FailedAttempt[] = [];
  for (const ref of route) {
    const status = registry.status(ref.provider);
    if (!status) skipped.push({ provider: ref.provider, model: ref.model, error: `unknown provider "${ref.provider}"`, skipped: true });
    else if (!status.usable) skipped.push({ provider: ref.provider, model: ref.model, error: status.reason ?? 'not usable', skipped: true });
    else eligible.push(ref);
  }
  return { eligible, skipped };
}

/**
 * Router.refusal's answer (see there, which says how Auto's tiers count). `heldBecause`: the reason Router.hold
 * gave, which refuses every request.
 */
export function refusalOf(deps: RefusalDeps, heldBecause: string | undefined, task: Task, only?: ModelRef, routed?: RoutePlan): Refusal | undefined {
  const refused = refusalOfTier(deps, heldBecause, task, only, routed);
  if (!refused || refused.kind === 'held' || only) return refused;
  if (routed) return refused.kind === 'budget' && budgetLeavesOtherTier(deps, heldBecause, task, routed.routing) ? undefined : refused;
  const config = deps.config();
  if (!config.auto.enabled || !isAutoRouted(task)) return refused;
  // Scored strong, a request would go on the cheap tier (given way to, or handed over past its providers'
  // budgets); scored cheap, it is there already. The strong tier's refusal stands when the cheap one's does.
  const cheap: RoutePlan = { models: cheapTier(config, task), routing: { mode: 'auto', tier: 'cheap', reasons: [] } };
  return cheap.models.length > 0 && refusalOfTier(deps, heldBecause, task, undefined, cheap) === undefined ? undefined : refused;
}

/** refusalOf() on the models asked (`only`, `routed`, or the route) alone, the other tier aside. */
function refusalOfTier(deps: RefusalDeps, heldBecause: string | undefined, task: Task, only?: ModelRef, routed?: RoutePlan): Refusal | undefined {
  if (heldBecause) return { kind: 'held', message: heldBecause };
  const route = routed?.models ?? (only ? [only] : deps.config().routes[task]);
  if (route.length === 0) {
    return { kind: 'empty-route', message: `the ${task} route lists no model: add one to ${(deps.settingName ?? editorSettingName)(`routes.${task}`)}` };
  }
  const { eligible, skipped } = eligibilityOf(deps.registry, route);
  if (eligible.length === 0) {
    const why = skipped.map((a) => `${a.provider}:${a.model}: ${a.error}`).join('; ');
    return { kind: 'no-credentials', message: `no usable credentials for any model of the ${routeNameOf(task, routed)} (${why})`, skipped };
  }
  // Blocked only when every model that could answer is: a provider's own limit leaves the others.
  const gate = deps.budget?.gate;
  // No limit set: nothing to weigh (asked on every typing pause, so nothing is computed for it).
  if (!gate?.active()) return undefined;
  // Ghost text is asked for with no request in hand: the most one can cost stands in, so no completion goes
  // out (and is refused, an error record per typing pause) when what is left of a limit cannot pay for one.
  const usd = (ref: ModelRef) => (task === 'completion' ? largestCompletionCostOn(deps, ref) : 0);
  const allowOnce = task !== 'completion';
  const blocked = eligible.map((ref) => gate.blocking(ref.provider, usd(ref), { allowOnce, inFlight: inFlightScopeOf(task, deps.source) }));
  if (blocked.every((status) => status !== undefined)) {
    const first = eligible[0]!;
    const estimated = task === 'completion' ? estimatedModelOf(first, deps.prices(), unpricedPriceOf(deps.config().budget)) : undefined;
    return { kind: 'budget', message: gate.refusalMessage(blocked[0]!, usd(first), estimated) };
  }
  return undefined;
}

/** The worst case of the largest inline completion the settings allow, on `ref` (0 when the budget does not count it). */
function largestCompletionCostOn(deps: RefusalDeps, ref: ModelRef): number {
  const config = deps.config();
  return largestCompletionCost(config.completion, ref, deps.prices(), unpricedPriceOf(config.budget)) ?? 0;
}

/**
 * Whether a budget that stops every model of Auto's picked tier (their providers' own limits) leaves the other
 * tier's: then the request goes on, the gate stops the picked tier's models one by one and hands it over.
 */
function budgetLeavesOtherTier(deps: RefusalDeps, heldBecause: string | undefined, task: Task, routing: RoutePlan['routing']): boolean {
  const other = handOverPlan(deps.config(), task, routing, 'budget');
  return other !== undefined && refusalOfTier(deps, heldBecause, task, undefined, other) === undefined;
}
