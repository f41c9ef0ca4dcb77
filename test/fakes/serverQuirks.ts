/**
 * How the servers people point the `openai` provider at write their event streams and answer a wrong path, where
 * they differ from OpenAI's API. Each quirk is a server's real behaviour (the comment names whose), so the fake
 * can speak as that server and the real SDK parses its real bytes.
 */
import type http from 'node:http';
import type { LoggedRequest } from './fakeServer';
import { presentedKey, sendJson } from './httpFake';

export interface SseQuirks {
  /** `\r\n` line ends (servers behind some proxies and Windows-hosted gateways); OpenAI writes `\n`. */
  lineEnd?: '\n' | '\r\n';
  /** `data:{…}` with no space after the colon, which the SSE spec allows (some Go and Rust servers write it). */
  dataWithoutSpace?: boolean;
  /**
   * An SSE comment line sent before every event: OpenRouter's `: OPENROUTER PROCESSING` while it waits upstream,
   * a proxy's `: keep-alive`.
   */
  comment?: string;
  /**
   * Where usage comes: in a chunk of its own with empty `choices` (OpenAI, current llama.cpp and vLLM), on the chunk
   * that carries finish_reason (llama.cpp before its OpenAI-spec fix, some gateways), or not at all (llama-cpp-python,
   * older vLLM, servers that ignore `stream_options`).
   */
  usage?: 'own-chunk' | 'on-finish' | 'none';
  /** No `data: [DONE]` after the last chunk: the body just ends (some proxies and older servers). */
  noDone?: boolean;
  /**
   * OpenRouter's own shape for an error after the 200: a chunk with an `error` whose `code` is a word
   * (`server_error`) and a choice whose finish_reason is `error`, rather than the fake's plain `{error: {code: 502}}`.
   */
  openRouterStreamError?: boolean;
  /**
   * The finish_reason of the last chunk in place of `stop`: vLLM's and SGLang's `abort` when the engine ended the
   * request (a shutdown, a scale-down, an abort), still followed by usage and `[DONE]`; OpenRouter's `error`.
   */
  finishReason?: string;
  /**
   * Azure OpenAI's content-filter chunks: a first chunk with empty `choices` and `prompt_filter_results` (and
   * empty id, model and object), and `content_filter_results` on every choice.
   */
  azureFilters?: boolean;
}

/** Azure's first chunk: the prompt's filter results, no choice. */
export const AZURE_PROMPT_FILTER_CHUNK = {
  choices: [],
  created: 0,
  id: '',
  model: '',
  object: '',
  prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' } } }],
};

/** One SSE event carrying `data`, framed as the quirks say. */
export function sseFrame(data: string, quirks: SseQuirks = {}): string {
  const eol = quirks.lineEnd ?? '\n';
  const comment = quirks.comment === undefined ? '' : `: ${quirks.comment}${eol}${eol}`;
  return `${comment}${quirks.dataWithoutSpace ? 'data:' : 'data: '}${data}${eol}${eol}`;
}

/** OpenRouter's mid-stream error chunk (its docs' "Handling Errors During Streaming"). */
export function openRouterStreamError(id: string, model: string, message: string): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    provider: 'FakeUpstream',
    error: { code: 'server_error', message },
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
  };
}

/**
 * What a server answers for a path it does not serve, such as `/chat/completions` asked of a baseUrl without `/v1`:
 * Ollama (Go's mux) a plain-text "404 page not found"; vLLM and LiteLLM (FastAPI) a 404 `{"detail":"Not Found"}`;
 * LM Studio a 200 (it logs "Returning 200 anyway") with `{"error":"Unexpected endpoint or method. (POST /path)"}`.
 */
export type UnknownPathAnswer = 'ollama' | 'fastapi' | 'lmstudio';

export function answerUnknownPath(response: http.ServerResponse, server: UnknownPathAnswer, method: string, path: string): void {
  if (server === 'ollama') {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('404 page not found');
  } else if (server === 'fastapi') {
    sendJson(response, 404, { detail: 'Not Found' });
  } else {
    sendJson(response, 200, { error: `Unexpected endpoint or method. (${method} ${path})` });
  }
}

