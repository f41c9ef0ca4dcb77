import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
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
    assert.match(byModel.stdout, /ollama:qwen2\.5-coder:7b \(1 request\): no price when they were recorded \(a model of a server on this machine now counts as local, \$0, and the budgets count them at \$0; a recorded cost is never changed\)/);
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
