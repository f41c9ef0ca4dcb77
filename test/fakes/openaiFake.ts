/**
 * A fake OpenAI-compatible server: /v1/chat/completions and /v1/completions
 * streamed as `data: {chunk}` lines ending in `data: [DONE]`, and /v1/models.
 */
import type http from 'node:http';
import type { Usage } from '../../src/core/types';
import {
  FakeState,
  defaultAnswer,
  defaultCompletion,
  fakeId,
  overContextWindow,
  planAnswer,
  type AnswerWriter,
  type FakeReply,
  type FakeServer,
  type FakeServerOptions,
} from './fakeServer';
import {
  cutConnection,
  endedBeforeAnswer,
  presentedKey,
  retryHeaders,
  sendErrorText,
  sendJson,
  startEventStream,
  startHttpFake,
  type HttpExchange,
} from './httpFake';
import { answerInFront, answerUnknownPath, AZURE_PROMPT_FILTER_CHUNK, azureRoute, openRouterStreamError, sseFrame, type SseQuirks, type UnknownPathAnswer } from './serverQuirks';

export interface FakeOpenAIOptions extends FakeServerOptions {
  /** Listed by GET /v1/models. */
  models?: string[];
  /**
   * Speak as a gateway in front of the provider, reporting each request's cost
   * the way it does: OpenRouter as `usage.cost` (credits, i.e. USD) in the last
   * chunk, sent whether or not usage was asked for; LiteLLM's proxy in the
   * `x-litellm-response-cost` header, sent with the stream's headers.
   */
  gateway?: { kind: 'openrouter' | 'litellm'; costUsd: (usage: Usage, model: string) => number };
  /**
   * Refuse a body carrying `stream_options` with 422 and a validation error at
   * the top level, outside `error` (Mistral's API: pydantic's extra_forbidden),
   * so the SDK sees no message; answer the same body without it.
   */
  refuseStreamOptions?: boolean;
  /**
   * GET /v1/models answered with this error (after the key check), in OpenAI's `{error: {message, type, code}}`:
   * a key that is accepted but refused access, as OpenAI answers a country it does not serve with 403.
   */
  modelsRefusal?: Pick<FakeReply, 'status' | 'errorCode' | 'errorMessage'>;
  /** Write every event stream as another server does (serverQuirks.ts): line ends, comments, where usage goes. */
  wire?: SseQuirks;
  /** Answer a path it does not serve (a baseUrl without `/v1`) as this server does; else a JSON 404. */
  unknownPath?: UnknownPathAnswer;
  /**
   * Speak as an Azure OpenAI resource (serverQuirks.ts, azureRoute): its v1 API under `/openai/v1` (the key as a
   * bearer token or `api-key`), and a deployment's classic path that takes only `api-key` and an `api-version`.
   */
  azure?: boolean;
}

const DEFAULT_MODELS = ['gpt-5-mini', 'gpt-4.1-mini', 'qwen2.5-coder:7b'];

const ERROR_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'service_unavailable',
};

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeServer> {
  const state = new FakeState(options.defaults, options.replyFor, options.answerer);
  const models = options.models ?? DEFAULT_MODELS;

  async function handle({ request, response, connection }: HttpExchange): Promise<void> {
    if (answerInFront(request, response, options)) return;
    const azure = options.azure ? azureRoute(request, options.apiKey) : undefined;
    if (azure?.refusal) return sendJson(response, azure.refusal.status, azure.refusal.body);
    const path = azure?.path ?? request.path.split('?')[0];
    if (!azure && options.apiKey !== undefined && presentedKey(request) !== options.apiKey) {
      return sendError(response, { status: 401, errorCode: 'invalid_api_key', errorMessage: 'Incorrect API key provided.' });
    }
    if (request.method === 'GET' && path === '/v1/models') {
      if (options.modelsRefusal) return sendError(response, options.modelsRefusal);
      const created = Math.floor(Date.now() / 1000);
      return sendJson(response, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created, owned_by: 'switchboard-fake' })),
      });
    }
    const legacy = path === '/v1/completions';
    if (request.method !== 'POST' || (!legacy && path !== '/v1/chat/completions')) {
      if (options.unknownPath) return answerUnknownPath(response, options.unknownPath, request.method, path ?? '');
      return sendJson(response, 404, { error: { message: `Unknown path ${path}`, type: 'invalid_request_error' } });
    }
    const body = (request.body ?? {}) as { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    // A classic deployment's path names the model: Azure ignores the body's.
    const model = azure?.deployment ?? body.model ?? 'unknown-model';
    if (options.refuseStreamOptions && body.stream_options) {
      return sendJson(response, 422, {
        object: 'error',
        message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted', input: body.stream_options }] },
        type: 'invalid_request_error',
        param: null,
        code: null,
      });
    }
    const reply = state.nextReply(model, request, legacy);
    const over = overContextWindow(reply, request.body);
    if (over) {
      return sendError(response, {
        status: 400,
        errorCode: 'context_length_exceeded',
        errorMessage: `This model's maximum context length is ${over.window} tokens. However, your messages resulted in ${over.tokens} tokens. Please reduce the length of the messages.`,
      });
    }
    if (await endedBeforeAnswer({ response, connection }, reply, sendError)) return;

    const plan = planAnswer(model, reply, request.body, (prompt) => (legacy ? defaultCompletion(model) : defaultAnswer(model, prompt)), !legacy);
    const { usage } = plan;
    // The shape of the answer: a server that speaks only chat answers the completions path as a chat.
    const legacyShape = legacy && !reply.chatShapeOnCompletions;
    if (body.stream === false || body.stream === undefined) {
      state.billWhole(plan);
      return sendJson(response, 200, wholeAnswer(legacyShape, model, plan.text, usage));
    }
    const gateway = options.gateway && { kind: options.gateway.kind, costUsd: options.gateway.costUsd(usage, model) };
    const includeUsage = body.stream_options?.include_usage === true || gateway?.kind === 'openrouter';
    await state.stream(plan, connection, sseWriter(response, legacyShape, model, includeUsage, usage, reply, gateway, plan.thinking.length, options.wire));
  }

  return startHttpFake(state, handle);
}

