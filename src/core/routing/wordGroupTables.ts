/**
 * Which word group a word of the request joins: words of the spaced
 * languages by hash, Chinese and Japanese terms as sequences of characters
 * (those scripts put no space between words), and which groups mean a
 * conversation is about something hard.
 */
import { WORD_GROUPS, WRITE_NOUNS } from './lexicon';
import { EXISTING_BEFORE_UNSPACED, WRITE_NOUNS_IN_OTHER_LANGUAGES } from './lexiconLanguages';
import { isKatakana, isSpace, isUnspacedScript } from './characters';
import { bucket, HASH_SIZE, WORD, wordHash } from './featureHashing';

export const GROUP_OF_WORD = new Map<number, number>();
/** Marks the word buckets a lexicon word falls in: most words skip the map lookup. */
export const LEXICON_BUCKETS = new Uint8Array(HASH_SIZE);
export interface UnspacedTerm {
  term: string;
  group: number;
  /** Matched only where a katakana word starts: ロック "lock" is not read inside ブロック "block". */
  wordStart: boolean;
  /** A write-group noun: not matched right after a word that points at one that exists (この関数, 这个函数). */
  unlessExisting?: true;
}
/**
 * Chinese and Japanese terms, by their first character: the scanner reads
 * those scripts one character a word, so a term (死锁, デッドロック) is
 * matched as a sequence where it starts, not as a word.
 */
const UNSPACED_TERMS: UnspacedTerm[][] = [[]];
/** By character code: 1 + the index of its terms in UNSPACED_TERMS, 0 for none (a typed array, not a Map, for a character a word). */
const UNSPACED_FIRST = new Uint16Array(0x10000);
WORD_GROUPS.forEach((group, index) => {
  for (const word of group.words) {
    const first = word.charCodeAt(0);
    if (isUnspacedScript(first)) {
      if (!UNSPACED_FIRST[first]) UNSPACED_FIRST[first] = UNSPACED_TERMS.push([]) - 1;
      UNSPACED_TERMS[UNSPACED_FIRST[first]!]!.push({ term: word, group: index, wordStart: isKatakana(first) });
      continue;
    }
    GROUP_OF_WORD.set(wordHash(word), index);
    LEXICON_BUCKETS[bucket(wordHash(word), WORD)] = 1;
  }
});

export const groupIndex = (id: string) => WORD_GROUPS.findIndex((group) => group.id === id);
export const WRITE_GROUP = groupIndex('write');
export const ALL_WRITE_NOUNS = new Set([...WRITE_NOUNS, ...WRITE_NOUNS_IN_OTHER_LANGUAGES]);
// Chinese and Japanese nouns are matched as terms, where they start, unless what comes right before them points at one.
for (const noun of ALL_WRITE_NOUNS) {
  const first = noun.charCodeAt(0);
  if (!isUnspacedScript(first)) continue;
  if (!UNSPACED_FIRST[first]) UNSPACED_FIRST[first] = UNSPACED_TERMS.push([]) - 1;
  UNSPACED_TERMS[UNSPACED_FIRST[first]!]!.push({ term: noun, group: WRITE_GROUP, wordStart: isKatakana(first), unlessExisting: true });
}

/** The group terms of an unspaced script whose first character is at `at`, to check with termStartsAt. */
export function unspacedTermsAt(text: string, at: number): UnspacedTerm[] | undefined {
  const slot = UNSPACED_FIRST[text.charCodeAt(at)]!;
  return slot === 0 ? undefined : UNSPACED_TERMS[slot];
}

export function termStartsAt(text: string, at: number, term: UnspacedTerm): boolean {
  if (term.wordStart && at > 0 && isKatakana(text.charCodeAt(at - 1))) return false;
  return text.startsWith(term.term, at) && !(term.unlessExisting && existingBeforeUnspaced(text, at));
}

/** What comes right before `at` (spaces aside) points at something that exists: 这个, 该, 我的, この, その, 上記の. */
function existingBeforeUnspaced(text: string, at: number): boolean {
  let end = at;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  for (const word of EXISTING_BEFORE_UNSPACED) if (end >= word.length && text.startsWith(word, end - word.length)) return true;
  return false;
}

/** Groups whose words in earlier turns mean the conversation is about something hard. */
export const HARD_TOPIC_GROUPS = new Set(
  ['design', 'concurrency', 'plan', 'proof', 'security', 'refactor', 'perf', 'debug'].map((id) => WORD_GROUPS.findIndex((group) => group.id === id)),
);
