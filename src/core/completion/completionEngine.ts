import type { ModelRequest } from '../types';
import { completionCacheKey, CompletionCache } from './completionCache';
import { buildCompletionRequest, DEFAULT_PROMPT_BUDGETS, type PromptBudgets } from './completionPrompt';
import type { ContextSnippet, SnippetQuery } from './contextSnippets';
import { InflightRequests } from './inflight';
import { decideMultiline, isCompletablePosition, type MultilineMode } from './multiline';
import { postprocessCompletion, previewCompletion, type PostprocessContext } from './postprocess';
import { describeCursor, lineSuffixOf } from './textWindow';
import { TypedThrough } from './typedThrough';

export interface CompletionInput {
  /** Identifies the document; completions are only reused within one. */
  uri: string;
  languageId: string;
  relativePath: string;
  /** Text before the cursor. A bounded window is enough (and cheaper for the adapter to read). */
  prefix: string;
  /** Text after the cursor. A bounded window is enough. */
  suffix: string;
  /** Zero-based cursor line, so snippets from recent edits right here are skipped. */
  line?: number;
}

export type CompletionSource = 'model' | 'cache' | 'typed-through' | 'inflight';

export interface CompletionResult {
  /** Ghost text to insert at the cursor. */
  text: string;
  source: CompletionSource;
}

export interface CompletionSettings {
  /** Quiet time after a keystroke before a request is made; a keystroke meanwhile cancels it. */
  debounceMs: number;
  multiline: MultilineMode;
  /** The first model of the completion route does native fill-in-the-middle (see `isNativeFimModel` in providers/fimModels.ts). */
  fim: boolean;
  /** Changes when the completion route changes, so cached answers of another model are not served. */
  modelKey: string;
  maxTokens: { singleLine: number; multiLine: number };
  budgets?: PromptBudgets;
  temperature?: number;
  /** How long a cached completion may be served; unlimited when unset. Read once, when the engine is created. */
  cacheMaxAgeMs?: number;
}

export const DEFAULT_COMPLETION_SETTINGS: CompletionSettings = {
  debounceMs: 75,
  multiline: 'auto',
  fim: false,
  modelKey: '',
  maxTokens: { singleLine: 64, multiLine: 256 },
  budgets: DEFAULT_PROMPT_BUDGETS,
  temperature: 0.1,
};

export interface CompletionRequestMeta {
  task: 'completion';
  uri: string;
  languageId: string;
  relativePath: string;
  multiline: boolean;
  fim: boolean;
}

/** Where snippets from other files come from; `SnippetCollector` is one. */
export interface SnippetSource {
  topSnippets(cursorWindowText: string, currentUri: string, budgetChars: number, query?: SnippetQuery): ContextSnippet[];
}

export interface CompletionEngineDeps {
  /**
   * Runs one model request (the router on the completion route): streams text
   * through `onText`, resolves with the whole text, rejects on failure. Must
   * stop the HTTP request when `signal` aborts.
   */
  request: (
    request: ModelRequest,
    signal: AbortSignal,
    onText: (text: string) => void,
    meta: CompletionRequestMeta,
  ) => Promise<{ text: string } & Record<string, unknown>>;
  settings: () => CompletionSettings;
  /**
   * Whether a model request may be made now (credentials, a route, budget left).
   * When it may not, a call that would need a request returns nothing at once:
   * no request, no error, nothing recorded, however often the user pauses.
   * Asked on every such call, so the engine resumes as soon as it may again.
   */
  mayRequest?: () => boolean;
  snippets?: SnippetSource;
  /** Counts answers that cost nothing, so they can be shown without being billed. */
  onServedWithoutRequest?: (source: Exclude<CompletionSource, 'model'>, input: CompletionInput) => void;
  /** A request failed other than by being aborted. */
  onError?: (error: unknown) => void;
  /** Resolves true after `ms`, or false as soon as `signal` aborts. Tests may inject a fake timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  now?: () => number;
}

export interface CompletionStats {
  /** Calls to `complete`. */
  calls: number;
  /** Requests sent to a model. */
  modelRequests: number;
  /** Requests aborted after being sent (superseded, or the engine disposed). */
  cancelled: number;
  /** Requests that failed other than by being aborted. */
  failed: number;
  /** Calls cancelled while waiting out the debounce: no request made. */
  debounced: number;
  /** Calls where the cursor was inside existing code: no request made. */
  skipped: number;
  /** Calls that needed a request while `mayRequest` said no: none made. */
  refused: number;
  cacheHits: number;
  typedThroughHits: number;
  inflightJoins: number;
}

