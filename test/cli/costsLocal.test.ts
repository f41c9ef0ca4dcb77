import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { record } from '../core/costs/cells';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/** `switchboard costs` over requests to a server on this machine: "local, $0", not a price nor "unpriced". */
describe('switchboard costs with a local server', () => {
  let ledger: string;
  let config: string;

  useTempFolder('costs-local');
  before(async () => {
    ledger = path.join(dir, 'ledger.jsonl');
    config = path.join(dir, 'local.json');
    const now = new Date().toISOString();
    const records = [
      record({ id: 'a', time: now, costUsd: 0.25 }),
      record({ id: 'b', time: now, provider: 'ollama', model: 'llama3.1:8b', costUsd: 0, costSource: 'local' }),
      // Recorded before a local model counted as $0: its cost stays unknown, and the reason says why.
      record({ id: 'c', time: now, provider: 'ollama', model: 'qwen2.5-coder:7b', costUsd: null }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r) + '\n').join(''));
    await writeFile(config, JSON.stringify({ providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } } } }));
  });

  const costs = (...args: string[]) => runInProcess(['costs', '--ledger', ledger, '--config', config, ...args], { cwd: dir });

  it('says "local, $0" on the model\'s and the provider\'s lines, and why a request recorded before is unpriced', async () => {
    const byModel = await costs();
    assert.equal(byModel.code, 0, byModel.stderr);
    assert.match(byModel.stdout, /^ollama:llama3\.1:8b +1 .* local, \$0$/m);
    assert.match(byModel.stdout, /^ollama:qwen2\.5-coder:7b +1 .* unpriced$/m);
    assert.match(byModel.stdout, /ollama:qwen2\.5-coder:7b \(1 request\): no price when they were recorded, and not recorded as local: its provider's server is on this machine now, but these went elsewhere/);
    const byProvider = await costs('--by', 'provider');
    assert.match(byProvider.stdout, /^ollama +2 .* local, \$0 \(\+1 unpriced\)$/m);
    assert.match(byProvider.stdout, /^anthropic +1 .* \$0\.25$/m);
  });
});

/** `costs --by day|task` over a day of only local requests: "local, $0", as the model's line says, not a bare $0.00. */
describe('switchboard costs summing local requests by day and task', () => {
  let ledger: string;
  let config: string;

  useTempFolder('costs-local-days');
  before(async () => {
    ledger = path.join(dir, 'ledger.jsonl');
    config = path.join(dir, 'local.json');
    const local = { provider: 'ollama', model: 'llama3.1:8b', requestedModel: 'ollama:llama3.1:8b', costUsd: 0, costSource: 'local' as const };
    const records = [
      // 2026-07-24: only local ghost text.
      record({ id: 'a', time: '2026-07-24T10:00:00.000Z', task: 'completion', ...local }),
      record({ id: 'b', time: '2026-07-24T11:00:00.000Z', task: 'completion', ...local }),
      // 2026-07-25: a paid chat answer beside a local one: its cost, no marker.
      record({ id: 'c', time: '2026-07-25T10:00:00.000Z', costUsd: 0.25 }),
      record({ id: 'd', time: '2026-07-25T11:00:00.000Z', ...local }),
      // 2026-07-26: local, and one recorded before the server counted as local (unpriced, said apart).
      record({ id: 'e', time: '2026-07-26T10:00:00.000Z', task: 'completion', ...local }),
      record({ id: 'f', time: '2026-07-26T11:00:00.000Z', task: 'completion', ...local, costUsd: null, costSource: undefined }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r) + '\n').join(''));
    await writeFile(config, JSON.stringify({ providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } } } }));
  });

  const costs = (...args: string[]) => runInProcess(['costs', '--ledger', ledger, '--config', config, '--since', '2026-07-24', '--until', '2026-07-26', ...args], { cwd: dir });

  it('says "local, $0" for a day of only local requests, in the table and in --json', async () => {
    const byDay = await costs('--by', 'day');
    assert.equal(byDay.code, 0, byDay.stderr);
    assert.match(byDay.stdout, /^2026-07-24 +2 .* local, \$0$/m);
    assert.match(byDay.stdout, /^2026-07-25 +2 .* \$0\.25$/m);
    assert.match(byDay.stdout, /^2026-07-26 +2 .* local, \$0 \(\+1 unpriced\)$/m);
    const json = JSON.parse((await costs('--by', 'day', '--json')).stdout) as { groups: Record<string, { local: number; costUsd: number }> };
    assert.deepEqual(
      Object.entries(json.groups).map(([day, line]) => [day, line.local, line.costUsd]),
      [['2026-07-24', 2, 0], ['2026-07-25', 1, 0.25], ['2026-07-26', 1, 0]],
    );
  });

  it('says it on the task lines too, with and without --by task', async () => {
    const byTask = await costs('--by', 'task');
    assert.match(byTask.stdout, /^completion +4 .* local, \$0 \(\+1 unpriced\)$/m);
    assert.match(byTask.stdout, /^chat +2 .* \$0\.25$/m);
    const plain = await costs();
    assert.match(plain.stdout, /^completion +4 +local, \$0 \(\+1 unpriced\)$/m);
    assert.match(plain.stdout, /^ollama:llama3\.1:8b +5 .* local, \$0 \(\+1 unpriced\)$/m);
  });
});

