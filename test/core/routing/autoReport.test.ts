import assert from 'node:assert/strict';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { AutoTally } from '../../../src/core/ledger/autoTally';
import { summarizeAuto, summarizeAutoPart } from '../../../src/core/routing/autoReport';
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
    assert.deepEqual(summary, { requests: 3, cheap: 2, strong: 1, handedOver: 0, retries: 1, retriedShare: 0.5, savedUsd: 2 * (0.004 - 0.002) - 0.004 });
  });

  it('takes an unpriced retry off the saving at the strong model\'s price, not as $0', () => {
    const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
    // The strong route's first model was down; the retry was answered by a fallback the price table does not know.
    const records = [
      autoRecord({ id: 'a', usage, costUsd: 0.002 }),
      autoRecord({ id: 'b', model: 'house-model-x', usage, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'a', costUsd: null }),
    ];
    const expected = 0.004 - 0.002 - 0.004;
    const summary = summarizeAuto(records, strongPrice);
    assert.equal(summary.retries, 1);
    assert.ok(Math.abs(summary.savedUsd! - expected) < 1e-12, `saved ${summary.savedUsd}, expected ${expected}`);
    const tally = new AutoTally();
    for (const record of records) tally.add(record, '2026-12-01');
    const folded = summarizeAutoPart(tally.list(), strongPrice);
    assert.ok(Math.abs(folded.savedUsd! - expected) < 1e-9, `folded saved ${folded.savedUsd}, expected ${expected}`);
  });

  it('leaves an unpriced cheap answer and its retry out of the saving, still counting the retry as a miss', () => {
    const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const priced = autoRecord({ id: 'a', usage, costUsd: 0.002 });
    // A cheap tier on a local server: no price, so its answer is not compared with Sonnet's.
    const local = autoRecord({ id: 'b', provider: 'local', model: 'llama3:8b', usage, costUsd: null });
    const retry = (fields: Partial<Parameters<typeof autoRecord>[0]>) =>
      autoRecord({ id: 'c', model: 'claude-sonnet-5', usage, costUsd: 0.004, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'b', ...fields });
    // The editor marks such a retry (retryOfUnpriced); a record written before it did is known by the answer's id.
    for (const records of [[priced, local, retry({ retryOfUnpriced: true })], [priced, local, retry({})]]) {
      const summary = summarizeAuto(records, strongPrice);
      assert.deepEqual(summary, { requests: 2, cheap: 2, strong: 0, handedOver: 0, retries: 1, retriedShare: 0.5, savedUsd: 0.004 - 0.002 }, 'before, the retry took $0.004 off: -$0.002');
      const tally = new AutoTally();
      for (const record of records) tally.add(record, '2026-12-01');
      const folded = summarizeAutoPart(tally.list(), strongPrice);
      assert.equal(folded.retries, 1);
      assert.ok(Math.abs(folded.savedUsd! - summary.savedUsd!) < 1e-9, `folded saved ${folded.savedUsd}, records ${summary.savedUsd}`);
    }
  });

  it('leaves a hand-over from a failed strong tier out of Auto\'s saving, from the records and from the folded part', () => {
    const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const handedOver = autoRecord({ id: 'h', usage, costUsd: 0.002, routing: { mode: 'auto', tier: 'cheap', score: 0.9, handedOverFrom: 'strong', reasons: ['handed over from the strong tier: its models failed before answering'] } });
    const chosen = autoRecord({ id: 'a', usage, costUsd: 0.002 });
    for (const [records, saved] of [[[chosen, handedOver], 0.004 - 0.002], [[handedOver], 0]] as const) {
      const summary = summarizeAuto(records, strongPrice);
      // Before, the hand-over added its $0.002 below Sonnet's price to Auto's saving.
      assert.deepEqual(summary, { requests: records.length, cheap: records.length, strong: 0, handedOver: 1, retries: 0, retriedShare: 0, savedUsd: saved });
      const tally = new AutoTally();
      for (const record of records) tally.add(record, '2026-12-01');
      const folded = summarizeAutoPart(tally.list(), strongPrice);
      assert.deepEqual({ ...folded, savedUsd: null }, { ...summary, savedUsd: null });
      assert.ok(Math.abs(folded.savedUsd! - saved) < 1e-9, `folded saved ${folded.savedUsd}, expected ${saved}`);
    }
  });

  it('counts the retry of a hand-over\'s answer neither as a routing miss nor against the saving', () => {
    const usage = { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const handedOver = autoRecord({ id: 'h', usage, costUsd: 0.002, routing: { mode: 'auto', tier: 'cheap', score: 0.9, handedOverFrom: 'strong', reasons: [] } });
    const chosen = autoRecord({ id: 'a', usage, costUsd: 0.002 });
    const retry = autoRecord({ id: 'r', model: 'claude-sonnet-5', usage, costUsd: 0.004, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'h', retryOfHandedOver: true });
    const records = [chosen, handedOver, retry];
    const summary = summarizeAuto(records, strongPrice);
    // Before, the retry counted as a miss (1 of 2) and took $0.004 off: -$0.002.
    assert.deepEqual(summary, { requests: 2, cheap: 2, strong: 0, handedOver: 1, retries: 0, retriedShare: 0, savedUsd: 0.004 - 0.002 });
    const tally = new AutoTally();
    for (const record of records) tally.add(record, '2026-12-01');
    const folded = summarizeAutoPart(tally.list(), strongPrice);
    assert.deepEqual({ ...folded, savedUsd: null }, { ...summary, savedUsd: null });
    assert.ok(Math.abs(folded.savedUsd! - summary.savedUsd!) < 1e-9);
  });

  it('counts only retries of answers in the same stretch, and says unpriced rather than $0', () => {
    const retryOfOlder = autoRecord({ id: 'r', routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'from-last-week' });
    assert.equal(summarizeAuto([autoRecord(), retryOfOlder], strongPrice).retries, 0);
    const unpriced = summarizeAuto([autoRecord()], () => undefined);
    assert.equal(unpriced.savedUsd, null);
    assert.deepEqual(summarizeAuto([], strongPrice), { requests: 0, cheap: 0, strong: 0, handedOver: 0, retries: 0, retriedShare: null, savedUsd: null });
  });
});
