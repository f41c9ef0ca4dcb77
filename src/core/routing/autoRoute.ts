import { AUTO_ROUTED_TASKS, type AutoRoutedTask, type SwitchboardConfig } from '../config';
import { formatModelRef, parseModelRef } from '../modelRef';
import type { ModelRef, ModelRequest, Task } from '../types';
import type { RoutingInput } from './features';
import { DEFAULT_CHEAP_TIERS } from './tierDefaults';
import { atVendorApi } from '../vendorApi';
import { isLoopbackHost } from '../keyHost';
import { SHIPPED_PRICES } from '../prices/priceTable';
import { DEFAULT_ROUTES } from '../config/defaults';
import type * as Scoring from './tiers';
import type { Tier } from './tiers';

let scoring: typeof Scoring | undefined;

/**
 * The scorer, loaded on first use: in the bundles it is dist/routing.js
 * (scripts/build.mjs), kept out of activation like the provider SDKs. A
 * synchronous require keeps routing synchronous; the file is local and small.
 */
function loadScoring(): typeof Scoring {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  return (scoring ??= require('./tiers') as typeof Scoring);
}

/**
 * How a request's models were chosen, as the chat footer, the status bar,
 * the log and the ledger record it. `auto`: scored and sent to a tier;
 * `retry`: the user asked again on a tier ("Retry with the strong model");
 * `manual`: the user picked the model while Auto was on.
 */
export interface RoutingInfo {
  mode: 'auto' | 'retry' | 'manual';
  tier?: Tier;
  /** In [0, 1], rounded; set for `auto`. */
  score?: number;
  /** Never quotes the request: the ledger and the log hold no prompt text. */
  reasons: string[];
  /**
   * Set when the tier Auto picked could not answer (every model failed before
   * its first token, or was resting) and the other tier answered instead:
   * `tier` is then the tier that was handed the request, and the first reason says why.
   */
  handedOverFrom?: Tier;
}

/** What the router tries, and why. */
export interface RoutePlan {
  models: ModelRef[];
  routing?: RoutingInfo;
  /** The reasons as shown to the user, which may quote the request; never recorded. */
  shownReasons?: string[];
}

export interface RouteChoice {
  /** Ask this model only (the chat panel's picker, --model). */
  model?: ModelRef;
  /** Use this tier without scoring (Retry with the strong model). */
  tier?: Tier;
}

export function isAutoRouted(task: Task): task is AutoRoutedTask {
  return (AUTO_ROUTED_TASKS as readonly string[]).includes(task);
}

/**
 * The cheap tier used when the user has not set one: the default list,
 * narrowed to the providers the route's strong list already uses. Auto never
 * sends a request to a provider the user did not put in the route: someone
 * whose chat route is a local server stays on that server (and gets no cheap
 * tier, unless they name one). `servesVendorModels` says whether a provider
 * still serves its vendor's models: `openai` pointed at Ollama or vLLM has no
 * gpt-5.4-mini, so the default would fail there on every cheap request.
 */
export function defaultCheapTier(task: AutoRoutedTask, strong: readonly ModelRef[], servesVendorModels: (provider: string) => boolean = () => true): ModelRef[] {
  const providers = new Set(strong.map((ref) => ref.provider));
  return DEFAULT_CHEAP_TIERS[task].map((text) => parseModelRef(text)!).filter((ref) => providers.has(ref.provider) && servesVendorModels(ref.provider));
}

/**
 * The cheap tier of a route: the user's list, or the defaults narrowed to the
 * route's own providers that serve their vendor's models: at the vendor's API,
 * or elsewhere (a proxy, a gateway, a test server) when the user's route
 * itself names one of the vendor's models there. `openai:llama3.1` on Ollama
 * does not, nor does the default route on a local server: it names OpenAI's
 * models because nobody routed the task to the server yet, which is no sign
 * the server serves them (Ollama alone asked `gpt-5.4-mini` on every cheap request).
 */