/**
 * Where an Anthropic-compatible server puts a message's usage, where it differs from Anthropic (whose message_start
 * carries the prompt's counts and whose final message_delta repeats them, cumulative, beside the output's):
 * `input-at-end`, message_start says `input_tokens: 0` and only the final message_delta has the real counts
 * (SGLang's /v1/messages before its fix, other OpenAI-to-Anthropic shims); `zero-input-at-end`, message_start has the
 * real counts and the final message_delta says `input_tokens: 0` (SGLang after that fix, per its own change notes).
 */
export interface AnthropicQuirks {
  usage?: 'input-at-end' | 'zero-input-at-end';
  /** A `ping` event between every two deltas, as Anthropic sends them through a long answer. */
  pingBetweenDeltas?: boolean;
}

/** What Azure OpenAI answers a key it does not accept (its 401 body, as the REST reference shows it). */
const AZURE_ACCESS_DENIED = {
  error: {
    code: '401',
    message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};

/**
 * How an Azure OpenAI resource reads a request's path and key. Its v1 API (`/openai/v1/…`, GA since August 2025) is
 * OpenAI's dialect: the model is the deployment's name, the key comes as a bearer token (as the OpenAI SDK sends it)
 * or as `api-key`, and an `api-version` query is optional. A classic deployment path
 * (`/openai/deployments/{name}/chat/completions?api-version=2024-10-21`) serves that one deployment whatever model the
 * body names, wants an `api-version`, and takes a key only as `api-key`: a bearer token there must be a Microsoft Entra
 * token, so an API key sent as one is refused with 401. Returns the OpenAI path to serve (`/v1/…`) and, on a
 * deployment path, the deployment; or the refusal to send.
 */
export function azureRoute(
  request: LoggedRequest,
  apiKey: string | undefined,
): { path?: string; deployment?: string; refusal?: { status: number; body: unknown } } {
  const url = new URL(request.path, 'http://azure.invalid');
  const header = request.headers['api-key'];
  const keyHeader = typeof header === 'string' ? header : undefined;
  const v1 = /^\/openai(\/v1\/.*)$/.exec(url.pathname);
  if (v1) {
    if (apiKey !== undefined && (keyHeader ?? presentedKey(request)) !== apiKey) return { refusal: { status: 401, body: AZURE_ACCESS_DENIED } };
    return { path: v1[1] };
  }
  const deployment = /^\/openai\/deployments\/([^/]+)(\/(?:chat\/)?completions)$/.exec(url.pathname);
  if (!deployment || !url.searchParams.get('api-version')) return { refusal: { status: 404, body: { error: { code: '404', message: 'Resource not found' } } } };
  if (apiKey !== undefined && keyHeader !== apiKey) return { refusal: { status: 401, body: AZURE_ACCESS_DENIED } };
  return { path: `/v1${deployment[2]}`, deployment: decodeURIComponent(deployment[1]!) };
}

/** nginx's page for a request its `auth_basic` turned away. */
const NGINX_401 = '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * What a proxy in front of the server answers before the server sees the request, if anything (true when it did):
 * a 307 to another origin (`redirectTo`), or, for a request without the right `Authorization: Basic`, nginx's 401 page
 * with its `WWW-Authenticate` challenge (`basicAuth`). The request stays logged as it came, its header included.
 */
export function answerInFront(
  request: LoggedRequest,
  response: http.ServerResponse,
  front: { basicAuth?: { user: string; password: string }; redirectTo?: string },
): boolean {
  if (front.redirectTo) {
    response.writeHead(307, { location: `${front.redirectTo}${request.path}`, 'content-length': '0' });
    response.end();
    return true;
  }
  if (!front.basicAuth) return false;
  const expected = `Basic ${Buffer.from(`${front.basicAuth.user}:${front.basicAuth.password}`, 'utf8').toString('base64')}`;
  if (request.headers.authorization !== expected) {
    response.writeHead(401, { 'content-type': 'text/html', 'www-authenticate': 'Basic realm="Ollama"' });
    response.end(NGINX_401);
    return true;
  }
  return false;
}
