/**
 * The words of a prose line into the word, pair and code bags, and the word
 * groups they belong to (first place found kept, for reasons that quote it).
 */
import { CODE_NOUN_BUCKETS, CODE_NOUN_HASHES } from './codeContext';
import type { Bag } from './featureBags';
import { bucket, CODE, PAIR, pairHash, WORD } from './featureHashing';
import type { ScanTotals } from './featureVectors';
import { lineEnds, lineHashes, lineInline, lineInPath, lineStarts, lineSymbol } from './lineWords';
import { FALSE_FRIEND_HASHES, FALSE_FRIEND_SALT } from './requestLanguage';
import { ruledGroup, RULED_BUCKETS, WHY_SECOND } from './ruledTerms';
import { GROUP_OF_WORD, LEXICON_BUCKETS, termStartsAt, unspacedTermsAt } from './wordGroupTables';

/** What the words of one request go into: made once per request. */
export interface ProseTarget {
  text: string;
  falseFriends: ReadonlySet<number> | undefined;
  s: ScanTotals;
  /** Where each word group was first found (-1: not found) and where that word ends. */
  groupAt: Int32Array;
  groupEnd: Int32Array;
  wordBag: Bag;
  pairBag: Bag;
  codeBag: Bag;
  generation: number;
}

/**
 * Adds the first `held` words of the line just scanned (lineWords.ts) of `readWords`; `equation`: the line is
 * maths, whose one-letter names are symbols; `asked`: the line asks a question.
 */
export function addProseWords(target: ProseTarget, held: number, readWords: number, equation: boolean, asked: boolean): void {
  const { text, falseFriends, s, groupAt, groupEnd, wordBag, pairBag, codeBag, generation } = target;
  let previous = 0;
  for (let w = 0; w < held; w++) {
    let hash = lineHashes[w]! >>> 0;
    if (hash === 0) {
      previous = 0;
      continue;
    }
    if (falseFriends?.has(hash)) hash = (hash ^ FALSE_FRIEND_SALT) >>> 0;
    const start = lineStarts[w]!;
    const end = lineEnds[w]!;
    const terms = end - start === 1 && !lineInPath[w] ? unspacedTermsAt(text, start) : undefined;
    if (terms) {
      for (const term of terms) {
        if (groupAt[term.group] === -1 && termStartsAt(text, start, term)) {
          groupAt[term.group] = start;
          groupEnd[term.group] = start + term.term.length;
        }
      }
    }
    if (lineInline[w]) {
      if (!lineInPath[w]) s.inlineCode++;
      codeBag.add(bucket(hash, CODE), generation, start, end);
      previous = 0;
      continue;
    }
    if (equation && lineSymbol[w]) {
      // The x and f of an equation say nothing of what is asked; as words they had learnt "competition problem".
      previous = 0;
      continue;
    }
    const wordBucket = bucket(hash, WORD);
    wordBag.add(wordBucket, generation, start, end);
    if (CODE_NOUN_BUCKETS[wordBucket] && CODE_NOUN_HASHES.has(hash)) s.codeNouns++;
    if (previous !== 0) pairBag.add(bucket(pairHash(previous, hash), PAIR), generation, lineStarts[w - 1]!, end);
    previous = hash;
    if ((LEXICON_BUCKETS[wordBucket] || RULED_BUCKETS[wordBucket]) && !lineInPath[w]) {
      // Buckets are shared ("port" and "meaning" share one): the word itself decides.
      const group = GROUP_OF_WORD.get(hash) ?? (RULED_BUCKETS[wordBucket] ? ruledGroup(text, w, readWords, hash, asked, falseFriends === FALSE_FRIEND_HASHES[0]) : -1);
      if (group >= 0 && groupAt[group] === -1) {
        // "por qué" is quoted from its first word.
        groupAt[group] = WHY_SECOND.has(hash) ? lineStarts[w - 1]! : start;
        groupEnd[group] = end;
      }
    }
  }
}
