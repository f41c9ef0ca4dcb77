/**
 * What the three fake providers share: how a reply is scripted, the request
 * log, disconnect tracking, and the timing of a streamed answer. Each fake
 * only adds its own wire format on top.
 */
import type { Usage } from '../../src/core/types';

/** One scripted answer. Unset fields fall back to the server's defaults, then to a deterministic reply. */
export interface FakeReply {
  /** The answer text; default: a short reply naming the model. */
  text?: string;
  /** How many pieces the text is streamed in. */
  chunks?: number;
  /** Wait before the first byte (headers included). */
  firstByteDelayMs?: number;
  /** Wait between pieces. */
  chunkDelayMs?: number;
  /** Usage to report, in Switchboard's vocabulary; each fake translates it to its wire shape. Default: ~4 characters a token. */
  usage?: Partial<Usage>;
  /** Answer with this HTTP status and the provider's error body instead of a stream. */
  status?: number;
  /**
   * Provider error type: OpenAI `error.code`, Anthropic `error.type`, AWS exception
   * name. For Bedrock an exception name alone is enough: its status follows from it.
   */
  errorCode?: string;
  errorMessage?: string;
  /**
   * This JSON body with the error status instead of the provider's own
   * (`{error: {message, …}}`), for compatible servers with their own shapes
   * (LM Studio's `{"error": "…"}`, vLLM's `{message}`, FastAPI's `{detail}`).
   */
  errorBody?: unknown;
  /**
   * This text body, not JSON, with the error status (a proxy's page, Ollama's "404 page not found"); `errorType` labels it.
   * Bytes for a large one: encoded once by the test, not on each request by the fake, which shares its process.
   */
  errorText?: string | Uint8Array;
  /**
   * Send `errorText` without a length and never end it: an error page that keeps coming (a proxy streaming a log,
   * a server stuck mid-write). OpenAI and Anthropic fakes.
   */
  errorBodyNeverEnds?: boolean;
  /** The content type of `errorText`: text/plain unless given. */
  errorType?: string;
  /** Sent as `Retry-After` with an error status. */
  retryAfter?: string;
  /** Sent as the error's `Date`: a server clock apart from this machine's (Bedrock: a signature refused as expired). */
  serverDate?: Date;
  /** Sent as `retry-after-ms` with an error status. */
  retryAfterMs?: string;
  /** Never answer; hold the request open until the client goes away. */
  stall?: boolean;
  /** Drop the connection (HTTP/2: reset the stream) before any byte of the response. */
  resetBeforeResponse?: boolean;
  /**
   * Drop it right after the 200 and its headers, before any event: the
   * request was accepted, and nothing it could report arrives. (A cut after
   * the opening events, `cutAfterChunks: 0`, may overtake them at the client.)
   */
  resetAfterHeaders?: boolean;
  /** Send this many pieces, then nothing more until the client goes away (a stall mid-answer). */
  stallAfterChunks?: number;
  /**
   * Send this many pieces, then wait for `resumeWhen` (settled by the test)
   * before the rest: an answer held mid-stream for as long as the test needs,
   * e.g. while a page showing it reloads. Mind the router's time-to-token limit.
   */
  pauseAfterChunks?: number;
  resumeWhen?: Promise<unknown>;
  /**
   * End the response cleanly after this many pieces, without the provider's
   * closing events (OpenAI's finish_reason, usage and [DONE]; Anthropic's
   * message_delta and message_stop; Bedrock's messageStop and metadata).
   */
  endAfterChunks?: number;
  /** Copied to this request's bill, so a caller can match bills to its requests. */
  tag?: string;
  /**
   * Drop the connection after this many pieces. With pieces before the cut,
   * `cutOnceReceived` is required: see there.
   */
  cutAfterChunks?: number;
  /**
   * Settled by the test once its client has surfaced the text sent before a
   * `cutAfterChunks` cut (e.g. from the router's onText). The fake cuts only
   * then: when the data and the close reach the client together, the SDK may
   * report the close before it hands over the data (a fetch body stream that
   * errors drops what it has queued), and the test would see no text on some
   * runs. Waiting for the client makes the fault deterministic.
   */
  cutOnceReceived?: Promise<unknown>;
  /**
   * With `cutAfterChunks` or `endAfterChunks`: the cut or the end comes halfway through the next piece's
   * event (its first half of the bytes written: an SSE line without its end, half a Bedrock frame), as a
   * proxy that dies or times out mid-write leaves it.
   */
  midEvent?: boolean;
  /** Send an event that cannot be parsed after this many pieces, then end. */
  malformedAfterChunks?: number;
  /**
   * Send the provider's in-stream error event after this many pieces, typed by
   * errorCode: Anthropic `error.type`, AWS exception name, or for OpenAI-compatible
   * streams the upstream HTTP status as OpenRouter sends it (e.g. '502').
   */
  streamErrorAfterChunks?: number;
  /**
   * A thinking model's reasoning, streamed in `chunks` pieces before the text.
   * OpenAI-compatible fake: as `delta[field]` beside an empty `content`
   * (DeepSeek, vLLM, llama.cpp and LM Studio say `reasoning_content`, Ollama
   * and OpenRouter `reasoning`). Anthropic: a thinking block of `thinking_delta`s
   * before the text block. Bedrock: as `reasoningContent` deltas in the
   * first content block, as DeepSeek-R1 answers through Converse. The pieces
   * count with the text's for the `…AfterChunks` faults, and the default
   * usage counts it as output. `bedrock: 'signed'` ends the block as Claude's
   * extended thinking does on Bedrock, with a `signature` delta and the block's
   * stop; `'redacted'` sends each piece as `redactedContent` bytes (Claude's
   * thinking its safety systems encrypted), no text at all.
   */
  reasoning?: { text: string; chunks: number; field?: 'reasoning_content' | 'reasoning'; bedrock?: 'signed' | 'redacted' };
  /**
   * End the answer as one cut at the request's max output: OpenAI's
   * finish_reason "length", Anthropic's and Bedrock's stop reason "max_tokens".
   */
  stopAtMaxTokens?: boolean;
  /**
   * The model's context window, in tokens as the fakes count them (four characters a token): a longer prompt is
   * refused before any answer with the provider's own error, its sizes from the request: OpenAI's 400
   * `context_length_exceeded` ("This model's maximum context length is W tokens. However, your messages resulted in N
   * tokens. …"), Anthropic's 400 `invalid_request_error` ("prompt is too long: N tokens > W maximum"), Bedrock's 400
   * ValidationException ("Input is too long for requested model.", no sizes). Read, not billed.
   */
  contextWindow?: number;
  /** Bedrock: report this model in metadata.trace.promptRouter.invokedModelId. */
  invokedModelId?: string;
  /**
   * OpenAI: answer `/v1/completions` in chat's shape (`choices[0].delta.content`, `chat.completion.chunk`), as a
   * server or proxy that serves only chat does for every path: a fill-in-the-middle request then reads no `text`.
   */
  chatShapeOnCompletions?: boolean;
}

