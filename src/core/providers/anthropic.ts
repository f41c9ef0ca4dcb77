import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ModelRequest, StreamEvent, Usage } from '../types';
import { clearedHeaders } from './envHeaders';
import { refusedUrlCredentials, splitUrlCredentials } from './urlCredentials';
import type { ProviderAdapter, ProviderSettings } from './provider';
import { guardStream, mapSdkError } from './adapterStream';
import { modelListing } from './modelListing';
import type { ProviderErrorKind } from './providerError';
import { errorWords, textBodyWords } from './errorWords';
import { headerValue, httpError, jsonInPlaceOfStream, notAnEventStream } from './sdkErrors';
import { stainlessErrors } from './stainlessErrors';
import { usableStops } from './stopSequences';
import { boundingErrorBodies } from './errorBodyLimit';
import { retryingStaleConnections } from './staleConnection';

const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Proxies in front of Anthropic may not want a key, but the SDK refuses to start without one. */
const PLACEHOLDER_KEY = 'not-needed';

/** Anthropic's `error.type`, which also arrives inside an otherwise healthy 200 stream. */
const KIND_BY_ERROR_TYPE: Readonly<Record<string, ProviderErrorKind>> = {
  rate_limit_error: 'rate-limited',
  overloaded_error: 'overloaded',
  api_error: 'server',
  timeout_error: 'server',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'bad-request',
  not_found_error: 'bad-request',
  request_too_large: 'bad-request',
};

/** How an Anthropic baseUrl is written, for messages that send the user to it. */
const BASE_URL_HINT = 'the bare host, as the Anthropic SDK takes it';

/** An Anthropic-shaped error body's type (`{type: "error", error: {type: "overloaded_error", …}}`), as its kind. */
function anthropicErrorKind(body: Record<string, unknown>): ProviderErrorKind | undefined {
  const type = typeof body.error === 'object' && body.error !== null ? (body.error as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? KIND_BY_ERROR_TYPE[type] : undefined;
}

type UsageFields = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
};

