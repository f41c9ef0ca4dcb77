import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger';
import { autoRecord } from '../core/routing/records';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

interface SavingsJson {
  savedUsd: number;
  routes: string;
  modelsOnNoRoute: { model: string; requests: number }[];
}

/**
 * `switchboard costs` prices Auto's cheap answers at each route's strong tier: without --config, the default routes'.
 * A ledger written under the user's own routes is told what it is compared with, and how to compare with those.
 */
describe('switchboard costs: which routes the saving is measured against', () => {
  /** Routes of the user's own: Bedrock's Nova Pro strong, Nova Lite cheap (neither on a default route), and a local model. */
  let ownConfig: string;
  let ownLedger: string;

  const write = async (name: string, records: LedgerRecord[]) => {
    const file = path.join(dir, name);
    await writeFile(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return file;
  };

  useTempFolder('costs-routes');
  before(async () => {
    ownConfig = path.join(dir, 'own.jsonc');
    await writeFile(
      ownConfig,
      JSON.stringify({ routes: { chat: ['bedrock:us.amazon.nova-pro-v1:0'], completion: ['openai:llama3.1'] }, auto: { enabled: true, cheapRoutes: { chat: ['bedrock:us.amazon.nova-lite-v1:0'] } } }),
    );
    const cheap = { provider: 'bedrock', model: 'us.amazon.nova-lite-v1:0', requestedModel: 'bedrock:us.amazon.nova-lite-v1:0', costUsd: 0.0001 };
    ownLedger = await write('own.jsonl', [
      autoRecord({ id: 'a', ...cheap }),
      autoRecord({ id: 'b', ...cheap }),
      autoRecord({ id: 'c', task: 'completion', provider: 'openai', model: 'llama3.1', requestedModel: 'openai:llama3.1', costUsd: null, routing: undefined }),
    ]);
  });

  it('without --config, says the strong tiers are the default routes\', names the ledger\'s models they do not, and the way to compare with their own', async () => {
    const text = await runInProcess(['costs', '--ledger', ownLedger], { cwd: dir });

    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Routing saved \$\S+: these requests cost \$\S+, and would have cost \$\S+ on each route's strong tier \(completion: openai:gpt-5\.4-nano; chat: anthropic:claude-sonnet-5; plan: anthropic:claude-opus-5\)$/m);
    assert.match(
      text.stdout,
      /^The strong tiers above are the default routes' \(no --config given\), and this ledger holds 2 models they do not name: bedrock:us\.amazon\.nova-lite-v1:0 \(2 requests\), openai:llama3\.1 \(1 request\); add --config FILE with the routes these requests used to compare against those \("switchboard init" writes a starter file\)$/m,
    );
    const json = JSON.parse((await runInProcess(['costs', '--ledger', ownLedger, '--json'], { cwd: dir })).stdout) as { savings: SavingsJson };
    assert.equal(json.savings.routes, 'defaults');
    assert.deepEqual(json.savings.modelsOnNoRoute, [
      { model: 'bedrock:us.amazon.nova-lite-v1:0', requests: 2 },
      { model: 'openai:llama3.1', requests: 1 },
    ]);
  });

  it('with the --config of those routes, compares with them and says nothing more', async () => {
    const text = await runInProcess(['costs', '--config', ownConfig, '--ledger', ownLedger], { cwd: dir });

    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /on each route's strong tier \(.*chat: bedrock:us\.amazon\.nova-pro-v1:0.*\)$/m);
    assert.doesNotMatch(text.stdout, /default routes/);
    const json = JSON.parse((await runInProcess(['costs', '--config', ownConfig, '--ledger', ownLedger, '--json'], { cwd: dir })).stdout) as { savings: SavingsJson };
    assert.deepEqual([json.savings.routes, json.savings.modelsOnNoRoute], ['config', []]);
  });

  it('without --config, says nothing more for a ledger of the default routes\' models alone', async () => {
    const defaults = await write('defaults.jsonl', [autoRecord({ id: 'a' }), autoRecord({ id: 'b', model: 'claude-sonnet-5', requestedModel: 'anthropic:claude-sonnet-5', costUsd: 0.004, routing: { mode: 'auto', tier: 'strong', score: 0.9, reasons: [] } })]);

    const text = await runInProcess(['costs', '--ledger', defaults], { cwd: dir });

    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Routing saved /m);
    assert.doesNotMatch(text.stdout, /default routes/);
  });
});
