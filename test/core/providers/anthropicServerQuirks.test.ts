/**
 * The `anthropic` provider against Anthropic's own stream at its less common events (an overloaded_error after the
 * 200, pings through the answer, a thinking block before the text, a stop at max_tokens) and against
 * Anthropic-compatible servers that put usage elsewhere (test/fakes/serverQuirks.ts), through the real SDK.
 */
import assert from 'node:assert/strict';
import { createAnthropicProvider } from '../../../src/core/providers/anthropic';
import type { ProviderAdapter } from '../../../src/core/providers/provider';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { startFakeAnthropic, type FakeAnthropicOptions, type FakeServer } from '../../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 512 };
const USAGE = { inputTokens: 40, cacheReadTokens: 900, cacheWriteTokens: 30, outputTokens: 12 };

describe('Anthropic provider against other servers’ quirks', () => {
  const fakes: FakeServer[] = [];
  after(() => Promise.all(fakes.map((fake) => fake.close())));

  async function server(options: FakeAnthropicOptions): Promise<FakeServer> {
    const fake = await startFakeAnthropic(options);
    fakes.push(fake);
    return fake;
  }
  const stream = (fake: FakeServer) => {
    const adapter: ProviderAdapter = createAnthropicProvider({ id: 'anthropic', kind: 'anthropic', baseUrl: fake.url, apiKey: 'test-anthropic-quirks-01' });
    return collectStream(adapter.stream('claude-sonnet-5', REQUEST, new AbortController().signal));
  };

  it('reads a thinking block, pings between every delta and a stop at max_tokens as one answer cut at its max', async () => {
    const fake = await server({ wire: { pingBetweenDeltas: true } });
    fake.script({ reasoning: { text: 'A greeting, then. ', chunks: 3 }, text: 'Hello there', chunks: 3, stopAtMaxTokens: true, usage: USAGE });
    const result = await stream(fake);
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'Hello there');
    assert.equal(result.reasoningChars, 'A greeting, then. '.length);
    assert.equal(result.maxTokensReached, true);
    assert.deepEqual(result.usage, USAGE);
  });

  it('fails on an overloaded_error event after the 200, before any text and after some', async () => {
    const fake = await server({ wire: { pingBetweenDeltas: true } });
    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 0, errorCode: 'overloaded_error', errorMessage: 'Overloaded' });
    const before = await stream(fake);
    assert.equal(before.text, '');
    assert.equal((before.error as ProviderError).kind, 'overloaded');
    assert.equal((before.error as ProviderError).message, 'anthropic is overloaded: Overloaded');

    fake.script({ text: 'abcdef', chunks: 3, streamErrorAfterChunks: 2, errorCode: 'overloaded_error', errorMessage: 'Overloaded' });
    const after = await stream(fake);
    assert.equal(after.text, 'abcd');
    assert.equal((after.error as ProviderError).kind, 'overloaded');
  });

  it('takes the prompt’s counts from the final message_delta when message_start said 0 (SGLang before its fix)', async () => {
    const fake = await server({ wire: { usage: 'input-at-end' } });
    fake.script({ text: 'Hello.', usage: USAGE });
    const result = await stream(fake);
    assert.equal(result.error, undefined);
    assert.deepEqual(result.usage, USAGE);
  });

  it('keeps the prompt’s counts of message_start when the final message_delta says input_tokens 0 (SGLang after it)', async () => {
    const fake = await server({ wire: { usage: 'zero-input-at-end' } });
    fake.script({ text: 'Hello.', usage: USAGE });
    const result = await stream(fake);
    assert.equal(result.error, undefined);
    assert.deepEqual(result.usage, USAGE, 'counts are cumulative: a later 0 is a placeholder, not a refund of the prompt');
  });
});
