import { formatTokens } from '../format';

export function suggestions(count: number): string {
  return count === 1 ? 'ghost-text suggestion' : 'ghost-text suggestions';
}

/** What the savings figure leaves out: completions served without a request are counted, never priced. */
export function servedNote(served: number): string {
  if (served === 0) return '';
  return ` Not in this comparison: ${formatTokens(served)} ${suggestions(served)} served without a request (from the cache, typed through, or from a request already under way), counted but not priced, since no request was made.`;
}
