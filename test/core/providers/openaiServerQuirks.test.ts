/**
 * The `openai` provider against the servers people really point it at (Ollama, LM Studio, vLLM, llama.cpp,
 * OpenRouter, LiteLLM, proxies), each spoken by the fake with that server's quirks (test/fakes/serverQuirks.ts),
 * through the real OpenAI SDK.
 */
import assert from 'node:assert/strict';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import type { ProviderAdapter, ProviderSettings } from '../../../src/core/providers/provider';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { startFakeOpenAI, type FakeOpenAIOptions, type FakeServer } from '../../fakes/index';
import type { SseQuirks } from '../../fakes/serverQuirks';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 64 };
const USAGE = { inputTokens: 12, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
const BASE_URL_HINT = "check its baseUrl (an OpenAI-compatible API's ends in /v1)";

describe('OpenAI provider against other servers’ quirks', () => {
  const fakes: FakeServer[] = [];
  after(() => Promise.all(fakes.map((fake) => fake.close())));

  async function server(options: FakeOpenAIOptions): Promise<FakeServer> {
    const fake = await startFakeOpenAI(options);
    fakes.push(fake);
    return fake;
  }
  const adapter = (fake: FakeServer, extra: Partial<ProviderSettings> = {}, path = '/v1'): ProviderAdapter =>
    createOpenAIProvider({ id: 'local', kind: 'openai', baseUrl: `${fake.url}${path}`, ...extra });
  const stream = (provider: ProviderAdapter) => collectStream(provider.stream('qwen3:8b', REQUEST, new AbortController().signal));

  const framings: Record<string, SseQuirks> = {
    '\\r\\n line ends': { lineEnd: '\r\n' },
    '`data:` with no space': { dataWithoutSpace: true },
    'a `: keep-alive` comment before every event': { comment: 'keep-alive' },
    "OpenRouter's `: OPENROUTER PROCESSING` comments": { comment: 'OPENROUTER PROCESSING' },
    'usage on the finish_reason chunk (llama.cpp before its spec fix)': { usage: 'on-finish' },
    'no [DONE] after the last chunk': { noDone: true },
    "Azure's prompt-filter chunk with empty choices first, and filter results on every choice": { azureFilters: true },
    'all of these at once': { lineEnd: '\r\n', dataWithoutSpace: true, comment: 'keep-alive', usage: 'on-finish', noDone: true },
  };

  for (const [name, wire] of Object.entries(framings)) {
    it(`reads a whole answer and its usage with ${name}`, async () => {
      const fake = await server({ wire });
      fake.script({ text: 'Hello there, friend.', chunks: 4, usage: USAGE });
      const result = await stream(adapter(fake));
      assert.equal(result.error, undefined, String(result.error));
      assert.equal(result.text, 'Hello there, friend.');
      assert.deepEqual(result.usage, { ...USAGE });
    });
  }

  it('completes an answer from a server that sends no usage at all (llama-cpp-python, older vLLM), leaving it to be estimated', async () => {
    const fake = await server({ wire: { usage: 'none', noDone: true } });
    fake.script({ text: 'No counts here.', chunks: 3 });
    const result = await stream(adapter(fake));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'No counts here.');
    assert.deepEqual(result.usage, {}, 'no usage event: the router estimates it');
  });

  it('says a body cut inside an event ended early, with CRLF line ends and comments between events', async () => {
    const fake = await server({ wire: { lineEnd: '\r\n', comment: 'keep-alive', noDone: true } });
    fake.script({ text: 'abcdef', chunks: 3, endAfterChunks: 1, midEvent: true });
    const cut = await stream(adapter(fake));
    assert.equal(cut.text, 'ab');
    assert.equal((cut.error as ProviderError).message, 'local ended the stream before the answer was complete');

    fake.script({ text: 'abcdef', chunks: 3, endAfterChunks: 2 });
    const ended = await stream(adapter(fake));
    assert.equal(ended.text, 'abcd');
    assert.equal((ended.error as ProviderError).message, 'local ended the stream before the answer was complete', 'no [DONE] and no finish_reason: cut short');
  });

  it('says the answer stopped at its max output (finish_reason "length") with the quirks on', async () => {
    const fake = await server({ wire: { lineEnd: '\r\n', usage: 'on-finish', noDone: true } });
    fake.script({ text: 'It goes on and', chunks: 2, stopAtMaxTokens: true, usage: USAGE });
    const result = await stream(adapter(fake));
    assert.equal(result.error, undefined);
    assert.equal(result.maxTokensReached, true);
    assert.equal(result.text, 'It goes on and');
  });

  it('keeps reasoning out of the answer in either field, with usage on the finish chunk', async () => {
    const fake = await server({ wire: { usage: 'on-finish', comment: 'OPENROUTER PROCESSING' } });
    for (const field of ['reasoning', 'reasoning_content'] as const) {
      fake.script({ reasoning: { text: 'Let me think about it.', chunks: 3, field }, text: 'Hello.', chunks: 2, usage: USAGE });
      const result = await stream(adapter(fake));
      assert.equal(result.error, undefined);
      assert.equal(result.text, 'Hello.');
      assert.equal(result.reasoningChars, 'Let me think about it.'.length);
      assert.deepEqual(result.usage, { ...USAGE });
    }
  });

  it("fails on OpenRouter's own mid-stream error chunk (code server_error, finish_reason error), before or after text", async () => {
    const fake = await server({ wire: { openRouterStreamError: true, comment: 'OPENROUTER PROCESSING' } });
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 0, errorMessage: 'Provider returned error' });
    const before = await stream(adapter(fake));
    assert.equal(before.text, '');
    assert.equal((before.error as ProviderError).kind, 'server');
    assert.equal((before.error as ProviderError).message, 'local had a server error: Provider returned error');

    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 2, errorMessage: 'Provider disconnected unexpectedly' });
    const after = await stream(adapter(fake));
    assert.equal(after.text, 'abcd');
    assert.equal((after.error as ProviderError).message, 'local had a server error: Provider disconnected unexpectedly');
  });

  it('fails an answer the engine broke off with finish_reason "abort" and [DONE] (vLLM, SGLang), keeping its text and usage', async () => {
    const fake = await server({ wire: { finishReason: 'abort' } });
    fake.script({ text: 'The first half', chunks: 2, usage: USAGE });
    const result = await stream(adapter(fake));
    assert.equal(result.text, 'The first half');
    assert.deepEqual(result.usage, { ...USAGE }, 'the usage after it was read');
    assert.equal((result.error as ProviderError).kind, 'server');
    assert.equal((result.error as ProviderError).message, 'local had a server error: the answer was broken off (finish_reason "abort")');
  });

  it("says llama.cpp's refusal of a prompt over its context size (exceed_context_size_error) is a prompt too long, with the sizes", async () => {
    const fake = await server({});
    const message = 'request (9000 tokens) exceeds the available context size (8192 tokens), try increasing it';
    fake.script({ status: 400, errorBody: { error: { code: 400, message, type: 'exceed_context_size_error', n_prompt_tokens: 9000, n_ctx: 8192 } } });
    const error = (await stream(adapter(fake))).error as ProviderError;
    assert.equal(error.kind, 'prompt-too-long');
    assert.deepEqual(error.promptTooLong, { promptTokens: 9000, limitTokens: 8192 });
    assert.equal(error.message, `local refused the prompt as too long (400): ${message}`);

    // Older builds say it without the sizes.
    fake.script({ status: 400, errorBody: { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'invalid_request_error' } } });
    assert.equal(((await stream(adapter(fake))).error as ProviderError).kind, 'prompt-too-long');
  });

  it('reads the Retry-After of a 429 given as an HTTP date', async () => {
    const fake = await server({});
    const at = new Date(Date.now() + 60_000);
    fake.script({ status: 429, retryAfter: at.toUTCString() });
    const error = (await stream(adapter(fake))).error as ProviderError;
    assert.equal(error.kind, 'rate-limited');
    // An HTTP date has whole seconds: the wait is what is left of the minute, less under a second.
    assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 57_000 && error.retryAfterMs <= 60_000, String(error.retryAfterMs));
  });

  describe('a baseUrl without /v1', () => {
    const messages = {
      ollama: `local rejected the request (404): nothing answers there: ${BASE_URL_HINT} and the model id`,
      fastapi: `local rejected the request (404): nothing answers there: ${BASE_URL_HINT} and the model id`,
      lmstudio: `local rejected the request: Unexpected endpoint or method. (POST /chat/completions): ${BASE_URL_HINT}`,
    };
    const names = { ollama: 'Ollama (plain-text 404)', fastapi: 'vLLM or LiteLLM (FastAPI\'s {"detail":"Not Found"})', lmstudio: 'LM Studio (a 200 with its error)' };
    for (const server_ of ['ollama', 'fastapi', 'lmstudio'] as const) {
      it(`says to check the baseUrl when ${names[server_]} answers a request, and the model listing doctor reads, at a path it does not serve`, async () => {
        const fake = await server({ unknownPath: server_ });
        const local = adapter(fake, {}, '');
        const result = await stream(local);
        const error = result.error as ProviderError;
        assert.equal(result.text, '');
        assert.equal(error.kind, 'bad-request', 'the next model is tried');
        assert.equal(error.message, messages[server_]);
        assert.equal(fake.bills.length, 0, 'nothing was answered, nothing billed');

        await assert.rejects(local.check!(new AbortController().signal), (checked: ProviderError) => {
          assert.equal(checked.kind, 'bad-request');
          assert.ok(checked.message.includes(BASE_URL_HINT), checked.message);
          return true;
        });
      });
    }
  });
});
