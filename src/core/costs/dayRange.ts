import { localDay } from '../localDay';

/** The ranges the dashboard offers. */
export type RangeId = 'today' | '7d' | '30d' | 'month' | 'all';
export const RANGE_IDS: readonly RangeId[] = ['today', '7d', '30d', 'month', 'all'];

export const RANGE_LABELS: Readonly<Record<RangeId, string>> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  all: 'All',
};

/**
 * What each range covers, said where it is chosen (the dashboard's buttons,
 * `costs --help`): "Last 7 days" could be read as the last 7×24 hours. Both
 * take whole calendar days in the machine's time zone, as the ledger's cells
 * are whole local days.
 */
export const RANGE_DESCRIPTIONS: Readonly<Record<RangeId, string>> = {
  today: 'Today, from local midnight',
  '7d': 'Today and the 6 calendar days before it, in local time (not the last 7×24 hours)',
  '30d': 'Today and the 29 calendar days before it, in local time (not the last 30×24 hours)',
  month: 'From the 1st of this month, in local time',
  all: 'Everything in the ledger',
};

/** Local days, both ends included; `from` undefined: from the ledger's first day. */
export interface DayRange {
  from?: string;
  to: string;
}

/** The local days a range covers on `now`'s day ("7 days" is today and the six before it). */
export function dayRange(range: RangeId, now: Date = new Date()): DayRange {
  const to = localDay(now);
  switch (range) {
    case 'today':
      return { from: to, to };
    case '7d':
      return { from: localDay(daysBefore(now, 6)), to };
    case '30d':
      return { from: localDay(daysBefore(now, 29)), to };
    case 'month':
      return { from: `${to.slice(0, 8)}01`, to };
    case 'all':
      return { to };
  }
}

/** Whether local day `day` is in `range`. Days compare as text (YYYY-MM-DD). */
export function inRange(day: string, range: DayRange): boolean {
  return (range.from === undefined || day >= range.from) && day <= range.to;
}

/** Every local day from `from` to `to`, both included, in order. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const date = parseDay(from);
  const end = parseDay(to);
  if (!date || !end) return days;
  while (date <= end) {
    days.push(localDay(date));
    date.setDate(date.getDate() + 1);
  }
  return days;
}

/** Local midnight of YYYY-MM-DD, or undefined when it is not a real date (2026-02-30). */
export function parseDay(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return localDay(date) === text ? date : undefined;
}

/** Local midnight after day `day` (YYYY-MM-DD): when a daily limit resets. */
export function dayAfter(day: string): Date {
  const date = parseDay(day) ?? new Date(NaN);
  date.setDate(date.getDate() + 1);
  return date;
}

function daysBefore(now: Date, count: number): Date {
  const date = new Date(now);
  date.setHours(12, 0, 0, 0); // midday: a daylight-saving change never moves it to another day
  date.setDate(date.getDate() - count);
  return date;
}
