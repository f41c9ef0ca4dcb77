import assert from 'node:assert/strict';
import { record } from './ledger/fixtures';
import { costOf } from '../../src/core/cost';
import { recordProblem } from '../../src/core/ledger/record';
import { PriceTable } from '../../src/core/prices/priceTable';
import { boundReportedUsage, MODEL_LIMIT_HEADROOM, usageBoundNote, usageLimits } from '../../src/core/usageBound';
import { runInProcess } from '../cli/inProcess';
import { NOVA, REQUEST, routerHarness } from './routerHarness';

const prices = new PriceTable();
/** A local model the user priced themselves: in no table, so only the request's max_tokens bounds it. */
const LOCAL = 'my-local-model';
const LOCAL_PRICE = { [`openai:${LOCAL}`]: { input: 1, output: 2 } };

describe('usage reports over what a request could have used', function () {
  const h = routerHarness('usage-bound');

  it("prices an OpenAI-compatible server's absurd output count at the request's max_tokens, keeping the report", async () => {
    const harness = await h.open({ routes: { chat: [`openai:${LOCAL}`] }, prices: LOCAL_PRICE });
    h.fakes.openai.script({ text: 'Hi', usage: { inputTokens: 30, outputTokens: 1e15 } });

    const { record, text } = await harness.run('chat');

    assert.equal(text, 'Hi');
    assert.equal((h.fakes.openai.requests.at(-1)?.body as { max_tokens?: number }).max_tokens, REQUEST.maxTokens);
    assert.deepEqual(record.usage, { inputTokens: 30, outputTokens: REQUEST.maxTokens, cacheReadTokens: 0, cacheWriteTokens: 0 });
    assert.equal(record.usageEstimated, false, 'a bound is not an estimate');
    assert.deepEqual(record.reportedUsage, { inputTokens: 30, outputTokens: 1e15, cacheReadTokens: 0, cacheWriteTokens: 0 });
    assert.deepEqual(record.usageBound, { outputTokens: 256 });
    // 30 in at $1/M and 256 out at $2/M, not $2,000,000,000.
    assert.equal(record.costUsd, 0.000542);
    assert.equal(usageBoundNote(record), 'the provider reported 1,000,000,000,000,000 output tokens, more than the request could produce (256); priced at 256');
    assert.equal(recordProblem(JSON.parse(JSON.stringify(record))), undefined, 'the ledger reads it back');

    // Budgets read the bounded cost: today's spend is the record's cost.
    assert.equal(harness.switchboard.spend.todayUsd(), 0.000542);
  });

  it("bounds Anthropic's and Bedrock's output counts by their max_tokens / maxTokens too", async () => {
    const harness = await h.open({ routes: { chat: ['anthropic:claude-haiku-4-5'], plan: [`bedrock:${NOVA}`] } });
    h.fakes.anthropic.script({ text: 'Hi', usage: { inputTokens: 12, outputTokens: 4e12 } });
    h.fakes.bedrock.script({ text: 'Hi', usage: { inputTokens: 12, outputTokens: 4e12 } });
    const request = { ...REQUEST, maxTokens: 100 };

    for (const task of ['chat', 'plan'] as const) {
      const { record } = await harness.run(task, { request });
      assert.equal(record.usage.outputTokens, 100, record.provider);
      assert.equal(record.reportedUsage?.outputTokens, 4e12);
      assert.deepEqual(record.usageBound, { outputTokens: 100 });
      assert.equal(record.costUsd, costOf(record.usage, prices.lookup(record.provider, record.model)));
    }
    assert.equal((h.fakes.anthropic.requests.at(-1)?.body as { max_tokens?: number }).max_tokens, 100);
  });

  it('keeps honest hidden reasoning as reported: 20,000 output tokens for a short answer under max_completion_tokens 32,000', async () => {
    const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano'] } });
    const usage = { inputTokens: 40, outputTokens: 20_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
    h.fakes.openai.script({ text: 'Yes.', usage });

    const { record } = await harness.run('chat', { request: { ...REQUEST, maxTokens: 32_000 } });

    assert.deepEqual(record.usage, usage);
    assert.equal(record.usageEstimated, false);
    assert.equal(record.reportedUsage, undefined);
    assert.equal(record.usageBound, undefined);
    assert.equal(usageBoundNote(record), undefined);
    assert.equal(record.costUsd, costOf(usage, prices.lookup('openai', 'gpt-5.4-nano')));
  });

  it("prices an absurd prompt count at the model's context window (with headroom), scaled across input and cache", async () => {
    const harness = await h.open({ routes: { chat: ['anthropic:claude-haiku-4-5'] } });
    h.fakes.anthropic.script({ text: 'Hi', usage: { inputTokens: 1e9, cacheReadTokens: 3e9, cacheWriteTokens: 0, outputTokens: 3 } });
    const window = prices.lookup('anthropic', 'claude-haiku-4-5')?.maxInputTokens;
    assert.equal(window, 200_000);
    const bound = window * MODEL_LIMIT_HEADROOM;

    const { record } = await harness.run('chat');

    assert.deepEqual(record.usage, { inputTokens: bound / 4, outputTokens: 3, cacheReadTokens: (bound * 3) / 4, cacheWriteTokens: 0 });
    assert.deepEqual(record.usageBound, { promptTokens: 3_200_000 });
    assert.deepEqual(record.reportedUsage, { inputTokens: 1e9, outputTokens: 3, cacheReadTokens: 3e9, cacheWriteTokens: 0 });
    assert.equal(record.costUsd, costOf(record.usage, prices.lookup('anthropic', 'claude-haiku-4-5')));
    assert.equal(
      usageBoundNote(record),
      "the provider reported 4,000,000,000 prompt tokens, more than the model's context window could take (3,200,000); priced at 3,200,000",
    );
  });

  it('keeps a prompt count as reported when the model is in no table: no context window is known', async () => {
    const harness = await h.open({ routes: { chat: [`openai:${LOCAL}`] }, prices: LOCAL_PRICE });
    h.fakes.openai.script({ text: 'Hi', usage: { inputTokens: 5e7, outputTokens: 2 } });

    const { record } = await harness.run('chat');

    assert.equal(record.usage.inputTokens, 5e7);
    assert.equal(record.usageBound, undefined);
    assert.equal(record.costUsd, 50.000004);
  });

  it('says in `switchboard costs` how many requests were priced at a bound, and --json counts them', async () => {
    const harness = await h.open({ routes: { chat: [`openai:${LOCAL}`] }, prices: LOCAL_PRICE });
    h.fakes.openai.script({ text: 'Hi', usage: { inputTokens: 30, outputTokens: 1e15 } });
    h.fakes.openai.script({ text: 'Hello', usage: { inputTokens: 30, outputTokens: 2 } });
    await harness.run('chat');
    await harness.run('chat');

    const text = await runInProcess(['costs', '--ledger', harness.ledgerPath]);
    const json = await runInProcess(['costs', '--ledger', harness.ledgerPath, '--json']);

    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^1 request priced at a bound: the provider reported more tokens than the request could produce or the model take/m);
    assert.match(text.stdout, /Total: \$0\.00058 over 2 requests/);
    assert.equal((JSON.parse(json.stdout) as { boundedRequests?: number }).boundedRequests, 1);
  });
});

