import { DEFAULT_EXCLUDE, globProblem } from './exclude';
import { ledgerPathProblem } from './ledger/ledgerPath';
import { parseModelRef } from './modelRef';
import { TASKS, type GatewayName, type ModelRef, type ProviderKind, type Task } from './types';
import { normalKeyHost } from './keyHost';
import { isHttpUrl } from './urls';
import { quoted } from './words';

/**
 * Switchboard's settings, in one typed shape shared by the extension (from
 * `switchboard.*` settings) and the CLI (from `--config FILE`, the same keys
 * without the prefix). Validation never throws: a bad value is reported with
 * the key that holds it and replaced by its default, so the rest keeps working.
 */

export type MultilineMode = 'auto' | 'always' | 'never';

export interface CustomProviderConfig {
  /** Which wire protocol the endpoint speaks. */
  type: 'openai' | 'anthropic';
  baseUrl: string;
  /** Environment variable holding the key; none needed for local servers. */
  apiKeyEnv?: string;
  /** The endpoint's models do native fill-in-the-middle through /v1/completions. */
  fim?: boolean;
  /** The endpoint is a gateway whose own cost figures are read (recognised by host for openrouter.ai). */
  gateway?: GatewayName;
}

/**
 * Set when the provider's server setting (baseUrl, Bedrock's endpoint) is invalid: the provider is
 * left out until it is fixed rather than sent to its default host (see resolveConfig's `server`).
 */
export interface InvalidServer {
  /** The setting as the user wrote it, e.g. `switchboard.providers.openai.baseUrl`. */
  invalidSetting?: string;
}

