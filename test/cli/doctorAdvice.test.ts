import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { record, tempDir } from '../core/ledger/fixtures';
import { bareEnvIn } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * doctor after `switchboard init`, nothing set up and no budget: each line's advice must apply to this setup (the
 * --config file given, no budget), not to another.
 */
describe('switchboard doctor: advice that applies', () => {
  const dir = tempDir('doctor-advice');
  const bareEnv = (): NodeJS.ProcessEnv => bareEnvIn(dir.path);

  it('with no budget, says nothing of budget.unpricedEstimate: the spend is what has a price, unpriced requests named', async () => {
    const ledger = path.join(dir.path, 'ledger.jsonl');
    const lines = [record({ costUsd: 0.25 }), record({ provider: 'openai', model: 'llama3.1', requestedModel: 'openai:llama3.1', costUsd: null })];
    await writeFile(ledger, lines.map((one) => `${JSON.stringify(one)}\n`).join(''));
    const run = await runInProcess(['doctor', '--ledger', ledger], { env: bareEnv(), cwd: dir.path });
    const spent = run.stdout.split('\n').find((line) => line.startsWith('spent: '));
    assert.equal(spent, 'spent: $0.25 today (2 requests; 1 of them to unpriced models, not in it ("prices" in a --config file gives them one)), $0.25 this month');
    assert.doesNotMatch(run.stdout, /unpricedEstimate|budget\.unpriced/);
  });

  it('with --config, names that file in the budgets line, the --verbose hint and the way to a local server, never init', async () => {
    assert.equal((await runInProcess(['init'], { env: bareEnv(), cwd: dir.path })).code, 0);
    const run = await runInProcess(['doctor', '--config', 'switchboard.jsonc', '--ledger', path.join(dir.path, 'ledger.jsonl')], { env: bareEnv(), cwd: dir.path });
    assert.equal(run.code, 1);
    const lines = run.stdout.trimEnd().split('\n');
    assert.ok(lines.includes('  (each model that is out and why: switchboard doctor --config switchboard.jsonc --verbose)'), run.stdout);
    assert.ok(lines.includes('budgets: none set (budget.dailyUsd and budget.monthlyUsd in switchboard.jsonc)'), run.stdout);
    assert.equal(
      lines.at(-1),
      'Nothing can answer: set OPENAI_API_KEY or ANTHROPIC_API_KEY, AWS credentials for Bedrock, or use a local server: set providers.openai.baseUrl in switchboard.jsonc to its address ' +
        '("switchboard models --base-url URL" lists its models and the routes to them; Ollama\'s is http://localhost:11434/v1, LM Studio\'s http://localhost:1234/v1)',
    );
  });
});