describe('usageLimits and boundReportedUsage', () => {
  const gpt4o = prices.lookup('openai', 'gpt-4o');

  it("takes the request's max output first, the model's listed max output with headroom when the request set none", () => {
    assert.deepEqual(usageLimits(500, gpt4o), { outputTokens: 500, promptTokens: 128_000 * MODEL_LIMIT_HEADROOM });
    assert.deepEqual(usageLimits(undefined, gpt4o), { outputTokens: 16_384 * MODEL_LIMIT_HEADROOM, promptTokens: 128_000 * MODEL_LIMIT_HEADROOM });
    assert.deepEqual(usageLimits(0, gpt4o).outputTokens, 16_384 * MODEL_LIMIT_HEADROOM);
  });

  it('knows no bound without a max output and without the model in the table: the report stays as given', () => {
    assert.deepEqual(usageLimits(undefined, undefined), {});
    const reported = { inputTokens: 1e12, outputTokens: 1e15 };
    assert.equal(boundReportedUsage(reported, {}).usage, reported);
    assert.equal(boundReportedUsage(reported, {}).over, undefined);
  });

  it("bounds a model's output by its listed max when the request set none", () => {
    const bounded = boundReportedUsage({ inputTokens: 10, outputTokens: 1e15 }, usageLimits(undefined, gpt4o));
    assert.deepEqual(bounded.usage, { inputTokens: 10, outputTokens: 262_144 });
    assert.equal(
      usageBoundNote(bounded.over!),
      'the provider reported 1,000,000,000,000,000 output tokens, more than the request could produce (262,144); priced at 262,144',
    );
  });

  it('leaves a report at the bound untouched, and a partial report (a broken stream) bounded where it has counts', () => {
    const atBound = { inputTokens: 10, outputTokens: 256, cacheReadTokens: 0, cacheWriteTokens: 0 };
    assert.equal(boundReportedUsage(atBound, { outputTokens: 256 }).usage, atBound);
    assert.deepEqual(boundReportedUsage({ outputTokens: 1e9 }, { outputTokens: 64, promptTokens: 1000 }).usage, { outputTokens: 64 });
    assert.equal(boundReportedUsage(undefined, { outputTokens: 64 }).usage, undefined);
  });

  it('refuses a record with reportedUsage but no usageBound, or a bound of something else', () => {
    const base = record();
    assert.equal(recordProblem({ ...base, reportedUsage: { outputTokens: 9 }, usageBound: { outputTokens: 2 } }), undefined);
    assert.match(recordProblem({ ...base, reportedUsage: { outputTokens: 9 } }) ?? '', /"usageBound"/);
    assert.match(recordProblem({ ...base, reportedUsage: { outputTokens: 9 }, usageBound: { costUsd: 2 } }) ?? '', /"usageBound"/);
    assert.match(recordProblem({ ...base, reportedUsage: { outputTokens: -1 }, usageBound: { outputTokens: 2 } }) ?? '', /"reportedUsage"/);
  });
});
