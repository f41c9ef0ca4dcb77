import assert from 'node:assert/strict';
import { isDeprecated, PriceTable, SHIPPED_PRICES } from '../../../src/core/prices/priceTable';

describe('PriceTable', () => {
  describe('shipped prices', () => {
    const table = new PriceTable();

    it('prices a known OpenAI model in USD per million tokens, with its source and date', () => {
      const price = table.lookup('openai', 'gpt-4o');
      assert.equal(price?.input, 2.5);
      assert.equal(price?.output, 10);
      assert.equal(price?.cacheRead, 1.25);
      assert.match(price?.source ?? '', /LiteLLM/);
      assert.equal(price?.asOf, '2026-07-24');
      assert.equal(table.sourceDate, '2026-07-24');
    });

    it('prices an Anthropic model with cache read and write rates', () => {
      const price = table.lookup('anthropic', 'claude-sonnet-4-5');
      assert.deepEqual(
        { input: price?.input, output: price?.output, cacheRead: price?.cacheRead, cacheWrite: price?.cacheWrite },
        { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
      );
    });

    it('uses a dated OpenAI snapshot’s own entry when it has one', () => {
      // gpt-4o-2024-05-13 cost twice what the gpt-4o alias costs now.
      assert.equal(table.lookup('openai', 'gpt-4o-2024-05-13')?.input, 5);
      assert.equal(table.lookup('openai', 'gpt-5.4-mini-2026-03-17')?.output, 4.5);
    });

    it('falls back to the undated alias for a snapshot the table lacks', () => {
      assert.equal(table.lookup('openai', 'gpt-5.6-2026-09-01')?.input, 5);
      assert.equal(table.lookup('anthropic', 'claude-sonnet-5-20261015')?.output, 10);
    });

    it('prices an OpenAI fine-tuned model by its base fine-tuning rates', () => {
      const price = table.lookup('openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc123');
      assert.equal(price?.input, 0.3);
      assert.equal(price?.output, 1.2);
    });

    it('prices a Bedrock regional inference profile by its own entry when present', () => {
      // The US cross-region profile of Sonnet 4.6 costs 10% more than the base model.
      assert.equal(table.lookup('bedrock', 'us.anthropic.claude-sonnet-4-6')?.input, 3.3);
      assert.equal(table.lookup('bedrock', 'anthropic.claude-sonnet-4-6')?.input, 3);
    });

    it('prices a Bedrock regional profile without an entry by its base model', () => {
      assert.equal(table.lookup('bedrock', 'apac.anthropic.claude-sonnet-4-6')?.input, 3);
      assert.equal(table.lookup('bedrock', 'ca.amazon.nova-micro-v1:0')?.input, 0.035);
    });

    it('prices Bedrock ARNs of inference profiles and foundation models by the id after the last slash', () => {
      const profile = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6';
      assert.equal(table.lookup('bedrock', profile)?.input, 3.3);
      const foundation = 'arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-micro-v1:0';
      assert.equal(table.lookup('bedrock', foundation)?.output, 0.14);
    });

    it('leaves unknown models and custom providers unpriced', () => {
      assert.equal(table.lookup('bedrock', 'anthropic.claude-unknown-v9:0'), undefined);
      assert.equal(table.lookup('openai', 'no-such-model'), undefined);
      // OpenRouter also serves gpt-4o, at its own prices: no shipped price applies.
      assert.equal(table.lookup('openrouter', 'gpt-4o'), undefined);
    });

    it('answers repeated lookups the same way, hits and misses alike', () => {
      const first = table.lookup('bedrock', 'eu.anthropic.claude-sonnet-4-6');
      assert.equal(table.lookup('bedrock', 'eu.anthropic.claude-sonnet-4-6'), first);
      assert.equal(table.lookup('openai', 'missing'), undefined);
      assert.equal(table.lookup('openai', 'missing'), undefined);
    });

    it('ships only openai, anthropic and bedrock prices', () => {
      const providers = new Set(Object.keys(SHIPPED_PRICES.models).map((key) => key.slice(0, key.indexOf(':'))));
      assert.deepEqual([...providers].sort(), ['anthropic', 'bedrock', 'openai']);
    });
  });

  describe('user overrides', () => {
    it('lets an override of a known model change some fields and keep the rest', () => {
      const table = new PriceTable({ 'openai:gpt-4o': { input: 2 } });
      const price = table.lookup('openai', 'gpt-4o');
      assert.equal(price?.input, 2);
      assert.equal(price?.output, 10);
      assert.equal(price?.cacheRead, 1.25);
      assert.equal(price?.source, 'user');
      assert.deepEqual(table.incomplete, []);
    });

    it('applies a bare-id override to the known model of that id', () => {
      const table = new PriceTable({ 'claude-haiku-4-5': { output: 4 } });
      assert.equal(table.lookup('anthropic', 'claude-haiku-4-5')?.output, 4);
      assert.equal(table.lookup('anthropic', 'claude-haiku-4-5')?.input, 1);
    });

    it('lets a provider:model override win over a bare-id override of the same model', () => {
      const table = new PriceTable({ 'openai:gpt-4o': { input: 2 }, 'gpt-4o': { input: 1 } });
      assert.equal(table.lookup('openai', 'gpt-4o')?.input, 2);
    });

    it('prices a new model given input and output, marked as the user’s', () => {
      const table = new PriceTable({ 'openai:my-model': { input: 1, output: 2 } });
      const price = table.lookup('openai', 'my-model');
      assert.deepEqual(price, { input: 1, output: 2, source: 'user' });
    });

    it('prices a custom provider’s model by provider:model, even with a colon in the model id', () => {
      const table = new PriceTable({ 'ollama:llama3:8b': { input: 0, output: 0 } });
      assert.equal(table.lookup('ollama', 'llama3:8b')?.input, 0);
      assert.equal(table.lookup('lmstudio', 'llama3:8b'), undefined);
    });

    it('prices a model of any custom provider by a bare-id override', () => {
      const table = new PriceTable({ 'deepseek-chat': { input: 0.27, output: 1.1 } });
      assert.equal(table.lookup('deepseek', 'deepseek-chat')?.output, 1.1);
      assert.equal(table.lookup('openrouter', 'deepseek-chat')?.output, 1.1);
    });

    it('leaves out a new model without input and output, listing its key, and keeps the other overrides', () => {
      const table = new PriceTable({
        'openai:my-model': { input: 1 },
        'openai:gpt-4o': { output: 9 },
      });
      assert.deepEqual(table.incomplete, ['openai:my-model']);
      assert.equal(table.lookup('openai', 'my-model'), undefined);
      assert.equal(table.lookup('openai', 'gpt-4o')?.output, 9);
    });
  });

  describe('isDeprecated', () => {
    const table = new PriceTable();
    const opus3 = table.lookup('anthropic', 'claude-3-opus-20240229');

    it('is true from the retirement date on', () => {
      assert.equal(opus3?.deprecationDate, '2026-05-01');
      assert.equal(isDeprecated(opus3, new Date(2026, 3, 30, 23, 59)), false);
      assert.equal(isDeprecated(opus3, new Date(2026, 4, 1, 0, 1)), true);
    });

    it('is false for a model without a retirement date, or without a price', () => {
      assert.equal(isDeprecated(table.lookup('anthropic', 'claude-sonnet-5'), new Date(2030, 0, 1)), false);
      assert.equal(isDeprecated(undefined, new Date(2030, 0, 1)), false);
    });
  });
});
