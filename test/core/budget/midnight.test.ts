import assert from 'node:assert/strict';
import { localDay } from '../../../src/core/localDay';
import { routerHarness } from '../routerHarness';

/**
 * The wall clock crossing local midnight while an answer streams, and jumping (a laptop resumed, a clock set back),
 * through the real router, adapter and SDK against the fake. The router's wall clock is given; its elapsed clock
 * (timeouts, latencies) stays the real monotonic one, which a step of the wall clock does not move.
 */
describe('a request streaming across local midnight, and a wall clock that jumps', () => {
  const h = routerHarness('midnight');

  it('counts the request on the day it started; today then starts at nothing and the daily budget with it; set back, that day shows again', async () => {
    const midnight = new Date(2026, 11, 3).getTime();
    // Half a second before a local midnight; moved on by the test, else real time.
    let offset = midnight - 500 - Date.now();
    const now = () => Date.now() + offset;
    const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano'] }, budget: { dailyUsd: 0.05, action: 'block' } }, { now });
    // Bills far past the day's $0.05.
    h.fakes.openai.script({ text: 'Late. Night. Answer.', chunks: 3, usage: { inputTokens: 2_000_000, outputTokens: 5 } });
    let crossed = false;
    const late = await harness.run('chat', {
      onText: () => {
        if (crossed) return;
        crossed = true;
        offset += 1000;
      },
    });
    assert.equal(late.record.outcome, 'ok');
    assert.equal(localDay(new Date(late.record.time)), '2026-12-02', 'counted on the day it started');
    assert.ok(late.record.latencyMs < 1000, `latency ${late.record.latencyMs} ms, timed on the monotonic clock: the step is not in it`);
    const spent = late.record.costUsd ?? NaN;
    assert.ok(spent > 0.05);

    const today = harness.switchboard.today();
    assert.equal(today.day, '2026-12-03');
    assert.deepEqual(today.total, { requests: 0, costUsd: 0, unpriced: 0 });
    assert.deepEqual(
      harness.switchboard.spend.monthCells().map((cell) => [cell.day, cell.costUsd]),
      [['2026-12-02', spent]],
      'the month still holds it',
    );
    h.fakes.openai.script({ text: 'Morning.', usage: { inputTokens: 10, outputTokens: 5 } });
    const morning = await harness.run('chat');
    assert.equal(morning.record.outcome, 'ok', 'the new day\'s budget is not yesterday\'s');

    // Set back an hour (the user, or a VM resumed from an older snapshot): that evening's spend is back, and its limit.
    offset -= 3_600_000;
    assert.equal(harness.switchboard.today().day, '2026-12-02');
    assert.equal(harness.switchboard.today().total.costUsd, spent);
    const refused = await harness.run('chat');
    assert.equal(refused.record.outcome, 'error');
    assert.match(refused.error ?? '', /^daily budget reached/);
    assert.equal(h.fakes.openai.requests.length, 2, 'the refused request was never sent');
  });

  it('holds a request in flight across midnight against the day it started, as its record counts, not against the new day', async () => {
    const midnight = new Date(2026, 11, 3).getTime();
    let offset = midnight - 500 - Date.now();
    const now = () => Date.now() + offset;
    const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano'] }, budget: { dailyUsd: 5, monthlyUsd: 50, action: 'block' } }, { now });
    let resume!: () => void;
    const resumeWhen = new Promise<void>((resolve) => (resume = resolve));
    h.fakes.openai.script({ text: 'Late. Night. Answer.', chunks: 3, pauseAfterChunks: 1, resumeWhen });
    let streaming!: () => void;
    const firstText = new Promise<void>((resolve) => (streaming = resolve));
    const late = harness.run('chat', { onText: () => streaming() });
    await firstText;
    const reservedIn = (period: 'day' | 'month') => harness.switchboard.budget.gate.statuses().find((status) => status.limit.period === period)!.reservedUsd;
    const worstCase = reservedIn('day');
    assert.ok(worstCase > 0, 'held against its day while it streams');

    offset += 1000; // midnight passes mid-answer
    assert.equal(harness.switchboard.today().day, '2026-12-03');
    assert.equal(reservedIn('day'), 0, "not against the new day's budget: its record will count on the day it started");
    assert.equal(reservedIn('month'), worstCase, 'the same month: held against it still');
    resume();
    const done = await late;
    assert.equal(done.record.outcome, 'ok');
    assert.equal(localDay(new Date(done.record.time)), '2026-12-02', 'its record, on the day it started');
    assert.equal(reservedIn('month'), 0, 'released once it counts');
  });

  it('carries a stream on through a forward jump of the wall clock (a laptop resumed hours later), timing it on the monotonic clock', async () => {
    let offset = 0;
    const harness = await h.open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: 2000 } }, { now: () => Date.now() + offset });
    h.fakes.openai.script({ text: 'One. Two. Three.', chunks: 3 });
    const started = Date.now();
    const result = await harness.run('chat', { onText: () => (offset += 8 * 3_600_000) });
    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.text, 'One. Two. Three.');
    assert.equal(Date.parse(result.record.time) - started < 1000, true, 'stamped when it started, before the jumps');
    assert.ok(result.record.latencyMs < 2000, `latency ${result.record.latencyMs} ms, not the 24 hours jumped`);
  });
});