/** What an answerer is told about one request. */
export interface AnswerRequest {
  model: string;
  /** The parsed JSON body, in the provider's wire shape. */
  body: unknown;
  /** OpenAI's legacy `/v1/completions` (native fill-in-the-middle: `prompt` and `suffix`), not a chat request. */
  fim: boolean;
}

/**
 * Chooses the reply to an unscripted request from what it asks (the sandbox's
 * showcase answers); undefined keeps the deterministic default. Scripts and
 * per-model replies still win over it.
 */
export type Answerer = (request: AnswerRequest) => FakeReply | undefined;

export interface FakeServerOptions {
  /** Applied to every reply unless a script says otherwise; useful for latency in benchmarks. */
  defaults?: FakeReply;
  /**
   * Chooses the reply from the request itself, before scripts and per-model
   * replies: for many requests in flight at once, whose arrival order a queue
   * cannot predict.
   */
  replyFor?: (request: LoggedRequest, model: string) => FakeReply | undefined;
  /** Chooses unscripted replies (no script, no per-model reply) from the request: the sandbox's showcase. */
  answerer?: Answerer;
  /** When set, requests without this key are answered 401/403 as the real provider would. */
  apiKey?: string;
  /** Stand behind a proxy's basic auth (nginx's `auth_basic`), as serverQuirks.ts answerInFront says. */
  basicAuth?: { user: string; password: string };
  /** Answer every request with a 307 to the same path under this origin (a proxy or load balancer moving it). */
  redirectTo?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
  /** The HTTP version it came over, where the fake speaks more than one (Bedrock's: "2.0" or "1.1"). */
  httpVersion?: string;
  /** performance.now() when the whole request had arrived. */
  receivedAt: number;
  /** performance.now() when the fake had written its last byte (or dropped the connection). */
  respondedAt?: number;
}

/**
 * What the fake bills for one request it began to answer, as a provider
 * would. A complete answer bills the usage it reported. An answer that broke
 * off (cut, stall, malformed or error event, an end without the closing
 * events) bills the counts it had reported when the stream began, and for the
 * rest about four characters a token of the prompt and of the text it sent
 * (at least the output count it had reported): the rule Switchboard uses to
 * estimate such usage, so the two can be compared exactly. Error statuses,
 * stalls and resets before the response bill nothing.
 */
