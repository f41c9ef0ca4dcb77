import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import type { LedgerRecord } from '../../../src/core/ledger';
import { recordProblem } from '../../../src/core/ledger/record';
import { costFromLiteLLMHeader, costFromOpenRouterUsage, isOpenRouter } from '../../../src/core/providers/gatewayCost';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import { Switchboard } from '../../../src/core/switchboard';
import type { ModelRequest } from '../../../src/core/types';
import { usageBoundNote } from '../../../src/core/usageBound';
import { runInProcess } from '../../cli/inProcess';
import { collectStream } from '../../fakes/collectStream';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'What does a gateway do?' }], maxTokens: 64 };
/** What the gateways bill: deliberately unlike any shipped price, so the figure used is unmistakable. */
const GATEWAY_USD = 0.004321;
/** A gateway model the user priced: $3 / $15 per million tokens in / out. */
const PRICED_GATEWAY_MODEL = 'anthropic/claude-sonnet-5';
const GATEWAY_PRICES = { [`team:${PRICED_GATEWAY_MODEL}`]: { input: 3, output: 15 } };

describe('gateway cost figures', () => {
  it('reads LiteLLM\'s header as dollars, and not a zero sent before a streamed answer', () => {
    assert.deepEqual(costFromLiteLLMHeader('0.0024319', true), { costUsd: 0.0024319, gateway: 'litellm' });
    assert.deepEqual(costFromLiteLLMHeader('0', false), { costUsd: 0, gateway: 'litellm' });
    assert.equal(costFromLiteLLMHeader('0', true), undefined);
    for (const bad of [null, '', 'None', '-1', 'NaN', '1e9', 'Infinity', '-0.5', '0x10', '0b1', '+.5e1', '0.1, 0.2', '1_000']) assert.equal(costFromLiteLLMHeader(bad, true), undefined, String(bad));
    assert.deepEqual(costFromLiteLLMHeader(' 1.2e-05 ', true), { costUsd: 0.000012, gateway: 'litellm' }, "Python's float as written");
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
    /** What the fake gateway bills the next request. */
    let gatewayUsd = GATEWAY_USD;

    /** A Switchboard whose chat route is `model` through the fake gateway, with `more` settings; its ledger `{kind}-{name}.jsonl`. */
    async function openThroughGateway(name: string, model: string, more: Record<string, unknown>): Promise<{ switchboard: Switchboard; ledgerPath: string }> {
      const ledgerPath = path.join(dir, `${kind}-${name}.jsonl`);
      const { config, problems } = resolveConfig({
        providers: { custom: { team: { type: 'openai', baseUrl: `${fake.url}/v1`, apiKeyEnv: 'TEAM_KEY', gateway: kind } } },
        routes: { chat: [`team:${model}`] },
        ...more,
      });
      assert.deepEqual(problems, []);
      const switchboard = await Switchboard.create({ config, source: 'cli', env: { TEAM_KEY: 'sk-team-virtual-key' }, ledgerPath });
      opened.push(switchboard);
      return { switchboard, ledgerPath };
    }
    const openPriced = () => openThroughGateway(`priced-${opened.length}`, PRICED_GATEWAY_MODEL, { prices: GATEWAY_PRICES });
    /** A model nobody priced, under a $100 daily budget. */
    const openUnpriced = (name: string) => openThroughGateway(name, 'vendor/model-nobody-priced', { budget: { dailyUsd: 100 } });

    before(async () => {
      fake = await startFakeOpenAI({ gateway: { kind, costUsd: () => gatewayUsd } });
      dir = await mkdtemp(path.join(tmpdir(), 'switchboard-gateway-'));
    });
    afterEach(() => {
      fake.reset();
      gatewayUsd = GATEWAY_USD;
    });
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
        // Not an `anthropic/…` id: behind a gateway named openrouter that is priced at Anthropic's rates (servingProviders.ts).
        routes: { chat: ['team:mistralai/devstral-medium'] },
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

    it("holds the figure for a model without a price to 16 times the dearest rates the price table knows, and takes one under it as billed", async () => {
      const { switchboard, ledgerPath } = await openUnpriced('unpriced');
      // The shipped table's dearest: $30 a million in (gpt-4), $75 out (Claude Opus).
      assert.deepEqual(switchboard.priceTable.dearestRates(), { input: 30, output: 75 });
      // "What does a gateway do?": 23 bytes, a token each at most, 8 for the message's framing; 64 out at most.
      const ceiling = ((23 + 8) * 30 * 16 + 64 * 75 * 16) / 1e6;

      // A broken or hostile gateway bills $900 for a short answer with honest counts. Before, any figure up to
      // $1,000 was taken for a model without a price, and the daily budget of $100 was spent nine times over.
      fake.script({ text: 'Hi', usage: { inputTokens: 10, outputTokens: 2 } });
      gatewayUsd = 900;
      const { record } = await switchboard.router.run('chat', REQUEST);
      assert.equal(record.costUsd, ceiling);
      assert.equal(record.gatewayCostUsd, 900);
      assert.equal(record.gatewayCostBoundUsd, ceiling);
      assert.equal(record.gatewayCostBoundRates, 'dearest');
      assert.equal(record.costSource, 'price-table');
      const gatewayName = kind === 'openrouter' ? 'OpenRouter' : 'LiteLLM';
      assert.equal(usageBoundNote(record), `${gatewayName} reported a cost of $900.00, more than the request could cost at 16 times the dearest rates in the price table, the model having no price of its own ($0.092); priced at $0.092`);
      assert.equal(switchboard.spend.todayUsd(), ceiling, 'budgets read the bound');

      // An honest bill of a dear model (o1-pro's rates through a gateway) is under it: taken as billed.
      gatewayUsd = 0.04;
      const honest = await switchboard.router.run('chat', REQUEST);
      assert.equal(honest.record.costUsd, 0.04);
      assert.equal(honest.record.costSource, 'gateway');
      assert.equal(honest.record.gatewayCostUsd, undefined);
      await switchboard.ledger.flush();
      const written = (await readFile(ledgerPath, 'utf8')).split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as LedgerRecord);
      assert.deepEqual(written.map(recordProblem), [undefined, undefined]);
      assert.equal(written[0]!.gatewayCostBoundRates, 'dearest');
    });

    it('leaves a $0 for the tokens of a model nobody priced unpriced, as the budgets count it, not free', async () => {
      const { switchboard } = await openUnpriced('unpriced-zero');
      // A gateway whose cost map lacks the model bills it as $0 (OpenRouter's final usage can say so on a stream;
      // LiteLLM's header, sent before a streamed answer, is not read as 0 there). Before, it was recorded as free.
      fake.script({ text: 'Hi', usage: { inputTokens: 10, outputTokens: 2 } });
      gatewayUsd = 0;
      const { record } = await switchboard.router.run('chat', REQUEST);
      assert.equal(record.outcome, 'ok', record.error);
      assert.equal(record.costUsd, null, 'unpriced, not $0');
      assert.equal(record.costSource, undefined);
      assert.equal(record.gateway, undefined);
      assert.equal(switchboard.today().total.unpriced, 1, 'counted as unpriced: the budgets count it at budget.unpricedEstimate');
    });

    it("caps the gateway's figure at the bound when its token counts were over it, keeping both figures", async () => {
      const { switchboard, ledgerPath } = await openPriced();
      // A broken gateway counts 10^12 output tokens for a short answer and bills them: $900.
      fake.script({ text: 'Hi', usage: { inputTokens: 1000, outputTokens: 1e12 } });
      gatewayUsd = 900;

      const { record } = await switchboard.router.run('chat', REQUEST);
      await switchboard.ledger.flush();

      // 1,000 in at $3/M and the request's max_tokens of 64 out at $15/M.
      const bound = 0.00396;
      assert.deepEqual(record.usageBound, { outputTokens: 64 });
      assert.equal(record.reportedUsage?.outputTokens, 1e12);
      assert.equal(record.costUsd, bound);
      assert.equal(record.costSource, 'price-table');
      assert.equal(record.gateway, kind);
      assert.equal(record.gatewayCostUsd, 900);
      assert.equal(record.gatewayCostBoundUsd, bound);
      const gatewayName = kind === 'openrouter' ? 'OpenRouter' : 'LiteLLM';
      assert.equal(
        usageBoundNote(record),
        `the provider reported 1,000,000,000,000 output tokens, more than the request could produce (64); priced at 64; ${gatewayName} reported a cost of $900.00, more than the request could cost at the price table's rates ($0.004); priced at $0.004`,
      );
      assert.equal(switchboard.spend.todayUsd(), bound, 'budgets read the bound');
      const [written] = (await readFile(ledgerPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as LedgerRecord);
      assert.equal(recordProblem(written), undefined);
      assert.equal(written!.gatewayCostUsd, 900);
    });

    it("caps a figure over what the request could cost at the table's rates even when its counts were honest", async () => {
      const { switchboard, ledgerPath } = await openPriced();
      fake.script({ text: 'Hi', usage: { inputTokens: 1000, outputTokens: 20 } });
      // Dollars mistaken for something a thousand times smaller, say: $5 for about half a cent of tokens.
      gatewayUsd = 5;

      const { record } = await switchboard.router.run('chat', REQUEST);

      assert.equal(record.usageBound, undefined, 'the counts were within their bounds');
      assert.equal(record.costUsd, 0.00396, 'the prompt as counted and the most output the request could produce');
      assert.equal(record.gatewayCostUsd, 5);
      assert.equal(record.gatewayCostBoundUsd, 0.00396);
      assert.equal(record.costSource, 'price-table');
      await switchboard.ledger.flush();
      const costs = await runInProcess(['costs', '--ledger', ledgerPath, '--json']);
      assert.equal(costs.code, 0, costs.stderr);
      assert.equal((JSON.parse(costs.stdout) as { boundedRequests?: number }).boundedRequests, 1, 'costs counts it priced at a bound');
    });

    it('ignores a negative, NaN or infinite figure: the price table prices the request, and the budget counts that', async () => {
      const { switchboard } = await openPriced();
      // 1,000 in at $3/M and 20 out at $15/M.
      const tablePrice = 0.0033;
      for (const figure of [-5, Number.NaN, Number.POSITIVE_INFINITY, -Number.MIN_VALUE]) {
        fake.script({ text: 'Hi', usage: { inputTokens: 1000, outputTokens: 20 } });
        gatewayUsd = figure;
        const before = switchboard.spend.todayUsd();
        const { record } = await switchboard.router.run('chat', REQUEST);
        assert.equal(record.costUsd, tablePrice, String(figure));
        assert.equal(record.costSource, 'price-table');
        assert.equal(record.gateway, undefined);
        assert.ok(Math.abs(switchboard.spend.todayUsd() - before - tablePrice) < 1e-12, 'the budget counts what the table says, not less');
      }
    });

    it("takes a figure above the table's price of the counted tokens but within the bound: a gateway's rates may differ", async () => {
      const { switchboard } = await openPriced();
      fake.script({ text: 'Hi', usage: { inputTokens: 1000, outputTokens: 20 } });
      // The table prices these counts at $0.0033; the gateway bills 20 % more, under the $0.00396 bound.
      gatewayUsd = 0.00396;

      const { record } = await switchboard.router.run('chat', REQUEST);

      assert.equal(record.costUsd, 0.00396);
      assert.equal(record.costSource, 'gateway');
      assert.equal(record.gatewayCostUsd, undefined);
      assert.equal(usageBoundNote(record), undefined);
    });

    it("counts a figure under the table's price of the counted tokens at that price, keeping the gateway's: it never lowers what budgets count", async () => {
      const { switchboard, ledgerPath } = await openPriced();
      // 1,000 in at $3/M and 20 out at $15/M.
      const tablePrice = 0.0033;
      const gatewayName = kind === 'openrouter' ? 'OpenRouter' : 'LiteLLM';
      // A gateway whose cost map lacks the model, or a broken or hostile one: a millionth of a dollar, and (where a
      // stream's figure can say it: OpenRouter's final usage) nothing at all. Before, each was taken as billed, and
      // a budget let through thousands of such requests for what one cost.
      for (const figure of kind === 'openrouter' ? [0.000001, 0] : [0.000001]) {
        fake.script({ text: 'Hi', usage: { inputTokens: 1000, outputTokens: 20 } });
        gatewayUsd = figure;
        const before = switchboard.spend.todayUsd();
        const { record } = await switchboard.router.run('chat', REQUEST);
        assert.equal(record.costUsd, tablePrice, String(figure));
        assert.equal(record.costSource, 'price-table');
        assert.equal(record.gateway, kind);
        assert.equal(record.gatewayCostUsd, figure, "the gateway's figure is kept beside it");
        assert.equal(record.gatewayCostBoundUsd, tablePrice);
        assert.equal(record.gatewayCostUnderTable, true);
        assert.equal(
          usageBoundNote(record),
          `${gatewayName} reported a cost of ${figure === 0 ? '$0.00' : '$0.000001'}, less than the tokens it counted cost at the price table's rates ($0.0033); counted at $0.0033, as a gateway's figure never lowers what the budgets count`,
        );
        assert.ok(Math.abs(switchboard.spend.todayUsd() - before - tablePrice) < 1e-12, 'the budget counts the table\'s price, not the gateway\'s less');
      }
      await switchboard.ledger.flush();
      const written = (await readFile(ledgerPath, 'utf8')).split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as LedgerRecord);
      assert.deepEqual(written.map(recordProblem), written.map(() => undefined));
      assert.ok(written.every((line) => line.gatewayCostUnderTable === true && line.costUsd === tablePrice));
      const costs = await runInProcess(['costs', '--ledger', ledgerPath, '--json']);
      assert.equal(costs.code, 0, costs.stderr);
      const json = JSON.parse(costs.stdout) as { totalUsd: number; boundedRequests?: number };
      assert.equal(json.boundedRequests, written.length, 'costs counts them priced at a bound');
      assert.ok(Math.abs(json.totalUsd - tablePrice * written.length) < 1e-12);
    });
  });
}

