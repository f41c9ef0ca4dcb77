import { AUTO_ROUTED_TASKS, type MultilineMode, type SettingKey, type SwitchboardConfig } from './config';
import { languageOn } from './completion/languages';
import { isLoopbackUrl } from './keyHost';
import { formatModelRef } from './modelRef';
import type { ModelPrice, PriceTable } from './prices/priceTable';
import { cheapTier } from './routing/autoRoute';
import { TASKS, type ModelRef } from './types';

/**
 * A trusted workspace may choose models and tune completions, but only in the
 * direction that cannot raise spend compared with what the user would have
 * without it (their own User/remote value, else the default). Trust is often
 * granted just to get language features; it must not be what puts the
 * dearest model on every keystroke.
 *
 * Pure: the editor feeds it two resolved configurations, the user's own and
 * the one with the workspace's values, and the keys the workspace set.
 */

/** A workspace value not taken as given: the setting and what was kept instead. */
export interface WorkspaceLimit {
  key: SettingKey;
  /** e.g. `anthropic:claude-opus-5 costs more than your own route's models; left out`. */
  detail: string;
}

export interface LimitedConfig {
  config: SwitchboardConfig;
  limits: WorkspaceLimit[];
}

/**
 * `withWorkspace` with each workspace value that could raise spend over
 * `own` left out or clamped. `fromWorkspace` lists the keys whose value came
 * from the workspace; the others are left as they are.
 */
export function limitWorkspaceSpend(
  own: SwitchboardConfig,
  withWorkspace: SwitchboardConfig,
  fromWorkspace: ReadonlySet<SettingKey>,
  prices: PriceTable,
): LimitedConfig {
  const limits: WorkspaceLimit[] = [];
  const config: SwitchboardConfig = {
    ...withWorkspace,
    routes: { ...withWorkspace.routes },
    completion: { ...withWorkspace.completion },
    timeouts: { ...withWorkspace.timeouts },
    auto: { ...withWorkspace.auto, cheapRoutes: { ...withWorkspace.auto.cheapRoutes } },
  };

  const local = (provider: string) => servedOnThisMachine(own, provider);
  for (const task of TASKS) {
    const key = `routes.${task}` as const;
    if (!fromWorkspace.has(key)) continue;
    const { kept, leftOut } = withinCeiling(config.routes[task], own.routes[task], prices, local);
    for (const ref of leftOut) limits.push({ key, detail: leftOutBecause(ref, prices, 'your own route', local) });
    if (leftOut.length > 0 && kept.length === 0) {
      config.routes[task] = [...own.routes[task]];
      limits.push({ key, detail: 'none of its models is within your own route\'s prices; your route is used' });
    } else {
      config.routes[task] = kept;
    }
  }

  for (const task of AUTO_ROUTED_TASKS) {
    const key = `auto.cheapRoutes.${task}` as const;
    if (!fromWorkspace.has(key) && !fromWorkspace.has(`routes.${task}`)) continue;
    // Without a cheap tier of their own (a local route, say), Auto sends the user's cheap requests to the route itself.
    const ownCheap = cheapTier(own, task);
    const ceiling = ownCheap.length > 0 ? ownCheap : own.routes[task];
    // An empty workspace list means the built-in cheap tier of the (workspace's) route's providers: checked the same way.
    const tier = cheapTier(config, task);
    const { kept, leftOut } = withinCeiling(tier, ceiling, prices, local);
    if (leftOut.length === 0) continue;
    const builtIn = config.auto.cheapRoutes[task].length === 0 ? ' (the built-in cheap tier of this workspace\'s route)' : '';
    for (const ref of leftOut) limits.push({ key, detail: leftOutBecause(ref, prices, 'your own cheap tier', local, builtIn) });
    // Kept explicitly: an empty list would bring back the built-in tier just left out.
    if (kept.length > 0) {
      config.auto.cheapRoutes[task] = kept;
    } else if (ownCheap.length > 0) {
      config.auto.cheapRoutes[task] = [...ownCheap];
      limits.push({ key, detail: 'none of its models is within your own cheap tier\'s prices; your cheap tier is used' });
    } else {
      // The route itself, already held to the user's: what Auto would send there without a cheap tier.
      config.auto.cheapRoutes[task] = [...config.routes[task]];
      limits.push({ key, detail: 'none of its models is within your own route\'s prices; the route is used' });
    }
  }

  limitCompletion(own.completion, config.completion, fromWorkspace, limits);
  limitTimeouts(own.timeouts, config.timeouts, fromWorkspace, limits);
  return { config, limits };
}

