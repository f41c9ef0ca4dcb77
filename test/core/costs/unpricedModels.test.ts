import assert from 'node:assert/strict';
import { editorSettingName } from '../../../src/core/config/settingNamer';
import { unpricedModels } from '../../../src/core/costs/unpricedModels';
import { PriceTable, SHIPPED_PRICES } from '../../../src/core/prices/priceTable';
import { cliSettingName } from '../../../src/cli/cliSupport';

/**
 * Where an unpriced model's reason sends the reader to price it: the editor's `switchboard.prices`, the CLI's
 * `"prices"` in its --config file. The CLI's read "until it has a price in "prices" in team.jsonc" before.
 */
describe('unpriced models: where the reason says to set a price', () => {
  // ollama's server on this machine: its models are $0 now, so requests recorded unpriced before get the local reason.
  const prices = new PriceTable({}, SHIPPED_PRICES, { local: new Set(['ollama']), openRouter: new Set(), freeLocal: new Set() });
  const lines = [
    { model: 'ollama:llama3.1', unpriced: 2 },
    { model: 'custom:mine', unpriced: 1 },
  ];

  it('names switchboard.prices in the editor', () => {
    const [local, unknown] = unpricedModels(lines, prices, editorSettingName);
    assert.match(local!.reason, /; the budgets count them at the estimate until it has a price in switchboard\.prices \(0 and 0 if nothing bills you for them\)$/);
    assert.equal(unknown!.reason, `not in the price table (of ${prices.sourceDate}) or switchboard.prices (give it a price there, input and output in USD per million tokens: its requests from then on are priced, and the budgets count these at it too)`);
  });

  it('names "prices" in the --config file in the CLI, or says a --config file is where it goes', () => {
    const [local, unknown] = unpricedModels(lines, prices, cliSettingName('team.jsonc'));
    assert.match(local!.reason, /; the budgets count them at the estimate until it has a price under "prices" in team\.jsonc \(0 and 0 if nothing bills you for them\)$/);
    assert.equal(unknown!.reason, `not in the price table (of ${prices.sourceDate}) or "prices" in team.jsonc (give it a price there, input and output in USD per million tokens: its requests from then on are priced, and the budgets count these at it too)`);
    const [noConfig] = unpricedModels(lines, prices, cliSettingName(undefined));
    assert.match(noConfig!.reason, /until it has a price under "prices" in a --config file \(0 and 0/);
  });
});