export interface PriceOverride {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface SwitchboardConfig {
  routes: Record<Task, ModelRef[]>;
  providers: {
    /** sendKeyTo: hosts besides the provider's own that may get its key (core/keyHost.ts). */
    /** baseUrlFrom: set when the server came from the user's OPENAI_BASE_URL, not a setting (core/envBaseUrl.ts). */
    openai: { baseUrl: string; sendKeyTo: string[]; baseUrlFrom?: 'OPENAI_BASE_URL' } & InvalidServer;
    anthropic: { baseUrl: string; sendKeyTo: string[] } & InvalidServer;
    bedrock: { region: string; endpoint: string; profile: string } & InvalidServer;
    custom: Record<string, CustomProviderConfig>;
  };
  /** USD per million tokens, keyed by `provider:model` or bare model id. */
  prices: Record<string, PriceOverride>;
  ledger: { path: string };
  timeouts: { firstTokenMs: number; completionFirstTokenMs: number };
  budget: BudgetConfig;
  completion: {
    enabled: boolean;
    languages: Record<string, boolean>;
    debounceMs: number;
    prefixChars: number;
    suffixChars: number;
    contextChars: number;
    maxTokens: number;
    multiline: MultilineMode;
    speculate: boolean;
    adaptiveDebounce: boolean;
    nextLine: boolean;
    speculateNextLine: boolean;
    earlyFirstLine: boolean;
    preconnect: boolean;
  };
  chat: {
    maxTokens: number;
    /** Keep only a few chunk messages in flight to the panel, batching the rest while the webview catches up. */
    flowControl: boolean;
  };
  plan: { maxTokens: number };
  /** Globs of files whose text is never sent (`files.exclude` is added by the editor). */
  exclude: string[];
  /** Auto: each chat and plan request goes to the route's cheap or strong tier by a local score. */
  auto: {
    enabled: boolean;
    /** The dial: the share of requests (on the evaluation set) allowed on the strong tier. */
    strongShare: number;
    /**
     * The cheap tier of each route as the user set it; empty means the
     * built-in cheap models of the providers the route's strong list uses.
     * The strong tier is `routes[task]`.
     */
    cheapRoutes: Record<AutoRoutedTask, ModelRef[]>;
  };
}

/** The routes Auto decides for; inline completions always use their own cheap route. */
export type AutoRoutedTask = 'chat' | 'plan';
export const AUTO_ROUTED_TASKS: readonly AutoRoutedTask[] = ['chat', 'plan'];

/** What happens at a limit: a warning only, the cheapest model of each route only, or no requests. */
export type BudgetAction = 'warn' | 'downgrade' | 'block';
export const BUDGET_ACTIONS: readonly BudgetAction[] = ['warn', 'downgrade', 'block'];

export interface BudgetLimits {
  /** 0: no limit. */
  dailyUsd: number;
  monthlyUsd: number;
}

/**
 * A limit the user set to a value that is not one ("5" as text, -5): it
 * counts as reached until fixed. Falling back to the default (0, no limit)
 * would lift a cap the user meant to have, with only a warning to say so.
 */
export interface InvalidBudgetLimit {
  period: 'day' | 'month';
  /** Undefined: the limit is over every provider's spend. */
  provider?: string;
  /** The setting, without `switchboard.`: `budget.dailyUsd`, `budget.providers.openai.monthlyUsd`. */
  setting: string;
  /** What is wrong with it: "must be a number from 0 to 1000000 (USD)". */
  problem: string;
}

export interface BudgetConfig extends BudgetLimits {
  /** Limits for one provider's spend, by provider id. */
  providers: Record<string, Partial<BudgetLimits>>;
  /** Limits set to something that is not a limit: each counts as reached. */
  invalidLimits: InvalidBudgetLimit[];
  /** Share of a limit (0..1) at which the status bar warns. */
  warnAt: number;
  action: BudgetAction;
  /** Requests to a model with no known price, under a budget: counted at `unpricedEstimate`, or refused. */
  unpriced: 'estimate' | 'refuse';
  /** USD per million tokens counted for an unpriced model under a budget. */
  unpricedEstimate: { input: number; output: number };
}

export const BUILT_IN_PROVIDERS: readonly ProviderKind[] = ['openai', 'anthropic', 'bedrock'];

/**
 * Defaults: cheap, fast models for completion and strong ones for chat and
 * plan, one of each provider, all still served (none with a shutdown date
 * in the price table or announced: gpt-5/5-mini/5-nano end 2026-12-11,
 * GPT-4o/4.1 end 2027-01-14, so none of those are here).
 */
export const DEFAULT_ROUTES: Record<Task, readonly string[]> = {
  completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5', 'bedrock:us.amazon.nova-micro-v1:0'],
  chat: ['anthropic:claude-sonnet-5', 'openai:gpt-5.4', 'bedrock:us.anthropic.claude-sonnet-5'],
  plan: ['anthropic:claude-opus-5', 'openai:gpt-5.5', 'bedrock:us.anthropic.claude-sonnet-5'],
};

/** Every setting with its default, keyed as in package.json without `switchboard.`. */
export const SETTING_DEFAULTS = {
  'routes.completion': [...DEFAULT_ROUTES.completion],
  'routes.chat': [...DEFAULT_ROUTES.chat],
  'routes.plan': [...DEFAULT_ROUTES.plan],
  'providers.openai.baseUrl': '',
  'providers.anthropic.baseUrl': '',
  'providers.openai.sendKeyTo': [] as string[],
  'providers.anthropic.sendKeyTo': [] as string[],
  'providers.bedrock.region': '',
  'providers.bedrock.endpoint': '',
  'providers.bedrock.profile': '',
  'providers.custom': {},
  prices: {},
  'ledger.path': '',
  'timeouts.firstTokenMs': 20000,
  'timeouts.completionFirstTokenMs': 3000,
  'budget.dailyUsd': 0,
  'budget.monthlyUsd': 0,
  'budget.providers': {},
  'budget.warnAt': 0.8,
  'budget.action': 'block',
  'budget.unpriced': 'estimate',
  'budget.unpricedEstimate': { input: 3, output: 15 },
  'completion.enabled': true,
  'completion.languages': { '*': true, plaintext: false, markdown: false, scminput: false },
  'completion.debounceMs': 150,
  'completion.prefixChars': 6000,
  'completion.suffixChars': 2000,
  'completion.contextChars': 2000,
  'completion.maxTokens': 128,
  'completion.multiline': 'auto',
  'completion.speculate': true,
  'completion.adaptiveDebounce': true,
  'completion.nextLine': false,
  'completion.speculateNextLine': false,
  'completion.earlyFirstLine': false,
  'completion.preconnect': false,
  'chat.maxTokens': 4096,
  'chat.flowControl': true,
  'plan.maxTokens': 4096,
  exclude: [...DEFAULT_EXCLUDE],
  // Off until an evaluation on real cheap and strong answers shows equal quality for less (eval/router/README.md):
  // the committed set's labels are a rubric's, and on them the default dial keeps 95 % of the quality, not all of it.
  'auto.enabled': false,
  // The dial's default is computed by npm run train:router (model.json's dial.defaultShare);
  // a unit test holds this to it, so the scorer is not loaded just to read one number.
  'auto.strongShare': 0.5,
  'auto.cheapRoutes.chat': [] as string[],
  'auto.cheapRoutes.plan': [] as string[],
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];

export interface ConfigProblem {
  /** The key as the user wrote it, e.g. `switchboard.routes.chat[1]`. */
  key: string;
  message: string;
}

export interface ResolvedConfig {
  config: SwitchboardConfig;
  problems: ConfigProblem[];
}

/**
 * Reads a value for a dotted key from a nested object, the way VS Code merges
 * `switchboard.providers.openai.baseUrl` into `{providers: {openai: {baseUrl}}}`.
 * A literal dotted key at the top level is accepted too.
 */
function readKey(raw: Record<string, unknown>, key: string): unknown {
  if (key in raw) return raw[key];
  let node: unknown = raw;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const MODEL_REF_HINT = 'expected "provider:model", e.g. "anthropic:claude-haiku-4-5"';

/**
 * Validates raw settings. `keyPrefix` is what error messages put before each
 * key: `switchboard.` in the editor, `config.json: ` in the CLI.
 */
export function resolveConfig(raw: unknown, keyPrefix = 'switchboard.'): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  const source = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (raw !== undefined && raw !== null && source !== raw) {
    problems.push({ key: keyPrefix.replace(/[.:]\s*$/, '') || 'config', message: 'must be a JSON object' });
  }
  const problem = (key: string, message: string) => problems.push({ key: keyPrefix + key, message });

  function get<K extends SettingKey>(key: K, check: (v: unknown) => string | undefined): (typeof SETTING_DEFAULTS)[K] {
    const raw = readKey(source, key);
    // A space pasted around a value is never meant: " http://host/v1 " would reach the SDK as a path ending "/v1%20".
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === undefined || value === null) return SETTING_DEFAULTS[key];
    const error = check(value);
    if (error) {
      problem(key, `${error}; using the default`);
      return SETTING_DEFAULTS[key];
    }
    return value as (typeof SETTING_DEFAULTS)[K];
  }
  const isString = (v: unknown) => (typeof v === 'string' ? undefined : 'must be a string');
  const isBoolean = (v: unknown) => (typeof v === 'boolean' ? undefined : 'must be true or false');
  const isObject = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? undefined : 'must be an object';
  const number = (min: number, max: number) => (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? undefined
      : `must be a number from ${min} to ${max}`;
  /**
   * A share from 0 to 1 (the Auto dial, the budget warning): 50 or "50%" is a
   * percentage the user meant, so the message says how to write it.
   */
  const share = (v: unknown) => {
    if (number(0, 1)(v) === undefined) return undefined;
    const percent = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?\s*%$/.test(v) ? Number.parseFloat(v) : Number.NaN;
    if (percent > 1 && percent <= 100) return `must be a share from 0 to 1, not a percentage (${Number((percent / 100).toFixed(4))} for ${percent} %)`;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1) return `must be a number, not text (${Number(v)}, without quotes)`;
    return 'must be a number from 0 to 1';
  };
  const invalidLimits: InvalidBudgetLimit[] = [];
  /** A budget limit: an invalid value counts as reached (see InvalidBudgetLimit), never as no limit. */
  const limit = (key: 'budget.dailyUsd' | 'budget.monthlyUsd', period: 'day' | 'month', max: number): number => {
    const value = readKey(source, key);
    if (value === undefined || value === null) return 0;
    const error = number(0, max)(value);
    if (!error) return value as number;
    const what = `${quoted(value)} ${error} (USD; 0 for no limit)`;
    problem(key, `${what}; ${INVALID_LIMIT_MEANWHILE}`);
    invalidLimits.push({ period, setting: key, problem: what });
    return 0;
  };
  const isUrl = (v: unknown) => {
    if (typeof v !== 'string') return 'must be a string';
    return v === '' || isHttpUrl(v) ? undefined : `${quoted(v)} is not an http(s) URL`;
  };

