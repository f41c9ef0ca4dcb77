/**
 * What the completion engine takes and gives: the input a keystroke makes, the result, the settings, the
 * dependencies an adapter supplies (the router, snippets, a clock) and the counters it reports. The editor, the
 * CLI and the benches are written against this file; completionEngine.ts holds how the engine decides.
 */
import type { ModelRequest } from '../types';
import { DEFAULT_PROMPT_BUDGETS, type PromptBudgets } from './completionPrompt';
import type { ContextSnippet, SnippetQuery } from './contextSnippets';
import type { MultilineMode } from './multiline';
import type { OpenAt } from './stringAtCursor';
import type { EditorIndent } from './textWindow';

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

/**
 * How a call to the engine went: each way it ends (with ghost text or without), and the request it sends. A call
 * that ends without ghost text and without a request says which rule decided it.
 */
export type CompletionStep =
  | 'cancelled before it began'
  | 'skipped: code after the cursor'
  | 'cache: nothing for this place'
  | 'cache'
  | 'typed-through'
  | 'joined the running request'
  | 'cancelled while waiting for the running request'
  | 'the running request went another way'
  | 'finished statement: nothing to ask'
  | 'cancelled during the debounce'
  | 'refused: no request may go now'
  | 'request sent'
  | 'cancelled while the request ran'
  | 'request gave nothing usable or failed'
  | 'model'
  | 'hidden: repeats the suggestion just taken';

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
  /**
   * Each step a call takes that decides whether ghost text comes (see CompletionStep), with the milliseconds since
   * the call began: for a debug log, which says why none came where one was expected. Called often: keep it cheap.
   */
  onStep?: (step: CompletionStep, input: CompletionInput, elapsedMs: number) => void;
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
