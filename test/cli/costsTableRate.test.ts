import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { record } from '../core/costs/cells';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard costs` over a vendor-named model served on this machine (LM Studio's `gpt-5.4-nano`), charged at
 * OpenAI's rate: said, with the --config key that makes it free.
 */
describe('switchboard costs with a vendor-named model charged at its rate on a server on this machine', () => {
  let ledger: string;

  useTempFolder('costs-table-rate');
  before(async () => {
    ledger = path.join(dir, 'ledger.jsonl');
    const now = new Date().toISOString();
    const nano = { provider: 'openai', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costSource: 'price-table' as const };
    const records = [
      record({ id: 'a', time: now, ...nano, costUsd: 0.0004, tableRateOnLocalServer: true }),
      record({ id: 'b', time: now, ...nano, costUsd: 0.0006, tableRateOnLocalServer: true }),
      // The same model at OpenAI's own API: billed, nothing to say.
      record({ id: 'c', time: now, ...nano, costUsd: 0.0005 }),
      record({ id: 'd', time: now, costUsd: 0.25 }),
      // A second such model: the why is said once for both, not once per model.
      record({ id: 'e', time: now, provider: 'openai', model: 'gpt-5.4-mini', requestedModel: 'openai:gpt-5.4-mini', costSource: 'price-table', costUsd: 0.002, tableRateOnLocalServer: true }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r) + '\n').join(''));
  });

  it('names the model, how many requests, why, and the --config key that makes it free', async () => {
    const result = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\* Charged at a vendor's rate though served on this machine: openai:gpt-5\.4-nano \(2 requests\), openai:gpt-5\.4-mini \(1 request\)\. Each was priced at OpenAI's rate from the price table, though its server was on this machine .* add "openai:gpt-5\.4-nano", "openai:gpt-5\.4-mini" to "freeOnLocalServer" in a --config file/m);
    const json = await runInProcess(['costs', '--ledger', ledger, '--json'], { cwd: dir });
    assert.deepEqual(JSON.parse(json.stdout).tableRateOnLocalServer, [{ model: 'openai:gpt-5.4-nano', requests: 2 }, { model: 'openai:gpt-5.4-mini', requests: 1 }]);
  });

  it('says the why once, however many models it concerns, and marks the model lines it concerns', async () => {
    const result = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split("Charged at a vendor's rate").length - 1, 1, result.stdout);
    assert.equal(result.stdout.split('priced at OpenAI').length - 1, 1, result.stdout);
    // The model table: the two lines charged so carry the mark (gpt-5.4-nano's line holds c, billed at OpenAI's
    // API, too: a line is per model); the other model's line (d) does not.
    const rows = result.stdout.split('\n');
    assert.match(rows.find((r) => r.startsWith('openai:gpt-5.4-mini '))!, /\$\d\.\d+ \*$/);
    assert.match(rows.find((r) => r.startsWith('openai:gpt-5.4-nano '))!, /\$\d\.\d+ \*$/);
    const others = rows.filter((r) => /^\w+:\S+ /.test(r) && !r.startsWith('openai:gpt-5.4-'));
    assert.ok(others.length > 0, result.stdout);
    for (const row of others) assert.doesNotMatch(row, /\*$/, row);
  });
});