  /**
   * A provider's server. An invalid one is not replaced by the default, which is the provider's
   * cloud host: who typed "localhost:11434/v1" (no scheme) meant their code to stay on their machine,
   * and a key in the environment would otherwise send it to the cloud. The provider is left out instead.
   */
  const server = (key: SettingKey, provider: string): { url: string } & InvalidServer => {
    const raw = readKey(source, key);
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === undefined || value === null) return { url: '' };
    const error = isUrl(value);
    if (!error) return { url: value as string };
    problem(key, `${error}; no ${provider} requests are made until it is fixed`);
    return { url: '', invalidSetting: keyPrefix + key };
  };
  const openaiServer = server('providers.openai.baseUrl', 'openai');
  const anthropicServer = server('providers.anthropic.baseUrl', 'anthropic');
  const bedrockServer = server('providers.bedrock.endpoint', 'bedrock');
  /** Hosts allowed a key: an entry that is not a bare host name is skipped (named), never widened to a match. */
  const keyHosts = (key: SettingKey): string[] => {
    const value = readKey(source, key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      problem(key, 'must be a list of host names such as "openrouter.ai"; ignored');
      return [];
    }
    const hosts: string[] = [];
    value.forEach((item, index) => {
      const host = typeof item === 'string' ? normalKeyHost(item) : undefined;
      if (host) hosts.push(host);
      else problem(`${key}[${index}]`, `${quoted(item)} is not a host name (no scheme, port or path, e.g. "openrouter.ai"); skipped`);
    });
    return hosts;
  };
  const invalid = (s: InvalidServer): InvalidServer => (s.invalidSetting ? { invalidSetting: s.invalidSetting } : {});

  const custom = readCustomProviders(readKey(source, 'providers.custom'), keyPrefix + 'providers.custom', problems);
  const knownProviders = new Set<string>([...BUILT_IN_PROVIDERS, ...Object.keys(custom)]);

  /**
   * A list of model references. A broken list stays empty rather than taking
   * the defaults: those are cloud models, and this user may have meant to send
   * their code only to a local server. `meanwhile` says what happens until it
   * is fixed; the problem names the setting.
   */
  const modelList = (key: SettingKey, defaults: readonly string[], meanwhile: (fix: string) => string): ModelRef[] => {
    const value = readKey(source, key);
    if (value === undefined || value === null) return defaults.map((text) => parseModelRef(text)!);
    if (!Array.isArray(value)) {
      problem(key, `must be a list of model references; ${meanwhile('it is one')}`);
      return [];
    }
    const refs: ModelRef[] = [];
    const seen = new Map<string, number>();
    value.forEach((item, index) => {
      const ref = typeof item === 'string' ? parseModelRef(item) : undefined;
      const first = ref && seen.get(`${ref.provider}:${ref.model}`);
      if (ref && first !== undefined) {
        // Listed twice, a model that failed would be asked again at once: a second bill, and a second wait.
        problem(`${key}[${index}]`, `${quoted(item)} repeats ${key}[${first}]; skipped`);
      } else if (!ref) {
        problem(`${key}[${index}]`, `${quoted(item)} is not a model reference (${MODEL_REF_HINT}); skipped`);
      } else if (!knownProviders.has(ref.provider)) {
        problem(
          `${key}[${index}]`,
          `unknown provider ${quoted(ref.provider)} in ${quoted(item)} (known: ${[...knownProviders].join(', ')})${unknownProviderHint(ref, knownProviders)}; skipped`,
        );
      } else {
        seen.set(`${ref.provider}:${ref.model}`, index);
        refs.push(ref);
      }
    });
    if (refs.length === 0 && value.length > 0) problem(key, `has no valid model reference; ${meanwhile('it lists one')}`);
    return refs;
  };

  const routes = {} as Record<Task, ModelRef[]>;
  for (const task of TASKS) routes[task] = modelList(`routes.${task}`, DEFAULT_ROUTES[task], (fix) => `no ${task} requests are made until ${fix}`);

  const prices = readPrices(readKey(source, 'prices'), keyPrefix + 'prices', problems);
  const exclude = readExclude(readKey(source, 'exclude'), keyPrefix + 'exclude', problems);

  const multiline = get('completion.multiline', (v) =>
    v === 'auto' || v === 'always' || v === 'never' ? undefined : 'must be "auto", "always" or "never"',
  );
  const languages = get('completion.languages', (v) => {
    const error = isObject(v);
    if (error) return error;
    for (const [language, enabled] of Object.entries(v as object)) {
      if (typeof enabled !== 'boolean') return `${quoted(language)} must be true or false`;
    }
    return undefined;
  }) as Record<string, boolean>;

  const config: SwitchboardConfig = {
    routes,
    providers: {
      openai: { baseUrl: openaiServer.url, sendKeyTo: keyHosts('providers.openai.sendKeyTo'), ...invalid(openaiServer) },
      anthropic: { baseUrl: anthropicServer.url, sendKeyTo: keyHosts('providers.anthropic.sendKeyTo'), ...invalid(anthropicServer) },
      bedrock: {
        region: get('providers.bedrock.region', isString),
        endpoint: bedrockServer.url,
        profile: get('providers.bedrock.profile', isString),
        ...invalid(bedrockServer),
      },
      custom,
    },
    prices,
    ledger: { path: get('ledger.path', (v) => isString(v) ?? (v === '' ? undefined : ledgerPathProblem(v as string))) },
    timeouts: {
      firstTokenMs: get('timeouts.firstTokenMs', number(100, 600_000)),
      completionFirstTokenMs: get('timeouts.completionFirstTokenMs', number(100, 60_000)),
    },
    budget: {
      dailyUsd: limit('budget.dailyUsd', 'day', 1_000_000),
      monthlyUsd: limit('budget.monthlyUsd', 'month', 10_000_000),
      providers: readProviderBudgets(readKey(source, 'budget.providers'), keyPrefix, problems, knownProviders, invalidLimits),
      invalidLimits,
      warnAt: get('budget.warnAt', share),
      action: get('budget.action', (v) => (BUDGET_ACTIONS.includes(v as BudgetAction) ? undefined : 'must be "warn", "downgrade" or "block"')) as BudgetAction,
      unpriced: get('budget.unpriced', (v) => (v === 'estimate' || v === 'refuse' ? undefined : 'must be "estimate" or "refuse"')) as 'estimate' | 'refuse',
      unpricedEstimate: { ...get('budget.unpricedEstimate', (v) => {
        const error = isObject(v);
        if (error) return error;
        for (const field of ['input', 'output'] as const) {
          const rate = (v as Record<string, unknown>)[field];
          if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) return `"${field}" must be a number >= 0 (USD per million tokens)`;
        }
        return undefined;
      }) },
    },
    completion: {
      enabled: get('completion.enabled', isBoolean),
      // The user's entries go over the defaults, not instead of them: VS Code gives an object setting's value
      // whole, so {"python": false} alone would turn ghost text on in plain text, Markdown and the commit box.
      languages: { ...SETTING_DEFAULTS['completion.languages'], ...languages },
      debounceMs: get('completion.debounceMs', number(0, 5000)),
      prefixChars: get('completion.prefixChars', number(100, 200_000)),
      suffixChars: get('completion.suffixChars', number(0, 100_000)),
      contextChars: get('completion.contextChars', number(0, 100_000)),
      maxTokens: get('completion.maxTokens', number(1, 4096)),
      multiline,
      speculate: get('completion.speculate', isBoolean),
      adaptiveDebounce: get('completion.adaptiveDebounce', isBoolean),
      nextLine: get('completion.nextLine', isBoolean),
      speculateNextLine: get('completion.speculateNextLine', isBoolean),
      earlyFirstLine: get('completion.earlyFirstLine', isBoolean),
      preconnect: get('completion.preconnect', isBoolean),
    },
    chat: { maxTokens: get('chat.maxTokens', number(1, 200_000)), flowControl: get('chat.flowControl', isBoolean) },
    plan: { maxTokens: get('plan.maxTokens', number(1, 200_000)) },
    exclude,
    auto: {
      enabled: get('auto.enabled', isBoolean),
      strongShare: get('auto.strongShare', share),
      cheapRoutes: {
        chat: modelList('auto.cheapRoutes.chat', [], (fix) => `the built-in cheap tier of the chat route's providers is used until ${fix}`),
        plan: modelList('auto.cheapRoutes.plan', [], (fix) => `the built-in cheap tier of the plan route's providers is used until ${fix}`),
      },
    },
  };
  return { config, problems };
}

