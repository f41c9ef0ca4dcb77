import assert from 'node:assert/strict';
import { localDay, startOfLocalDay } from '../../src/core/localDay';

describe('local days', () => {
  it('start at local midnight', () => {
    const start = startOfLocalDay(new Date(2026, 6, 25, 17, 45, 12, 345));
    assert.deepEqual(start, new Date(2026, 6, 25, 0, 0, 0, 0));
  });

  it('are named YYYY-MM-DD by the local calendar, whatever the UTC date', () => {
    assert.equal(localDay(new Date(2026, 0, 5, 0, 0, 1)), '2026-01-05');
    assert.equal(localDay(new Date(2026, 11, 31, 23, 59, 59)), '2026-12-31');
  });
});
