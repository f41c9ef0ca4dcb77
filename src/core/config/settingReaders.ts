import { DEFAULT_EXCLUDE, globProblem } from '../exclude';
import { formatModelRef, parseModelRef } from '../modelRef';
import { isHttpUrl } from '../urls';
import { openAiServerUrlProblem, requestPathProblem } from '../requestPathUrl';
import { quoted } from '../words';
import { isNonNegativeNumber, numberNamingValue } from './checks';
import { BUILT_IN_PROVIDERS } from './defaults';
import { unknownProviderHint } from './providerHint';
import type { BudgetLimits, ConfigProblem, CustomProviderConfig, InvalidBudgetLimit, PriceOverride, ProviderTimeouts } from './shape';
import type { ModelRef } from '../types';

/* The settings with a structure of their own (custom providers, per-provider budgets, prices, exclude), each read on its own: a bad entry is named and left out, the rest kept. */

/**
 * Reads a value for a dotted key from a nested object, the way VS Code merges
 * `switchboard.providers.openai.baseUrl` into `{providers: {openai: {baseUrl}}}`.
 * A literal dotted key at the top level is accepted too.
 */
export function readKey(raw: Record<string, unknown>, key: string): unknown {
  if (key in raw) return raw[key];
  let node: unknown = raw;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
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

export function readCustomProviders(
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
    // Every object has these names already ("constructor", "toString", "__proto__"): a provider so named would be
    // found in lookups of other tables by provider id (whose key goes to its own host, which variable holds it).
    if (id in Object.prototype) {
      problems.push({ key: at, message: `"${id}" is a name every JavaScript object already has; pick another id; ignored` });
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
    // An Azure deployment's URL, or one ending in a request's path: said with the address to write.
    const pasted = e.type === 'openai' ? openAiServerUrlProblem(baseUrl as string, id) : requestPathProblem(baseUrl as string, 'anthropic');
    if (pasted) {
      problems.push({ key: `${at}.baseUrl`, message: `${pasted}; provider ignored` });
      continue;
    }
    if (e.apiKeyEnv !== undefined && typeof e.apiKeyEnv !== 'string') {
      problems.push({ key: `${at}.apiKeyEnv`, message: 'must be the name of an environment variable; ignored' });
    }
    const gateway = e.gateway === 'openrouter' || e.gateway === 'litellm' ? e.gateway : undefined;
    if (e.gateway !== undefined && !gateway) {
      problems.push({ key: `${at}.gateway`, message: 'must be "openrouter" or "litellm"; ignored' });
    }
    const timeouts = readProviderTimeouts(e.timeouts, `${at}.timeouts`, problems);
    result[id] = {
      type: e.type,
      baseUrl: baseUrl as string,
      ...(typeof e.apiKeyEnv === 'string' && e.apiKeyEnv.trim() ? { apiKeyEnv: e.apiKeyEnv.trim() } : {}),
      ...(e.fim === true ? { fim: true } : {}),
      ...(gateway ? { gateway } : {}),
      ...(timeouts ? { timeouts } : {}),
    };
  }
  return result;
}

/** The same bounds as `timeouts.firstTokenMs` and `timeouts.completionFirstTokenMs`. */
const PROVIDER_TIMEOUT_CHECKS = {
  firstTokenMs: numberNamingValue(100, 600_000),
  completionFirstTokenMs: numberNamingValue(100, 60_000),
} as const;

/**
 * A provider's own limits (`{firstTokenMs, completionFirstTokenMs}`), none when unset. A bad field is named and
 * left out, so that provider keeps the `timeouts.*` value; the provider itself is kept.
 */
export function readProviderTimeouts(value: unknown, key: string, problems: ConfigProblem[]): ProviderTimeouts | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ key, message: 'must be an object {firstTokenMs, completionFirstTokenMs} in milliseconds; ignored (the general limits apply)' });
    return undefined;
  }
  const timeouts: ProviderTimeouts = {};
  for (const [field, limit] of Object.entries(value as Record<string, unknown>)) {
    if (field !== 'firstTokenMs' && field !== 'completionFirstTokenMs') {
      problems.push({ key: `${key}.${field}`, message: 'is not a timeout (firstTokenMs, completionFirstTokenMs); ignored' });
      continue;
    }
    const problem = PROVIDER_TIMEOUT_CHECKS[field](limit);
    if (problem) problems.push({ key: `${key}.${field}`, message: `${problem}; ignored (the general limit applies)` });
    else timeouts[field] = limit as number;
  }
  return Object.keys(timeouts).length > 0 ? timeouts : undefined;
}

