import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { record, tempDir } from '../ledger/fixtures';

/**
 * A newer Switchboard (a CLI upgraded first) writes to the ledger an older window follows: the older one must
 * still count what those requests cost, or its daily cap lets the newer one's spend through unseen.
 */
describe('spend written by a newer Switchboard', () => {
  const dir = tempDir('newer-record');

  it("counts in today's total and the daily budget, its line said once as counted for its cost only", async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    const own = record({ provider: 'openai', model: 'gpt-5.4', costUsd: 1 });
    const newer = { ...record({ provider: 'openai', model: 'gpt-5.4', costUsd: 4 }), v: 2, task: 'review', outcome: 'partial', newField: true };
    await writeFile(file, `${JSON.stringify(own)}\n${JSON.stringify(newer)}\n`);
    const { config } = resolveConfig({ budget: { dailyUsd: 10 } });
    const switchboard = await Switchboard.create({ config, source: 'cli', env: {}, ledgerPath: file });
    try {
      const warnings = await switchboard.loadToday();
      assert.deepEqual(warnings, [`${file}:2: counted for its cost only ($4.00 on openai): written by a newer Switchboard (version 2) (its task "review" is new to this version: counted as chat)`]);
      assert.deepEqual(switchboard.today().total, { requests: 2, costUsd: 5, unpriced: 0 });
      const [daily] = switchboard.budget.gate.statuses();
      assert.deepEqual([daily?.spentUsd, daily?.leftUsd], [5, 5]);
    } finally {
      await switchboard.dispose();
    }
  });
});
