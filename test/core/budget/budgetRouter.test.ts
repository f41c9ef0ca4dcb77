import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { worstCaseCost } from '../../../src/core/budget/requestCost';
import { resolveConfig } from '../../../src/core/config';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { Switchboard } from '../../../src/core/switchboard';
import type { ModelRequest } from '../../../src/core/types';
import { startFakeAnthropic, startFakeOpenAI, type FakeServer } from '../../fakes/index';
import { record } from '../costs/cells';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'How much is left?' }], maxTokens: 200 };
const STRONG = { provider: 'anthropic', model: 'claude-sonnet-5' };
const CHEAP = { provider: 'openai', model: 'gpt-5.4-nano' };

/** Budgets through the real router, adapters and SDKs, against fake providers. */
describe('budgets in the router', () => {
  let openai: FakeServer;
  let anthropic: FakeServer;
  let dir: string;
  let count = 0;
  const opened: Switchboard[] = [];

  before(async () => {
    [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-budget-'));
  });
  afterEach(() => {
    openai.reset();
    anthropic.reset();
  });
  after(async () => {
    // Their ledgers append in the background: written out before the folder goes.
    await Promise.all(opened.map((switchboard) => switchboard.dispose()));
    await Promise.all([openai.close(), anthropic.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  async function open(budget: Record<string, unknown>, spentToday = 0) {
    const { config, problems } = resolveConfig({
      providers: { openai: { baseUrl: `${openai.url}/v1` }, anthropic: { baseUrl: anthropic.url } },
      routes: { chat: [`${STRONG.provider}:${STRONG.model}`, `${CHEAP.provider}:${CHEAP.model}`] },
      budget,
    });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({
      config,
      source: 'cli',
      env: { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'test-key' },
      ledgerPath: path.join(dir, `ledger-${++count}.jsonl`),
    });
    opened.push(switchboard);
    if (spentToday) switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: spentToday }));
    return switchboard;
  }

  it('block: refuses past the limit, naming the budget and when it resets; no model is asked', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'block' }, 1);
    assert.equal(switchboard.router.refusal('chat')?.kind, 'budget');
    const result = await switchboard.router.run('chat', REQUEST);
    assert.equal(result.record.outcome, 'error');
    assert.match(result.error ?? '', /^daily budget reached: \$1\.00 spent of \$1\.00; it resets on \d{4}-\d\d-\d\d at 00:00 \(raise switchboard\.budget\.dailyUsd/);
    assert.equal(openai.requests.length + anthropic.requests.length, 0);
  });

  it('downgrade: past the limit the route\'s cheapest model answers, and the record says why', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'downgrade' }, 1);
    assert.equal(switchboard.router.refusal('chat'), undefined, 'nothing is refused');
    const result = await switchboard.router.run('chat', REQUEST);
    assert.equal(result.record.outcome, 'ok');
    assert.deepEqual([result.record.provider, result.record.model], [CHEAP.provider, CHEAP.model]);
    assert.equal(result.record.budgetAction, 'downgrade');
    assert.equal(anthropic.requests.length, 0, 'the strong model was not asked');
  });

  it('downgrade: under the limit the route is used as it is', async () => {
    const switchboard = await open({ dailyUsd: 100, action: 'downgrade' });
    const result = await switchboard.router.run('chat', REQUEST);
    assert.deepEqual([result.record.provider, result.record.budgetAction], [STRONG.provider, undefined]);
  });

  it('warn: goes on past the limit and records that it did', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'warn' }, 1);
    const result = await switchboard.router.run('chat', REQUEST);
    assert.deepEqual([result.record.outcome, result.record.provider, result.record.budgetAction], ['ok', STRONG.provider, 'warn']);
  });

  it('a provider\'s own limit passes its requests to the next model of the route', async () => {
    const switchboard = await open({ providers: { anthropic: { dailyUsd: 0.5 } } });
    switchboard.spend.add(record({ time: new Date().toISOString(), provider: 'anthropic', costUsd: 0.5 }));
    const result = await switchboard.router.run('chat', REQUEST);
    assert.equal(result.record.provider, CHEAP.provider);
    assert.match(result.record.attempts[0]!.error, /daily anthropic budget reached/);
  });

  it('holds with many requests in flight: requests start only while the others\' worst cases leave room', async () => {
    const worst = worstCaseCost(REQUEST, STRONG, new PriceTable())!;
    const switchboard = await open({ dailyUsd: worst * 4.5, action: 'block', providers: {} });
    // Each answer takes a while, so all twelve are in flight together.
    anthropic.scriptModel(STRONG.model, { text: 'Streaming slowly.', chunks: 4, chunkDelayMs: 30, usage: { inputTokens: 10, outputTokens: 5 } });
    openai.scriptModel(CHEAP.model, { text: 'Cheap and slow.', chunks: 4, chunkDelayMs: 30, usage: { inputTokens: 10, outputTokens: 5 } });
    const results = await Promise.all(Array.from({ length: 12 }, () => switchboard.router.run('chat', REQUEST)));
    const answeredByStrong = results.filter((r) => r.record.provider === STRONG.provider && r.record.outcome === 'ok');
    // 0 to 4 worst cases in flight are below 4.5 of them: five start; then the limit is taken up.
    assert.equal(anthropic.requests.length, 5);
    assert.equal(answeredByStrong.length, 5);
    // The rest went to the cheaper model while the strong one's reservations filled the budget, or were refused.
    for (const result of results) assert.ok(result.record.outcome === 'ok' || /budget/.test(result.error ?? ''), result.error);
    assert.ok(switchboard.budget.gate.statuses()[0]!.reservedUsd === 0, 'every reservation was released');
  });
});
