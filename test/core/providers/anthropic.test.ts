import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAnthropicProvider, normaliseUsage } from '../../../src/core/providers/anthropic';
import type { ProviderAdapter, ProviderSettings } from '../../../src/core/providers/provider';
import { type ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { assertReportsMaxTokensStop } from './maxTokensStop';
import { assertCancelsBeforeFirstByte, assertCancelsMidAnswer, assertCutMidAnswer, assertMalformedAfterText } from './brokenStreams';
import { startFakeAnthropic, type FakeServer } from '../../fakes/index';
import { closedPort } from '../../fakes/closedPort';

const REQUEST: ModelRequest = {
  system: 'You plan changes.',
  messages: [
    { role: 'user', content: 'Plan a refactor' },
    { role: 'assistant', content: 'Which file?' },
    { role: 'user', content: 'router.ts' },
  ],
  maxTokens: 512,
  stop: ['END'],
};
const MODEL = 'claude-sonnet-5';

describe('Anthropic provider', () => {
  let fake: FakeServer;
  const adapter = (extra: Partial<ProviderSettings> = {}): ProviderAdapter =>
    createAnthropicProvider({ id: 'anthropic', kind: 'anthropic', baseUrl: fake.url, apiKey: 'test-anthropic-test-0001', ...extra });
  const stream = (provider: ProviderAdapter, signal = new AbortController().signal) =>
    collectStream(provider.stream(MODEL, REQUEST, signal));

  before(async () => {
    fake = await startFakeAnthropic();
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  it('says a web page came instead of an event stream (a login portal or proxy at baseUrl)', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Sign in to continue</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await stream(adapter({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
      assert.equal(result.text, '');
      assert.equal((result.error as ProviderError).kind, 'connection');
      assert.equal(
        (result.error as ProviderError).message,
        'anthropic answered with "text/html" instead of an event stream: a network\'s sign-in page (hotel or airport Wi-Fi)? open any site in a browser to sign in; else check its baseUrl (the bare host, as the Anthropic SDK takes it) and that the server streams',
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('streams the answer of an Anthropic-compatible server that reports no usage, leaving usage to be estimated', async () => {
    // A proxy or local server speaking Anthropic's events without their usage fields.
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (type: string, fields: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`);
      send('message_start', { message: { id: 'm1', type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null } });
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello without usage' } });
      send('content_block_stop', { index: 0 });
      send('message_delta', { delta: { stop_reason: 'end_turn' } });
      send('message_stop', {});
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await stream(adapter({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
      assert.equal(result.error, undefined);
      assert.equal(result.text, 'Hello without usage');
      assert.deepEqual(result.usage, {});
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('streams text and reports usage with cache reads and writes apart from input', async () => {
    fake.script({
      text: 'Step 1: extract the retry loop.',
      chunks: 4,
      usage: { inputTokens: 12, cacheReadTokens: 900, cacheWriteTokens: 300, outputTokens: 9 },
    });
    const result = await stream(adapter());
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'Step 1: extract the retry loop.');
    assert.equal(result.textEvents, 4);
    assert.deepEqual(result.usage, { inputTokens: 12, cacheReadTokens: 900, cacheWriteTokens: 300, outputTokens: 9 });
  });

  it('reports a thinking block apart from the answer (an Anthropic-compatible server that thinks unasked)', async () => {
    const thought = 'The user wants a greeting in one word. ';
    fake.script({ reasoning: { text: thought, chunks: 3 }, text: 'Hello.', chunks: 2 });
    const result = await stream(adapter());
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'Hello.');
    assert.equal(result.reasoningChars, thought.length);
  });

  it('says when the provider stopped the answer at its max output, and not otherwise', () => assertReportsMaxTokensStop(fake, () => stream(adapter())));

  it('lets a later message_delta replace counts it carries, and keep those it leaves null', () => {
    const atStart = normaliseUsage({ input_tokens: 40, cache_read_input_tokens: 8, cache_creation_input_tokens: 0, output_tokens: 1 });
    const atEnd = normaliseUsage({ input_tokens: null, cache_read_input_tokens: null, output_tokens: 77 });
    assert.deepEqual({ ...atStart, ...atEnd }, { inputTokens: 40, cacheReadTokens: 8, cacheWriteTokens: 0, outputTokens: 77 });
  });

  it('sends the system prompt, the conversation and stop_sequences to /v1/messages', async () => {
    await stream(adapter());
    const request = fake.requests[0];
    assert.equal(request?.path, '/v1/messages');
    const body = request?.body as Record<string, unknown>;
    assert.equal(body.model, MODEL);
    assert.equal(body.system, 'You plan changes.');
    assert.equal(body.max_tokens, 512);
    assert.deepEqual(body.stop_sequences, ['END']);
    assert.equal(body.stream, true);
    assert.deepEqual(body.messages, REQUEST.messages);
  });

  it('closes the HTTP stream and throws a cancelled error when aborted mid-answer', async () => {
    await assertCancelsMidAnswer(fake, (signal) => adapter().stream(MODEL, REQUEST, signal));
  });

  it('closes the connection when aborted before the first byte', async () => {
    await assertCancelsBeforeFirstByte(fake, (signal) => adapter().stream(MODEL, REQUEST, signal));
  });

  it('reports a 429 as rate-limited with the Retry-After delay, and does not retry by itself', async () => {
    fake.script({ status: 429, retryAfter: '12' });
    const error = (await stream(adapter())).error as ProviderError;
    assert.equal(error.kind, 'rate-limited');
    assert.equal(error.retryAfterMs, 12_000);
    assert.equal(fake.requests.length, 1);
  });

  it('reports 529 as overloaded and 500/503 as server errors', async () => {
    const kinds: string[] = [];
    for (const status of [529, 500, 503]) {
      fake.script({ status });
      kinds.push(((await stream(adapter())).error as ProviderError).kind);
    }
    assert.deepEqual(kinds, ['overloaded', 'server', 'server']);
  });

  it('reports a rejected key as auth without repeating the key', async () => {
    const guarded = await startFakeAnthropic({ apiKey: 'test-anthropic-right' });
    try {
      const provider = createAnthropicProvider({ id: 'anthropic', kind: 'anthropic', baseUrl: guarded.url, apiKey: 'test-anthropic-wrong-4242' });
      const error = (await stream(provider)).error as ProviderError;
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.equal(error.message, 'anthropic rejected its API key (401)');
    } finally {
      await guarded.close();
    }
  });

  it('reports an unknown model as a bad request naming the problem', async () => {
    fake.script({ status: 404, errorMessage: 'model: claude-nope' });
    const error = (await stream(adapter())).error as ProviderError;
    assert.equal(error.kind, 'bad-request');
    assert.equal(error.message, 'anthropic rejected the request (404): model: claude-nope');
  });

  it('explains a rejected request in the words of an Anthropic-compatible server with its own error shape', async () => {
    fake.script({ status: 400, errorBody: { detail: [{ loc: ['body', 'max_tokens'], msg: 'Input should be less than 8192' }] } });
    assert.equal(((await stream(adapter())).error as ProviderError).message, 'anthropic rejected the request (400): max_tokens: Input should be less than 8192');
    fake.script({ status: 400, errorText: 'model not allowed for this key' });
    assert.equal(((await stream(adapter())).error as ProviderError).message, 'anthropic rejected the request (400): model not allowed for this key');
  });

  it('reports a refused connection as connection', async () => {
    const provider = createAnthropicProvider({ id: 'anthropic', kind: 'anthropic', baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: 'k' });
    assert.equal(((await stream(provider)).error as ProviderError).kind, 'connection');
  });

  it('reports an unparseable event as malformed, after the text that came before it', async () => {
    await assertMalformedAfterText(fake, (signal) => adapter().stream(MODEL, REQUEST, signal));
  });

  it('throws after partial text when the connection drops mid-answer', async () => {
    await assertCutMidAnswer(fake, (signal) => adapter().stream(MODEL, REQUEST, signal), /^anthropic dropped the connection/);
  });

  it('says the provider began its answer, and treats a stream that ends without message_stop as cut short', async () => {
    fake.script({ text: 'abcdef', chunks: 3, endAfterChunks: 3, usage: { inputTokens: 42 } });
    const ended = await stream(adapter());
    assert.equal(ended.started, true);
    assert.equal(ended.text, 'abcdef');
    assert.equal(ended.usage.inputTokens, 42, 'message_start reported the prompt');
    assert.equal((ended.error as ProviderError).message, 'anthropic ended the stream before the answer was complete');
  });

  it('maps an error event inside a healthy stream by its type', async () => {
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 1, errorCode: 'overloaded_error' });
    const result = await stream(adapter());
    assert.equal(result.text, 'ab');
    assert.equal((result.error as ProviderError).kind, 'overloaded');
  });

  it('says in the provider’s words why an answer broke off inside a 200 stream, where no status tells it', async () => {
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 1, errorCode: 'api_error', errorMessage: 'Internal server error' });
    const result = await stream(adapter());
    assert.equal(result.text, 'ab');
    assert.equal((result.error as ProviderError).message, 'anthropic had a server error: Internal server error');
  });
});
