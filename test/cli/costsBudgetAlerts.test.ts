import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { localDay } from '../../src/core/localDay';
import { record } from '../core/costs/cells';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard costs` with budgets in --config says each budget at or past its warning (budget.warnAt, 80 %) or its
 * limit, in the words of the editor's notice of the crossing, and what the limit does next; before, it said nothing
 * of them.
 */
describe('switchboard costs saying the budgets near or past their limit', () => {
  let ledger: string;
  const now = new Date();
  const tomorrow = localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));
  const nextMonth = localDay(new Date(now.getFullYear(), now.getMonth() + 1, 1));

  useTempFolder('costs-budget-alerts');
  before(async () => {
    ledger = path.join(dir, 'ledger.jsonl');
    const time = now.toISOString();
    await writeFile(ledger, [record({ id: 'a', time, costUsd: 0.5 }), record({ id: 'b', time, costUsd: 0.35 })].map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  async function configFile(name: string, budget: Record<string, unknown>): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify({ budget }));
    return file;
  }

  it('says a budget past its warning and one used up, with what happens next, first; --json has them as budgetAlerts', async () => {
    const config = await configFile('budget.json', { dailyUsd: 1, monthlyUsd: 0.5, action: 'block' });
    const text = await runInProcess(['costs', '--ledger', ledger, '--config', config], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(lines[0]!, /^Ledger: /);
    assert.equal(lines[2], `Budget: $0.85 of the daily budget ($1.00) spent, past the warning at 80%; it resets on ${tomorrow} at 00:00 (budget.dailyUsd and budget.warnAt in ${config}); at $1.00 requests are refused until it resets (budget.action in ${config})`);
    assert.equal(lines[3], `Budget: the monthly budget is used up: $0.85 spent of $0.50; requests are refused until it resets on ${nextMonth} at 00:00 (budget.monthlyUsd and budget.action in ${config})`);
    assert.equal(lines[4], '');

    const json = JSON.parse((await runInProcess(['costs', '--json', '--range', 'today', '--ledger', ledger, '--config', config], { cwd: dir })).stdout) as { budgetAlerts?: Array<Record<string, unknown>> };
    assert.deepEqual(json.budgetAlerts?.map(({ message: _message, ...alert }) => alert), [
      { budget: 'daily budget', setting: 'budget.dailyUsd', level: 'warning', spentUsd: 0.85, limitUsd: 1, period: 'day', resetsOn: tomorrow, action: 'block' },
      { budget: 'monthly budget', setting: 'budget.monthlyUsd', level: 'reached', spentUsd: 0.85, limitUsd: 0.5, period: 'month', resetsOn: nextMonth, action: 'block' },
    ]);
    assert.equal(json.budgetAlerts?.[1]?.message, lines[3]!.slice('Budget: '.length));
  });

  it('says what downgrade and warn do at the limit, and nothing of a budget under its warning', async () => {
    const downgrade = await configFile('downgrade.json', { dailyUsd: 0.8, monthlyUsd: 100, action: 'downgrade' });
    const text = await runInProcess(['costs', '--ledger', ledger, '--config', downgrade], { cwd: dir });
    assert.match(text.stdout, /^Budget: the daily budget is used up: \$0\.85 spent of \$0\.80; requests go to each route's cheapest model until it resets on \S+ at 00:00 \(budget\.dailyUsd and budget\.action in \S+downgrade\.json\)$/m);
    assert.doesNotMatch(text.stdout, /monthly budget/);
    const warn = await configFile('warn.json', { dailyUsd: 1, action: 'warn' });
    assert.match((await runInProcess(['costs', '--ledger', ledger, '--config', warn], { cwd: dir })).stdout, /; at \$1\.00 requests still go, with a warning, until it resets \(budget\.action in \S+warn\.json\)$/m);
    const far = await configFile('far.json', { dailyUsd: 5 });
    const quiet = await runInProcess(['costs', '--json', '--ledger', ledger, '--config', far], { cwd: dir });
    assert.deepEqual((JSON.parse(quiet.stdout) as { budgetAlerts?: unknown }).budgetAlerts, []);
    assert.doesNotMatch((await runInProcess(['costs', '--ledger', ledger, '--config', far], { cwd: dir })).stdout, /^Budget:/m);
  });
});
