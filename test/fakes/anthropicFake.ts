/**
 * A fake Anthropic Messages API: POST /v1/messages streamed as named SSE
 * events (message_start, content_block_*, ping, message_delta, message_stop),
 * in the order and shape Anthropic sends them; and GET /v1/models, the
 * listing a connection warm-up asks for.
 */
import type http from 'node:http';
import type { Usage } from '../../src/core/types';
import {
  FakeState,
  defaultAnswer,
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
import { answerInFront, type AnthropicQuirks } from './serverQuirks';

export interface FakeAnthropicOptions extends FakeServerOptions {
  /** Write the event stream as an Anthropic-compatible server does (serverQuirks.ts): where usage goes, pings. */
  wire?: AnthropicQuirks;
}

const ERROR_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Listed by GET /v1/models. */
const FAKE_MODELS = ['claude-haiku-4-5', 'claude-sonnet-4-5'];

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  const state = new FakeState(options.defaults, options.replyFor, options.answerer);

  async function handle({ request, response, connection }: HttpExchange): Promise<void> {
    if (answerInFront(request, response, options)) return;
    const path = request.path.split('?')[0];
    if (options.apiKey !== undefined && presentedKey(request) !== options.apiKey) {
      return sendError(response, { status: 401, errorMessage: 'invalid x-api-key' });
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const data = FAKE_MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-10-01T00:00:00Z' }));
      return sendJson(response, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    if (request.method !== 'POST' || path !== '/v1/messages') {
      return sendError(response, { status: 404, errorMessage: `Unknown path ${path}` });
    }
    const body = (request.body ?? {}) as { model?: string; stream?: boolean };
    const model = body.model ?? 'unknown-model';
    const reply = state.nextReply(model, request);
    const over = overContextWindow(reply, request.body);
    if (over) return sendError(response, { status: 400, errorMessage: `prompt is too long: ${over.tokens} tokens > ${over.window} maximum` });
    if (await endedBeforeAnswer({ response, connection }, reply, sendError)) return;

    const plan = planAnswer(model, reply, request.body, (prompt) => defaultAnswer(model, prompt), body.stream === true);
    const { usage } = plan;
    if (!body.stream) {
      state.billWhole(plan);
      return sendJson(response, 200, {
        ...messageShell(model, usage),
        content: [{ type: 'text', text: plan.text }],
        stop_reason: 'end_turn',
        usage: wireUsage(usage, usage.outputTokens),
      });
    }
    await state.stream(plan, connection, sseWriter(response, model, usage, reply, plan.thinking.length, options.wire));
  }

  return startHttpFake(state, handle);
}

function sendError(response: http.ServerResponse, reply: FakeReply): void {
  const status = reply.status ?? 500;
  if (sendErrorText(response, status, reply, retryHeaders(reply))) return;
  const type = reply.errorCode ?? ERROR_TYPE_BY_STATUS[status] ?? 'api_error';
  const requestId = fakeId('req_');
  sendJson(
    response,
    status,
    reply.errorBody ?? { type: 'error', error: { type, message: reply.errorMessage ?? `Simulated ${type}` }, request_id: requestId },
    { 'request-id': requestId, ...retryHeaders(reply) },
  );
}

function messageShell(model: string, usage: Usage) {
  return {
    id: fakeId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content: [] as unknown[],
    stop_reason: null as string | null,
    stop_sequence: null,
    usage: wireUsage(usage, 1),
  };
}

/** Anthropic's input_tokens excludes cache reads and writes; message_start reports output_tokens so far. */
function wireUsage(usage: Usage, outputTokens: number) {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** The first `reasoningPieces` pieces are a thinking block (reply.reasoning) at index 0; the text block follows at 1. */
function sseWriter(response: http.ServerResponse, model: string, usage: Usage, reply: FakeReply, reasoningPieces = 0, wire: AnthropicQuirks = {}): AnswerWriter {
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const send = (name: string, data: unknown) => response.write(event(name, data));
  const textIndex = reasoningPieces > 0 ? 1 : 0;
  const real = wireUsage(usage, 1);
  const opening = wire.usage === 'input-at-end' ? { ...real, input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } : real;
  return {
    // What message_start reports, read back into Switchboard's vocabulary.
    usageAtStart: {
      inputTokens: opening.input_tokens,
      outputTokens: opening.output_tokens,
      cacheReadTokens: opening.cache_read_input_tokens,
      cacheWriteTokens: opening.cache_creation_input_tokens,
    },
    headers() {
      startEventStream(response, { 'request-id': fakeId('req_') });
    },
    openers() {
      send('message_start', { type: 'message_start', message: { ...messageShell(model, usage), usage: opening } });
      const block = reasoningPieces > 0 ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' };
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: block });
      send('ping', { type: 'ping' });
    },
    text(piece, index) {
      if (wire.pingBetweenDeltas && index > 0) send('ping', { type: 'ping' });
      if (index < reasoningPieces) {
        send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: piece } });
        return;
      }
      if (index === reasoningPieces && reasoningPieces > 0) {
        send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'ZmFrZQ==' } });
        send('content_block_stop', { type: 'content_block_stop', index: 0 });
        send('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } });
      }
      send('content_block_delta', { type: 'content_block_delta', index: textIndex, delta: { type: 'text_delta', text: piece } });
    },
    halfText(piece) {
      // The text block's delta (a cut inside a thinking block reads the same to the client: bytes that end mid-event).
      const whole = event('content_block_delta', { type: 'content_block_delta', index: textIndex, delta: { type: 'text_delta', text: piece } });
      response.write(whole.slice(0, Math.floor(whole.length / 2)));
    },
    malformed() {
      response.write('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":\n\n');
      response.end();
    },
    streamError() {
      const type = reply.errorCode ?? 'overloaded_error';
      send('error', { type: 'error', error: { type, message: reply.errorMessage ?? `Simulated ${type}` } });
      response.end();
    },
    finish() {
      send('content_block_stop', { type: 'content_block_stop', index: textIndex });
      send('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: reply.stopAtMaxTokens ? 'max_tokens' : 'end_turn', stop_sequence: null },
        usage: finalUsage(usage, wire),
      });
      send('message_stop', { type: 'message_stop' });
      response.end();
    },
    cut() {
      cutConnection(response);
    },
    end() {
      response.end();
    },
  };
}

/** The final message_delta's usage: Anthropic's output count, or a compatible server's (AnthropicQuirks.usage). */
function finalUsage(usage: Usage, wire: AnthropicQuirks): Record<string, number> {
  if (wire.usage === 'input-at-end') {
    return { input_tokens: usage.inputTokens, cache_creation_input_tokens: usage.cacheWriteTokens, cache_read_input_tokens: usage.cacheReadTokens, output_tokens: usage.outputTokens };
  }
  if (wire.usage === 'zero-input-at-end') return { input_tokens: 0, output_tokens: usage.outputTokens };
  return { output_tokens: usage.outputTokens };
}
