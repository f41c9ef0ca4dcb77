import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { record } from '../core/costs/cells';
import { runInProcess } from './inProcess';

/** `switchboard costs` over requests to a server on this machine: "local, $0", not a price nor "unpriced". */
describe('switchboard costs with a local server', () => {
  let dir: string;
  let ledger: string;
  let config: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-costs-local-'));
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
  after(() => rm(dir, { recursive: true, force: true }));

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
