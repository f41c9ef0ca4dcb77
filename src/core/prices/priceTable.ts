import type { PriceOverride, SwitchboardConfig } from '../config';
import { localDay } from '../localDay';
import shippedJson from './prices.json';
import { NO_SERVING_PROVIDERS, servingProvidersOf, type ServingProviders } from './servingProviders';

/** Prices in USD per million tokens, with where they came from. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  /**
   * Long-context tier: when a request's prompt (input plus cache) exceeds
   * 200k tokens, every token of it is billed at these rates (Claude Sonnet 4/4.5).
   */
  inputAbove200k?: number;
  outputAbove200k?: number;
  /** The shipped table's name, or 'user' when any figure comes from `switchboard.prices`. */
  source: string;
  /** Date of the shipped figures (YYYY-MM-DD); absent for an entry the user wrote whole. */
  asOf?: string;
  /** The provider's announced retirement date (YYYY-MM-DD). */
  deprecationDate?: string;
  maxInputTokens?: number;
  maxOutputTokens?: number;
}

export type { PriceOverride };

/** The shape of prices.json, written by scripts/build-prices.mjs. */
export interface ShippedPrices {
  source: string;
  sourceDate: string;
  unit: string;
  models: Record<string, Omit<ModelPrice, 'source' | 'asOf'>>;
}

export const SHIPPED_PRICES: ShippedPrices = shippedJson;

export const USER_SOURCE = 'user';
/** The source of a model served on this machine that nobody priced: it bills nothing. */
export const LOCAL_SOURCE = 'local';
/** The source of an OpenRouter `:free` variant, which OpenRouter bills nothing for. */
export const OPENROUTER_FREE_SOURCE = 'OpenRouter :free';

/** Whether `price` is the $0 of a local server's model nobody priced, not a price anyone set. */
export function isLocalPrice(price: ModelPrice | undefined): boolean {
  return price?.source === LOCAL_SOURCE;
}

/**
 * Whether `price` is a $0 the table assumes by where the model is served (a local server, OpenRouter's `:free`)
 * rather than rates anyone published: it says nothing of what a gateway could honestly bill for the request.
 */
export function isAssumedFree(price: ModelPrice | undefined): boolean {
  return price?.source === LOCAL_SOURCE || price?.source === OPENROUTER_FREE_SOURCE;
}

const BUILT_IN = new Set(['openai', 'anthropic', 'bedrock']);
const OVERRIDE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite'] as const;

// Compiled once: lookup() runs for every request.
const BEDROCK_GEO_PREFIX = /^(?:us|eu|apac|global|us-gov|jp|au|ca)\./;
const OPENAI_SNAPSHOT_DATE = /-\d{4}-\d{2}-\d{2}$/;
const ANTHROPIC_SNAPSHOT_DATE = /-\d{8}$/;
/** `ft:gpt-4o-mini-2024-07-18:org:name:id` is priced as `ft:gpt-4o-mini-2024-07-18`. */
const OPENAI_FINE_TUNE = /^(ft:[^:]+):/;

/** Lookups remembered, hits and misses alike; bounded in case model ids come from an unbounded source. */
const MAX_CACHED_LOOKUPS = 5000;

/**
 * The shipped prices with the user's overrides applied.
 *
 * An override key is `provider:model` or a bare model id. Since model ids may
 * hold colons themselves (`amazon.nova-micro-v1:0`, Ollama's `llama3:8b`),
 * a key with a colon is read both ways; the wrong reading names a model no
 * lookup ever asks for, so it costs nothing. An override of a shipped model
 * may set only some fields; anything else needs input and output, or it is
 * left out and listed in `incomplete` (see priceWarnings.ts). Overrides arrive
 * validated by config.ts.
 */
export class PriceTable {
  readonly source: string;
  readonly sourceDate: string;
  /** Keys of overrides left out: they name no shipped model and lack "input" or "output". */
  readonly incomplete: string[] = [];

  /** `provider:model` -> price: shipped entries (with overrides merged) and user-only entries. */
  private readonly byKey = new Map<string, ModelPrice>();
  /** Complete user overrides keyed by bare model id: they price that id for every provider. */
  private readonly byBareModel = new Map<string, ModelPrice>();
  private readonly cache = new Map<string, ModelPrice | null>();