/**
 * A time-out shorter than the user's gives up on a model that would have answered: the prompt it began on is
 * billed all the same (a reasoning model starts its answer long before its first text), the route's next model
 * is asked and billed too, and a stream cut after its first text leaves a partial answer paid for and asked again.
 * A longer one only waits. So any workspace's value counts only at least as long as the user's own.
 */
function limitTimeouts(own: SwitchboardConfig['timeouts'], timeouts: SwitchboardConfig['timeouts'], fromWorkspace: ReadonlySet<SettingKey>, limits: WorkspaceLimit[]): void {
  for (const field of ['firstTokenMs', 'completionFirstTokenMs'] as const) {
    const key = `timeouts.${field}` as const;
    if (fromWorkspace.has(key) && timeouts[field] < own[field]) {
      limits.push({ key, detail: `${timeouts[field]} is less than your ${own[field]}; ${own[field]} kept` });
      timeouts[field] = own[field];
    }
  }
}

type Completion = SwitchboardConfig['completion'];

function limitCompletion(own: Completion, completion: Completion, fromWorkspace: ReadonlySet<SettingKey>, limits: WorkspaceLimit[]): void {
  const set = (key: SettingKey) => fromWorkspace.has(key);

  // Fewer characters sent is cheaper: at most the user's.
  for (const field of ['prefixChars', 'suffixChars', 'contextChars'] as const) {
    const key = `completion.${field}` as const;
    if (set(key) && completion[field] > own[field]) {
      limits.push({ key, detail: `${completion[field]} is more than your ${own[field]}; ${own[field]} kept` });
      completion[field] = own[field];
    }
  }
  // A longer pause lets more keystrokes cancel a request before it is made: at least the user's.
  if (set('completion.debounceMs') && completion.debounceMs < own.debounceMs) {
    limits.push({ key: 'completion.debounceMs', detail: `${completion.debounceMs} is less than your ${own.debounceMs}; ${own.debounceMs} kept` });
    completion.debounceMs = own.debounceMs;
  }

  // Switches that add requests or tokens when on: a workspace may turn them off, never on.
  for (const field of ['enabled', 'speculate', 'nextLine', 'speculateNextLine'] as const) {
    const key = `completion.${field}` as const;
    if (set(key) && completion[field] && !own[field]) {
      limits.push({ key, detail: 'turns on what you have off; left off' });
      completion[field] = false;
    }
  }

  // Off speculates where on would leave a speculation out: a workspace may turn it on, never off.
  if (set('completion.speculationBackoff') && !completion.speculationBackoff && own.speculationBackoff) {
    limits.push({ key: 'completion.speculationBackoff', detail: 'turns off what you have on; left on' });
    completion.speculationBackoff = true;
  }

  // Either way can add requests: on waits nothing where a pause is likely, off waits only debounceMs mid-word
  // where on would wait up to twice as long. So only the user's own value counts.
  if (set('completion.adaptiveDebounce') && completion.adaptiveDebounce !== own.adaptiveDebounce) {
    limits.push({ key: 'completion.adaptiveDebounce', detail: `only your own value counts (either way can add requests); ${String(own.adaptiveDebounce)} kept` });
    completion.adaptiveDebounce = own.adaptiveDebounce;
  }

  // `never` asks for one line (and makes no request at a statement's end), `auto` sometimes for more, `always` always.
  if (set('completion.multiline') && MULTILINE_SPEND[completion.multiline] > MULTILINE_SPEND[own.multiline]) {
    limits.push({ key: 'completion.multiline', detail: `"${completion.multiline}" asks for more than your "${own.multiline}"; "${own.multiline}" kept` });
    completion.multiline = own.multiline;
  }

  if (set('completion.languages')) {
    const { languages, turnedOn } = languagesBoth(own.languages, completion.languages);
    if (turnedOn.length > 0) {
      limits.push({ key: 'completion.languages', detail: `turns on ${turnedOn.map((id) => (id === '*' ? 'every language' : `"${id}"`)).join(', ')}, off in yours; left off` });
    }
    completion.languages = languages;
  }
  // earlyFirstLine (the same request, its first line shown sooner) and preconnect (an unbilled model listing on the
  // user's own endpoint) add no spend: taken as given.
}

