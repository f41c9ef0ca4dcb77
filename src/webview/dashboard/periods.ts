/**
 * The periods the per-day charts and their tables show. A range of up to 92
 * days is shown a day per bar; a longer one a week per bar (Monday to Sunday,
 * the first and last weeks cut by the range), because Chart.js redraws every
 * bar of a stacked chart on every update: a year of days was most of a
 * view's drawing time. A week's figure is the sum of its days, so the totals
 * are unchanged.
 */
import { roundUsd } from '../../core/cost';

/** The longest range charted a day per bar. */
export const DAILY_UP_TO_DAYS = 92;

export interface Periods {
  unit: 'day' | 'week';
  /** Each period's first day in the range (YYYY-MM-DD). */
  labels: string[];
  /** Sums one value a day (in the order of the view's days) into one a period. */
  sum(daily: readonly number[]): number[];
}

export function periodsOf(days: readonly string[]): Periods {
  if (days.length <= DAILY_UP_TO_DAYS) return { unit: 'day', labels: [...days], sum: (daily) => [...daily] };
  // The period of each day: a new one starts on each Monday after the first day.
  const periodOf: number[] = [];
  const labels: string[] = [];
  days.forEach((day, index) => {
    if (index === 0 || weekday(day) === 1) labels.push(day);
    periodOf.push(labels.length - 1);
  });
  return {
    unit: 'week',
    labels,
    sum: (daily) => {
      const sums = new Array<number>(labels.length).fill(0);
      daily.forEach((value, index) => (sums[periodOf[index]!]! += value));
      return sums.map(roundUsd);
    },
  };
}

/** 0 (Sunday) to 6 of a YYYY-MM-DD day; the day is a calendar date, so UTC reads it without a time zone. */
function weekday(day: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date)).getUTCDay();
}