  constructor(
    overrides: Readonly<Record<string, PriceOverride>> = {},
    shipped: ShippedPrices = SHIPPED_PRICES,
    private readonly serving: ServingProviders = NO_SERVING_PROVIDERS,
  ) {
    this.source = shipped.source;
    this.sourceDate = shipped.sourceDate;
    const shippedKeysByModel = new Map<string, string[]>();
    for (const [key, figures] of Object.entries(shipped.models)) {
      this.byKey.set(key, { ...figures, source: shipped.source, asOf: shipped.sourceDate });
      const model = key.slice(key.indexOf(':') + 1);
      const keys = shippedKeysByModel.get(model);
      if (keys) keys.push(key);
      else shippedKeysByModel.set(model, [key]);
    }

    // Bare-id overrides first, so that a `provider:model` override of the same entry wins.
    const ordered = Object.entries(overrides).sort(
      ([a], [b]) => Number(namesBuiltInProvider(a)) - Number(namesBuiltInProvider(b)),
    );
    for (const [key, override] of ordered) {
      const figures = pickFigures(override);
      const targets = new Set(shippedKeysByModel.get(key));
      if (Object.hasOwn(shipped.models, key)) targets.add(key);
      for (const target of targets) {
        const current = this.byKey.get(target);
        if (current) this.byKey.set(target, { ...current, ...figures, source: USER_SOURCE });
      }
      if (figures.input !== undefined && figures.output !== undefined) {
        const whole: ModelPrice = { ...figures, input: figures.input, output: figures.output, source: USER_SOURCE };
        if (targets.size === 0 && key.includes(':')) this.byKey.set(key, whole);
        this.byBareModel.set(key, whole);
      } else if (targets.size === 0) {
        this.incomplete.push(key);
      }
    }
  }

