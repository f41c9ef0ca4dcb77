import { isBoolean, isNonNegativeNumber, isObject, isString, isUrl, number, numberNamingValue, share } from './config/checks';
import { BUILT_IN_PROVIDERS, DEFAULT_ROUTES, SETTING_DEFAULTS, type SettingKey } from './config/defaults';
import { unknownProviderHint } from './config/providerHint';
import { INVALID_LIMIT_MEANWHILE, readCustomProviders, readExclude, readFreeOnLocalServer, readKey, readPrices, readProviderBudgets, readProviderTimeouts } from './config/settingReaders';
import { BUDGET_ACTIONS, type BudgetAction, type ConfigProblem, type InvalidBudgetLimit, type InvalidServer, type ProviderTimeouts, type ResolvedConfig, type SwitchboardConfig } from './config/shape';
import { ledgerPathProblem } from './ledger/ledgerPath';
import { parseModelRef } from './modelRef';
import { TASKS, type ModelRef, type Task } from './types';
import { normalKeyHost } from './keyHost';
import { openAiServerUrlProblem, requestPathProblem } from './requestPathUrl';
import { quoted } from './words';

export { AUTO_ROUTED_TASKS, BUDGET_ACTIONS } from './config/shape';
export type {
  AutoRoutedTask,
  BudgetAction,
  BudgetConfig,
  BudgetLimits,
  ConfigProblem,
  CustomProviderConfig,
  InvalidBudgetLimit,
  InvalidServer,
  MultilineMode,
  PriceOverride,
  ProviderTimeouts,
  ResolvedConfig,
  SwitchboardConfig,
} from './config/shape';
export { BUILT_IN_PROVIDERS, DEFAULT_ROUTES, SETTING_DEFAULTS, SETTING_KEYS, type SettingKey } from './config/defaults';

