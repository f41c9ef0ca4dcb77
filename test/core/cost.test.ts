import assert from 'node:assert/strict';
import { costOf, formatUsd, formatUsdLeft } from '../../src/core/cost';
import { PriceTable } from '../../src/core/prices/priceTable';
import type { Usage } from '../../src/core/types';

const table = new PriceTable();

function usage(fields: Partial<Usage>): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, ...fields };
}

describe('costOf', () => {
  it('bills an OpenAI request with cached input at the cached rate', () => {
    // gpt-4o: $2.50 input, $1.25 cached input, $10 output per million.
    const cost = costOf(usage({ inputTokens: 1000, cacheReadTokens: 2000, outputTokens: 500 }), table.lookup('openai', 'gpt-4o'));
    assert.equal(cost, 0.01);
  });

  it('bills an Anthropic request with cache reads and writes at their own rates', () => {
    // claude-sonnet-4-5: $3 input, $3.75 cache write, $0.30 cache read, $15 output.
    const cost = costOf(
      usage({ inputTokens: 100, cacheWriteTokens: 10_000, cacheReadTokens: 20_000, outputTokens: 800 }),
      table.lookup('anthropic', 'claude-sonnet-4-5'),
    );
    assert.equal(cost, 0.0558);
  });

  it('bills a Bedrock regional profile by its own entry, or by its base model when it has none', () => {
    const million = usage({ inputTokens: 1_000_000 });
    assert.equal(costOf(million, table.lookup('bedrock', 'us.anthropic.claude-sonnet-4-6')), 3.3);
    assert.equal(costOf(million, table.lookup('bedrock', 'apac.anthropic.claude-sonnet-4-6')), 3);
  });

  it('is null, not $0, for a model without a price', () => {
    assert.equal(costOf(usage({ inputTokens: 10, outputTokens: 10 }), table.lookup('openrouter', 'gpt-4o')), null);
    assert.equal(costOf(usage({ inputTokens: 10 }), undefined), null);
  });

  it('is 0 for a priced request that used no tokens', () => {
    assert.equal(costOf(usage({}), table.lookup('openai', 'gpt-4o')), 0);
  });

  it('bills cached tokens at the input rate when the model has no cache price', () => {
    // gpt-4o-2024-05-13: $5 input, no cached rate.
    const cost = costOf(usage({ cacheReadTokens: 1000 }), table.lookup('openai', 'gpt-4o-2024-05-13'));
    assert.equal(cost, 0.005);
  });

  it('bills a prompt over 200k tokens at the long-context rates, cache included', () => {
    const sonnet = table.lookup('anthropic', 'claude-sonnet-4-5');
    // $6 input and $22.50 output per million above 200k tokens of prompt.
    assert.equal(costOf(usage({ inputTokens: 250_000, outputTokens: 1000 }), sonnet), 1.5225);
    // Cache reads double too: $0.60 instead of $0.30.
    assert.equal(costOf(usage({ inputTokens: 150_000, cacheReadTokens: 100_000 }), sonnet), 0.96);
    // At exactly 200k the standard rates still apply.
    assert.equal(costOf(usage({ inputTokens: 200_000 }), sonnet), 0.6);
  });

  it('uses a user override of the price', () => {
    const custom = new PriceTable({ 'ollama:qwen2.5-coder:7b': { input: 0.1, output: 0.2 } });
    assert.equal(costOf(usage({ inputTokens: 1_000_000, outputTokens: 500_000 }), custom.lookup('ollama', 'qwen2.5-coder:7b')), 0.2);
  });
});

describe('formatUsd', () => {
  it('reads "unpriced" for an unknown cost', () => {
    assert.equal(formatUsd(null), 'unpriced');
  });

  it('shows dollars and cents from $1 up', () => {
    assert.equal(formatUsd(1.234), '$1.23');
    assert.equal(formatUsd(12.4), '$12.40');
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatUsd(-1234567.891), '-$1,234,567.89');
  });

  it('writes dollars and cents exactly as en-US number formatting does, rounding and separators included', () => {
    const enUs = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    // Halves at the cent, whole thousands, and a spread of magnitudes up to beyond what toFixed writes plainly.
    const samples = [1, 1.005, 1.015, 2.675, 999.995, 1000, 999_999.995, 1e6, 123_456_789.125, 1e20, 1e21, 3.3e22];
    let seed = 7;
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      samples.push(1 + (seed / 2 ** 31) * 10 ** (i % 12));
    }
    for (const usd of samples) assert.equal(formatUsd(usd), `$${enUs.format(usd)}`, String(usd));
  });

  it('keeps two significant digits below $1, so a cheap request never reads $0.00', () => {
    assert.equal(formatUsd(0.5), '$0.50');
    assert.equal(formatUsd(0.0523), '$0.052');
    assert.equal(formatUsd(0.0004), '$0.0004');
    assert.equal(formatUsd(0.000012), '$0.000012');
    assert.equal(formatUsd(0.00001234), '$0.000012');
    assert.equal(formatUsd(0.000000005), '$0.000000005');
  });

  it('rounds up to a whole dollar where rounding carries', () => {
    assert.equal(formatUsd(0.999), '$1.00');
  });

  it('shows a true zero as $0.00', () => {
    assert.equal(formatUsd(0), '$0.00');
  });
});

describe('formatUsdLeft', () => {
  it('reads as formatUsd unless that would show the whole limit while something is spent', () => {
    assert.equal(formatUsdLeft(3.2, 5), '$3.20');
    assert.equal(formatUsdLeft(5, 5), '$5.00', 'nothing spent: the whole limit is left');
    assert.equal(formatUsdLeft(0, 5), '$0.00');
    assert.equal(formatUsdLeft(0.0004, 0.5), '$0.0004');
  });

  it('takes more decimals, rounded down, where rounding would say nothing was spent', () => {
    // $0.002 spent of $0.15: formatUsd rounds the $0.148 left up to $0.15.
    assert.equal(formatUsdLeft(0.148, 0.15), '$0.148');
    assert.equal(formatUsdLeft(4.999, 5), '$4.999');
    assert.equal(formatUsdLeft(4.99999, 5), '$4.999', 'the fewest decimals that differ, rounded down');
    assert.equal(formatUsdLeft(999.99996, 1000), '$999.999');
    assert.equal(formatUsdLeft(1999.999, 2000), '$1,999.999');
  });
});
