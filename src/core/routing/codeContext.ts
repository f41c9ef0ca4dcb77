/** Whether a request is about code, for the review group: "It established judicial review" asks for no code review. */
import type { RoutingInput } from './features';
import { CODE_NOUNS } from './lexicon';
import { isUnspacedScript } from './characters';
import { bucket, HASH_SIZE, WORD, wordHash } from './featureHashing';
import { groupIndex } from './wordGroupTables';

export const REVIEW_GROUP = groupIndex('review');
export const CODE_NOUN_HASHES = new Set(CODE_NOUNS.filter((noun) => !isUnspacedScript(noun.charCodeAt(0))).map(wordHash));
const CODE_NOUNS_UNSPACED = CODE_NOUNS.filter((noun) => isUnspacedScript(noun.charCodeAt(0)));
/** Marks the word buckets a code noun falls in: most words skip the set lookup. */
export const CODE_NOUN_BUCKETS = new Uint8Array(HASH_SIZE);
for (const hash of CODE_NOUN_HASHES) CODE_NOUN_BUCKETS[bucket(hash, WORD)] = 1;

/**
 * The request is about code: `codeSigns` (code lines, files named, inline code, code nouns) or a Plan request, a
 * Chinese or Japanese code noun, or code in the conversation. Called only for a request with a review word and no
 * code signs, so the scans here are rare.
 */
export function aboutCode(input: RoutingInput, codeSigns: number): boolean {
  if (codeSigns > 0 || input.task === 'plan') return true;
  if (CODE_NOUNS_UNSPACED.some((noun) => input.prompt.includes(noun))) return true;
  return (input.history ?? []).some((message) => message.content.includes('```'));
}
