import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CompletionUsage } from 'openai/resources/completions';
import { chatRequestBody, createOpenAIProvider, normaliseUsage } from '../../../src/core/providers/openai';
import type { ProviderAdapter, ProviderSettings } from '../../../src/core/providers/provider';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { assertReportsMaxTokensStop } from './maxTokensStop';
import { assertCancelsBeforeFirstByte, assertCancelsMidAnswer, assertCutMidAnswer, assertMalformedAfterText } from './brokenStreams';
import { startFakeOpenAI, type FakeReply, type FakeServer } from '../../fakes/index';
import { closedPort } from '../../fakes/closedPort';

const REQUEST: ModelRequest = {
  system: 'You are terse.',
  messages: [{ role: 'user', content: 'Say hello' }],
  maxTokens: 64,
  temperature: 0.2,
  stop: ['\n\n'],
};

describe('OpenAI provider', () => {
  let fake: FakeServer;
  const settings = (extra: Partial<ProviderSettings> = {}): ProviderSettings => ({
    id: 'local',
    kind: 'openai',
    baseUrl: `${fake.url}/v1`,
    ...extra,
  });
  const adapter = (extra: Partial<ProviderSettings> = {}): ProviderAdapter => createOpenAIProvider(settings(extra));
  const stream = (provider: ProviderAdapter, request: ModelRequest = REQUEST, signal = new AbortController().signal) =>
    collectStream(provider.stream('qwen2.5-coder:7b', request, signal));

  before(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  it('streams chat text and reports usage with cached tokens taken out of the input count', async () => {
    fake.script({ text: 'Hello from the fake.', chunks: 3, usage: { inputTokens: 100, cacheReadTokens: 40, outputTokens: 7 } });
    const result = await stream(adapter());
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'Hello from the fake.');
    assert.equal(result.textEvents, 3);
    assert.deepEqual(result.usage, { inputTokens: 100, cacheReadTokens: 40, cacheWriteTokens: 0, outputTokens: 7 });
  });

  it('takes cache writes out of the input count when the endpoint reports them', async () => {
    fake.script({ usage: { inputTokens: 10, cacheWriteTokens: 500, outputTokens: 3 } });
    const result = await stream(adapter());
    assert.deepEqual(result.usage, { inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 500, outputTokens: 3 });
  });

  it('leaves unset the counts a server left out or sent as null or text, so they are estimated, not taken as zero', () => {
    assert.deepEqual(normaliseUsage({ total_tokens: 14 } as CompletionUsage), { cacheReadTokens: 0, cacheWriteTokens: 0 });
    assert.deepEqual(normaliseUsage({ prompt_tokens: 12, completion_tokens: null, total_tokens: 12 } as unknown as CompletionUsage), {
      inputTokens: 12,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    assert.deepEqual(normaliseUsage({ prompt_tokens: '12', completion_tokens: -3, total_tokens: 9 } as unknown as CompletionUsage), {
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('reads DeepSeek’s cache hits, which it reports outside prompt_tokens_details', () => {
    const usage = { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_cache_hit_tokens: 60 };
    assert.deepEqual(normaliseUsage(usage as CompletionUsage), {
      inputTokens: 40,
      cacheReadTokens: 60,
      cacheWriteTokens: 0,
      outputTokens: 5,
    });
  });

  it('reports a thinking model’s reasoning apart from its answer, in either field a server names it', async () => {
    const thought = 'The user wants a greeting. ';
    for (const field of ['reasoning_content', 'reasoning'] as const) {
      fake.script({ reasoning: { text: thought, chunks: 3, field }, text: 'Hello.', chunks: 1 });
      const result = await stream(adapter());
      assert.equal(result.error, undefined);
      assert.equal(result.text, 'Hello.', `${field} is not shown as the answer`);
      assert.equal(result.reasoningChars, thought.length, field);
    }
  });

  it('asks again without stream_options when a server refuses that field (Mistral’s 422), and leaves it out from then on', async () => {
    const strict = await startFakeOpenAI({ refuseStreamOptions: true });
    try {
      const provider = adapter({ baseUrl: `${strict.url}/v1` });
      strict.script({ text: 'First.' }, { text: 'Second.' });
      const first = await stream(provider);
      const second = await stream(provider);
      assert.equal(first.error, undefined);
      assert.equal(first.text, 'First.');
      assert.equal(second.text, 'Second.');
      assert.deepEqual(first.usage, {}, 'no usage: the router estimates it');
      const sentOptions = strict.requests.map((request) => 'stream_options' in (request.body as object));
      assert.deepEqual(sentOptions, [true, false, false], 'refused once, then never sent again');
    } finally {
      await strict.close();
    }
  });

  it('does not ask again when a bad request says what is wrong', async () => {
    fake.script({ status: 400, errorMessage: 'model "nope" not found' }, { text: 'never asked for' });
    const result = await stream(adapter());
    assert.equal((result.error as ProviderError).kind, 'bad-request');
    assert.equal(fake.requests.length, 1);
  });

  it('says when the provider stopped the answer at its max output, and not otherwise', () => assertReportsMaxTokensStop(fake, () => stream(adapter())));

  it('sends the system prompt, stop sequences and max_tokens the way local servers expect', async () => {
    await stream(adapter());
    const body = fake.requests[0]?.body as Record<string, unknown>;
    assert.equal(fake.requests[0]?.path, '/v1/chat/completions');
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Say hello' },
    ]);
    assert.deepEqual(body.stop, ['\n\n']);
    assert.equal(body.max_tokens, 64);
    assert.equal(body.temperature, 0.2);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('passes the API key, and works without a key for local servers', async () => {
    const keyed = await stream(adapter({ apiKey: 'sk-local-123' }));
    const keyless = await stream(adapter());
    assert.equal(fake.requests[0]?.headers.authorization, 'Bearer sk-local-123');
    assert.equal(keyed.error, undefined);
    assert.equal(keyless.error, undefined);
    assert.match(keyless.text, /^Simulated answer/);
  });

  it('uses the legacy completions endpoint with a suffix for fill-in-the-middle models', async () => {
    fake.script({ text: 'return a + b;', chunks: 2, usage: { inputTokens: 30, outputTokens: 5 } });
    const fim: ModelRequest = { ...REQUEST, fim: { prefix: 'function add(a, b) {\n  ', suffix: '\n}' } };
    const result = await stream(adapter({ fim: true }), fim);
    assert.equal(result.text, 'return a + b;');
    assert.deepEqual(result.usage, { inputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 5 });
    const request = fake.requests[0];
    assert.equal(request?.path, '/v1/completions');
    const body = request?.body as Record<string, unknown>;
    assert.equal(body.prompt, 'function add(a, b) {\n  ');
    assert.equal(body.suffix, '\n}');
    assert.equal(body.max_tokens, 64);
  });

  it('answers a fill-in-the-middle request through chat when the endpoint has no native FIM', async () => {
    await stream(adapter({ fim: false }), { ...REQUEST, fim: { prefix: 'a', suffix: 'b' } });
    assert.equal(fake.requests[0]?.path, '/v1/chat/completions');
  });

  it('closes the HTTP stream and throws a cancelled error when aborted mid-answer', async () => {
    await assertCancelsMidAnswer(fake, (signal) => adapter().stream('m', REQUEST, signal));
  });

  it('closes the connection when aborted before the first byte', async () => {
    await assertCancelsBeforeFirstByte(fake, (signal) => adapter().stream('qwen2.5-coder:7b', REQUEST, signal));
  });

  it('reports a 429 as rate-limited with the Retry-After delay, and does not retry by itself', async () => {
    fake.script({ status: 429, retryAfter: '7' });
    const seconds = await stream(adapter());
    fake.script({ status: 429, retryAfterMs: '1500' });
    const millis = await stream(adapter());
    const error = seconds.error as ProviderError;
    assert.equal(error.kind, 'rate-limited');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 7000);
    assert.equal((millis.error as ProviderError).retryAfterMs, 1500);
    assert.equal(error.message, 'local is rate-limiting requests (429)');
    assert.equal(fake.requests.length, 2);
  });

  it('rests a model at most 15 minutes however long a Retry-After the server names', async () => {
    fake.script({ status: 429, retryAfter: String(1000 * 365 * 86_400) });
    const seconds = await stream(adapter());
    fake.script({ status: 429, retryAfterMs: '1e15' });
    const millis = await stream(adapter());
    fake.script({ status: 503, retryAfter: 'Fri, 01 Jan 9999 00:00:00 GMT' });
    const date = await stream(adapter());
    for (const result of [seconds, millis, date]) assert.equal((result.error as ProviderError).retryAfterMs, 15 * 60_000);
  });

  it('reports server errors as server and 529 as overloaded', async () => {
    const kinds: string[] = [];
    for (const status of [500, 503, 529]) {
      fake.script({ status });
      kinds.push(((await stream(adapter())).error as ProviderError).kind);
    }
    assert.deepEqual(kinds, ['server', 'server', 'overloaded']);
    assert.equal(fake.requests.length, 3);
  });

  it('reports a rejected key as auth without repeating the key', async () => {
    const guarded = await startFakeOpenAI({ apiKey: 'sk-right-key-0001' });
    try {
      const provider = createOpenAIProvider({ id: 'openai', kind: 'openai', baseUrl: `${guarded.url}/v1`, apiKey: 'sk-wrong-key-9999' });
      const error = (await stream(provider)).error as ProviderError;
      assert.equal(error.kind, 'auth');
      assert.equal(error.message, 'openai rejected its API key (401)');
    } finally {
      await guarded.close();
    }
  });

  it('reports a 403 as auth, with the provider’s reason since the key itself was accepted', async () => {
    fake.script({ status: 403, errorMessage: 'Project does not have access to model gpt-5' });
    const error = (await stream(adapter())).error as ProviderError;
    assert.equal(error.kind, 'auth');
    assert.equal(error.message, 'local denied access (403): Project does not have access to model gpt-5');
  });

  it('explains a bad request in the provider’s words, with any key masked', async () => {
    fake.script({ status: 400, errorMessage: 'The model `nope` does not exist (key sk-abc123456789 used)' });
    const error = (await stream(adapter())).error as ProviderError;
    assert.equal(error.kind, 'bad-request');
    assert.equal(error.message, 'local rejected the request (400): The model `nope` does not exist (key [redacted] used)');
  });

  it('explains a 404 in the words of a server whose error is a bare string (LM Studio: model not loaded)', async () => {
    fake.script({ status: 404, errorBody: { error: 'Model "qwen3-coder" not found. Load it with `lms load`.' } });
    const error = (await stream(adapter())).error as ProviderError;
    assert.equal(error.kind, 'bad-request');
    assert.equal(error.message, 'local rejected the request (404): Model "qwen3-coder" not found. Load it with `lms load`.');
  });

  it('explains a rejected request in the words of servers with other error shapes (vLLM, FastAPI, Cloudflare, a proxy)', async () => {
    const cases: { reply: FakeReply; message: string; kind?: string }[] = [
      { reply: { status: 400, errorBody: { object: 'error', message: 'max_tokens is too large: 90000', type: 'BadRequestError', code: 400 } }, message: 'local rejected the request (400): max_tokens is too large: 90000' },
      { reply: { status: 400, errorBody: { detail: 'Model qwen3 is not served here' } }, message: 'local rejected the request (400): Model qwen3 is not served here' },
      {
        reply: { status: 422, errorBody: { detail: [{ loc: ['body', 'max_tokens'], msg: 'Input should be less than 4096', type: 'less_than' }] } },
        message: 'local rejected the request (422): max_tokens: Input should be less than 4096',
      },
      { reply: { status: 400, errorBody: { success: false, errors: [{ code: 5007, message: 'No such model' }] } }, message: 'local rejected the request (400): No such model' },
      { reply: { status: 400, errorBody: { error: { msg: 'context too long' } } }, message: 'local refused the prompt as too long (400): context too long', kind: 'prompt-too-long' },
      { reply: { status: 400, errorText: 'prompt has too many tokens' }, message: 'local refused the prompt as too long (400): prompt has too many tokens', kind: 'prompt-too-long' },
      {
        reply: { status: 400, errorText: '<html><head><title>400 Bad Request</title></head><body>nginx</body></html>', errorType: 'text/html' },
        message: 'local rejected the request (400): the server answered with a web page, not the API: check its baseUrl',
      },
      { reply: { status: 400, errorBody: { unrelated: true } }, message: 'local rejected the request (400)' },
    ];
    for (const { reply, message, kind } of cases) {
      fake.script(reply);
      const result = await stream(adapter());
      const error = result.error as ProviderError;
      // A server's words for a prompt over its window are that, whatever its shape (promptTooLong.ts).
      assert.equal(error?.kind, kind ?? 'bad-request', `${JSON.stringify(reply)} → ${JSON.stringify(result)}`);
      assert.equal(error.message, message);
    }
  });

  it('still says to check baseUrl for a plain-text 404 (Ollama without /v1 answers "404 page not found")', async () => {
    fake.script({ status: 404, errorText: '404 page not found' });
    const error = (await stream(adapter())).error as ProviderError;
    assert.match(error.message, /^local rejected the request \(404\): nothing answers there: check its baseUrl/);
  });

  it('drops control characters from the provider’s words, so no terminal sequence reaches a message', async () => {
    fake.script({ status: 400, errorMessage: 'bad model\u001b]0;owned\u0007 name\u001b[2K\u009b31m here' });
    const error = (await stream(adapter())).error as ProviderError;
    assert.equal(error.message, 'local rejected the request (400): bad model ]0;owned name [2K 31m here');
  });

  it('reports a refused connection as connection', async () => {
    const port = await closedPort();
    const provider = createOpenAIProvider({ id: 'ollama', kind: 'openai', baseUrl: `http://127.0.0.1:${port}/v1/` });
    const error = (await stream(provider)).error as ProviderError;
    assert.equal(error.kind, 'connection');
    // The address asked: for a local server, the first thing to check.
    assert.equal(error.message, `ollama could not be reached: connection refused (ECONNREFUSED); its baseUrl is http://127.0.0.1:${port}/v1: is a server running there?`);
  });

  it('says a TLS failure (https asked of a plain-http server) with its baseUrl, as a refused connection is', async () => {
    const baseUrl = `${fake.url.replace(/^http:/, 'https:')}/v1`;
    const provider = createOpenAIProvider({ id: 'vllm', kind: 'openai', baseUrl });
    const error = (await stream(provider)).error as ProviderError;
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /^vllm failed the TLS check \(\w*SSL\w*\); its baseUrl is https:\/\/127\.0\.0\.1:\d+\/v1: does it serve https \(not plain http\), with a certificate this machine trusts\?$/);
  });

  it('says why a local server on a port fetch blocks (6000, X11) cannot be reached', async () => {
    // fetch refuses the port before connecting: nothing needs to listen there.
    const provider = createOpenAIProvider({ id: 'vllm', kind: 'openai', baseUrl: 'http://127.0.0.1:6000/v1' });
    const error = (await stream(provider)).error as ProviderError;
    assert.equal(error.kind, 'connection');
    assert.equal(
      error.message,
      'vllm could not be reached: its baseUrl\'s port is one that fetch refuses to connect to (a "bad port", such as 6000 or 6666); serve it on another port',
    );
  });

  it('reports an unparseable event as malformed, after the text that came before it', async () => {
    await assertMalformedAfterText(fake, (signal) => adapter().stream('qwen2.5-coder:7b', REQUEST, signal));
  });

  it('throws after partial text when the connection drops mid-answer', async () => {
    await assertCutMidAnswer(fake, (signal) => adapter().stream('qwen2.5-coder:7b', REQUEST, signal), /^local dropped the connection/);
  });

  it('holds an answer after some text until the test lets it go on, then sends the rest (the fake\'s pause)', async () => {
    let resume!: () => void;
    const resumeWhen = new Promise<void>((resolve) => (resume = resolve));
    fake.script({ text: 'abcdef', chunks: 3, pauseAfterChunks: 1, resumeWhen });
    const pieces: string[] = [];
    const result = await collectStream(adapter().stream('qwen2.5-coder:7b', REQUEST, new AbortController().signal), (piece) => {
      pieces.push(piece);
      if (piece === 'ab') resume();
    });
    assert.equal(result.error, undefined);
    assert.deepEqual(pieces, ['ab', 'cd', 'ef']);
  });

  it('says a web page came instead of an event stream (baseUrl without /v1 behind a proxy), and reads a whole JSON answer that came in its place', async () => {
    const usage = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 };
    const bodies: Record<string, [string, string]> = {
      page: ['text/html; charset=utf-8', '<html><body>Welcome to nginx!</body></html>'],
      // A server (or a proxy in front) that ignores `stream: true` and answers whole, as the non-streaming API does.
      json: ['application/json', JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: '<think>sum</think>whole' }, finish_reason: 'stop' }], usage })],
      legacy: ['application/json', JSON.stringify({ id: 'y', object: 'text_completion', choices: [{ index: 0, text: 'filled', finish_reason: 'length' }], usage })],
    };
    const server = http.createServer((req, res) => {
      req.resume();
      const [type, body] = bodies[req.url!.split('/')[1]!]!;
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await stream(adapter({ baseUrl: `${base}/page` }));
      assert.equal(page.text, '');
      assert.equal((page.error as ProviderError).kind, 'connection', 'the next model is tried');
      assert.equal(
        (page.error as ProviderError).message,
        'local answered with "text/html" instead of an event stream: a network\'s sign-in page (hotel or airport Wi-Fi)? open any site in a browser to sign in; else check its baseUrl (an OpenAI-compatible API\'s ends in /v1) and that the server streams',
      );

      // Made and billed: read as the answer it is, its usage counted, not thrown away for the next model to be billed again.
      const whole = await stream(adapter({ baseUrl: `${base}/json` }));
      assert.equal(whole.error, undefined, String(whole.error));
      assert.equal(whole.text, 'whole', 'the think block kept out as in a stream');
      assert.deepEqual([whole.usage.inputTokens, whole.usage.outputTokens], [12, 3]);

      const fill = await stream(adapter({ baseUrl: `${base}/legacy`, fim: true }), { messages: [{ role: 'user', content: 'x' }], maxTokens: 8, fim: { prefix: 'a', suffix: 'b' } });
      assert.equal(fill.error, undefined, String(fill.error));
      assert.equal(fill.text, 'filled');
      assert.equal(fill.maxTokensReached, true, 'its finish_reason "length" said');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps the key out of the message when a server reflects it in its content type', async () => {
    const key = 'local-gateway-token-7Qm2';
    // A compromised server can echo the request's Authorization header anywhere it likes, headers included.
    const reflecting = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': String(req.headers.authorization).replace(/^Bearer /, '') });
      res.end('{}');
    });
    await new Promise<void>((resolve) => reflecting.listen(0, '127.0.0.1', resolve));
    try {
      const result = await stream(adapter({ baseUrl: `http://127.0.0.1:${(reflecting.address() as AddressInfo).port}/v1`, apiKey: key }));
      const message = (result.error as ProviderError).message;
      assert.equal(message, 'local answered with "[redacted]" instead of an event stream: check its baseUrl (an OpenAI-compatible API\'s ends in /v1) and that the server streams');
    } finally {
      await new Promise((resolve) => reflecting.close(resolve));
    }
  });

  it('says to check the baseUrl and model id when a 404 says nothing (Ollama without /v1: "404 page not found")', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await stream(adapter({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
      const error = result.error as ProviderError;
      assert.equal(error.kind, 'bad-request', 'the next model is tried');
      assert.equal(error.message, "local rejected the request (404): nothing answers there: check its baseUrl (an OpenAI-compatible API's ends in /v1) and the model id");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says the provider began its answer, and treats a stream that ends without finish_reason as cut short', async () => {
    fake.script({ text: 'abcdef', chunks: 3, endAfterChunks: 3 });
    const ended = await stream(adapter());
    assert.equal(ended.started, true);
    assert.equal(ended.text, 'abcdef');
    assert.equal((ended.error as ProviderError).kind, 'connection');
    assert.equal((ended.error as ProviderError).message, 'local ended the stream before the answer was complete');

    const whole = await stream(adapter());
    assert.equal(whole.error, undefined, 'the same stream with its finish_reason, usage and [DONE] is complete');
  });

  it('says a body cut inside an event (CRLF lines) ended early, and a garbled event whose body ended whole could not be parsed', async () => {
    const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\r\n\r\n`;
    const bodies = [chunk('ab') + 'data: {"id":"c","choi', chunk('ab') + 'data: {not json}\r\n\r\n'];
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(bodies.shift());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const local = adapter({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` });
      const cut = await stream(local);
      assert.equal(cut.text, 'ab');
      assert.equal((cut.error as ProviderError).message, 'local ended the stream before the answer was complete');
      const garbled = await stream(local);
      assert.equal(garbled.text, 'ab');
      assert.equal((garbled.error as ProviderError).message, 'local sent a stream that could not be parsed');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not say the provider began when it refused the request', async () => {
    fake.script({ status: 503 });
    const refused = await stream(adapter());
    assert.equal(refused.started, false);
    assert.equal((refused.error as ProviderError).kind, 'server');
  });

  it('maps an error event inside the stream by the status it carries', async () => {
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 1, errorCode: '429' });
    const result = await stream(adapter());
    assert.equal(result.text, 'ab');
    assert.equal((result.error as ProviderError).kind, 'rate-limited');
  });

  it('says in the gateway’s words why an answer broke off inside a 200 stream, where no status tells it (OpenRouter)', async () => {
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 1, errorCode: '502', errorMessage: 'Provider disconnected unexpectedly' });
    const result = await stream(adapter());
    assert.equal(result.text, 'ab');
    assert.equal((result.error as ProviderError).message, 'local had a server error: Provider disconnected unexpectedly');
  });

  describe('on api.openai.com', () => {
    it('sends max_completion_tokens, and leaves out temperature and stop for reasoning models that reject them', () => {
      const reasoning = chatRequestBody('gpt-5-mini', REQUEST, true);
      assert.equal(reasoning.max_completion_tokens, 64);
      assert.equal('max_tokens' in reasoning, false);
      assert.equal('temperature' in reasoning, false);
      assert.equal('stop' in reasoning, false);
      assert.equal('temperature' in chatRequestBody('o4-mini', REQUEST, true), false);
    });

    it('keeps temperature and stop for models that accept them', () => {
      const classic = chatRequestBody('gpt-4.1-mini', REQUEST, true);
      assert.equal(classic.max_completion_tokens, 64);
      assert.equal(classic.temperature, 0.2);
      assert.deepEqual(classic.stop, ['\n\n']);
    });
  });
});
