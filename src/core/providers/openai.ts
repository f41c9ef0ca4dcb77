import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ModelRequest, StreamEvent, Usage } from '../types';
import { clearedHeaders } from './envHeaders';
import { isNativeFimModel } from './fimModels';
import { costFromLiteLLMHeader, costFromOpenRouterUsage, isOpenRouter, LITELLM_COST_HEADER } from './gatewayCost';
import type { ProviderAdapter, ProviderSettings } from './provider';
import { guardStream, mapSdkError } from './adapterStream';
import { modelListing } from './modelListing';
import { kindForStatus, type ProviderErrorKind } from './providerError';
import { errorWords, textBodyWords } from './errorWords';
import { endedEarlyError, headerValue, httpError, jsonInPlaceOfStream, notAnEventStream } from './sdkErrors';
import { stainlessErrors } from './stainlessErrors';
import { endedInsideEvent, watchingFetch } from './streamEnding';
import { boundingErrorBodies } from './errorBodyLimit';
import { retryingStaleConnections } from './staleConnection';
import { isUnexpectedEndpoint, saysOnlyNotFound } from './unservedPath';
import { mayBeginInsideThinkBlock, ThinkBlockFilter } from './thinkBlock';
import { refusedUrlCredentials, splitUrlCredentials } from './urlCredentials';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Local servers ignore the key, but the SDK refuses to start without one. */
const PLACEHOLDER_KEY = 'not-needed';
/** What a baseUrl that answers with a web page most often lacks. */
const BASE_URL_HINT = "an OpenAI-compatible API's ends in /v1";
/**
 * Finish reasons that end an answer the server did not complete: vLLM and SGLang end a request their engine aborted
 * (a shutdown, a scale-down) with a 200, `abort` and `[DONE]`, as if it were whole; OpenRouter's `error`.
 */
const BROKEN_OFF: ReadonlySet<string> = new Set(['abort', 'error']);
/** OpenAI's reasoning models reject `temperature`, `stop` and `max_tokens`. */
const REASONING_MODEL = /^(gpt-5|o\d)/;

/**
 * OpenAI and every server that speaks its chat-completions dialect (Ollama,
 * LM Studio, vLLM, llama.cpp, OpenRouter), chosen by `baseUrl`.
 */
