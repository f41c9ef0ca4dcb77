/**
 * Whether a review word asks for a code review the model can do: "It established judicial review" asks for none, and
 * "Can you review my PR before I merge?" with nothing attached asks for one that no model can do from the request.
 */
import type { RoutingInput } from './features';
import { CODE_NOUNS } from './lexicon';
import { isUnspacedScript } from './characters';
import { bucket, HASH_SIZE, WORD, wordHash } from './featureHashing';
import { groupIndex } from './wordGroupTables';

export const REVIEW_GROUP = groupIndex('review');
export const SECURITY_GROUP = groupIndex('security');
export const CODE_NOUN_HASHES = new Set(CODE_NOUNS.filter((noun) => !isUnspacedScript(noun.charCodeAt(0))).map(wordHash));
const CODE_NOUNS_UNSPACED = CODE_NOUNS.filter((noun) => isUnspacedScript(noun.charCodeAt(0)));
/** Marks the word buckets a code noun falls in: most words skip the set lookup. */
export const CODE_NOUN_BUCKETS = new Uint8Array(HASH_SIZE);
for (const hash of CODE_NOUN_HASHES) CODE_NOUN_BUCKETS[bucket(hash, WORD)] = 1;

/**
 * How a request with a review word reads: `code` (something to review is in it: `attached` counts code, stack trace,
 * log or table lines and words of `inline code`; or a Plan request, which carries the code in focus; or code earlier
 * in the conversation), `unseen` (a code review of code the request does not hold, told by `codeSigns`, files named or
 * listed and code nouns such as "PR", "diff", "merge": either tier can only ask for it, so it is no sign of a hard
 * request; "Review src/auth.ts" with no file attached names the code, it does not hold it), or `other` ("judicial
 * review", "peer review"). Called only for a request with a review word, so the scans here are rare.
 */
export function reviewReading(input: RoutingInput, attached: number, codeSigns: number): 'code' | 'unseen' | 'other' {
  if (attached > 0 || input.task === 'plan') return 'code';
  if ((input.history ?? []).some((message) => message.content.includes('```'))) return 'code';
  return codeSigns > 0 || CODE_NOUNS_UNSPACED.some((noun) => input.prompt.includes(noun)) ? 'unseen' : 'other';
}
