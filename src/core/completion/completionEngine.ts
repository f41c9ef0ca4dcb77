import type { ModelRequest } from '../types';
import { completionCacheKey, CompletionCache } from './completionCache';
import { buildCompletionRequest, DEFAULT_PROMPT_BUDGETS, type PromptBudgets } from './completionPrompt';
import type { ContextSnippet, SnippetQuery } from './contextSnippets';
import { fencedCodeAt } from './fencedCode';
import { InflightRequests } from './inflight';
import { JustAccepted } from './justAccepted';
import { asksForNextLines, decideMultiline, endsFinishedLine, endsStatement, isCompletablePosition, type MultilineMode } from './multiline';
import { completedFirstLine, postprocessCompletion, previewCompletion, type PostprocessContext } from './postprocess';
import { SpeculationRecord, type SpeculationPlace } from './speculationRecord';
import { cursorIn, type OpenAt } from './stringAtCursor';
import { lineSuffixOf, type CursorContext, type EditorIndent } from './textWindow';
import { TypedThrough } from './typedThrough';
import { TypingRhythm } from './typingRhythm';

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
  /**
   * The document's line break, when the editor knows it. Otherwise it is guessed from the text sent, which
   * cannot tell when the window holds no line break (a one-line file, a line longer than the window).
   */
  eol?: '\n' | '\r\n';
  /**
   * The user asked for a suggestion (Alt+\, Trigger Inline Suggestion): no debounce, and none of the
   * rules that save a request where ghost text is seldom wanted (mid-line, after a finished statement).
   * Still budget-checked and recorded like any request.
   */
  explicit?: boolean;
  /**
   * What is open where `prefix` starts (a docstring, a template literal), when the editor read the document from
   * its start to there (see `DocumentStrings`): then the string the cursor stands in is known however long ago it
   * opened. Without it, the prefix is read as if it started in code.
   */
  openAtStart?: OpenAt;
  /**
   * Where in `prefix` `openAtStart` holds (0 when unset): the text before it is context read as nothing open
   * (a notebook's cells above the cursor's cell, each parsed on its own, so a string left open in one ends there).
   */
  openFrom?: number;
  /** How the editor indents the document, when it says: used where the text around the cursor shows no indentation. */
  indent?: EditorIndent;
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
  /** After a suggestion is taken in full (Tab, or typed to its end), ask for the next one at once, without the debounce. */
  speculate?: boolean;
  /** With `speculate`: none where the last speculation at a similar place in the document was not taken (see speculationRecord.ts). */
  speculationBackoff?: boolean;
  /** Wait by the cursor's place and the user's typing rhythm (see typingRhythm.ts) rather than `debounceMs` everywhere. */
  adaptiveDebounce?: boolean;
  /** At the end of a finished line, ask for the lines that follow it (see `asksForNextLines`). */
  nextLine?: boolean;
  /** Only for the request `speculate` makes: at the end of a finished line, ask for the lines that follow it. */
  speculateNextLine?: boolean;
  /** Show the first line of an answer as soon as it has streamed; the rest is served once it is taken. */
  earlyFirstLine?: boolean;
  /** Open the provider's connection (`warm`) when typing resumes after a quiet spell. */
  preconnect?: boolean;
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
  /**
   * Opens (or keeps open) the connection the next request will use, with a
   * request that is not billed. Called at most once per quiet spell, while the
   * user types, so the request after the debounce need not set one up.
   */
  warm?: () => void;
  /** Counts answers that cost nothing, so they can be shown without being billed. */
  onServedWithoutRequest?: (source: Exclude<CompletionSource, 'model'>, input: CompletionInput) => void;
  /** A request failed other than by being aborted. */
  onError?: (error: unknown) => void;
  /** Resolves true after `ms`, or false as soon as `signal` aborts. Tests may inject a fake timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /**
   * The clock for durations (the debounce's wait, the typing rhythm, cache and connection ages): one that only
   * runs forward (performance.now by default), since a wall clock stepped by NTP or the user would make one
   * wait or age wrong. Nothing the engine shows is a time of day.
   */
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
  /** Calls at the end of a finished statement that would have asked for only the rest of its (empty) line: no request made. */
  finishedLines: number;
  /** Calls that needed a request while `mayRequest` said no: none made. */
  refused: number;
  cacheHits: number;
  typedThroughHits: number;
  inflightJoins: number;
  /** Requests made at once because the suggestion before them was taken in full. */
  speculative: number;
  /** Speculations left out (`speculationBackoff`): the last one at a similar place was not taken. */
  speculationsSkipped: number;
  /** Answers not shown because they repeat the suggestion just taken. */
  repeatsHidden: number;
  /** Calls answered with the first line of an answer still streaming. */
  earlyFirstLines: number;
  /** Connections opened ahead of a request (`warm`). */
  warmUps: number;
}