const MULTILINE_SPEND: Readonly<Record<MultilineMode, number>> = { never: 0, auto: 1, always: 2 };

/**
 * On only where both maps have it on (as the completion provider decides it, languageOn); and the languages the
 * workspace's map would have turned on. Built from entries, not by assignment: `map["__proto__"] = false` would set
 * the map's prototype and lose the entry, leaving that language to `*`.
 */
function languagesBoth(own: Readonly<Record<string, boolean>>, workspace: Readonly<Record<string, boolean>>): { languages: Record<string, boolean>; turnedOn: string[] } {
  const entries: [string, boolean][] = [];
  const turnedOn: string[] = [];
  for (const id of new Set(['*', ...Object.keys(own), ...Object.keys(workspace)])) {
    entries.push([id, languageOn(own, id) && languageOn(workspace, id)]);
    if (languageOn(workspace, id) && !languageOn(own, id)) turnedOn.push(id);
  }
  return { languages: Object.fromEntries(entries), turnedOn };
}

/**
 * The entries of `refs` priced within `ceiling`'s dearest model. An entry is
 * kept when each of its per-token rates (input, output, and the long-prompt
 * tier's where a model has one) is at most the highest of that rate among the
 * ceiling's priced models. An unpriced entry is kept only when the ceiling
 * itself holds an unpriced model of the same provider and that provider's
 * server is on this machine (`local`): a user on a local server may name its
 * other models, which bill nothing. Elsewhere an unknown cost is never taken as
 * cheap: a gateway (OpenRouter as a custom provider, say) prices none of its
 * models in the table, and one unpriced cheap model of the user's would let a
 * workspace name the gateway's dearest; so would a new model at a vendor's API.
 */
export function withinCeiling(
  refs: readonly ModelRef[],
  ceiling: readonly ModelRef[],
  prices: PriceTable,
  local: (provider: string) => boolean = () => false,
): { kept: ModelRef[]; leftOut: ModelRef[] } {
  const max = { input: -1, output: -1, inputLong: -1, outputLong: -1 };
  const unpricedProviders = new Set<string>();
  for (const ref of ceiling) {
    const price = prices.lookup(ref.provider, ref.model);
    if (!price) {
      unpricedProviders.add(ref.provider);
      continue;
    }
    const rates = ratesOf(price);
    for (const field of RATE_FIELDS) max[field] = Math.max(max[field], rates[field]);
  }
  const kept: ModelRef[] = [];
  const leftOut: ModelRef[] = [];
  for (const ref of refs) {
    const price = prices.lookup(ref.provider, ref.model);
    const within = price ? RATE_FIELDS.every((field) => ratesOf(price)[field] <= max[field]) : unpricedProviders.has(ref.provider) && local(ref.provider);
    (within ? kept : leftOut).push(ref);
  }
  return { kept, leftOut };
}

const RATE_FIELDS = ['input', 'output', 'inputLong', 'outputLong'] as const;

function ratesOf(price: ModelPrice): Record<(typeof RATE_FIELDS)[number], number> {
  return { input: price.input, output: price.output, inputLong: price.inputAbove200k ?? price.input, outputLong: price.outputAbove200k ?? price.output };
}

/** Why an entry was left out, e.g. `anthropic:claude-opus-5 costs more than your own route's models; left out`. */
function leftOutBecause(ref: ModelRef, prices: PriceTable, yours: string, local: (provider: string) => boolean, note = ''): string {
  const name = `${formatModelRef(ref)}${note}`;
  if (prices.lookup(ref.provider, ref.model)) return `${name} costs more than ${yours}'s models; left out`;
  return local(ref.provider)
    ? `${name} has no known price and ${yours} has no unpriced ${ref.provider} model; left out`
    : `${name} has no known price and ${ref.provider} is not a server on this machine (a price in switchboard.prices lets it in); left out`;
}

/**
 * Whether `provider`'s requests go to a server on this machine (a loopback `baseUrl`), whose models bill nothing.
 * Bedrock, a vendor's own API and any server across a network are not: their models' prices are what the table says.
 */
function servedOnThisMachine(config: SwitchboardConfig, provider: string): boolean {
  const builtIn = provider === 'openai' || provider === 'anthropic' ? config.providers[provider].baseUrl : undefined;
  return isLoopbackUrl(builtIn ?? config.providers.custom[provider]?.baseUrl);
}