/**
 * Local or not as each record says (costSource "local"), not as the --config given now points its provider: a
 * LAN server's requests stay what they were when the provider now names localhost, and a local server's model
 * named like a paid one reads "local, $0" with no --config at all.
 */
describe('switchboard costs telling local records apart by what they say', () => {
  let dir: string;
  let ledger: string;
  let config: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-costs-local-records-'));
    ledger = path.join(dir, 'ledger.jsonl');
    config = path.join(dir, 'now-local.json');
    const now = new Date().toISOString();
    const records = [
      // A local server serving the default routes' name: $0 as recorded, whatever the config.
      record({ id: 'a', time: now, task: 'completion', provider: 'openai', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costUsd: 0, costSource: 'local' }),
      // Made against http://192.168.1.20:8000 and priced by the user then.
      record({ id: 'b', time: now, provider: 'lan', model: 'llama3.1', requestedModel: 'lan:llama3.1', costUsd: 0.3, costSource: 'price-table' }),
      // Made against the LAN box with no price.
      record({ id: 'c', time: now, provider: 'lan', model: 'qwen3', requestedModel: 'lan:qwen3', costUsd: null }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r) + '\n').join(''));
    // Today `lan` points at this machine.
    await writeFile(config, JSON.stringify({ providers: { custom: { lan: { type: 'openai', baseUrl: 'http://localhost:8000/v1' } } }, budget: { monthlyUsd: 100 } }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('says "local, $0" for a record of a local server without --config, and the paid name is not priced at OpenAI\'s rate', async () => {
    const plain = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^openai:gpt-5\.4-nano +1 .* local, \$0$/m);
    const json = JSON.parse((await runInProcess(['costs', '--ledger', ledger, '--by', 'provider', '--json'], { cwd: dir })).stdout) as { groups: Record<string, { local?: number; costUsd: number }>; totalUsd: number };
    assert.deepEqual(json.groups.openai, { requests: 1, served: 0, inputTokens: 100, outputTokens: 50, costUsd: 0, unpriced: 0, local: 1 });
    assert.equal(json.totalUsd, 0.3);
  });

  it('keeps a LAN server\'s records priced or unpriced when the --config now points that provider at localhost', async () => {
    const byModel = await runInProcess(['costs', '--ledger', ledger, '--config', config], { cwd: dir });
    assert.equal(byModel.code, 0, byModel.stderr);
    assert.match(byModel.stdout, /^lan:llama3\.1 +1 .* \$0\.30$/m);
    assert.match(byModel.stdout, /^lan:qwen3 +1 .* unpriced$/m);
    const byProvider = await runInProcess(['costs', '--ledger', ledger, '--config', config, '--by', 'provider', '--json'], { cwd: dir });
    const json = JSON.parse(byProvider.stdout) as { groups: Record<string, { local?: number }>; budgetEstimates?: { model: string; requests: number }[] };
    assert.equal(json.groups.lan?.local, undefined, 'no request of lan was recorded as local');
    // The budgets count the unpriced LAN request at the estimate, not at $0 because `lan` is on this machine now.
    assert.deepEqual(json.budgetEstimates?.map((line) => [line.model, line.requests]), [['lan:qwen3', 1]]);
  });
});