/** What the cache holds for a place: the text shown there, or nothing when the model had nothing useful. */
interface CachedCompletion {
  text: string | undefined;
}

const CURSOR_WINDOW_LINES = 12;

/**
 * After this long without a request, the provider's connection is probably
 * closed: undici (Node's fetch, which the SDKs use) closes an idle one after
 * 4 s, or 2 s before the server's keep-alive hint runs out.
 */
const CONNECTION_IDLE_MS = 2_500;
/** A call that would request sooner than this gains nothing from a warm-up: the request opens the connection itself. */
const WARM_LEAD_MS = 50;

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
  private readonly accepted = new JustAccepted();
  private readonly rhythm = new TypingRhythm();
  private readonly speculations = new SpeculationRecord();
  /** When a request or warm-up last used the provider's connection; -Infinity when it was dropped. */
  private connectionUsedAt = Number.NEGATIVE_INFINITY;
  private readonly counters: CompletionStats = {
    calls: 0,
    modelRequests: 0,
    cancelled: 0,
    failed: 0,
    debounced: 0,
    skipped: 0,
    finishedLines: 0,
    refused: 0,
    cacheHits: 0,
    typedThroughHits: 0,
    inflightJoins: 0,
    speculative: 0,
    speculationsSkipped: 0,
    repeatsHidden: 0,
    earlyFirstLines: 0,
    warmUps: 0,
  };
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;

  constructor(private readonly deps: CompletionEngineDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.sleep = deps.sleep ?? sleepUnlessAborted;
    this.cache = new CompletionCache(200, deps.settings().cacheMaxAgeMs);
  }

  stats(): CompletionStats {
    return { ...this.counters };
  }

  async complete(input: CompletionInput, token: AbortSignal): Promise<CompletionResult | undefined> {
    this.counters.calls++;
    if (token.aborted) return undefined;
    const startedAt = this.now();
    this.rhythm.note(input.uri, startedAt);
    // Whatever happens next, a running request this call cannot use is of no use to anyone.
    const joinable = this.inflight.match(input.uri, input.prefix, input.suffix);
    if (!joinable) this.inflight.supersede();
    const explicit = input.explicit === true;
    if (!explicit && !isCompletablePosition(lineSuffixOf(input.suffix))) {
      this.counters.skipped++;
      return undefined;
    }
    const settings = this.deps.settings();
    // The suggestion shown here was just taken in full: what follows it is wanted next.
    const taken = this.typedThrough.consumed(input.uri, input.prefix, input.suffix);
    if (taken !== undefined) this.accepted.note(input.uri, input.prefix, input.suffix, taken);

    const key = completionCacheKey({
      languageId: input.languageId,
      // The line break is in the key: a one-line window reads the same in an LF and a CRLF document.
      // So is what is open above the window: the same window text reads as code or as a string's text.
      variant: `${settings.modelKey}\u0000${settings.multiline}\u0000${settings.nextLine === true}\u0000${input.eol ?? ''}\u0000${openKey(input.openAtStart)}\u0000${input.openFrom ?? 0}\u0000${input.indent ? `${input.indent.insertSpaces ? 's' : 't'}${input.indent.tabSize}` : ''}`,
      prefix: input.prefix,
      suffix: input.suffix,
    });
    const cached = this.cache.get(key, this.now());
    // A place the model had nothing for is asked again when the user asks: a new answer may differ.
    if (cached && !(explicit && cached.text === undefined)) {
      // A request saved either way; only shown text counts as served.
      this.counters.cacheHits++;
      if (cached.text === undefined || this.hidesRepeat(input, cached.text)) return undefined;
      this.deps.onServedWithoutRequest?.('cache', input);
      this.typedThrough.remember(input.uri, input.prefix, input.suffix, cached.text);
      return { text: cached.text, source: 'cache' };
    }

    const rest = this.typedThrough.remainder(input.uri, input.prefix, input.suffix);
    if (rest !== undefined) {
      // The answer for this place is known; it only repeats what was just taken.
      if (this.hidesRepeat(input, rest)) return undefined;
      this.counters.typedThroughHits++;
      this.deps.onServedWithoutRequest?.('typed-through', input);
      return { text: rest, source: 'typed-through' };
    }

    if (joinable) {
      const joined = await waitUnlessAborted(this.inflight.join(joinable, token), token);
      if (joined === ABORTED) return undefined;
      if (joined !== undefined) {
        if (this.hidesRepeat(input, joined)) return undefined;
        this.counters.inflightJoins++;
        this.deps.onServedWithoutRequest?.('inflight', input);
        return { text: joined, source: 'inflight' };
      }
      // The answer went another way than what was typed: this place needs its own request.
    }

    const judged = judgedText(input);
    const cursor = cursorIn(judged.prefix, judged.suffix, judged.languageId, CURSOR_WINDOW_LINES, judged.openAtStart, judged.openFrom);
    const place: SpeculationPlace = endsFinishedLine(cursor, judged.languageId) ? 'line-end' : 'in-line';
    const speculative = settings.speculate === true && taken !== undefined && this.speculationWorthIt(input.uri, place, taken, settings);
    const shape = requestShape(cursor, judged.languageId, settings, explicit ? 'explicit' : speculative && 'speculative');
    if (!explicit && !shape.multiline && endsStatement(cursor)) {
      this.counters.finishedLines++;
      return undefined;
    }

    // Time spent waiting on a request that went another way counts toward the debounce.
    const waitMs = speculative || explicit ? 0 : Math.max(0, this.debounceFor(input, cursor, settings) - (this.now() - startedAt));
    // Only a wait leaves the warm-up time to open the connection before the request needs it.
    if (settings.preconnect && waitMs >= WARM_LEAD_MS) this.warmConnection();
    if (waitMs > 0 && !(await this.sleep(waitMs, token))) {
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
    if (!speculative) return this.requestCompletion(input, judged, key, settings, { cursor, ...shape }, token);
    this.counters.speculative++;
    const speculation = settings.speculationBackoff ? this.speculations.made(input.uri, place) : undefined;
    return this.requestCompletion(input, judged, key, settings, { cursor, ...shape }, token, speculation);
  }

  /** With `speculationBackoff`, whether the last speculation at a place like this was taken (or there was none); counted when not. */
  private speculationWorthIt(uri: string, place: SpeculationPlace, taken: string, settings: CompletionSettings): boolean {
    if (!settings.speculationBackoff || this.speculations.mayFollow(uri, place, taken)) return true;
    this.counters.speculationsSkipped++;
    return false;
  }

  /** Aborts the running request and forgets what was shown. */
  dispose(): void {
    this.inflight.supersede(true);
    this.typedThrough.forget();
    this.cache.clear();
  }

  /**
   * The quiet time before a request from this call: the setting, or the adaptive debounce, which waits longer
   * right after a letter that left the ghost text being typed into (a typo a Backspace may take back).
   */
  private debounceFor(input: CompletionInput, cursor: CursorContext, settings: CompletionSettings): number {
    if (!settings.adaptiveDebounce) return settings.debounceMs;
    if (this.typedThrough.justLeft(input.uri, input.prefix, input.suffix)) return this.rhythm.typoGraceMs(settings.debounceMs, cursor.linePrefix);
    return this.rhythm.debounceMs(settings.debounceMs, cursor.linePrefix);
  }

  /** True (and counted) when `text` would offer again, right after it, the suggestion just taken. */
  private hidesRepeat(input: CompletionInput, text: string): boolean {
    if (!this.accepted.repeats(input.uri, input.prefix, input.suffix, text)) return false;
    this.counters.repeatsHidden++;
    return true;
  }

  /** Calls `warm` when the connection has probably been closed since it was last used. */
  private warmConnection(): void {
    const now = this.now();
    if (!this.deps.warm || now - this.connectionUsedAt < CONNECTION_IDLE_MS) return;
    this.connectionUsedAt = now;
    this.counters.warmUps++;
    this.deps.warm();
  }

  private async requestCompletion(
    input: CompletionInput,
    judged: JudgedText,
    key: string,
    settings: CompletionSettings,
    { cursor, multiline, nextLine }: { cursor: CursorContext } & RequestShape,
    token: AbortSignal,
    speculation?: { answered(text: string | undefined): void },
  ): Promise<CompletionResult | undefined> {
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
      ...(nextLine && { nextLine }),
      maxTokens: multiline ? settings.maxTokens.multiLine : settings.maxTokens.singleLine,
      ...(settings.temperature !== undefined && { temperature: settings.temperature }),
    });
    const cleanup: PostprocessContext = {
      prefix: judged.prefix,
      suffix: judged.suffix,
      multiline,
      languageId: judged.languageId,
      fim: settings.fim,
      ...(nextLine && { nextLine }),
      ...(input.eol && { eol: input.eol }),
      ...(input.indent && { indent: input.indent }),
      ...(judged.openAtStart && { openAtStart: judged.openAtStart }),
      ...(judged.openFrom !== undefined && { openFrom: judged.openFrom }),
    };

    const controller = new AbortController();
    let streamed = '';
    let settled = false;
    const firstLine = settings.earlyFirstLine ? deferred<string>() : undefined;
    const onText = (text: string): void => {
      streamed += text;
      if (firstLine && !firstLine.done) {
        const line = completedFirstLine(streamed, cleanup);
        if (line !== undefined) firstLine.resolve(line);
      }
    };
    const shownBefore = this.typedThrough.generation;
    /** Set when this call shows the first line early: the whole answer may replace it once it is in. */
    let shownEarly: number | undefined;
    this.counters.modelRequests++;
    const result = this.deps
      .request(request, controller.signal, onText, {
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
          this.connectionUsedAt = this.now();
          if (controller.signal.aborted) return undefined;
          const text = postprocessCompletion(answer.text, cleanup);
          speculation?.answered(text);
          this.cache.set(key, { text }, this.now());
          // Typing ahead of an answer nobody saw (or saw the first line of) can still be served from it, unless something newer is shown.
          const generation = this.typedThrough.generation;
          if (text !== undefined && (generation === shownBefore || generation === shownEarly)) {
            this.typedThrough.remember(input.uri, input.prefix, input.suffix, text);
          }
          return text;
        },
        (error: unknown): undefined => {
          settled = true;
          // An aborted stream takes its connection with it; a failed one may have too.
          this.connectionUsedAt = Number.NEGATIVE_INFINITY;
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
      multiline,
      abort: () => {
        if (settled || controller.signal.aborted) return;
        this.counters.cancelled++;
        controller.abort();
      },
    });

    const release = this.inflight.hold(running, token);
    const first = firstLine ? Promise.race([result, firstLine.promise.then((line) => ({ early: line }))]) : result;
    const outcome = await waitUnlessAborted(first, token);
    release();
    if (outcome === ABORTED || outcome === undefined) return undefined;
    // The whole answer may have come in right behind its first line: then it is shown whole.
    const early = typeof outcome === 'object' && !settled;
    const text = typeof outcome === 'object' ? (settled ? await result : outcome.early) : outcome;
    if (text === undefined || this.hidesRepeat(input, text)) return undefined;
    this.typedThrough.remember(input.uri, input.prefix, input.suffix, text);
    if (early) {
      shownEarly = this.typedThrough.generation;
      this.counters.earlyFirstLines++;
    }
    return { text, source: 'model' };
  }
}