export function cheapTier(config: SwitchboardConfig, task: AutoRoutedTask): ModelRef[] {
  const own = config.auto.cheapRoutes[task];
  if (own.length > 0) return own;
  const strong = config.routes[task];
  const vendorModels = (provider: string) =>
    atVendorApi(config, provider) ||
    (!defaultRouteOnLocalServer(config, task, provider) && strong.some((ref) => ref.provider === provider && Object.hasOwn(SHIPPED_PRICES.models, `${provider}:${ref.model}`)));
  return defaultCheapTier(task, strong, vendorModels);
}

/**
 * Why the cheap tier holds none of a local server's provider's models, when the default route is why: said with
 * "no model of the cheap tier can be used", which alone left the user to guess (the other providers' cheap models
 * had no credentials).
 */
function localServerNote(config: SwitchboardConfig, task: AutoRoutedTask): string {
  if (config.auto.cheapRoutes[task].length > 0) return '';
  const providers = [...new Set(config.routes[task].map((ref) => ref.provider))].filter((provider) => defaultRouteOnLocalServer(config, task, provider));
  return providers.map((provider) => `; ${localServerOnDefaultRoute(provider, task, ', so none of them is its cheap tier')}`).join('');
}

/**
 * The sentence for a local server on the default route, said by localServerNote and noCheapTierReason alike:
 * what it may not serve, `consequence` (a clause, if any), then what to do.
 */
function localServerOnDefaultRoute(provider: string, task: AutoRoutedTask, consequence = ''): string {
  const vendor = provider === 'openai' ? 'OpenAI' : 'Anthropic';
  return `${provider} is a local server and routes.${task} is still the default, whose ${vendor} models it may not serve${consequence}; route ${task} to the server's own models`;
}

/** Whether `provider` is a server on this machine and the task's route is still the default one (see cheapTier). */
function defaultRouteOnLocalServer(config: SwitchboardConfig, task: AutoRoutedTask, provider: string): boolean {
  if (provider !== 'openai' && provider !== 'anthropic') return false;
  const route = config.routes[task].map(formatModelRef);
  const defaults = DEFAULT_ROUTES[task];
  return isLoopbackHost(hostOf(config.providers[provider].baseUrl)) && route.length === defaults.length && route.every((ref, index) => ref === defaults[index]);
}

/**
 * Why a route has no cheap tier, in words the user can act on: each of the
 * route's providers and why no built-in cheap model goes there. "no cheap
 * tier for this route" alone left a user with a local server wondering what
 * Auto had against it. Names no host (the ledger keeps reasons).
 */
export function noCheapTierReason(config: SwitchboardConfig, task: AutoRoutedTask): string {
  const providers = [...new Set(config.routes[task].map((ref) => ref.provider))];
  const why = providers.map((provider) => {
    if (provider === 'openai' || provider === 'anthropic') {
      const vendor = provider === 'openai' ? 'OpenAI' : 'Anthropic';
      if (defaultRouteOnLocalServer(config, task, provider)) return localServerOnDefaultRoute(provider, task);
      const where = isLoopbackHost(hostOf(config.providers[provider].baseUrl)) ? 'a local server' : `a server other than ${vendor}'s API`;
      return `${provider} is ${where}, where no ${vendor} cheap model is sent`;
    }
    const custom = config.providers.custom[provider];
    return custom && isLoopbackHost(hostOf(custom.baseUrl)) ? `${provider} is a local server with no built-in cheap model` : `${provider} has no built-in cheap model`;
  });
  return `no cheap tier: ${why.join('; ')} (name one in auto.cheapRoutes.${task})`;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname;
  } catch {
    return '';
  }
}

/**
 * The models a request tries, in order. Without Auto (or for inline
 * completions) that is the task's route; with Auto, the tier its score
 * picks. A tier none of whose providers can be used gives way to the other
 * tier, so Auto never turns an answerable request into an error.
 */
