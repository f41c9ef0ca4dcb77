import { FALSE_FRIENDS, LANGUAGE_MARKERS } from './lexiconLanguages';
import { isLatinLetter } from './characters';
import { FNV_OFFSET, FNV_PRIME, lower, wordHash } from './featureHashing';

/**
 * Which language a request is written in, as far as its false friends need: French "comment" is
 * "how", not a request about code comments (lexiconLanguages.ts).
 */

/**
 * The languages whose false friends (lexiconLanguages.ts) are read apart: a
 * request in French reads "comment" as "how". Their hashes are salted, so
 * such a word joins no group and has its own hashed feature.
 */
export const FALSE_FRIEND_HASHES = [new Set(FALSE_FRIENDS.fr.map(wordHash)), new Set(FALSE_FRIENDS.de.map(wordHash))];
export const FALSE_FRIEND_SALT = 0x5bd1e995;
const MARKER_LANGUAGE = new Map<number, number>();
/** Marks the low 16 bits of marker hashes: most words skip the map lookup. */
const MARKER_FILTER = new Uint8Array(0x10000);
(['en', 'fr', 'de'] as const).forEach((language, index) => {
  for (const word of LANGUAGE_MARKERS[language]) {
    MARKER_LANGUAGE.set(wordHash(word), index);
    MARKER_FILTER[wordHash(word) & 0xffff] = 1;
  }
});
/** The start of a request read to tell its language: its first sentences say it. */
const LANGUAGE_SCAN_CHARS = 1_500;

/**
 * The false friends to read apart in this request: French's or German's
 * when more of its words are French or German markers (or carry that
 * language's letters: è, ç…; ä, ß…) than English ones, else none. Read are
 * the prose before the first fence and after the last one (the chat panel
 * puts attachments before the question), at most LANGUAGE_SCAN_CHARS of
 * each: attached code is full of English words whatever the question's language.
 */
export function falseFriendsOf(text: string): ReadonlySet<number> | undefined {
  const votes = [0, 0, 0];
  const firstFence = text.indexOf('```');
  voteLanguages(text, 0, Math.min(firstFence < 0 ? text.length : firstFence, LANGUAGE_SCAN_CHARS), votes);
  if (firstFence >= 0) voteLanguages(text, Math.max(text.lastIndexOf('```') + 3, text.length - LANGUAGE_SCAN_CHARS), text.length, votes);
  const [en, fr, de] = votes as [number, number, number];
  if (fr > en && fr >= de) return FALSE_FRIEND_HASHES[0];
  if (de > en && de > fr) return FALSE_FRIEND_HASHES[1];
  return undefined;
}

function voteLanguages(text: string, from: number, end: number, votes: number[]): void {
  let i = from;
  while (i < end) {
    let c = text.charCodeAt(i);
    if (!isLatinLetter(c)) {
      i++;
      continue;
    }
    let hash = FNV_OFFSET;
    let accent = 0;
    while (i < end && (isLatinLetter((c = text.charCodeAt(i))) || (c === 39 && isLatinLetter(text.charCodeAt(i + 1))))) {
      hash = Math.imul(hash ^ lower(c), FNV_PRIME);
      if (c === 0xe8 || c === 0xea || c === 0xe0 || c === 0xe7 || c === 0xf9 || c === 0xfb || c === 0xee || c === 0x153) accent = 1;
      else if (c === 0xe4 || c === 0xf6 || c === 0xfc || c === 0xdf || c === 0xc4 || c === 0xd6 || c === 0xdc) accent = 2;
      i++;
    }
    const language = MARKER_FILTER[hash & 0xffff] ? MARKER_LANGUAGE.get(hash >>> 0) : undefined;
    if (language !== undefined) votes[language]!++;
    else if (accent) votes[accent]!++;
  }
}