function sendError(response: http.ServerResponse, reply: FakeReply): void {
  const status = reply.status ?? 500;
  if (sendErrorText(response, status, reply, retryHeaders(reply))) return;
  sendJson(
    response,
    status,
    reply.errorBody ?? {
      error: {
        message: reply.errorMessage ?? `Simulated error ${status}`,
        type: ERROR_TYPE_BY_STATUS[status] ?? 'server_error',
        // OpenAI names the parameter at fault: `messages` for a prompt over the context window.
        param: reply.errorCode === 'context_length_exceeded' ? 'messages' : null,
        code: reply.errorCode ?? null,
      },
    },
    { 'x-request-id': fakeId('req_'), ...retryHeaders(reply) },
  );
}

/** OpenAI counts cached and cache-written tokens inside prompt_tokens. */
function wireUsage(usage: Usage) {
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: promptTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cacheReadTokens,
      audio_tokens: 0,
      ...(usage.cacheWriteTokens > 0 && { cache_write_tokens: usage.cacheWriteTokens }),
    },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

function sseWriter(
  response: http.ServerResponse,
  legacy: boolean,
  model: string,
  includeUsage: boolean,
  usage: Usage,
  reply: FakeReply,
  gateway?: { kind: 'openrouter' | 'litellm'; costUsd: number },
  /** The first pieces are reasoning (reply.reasoning), sent in its field beside an empty content. */
  reasoningPieces = 0,
  wire: SseQuirks = {},
): AnswerWriter {
  const id = fakeId(legacy ? 'cmpl-' : 'chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const usageField = includeUsage ? { usage: null } : {};
  const event = (data: unknown) => sseFrame(JSON.stringify(data), wire);
  const send = (data: unknown) => response.write(event(data));
  const textChunk = (piece: string) => chunk(legacy ? { text: piece, finish_reason: null } : { delta: { content: piece }, finish_reason: null });
  const chunk = (choice: Record<string, unknown>) =>
    legacy
      ? { id, object: 'text_completion', created, model, choices: [{ index: 0, logprobs: null, ...choice }], ...usageField }
      : {
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          system_fingerprint: 'fp_fake',
          choices: [{ index: 0, logprobs: null, ...choice, ...(wire.azureFilters && { content_filter_results: {} }) }],
          ...usageField,
        };

  return {
    headers() {
      startEventStream(response, {
        'x-request-id': fakeId('req_'),
        ...(gateway?.kind === 'litellm' && { 'x-litellm-response-cost': String(gateway.costUsd) }),
      });
    },
    openers() {
      if (wire.azureFilters) send(AZURE_PROMPT_FILTER_CHUNK);
      if (!legacy) send(chunk({ delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null }));
    },
    text(piece, index) {
      if (index < reasoningPieces) {
        send(chunk({ delta: { content: '', [reply.reasoning?.field ?? 'reasoning_content']: piece }, finish_reason: null }));
        return;
      }
      send(textChunk(piece));
    },
    halfText(piece) {
      // As a text delta even where the piece would be reasoning: either way the client sees bytes that end mid-event.
      const whole = event(textChunk(piece));
      response.write(whole.slice(0, Math.floor(whole.length / 2)));
    },
    malformed() {
      response.write(`data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"delta":{"content":\n\n`);
      response.end();
    },
    streamError() {
      // OpenRouter-style: the upstream's HTTP status travels as a numeric `code`.
      const code = Number(reply.errorCode) || 502;
      const message = reply.errorMessage ?? 'Simulated upstream error';
      send(wire.openRouterStreamError ? openRouterStreamError(id, model, message) : { error: { message, code } });
      response.end();
    },
    finish() {
      const reason = wire.finishReason ?? (reply.stopAtMaxTokens ? 'length' : 'stop');
      const accounting = gateway?.kind === 'openrouter' ? { cost: gateway.costUsd, is_byok: false, cost_details: { upstream_inference_cost: null } } : {};
      const usagePlace = !includeUsage || wire.usage === 'none' ? 'none' : (wire.usage ?? 'own-chunk');
      const last = chunk(legacy ? { text: '', finish_reason: reason } : { delta: {}, finish_reason: reason });
      send(usagePlace === 'on-finish' ? { ...last, usage: { ...wireUsage(usage), ...accounting } } : last);
      if (usagePlace === 'own-chunk') {
        const object = legacy ? 'text_completion' : 'chat.completion.chunk';
        send({ id, object, created, model, choices: [], usage: { ...wireUsage(usage), ...accounting } });
      }
      response.end(wire.noDone ? undefined : sseFrame('[DONE]', wire));
    },
    cut() {
      cutConnection(response);
    },
    end() {
      response.end();
    },
  };
}

function wholeAnswer(legacy: boolean, model: string, answer: string, usage: Usage) {
  const created = Math.floor(Date.now() / 1000);
  if (legacy) {
    return {
      id: fakeId('cmpl-'),
      object: 'text_completion',
      created,
      model,
      choices: [{ index: 0, text: answer, logprobs: null, finish_reason: 'stop' }],
      usage: wireUsage(usage),
    };
  }
  return {
    id: fakeId('chatcmpl-'),
    object: 'chat.completion',
    created,
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' },
    ],
    usage: wireUsage(usage),
  };
}
