import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { budgetEstimateNote } from '../../../src/core/budget/budgetEstimates';
import { budgetLine } from '../../../src/core/budget/budgetGate';
import { resolveConfig } from '../../../src/core/config';
import type { LedgerRecord } from '../../../src/core/ledger';
import { Switchboard } from '../../../src/core/switchboard';
import { record } from '../costs/cells';

/**
 * Requests recorded with no price keep that in the ledger, but once their model has a price (one set in
 * switchboard.prices, or a newer table's) the month's budget counts them at it, not at budget.unpricedEstimate for
 * the rest of the month; those whose model still has none are named with what they are counted at. Where today's
 * settings point the provider (a server on this machine) does not price them: the record says whether it was local.
 */
describe('a month budget over requests recorded before their model had a price', () => {
  let dir: string;
  const opened: Switchboard[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-priced-since-'));
  });
  after(async () => {
    for (const switchboard of opened) await switchboard.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const unpriced = (id: string, provider: string, model: string, inputTokens: number, outputTokens: number): LedgerRecord =>
    record({ id, time: new Date().toISOString(), provider, model, requestedModel: `${provider}:${model}`, costUsd: null, usage: { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 } });

  async function open(ledger: string) {
    const { config, problems } = resolveConfig({
      providers: {
        // On this machine now: its model costs "local, $0".
        custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } },
        // Across the network: its unpriced model is still estimated.
        openai: { baseUrl: 'http://192.168.1.20:11434/v1' },
      },
      prices: { 'openai:my-tuned': { input: 1, output: 2 } },
      budget: { monthlyUsd: 5 },
    });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'sk-test' }, ledgerPath: ledger });
    opened.push(switchboard);
    await switchboard.loadToday();
    return switchboard;
  }

  it('counts a request recorded as local at $0 and one priced since at its price; requests still unpriced at the estimate', async () => {
    const ledger = path.join(dir, 'ledger.jsonl');
    const records = [
      // Recorded as local ($0, costSource "local"): what the record says counts.
      record({ id: 'local', time: new Date().toISOString(), provider: 'ollama', model: 'qwen3:8b', requestedModel: 'ollama:qwen3:8b', costUsd: 0, costSource: 'local', usage: { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 0, cacheWriteTokens: 0 } }),
      // Recorded with no price when `ollama` named a LAN box: the settings pointing it at localhost now do not make it $0.
      unpriced('was-lan', 'ollama', 'llama3.1:8b', 100_000, 10_000),
      unpriced('lan', 'openai', 'llama-lan', 100_000, 10_000),
      unpriced('tuned', 'openai', 'my-tuned', 1_000_000, 100_000),
    ];
    await writeFile(ledger, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const switchboard = await open(ledger);
    const spend = switchboard.budget.spend();
    assert.equal(Number(spend.usd('month').toFixed(6)), 2.1);
    assert.equal(Number(spend.estimatedUsd('month').toFixed(6)), 0.9);
    assert.equal(Number(spend.pricedSinceUsd('month').toFixed(6)), 1.2);
    const [status] = switchboard.budget.gate.statuses();
    assert.equal(status?.level, 'ok');
    assert.match(
      budgetLine(status!),
      /^Monthly budget: \$2\.90 left of \$5\.00 \(\$2\.10 spent, \$0\.90 of it requests to unpriced models counted at switchboard\.budget\.unpricedEstimate, \$1\.20 of it requests recorded with no price, counted at their model's price now\); resets on \d{4}-\d\d-01 at 00:00 \(switchboard\.budget\.monthlyUsd\)$/,
    );
    // What the dashboard says under the budgets: the models with requests that still have no price, with the way to one.
    assert.deepEqual(switchboard.budget.estimates(), [
      { model: 'ollama:llama3.1:8b', requests: 1, usd: 0.45 },
      { model: 'openai:llama-lan', requests: 1, usd: 0.45 },
    ]);
    assert.equal(
      budgetEstimateNote(switchboard.budget.estimates().slice(1), 'switchboard.budget.unpricedEstimate', 'in switchboard.prices'),
      "This month's budgets count 1 request to openai:llama-lan at $0.45 (switchboard.budget.unpricedEstimate), because no price is known for it: " +
        'give it its price in switchboard.prices ("openai:llama-lan": { "input": …, "output": … } in USD per million tokens, 0 and 0 if nothing bills you for it) ' +
        'and the budgets count those requests at it, not at the estimate',
    );
    // The ledger keeps what was recorded: no cost is rewritten.
    assert.deepEqual(
      switchboard.spend.monthCells().map((c) => [c.model, c.costUsd, c.unpriced]).sort(),
      [['llama-lan', 0, 1], ['llama3.1:8b', 0, 1], ['my-tuned', 0, 1], ['qwen3:8b', 0, 0]],
    );
  });
});