/**
 * The entries of a setting that maps names to objects (`shape` says which);
 * none, with a problem saying so, when it is not such a map. Unset is no problem.
 */
function mapEntries(value: unknown, key: string, problems: ConfigProblem[], shape: string): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ key, message: `must be an object of ${shape}; ignored` });
    return [];
  }
  return Object.entries(value);
}

function readCustomProviders(
  value: unknown,
  key: string,
  problems: ConfigProblem[],
): Record<string, CustomProviderConfig> {
  const result: Record<string, CustomProviderConfig> = {};
  for (const [id, entry] of mapEntries(value, key, problems, 'provider id to {type, baseUrl}')) {
    const at = `${key}.${id.length > 60 ? quoted(id) : id}`;
    if ((BUILT_IN_PROVIDERS as readonly string[]).includes(id)) {
      problems.push({ key: at, message: `"${id}" is a built-in provider; pick another id; ignored` });
      continue;
    }
    if (!/^[A-Za-z0-9_-]+$/.test(id)) {
      problems.push({ key: at, message: 'provider ids may hold only letters, digits, - and _; ignored' });
      continue;
    }
    const e = entry as Partial<CustomProviderConfig> | null;
    if (!e || typeof e !== 'object') {
      problems.push({ key: at, message: 'must be an object {type, baseUrl}; ignored' });
      continue;
    }
    if (e.type !== 'openai' && e.type !== 'anthropic') {
      problems.push({ key: `${at}.type`, message: 'must be "openai" or "anthropic"; provider ignored' });
      continue;
    }
    const baseUrl = typeof e.baseUrl === 'string' ? e.baseUrl.trim() : e.baseUrl;
    if (!isHttpUrl(baseUrl)) {
      problems.push({ key: `${at}.baseUrl`, message: 'must be an http(s) URL; provider ignored' });
      continue;
    }
    if (e.apiKeyEnv !== undefined && typeof e.apiKeyEnv !== 'string') {
      problems.push({ key: `${at}.apiKeyEnv`, message: 'must be the name of an environment variable; ignored' });
    }
    const gateway = e.gateway === 'openrouter' || e.gateway === 'litellm' ? e.gateway : undefined;
    if (e.gateway !== undefined && !gateway) {
      problems.push({ key: `${at}.gateway`, message: 'must be "openrouter" or "litellm"; ignored' });
    }
    result[id] = {
      type: e.type,
      baseUrl: baseUrl as string,
      ...(typeof e.apiKeyEnv === 'string' && e.apiKeyEnv.trim() ? { apiKeyEnv: e.apiKeyEnv.trim() } : {}),
      ...(e.fim === true ? { fim: true } : {}),
      ...(gateway ? { gateway } : {}),
    };
  }
  return result;
}

