import assert from 'node:assert/strict';
import { costView, OTHER_MODELS } from '../../../src/core/costs/costView';
import { handedOverNote } from '../../../src/core/costs/handedOverNote';
import type { ModelPrice } from '../../../src/core/prices/priceTable';
import { cellsOf } from '../../../src/core/ledger/totals';
import { cell, chosenCell, record } from './cells';

const STRONG: ModelPrice = { input: 3, output: 15, source: 'test' };
const strongPrice = () => STRONG;
const RANGE = { from: '2026-07-24', to: '2026-07-26' };

describe('costView', () => {
  const cells = [
    cell({ day: '2026-07-24', costUsd: 0.5, requests: 5 }),
    cell({ day: '2026-07-25', task: 'completion', provider: 'openai', model: 'gpt-5.4-nano', costUsd: 0.02, requests: 40, served: 12 }),
    cell({ day: '2026-07-25', task: 'plan', model: 'claude-opus-5', costUsd: 2, requests: 2 }),
    cell({ day: '2026-07-26', provider: 'ollama', model: 'qwen', costUsd: 0, unpriced: 3, requests: 3 }),
    cell({ day: '2026-07-20', costUsd: 9, requests: 1 }), // before the range
  ];

  it('counts, of the requests, those that failed or were refused and those cancelled, so a count of records is not read as answers', () => {
    const withFailures = [...cells, cell({ day: '2026-07-26', requests: 4, errors: 3, cancelled: 1, costUsd: 0 }), cell({ day: '2026-07-20', requests: 2, errors: 2, costUsd: 0 })];
    const { totals } = costView(withFailures, { range: RANGE, strongPrice });
    assert.deepEqual([totals.requests, totals.failed, totals.cancelled], [54, 3, 1], 'the failures before the range are not counted');
    const filtered = costView(withFailures, { range: RANGE, strongPrice, filters: { providers: ['openai'] } }).totals;
    assert.deepEqual([filtered.requests, filtered.failed, filtered.cancelled], [40, 0, 0]);
  });

  it('totals the range, every day on the axis, and counts unpriced requests apart', () => {
    const view = costView(cells, { range: RANGE, strongPrice });
    assert.deepEqual(view.days, ['2026-07-24', '2026-07-25', '2026-07-26']);
    assert.equal(view.totals.costUsd, 2.52);
    assert.equal(view.totals.requests, 50);
    assert.equal(view.totals.unpriced, 3);
    assert.equal(view.totals.served, 12);
    assert.deepEqual(view.byTask.map((line) => [line.task, line.requests, line.costUsd, line.served]), [
      ['completion', 40, 0.02, 12],
      ['chat', 8, 0.5, 0],
      ['plan', 2, 2, 0],
    ]);
    // A day with nothing but served ghost text (a cell of no request) still counts on the task's line.
    const servedOnly = costView([...cells, cell({ day: '2026-07-26', task: 'completion', provider: 'openai', model: 'gpt-5.4-nano', requests: 0, costUsd: 0, served: 5 })], { range: RANGE, strongPrice });
    assert.deepEqual(servedOnly.byTask[0], { task: 'completion', requests: 40, costUsd: 0.02, unpriced: 0, served: 17 });
    assert.equal(servedOnly.totals.requests, 50);
    assert.deepEqual(view.byProvider.map((line) => line.provider), ['anthropic', 'openai', 'ollama']);
    assert.deepEqual(view.available.models, ['anthropic:claude-haiku-4-5', 'anthropic:claude-opus-5', 'ollama:qwen', 'openai:gpt-5.4-nano']);
  });

  it('stacks spend a day by model, costliest first', () => {
    const view = costView(cells, { range: RANGE, strongPrice });
    const byLabel = Object.fromEntries(view.dailyByModel.map((series) => [series.label, series.values]));
    assert.deepEqual(view.dailyByModel.map((series) => series.label), ['anthropic:claude-opus-5', 'anthropic:claude-haiku-4-5', 'openai:gpt-5.4-nano', 'ollama:qwen']);
    assert.deepEqual(byLabel['anthropic:claude-haiku-4-5'], [0.5, 0, 0]);
    assert.deepEqual(byLabel['anthropic:claude-opus-5'], [0, 2, 0]);
  });

  it('puts models past the limit into one "other models" series that keeps their sum', () => {
    const many = Array.from({ length: 10 }, (_, index) => cell({ model: `m${index}`, costUsd: index + 1 }));
    const view = costView(many, { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice, maxSeries: 4 });
    assert.equal(view.dailyByModel.length, 4);
    assert.equal(view.dailyByModel.at(-1)!.label, OTHER_MODELS);
    assert.equal(view.dailyByModel.reduce((total, series) => total + series.values[0]!, 0), 55);
    assert.equal(view.byModel.length, 10, 'the table lists every model');
  });

  it('filters by provider, model and task; the choices stay those of the whole range', () => {
    const view = costView(cells, { range: RANGE, strongPrice, filters: { providers: ['anthropic'], tasks: ['chat'] } });
    assert.equal(view.totals.costUsd, 0.5);
    assert.equal(view.available.providers.length, 3);
    const byModel = costView(cells, { range: RANGE, strongPrice, filters: { models: ['openai:gpt-5.4-nano'] } });
    assert.equal(byModel.totals.requests, 40);
  });

  it('names in its filters no model, provider or task whose only requests were never sent, and starts no range with them', () => {
    // A first request before any key was set (notSent "setup") on the default route's model, then a local model answering.
    const notSent = record({ time: '2026-07-24T10:00:00', task: 'plan', provider: 'anthropic', model: 'claude-opus-5', outcome: 'error', costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, notSent: 'setup' });
    const answered = record({ time: '2026-07-25T10:00:00', provider: 'openai', model: 'llama3.2', costUsd: 0 });
    const view = costView(cellsOf([notSent, answered]), { range: { to: '2026-07-25' }, strongPrice });
    assert.deepEqual(view.available, { providers: ['openai'], models: ['openai:llama3.2'], tasks: ['chat'] });
    assert.deepEqual(view.days, ['2026-07-25'], 'the range "all" starts with the first request sent');
    assert.equal(view.totals.requests, 1);
    // A model that was both: listed, with only its sent request counted.
    const both = costView(cellsOf([notSent, answered, record({ ...notSent, notSent: undefined, outcome: 'ok', costUsd: 0.02 })]), { range: { to: '2026-07-25' }, strongPrice });
    assert.deepEqual(both.available.models, ['anthropic:claude-opus-5', 'openai:llama3.2']);
    assert.equal(costView(cellsOf([notSent, answered]), { range: { to: '2026-07-25' }, strongPrice, filters: { models: ['anthropic:claude-opus-5'] } }).totals.requests, 0);
  });

  it('prices the same usage at the strong tier; unpriced requests count at their own cost', () => {
    const view = costView([chosenCell({ costUsd: 0.001 }), chosenCell({ provider: 'ollama', model: 'qwen', unpriced: 1, costUsd: 0 })], {
      range: { from: '2026-07-25', to: '2026-07-25' },
      strongPrice,
    });
    // 1000 in at $3/M + 100 out at $15/M = $0.0045 on the strong tier.
    assert.equal(view.savings.strongUsd, 0.0045);
    assert.equal(view.savings.actualUsd, 0.001);
    assert.equal(view.savings.savedUsd, 0.0035);
    assert.equal(view.savings.comparedRequests, 1);
  });

  it('claims no saving for the billed attempts of an unpriced model that failed', () => {
    const failedUsage = { inputTokens: 5000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const failedOnLocal = { provider: 'ollama', model: 'qwen', error: 'ollama ended the stream before the answer was complete', usage: failedUsage, costUsd: null };
    const records = [
      // Auto sent it to the cheap tier; its local model broke after the provider began to answer, and the cloud model answered.
      record({ provider: 'anthropic', model: 'claude-haiku-4-5', usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0.001, attempts: [failedOnLocal], routing: { mode: 'auto', tier: 'cheap', score: 0.1, reasons: [] } }),
      // Only the local model was tried: nothing of the request has a price.
      record({ provider: 'ollama', model: 'qwen', usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: null, outcome: 'error', attempts: [failedOnLocal] }),
    ];

    const view = costView(cellsOf(records), { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice });

    // Only the answered request's 1000 in + 100 out at the strong tier: $0.0045, against its $0.001.
    assert.equal(view.savings.strongUsd, 0.0045);
    assert.equal(view.savings.actualUsd, 0.001);
    assert.equal(view.savings.comparedRequests, 1);
  });

  it('leaves a hand-over from a failed strong tier to the cheap tier out of the saving, and says what it cost less apart', () => {
    const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const cheap = { provider: 'anthropic', model: 'claude-haiku-4-5', usage, costUsd: 0.001 };
    const failedStrong = { provider: 'anthropic', model: 'claude-sonnet-5', error: 'anthropic overloaded (529)' };
    const records = [
      // Scored cheap by Auto: routing's saving.
      record({ ...cheap, routing: { mode: 'auto', tier: 'cheap', score: 0.1, reasons: [] } }),
      // Scored strong; the strong tier failed, so the cheap tier answered: a failure's saving, not routing's.
      record({ ...cheap, attempts: [failedStrong], routing: { mode: 'auto', tier: 'cheap', score: 0.9, handedOverFrom: 'strong', reasons: ['handed over from the strong tier: its models failed before answering'] } }),
    ];

    const view = costView(cellsOf(records), { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice });

    // Only the chosen answer is priced at the strong tier ($0.0045 against $0.001); the hand-over counts at its $0.001 on both lines.
    assert.equal(view.savings.actualUsd, 0.002);
    assert.equal(view.savings.strongUsd, 0.0055);
    assert.equal(view.savings.savedUsd, 0.0035, 'before, the hand-over added $0.0035: $0.007');
    assert.equal(view.savings.comparedRequests, 1);
    assert.equal(view.savings.handedOverRequests, 1);
    assert.equal(view.savings.handedOverUsd, 0.0035);
    assert.equal(
      handedOverNote(view.savings),
      'Not in the saving: 1 request Auto sent to the strong tier and handed over to the cheap tier because the strong tier failed ($0.0035 less than on the strong tier), counted at what it cost, since a failure chose the cheap tier, not routing.',
    );
    assert.equal(handedOverNote(costView(cellsOf(records.slice(0, 1)), { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice }).savings), '');
  });

  it('prices long-context usage at the strong tier\'s long-context rate', () => {
    const price: ModelPrice = { input: 3, output: 15, inputAbove200k: 6, outputAbove200k: 22.5, source: 'test' };
    const long = chosenCell({ usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, longUsage: { inputTokens: 300_000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0 });
    const view = costView([long], { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice: () => price });
    assert.equal(view.savings.strongUsd, 1.8225);
  });

  it('says routing cost more when the cheap tier it chose is dearer than the strong tier', () => {
    const view = costView([chosenCell({ costUsd: 0.05 })], { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice });
    assert.equal(view.savings.savedUsd, -0.0455);
  });

  it("counts no saving, nor loss, for a plain route's fallback after its first model failed, a model picked by hand or a budget's downgrade", () => {
    const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const failedStrong = { provider: 'anthropic', model: 'claude-sonnet-5', error: 'anthropic overloaded (529)' };
    const day = { from: '2026-07-25', to: '2026-07-25' };
    const records = [
      // No Auto: the route's first model failed, its second (cheaper) answered. A failure chose it, not routing.
      record({ id: 'fallback', model: 'claude-haiku-4-5', usage, costUsd: 0.001, attempts: [failedStrong] }),
      // A fallback dearer than the strong tier is no loss of routing's either.
      record({ id: 'dearer', model: 'claude-opus-5', usage, costUsd: 0.05, attempts: [failedStrong] }),
      // Picked by hand in the chat panel, and downgraded by a budget: cheaper, but not routing's choice.
      record({ id: 'manual', model: 'claude-haiku-4-5', usage, costUsd: 0.001, routing: { mode: 'manual', reasons: [] } }),
      record({ id: 'downgraded', model: 'claude-haiku-4-5', usage, costUsd: 0.001, budgetAction: 'downgrade' }),
    ];
    const view = costView(cellsOf(records), { range: day, strongPrice });
    // Before, each was priced at the strong tier: $0.0045 × 4 = $0.018 against $0.053, "cost an extra $0.035".
    assert.deepEqual([view.savings.actualUsd, view.savings.strongUsd, view.savings.savedUsd], [0.053, 0.053, 0]);
    assert.deepEqual([view.savings.comparedRequests, view.savings.chosenRequests], [0, 0], 'routing chose nothing cheaper: $0.00 saved, not "unknown"');

    // Beside an answer Auto sent to the cheap tier, only that one is compared.
    const withAuto = costView(cellsOf([...records, record({ id: 'auto', model: 'claude-haiku-4-5', usage, costUsd: 0.001, routing: { mode: 'auto', tier: 'cheap', score: 0.1, reasons: [] } })]), { range: day, strongPrice });
    assert.deepEqual([withAuto.savings.savedUsd, withAuto.savings.comparedRequests, withAuto.savings.chosenRequests], [0.0035, 1, 1]);
  });

  it('compares nothing for a task whose strong tier has no price', () => {
    const view = costView([cell({ costUsd: 0.05 })], { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice: () => undefined });
    assert.equal(view.savings.savedUsd, 0);
    assert.equal(view.savings.comparedRequests, 0);
  });

  it('starts "all" at the ledger\'s first day and is empty for an empty ledger', () => {
    const view = costView(cells, { range: { to: '2026-07-26' }, strongPrice });
    assert.equal(view.days[0], '2026-07-20');
    assert.equal(view.days.length, 7);
    const empty = costView([], { range: { to: '2026-07-26' }, strongPrice });
    assert.deepEqual(empty.days, ['2026-07-26']);
    assert.equal(empty.totals.requests, 0);
    assert.deepEqual(empty.dailyByModel, []);
  });
  it('leaves requests that used no token (refusals) out of the compared count: they compare nothing', () => {
    const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const day = { from: '2026-07-25', to: '2026-07-25' };
    const refusals = [1, 2].map((at) => record({ id: `r${at}`, costUsd: 0, outcome: 'error', error: 'daily budget reached', usage: none }));
    const onlyRefused = costView(cellsOf(refusals), { range: day, strongPrice });
    assert.deepEqual([onlyRefused.totals.requests, onlyRefused.savings.comparedRequests], [2, 0], 'nothing compared');
    const withAnswer = costView(cellsOf([record({ id: 'a', routing: { mode: 'auto', tier: 'cheap', score: 0.1, reasons: [] } }), ...refusals]), { range: day, strongPrice });
    assert.equal(withAnswer.savings.comparedRequests, 1);
  });

  it('says how much of the spend was billed for no answer: failed attempts and streams cut mid-answer', () => {
    const used = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const cells = cellsOf([
      record({ id: 'a', costUsd: 0.5 }),
      record({ id: 'b', costUsd: 0.3, attempts: [{ provider: 'openai', model: 'gpt-5.4', error: 'stream cut', usage: used, costUsd: 0.1 }] }),
      record({ id: 'c', costUsd: 0.02, outcome: 'error', error: 'stream cut', usage: used }),
      record({ id: 'd', costUsd: 0.04, outcome: 'cancelled', usage: used }),
    ]);
    const { totals } = costView(cells, { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice });
    assert.deepEqual([totals.costUsd, totals.failedUsd], [0.86, 0.12]);
    const filtered = costView(cells, { range: { from: '2026-07-25', to: '2026-07-25' }, strongPrice, filters: { providers: ['anthropic'] } }).totals;
    assert.deepEqual([filtered.costUsd, filtered.failedUsd], [0.76, 0.02], "the fallback's first try is on its own model's line");
  });
});