export function createAnthropicProvider(settings: ProviderSettings): ProviderAdapter {
  const provider = settings.id;
  // Credentials in the address (a basic-auth proxy in front) go as `Authorization: Basic` (urlCredentials.ts). This
  // SDK sends the key in that same header (as a bearer token), so, as for OpenAI's, the proxy's credentials win and
  // a key set as well is not sent.
  const address = splitUrlCredentials(settings.baseUrl || ANTHROPIC_BASE_URL);
  const client = new Anthropic({
    apiKey: (!address.authorization && settings.apiKey) || PLACEHOLDER_KEY,
    baseURL: address.url,
    // The router is the one retry loop, and it times out by aborting the signal.
    maxRetries: 0,
    // Failures reach the user as ProviderErrors; the SDK's console lines would only be noise.
    logLevel: 'off',
    defaultHeaders: { ...clearedHeaders(settings.clearHeaders), ...(address.authorization && { Authorization: address.authorization }) },
    // Reads no more of an error body than its message needs (errorBodyLimit.ts); asks again a request that met a
    // kept-alive connection the server had just closed (staleConnection.ts).
    fetch: boundingErrorBodies(retryingStaleConnections()),
  });

  async function* events(model: string, request: ModelRequest, signal: AbortSignal): AsyncGenerator<StreamEvent, boolean> {
    const events = await client.messages.create(
      {
        model,
        max_tokens: request.maxTokens,
        messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
        ...(request.system && { system: request.system }),
        ...(usableStops(request.stop) && { stop_sequences: usableStops(request.stop) }),
        stream: true,
      },
      { signal },
    ).withResponse();
    await jsonInPlaceOfStream(provider, events.response, BASE_URL_HINT, anthropicErrorKind, settings.apiKey);
    yield { type: 'started' };
    // Read to the end rather than returning at message_stop, so the connection is left clean for reuse.
    let finished = false;
    let received = false;
    // The counts so far: Anthropic's are cumulative (message_delta repeats message_start's), so none goes down.
    let counted: Partial<Usage> = {};
    for await (const event of events.data) {
      received = true;
      switch (event.type) {
        case 'message_start':
          // Anthropic-compatible servers (proxies, local ones) may leave usage out: the router then estimates it.
          if (event.message?.usage) yield { type: 'usage', usage: (counted = cumulativeUsage(counted, normaliseUsage(event.message.usage))) };
          break;
        case 'content_block_delta':
          if (event.delta.type === 'text_delta' && event.delta.text) yield { type: 'text', text: event.delta.text };
          // Not asked for, but Anthropic-compatible servers of thinking models send it: progress, never shown.
          else if (event.delta.type === 'thinking_delta' && event.delta.thinking) yield { type: 'reasoning', chars: event.delta.thinking.length };
          break;
        case 'message_delta':
          if (event.usage) yield { type: 'usage', usage: (counted = cumulativeUsage(counted, normaliseUsage(event.usage))) };
          if (event.delta?.stop_reason === 'max_tokens') yield { type: 'max-tokens' };
          break;
        case 'message_stop':
          finished = true;
          break;
      }
    }
    if (!received) notAnEventStream(provider, events.response, BASE_URL_HINT, settings.apiKey);
    return finished;
  }

  const specific = stainlessErrors(provider, { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError }, (error) =>
    refusedUrlCredentials(provider, address, error.status) ?? httpError(provider, {
      status: error.status,
      kind: (error.type && KIND_BY_ERROR_TYPE[error.type]) || (error.status === undefined ? 'server' : undefined),
      retryAfter: headerValue(error.headers, 'retry-after'),
      retryAfterMs: headerValue(error.headers, 'retry-after-ms'),
      // Anthropic's own `{error: {message}}` first; a compatible server's other shapes after.
      detail: error.apiMessage ?? errorWords(error.error) ?? textBodyWords(error),
      secret: settings.apiKey,
      ...(error.type && { code: error.type }),
    }),
    settings.baseUrl,
  );

  const stream = (model: string, request: ModelRequest, signal: AbortSignal) =>
    guardStream(provider, signal, events(model, request, signal), (error) => mapSdkError(provider, error, signal, specific, settings.apiKey));

  // GET /v1/models: free, on the same host as the messages.
  // No ids: Anthropic's list comes in pages of 20, so a model missing from the first page may still be served.
  const { warm, check } = modelListing(
    (signal) => client.models.list({}, signal ? { signal } : undefined),
    (error, signal) => mapSdkError(provider, error, signal, specific, settings.apiKey),
    { listsEveryModel: false },
  );

  return { id: provider, kind: 'anthropic', stream, warm, check };
}

/**
 * Anthropic's input_tokens already excludes cache reads and writes. Fields
 * arrive in message_start and again (possibly null) in message_delta; only
 * reported numbers are passed on so later events replace earlier ones.
 */
export function normaliseUsage(usage: UsageFields): Partial<Usage> {
  const normalised: Partial<Usage> = {};
  if (typeof usage.input_tokens === 'number') normalised.inputTokens = usage.input_tokens;
  if (typeof usage.output_tokens === 'number') normalised.outputTokens = usage.output_tokens;
  if (typeof usage.cache_read_input_tokens === 'number') normalised.cacheReadTokens = usage.cache_read_input_tokens;
  if (typeof usage.cache_creation_input_tokens === 'number') {
    normalised.cacheWriteTokens = usage.cache_creation_input_tokens;
  }
  return normalised;
}

/**
 * Counts after a later usage event: each the larger of the two. Anthropic's counts are cumulative (the final
 * message_delta repeats message_start's prompt counts), so a later smaller one is a compatible server's placeholder:
 * SGLang's /v1/messages sent `input_tokens: 0` at message_start and the real count at the end, then the other way
 * round. Taken as it came, the 0 at the end would unbill the prompt.
 */
export function cumulativeUsage(before: Partial<Usage>, later: Partial<Usage>): Partial<Usage> {
  const merged: Partial<Usage> = { ...before };
  for (const key of Object.keys(later) as (keyof Usage)[]) {
    const value = later[key];
    if (value !== undefined) merged[key] = Math.max(before[key] ?? 0, value);
  }
  return merged;
}
