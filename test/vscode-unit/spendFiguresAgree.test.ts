import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import { formatUsd } from '../../src/core/cost';
import { costView } from '../../src/core/costs/costView';
import { dayRange } from '../../src/core/costs/dayRange';
import { strongTierPrices } from '../../src/core/costs/strongTier';
import { PriceTable } from '../../src/core/prices/priceTable';
import { Ledger } from '../../src/core/ledger';
import { localDay } from '../../src/core/localDay';
import { Switchboard } from '../../src/core/switchboard';
import { statusView } from '../../src/vscode/statusModel';
import { spendTooltip } from '../../src/vscode/spendTooltip';
import { record } from '../core/costs/cells';
import { dir, useTempFolder } from '../cli/cliFixture';
import { runInProcess } from '../cli/inProcess';

/**
 * Today's spend over one ledger, as the status bar, its tooltip, the dashboard, `switchboard costs` and `switchboard
 * doctor` say it. $0.0005 + $0.0005 + $0.00105 adds up in floating point to 0.0020499999999999997, which read
 * "$0.002" where the sum was not rounded first (the status bar and its tooltip) and "$0.0021" where it was (the
 * dashboard, `costs`, `doctor`); a request with no price is left out of every figure alike.
 */
describe('today\'s spend as every place says it', () => {
  useTempFolder('figures-agree');
  const opened: Switchboard[] = [];
  after(async () => {
    for (const switchboard of opened) await switchboard.dispose();
  });

  it('reads the same figure in the status bar, its tooltip, the dashboard, costs and doctor', async () => {
    const ledger = path.join(dir, 'today.jsonl');
    const time = new Date().toISOString();
    const records = [
      record({ id: 'a', time, costUsd: 0.0005 }),
      record({ id: 'b', time, costUsd: 0.0005 }),
      record({ id: 'c', time, costUsd: 0.00105 }),
      record({ id: 'd', time, provider: 'custom', model: 'mine', requestedModel: 'custom:mine', costUsd: null }),
    ];
    await writeFile(ledger, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const expected = '$0.0021';

    const { config } = resolveConfig({});
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: {}, ledgerPath: ledger });
    opened.push(switchboard);
    await switchboard.loadToday();
    const today = switchboard.today();
    const view = statusView({ simulated: false, anyUsableProvider: true, today });
    // "+": and unpriced requests besides.
    assert.match(view.text, new RegExp(`today ${expected.replace('$', '\\$')}\\+$`), 'the status bar');
    assert.match(spendTooltip({ today, simulated: false }), new RegExp(`^\\*\\*Today\\*\\* \\(${localDay(new Date())}\\): ${expected.replace('$', '\\$')} over 4 requests, 1 unpriced$`, 'm'), 'its tooltip');

    const cells = (await new Ledger(ledger).aggregate()).cells;
    assert.equal(formatUsd(costView(cells, { range: dayRange('today'), strongPrice: strongTierPrices(config, new PriceTable()) }).totals.costUsd), expected, 'the dashboard');

    const costs = await runInProcess(['costs', '--range', 'today', '--ledger', ledger], { cwd: dir });
    assert.match(costs.stdout, new RegExp(`^Total: ${expected.replace('$', '\\$')} over 4 requests \\(1 unpriced, not counted\\)$`, 'm'), 'costs');
    const doctor = await runInProcess(['doctor', '--ledger', ledger], { cwd: dir, env: { HOME: dir } });
    assert.match(doctor.stdout, new RegExp(`^spent: ${expected.replace('$', '\\$')} today \\(4 requests; 1 of them to unpriced models, not in it`, 'm'), 'doctor');
  });
});
