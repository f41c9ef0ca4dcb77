import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatBudgetFigures } from '../../src/core/cost';
import { runInProcess } from '../cli/inProcess';
import { record, tempDir } from './ledger/fixtures';

/** Left and spent are read side by side: at one precision, so that they visibly add up to the limit. */
describe('budget figures: what is left beside what was spent', () => {
  const dir = tempDir('budget-figures');

  it('shows left, spent and in flight at the decimals the finest of them needs, adding up to the limit', () => {
    // Nothing spent of a tiny limit: "$0.0001 left ($0.00 spent)" read as two precisions.
    assert.deepEqual(formatBudgetFigures(0.0001, 0, 0, 0.0001), { left: '$0.0001', spent: '$0.0000', reserved: '$0.0000' });
    // The last ten-millionth of $0.50: "$0.0000001 left ($0.50 spent of $0.50)" did not add up.
    const last = formatBudgetFigures(0.5, 0.4999999, 0, 0.0000001);
    assert.deepEqual([last.left, last.spent], ['$0.0000001', '$0.4999999']);
    // Dollars and a sliver left: cents alone would say $5.00 spent and $0.0001 left of $5.00.
    const dollars = formatBudgetFigures(5, 4.9999, 0, 0.0001);
    assert.deepEqual([dollars.left, dollars.spent], ['$0.0001', '$4.9999']);
    // In flight counts in the sum, at the same precision.
    assert.deepEqual(formatBudgetFigures(1, 0.25, 0.005, 0.745), { left: '$0.745', spent: '$0.250', reserved: '$0.005' });
    // What was spent never reads a unit more than it is, for what is left rounded down: $0.1747 of $1.60 read
    // "$1.42 left ($0.18 spent)" beside $0.17 spent on the dashboard and in doctor's "spent" line.
    assert.deepEqual(formatBudgetFigures(1.6, 0.1747, 0, 1.4253), { left: '$1.425', spent: '$0.175', reserved: '$0.000' });
    const day = formatBudgetFigures(0.1, 0.06512, 0, 0.03488);
    assert.deepEqual([day.left, day.spent], ['$0.03488', '$0.06512']);
    // The usual case is unchanged: cents.
    assert.deepEqual(formatBudgetFigures(5, 1.8, 0, 3.2), { left: '$3.20', spent: '$1.80', reserved: '$0.00' });
  });

  it('doctor lists a limit with left and spent at one precision', async () => {
    const config = path.join(dir.path, 'tiny.json');
    const ledger = path.join(dir.path, 'ledger.jsonl');
    await writeFile(config, JSON.stringify({ budget: { dailyUsd: 0.5 } }));
    await writeFile(ledger, `${JSON.stringify(record({ costUsd: 0.4999 }))}\n`);
    const run = await runInProcess(['doctor', '--config', config, '--ledger', ledger], { env: { HOME: dir.path, AWS_EC2_METADATA_DISABLED: 'true' }, cwd: dir.path });
    const line = run.stdout.split('\n').find((text) => text.startsWith('budget: '));
    assert.match(line ?? run.stdout, /^budget: Daily budget: \$0\.0001 left of \$0\.50 \(\$0\.4999 spent\); resets on /);
  });
});
