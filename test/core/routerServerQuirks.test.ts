/**
 * The router, its ledger and its prices against servers with other servers' quirks (test/fakes/serverQuirks.ts):
 * OpenRouter as a gateway the user named (its comments, its reasoning field, its `usage.cost`, its mid-stream error,
 * its `vendor/model` ids) and a llama.cpp-like local server that sends no usage and no [DONE].
 */
import assert from 'node:assert/strict';
import { costOf } from '../../src/core/cost';
import { PriceTable } from '../../src/core/prices/priceTable';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { routerHarness } from './routerHarness';

const OPENROUTER_WIRE = { comment: 'OPENROUTER PROCESSING', openRouterStreamError: true } as const;
// Output within the request's max (256): more would be held to that bound (usageBound.ts).
const USAGE = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('Router against other servers’ quirks', function () {
  const h = routerHarness('router-quirks');
  const own: FakeServer[] = [];
  after(() => Promise.all(own.map((fake) => fake.close())));

  async function fake(options: Parameters<typeof startFakeOpenAI>[0]): Promise<FakeServer> {
    const server = await startFakeOpenAI(options);
    own.push(server);
    return server;
  }
  /** A custom provider `relay` the user named as OpenRouter (a relay on this machine in front of it), and anthropic behind it. */
  const openRouterRoute = (server: FakeServer, model: string) =>
    h.open({
      providers: {
        anthropic: h.fakes.urls.anthropic,
        custom: { relay: { type: 'openai', baseUrl: `${server.url}/v1`, gateway: 'openrouter' } },
      },
      routes: { chat: [`relay:${model}`, 'anthropic:claude-haiku-4-5'] },
    });

  it("records OpenRouter's own cost for a thinking model behind its comments, and shows only the answer", async () => {
    const server = await fake({ wire: OPENROUTER_WIRE, gateway: { kind: 'openrouter', costUsd: () => 0.0042 } });
    server.script({ reasoning: { text: 'First I weigh the question. ', chunks: 3, field: 'reasoning' }, text: 'The answer.', chunks: 2, usage: USAGE });
    const harness = await openRouterRoute(server, 'anthropic/claude-sonnet-5');

    const result = await harness.run('chat');

    assert.equal(result.text, 'The answer.');
    assert.equal(result.chunks.join(''), 'The answer.', 'no reasoning reached the reader');
    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.record.costUsd, 0.0042, 'the gateway’s figure, within what the request could cost');
    assert.equal(result.record.costSource, 'gateway');
    assert.deepEqual(result.record.usage, USAGE);
  });

  it("prices OpenRouter's `anthropic/…` id at Anthropic's rates when it reports no cost, and an unknown vendor's as unpriced, never $0", async () => {
    const server = await fake({ wire: OPENROUTER_WIRE });
    const table = new PriceTable();
    const expected = costOf(USAGE, table.lookup('anthropic', 'claude-sonnet-5'));
    assert.ok(expected !== null && expected > 0);

    server.script({ text: 'Priced.', usage: USAGE });
    const priced = await (await openRouterRoute(server, 'anthropic/claude-sonnet-5')).run('chat');
    assert.equal(priced.record.outcome, 'ok');
    assert.equal(priced.record.costUsd, expected);

    server.script({ text: 'Unpriced.', usage: USAGE });
    const unknown = await (await openRouterRoute(server, 'meta-llama/llama-3.3-70b-instruct')).run('chat');
    assert.equal(unknown.record.outcome, 'ok');
    assert.equal(unknown.record.costUsd, null, 'unpriced, not free');
  });

  it("takes OpenRouter's mid-stream error before any text as a failure and asks the next model, billing no output for it", async () => {
    const server = await fake({ wire: OPENROUTER_WIRE });
    server.script({ text: 'never shown', chunks: 2, streamErrorAfterChunks: 0, errorMessage: 'Provider returned error' });
    h.fakes.anthropic.script({ text: 'From the fallback.' });
    const harness = await openRouterRoute(server, 'anthropic/claude-sonnet-5');

    const result = await harness.run('chat');

    assert.equal(result.text, 'From the fallback.');
    assert.equal(result.record.provider, 'anthropic');
    const [attempt] = result.record.attempts;
    assert.equal(attempt?.provider, 'relay');
    assert.equal(attempt?.error, 'relay had a server error: Provider returned error');
    // Begun (a 200) and broken off: counted at most at its prompt, as every stream that began and failed is.
    assert.equal(attempt?.usage?.outputTokens ?? 0, 0, 'no answer, no output billed');
    assert.equal(result.record.outcome, 'ok');
  });

  it('estimates the usage of a local server that sends none and no [DONE] (llama-cpp-python, older vLLM), at $0 on this machine', async () => {
    const server = await fake({ wire: { usage: 'none', noDone: true, lineEnd: '\r\n' } });
    server.script({ text: 'Forty characters of answer, give or take', chunks: 4 });
    const harness = await h.open({ providers: { openai: { baseUrl: `${server.url}/v1` } }, routes: { chat: ['openai:qwen3:8b'] } });

    const result = await harness.run('chat');

    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.text, 'Forty characters of answer, give or take');
    assert.equal(result.record.usageEstimated, true);
    assert.equal(result.record.usage.outputTokens, Math.ceil(result.text.length / 4));
    assert.equal(result.record.costUsd, 0);
    assert.equal(result.record.costSource, 'local');
  });
});
