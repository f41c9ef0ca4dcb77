import assert from 'node:assert/strict';
import { describeProblem, resolveConfig } from '../../../src/core/config';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { incompletePriceOverrides, priceProblems, retiredRouteModels } from '../../../src/core/prices/priceWarnings';

describe('price warnings', () => {
  const configWith = (raw: Record<string, unknown>) => {
    const { config, problems } = resolveConfig(raw);
    assert.deepEqual(problems, []);
    return config;
  };

  it('name a routed model whose deprecation date has come, from that day on', () => {
    const config = configWith({ routes: { chat: ['anthropic:claude-sonnet-5', 'anthropic:claude-3-opus-20240229'] } });
    const prices = new PriceTable();
    assert.deepEqual(retiredRouteModels(config, prices, 'switchboard.', new Date(2026, 3, 30, 23, 59)), []);
    const warnings = retiredRouteModels(config, prices, 'switchboard.', new Date(2026, 4, 1, 0, 1)).map(describeProblem);
    assert.deepEqual(warnings, [
      `switchboard.routes.chat: anthropic:claude-3-opus-20240229 reached its deprecation date (2026-05-01, price table of ${prices.sourceDate}): its provider may no longer serve it; route a current model`,
    ]);
  });

  it('say nothing about the default routes', () => {
    assert.deepEqual(priceProblems(configWith({}), new PriceTable(), 'switchboard.', new Date(2030, 0, 1)), []);
  });

  it('name a price override that was left out for lacking input or output', () => {
    const config = configWith({ prices: { 'ollama:qwen2.5-coder:7b': { input: 0 }, 'openai:gpt-4o': { output: 9 } } });
    const problems = incompletePriceOverrides(new PriceTable(config.prices), 'switchboard.');
    assert.deepEqual(problems.map((p) => p.key), ['switchboard.prices["ollama:qwen2.5-coder:7b"]']);
    assert.match(problems[0]!.message, /needs both "input" and "output"/);
  });
});
