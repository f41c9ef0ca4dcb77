import assert from 'node:assert/strict';
import { dayAfter, dayRange, daysBetween, inRange, parseDay } from '../../../src/core/costs/dayRange';

describe('dayRange', () => {
  const now = new Date(2026, 2, 3, 9, 30); // 3 March 2026, local time

  it('covers today, the last 7 and 30 days (today included), this month and everything', () => {
    assert.deepEqual(dayRange('today', now), { from: '2026-03-03', to: '2026-03-03' });
    assert.deepEqual(dayRange('7d', now), { from: '2026-02-25', to: '2026-03-03' });
    assert.deepEqual(dayRange('30d', now), { from: '2026-02-02', to: '2026-03-03' });
    assert.deepEqual(dayRange('month', now), { from: '2026-03-01', to: '2026-03-03' });
    assert.deepEqual(dayRange('all', now), { to: '2026-03-03' });
  });

  it('lists every day between two days across a month end, both ends included', () => {
    assert.deepEqual(daysBetween('2026-02-27', '2026-03-02'), ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    assert.deepEqual(daysBetween('2026-03-02', '2026-03-01'), []);
    assert.equal(daysBetween('2025-01-01', '2025-12-31').length, 365);
  });

  it('tells days inside a range from those outside, at both ends', () => {
    const range = { from: '2026-02-25', to: '2026-03-03' };
    assert.equal(inRange('2026-02-25', range), true);
    assert.equal(inRange('2026-03-03', range), true);
    assert.equal(inRange('2026-02-24', range), false);
    assert.equal(inRange('2026-03-04', range), false);
    assert.equal(inRange('1999-01-01', { to: '2026-03-03' }), true);
  });

  it('parses only real dates, and finds the midnight a day ends at', () => {
    assert.equal(parseDay('2026-02-30'), undefined);
    assert.equal(parseDay('2026-2-3'), undefined);
    assert.equal(parseDay('2026-02-28')?.getDate(), 28);
    assert.equal(dayAfter('2026-12-31').getTime(), new Date(2027, 0, 1).getTime());
  });
});