export interface FakeBill {
  model: string;
  tag?: string;
  usage: Usage;
  complete: boolean;
}

export interface FakeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly LoggedRequest[];
  /** Streams the client closed before the fake finished answering. */
  readonly closedEarly: number;
  readonly bills: readonly FakeBill[];
  /** Queues replies for the next requests, in order. */
  script(...replies: FakeReply[]): void;
  /** Sets the reply for every request to `model` (until reset). */
  scriptModel(model: string, reply: FakeReply): void;
  /** Resolves once `count` streams in total have been closed early by the client. */
  waitForClosedEarly(count?: number): Promise<void>;
  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count?: number): Promise<void>;
  /**
   * The next `count` requests that arrive on a kept-alive connection (one that carried a request before) find it
   * closed, before the fake reads them: a server whose idle timeout closed the connection just as the client reused
   * it. `close` ends it (the client reads "other side closed"), `reset` resets it (ECONNRESET). Not logged, not billed.
   * HTTP/1.1 only.
   */
  dropOnReuse(count: number, how?: 'close' | 'reset'): void;
  /** Requests dropped so by dropOnReuse. */
  readonly droppedOnReuse: number;
  /** Forgets scripts, the request log, bills and counters. */
  reset(): void;
  close(): Promise<void>;
}

/** Scripts and bookkeeping common to every fake. */
export class FakeState {
  readonly requests: LoggedRequest[] = [];
  readonly bills: FakeBill[] = [];
  closedEarly = 0;
  droppedOnReuse = 0;
  private dropsOnReuse: { left: number; how: 'close' | 'reset' } = { left: 0, how: 'close' };
  private readonly queue: FakeReply[] = [];
  private readonly byModel = new Map<string, FakeReply>();
  private waiters: Array<{ ready: () => boolean; resolve: () => void }> = [];

  constructor(
    private readonly defaults: FakeReply = {},
    private readonly replyFor?: FakeServerOptions['replyFor'],
    private readonly answerer?: Answerer,
  ) {
    checkReply(defaults);
  }

  script(replies: FakeReply[]): void {
    replies.forEach(checkReply);
    this.queue.push(...replies);
  }

  scriptModel(model: string, reply: FakeReply): void {
    checkReply(reply);
    this.byModel.set(model, reply);
  }

  /**
   * The request's own reply (replyFor) first, then the scripted queue, then
   * per-model, then the answerer, then server defaults. `fim` tells the
   * answerer a legacy completions request from a chat one.
   */
  nextReply(model: string, request?: LoggedRequest, fim = false): FakeReply {
    const own = request && this.replyFor?.(request, model);
    if (own) {
      checkReply(own);
      return { ...this.defaults, ...own };
    }
    const scripted = this.queue.shift();
    const perModel = this.byModel.get(model);
    const answered = request && !scripted && !perModel ? this.answerer?.({ model, body: request.body, fim }) : undefined;
    return { ...this.defaults, ...answered, ...perModel, ...scripted };
  }

  /** Bills a request whose answer began (see FakeBill). */
  bill(model: string, reply: FakeReply, prompt: string, usage: Usage, played: PlayedAnswer): void {
    const billed = played.complete ? usage : brokenUsage(prompt, played.sent, played.usageAtStart);
    this.bills.push({ model, ...(reply.tag !== undefined && { tag: reply.tag }), usage: billed, complete: played.complete });
  }

  /** Bills an answer sent whole, not streamed: in full. */
  billWhole(plan: PlannedAnswer): void {
    this.bill(plan.model, plan.reply, plan.prompt, plan.usage, { complete: true, sent: plan.text });
  }

  /** Streams a planned answer, reasoning first, through `writer` with the reply's timing and faults, and bills what went out. */
  async stream(plan: PlannedAnswer, connection: Connection, writer: AnswerWriter): Promise<void> {
    const pieces = [...plan.thinking, ...splitIntoChunks(plan.text, plan.reply.chunks)];
    this.bill(plan.model, plan.reply, plan.prompt, plan.usage, await playAnswer(plan.reply, pieces, connection, writer));
  }

  dropOnReuse(count: number, how: 'close' | 'reset'): void {
    this.dropsOnReuse = { left: count, how };
  }

  /** How a request arriving on a reused connection is dropped, if it is (see FakeServer.dropOnReuse); counts it. */
  takeDropOnReuse(): 'close' | 'reset' | undefined {
    if (this.dropsOnReuse.left <= 0) return undefined;
    this.dropsOnReuse.left--;
    this.droppedOnReuse++;
    return this.dropsOnReuse.how;
  }