/**
 * Single-line, multi-line, or the lines after a finished line: decided from
 * the lines around the cursor and the settings.
 */
interface RequestShape {
  multiline: boolean;
  nextLine: boolean;
}

/**
 * `eager`: a request the user is waiting on (speculative, or asked for), where
 * the next lines are wanted at the end of a finished line: for the speculative
 * request only with `speculateNextLine`, for an explicit one always (the rest
 * of a finished line holds nothing to suggest).
 */
function requestShape(cursor: CursorContext, languageId: string, settings: CompletionSettings, eager: false | 'speculative' | 'explicit'): RequestShape {
  const multiline = decideMultiline(cursor, languageId, settings.multiline);
  const wantsNextLines = settings.nextLine === true || eager === 'explicit' || (eager === 'speculative' && settings.speculateNextLine === true);
  const nextLine = !multiline && settings.multiline === 'auto' && wantsNextLines && asksForNextLines(cursor, languageId);
  return { multiline: multiline || nextLine, nextLine };
}

/** The text around the cursor and the language whose rules judge it (see `judgedText`). */
type JudgedText = Pick<CompletionInput, 'languageId' | 'prefix' | 'suffix' | 'openAtStart' | 'openFrom'>;

/**
 * What the rules read the cursor's place and the answer by: the input, or in a Markdown document's fenced block
 * that names its language, the block's lines in that language (see fencedCode.ts). The block starts with nothing
 * open (Markdown has no strings to carry into it). The prompt still holds the whole document.
 */
function judgedText(input: CompletionInput): JudgedText {
  return fencedCodeAt(input.languageId, input.prefix, input.suffix) ?? input;
}

/** `open` as a short part of a cache key; '' when not known. */
function openKey(open: OpenAt | undefined): string {
  return open ? `${open.quote}|${open.templates.join(',')}|${open.comment ? 1 : 0}` : '';
}

/** A promise with its resolve function, resolved at most once. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; readonly done: boolean } {
  let resolve!: (value: T) => void;
  let done = false;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return {
    promise,
    resolve(value) {
      if (done) return;
      done = true;
      resolve(value);
    },
    get done() {
      return done;
    },
  };
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
