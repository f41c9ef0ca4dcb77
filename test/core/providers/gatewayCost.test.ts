import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import type { LedgerRecord } from '../../../src/core/ledger';
import { costFromLiteLLMHeader, costFromOpenRouterUsage, isOpenRouter } from '../../../src/core/providers/gatewayCost';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import { Switchboard } from '../../../src/core/switchboard';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'What does a gateway do?' }], maxTokens: 64 };
/** What the gateways bill: deliberately unlike any shipped price, so the figure used is unmistakable. */
const GATEWAY_USD = 0.004321;

describe('gateway cost figures', () => {
  it('reads LiteLLM\'s header as dollars, and not a zero sent before a streamed answer', () => {
    assert.deepEqual(costFromLiteLLMHeader('0.0024319', true), { costUsd: 0.0024319, gateway: 'litellm' });
    assert.deepEqual(costFromLiteLLMHeader('0', false), { costUsd: 0, gateway: 'litellm' });
    assert.equal(costFromLiteLLMHeader('0', true), undefined);
    for (const bad of [null, '', 'None', '-1', 'NaN', '1e9']) assert.equal(costFromLiteLLMHeader(bad, true), undefined, String(bad));
  });

  it('reads OpenRouter\'s usage.cost, adding the upstream cost billed to the user\'s own key', () => {
    assert.deepEqual(costFromOpenRouterUsage({ prompt_tokens: 10, cost: 0.95 }), { costUsd: 0.95, gateway: 'openrouter' });
    assert.deepEqual(costFromOpenRouterUsage({ cost: 0.01, is_byok: true, cost_details: { upstream_inference_cost: 0.19 } }), { costUsd: 0.2, gateway: 'openrouter' });
    assert.deepEqual(costFromOpenRouterUsage({ cost: 0.01, is_byok: false, cost_details: { upstream_inference_cost: 0.19 } })?.costUsd, 0.01);
    for (const bad of [undefined, null, {}, { cost: '0.1' }, { cost: -1 }]) assert.equal(costFromOpenRouterUsage(bad), undefined);
  });

  it('recognises OpenRouter by its host', () => {
    assert.equal(isOpenRouter('https://openrouter.ai/api/v1'), true);
    assert.equal(isOpenRouter('https://evil-openrouter.ai.example.com/v1'), false);
    assert.equal(isOpenRouter('http://127.0.0.1:4000/v1'), false);
    assert.equal(isOpenRouter(undefined), false);
  });
});

for (const kind of ['openrouter', 'litellm'] as const) {
  describe(`through a ${kind} gateway`, () => {
    let fake: FakeServer;
    let dir: string;
    const opened: Switchboard[] = [];

    before(async () => {
      fake = await startFakeOpenAI({ gateway: { kind, costUsd: () => GATEWAY_USD } });
      dir = await mkdtemp(path.join(tmpdir(), 'switchboard-gateway-'));
    });
    afterEach(() => fake.reset());
    after(async () => {
      // Its ledger and served counts are written in the background: out before the folder goes.
      await Promise.all(opened.map((switchboard) => switchboard.dispose()));
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('the adapter reports the gateway\'s cost beside the usage', async () => {
      fake.script({ text: 'It stands in front.', usage: { inputTokens: 1000, outputTokens: 20 } });
      const adapter = createOpenAIProvider({ id: 'team', kind: 'openai', baseUrl: `${fake.url}/v1`, apiKey: 'sk-team-virtual-key', gateway: kind });
      const result = await collectStream(adapter.stream('anthropic/claude-sonnet-5', REQUEST, new AbortController().signal));
      assert.equal(result.error, undefined);
      assert.equal(result.text, 'It stands in front.');
      assert.deepEqual(result.gatewayCost, { costUsd: GATEWAY_USD, gateway: kind });
      const body = fake.requests[0]!.body as Record<string, unknown>;
      // OpenRouter is asked for usage accounting; nothing unknown is sent to anything else.
      assert.deepEqual(body.usage, kind === 'openrouter' ? { include: true } : undefined);
    });

    it('the ledger records the gateway\'s figure and says where it came from', async () => {
      fake.script({ text: 'Priced by the gateway.', usage: { inputTokens: 1000, outputTokens: 20 } });
      const ledgerPath = path.join(dir, `${kind}.jsonl`);
      const { config, problems } = resolveConfig({
        providers: { custom: { team: { type: 'openai', baseUrl: `${fake.url}/v1`, apiKeyEnv: 'TEAM_KEY', gateway: kind } } },
        routes: { chat: ['team:anthropic/claude-sonnet-5'] },
      });
      assert.deepEqual(problems, []);
      const switchboard = await Switchboard.create({ config, source: 'cli', env: { TEAM_KEY: 'sk-team-virtual-key' }, ledgerPath });
      opened.push(switchboard);
      const result = await switchboard.router.run('chat', REQUEST);
      await switchboard.ledger.flush();
      assert.equal(result.record.costUsd, GATEWAY_USD, 'a model the price table does not know is priced by the gateway');
      assert.equal(result.record.costSource, 'gateway');
      assert.equal(result.record.gateway, kind);
      const [written] = (await readFile(ledgerPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as LedgerRecord);
      assert.equal(written!.costUsd, GATEWAY_USD);
      assert.equal(written!.costSource, 'gateway');
    });
  });
}

describe('without a gateway figure', () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.close());

  it('the price table prices the request, and the record says so', async () => {
    const { config } = resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] } });
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-gateway-'));
    const switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'sk-test' }, ledgerPath: path.join(dir, 'l.jsonl') });
    try {
      fake.script({ usage: { inputTokens: 1000, outputTokens: 20 } });
      const result = await switchboard.router.run('chat', REQUEST);
      assert.ok(result.record.costUsd! > 0);
      assert.notEqual(result.record.costUsd, GATEWAY_USD);
      assert.equal(result.record.costSource, 'price-table');
      assert.equal(result.record.gateway, undefined);
    } finally {
      await switchboard.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