export function planRoute(
  config: SwitchboardConfig,
  task: Task,
  input: () => RoutingInput,
  choice: RouteChoice = {},
  usable: (ref: ModelRef) => boolean = () => true,
): RoutePlan {
  const auto = config.auto.enabled && isAutoRouted(task);
  if (choice.model) {
    return { models: [choice.model], ...(auto ? { routing: { mode: 'manual', reasons: ['model picked by you'] } } : {}) };
  }
  if (!isAutoRouted(task) || (!auto && !choice.tier)) return { models: config.routes[task] };
  const cheap = cheapTier(config, task);
  const tiers = { cheap, strong: config.routes[task], ...(cheap.length === 0 ? { noCheap: noCheapTierReason(config, task) } : {}) };
  if (choice.tier) {
    const reasons = [`asked again on the ${choice.tier} tier`];
    return { models: tiers[choice.tier], routing: { mode: 'retry', tier: choice.tier, reasons }, shownReasons: reasons };
  }
  const decision = loadScoring().chooseTier(input(), tiers, config.auto.strongShare);
  let { tier } = decision;
  let reasons = decision.recordableReasons;
  let shownReasons = decision.reasons;
  const other: Tier = tier === 'cheap' ? 'strong' : 'cheap';
  if (!tiers[tier].some(usable) && tiers[other].some(usable)) {
    const note = `no model of the ${tier} tier can be used${tier === 'cheap' ? localServerNote(config, task) : ''}`;
    tier = other;
    reasons = [note];
    shownReasons = [note];
  }
  return {
    models: tiers[tier],
    routing: { mode: 'auto', tier, score: Number(decision.score.toFixed(4)), reasons },
    shownReasons,
  };
}

/**
 * Why a tier gave up a request: every model failed before its first token,
 * every model was resting after failures, every model's provider is past
 * its own budget, or (for the strong tier) a budget past its limit whose
 * action is `downgrade`.
 */
export type TierFault = 'failed' | 'resting' | 'budget' | 'downgrade';

const FAULT_NOTES: Record<TierFault, string> = {
  failed: 'its models failed before answering',
  resting: 'its models are resting after failures',
  budget: "its providers' budgets are reached",
  downgrade: 'past the budget, whose action is to downgrade',
};

/**
 * The other tier of an Auto request whose picked tier could not answer, or
 * undefined when there is none to hand it to. Only Auto's own choice is
 * handed over: a tier the user asked for ("Retry with the strong model") or a
 * picked model fails as asked, and a request is handed over once. Budgets
 * are the router's to check, since only it knows what is in flight.
 */
export function handOverPlan(config: SwitchboardConfig, task: Task, routing: RoutingInfo | undefined, fault: TierFault): RoutePlan | undefined {
  if (routing?.mode !== 'auto' || !routing.tier || routing.handedOverFrom || !isAutoRouted(task)) return undefined;
  const to: Tier = routing.tier === 'cheap' ? 'strong' : 'cheap';
  const models = to === 'cheap' ? cheapTier(config, task) : config.routes[task];
  if (models.length === 0) return undefined;
  const note = `handed over from the ${routing.tier} tier: ${FAULT_NOTES[fault]}`;
  return { models, routing: { ...routing, tier: to, handedOverFrom: routing.tier, reasons: [note, ...routing.reasons] } };
}

/**
 * The reasons to show for an answer: the plan's (which may quote the
 * request), after the hand-over note when the router handed it to the other tier.
 */
export function shownReasonsOf(routing: RoutingInfo, plan: Pick<RoutePlan, 'shownReasons'> | undefined): string[] {
  const shown = plan?.shownReasons;
  if (!shown) return routing.reasons;
  return routing.handedOverFrom ? [routing.reasons[0]!, ...shown] : shown;
}

/** The routing input of a request as sent: its last message is the one being routed, the rest is the conversation. */
export function routingInputOf(task: Task, request: ModelRequest): RoutingInput {
  const last = request.messages.at(-1);
  return { task, prompt: last?.content ?? '', history: request.messages.slice(0, -1) };
}

/** "cheap tier: short request (8 words), no code attached": the one-line form for footers and logs. */
export function describeRouting(routing: RoutingInfo, reasons: readonly string[] = routing.reasons): string {
  if (routing.mode === 'manual' || !routing.tier) return 'model picked by you';
  return `${routing.tier} tier${reasons.length ? `: ${reasons.join(', ')}` : ''}`;
}
