import type { Savings } from './costView';

/**
 * What "saved by routing" counts, and the state the figure is in, in the words
 * the dashboard and `switchboard costs` both print. A saving is only what
 * routing chose cheaper on purpose (Auto's cheap tier, its retries on the
 * strong tier as routing's cost): a plain route's fallback to a cheaper model
 * after its first failed was a failure's doing, not a saving.
 */
export const SAVING_SCOPE =
  "Only Auto's choices of the cheap tier are compared (and their retries on the strong tier, as routing's cost); " +
  "every other request (a plain route's model, a fallback after a failure, a model picked by hand, a budget's downgrade) counts at what it cost";

/**
 * 'none': routing chose no cheaper model here, so it saved $0.00 (not "unknown");
 * 'unknown': it did, but none of those answers, or their strong tier, has a price;
 * 'compared': the figure stands.
 */
export function savingState(savings: Pick<Savings, 'comparedRequests' | 'chosenRequests'>, requests: number): 'none' | 'unknown' | 'compared' {
  if (savings.comparedRequests > 0) return 'compared';
  return savings.chosenRequests > 0 && requests > 0 ? 'unknown' : 'none';
}
