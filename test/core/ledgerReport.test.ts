import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../src/core/ledger';
import { cellsOf } from '../../src/core/ledger/totals';
import { summarize as summarizeCells } from '../../src/core/ledgerReport';
import { record } from './costs/cells';

const summarize = (records: LedgerRecord[]) => summarizeCells(cellsOf(records));

describe('summarize', () => {
  const records = [
    record({ costUsd: 0.1 }),
    record({ costUsd: 0.2, usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 1000, cacheWriteTokens: 200 } }),
    record({ task: 'completion', provider: 'openai', model: 'gpt-5.4-nano', costUsd: 0.0001 }),
    record({ task: 'completion', provider: 'ollama', model: 'qwen2.5-coder:7b', costUsd: null }),
    record({ task: 'plan', outcome: 'cancelled', usageEstimated: true, costUsd: 0.05, time: '2026-07-24T23:00:00.000Z' }),
  ];

  it('totals the priced cost and counts unpriced requests apart', () => {
    const summary = summarize(records);
    assert.equal(summary.requests, 5);
    // 0.1 + 0.2 is 0.30000000000000004 in floating point.
    assert.equal(summary.totalUsd, 0.3501);
    assert.equal(summary.unpricedRequests, 1);
    assert.equal(summary.estimatedRequests, 1);
  });

  it('breaks the totals down by answering model, with token counts', () => {
    const { byModel } = summarize(records);
    assert.deepEqual(Object.keys(byModel).sort(), ['anthropic:claude-sonnet-5', 'ollama:qwen2.5-coder:7b', 'openai:gpt-5.4-nano']);
    assert.deepEqual(byModel['anthropic:claude-sonnet-5'], {
      requests: 3,
      costUsd: 0.35,
      inputTokens: 210,
      outputTokens: 105,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
      unpriced: 0,
      billedAttempts: 0,
    });
    assert.equal(byModel['ollama:qwen2.5-coder:7b']?.unpriced, 1);
    assert.equal(byModel['ollama:qwen2.5-coder:7b']?.costUsd, 0);
  });

  it('breaks the totals down by task, listing every task, with its requests of no known price apart', () => {
    const { byTask } = summarize(records);
    assert.deepEqual(byTask, {
      completion: { requests: 2, costUsd: 0.0001, unpriced: 1 },
      chat: { requests: 2, costUsd: 0.3, unpriced: 0 },
      plan: { requests: 1, costUsd: 0.05, unpriced: 0 },
    });
    assert.deepEqual(summarize([]).byTask, {
      completion: { requests: 0, costUsd: 0, unpriced: 0 },
      chat: { requests: 0, costUsd: 0, unpriced: 0 },
      plan: { requests: 0, costUsd: 0, unpriced: 0 },
    });
  });

  it('puts a billed failed attempt on its own model', () => {
    const summary = summarize(
      [
        record({
          provider: 'openai',
          model: 'gpt-5.4',
          costUsd: 0.3,
          usage: { inputTokens: 100_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
          attempts: [{ provider: 'anthropic', model: 'claude-sonnet-5', error: 'stalled', usage: { inputTokens: 100_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0.1 }],
        }),
        record({ usage: { inputTokens: 250_000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 1 }),
      ],
    );
    assert.equal(summary.totalUsd, 1.3);
    assert.equal(summary.requests, 2);
    assert.deepEqual([summary.byModel['openai:gpt-5.4']?.costUsd, summary.byModel['openai:gpt-5.4']?.requests], [0.2, 1]);
    assert.deepEqual(
      [summary.byModel['anthropic:claude-sonnet-5']?.costUsd, summary.byModel['anthropic:claude-sonnet-5']?.requests, summary.byModel['anthropic:claude-sonnet-5']?.billedAttempts],
      [1.1, 1, 1],
    );
  });
});