export function createOpenAIProvider(settings: ProviderSettings): ProviderAdapter {
  const provider = settings.id;
  const official = isOfficialOpenAI(settings.baseUrl);
  const openRouter = settings.gateway === 'openrouter' || isOpenRouter(settings.baseUrl);
  // Credentials in the address (a basic-auth proxy in front of the server) go as `Authorization: Basic`, which fetch
  // would refuse in the URL (urlCredentials.ts). That is the one Authorization header: an API key set as well would
  // need the same header as a bearer token, and the proxy, which lets nothing through without its credentials, wins.
  const address = splitUrlCredentials(settings.baseUrl || OPENAI_BASE_URL);
  const client = new OpenAI({
    apiKey: (!address.authorization && settings.apiKey) || PLACEHOLDER_KEY,
    baseURL: address.url,
    // Env-derived org/project headers belong to OpenAI, not to whatever baseUrl points at; an admin key
    // (OPENAI_ADMIN_KEY, set for other tools) is never one of Switchboard's to send.
    organization: null,
    project: null,
    adminAPIKey: null,
    // The router is the one retry loop, and it times out by aborting the signal.
    maxRetries: 0,
    // Failures reach the user as ProviderErrors; the SDK's console lines would only be noise.
    logLevel: 'off',
    defaultHeaders: { ...clearedHeaders(settings.clearHeaders), ...(address.authorization && { Authorization: address.authorization }) },
    // Watches where each streamed body ends, to tell a stream cut inside an event from a garbled one (see chunksOf);
    // reads no more of an error body than its message needs (errorBodyLimit.ts); asks again a request that met a
    // kept-alive connection the server had just closed (staleConnection.ts).
    fetch: boundingErrorBodies(watchingFetch(retryingStaleConnections())),
  });

  /**
   * The SDK's chunks, with a body that ended inside an event said as the early end it is: the SDK parses the half
   * event left at the end as JSON and reports it as malformed, as it would a garbled event.
   */
  async function* chunksOf<T>(chunks: AsyncIterable<T>, response: Response): AsyncGenerator<T> {
    try {
      yield* chunks;
    } catch (error) {
      if (error instanceof SyntaxError && endedInsideEvent(response)) throw endedEarlyError(provider);
      throw error;
    }
  }

  // Whether this endpoint takes `stream_options`; cleared once it has refused the field (see withoutRefusedUsage).
  let askForUsage = true;

  /**
   * Some OpenAI-compatible APIs refuse the `stream_options` that asks for
   * usage (Mistral's answers 422, older Azure deployments 400), which would
   * fail every request with a bare status. Such a refusal is asked again at
   * once without the field (a negotiation, not a retry: nothing was billed),
   * and once that is accepted the endpoint is not sent it again; its usage is
   * then estimated. A bad request that says what is wrong is not asked again.
   */
  async function withoutRefusedUsage<T>(create: (askUsage: boolean) => Promise<T>): Promise<T> {
    const asked = askForUsage && !official;
    try {
      return await create(askForUsage);
    } catch (error) {
      if (!asked || !refusesStreamOptions(error)) throw error;
      const result = await create(false);
      askForUsage = false;
      return result;
    }
  }

  /**
   * Complete only once a choice carried its finish_reason: the SDK ends the
   * iteration the same way at `data: [DONE]` and at a connection that simply
   * closed, so an answer cut short would otherwise pass for a whole one.
   */
  async function* events(model: string, request: ModelRequest, signal: AbortSignal): AsyncGenerator<StreamEvent, boolean> {
    // Decided per model, not per request: after a fallback the same request
    // may reach a chat model of this provider, which has no FIM endpoint.
    if (request.fim && isNativeFimModel(settings.kind, model, settings.fim)) {
      const fim = request.fim;
      const chunks = await withoutRefusedUsage((askUsage) =>
        client.completions.create(
          {
            model,
            prompt: fim.prefix,
            suffix: fim.suffix,
            max_tokens: request.maxTokens,
            ...(request.temperature !== undefined && { temperature: request.temperature }),
            ...(request.stop?.length && { stop: request.stop }),
            stream: true,
            ...(askUsage && { stream_options: { include_usage: true } }),
            ...(openRouter && { usage: { include: true } }),
          },
          { signal },
        ).withResponse(),
      );
      // A thinking model asked for a fill (an R1 distill or Qwen3 behind `fim: true`) writes its `<think>…</think>`
      // into `text` as it does into chat's content: kept out here too, or the reasoning became the ghost text.
      const fimThinkBlock = new ThinkBlockFilter(mayBeginInsideThinkBlock(model));
      const fimFinished = yield* answerFrom(chunks, function* (choice) {
        // A server or proxy that speaks only chat answers this path in chat's shape: read as `text`, its answer came
        // through as nothing at all, and the ghost text was empty with no word why.
        const text = choice?.text || chatContentOf(choice);
        if (text) yield* fimThinkBlock.push(text);
      });
      yield* fimThinkBlock.end();
      return fimFinished;
    }
    const chunks = await withoutRefusedUsage((askUsage) =>
      client.chat.completions.create(chatRequestBody(model, request, official, openRouter, askUsage), { signal }).withResponse(),
    );
    // Reasoning a server left in `content` as `<think>…</think>` (thinkBlock.ts) is kept out of the answer.
    const thinkBlock = new ThinkBlockFilter(mayBeginInsideThinkBlock(model));
    const finished = yield* answerFrom(chunks, function* (choice) {
      const thinking = reasoningOf(choice?.delta);
      if (thinking) {
        yield { type: 'reasoning', chars: thinking.length };
        yield* thinkBlock.reasoningApart();
      }
      if (choice?.delta?.content) yield* thinkBlock.push(choice.delta.content);
    });
    yield* thinkBlock.end();
    return finished;
  }

  /**
   * One streamed answer, legacy completion or chat alike: `started` once the response is an event stream, what
   * `carried` reads from each chunk's choice, the stop at max output, usage, and a gateway's cost header. True once
   * a choice carried its finish_reason (see events).
   */
  async function* answerFrom<Choice extends { finish_reason?: string | null }>(
    chunks: { data: AsyncIterable<{ choices: Choice[]; usage?: CompletionUsage | null }>; response: Response },
    carried: (choice: Choice | undefined) => Generator<StreamEvent>,
  ): AsyncGenerator<StreamEvent, boolean> {
    const whole = await jsonInPlaceOfStream(provider, chunks.response, BASE_URL_HINT, openAiErrorKind, settings.apiKey, unservedPathHint, isWholeAnswer);
    yield { type: 'started' };
    let received = false;
    let finished = false;
    let brokenOff: string | undefined;
    // A whole answer in place of the stream (a server or proxy that ignores `stream`) is read as its one chunk.
    const source = whole ? [chunkOfWholeAnswer(whole) as unknown as { choices: Choice[]; usage?: CompletionUsage | null }] : chunksOf(chunks.data, chunks.response);
    for await (const chunk of source) {
      received = true;
      const choice = chunk.choices[0];
      yield* carried(choice);
      if (choice?.finish_reason) finished = true;
      if (choice?.finish_reason && BROKEN_OFF.has(choice.finish_reason)) brokenOff = choice.finish_reason;
      if (choice?.finish_reason === 'length') yield { type: 'max-tokens' };
      if (chunk.usage) yield* usageEvents(chunk.usage, openRouter);
    }
    if (!received) notAnEventStream(provider, chunks.response, BASE_URL_HINT, settings.apiKey);
    // Read on to the usage after it, then said as the failure it is: the answer so far is not the whole of one.
    if (brokenOff) throw httpError(provider, { kind: 'server', detail: `the answer was broken off (finish_reason "${brokenOff}")` });
    if (settings.gateway === 'litellm') yield* headerCost(chunks.response);
    return finished;
  }

  const specific = stainlessErrors(provider, { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError }, (error) => {
    const refused = refusedUrlCredentials(provider, address, error.status);
    if (refused) return refused;
    const body = error.error as { message?: unknown; code?: unknown; type?: unknown } | string | undefined;
    // The SDK hands over `error` of `{error: …}`, or the whole body where it has none (vLLM, FastAPI servers).
    const said = errorWords(body);
    // A framework's bare "Not Found" for a path it does not serve is said as the 404 that says nothing (below).
    const words = said !== undefined && error.status === 404 && saysOnlyNotFound(said) ? undefined : said;
    if (error.status === undefined) {
      // An error event inside a 200 stream; OpenRouter puts the HTTP-like status in `code`.
      const code = typeof body === 'object' && typeof body?.code === 'number' ? body.code : undefined;
      return httpError(provider, { kind: code ? kindForStatus(code) : 'server', detail: words, secret: settings.apiKey });
    }
    return httpError(provider, {
      status: error.status,
      retryAfter: headerValue(error.headers, 'retry-after'),
      retryAfterMs: headerValue(error.headers, 'retry-after-ms'),
      // A 404 with nothing readable is a path no API serves (a baseUrl without /v1) or a model the server
      // does not name in a body the SDK can read: both are fixed in the settings.
      // (Ollama's plain "404 page not found" is such a path too.) Any other plain-text body is quoted.
      detail:
        words ??
        (error.status === 404 ? `nothing answers there: check its baseUrl (${BASE_URL_HINT}) and the model id` : textBodyWords(error)),
      secret: settings.apiKey,
      // The code names the case (`model_not_found`, `unsupported_country_region_territory`); the type when none is
      // set, unless it is the catch-all `invalid_request_error`, which names nothing.
      ...(typeof body === 'object' && typeof body?.code === 'string'
        ? { code: body.code }
        : typeof body === 'object' && typeof body?.type === 'string' && body.type !== 'invalid_request_error' && { code: body.type }),
    });
  }, official ? undefined : settings.baseUrl);

  const stream = (model: string, request: ModelRequest, signal: AbortSignal) =>
    guardStream(provider, signal, events(model, request, signal), (error) => mapSdkError(provider, error, signal, specific, settings.apiKey));

  // GET /models: free, and what every OpenAI-compatible server answers.
  // OpenAI's list, and an OpenAI-compatible server's, is one page: every model, so a route's model missing from it is not served.
  const { warm, check } = modelListing(
    async (signal) => listedModels(provider, await client.get<unknown>('/models', signal ? { signal } : {}), settings.apiKey),
    (error, signal) => mapSdkError(provider, error, signal, specific, settings.apiKey),
    { listsEveryModel: true },
  );

  return { id: provider, kind: 'openai', stream, warm, check };
}