  /**
   * The price of `model` served by `provider`, or undefined when unpriced.
   * Only openai, anthropic and bedrock have shipped prices; any other
   * provider is priced by the user's overrides alone.
   */
  lookup(provider: string, model: string): ModelPrice | undefined {
    const cacheKey = `${provider}:${model}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.resolve(provider, model);
    if (this.cache.size >= MAX_CACHED_LOOKUPS) this.cache.clear();
    this.cache.set(cacheKey, found ?? null);
    return found;
  }

  /**
   * The dearest input-side rate (input, cache write or read, long-context input)
   * and output rate of any model this table prices, the user's included: what a
   * gateway's figure for a model the table does not know is held to (see
   * usageBound.ts unpricedGatewayBound).
   */
  dearestRates(): { input: number; output: number } {
    if (!this.dearest) {
      let input = 0;
      let output = 0;
      for (const price of [...this.byKey.values(), ...this.byBareModel.values()]) {
        input = Math.max(input, price.input, price.cacheWrite ?? 0, price.cacheRead ?? 0, price.inputAbove200k ?? 0);
        output = Math.max(output, price.output, price.outputAbove200k ?? 0);
      }
      this.dearest = { input, output };
    }
    return this.dearest;
  }

  private dearest?: { input: number; output: number };

  /** Every model id this table prices for `provider` (shipped entries and the user's), for suggesting a near miss. */
  modelIds(provider: string): string[] {
    const prefix = `${provider}:`;
    const ids = new Set<string>();
    for (const key of this.byKey.keys()) if (key.startsWith(prefix)) ids.add(key.slice(prefix.length));
    return [...ids].sort();
  }

  /**
   * Whether `price` (this table's for a model of `provider`) is the shipped table's vendor rate although `provider`'s
   * server is on this machine: right for a proxy forwarding to the vendor, wrong for a vendor-named local file
   * (LM Studio's `gpt-5.4-nano`). Said where such a request's cost is shown, with switchboard.freeOnLocalServer.
   */
  isTableRateOnLocalServer(provider: string, price: ModelPrice | undefined): boolean {
    return price !== undefined && this.serving.local.has(provider) && price.source === this.source;
  }

  /** Whether `provider`'s server is on this machine (servingProviders.ts). */
  isLocal(provider: string): boolean {
    return this.serving.local.has(provider);
  }

  private resolve(provider: string, model: string): ModelPrice | undefined {
    const own = this.priced(provider, model);
    // A vendor-named model the user said their server on this machine serves for nothing: local, unless they priced it.
    if (own?.source !== USER_SOURCE && this.serving.freeLocal.has(`${provider}:${model}`)) return LOCAL_PRICE;
    if (own) return own;
    if (this.serving.openRouter.has(provider)) return this.openRouterPrice(model);
    // A price the user set wins; else a model on this machine bills nothing. Never the shipped table's by name:
    // LM Studio's `openai/gpt-oss-20b` is a local file, and an `openai:gpt-4o` a local proxy forwards is priced above.
    if (this.serving.local.has(provider)) return LOCAL_PRICE;
    return undefined;
  }

  private priced(provider: string, model: string): ModelPrice | undefined {
    for (const candidate of candidateModelIds(provider, model)) {
      const price = this.byKey.get(`${provider}:${candidate}`) ?? this.byBareModel.get(candidate);
      if (price) return price;
    }
    return undefined;
  }

  /**
   * OpenRouter's name for a vendor's model, priced as that vendor's: OpenRouter bills the vendor's own rates.
   * `anthropic/claude-sonnet-4` is Anthropic's `claude-sonnet-4-20250514` (OpenRouter drops the snapshot date
   * and writes versions with dots: `claude-3.7-sonnet`); a `:free` variant costs nothing; any other variant
   * (`:online` adds web search, `:nitro` another upstream) and any other vendor stay unpriced.
   */
  private openRouterPrice(model: string): ModelPrice | undefined {
    if (model.endsWith(':free')) return OPENROUTER_FREE_PRICE;
    const slash = model.indexOf('/');
    const vendor = model.slice(0, slash);
    const name = model.slice(slash + 1);
    if (slash < 0 || name.includes(':') || (vendor !== 'openai' && vendor !== 'anthropic')) return undefined;
    if (vendor === 'openai') return this.priced('openai', name);
    const dashed = name.replace(/(\d)\.(\d)/g, '$1-$2');
    const direct = this.priced('anthropic', dashed);
    if (direct) return direct;
    const snapshot = this.modelIds('anthropic').find((id) => id.length === dashed.length + 9 && id.startsWith(`${dashed}-`) && ANTHROPIC_SNAPSHOT_DATE.test(id));
    return snapshot ? this.priced('anthropic', snapshot) : undefined;
  }

}

const LOCAL_PRICE: ModelPrice = Object.freeze({ input: 0, output: 0, source: LOCAL_SOURCE });
const OPENROUTER_FREE_PRICE: ModelPrice = Object.freeze({ input: 0, output: 0, source: OPENROUTER_FREE_SOURCE });

/** The price table for `config`: its `prices`, and its providers' servers (a local one, OpenRouter). */
export function priceTableFor(config: SwitchboardConfig): PriceTable {
  return new PriceTable(config.prices, SHIPPED_PRICES, servingProvidersOf(config));
}

/** The figures an override sets, and nothing else it may carry. */
function pickFigures(override: PriceOverride): PriceOverride {
  const figures: PriceOverride = {};
  for (const field of OVERRIDE_FIELDS) if (override[field] !== undefined) figures[field] = override[field];
  return figures;
}

/**
 * The model ids that may price `model`, most specific first: the id itself,
 * then what it stands for (a Bedrock ARN's model or profile id, a regional
 * inference profile's base model, a dated snapshot's alias).
 */
function candidateModelIds(provider: string, model: string): string[] {
  switch (provider) {
    case 'bedrock': {
      const id = model.startsWith('arn:') ? model.slice(model.lastIndexOf('/') + 1) : model;
      const base = id.replace(BEDROCK_GEO_PREFIX, '');
      return unique([model, id, base]);
    }
    case 'openai': {
      const fineTuneBase = OPENAI_FINE_TUNE.exec(model)?.[1];
      return unique([model, model.replace(OPENAI_SNAPSHOT_DATE, ''), ...(fineTuneBase ? [fineTuneBase] : [])]);
    }
    case 'anthropic':
      return unique([model, model.replace(ANTHROPIC_SNAPSHOT_DATE, '')]);
    default:
      return [model];
  }
}

function namesBuiltInProvider(key: string): boolean {
  const colon = key.indexOf(':');
  return colon > 0 && BUILT_IN.has(key.slice(0, colon));
}

function unique(ids: string[]): string[] {
  return ids.filter((id, index) => id !== '' && ids.indexOf(id) === index);
}

/** Whether the provider has retired (or will have retired by `today`) the model. */
export function isDeprecated(price: Pick<ModelPrice, 'deprecationDate'> | undefined, today: Date = new Date()): boolean {
  if (!price?.deprecationDate) return false;
  return price.deprecationDate <= localDay(today);
}
