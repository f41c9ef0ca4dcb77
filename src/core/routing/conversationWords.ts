/**
 * The conversation before the request: every turn counted, the newest user
 * turns read as words into the history bag, and how many of their words
 * belong to the groups of hard topics.
 */
import type { ChatMessage } from '../types';
import { isDigit, isUnspacedScript, isWordChar, isWordStart } from './characters';
import type { Bag } from './featureBags';
import { bucket, FNV_OFFSET, FNV_PRIME, HISTORY, lower, WORD } from './featureHashing';
import type { ConversationCounts } from './featureVectors';
import { FALSE_FRIEND_SALT } from './requestLanguage';
import { GROUP_OF_WORD, HARD_TOPIC_GROUPS, LEXICON_BUCKETS, termStartsAt, unspacedTermsAt } from './wordGroupTables';

/** Each earlier user turn contributes at most this many characters of words. */
const HISTORY_TURN_LIMIT = 4_000;
/**
 * Only the newest user turns are read as words, at most this many and this
 * many characters in all (older turns and every assistant turn are only
 * counted): a 100-message conversation cost 2.5 ms to score when each of its
 * 50 user turns was read, and what it is about now is in its last turns.
 */
const HISTORY_TURNS_READ = 8;
const HISTORY_CHARS_READ = 8_000;

/** Reads `history` (oldest first) into `historyBag`; `falseFriends` are the request's (requestLanguage.ts). */
export function readConversation(history: readonly ChatMessage[], historyBag: Bag, generation: number, falseFriends: ReadonlySet<number> | undefined): ConversationCounts {
  let historyTurns = 0;
  let historyChars = 0;
  let historyHardWords = 0;
  // Newest first, what each read turn may take; then read oldest first, the order training saw.
  const reads: Array<{ message: ChatMessage; to: number }> = [];
  let budget = HISTORY_CHARS_READ;
  for (let m = history.length - 1; m >= 0; m--) {
    const message = history[m]!;
    historyChars += message.content.length;
    if (message.role !== 'user') continue;
    historyTurns++;
    if (reads.length < HISTORY_TURNS_READ && budget > 0) {
      const to = Math.min(message.content.length, HISTORY_TURN_LIMIT, budget);
      budget -= to;
      reads.push({ message, to });
    }
  }
  for (let r = reads.length - 1; r >= 0; r--) historyHardWords += hashWords(reads[r]!.message.content, reads[r]!.to, historyBag, generation, falseFriends);
  return { historyTurns, historyChars, historyHardWords };
}

/** Hashes the words of an earlier turn; returns how many belong to the groups of hard topics. */
function hashWords(source: string, to: number, bag: Bag, generation: number, falseFriends: ReadonlySet<number> | undefined): number {
  let hard = 0;
  let i = 0;
  while (i < to) {
    if (!isWordStart(source.charCodeAt(i)) || isDigit(source.charCodeAt(i))) {
      i++;
      continue;
    }
    let hash = FNV_OFFSET;
    const start = i;
    while (i < to && isWordChar(source.charCodeAt(i))) {
      if (i > start && (isUnspacedScript(source.charCodeAt(i)) || isUnspacedScript(source.charCodeAt(start)))) break;
      hash = Math.imul(hash ^ lower(source.charCodeAt(i)), FNV_PRIME);
      i++;
    }
    hash >>>= 0;
    if (falseFriends?.has(hash)) hash = (hash ^ FALSE_FRIEND_SALT) >>> 0;
    bag.add(bucket(hash, HISTORY), generation, -1, -1);
    if (LEXICON_BUCKETS[bucket(hash, WORD)] && HARD_TOPIC_GROUPS.has(GROUP_OF_WORD.get(hash) ?? -1)) hard++;
    const terms = i - start === 1 ? unspacedTermsAt(source, start) : undefined;
    if (terms) for (const term of terms) if (HARD_TOPIC_GROUPS.has(term.group) && termStartsAt(source, start, term)) hard++;
  }
  return hard;
}
