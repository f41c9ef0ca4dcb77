import assert from 'node:assert/strict';
import { routingReason, TopRequests } from '../../../src/core/costs/topRequests';
import { record } from './cells';

describe('TopRequests', () => {
  it('keeps the costliest records of many, costliest first, whatever the order offered', () => {
    const top = new TopRequests(5);
    const costs = Array.from({ length: 1000 }, (_, index) => ((index * 7919) % 1000) / 1000);
    for (const cost of costs) top.offer(record({ costUsd: cost }));
    assert.deepEqual(top.rows().map((row) => row.costUsd), [0.999, 0.998, 0.997, 0.996, 0.995]);
  });

  it('leaves out unpriced records and completions served without a request', () => {
    const top = new TopRequests(5);
    top.offer(record({ costUsd: null }));
    top.offer(record({ costUsd: 0, servedFrom: 'cache' }));
    top.offer(record({ costUsd: 0.2 }));
    assert.deepEqual(top.rows().map((row) => row.costUsd), [0.2]);
  });

  it('leaves out requests never sent for want of setup, which no figure counts', () => {
    const top = new TopRequests(5);
    top.offer(record({ costUsd: 0, outcome: 'error', notSent: 'setup' }));
    top.offer(record({ costUsd: 0 }));
    assert.deepEqual(top.rows().map((row) => row.time), [record({}).time]);
    assert.equal(top.rows().length, 1);
  });

  it('shows tokens in (every prompt token) and out, and why the model answered', () => {
    const top = new TopRequests(1);
    top.offer(record({ usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 90, cacheWriteTokens: 0 }, attempts: [{ provider: 'openai', model: 'gpt-5.4', error: '429' }] }));
    const [row] = top.rows();
    assert.equal(row!.inputTokens, 100);
    assert.equal(row!.reason, 'fallback after gpt-5.4 failed');
  });

  it('says when a request was priced at a bound, not at the tokens its provider reported', () => {
    const top = new TopRequests(1);
    top.offer(record({ costUsd: 0.5, usage: { inputTokens: 10, outputTokens: 4096, cacheReadTokens: 0, cacheWriteTokens: 0 }, reportedUsage: { inputTokens: 10, outputTokens: 2e9 }, usageBound: { outputTokens: 4096 } }));
    const [row] = top.rows();
    assert.equal(row!.pricedAtBound, 'the provider reported 2,000,000,000 output tokens, more than the request could produce (4,096); priced at 4,096');
    assert.equal(row!.reason, 'first model of the route', 'why this model, and nothing else');
    top.offer(record({ costUsd: 0.6 }));
    assert.equal(top.rows()[0]!.pricedAtBound, undefined, 'a request priced as reported has no mark');
  });
});

describe('routingReason', () => {
  it('names Auto\'s tier and reasons, the route\'s order, or a model resting', () => {
    const auto = record({ routing: { mode: 'auto', tier: 'cheap', score: 0.2, reasons: ['short question'] } });
    assert.equal(routingReason(auto), 'Auto: cheap tier (short question)');
    assert.equal(routingReason(record({})), 'first model of the route');
    assert.equal(
      routingReason(record({ attempts: [{ provider: 'openai', model: 'gpt-5.4', error: 'cooling down (3s left)' }] })),
      'gpt-5.4 resting after a failure',
    );
  });
});
