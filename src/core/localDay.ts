/**
 * "Today" is the user's day as their clock reads it, not UTC's: the daily
 * budget, the status bar's totals and price-table dates all count local days.
 */

/** YYYY-MM-DD of `date` in local time. */
export function localDay(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** Local midnight starting the day of `date`. */
export function startOfLocalDay(date: Date = new Date()): Date {
  const start = new Date(date);
  start.setHours(0, 0, 0, 0);
  return start;
}
