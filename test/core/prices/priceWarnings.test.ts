import assert from 'node:assert/strict';
import { describeProblem, resolveConfig } from '../../../src/core/config';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { incompletePriceOverrides, priceProblems, retiredRouteModels, unpricedRouteModels } from '../../../src/core/prices/priceWarnings';

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

  describe('a routed model the price table does not know', () => {
    const warningsFor = (raw: Record<string, unknown>) => {
      const config = configWith(raw);
      return unpricedRouteModels(config, new PriceTable(config.prices), 'switchboard.').map(describeProblem);
    };

    it('is named with its setting, and the closest known id of its provider when the id looks misspelt', () => {
      assert.deepEqual(warningsFor({ routes: { completion: ['openai:gpt-5.4-nanoo', 'anthropic:claude-haiku-4-5'] } }), [
        `switchboard.routes.completion: openai:gpt-5.4-nanoo is not in the price table (of ${new PriceTable().sourceDate}) or switchboard.prices, so its cost shows as unpriced and the provider may not know it: did you mean openai:gpt-5.4-nano? If the id is right, give it a price in switchboard.prices ("openai:gpt-5.4-nanoo": { "input": …, "output": … }, in USD per million tokens)`,
      ]);
    });

    it('keeps a Bedrock inference profile\'s prefix in the id it suggests, and names a cheap tier by its own setting', () => {
      assert.deepEqual(warningsFor({ auto: { cheapRoutes: { chat: ['bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:1'] } } }).map((w) => w.replace(/ is not.*did you mean/, ' … did you mean')), [
        'switchboard.auto.cheapRoutes.chat: bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:1 … did you mean bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0? If the id is right, give it a price in switchboard.prices ("bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:1": { "input": …, "output": … }, in USD per million tokens)',
      ]);
    });

    it('offers no guess when nothing known is close', () => {
      const [warning] = warningsFor({ routes: { chat: ['anthropic:my-company-model'] } });
      assert.match(warning ?? '', /^switchboard\.routes\.chat: anthropic:my-company-model is not in the price table .*: if the id is right, give it a price in switchboard\.prices \("anthropic:my-company-model": \{ "input": …, "output": … \}, in USD per million tokens\)$/);
    });

    it('names openai:gpt-5.4-pro, which the price data holds under no name, and the entry that prices it', () => {
      assert.deepEqual(warningsFor({ routes: { chat: ['openai:gpt-5.4-pro'] } }), [
        `switchboard.routes.chat: openai:gpt-5.4-pro is not in the price table (of ${new PriceTable().sourceDate}) or switchboard.prices, so its cost shows as unpriced and the provider may not know it: if the id is right, give it a price in switchboard.prices ("openai:gpt-5.4-pro": { "input": …, "output": … }, in USD per million tokens)`,
      ]);
    });

    it('says nothing of models a local or compatible server serves, a custom provider\'s, a priced override, or a Bedrock ARN', () => {
      assert.deepEqual(
        warningsFor({
          providers: { openai: { baseUrl: 'http://localhost:11434/v1' }, custom: { lmstudio: { type: 'openai', baseUrl: 'http://localhost:1234/v1' } } },
          routes: {
            completion: ['openai:qwen2.5-coder:7b', 'lmstudio:qwen3-coder-30b'],
            chat: ['anthropic:claude-inhouse-1', 'bedrock:arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1'],
          },
          prices: { 'anthropic:claude-inhouse-1': { input: 1, output: 2 } },
        }),
        [],
      );
      assert.deepEqual(warningsFor({ providers: { anthropic: { baseUrl: 'https://gateway.example.com' } }, routes: { chat: ['anthropic:claude-inhouse-2'] } }), []);
    });

    it('is among the editor\'s price problems', () => {
      const config = configWith({ routes: { plan: ['openai:gpt-5.5-pro-max'] } });
      assert.deepEqual(priceProblems(config, new PriceTable(), 'switchboard.').map((p) => p.key), ['switchboard.routes.plan']);
    });
  });
});