describe('a server the user did not name as a gateway', () => {
  // Each fake speaks as a gateway and prices every request at a millionth of a cent.
  const servers: FakeServer[] = [];
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-not-gateway-'));
    for (const kind of ['litellm', 'openrouter'] as const) servers.push(await startFakeOpenAI({ gateway: { kind, costUsd: () => 1e-8 } }));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("has its cost figures ignored: OpenAI's provider at another server, or a custom one without gateway, is priced by the table", async () => {
    for (const [index, fake] of servers.entries()) {
      for (const providers of [{ openai: { baseUrl: `${fake.url}/v1` } }, { custom: { relay: { type: 'openai', baseUrl: `${fake.url}/v1`, apiKeyEnv: 'OPENAI_API_KEY' } } }]) {
        const route = 'custom' in providers ? 'relay:gpt-5.4' : 'openai:gpt-5.4';
        const { config, problems } = resolveConfig({ providers, routes: { chat: [route] }, prices: { 'relay:gpt-5.4': { input: 2.5, output: 15 } }, budget: { dailyUsd: 1 } });
        assert.deepEqual(problems, []);
        const switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'sk-test' }, ledgerPath: path.join(dir, `${index}-${route}.jsonl`) });
        try {
          fake.script({ text: 'Hi', usage: { inputTokens: 1000, outputTokens: 20 } });
          const { record } = await switchboard.router.run('chat', REQUEST);
          assert.equal(record.outcome, 'ok', record.error);
          assert.equal(record.costSource, 'price-table', `${route} at a fake ${index === 0 ? 'LiteLLM' : 'OpenRouter'}`);
          assert.equal(record.gateway, undefined);
          assert.ok(record.costUsd! > 0.001, `priced by the table, not the server's $${record.costUsd}`);
          assert.equal(switchboard.spend.todayUsd(), record.costUsd);
        } finally {
          await switchboard.dispose();
        }
        fake.reset();
      }
    }
  });
});

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
