import { ABORTED, deferred, sleepUnlessAborted, waitUnlessAborted } from './abortableWaits';
import { completionCacheKey, CompletionCache } from './completionCache';
import type { CompletionEngineDeps, CompletionInput, CompletionResult, CompletionSettings, CompletionStats, CompletionStep } from './completionContract';
import { buildCompletionRequest, DEFAULT_PROMPT_BUDGETS } from './completionPrompt';
import { ConnectionWarmth, WARM_LEAD_MS } from './connectionWarmth';
import { InflightRequests } from './inflight';
import { JustAccepted } from './justAccepted';
import { endsFinishedLine, endsStatement, isCompletablePosition } from './multiline';
import { completedFirstLine, postprocessCompletion, previewCompletion, type PostprocessContext } from './postprocess';
import { judgedText, requestShape, type JudgedText, type RequestShape } from './requestShape';
import { SpeculationRecord, type SpeculationPlace } from './speculationRecord';
import { cursorIn, type OpenAt } from './stringAtCursor';
import { lineSuffixOf, type CursorContext } from './textWindow';
import { TypedThrough } from './typedThrough';
import { TypingRhythm } from './typingRhythm';

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
  private readonly accepted = new JustAccepted();
  private readonly rhythm = new TypingRhythm();
  private readonly speculations = new SpeculationRecord();
  private readonly connection: ConnectionWarmth;
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
    this.connection = new ConnectionWarmth(this.now);
    this.cache = new CompletionCache(200, deps.settings().cacheMaxAgeMs);
  }

  stats(): CompletionStats {
    return { ...this.counters };
  }

  async complete(input: CompletionInput, token: AbortSignal): Promise<CompletionResult | undefined> {
    this.counters.calls++;
    const startedAt = this.now();
    if (token.aborted) return this.ended('cancelled before it began', input, startedAt);
    this.rhythm.note(input.uri, startedAt);
    // Whatever happens next, a running request this call cannot use is of no use to anyone.
    const joinable = this.inflight.match(input.uri, input.prefix, input.suffix);
    if (!joinable) this.inflight.supersede();
    const explicit = input.explicit === true;
    if (!explicit && !isCompletablePosition(lineSuffixOf(input.suffix))) {
      this.counters.skipped++;
      return this.ended('skipped: code after the cursor', input, startedAt);
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
      if (cached.text === undefined) return this.ended('cache: nothing for this place', input, startedAt);
      if (this.hidesRepeat(input, cached.text, startedAt)) return undefined;
      this.deps.onServedWithoutRequest?.('cache', input);
      this.typedThrough.remember(input.uri, input.prefix, input.suffix, cached.text);
      this.step('cache', input, startedAt);
      return { text: cached.text, source: 'cache' };
    }

    const rest = this.typedThrough.remainder(input.uri, input.prefix, input.suffix);
    if (rest !== undefined) {
      // The answer for this place is known; it only repeats what was just taken.
      if (this.hidesRepeat(input, rest, startedAt)) return undefined;
      this.counters.typedThroughHits++;
      this.deps.onServedWithoutRequest?.('typed-through', input);
      this.step('typed-through', input, startedAt);
      return { text: rest, source: 'typed-through' };
    }

    if (joinable) {
      const joined = await waitUnlessAborted(this.inflight.join(joinable, token), token);
      if (joined === ABORTED) return this.ended('cancelled while waiting for the running request', input, startedAt);
      if (joined !== undefined) {
        if (this.hidesRepeat(input, joined, startedAt)) return undefined;
        this.counters.inflightJoins++;
        this.deps.onServedWithoutRequest?.('inflight', input);
        this.step('joined the running request', input, startedAt);
        return { text: joined, source: 'inflight' };
      }
      // The answer went another way than what was typed: this place needs its own request.
      this.step('the running request went another way', input, startedAt);
    }

    const judged = judgedText(input);
    const cursor = cursorIn(judged.prefix, judged.suffix, judged.languageId, CURSOR_WINDOW_LINES, judged.openAtStart, judged.openFrom);
    const place: SpeculationPlace = endsFinishedLine(cursor, judged.languageId) ? 'line-end' : 'in-line';
    const speculative = settings.speculate === true && taken !== undefined && this.speculationWorthIt(input.uri, place, taken, settings);
    const shape = requestShape(cursor, judged.languageId, settings, explicit ? 'explicit' : speculative && 'speculative');
    if (!explicit && !shape.multiline && endsStatement(cursor)) {
      this.counters.finishedLines++;
      return this.ended('finished statement: nothing to ask', input, startedAt);
    }

    // Time spent waiting on a request that went another way counts toward the debounce.
    const waitMs = speculative || explicit ? 0 : Math.max(0, this.debounceFor(input, cursor, settings) - (this.now() - startedAt));
    // Only a wait leaves the warm-up time to open the connection before the request needs it.
    if (settings.preconnect && waitMs >= WARM_LEAD_MS) this.warmConnection();
    if (waitMs > 0 && !(await this.sleep(waitMs, token))) {
      this.counters.debounced++;
      return this.ended('cancelled during the debounce', input, startedAt);
    }
    if (token.aborted) {
      this.counters.debounced++;
      return this.ended('cancelled during the debounce', input, startedAt);
    }
    // Asked after the debounce, when the request would go: a request that ended meanwhile may have spent the budget.
    if (this.deps.mayRequest && !this.deps.mayRequest()) {
      this.counters.refused++;
      return this.ended('refused: no request may go now', input, startedAt);
    }
    if (!speculative) return this.requestCompletion(input, judged, key, settings, { cursor, ...shape }, token, startedAt);
    this.counters.speculative++;
    const speculation = settings.speculationBackoff ? this.speculations.made(input.uri, place) : undefined;
    return this.requestCompletion(input, judged, key, settings, { cursor, ...shape }, token, startedAt, speculation);
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
  private hidesRepeat(input: CompletionInput, text: string, startedAt: number): boolean {
    if (!this.accepted.repeats(input.uri, input.prefix, input.suffix, text)) return false;
    this.counters.repeatsHidden++;
    this.step('hidden: repeats the suggestion just taken', input, startedAt);
    return true;
  }

  /** Tells `onStep` of a step of the call that began at `startedAt`. */
  private step(step: CompletionStep, input: CompletionInput, startedAt: number): void {
    this.deps.onStep?.(step, input, this.now() - startedAt);
  }

  /** A call ends without ghost text: says why (see `step`). */
  private ended(step: CompletionStep, input: CompletionInput, startedAt: number): undefined {
    this.step(step, input, startedAt);
    return undefined;
  }

  /** Calls `warm` when the connection has probably been closed since it was last used. */
  private warmConnection(): void {
    if (!this.deps.warm || !this.connection.warmUpNeeded()) return;
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
    startedAt: number,
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
    this.step('request sent', input, startedAt);
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
          this.connection.used();
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
          this.connection.dropped();
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
    if (outcome === ABORTED) return this.ended('cancelled while the request ran', input, startedAt);
    if (outcome === undefined) return this.ended('request gave nothing usable or failed', input, startedAt);
    // The whole answer may have come in right behind its first line: then it is shown whole.
    const early = typeof outcome === 'object' && !settled;
    const text = typeof outcome === 'object' ? (settled ? await result : outcome.early) : outcome;
    if (text === undefined) return this.ended('request gave nothing usable or failed', input, startedAt);
    if (this.hidesRepeat(input, text, startedAt)) return undefined;
    this.typedThrough.remember(input.uri, input.prefix, input.suffix, text);
    if (early) {
      shownEarly = this.typedThrough.generation;
      this.counters.earlyFirstLines++;
    }
    this.step('model', input, startedAt);
    return { text, source: 'model' };
  }
}

/** `open` as a short part of a cache key; '' when not known. */
function openKey(open: OpenAt | undefined): string {
  return open ? `${open.quote}|${open.templates.join(',')}|${open.comment ? 1 : 0}` : '';
}