/**
 * What an OpenAI-shaped error body in a 200 says went wrong: OpenRouter puts the HTTP-like status in `code`,
 * OpenAI's own shape a type; anything else is not told apart (the provider's words say it).
 */
function openAiErrorKind(body: Record<string, unknown>): ProviderErrorKind | undefined {
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, type } = error as { code?: unknown; type?: unknown };
  if (typeof code === 'number' && code >= 400) return kindForStatus(code);
  if (type === 'server_error') return 'server';
  if (type === 'rate_limit_error' || type === 'rate_limit_exceeded') return 'rate-limited';
  return undefined;
}

/** What to add to the words of a 200's error body that says the path is not served (LM Studio's; unservedPath.ts). */
function unservedPathHint(words: string): string | undefined {
  return isUnexpectedEndpoint(words) ? `check its baseUrl (${BASE_URL_HINT})` : undefined;
}

/**
 * The models a listing's body names, or the error its 200 carried in place of `data`: LM Studio answers a path it
 * does not serve (GET /models, a baseUrl without /v1) with `{"error": "Unexpected endpoint…"}`, which read as a page
 * made a listing of no models, and a check would then say every route's model is unserved.
 */
function listedModels(provider: string, body: unknown, secret: string | undefined): { data: { id: string }[] } {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (Array.isArray(fields.data)) {
    return { data: fields.data.filter((model): model is { id: string } => typeof (model as { id?: unknown } | null)?.id === 'string') };
  }
  const words = errorWords(fields.error);
  if (!words) return { data: [] };
  const hint = unservedPathHint(words);
  throw httpError(provider, {
    kind: hint ? 'bad-request' : (openAiErrorKind(fields) ?? 'unknown'),
    detail: hint ? `${words}: ${hint}` : words,
    ...(secret !== undefined && { secret }),
  });
}

