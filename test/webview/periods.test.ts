import assert from 'node:assert/strict';
import { roundUsd } from '../../src/core/cost';
import { daysBetween } from '../../src/core/costs/dayRange';
import { DAILY_UP_TO_DAYS, periodsOf } from '../../src/webview/dashboard/periods';

describe('dashboard periods (a day or a week per bar)', () => {
  it('keeps a day per bar up to the longest daily range', () => {
    const days = daysBetween('2026-05-01', '2026-07-31');
    assert.equal(days.length, DAILY_UP_TO_DAYS);
    const periods = periodsOf(days);
    assert.equal(periods.unit, 'day');
    assert.deepEqual(periods.labels, days);
    const values = days.map((_, index) => index / 100);
    assert.deepEqual(periods.sum(values), values);
  });

  it('sums a longer range into weeks from Monday, the first and last cut by the range, the total unchanged', () => {
    // 2025-12-31 is a Wednesday; 2026-04-02 a Thursday.
    const days = daysBetween('2025-12-31', '2026-04-02');
    assert.equal(days.length, DAILY_UP_TO_DAYS + 1);
    const periods = periodsOf(days);
    assert.equal(periods.unit, 'week');
    assert.equal(periods.labels[0], '2025-12-31');
    assert.equal(periods.labels[1], '2026-01-05');
    assert.equal(periods.labels.at(-1), '2026-03-30');
    assert.equal(periods.labels.length, 14);
    const values = days.map((_, index) => (index % 7) * 0.1 + 0.001);
    const weeks = periods.sum(values);
    assert.equal(weeks.length, periods.labels.length);
    // Wednesday to Sunday, then a whole week, then Monday to Thursday.
    assert.equal(weeks[0], roundUsd(values.slice(0, 5).reduce((a, b) => a + b, 0)));
    assert.equal(weeks[1], roundUsd(values.slice(5, 12).reduce((a, b) => a + b, 0)));
    assert.equal(weeks.at(-1), roundUsd(values.slice(-4).reduce((a, b) => a + b, 0)));
    assert.equal(roundUsd(weeks.reduce((a, b) => a + b, 0)), roundUsd(values.reduce((a, b) => a + b, 0)));
  });

  it('counts weeks across a change of summer time (days are calendar dates)', () => {
    const days = daysBetween('2026-01-01', '2026-12-31');
    const periods = periodsOf(days);
    assert.equal(periods.labels.length, 53);
    assert.ok(periods.labels.slice(1).every((label) => new Date(`${label}T12:00:00Z`).getUTCDay() === 1), 'every week but the first starts on a Monday');
  });
});
