/**
 * "Today" is the user's day as their clock reads it, not UTC's: the daily
 * budget, the status bar's totals and price-table dates all count local days.
 */

/** YYYY-MM-DD of `date` in local time. */
export function localDay(date: Date): string {
  return `${localMonth(date)}-${String(date.getDate()).padStart(2, '0')}`;
}

/** YYYY-MM of `date` in local time: the ledger rotates by local month. */
export function localMonth(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** Local midnight starting the day of `date`. */
export function startOfLocalDay(date: Date = new Date()): Date {
  const start = new Date(date);
  start.setHours(0, 0, 0, 0);
  return start;
}

/**
 * Local midnight starting the day after `date`'s: 23 or 25 hours away across a
 * daylight-saving change, and the day's first moment (01:00) where the change
 * skips midnight itself.
 */
export function startOfNextLocalDay(date: Date = new Date()): Date {
  const next = startOfLocalDay(date);
  next.setDate(next.getDate() + 1);
  next.setHours(0, 0, 0, 0);
  return next;
}

/** The time zone local days are computed in; summaries made in another one are recomputed. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
}

/**
 * localDay for many ISO timestamps in a row: ledger records come nearly in
 * time order, so the day found last is checked first, sparing a Date per line
 * when reading a year of records.
 */
export class DayKeyer {
  private start = 0;
  private end = -1;
  private day = '';

  dayOf(time: string | number): string {
    const ms = typeof time === 'number' ? time : Date.parse(time);
    if (ms >= this.start && ms < this.end) return this.day;
    const date = new Date(ms);
    const start = startOfLocalDay(date);
    const end = new Date(start);
    end.setDate(end.getDate() + 1);
    this.start = start.getTime();
    this.end = end.getTime();
    this.day = localDay(date);
    return this.day;
  }
}