/**
 * Switchboard's settings, in one typed shape shared by the extension (from
 * `switchboard.*` settings) and the CLI (from `--config FILE`, the same keys
 * without the prefix). Validation never throws: a bad value is reported with
 * the key that holds it and replaced by its default, so the rest keeps working.
 *
 * This file reads and validates; the parts live in src/core/config/: shape (the
 * typed result), defaults (every setting's default), checks (one value's
 * check), settingReaders (the settings with a structure of their own: custom
 * providers, per-provider budgets, prices, exclude), providerHint (what a route's
 * unknown provider probably meant).
 */

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
  /** Frame pacing times its messages by the panel's acknowledgements, which only flow control asks for. */
  function chatSettings(): SwitchboardConfig['chat'] {
    const flowControl = get('chat.flowControl', isBoolean);
    const framePacing = get('chat.framePacing', isBoolean);
    if (framePacing && !flowControl) {
      // `switchboard.chat.flowControl` in the editor; in the CLI's config.json, the key as written there.
      const flowControlKey = keyPrefix.endsWith('.') ? `${keyPrefix}chat.flowControl` : 'chat.flowControl';
      problem('chat.framePacing', `is ignored while ${flowControlKey} is off (pacing is timed by the panel's acknowledgements, which only flow control asks for); turn flow control on, or pacing off`);
    }
    return { maxTokens: get('chat.maxTokens', numberNamingValue(1, 200_000)), flowControl, framePacing: framePacing && flowControl, directStream: get('chat.directStream', isBoolean) };
  }
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
    // Azure's deployment URL is OpenAI's API at a path the SDK cannot use; a request's path on the end (either dialect)
    // would be added again to every request.
    const pasted =
      error || !value
        ? undefined
        : provider === 'openai'
          ? openAiServerUrlProblem(value as string, provider)
          : provider === 'anthropic'
            ? requestPathProblem(value as string, 'anthropic')
            : undefined;
    if (!error && !pasted) return { url: value as string };
    problem(key, `${error ?? pasted}; no ${provider} requests are made until it is fixed`);
    return { url: '', invalidSetting: keyPrefix + key, ...(pasted ? { invalidProblem: pasted } : {}) };
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
  const invalid = (s: InvalidServer): InvalidServer =>
    s.invalidSetting ? { invalidSetting: s.invalidSetting, ...(s.invalidProblem ? { invalidProblem: s.invalidProblem } : {}) } : {};

  const custom = readCustomProviders(readKey(source, 'providers.custom'), keyPrefix + 'providers.custom', problems);
  /**
   * Each provider's own limits, by id: the built-ins' `providers.<id>.timeouts`, a custom provider's `timeouts`.
   * No prototype, so a lookup by a provider id never finds an inherited member.
   */
  const providerTimeouts: Record<string, ProviderTimeouts> = Object.create(null) as Record<string, ProviderTimeouts>;
  for (const provider of BUILT_IN_PROVIDERS) {
    const key = `providers.${provider}.timeouts`;
    const own = readProviderTimeouts(readKey(source, key), keyPrefix + key, problems);
    if (own) providerTimeouts[provider] = own;
  }
  for (const [id, entry] of Object.entries(custom)) if (entry.timeouts) providerTimeouts[id] = entry.timeouts;
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
      // One model written as text ("anthropic:claude-sonnet-4-5"), as a first-hour user writes it: the list to write.
      const asList = typeof value === 'string' && parseModelRef(value) ? `, not one text: write it as [${quoted(value.trim())}]` : '';
      problem(key, `must be a list of model references${asList}; ${meanwhile('it is one')}`);
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
  const freeOnLocalServer = readFreeOnLocalServer(readKey(source, 'freeOnLocalServer'), keyPrefix + 'freeOnLocalServer', problems, knownProviders);
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
    freeOnLocalServer,
    ledger: { path: get('ledger.path', (v) => isString(v) ?? (v === '' ? undefined : ledgerPathProblem(v as string))) },
    timeouts: {
      firstTokenMs: get('timeouts.firstTokenMs', numberNamingValue(100, 600_000)),
      completionFirstTokenMs: get('timeouts.completionFirstTokenMs', numberNamingValue(100, 60_000)),
      ...(Object.keys(providerTimeouts).length > 0 ? { providers: providerTimeouts } : {}),
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
          if (!isNonNegativeNumber(rate)) return `"${field}" must be a number >= 0 (USD per million tokens)`;
        }
        return undefined;
      }) },
    },
    completion: {
      enabled: get('completion.enabled', isBoolean),
      // The user's entries go over the defaults, not instead of them: VS Code gives an object setting's value
      // whole, so {"python": false} alone would turn ghost text on in plain text, Markdown and the commit box.
      languages: { ...SETTING_DEFAULTS['completion.languages'], ...languages },
      debounceMs: get('completion.debounceMs', numberNamingValue(0, 5000)),
      prefixChars: get('completion.prefixChars', numberNamingValue(100, 200_000)),
      suffixChars: get('completion.suffixChars', numberNamingValue(0, 100_000)),
      contextChars: get('completion.contextChars', numberNamingValue(0, 100_000)),
      maxTokens: get('completion.maxTokens', numberNamingValue(1, 4096)),
      multiline,
      speculate: get('completion.speculate', isBoolean),
      speculationBackoff: get('completion.speculationBackoff', isBoolean),
      adaptiveDebounce: get('completion.adaptiveDebounce', isBoolean),
      nextLine: get('completion.nextLine', isBoolean),
      speculateNextLine: get('completion.speculateNextLine', isBoolean),
      earlyFirstLine: get('completion.earlyFirstLine', isBoolean),
      preconnect: get('completion.preconnect', isBoolean),
    },
    chat: chatSettings(),
    plan: { maxTokens: get('plan.maxTokens', numberNamingValue(1, 200_000)) },
    sandbox: { simulated: get('sandbox.simulated', isBoolean) },
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

/** The user-facing text of a problem, one line. */
export function describeProblem(p: ConfigProblem): string {
  return `${p.key}: ${p.message}`;
}
