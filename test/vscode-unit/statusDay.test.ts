import assert from 'node:assert/strict';
import { localDay } from '../../src/core/localDay';
import { DayRedraw, nextRedrawAt } from '../../src/vscode/statusDay';

/** Runs `body` with local time in `zone` (Node reads TZ again when it is set). */
function inZone(zone: string, body: () => void): void {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    body();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('status bar: the day it shows', () => {
  const redraws: DayRedraw[] = [];
  afterEach(() => {
    for (const redraw of redraws.splice(0)) redraw.dispose();
  });
  const make = (redraw: () => void, now: () => Date) => {
    const made = new DayRedraw(redraw, now);
    redraws.push(made);
    return made;
  };

  it('redraws at the next local midnight with no budget, and at a budget’s reset only if that comes first', () => {
    const evening = new Date(2026, 11, 1, 21, 30);
    assert.deepEqual(nextRedrawAt(evening), new Date(2026, 11, 2));
    assert.deepEqual(nextRedrawAt(evening, new Date(2027, 0, 1)), new Date(2026, 11, 2), 'a monthly budget resets later: midnight first');
    assert.deepEqual(nextRedrawAt(evening, new Date(2026, 11, 1, 22)), new Date(2026, 11, 1, 22));
    assert.deepEqual(nextRedrawAt(evening, new Date(2026, 11, 1, 20)), new Date(2026, 11, 2), 'a reset already past was drawn');
    assert.deepEqual(nextRedrawAt(new Date(2026, 11, 31, 23, 59, 59, 999)), new Date(2027, 0, 1));
  });

  it('finds the first moment of the next day across daylight-saving changes, midnight skipped included', () => {
    const cases: [zone: string, day: [number, number, number]][] = [
      ['Europe/Berlin', [2026, 2, 28]], // the next day is 23 hours long
      ['Europe/Berlin', [2026, 9, 24]], // 25 hours
      ['America/Santiago', [2026, 8, 5]], // the clocks go from 24:00 to 01:00: the next day has no midnight
      ['America/Santiago', [2026, 3, 4]], // midnight comes twice
    ];
    for (const [zone, [year, month, date]] of cases) {
      inZone(zone, () => {
        for (const hour of [0, 12, 23]) {
          const now = new Date(year, month, date, hour, 30);
          const at = nextRedrawAt(now);
          const label = `${zone}, ${localDay(now)} ${hour}:30`;
          assert.notEqual(localDay(at), localDay(now), `${label}: the redraw is on the next day`);
          assert.equal(localDay(new Date(at.getTime() - 1)), localDay(now), `${label}: and at its first moment (${at.toISOString()})`);
        }
      });
    }
  });

  it('sets the timer at each drawing, for midnight with no budget, and keeps it while the moment is the same', () => {
    let clock = new Date(2026, 11, 1, 9);
    const day = make(() => {}, () => clock);
    day.drawn(localDay(clock));
    assert.deepEqual(day.dueAt, new Date(2026, 11, 2));
    clock = new Date(2026, 11, 1, 15);
    day.drawn(localDay(clock), new Date(2026, 11, 1, 18));
    assert.deepEqual(day.dueAt, new Date(2026, 11, 1, 18));
  });

  it('redraws when the timer reaches midnight, by a real timer against a clock set just before it', async () => {
    // The clock reads 30 ms before a local midnight; the timer waits the real 30 ms (and its slack).
    const realMidnight = new Date(2026, 11, 2).getTime();
    const offset = realMidnight - 30 - Date.now();
    const now = () => new Date(Date.now() + offset);
    const drawn = new Promise<string>((resolve) => {
      const day = make(() => resolve(localDay(now())), now);
      day.drawn(localDay(now()));
    });
    assert.equal(await drawn, '2026-12-02');
  });

  it('redraws when the window comes back on another day (a timer that slept through a suspend), and not on the same day', () => {
    let clock = new Date(2026, 11, 1, 23, 10);
    let redrawn = 0;
    const day = make(() => {
      redrawn++;
      day.drawn(localDay(clock));
    }, () => clock);
    day.drawn(localDay(clock));
    day.check();
    clock = new Date(2026, 11, 1, 23, 50);
    day.check();
    assert.equal(redrawn, 0, 'same day: nothing to redraw');
    clock = new Date(2026, 11, 2, 8, 5); // the laptop was asleep over midnight; the timer has not fired yet
    day.check();
    assert.equal(redrawn, 1);
    day.check();
    assert.equal(redrawn, 1, 'drawn on the new day: once');
    assert.deepEqual(day.dueAt, new Date(2026, 11, 3));
  });

  it('checks nothing before the first drawing', () => {
    let redrawn = 0;
    make(() => redrawn++, () => new Date()).check();
    assert.equal(redrawn, 0);
  });
});