/** What an invalid budget limit does until it is fixed, as its warning says. */
export const INVALID_LIMIT_MEANWHILE = 'it counts as reached until it is fixed (a limit you meant to set is never dropped)';

export function readProviderBudgets(
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
    if (provider === PROTOTYPE_KEY) {
      problems.push({ key: at, message: prototypeKeyProblem('a provider id', 'this limit applies to no request') });
      continue;
    }
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
      } else if (!isNonNegativeNumber(limit)) {
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

/**
 * `"__proto__"` as a key: JSON (and the config file's parser) makes it an entry like any other, but writing it into
 * a map sets the map's prototype instead, so the entry would be lost without a word (and the map would inherit its
 * fields). Said and left out. Other names every object has ("constructor", "toString") are kept: assigned, they are
 * the map's own entries, and every lookup reads own entries only.
 */
const PROTOTYPE_KEY = '__proto__';

function prototypeKeyProblem(what: string, outcome = 'ignored'): string {
  return `"__proto__" is not ${what}: every JavaScript object has a property so named, and an entry under it would set the map's prototype instead of being read; ${outcome}`;
}

export function readPrices(value: unknown, key: string, problems: ConfigProblem[]): Record<string, PriceOverride> {
  const result: Record<string, PriceOverride> = {};
  for (const [model, entry] of mapEntries(value, key, problems, 'model to {input, output, cacheRead, cacheWrite}')) {
    const at = `${key}[${quoted(model)}]`;
    if (model === PROTOTYPE_KEY) {
      problems.push({ key: at, message: prototypeKeyProblem('a model id (write "provider:model" or the model id its provider uses)') });
      continue;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ key: at, message: 'must be an object {input, output, cacheRead, cacheWrite} in USD per million tokens; ignored' });
      continue;
    }
    const override: PriceOverride = {};
    let ok = true;
    for (const field of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
      const v = (entry as Record<string, unknown>)[field];
      if (v === undefined) continue;
      if (!isNonNegativeNumber(v)) {
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

/**
 * `freeOnLocalServer`: `provider:model` refs, each written whole (a bare id would say nothing of which server).
 * A bad entry is named and skipped, the rest kept: none of them can raise spend, each only lowers it where it applies.
 * Spaces around the colon are read away ("openai: gpt-x" is "openai:gpt-x"), as in routes: kept as written, it would
 * name a model no request has and never match.
 */
export function readFreeOnLocalServer(value: unknown, key: string, problems: ConfigProblem[], knownProviders: ReadonlySet<string>): string[] {
  const form = '"provider:model" (e.g. "openai:gpt-5.4-nano")';
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ key, message: 'must be a list of "provider:model" entries (e.g. ["openai:gpt-5.4-nano"]); ignored' });
    return [];
  }
  const refs: string[] = [];
  value.forEach((item, index) => {
    const ref = freeOnLocalServerEntry(item);
    if (!ref) {
      problems.push({ key: `${key}[${index}]`, message: `${typeof item === 'string' ? quoted(item) : 'this entry'} is not ${form}; skipped` });
      return;
    }
    if (!knownProviders.has(ref.provider)) {
      const known = [...knownProviders].join(', ');
      problems.push({
        key: `${key}[${index}]`,
        message: `unknown provider ${quoted(ref.provider)} in ${quoted(item)} (known: ${known})${unknownProviderHint(ref, knownProviders)}; expected ${form}; skipped`,
      });
      return;
    }
    const text = formatModelRef(ref);
    if (!refs.includes(text)) refs.push(text);
  });
  return refs;
}

/** An entry of `freeOnLocalServer` as read: `provider:model`, spaces around the colon read away; none for a bad one. */
function freeOnLocalServerEntry(item: unknown): ModelRef | undefined {
  return typeof item === 'string' ? parseModelRef(item) : undefined;
}

/**
 * Whether `freeOnLocalServer` as written (`list`, bad entries and all) already holds `ref`, each entry read as
 * readFreeOnLocalServer reads it: It's Free (Local Server) must not add "openai:gpt-x" after "openai: gpt-x".
 */
export function freeOnLocalServerHolds(list: readonly unknown[], ref: string): boolean {
  const wanted = freeOnLocalServerEntry(ref);
  if (!wanted) return list.includes(ref);
  const text = formatModelRef(wanted);
  return list.some((item) => {
    const entry = freeOnLocalServerEntry(item);
    return entry !== undefined && formatModelRef(entry) === text;
  });
}

/** A bad entry is skipped, not the list: the rest of the user's patterns keep protecting their files. */
export function readExclude(value: unknown, key: string, problems: ConfigProblem[]): string[] {
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