  record(request: LoggedRequest): void {
    this.requests.push(request);
    this.notify();
  }

  noteClosedEarly(): void {
    this.closedEarly++;
    this.notify();
  }

  waitForClosedEarly(count = 1): Promise<void> {
    return this.waitUntil(() => this.closedEarly >= count);
  }

  waitForRequests(count = 1): Promise<void> {
    return this.waitUntil(() => this.requests.length >= count);
  }

  reset(): void {
    this.requests.length = 0;
    this.bills.length = 0;
    this.closedEarly = 0;
    this.droppedOnReuse = 0;
    this.dropsOnReuse = { left: 0, how: 'close' };
    this.queue.length = 0;
    this.byModel.clear();
  }

  private waitUntil(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  private notify(): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.ready()) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** What one answer says, worked out from its reply and request before a byte is written. */
export interface PlannedAnswer {
  model: string;
  reply: FakeReply;
  /** The request's text, for size estimates. */
  prompt: string;
  text: string;
  /** The reasoning's pieces (FakeReply.reasoning), sent before the text's; none where the answer carries no reasoning. */
  thinking: string[];
  /** Counts the reasoning as output, with the text. */
  usage: Usage;
}

/**
 * The answer a reply asks for: its text, or else `fallback`'s from the
 * prompt; its reasoning pieces where `withReasoning` (the request's form
 * carries it); usage as scripted or estimated.
 */
export function planAnswer(model: string, reply: FakeReply, body: unknown, fallback: (prompt: string) => string, withReasoning: boolean): PlannedAnswer {
  const prompt = promptText(body);
  const text = reply.text ?? fallback(prompt);
  const thinking = reply.reasoning && withReasoning ? splitIntoChunks(reply.reasoning.text, reply.reasoning.chunks) : [];
  return { model, reply, prompt, text, thinking, usage: resolveUsage(reply, prompt, thinking.join('') + text) };
}

/** The prompt's tokens and the window, when the reply gives the model a context window (FakeReply.contextWindow) the request's prompt is over. */
export function overContextWindow(reply: FakeReply, body: unknown): { tokens: number; window: number } | undefined {
  if (reply.contextWindow === undefined) return undefined;
  const tokens = estimateTokens(promptText(body));
  return tokens > reply.contextWindow ? { tokens, window: reply.contextWindow } : undefined;
}

/** Refuses, in the test that scripts it, a fault that could not be played deterministically. */
function checkReply(reply: FakeReply): void {
  if (reply.cutAfterChunks !== undefined && reply.cutAfterChunks > 0 && !reply.cutOnceReceived) {
    throw new Error('fake reply: cutAfterChunks after text needs cutOnceReceived, or the cut can overtake the text before it');
  }
  if (reply.pauseAfterChunks !== undefined && !reply.resumeWhen) {
    throw new Error('fake reply: pauseAfterChunks needs resumeWhen, or the answer never goes on');
  }
}

/** Tracks whether the client is still there, so waits end early when it leaves. */
export class Connection {
  closed = false;
  private readonly gone: Promise<void>;
  private markGone!: () => void;

  constructor() {
    this.gone = new Promise((resolve) => (this.markGone = resolve));
  }

  close(): void {
    this.closed = true;
    this.markGone();
  }

