import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { worstCaseCost } from '../../../src/core/budget/requestCost';
import { resolveConfig } from '../../../src/core/config';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { Switchboard } from '../../../src/core/switchboard';
import type { ModelRequest } from '../../../src/core/types';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';

/** Each admitted at a worst case of $0.0025 (2,000 output tokens of gpt-5.4-nano), billed about $0.002. */
const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'How much is left?' }], maxTokens: 2000 };
const MODEL = { provider: 'openai', model: 'gpt-5.4-nano' };
const CAP = 0.01;
/** The usual answer: 1,600 output tokens, about $0.002. */
const USUAL = { text: 'Enough.', usage: { inputTokens: 12, outputTokens: 1600 } };

/**
 * A daily cap of $0.01 and 30 requests started at once, each costing about $0.002, through the real router, the
 * OpenAI SDK and the fake server: how far spend goes past the cap. What is admitted fits the cap by its worst case;
 * only a bill over the reservation can pass it, and only by what the requests in flight then were billed over theirs.
 */
describe('a daily cap under 30 requests at once', () => {
  let openai: FakeServer;
  let dir: string;
  let count = 0;
  const opened: Switchboard[] = [];

  before(async () => {
    openai = await startFakeOpenAI();
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-concurrent-cap-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((switchboard) => switchboard.dispose()));
    openai.reset();
  });
  after(async () => {
    await openai.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(ledgerPath: string): Promise<Switchboard> {
    const { config, problems } = resolveConfig({
      routes: { chat: [`${MODEL.provider}:${MODEL.model}`] },
      auto: { enabled: false },
      budget: { dailyUsd: CAP, action: 'block' },
      providers: { openai: { baseUrl: `${openai.url}/v1` } },
    });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'sk-test' }, ledgerPath });
    opened.push(switchboard);
    await switchboard.loadToday();
    return switchboard;
  }

  /** Runs `requests` at once on each Switchboard; what was billed in all, and how many were answered. */
  async function burst(switchboards: Switchboard[], requests: number) {
    const results = await Promise.all(switchboards.flatMap((switchboard) => Array.from({ length: requests }, () => switchboard.router.run('chat', REQUEST))));
    const answered = results.filter((result) => result.record.outcome === 'ok');
    const refused = results.filter((result) => result.budgetRefused);
    const spent = answered.reduce((sum, result) => sum + (result.record.costUsd ?? NaN), 0);
    assert.equal(answered.length + refused.length, results.length, 'each request answered or refused by the budget');
    assert.equal(openai.requests.length, answered.length, 'no refused request reached the provider');
    return { answered, refused, spent };
  }

  it('in one process: never past the cap; the answered ones fit by their worst case', async () => {
    const worst = worstCaseCost(REQUEST, MODEL, new PriceTable())!;
    assert.ok(worst > 0.0024 && worst < 0.0026, `worst case ${worst}`);
    openai.scriptModel(MODEL.model, USUAL);
    const { answered, spent } = await burst([await open(path.join(dir, `one-${++count}.jsonl`))], 30);
    assert.ok(answered.length >= Math.floor(CAP / worst), `${answered.length} answered`);
    assert.ok(spent <= CAP + 1e-12, `spent ${spent} of ${CAP}`);
  });

  it('in two Switchboards sharing the ledger (as the CLI and a window do): never past the cap', async () => {
    const ledgerPath = path.join(dir, `two-${++count}.jsonl`);
    openai.scriptModel(MODEL.model, USUAL);
    const { spent, answered } = await burst([await open(ledgerPath), await open(ledgerPath)], 15);
    assert.ok(answered.length >= 4, `${answered.length} answered`);
    assert.ok(spent <= CAP + 1e-12, `spent ${spent} of ${CAP}`);
  });

  it('answers that run long (10x the output tokens reserved) are billed at the request\'s max: still never past the cap', async () => {
    openai.scriptModel(MODEL.model, { text: 'Long.', usage: { inputTokens: 12, outputTokens: 20_000 } });
    const { answered, spent } = await burst([await open(path.join(dir, `long-${++count}.jsonl`))], 30);
    for (const result of answered) assert.deepEqual(result.record.usageBound, { outputTokens: REQUEST.maxTokens }, 'said in the record');
    assert.ok(spent <= CAP + 1e-12, `spent ${spent} of ${CAP}`);
  });

  it('a prompt billed far over its estimate passes the cap by at most what the requests in flight were billed over their reservations', async () => {
    const worst = worstCaseCost(REQUEST, MODEL, new PriceTable())!;
    // 20,000 prompt tokens for a 17-character question: a server counting (or lying) far past the estimate.
    openai.scriptModel(MODEL.model, { text: 'Dear.', usage: { inputTokens: 20_000, outputTokens: 1600 } });
    const { answered, spent } = await burst([await open(path.join(dir, `dear-${++count}.jsonl`))], 30);
    const overEach = answered[0]!.record.costUsd! - worst;
    assert.ok(overEach > 0, 'each billed over its reservation');
    // Admitted while the cap had room by their worst cases: at most cap / worst of them, and none after.
    assert.ok(answered.length <= Math.floor(CAP / worst + 1e-9), `${answered.length} answered`);
    assert.ok(spent <= CAP + answered.length * overEach + 1e-12, `spent ${spent}`);
  });
});