/** What the cache holds for a place: the text shown there, or nothing when the model had nothing useful. */
interface CachedCompletion {
  text: string | undefined;
}

const CURSOR_WINDOW_LINES = 12;

/**
 * Inline completions without VS Code: decides whether a keystroke needs a
 * request at all, and makes it when it does. In order, a call is answered by
 *   1. the cache, when the text around the cursor was seen before;
 *   2. typed-through, when the user typed the start of the ghost text shown;
 *   3. the running request, when the user typed the start of what it is streaming;
 *   4. a new request, after the debounce, superseding (aborting) a request no call waits for.
 */
export class CompletionEngine {
  private readonly cache: CompletionCache<CachedCompletion>;
  private readonly typedThrough = new TypedThrough();
  private readonly inflight = new InflightRequests();
  private readonly counters: CompletionStats = {
    calls: 0,
    modelRequests: 0,
    cancelled: 0,
    failed: 0,
    debounced: 0,
    skipped: 0,
    refused: 0,
    cacheHits: 0,
    typedThroughHits: 0,
    inflightJoins: 0,
  };
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;

  constructor(private readonly deps: CompletionEngineDeps) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? sleepUnlessAborted;
    this.cache = new CompletionCache(200, deps.settings().cacheMaxAgeMs);
  }

  stats(): CompletionStats {
    return { ...this.counters };
  }

  async complete(input: CompletionInput, token: AbortSignal): Promise<CompletionResult | undefined> {
    this.counters.calls++;
    if (token.aborted) return undefined;
    // Whatever happens next, a running request this call cannot use is of no use to anyone.
    const joinable = this.inflight.match(input.uri, input.prefix, input.suffix);
    if (!joinable) this.inflight.supersede();
    if (!isCompletablePosition(lineSuffixOf(input.suffix))) {
      this.counters.skipped++;
      return undefined;
    }
    const settings = this.deps.settings();

    const key = completionCacheKey({
      languageId: input.languageId,
      variant: `${settings.modelKey}\u0000${settings.multiline}`,
      prefix: input.prefix,
      suffix: input.suffix,
    });
    const cached = this.cache.get(key, this.now());
    if (cached) {
      // A request saved either way; only shown text counts as served.
      this.counters.cacheHits++;
      if (cached.text === undefined) return undefined;
      this.deps.onServedWithoutRequest?.('cache', input);
      this.typedThrough.remember(input.uri, input.prefix, input.suffix, cached.text);
      return { text: cached.text, source: 'cache' };
    }

    const rest = this.typedThrough.remainder(input.uri, input.prefix, input.suffix);
    if (rest !== undefined) {
      this.counters.typedThroughHits++;
      this.deps.onServedWithoutRequest?.('typed-through', input);
      return { text: rest, source: 'typed-through' };
    }

    if (joinable) {
      const joined = await waitUnlessAborted(this.inflight.join(joinable, token), token);
      if (joined === ABORTED) return undefined;
      if (joined !== undefined) {
        this.counters.inflightJoins++;
        this.deps.onServedWithoutRequest?.('inflight', input);
        return { text: joined, source: 'inflight' };
      }
      // The answer went another way than what was typed: this place needs its own request.
    }

    if (settings.debounceMs > 0 && !(await this.sleep(settings.debounceMs, token))) {
      this.counters.debounced++;
      return undefined;
    }
    if (token.aborted) {
      this.counters.debounced++;
      return undefined;
    }
    // Asked after the debounce, when the request would go: a request that ended meanwhile may have spent the budget.
    if (this.deps.mayRequest && !this.deps.mayRequest()) {
      this.counters.refused++;
      return undefined;
    }
    return this.requestCompletion(input, key, settings, token);
  }

  /** Aborts the running request and forgets what was shown. */
  dispose(): void {
    this.inflight.supersede(true);
    this.typedThrough.forget();
    this.cache.clear();
  }

  private async requestCompletion(
    input: CompletionInput,
    key: string,
    settings: CompletionSettings,
    token: AbortSignal,
  ): Promise<CompletionResult | undefined> {
    const cursor = describeCursor(input.prefix, input.suffix, CURSOR_WINDOW_LINES);
    const multiline = decideMultiline(cursor, input.languageId, settings.multiline);
    const budgets = settings.budgets ?? DEFAULT_PROMPT_BUDGETS;
    const snippets =
      this.deps.snippets && budgets.snippetChars > 0
        ? this.deps.snippets.topSnippets(
            [...cursor.previousLines, cursor.linePrefix + cursor.lineSuffix, ...cursor.nextLines].join('\n'),
            input.uri,
            budgets.snippetChars,
            { languageId: input.languageId, ...(input.line !== undefined && { line: input.line }) },
          )
        : [];
    const request = buildCompletionRequest({ ...input, snippets }, budgets, {
      fim: settings.fim,
      multiline,
      maxTokens: multiline ? settings.maxTokens.multiLine : settings.maxTokens.singleLine,
      ...(settings.temperature !== undefined && { temperature: settings.temperature }),
    });
    const cleanup: PostprocessContext = {
      prefix: input.prefix,
      suffix: input.suffix,
      multiline,
      languageId: input.languageId,
      fim: settings.fim,
    };

    const controller = new AbortController();
    let streamed = '';
    let settled = false;
    const shownBefore = this.typedThrough.generation;
    this.counters.modelRequests++;
    const result = this.deps
      .request(request, controller.signal, (text) => (streamed += text), {
        task: 'completion',
        uri: input.uri,
        languageId: input.languageId,
        relativePath: input.relativePath,
        multiline,
        fim: settings.fim,
      })
      .then(
        (answer): string | undefined => {
          settled = true;
          if (controller.signal.aborted) return undefined;
          const text = postprocessCompletion(answer.text, cleanup);
          this.cache.set(key, { text }, this.now());
          // Typing ahead of an answer nobody saw can still be served from it, unless something newer is shown.
          if (text !== undefined && this.typedThrough.generation === shownBefore) {
            this.typedThrough.remember(input.uri, input.prefix, input.suffix, text);
          }
          return text;
        },
        (error: unknown): undefined => {
          settled = true;
          if (!controller.signal.aborted) {
            this.counters.failed++;
            this.deps.onError?.(error);
          }
          return undefined;
        },
      );
    const running = this.inflight.start({
      uri: input.uri,
      prefix: input.prefix,
      suffix: input.suffix,
      result,
      partial: () => previewCompletion(streamed, cleanup),
      abort: () => {
        if (settled || controller.signal.aborted) return;
        this.counters.cancelled++;
        controller.abort();
      },
    });

    const release = this.inflight.hold(running, token);
    const text = await waitUnlessAborted(result, token);
    release();
    if (text === ABORTED || text === undefined) return undefined;
    this.typedThrough.remember(input.uri, input.prefix, input.suffix, text);
    return { text, source: 'model' };
  }
}

const ABORTED = Symbol('aborted');

/** Settles with `promise`, or with ABORTED as soon as `signal` aborts (the promise itself carries on). */
function waitUnlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(ABORTED);
      },
    );
  });
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