/** A whole completion, chat's (`message`) or legacy (`text`), where a stream was asked for. */
function isWholeAnswer(body: Record<string, unknown>): boolean {
  const first: unknown = Array.isArray(body.choices) ? body.choices[0] : undefined;
  return typeof first === 'object' && first !== null && ('message' in first || 'text' in first);
}

/** A whole completion as the one stream chunk it would have been: its message as the delta, its finish and usage. */
function chunkOfWholeAnswer(body: Record<string, unknown>): { choices: unknown[]; usage: unknown } {
  const choices = (body.choices as unknown[]).map((choice) => {
    const { message, text, finish_reason: finishReason } = (choice ?? {}) as { message?: unknown; text?: unknown; finish_reason?: unknown };
    return { ...(typeof text === 'string' && { text }), delta: typeof message === 'object' && message !== null ? message : {}, finish_reason: finishReason ?? null };
  });
  return { choices, usage: body.usage ?? null };
}

/** The text of a chunk in chat's shape (`delta.content`) where a legacy completion's `text` was expected. */
function chatContentOf(choice: unknown): string | undefined {
  if (typeof choice !== 'object' || choice === null) return undefined;
  const { delta } = choice as { delta?: unknown };
  if (typeof delta !== 'object' || delta === null) return undefined;
  const { content } = delta as { content?: unknown };
  return typeof content === 'string' ? content : undefined;
}

/**
 * A thinking model's reasoning delta, which is not part of the answer:
 * DeepSeek, vLLM, llama.cpp and LM Studio send `reasoning_content`, Ollama and
 * OpenRouter `reasoning`. Not in the SDK's types, so read from the raw delta.
 */