  /** Waits `ms`, or less if the client leaves. */
  async wait(ms: number | undefined): Promise<void> {
    if (!ms || this.closed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  untilClosed(): Promise<void> {
    return this.gone;
  }
}

/** The pieces of one streamed answer, written in a provider's wire format. */
export interface AnswerWriter {
  /** Usage the opening events report before any text (Anthropic's message_start), in Switchboard's vocabulary. */
  readonly usageAtStart?: Partial<Usage>;
  /** The 200 status line and headers, sent at once. */
  headers(): void;
  /** The events that precede the text. */
  openers(): void;
  text(piece: string, index: number): void;
  /** The first half of the bytes `text(piece, index)` would write (see FakeReply.midEvent). */
  halfText(piece: string, index: number): void;
  malformed(): void;
  streamError(): void;
  /** Events that follow the text, with usage, then the end of the response. */
  finish(): void;
  /** Drops the connection without a proper end. */
  cut(): void;
  /** Ends the response cleanly, leaving out the events that close an answer. */
  end(): void;
}

/** How a played answer went: whether it finished properly, and the text it sent. */
export interface PlayedAnswer {
  complete: boolean;
  sent: string;
  usageAtStart?: Partial<Usage>;
}

/** Plays a reply's timing and faults through a writer. The error-status, stall and reset cases are handled before this. */
export async function playAnswer(reply: FakeReply, pieces: string[], connection: Connection, writer: AnswerWriter): Promise<PlayedAnswer> {
  writer.headers();
  if (reply.resetAfterHeaders) {
    writer.cut();
    return { complete: false, sent: '' };
  }
  const played: PlayedAnswer = { complete: false, sent: '', ...(writer.usageAtStart && { usageAtStart: writer.usageAtStart }) };
  writer.openers();
  for (let index = 0; index <= pieces.length; index++) {
    if (reply.cutAfterChunks === index) {
      if (index > 0) {
        await Promise.race([reply.cutOnceReceived, connection.untilClosed()]);
        if (connection.closed) return played;
      }
      if (reply.midEvent) writer.halfText(pieces[index] ?? 'more', index);
      writer.cut();
      return played;
    }
    if (reply.malformedAfterChunks === index) {
      writer.malformed();
      return played;
    }
    if (reply.streamErrorAfterChunks === index) {
      writer.streamError();
      return played;
    }
    if (reply.endAfterChunks === index) {
      if (reply.midEvent) writer.halfText(pieces[index] ?? 'more', index);
      writer.end();
      return played;
    }
    if (reply.stallAfterChunks === index) {
      await connection.untilClosed();
      return played;
    }
    if (reply.pauseAfterChunks === index) {
      await Promise.race([reply.resumeWhen, connection.untilClosed()]);
      if (connection.closed) return played;
    }
    const piece = pieces[index];
    if (piece === undefined) break;
    if (index > 0) await connection.wait(reply.chunkDelayMs);
    if (connection.closed) return played;
    writer.text(piece, index);
    played.sent += piece;
  }
  if (connection.closed) return played;
  writer.finish();
  played.complete = true;
  return played;
}

/** See FakeBill: four characters a token, rounded up, for what was not reported. */
function brokenUsage(prompt: string, sent: string, atStart: Partial<Usage> = {}): Usage {
  const tokens = (text: string) => Math.ceil(text.length / 4);
  return {
    inputTokens: atStart.inputTokens ?? tokens(prompt),
    outputTokens: Math.max(atStart.outputTokens ?? 0, tokens(sent)),
    cacheReadTokens: atStart.cacheReadTokens ?? 0,
    cacheWriteTokens: atStart.cacheWriteTokens ?? 0,
  };
}

/** Splits text into `count` pieces of near-equal length, never inside a surrogate pair. */
export function splitIntoChunks(text: string, count: number | undefined): string[] {
  const characters = Array.from(text);
  const pieces = Math.max(1, Math.min(count ?? defaultChunkCount(characters.length), characters.length || 1));
  const size = Math.ceil(characters.length / pieces);
  const result: string[] = [];
  for (let start = 0; start < characters.length; start += size) {
    result.push(characters.slice(start, start + size).join(''));
  }
  return result.length ? result : [''];
}

function defaultChunkCount(length: number): number {
  return Math.min(8, Math.max(1, Math.ceil(length / 12)));
}

/** ~4 characters a token, as a plausible stand-in for a tokenizer. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function defaultAnswer(model: string, prompt: string): string {
  // An inline-completion prompt (the chat form marks the cursor): answer with code, not prose, so ghost text reads as such.
  if (prompt.includes('{{FILL_HERE}}')) return defaultCompletion(model);
  const words = prompt.trim() ? prompt.trim().split(/\s+/).length : 0;
  return `Simulated answer from ${model}: I read your ${words}-word request. No real model was called.`;
}

export function defaultCompletion(model: string): string {
  return `/* simulated completion from ${model} */`;
}

/** Usage for an answer: the script's numbers where given, otherwise estimated from the text. */
export function resolveUsage(reply: FakeReply, prompt: string, answer: string): Usage {
  return {
    inputTokens: reply.usage?.inputTokens ?? estimateTokens(prompt),
    outputTokens: reply.usage?.outputTokens ?? estimateTokens(answer),
    cacheReadTokens: reply.usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: reply.usage?.cacheWriteTokens ?? 0,
  };
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Joins every string `content` (and `text` blocks) found in a request body, for size estimates. */
export function promptText(body: unknown): string {
  const parts: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (key === 'content' || key === 'text' || key === 'system' || key === 'prompt' || key === 'suffix') parts.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
    }
  };
  visit(body, '');
  return parts.join('\n');
}

let idCounter = 0;
export function fakeId(prefix: string): string {
  idCounter++;
  return `${prefix}${Date.now().toString(36)}${idCounter.toString(36).padStart(4, '0')}`;
}
