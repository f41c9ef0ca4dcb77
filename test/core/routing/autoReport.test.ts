import assert from 'node:assert/strict';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { summarizeAuto } from '../../../src/core/routing/autoReport';
import { autoRecord } from './records';

const prices = new PriceTable();
const sonnet = prices.lookup('anthropic', 'claude-sonnet-5')!;
const opus = prices.lookup('anthropic', 'claude-opus-5')!;
const strongPrice = (task: string) => (task === 'plan' ? opus : sonnet);

describe('Auto in the costs report', () => {
  it('counts tiers and retries, and prices the cheap answers at the strong tier, retries included', () => {
    const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const records = [
      autoRecord({ id: 'a', usage, costUsd: 0.002 }),
      autoRecord({ id: 'b', usage, costUsd: 0.002 }),
      autoRecord({ id: 'c', model: 'claude-sonnet-5', routing: { mode: 'auto', tier: 'strong', score: 0.7, reasons: [] }, costUsd: 0.004 }),
      autoRecord({ id: 'd', model: 'claude-sonnet-5', routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'b', costUsd: 0.004 }),
      // Not Auto's: a picked model, and a record from before Auto.
      autoRecord({ id: 'e', routing: { mode: 'manual', reasons: [] } }),
      autoRecord({ id: 'f', routing: undefined }),
    ];
    const summary = summarizeAuto(records, strongPrice);
    // Each cheap answer would have cost 1000 × $2 + 200 × $10 per million on Sonnet 5 = $0.004.
    assert.deepEqual(summary, { requests: 3, cheap: 2, strong: 1, retries: 1, retriedShare: 0.5, savedUsd: 2 * (0.004 - 0.002) - 0.004 });
  });

  it('counts only retries of answers in the same stretch, and says unpriced rather than $0', () => {
    const retryOfOlder = autoRecord({ id: 'r', routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'from-last-week' });
    assert.equal(summarizeAuto([autoRecord(), retryOfOlder], strongPrice).retries, 0);
    const unpriced = summarizeAuto([autoRecord()], () => undefined);
    assert.equal(unpriced.savedUsd, null);
    assert.deepEqual(summarizeAuto([], strongPrice), { requests: 0, cheap: 0, strong: 0, retries: 0, retriedShare: null, savedUsd: null });
  });
});