function reasoningOf(delta: unknown): string | undefined {
  if (typeof delta !== 'object' || delta === null) return undefined;
  const { reasoning_content: content, reasoning } = delta as { reasoning_content?: unknown; reasoning?: unknown };
  if (typeof content === 'string' && content) return content;
  if (typeof reasoning === 'string' && reasoning) return reasoning;
  return undefined;
}

/**
 * A 400 or 422 that names `stream_options` or `include_usage`, or that says
 * nothing at all.
 */
function refusesStreamOptions(error: unknown): boolean {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return false;
  const body = error.error as { message?: unknown } | string | undefined;
  // A body that is not JSON says what is wrong only if it has words (a proxy's plain text); none is Mistral's case.
  const words = body === undefined ? textBodyWords(error) : typeof body === 'string' ? body : JSON.stringify(body);
  if (words === undefined) return true;
  return /stream_options|include_usage/.test(words);
}

/**
 * Usage, and the cost OpenRouter puts beside it. A gateway's figure replaces the price table's in the ledger and the
 * budget, so it is read only from the gateway the user named (`gateway`, or OpenRouter's own host): any other server
 * (OpenAI's API, a local one, a relay) could otherwise price its requests at nothing and spend past every budget.
 */
function* usageEvents(usage: CompletionUsage, fromOpenRouter: boolean): Generator<StreamEvent> {
  yield { type: 'usage', usage: normaliseUsage(usage) };
  const cost = fromOpenRouter ? costFromOpenRouterUsage(usage) : undefined;
  if (cost) yield { type: 'cost', ...cost };
}

/** LiteLLM's cost header, read once the stream has ended (headers come through `.withResponse()`), from a provider set as `gateway: "litellm"` only (see usageEvents). */
function* headerCost(response: Response): Generator<StreamEvent> {
  const cost = costFromLiteLLMHeader(response.headers.get(LITELLM_COST_HEADER), true);
  if (cost) yield { type: 'cost', ...cost };
}

function isOfficialOpenAI(baseUrl: string | undefined): boolean {
  if (!baseUrl) return true;
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/** The chat-completions body; `official` is true for api.openai.com, whose newer models are stricter. */
export function chatRequestBody(
  model: string,
  request: ModelRequest,
  official: boolean,
  openRouter = false,
  askUsage = true,
): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push({ role: message.role, content: message.content });
  const reasoning = official && REASONING_MODEL.test(model);
  return {
    model,
    messages,
    // Most local servers only know max_tokens; OpenAI's newer models only accept max_completion_tokens.
    ...(official ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
    ...(!reasoning && request.temperature !== undefined && { temperature: request.temperature }),
    ...(!reasoning && request.stop?.length && { stop: request.stop }),
    stream: true,
    ...(askUsage && { stream_options: { include_usage: true } }),
    // OpenRouter's usage accounting: the cost of the request in the last chunk (now sent unasked; older deployments need this).
    ...(openRouter && { usage: { include: true } }),
  };
}

/**
 * OpenAI counts cached (and cache-written) tokens inside `prompt_tokens`;
 * Switchboard's inputTokens excludes them so each is priced once.
 * DeepSeek reports cache hits as `prompt_cache_hit_tokens` instead.
 */
export function normaliseUsage(usage: CompletionUsage): Partial<Usage> {
  const details = usage.prompt_tokens_details;
  const deepSeekHits = (usage as { prompt_cache_hit_tokens?: unknown }).prompt_cache_hit_tokens;
  const cacheRead = tokenCount(details?.cached_tokens) ?? tokenCount(deepSeekHits) ?? 0;
  const cacheWrite = tokenCount(details?.cache_write_tokens) ?? 0;
  // A count a server left out (or sent as null or text) is not a count of zero: left unset, the router estimates it.
  const prompt = tokenCount(usage.prompt_tokens);
  const output = tokenCount(usage.completion_tokens);
  return {
    ...(prompt !== undefined && { inputTokens: Math.max(0, prompt - cacheRead - cacheWrite) }),
    ...(output !== undefined && { outputTokens: output }),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
