import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { record } from '../core/costs/cells';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard costs` with a budget in --config: the requests this month's budgets count at budget.unpricedEstimate
 * (their model has no price) are named with what they count for and the one step that changes it; a model found
 * local since counts at $0 and is not among them.
 */
describe('switchboard costs naming what the budgets estimate', () => {
  let ledger: string;

  useTempFolder('costs-estimate');
  before(async () => {
    ledger = path.join(dir, 'ledger.jsonl');
    const time = new Date().toISOString();
    const usage = { inputTokens: 100_000, outputTokens: 10_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const records = [
      record({ id: 'a', time, costUsd: 0.25 }),
      // Recorded as local: $0 in the budgets, never estimated.
      record({ id: 'b', time, provider: 'ollama', model: 'llama3.1:8b', requestedModel: 'ollama:llama3.1:8b', costUsd: 0, costSource: 'local', usage }),
      record({ id: 'c', time, provider: 'openai', model: 'llama-lan', requestedModel: 'openai:llama-lan', costUsd: null, usage }),
      record({ id: 'd', time, provider: 'openai', model: 'llama-lan', requestedModel: 'openai:llama-lan', costUsd: null, usage }),
    ];
    await writeFile(ledger, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  async function configFile(name: string, budget: Record<string, unknown>): Promise<string> {
    const file = path.join(dir, name);
    const providers = { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } }, openai: { baseUrl: 'http://192.168.1.20:11434/v1' } };
    await writeFile(file, JSON.stringify({ providers, budget }));
    return file;
  }

  it('says how many requests the month budget counts at the estimate, at how much, and how to price them', async () => {
    const config = await configFile('budget.json', { monthlyUsd: 20 });
    const text = await runInProcess(['costs', '--ledger', ledger, '--config', config], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^This month's budgets count 2 requests to openai:llama-lan at \$0\.90 \(budget\.unpricedEstimate in \S+budget\.json\), because no price is known for it: give it its price under "prices" in \S+budget\.json \("openai:llama-lan": \{ "input": …, "output": … \} in USD per million tokens, 0 and 0 if nothing bills you for it\) and the budgets count those requests at it, not at the estimate$/m,
    );
    assert.doesNotMatch(text.stdout, /count[^\n]*ollama:llama3\.1:8b at/, 'a request recorded as local counts at $0');
    const json = await runInProcess(['costs', '--json', '--ledger', ledger, '--config', config], { cwd: dir });
    assert.deepEqual(JSON.parse(json.stdout).budgetEstimates, [{ model: 'openai:llama-lan', requests: 2, usd: 0.9 }]);
    // Whatever the range shown: a budget's month is this one.
    const today = await runInProcess(['costs', '--range', 'today', '--json', '--ledger', ledger, '--config', config], { cwd: dir });
    assert.deepEqual(JSON.parse(today.stdout).budgetEstimates, [{ model: 'openai:llama-lan', requests: 2, usd: 0.9 }]);
  });

  it('says nothing of an estimate without a budget, which counts it toward nothing', async () => {
    const config = await configFile('none.json', {});
    const text = await runInProcess(['costs', '--ledger', ledger, '--config', config], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /^This month's budgets/m);
    assert.equal(JSON.parse((await runInProcess(['costs', '--json', '--ledger', ledger, '--config', config], { cwd: dir })).stdout).budgetEstimates, undefined);
  });
});

/** `switchboard doctor`'s "spent" line over a request recorded before its model had a price. */
describe('switchboard doctor over a request priced since it was recorded', () => {
  let ledger: string;

  useTempFolder('doctor-priced-since');
  before(async () => {
    ledger = path.join(dir, 'ledger.jsonl');
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const unpriced = record({ id: 'a', time: new Date().toISOString(), provider: 'ollama', model: 'tuned', requestedModel: 'ollama:tuned', costUsd: null, usage });
    await writeFile(ledger, `${JSON.stringify(unpriced)}\n`);
  });

  async function doctor(budget: Record<string, unknown>): Promise<string> {
    const config = path.join(dir, 'doctor.json');
    // Port 1 on loopback: refused at once, so the free call costs no wait.
    const settings = { providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://127.0.0.1:1/v1' } } }, prices: { 'ollama:tuned': { input: 1, output: 2 } }, budget };
    await writeFile(config, JSON.stringify(settings));
    const run = await runInProcess(['doctor', '--ledger', ledger, '--config', config], { cwd: dir, env: {} });
    return run.stdout.split('\n').find((line) => line.startsWith('spent:')) ?? run.stdout;
  }

  it('counts it at its price now under a budget, and says so; without one, the spend is what was recorded', async () => {
    assert.match(await doctor({ monthlyUsd: 5 }), /^spent: \$1\.20 today \(1 request; \$1\.20 of it requests recorded with no price, counted at their model's price now\), \$1\.20 this month \(\$1\.20 of it requests recorded with no price, counted at their model's price now\)$/);
    assert.match(await doctor({}), /^spent: \$0\.00 today \(1 request; 1 of them to unpriced models, not in it \(.*\)\), \$0\.00 this month$/);
  });
});