/** What an invalid budget limit does until it is fixed, as its warning says. */
const INVALID_LIMIT_MEANWHILE = 'it counts as reached until it is fixed (a limit you meant to set is never dropped)';

function readProviderBudgets(
  value: unknown,
  keyPrefix: string,
  problems: ConfigProblem[],
  knownProviders: ReadonlySet<string>,
  invalidLimits: InvalidBudgetLimit[],
): Record<string, Partial<BudgetLimits>> {
  const setting = 'budget.providers';
  const key = keyPrefix + setting;
  const result: Record<string, Partial<BudgetLimits>> = {};
  if (value === undefined || value === null) return result;
  if (typeof value !== 'object' || Array.isArray(value)) {
    const problem = 'must be an object of provider id to {dailyUsd, monthlyUsd}';
    problems.push({ key, message: `${problem}; ${INVALID_LIMIT_MEANWHILE}` });
    // Which provider it meant to cap cannot be told: every provider's requests count it.
    invalidLimits.push({ period: 'day', setting, problem });
    return result;
  }
  for (const [provider, entry] of Object.entries(value as Record<string, unknown>)) {
    const name = provider.length > 60 ? quoted(provider) : provider;
    const at = `${key}.${name}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ key: at, message: `must be an object {dailyUsd, monthlyUsd}; ${INVALID_LIMIT_MEANWHILE}` });
      invalidLimits.push({ period: 'day', provider, setting: `${setting}.${name}`, problem: 'must be an object {dailyUsd, monthlyUsd}' });
      continue;
    }
    // A misspelt id ("opneai") would cap nothing while looking like a limit.
    if (!knownProviders.has(provider)) {
      problems.push({ key: at, message: `${quoted(provider)} is not a provider (known: ${[...knownProviders].join(', ')}); this limit applies to no request` });
    }
    const limits: Partial<BudgetLimits> = {};
    for (const [field, limit] of Object.entries(entry as Record<string, unknown>)) {
      if (field !== 'dailyUsd' && field !== 'monthlyUsd') {
        problems.push({ key: `${at}.${field}`, message: 'is not a budget field (dailyUsd, monthlyUsd); ignored' });
      } else if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
        const problem = `${quoted(limit)} must be a number >= 0 (USD; 0 for no limit)`;
        problems.push({ key: `${at}.${field}`, message: `${problem}; ${INVALID_LIMIT_MEANWHILE}` });
        invalidLimits.push({ period: field === 'dailyUsd' ? 'day' : 'month', provider, setting: `${setting}.${name}.${field}`, problem });
      } else {
        limits[field] = limit;
      }
    }
    result[provider] = limits;
  }
  return result;
}

function readPrices(value: unknown, key: string, problems: ConfigProblem[]): Record<string, PriceOverride> {
  const result: Record<string, PriceOverride> = {};
  for (const [model, entry] of mapEntries(value, key, problems, 'model to {input, output, cacheRead, cacheWrite}')) {
    const at = `${key}[${quoted(model)}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ key: at, message: 'must be an object {input, output, cacheRead, cacheWrite} in USD per million tokens; ignored' });
      continue;
    }
    const override: PriceOverride = {};
    let ok = true;
    for (const field of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
      const v = (entry as Record<string, unknown>)[field];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        problems.push({ key: `${at}.${field}`, message: 'must be a number >= 0 (USD per million tokens); entry ignored' });
        ok = false;
        break;
      }
      override[field] = v;
    }
    if (ok) result[model] = override;
  }
  return result;
}

/** A bad entry is skipped, not the list: the rest of the user's patterns keep protecting their files. */
function readExclude(value: unknown, key: string, problems: ConfigProblem[]): string[] {
  if (value === undefined || value === null) return [...DEFAULT_EXCLUDE];
  if (!Array.isArray(value)) {
    problems.push({ key, message: 'must be a list of glob patterns; using the default' });
    return [...DEFAULT_EXCLUDE];
  }
  const patterns: string[] = [];
  value.forEach((item, index) => {
    // " **/.env" with its pasted space would match no file while looking like protection.
    const pattern = typeof item === 'string' ? item.trim() : item;
    const problem = typeof pattern === 'string' ? globProblem(pattern) : 'must be a string';
    if (problem) problems.push({ key: `${key}[${index}]`, message: `${quoted(item)} ${problem}; skipped` });
    else patterns.push(pattern as string);
  });
  return patterns;
}

/** The user-facing text of a problem, one line. */
export function describeProblem(p: ConfigProblem): string {
  return `${p.key}: ${p.message}`;
}

/** Local servers' names, which a new user writes as the provider of a route ("ollama:llama3.1"). */
const LOCAL_SERVER_NAMES = new Set(['ollama', 'lmstudio', 'lm-studio', 'vllm', 'llamacpp', 'llama.cpp', 'llama-cpp', 'local']);

/**
 * What the user probably meant by a route's unknown provider: a misspelt known one (one or two letters off,
 * "opnai"), or a local server, which is reached through the openai provider pointed at it.
 */
export function unknownProviderHint(ref: ModelRef, known: ReadonlySet<string>): string {
  const name = ref.provider.toLowerCase();
  const near = [...known].find((id) => editDistance(name, id) <= 2);
  if (near) return `; did you mean "${near}:${ref.model}"?`;
  if (LOCAL_SERVER_NAMES.has(name)) {
    return `; a local server is reached as "openai:${ref.model}" with providers.openai.baseUrl set to its address (e.g. http://localhost:11434/v1), or as a provider of its own in providers.custom`;
  }
  return '';
}

/** Levenshtein distance, for names of a dozen letters at most. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
