/**
 * Where an apostrophe or a hyphen inside a word joins two words of French or
 * Portuguese rather than making one. The scanner reads inner `'` and `-` as
 * part of a word ("don't", "built-in", "ci-dessous"), which read "l'exemple",
 * "d'une", "Explique-moi" and "Écris-moi" as words no group knows: "Écris-moi
 * une fonction" asked for nothing, and "l'exemple" was not "the example".
 */
import { isWordChar } from './characters';
import { lower } from './featureHashing';

/** French elided words: l', d', j', qu'… before a vowel ("l'exemple", "d'une", "qu'est-ce"). */
const ELIDED = new Set(['l', 'd', 'j', 'm', 't', 's', 'n', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu']);

/**
 * Pronouns joined to an imperative or a question by a hyphen: French
 * "explique-moi", "peux-tu", "écris-la"; Portuguese "explique-me",
 * "mostre-lhe". Left out: "on" ("add-on"), and "o", "a", "y", "os", "as",
 * which end English words too ("big-O", "Mac-OS").
 */
const CLITICS = new Set([
  'moi', 'toi', 'nous', 'vous', 'le', 'la', 'les', 'lui', 'leur', 'leurs', 'en', 'tu', 'il', 'elle', 'ils', 'elles',
  'me', 'te', 'se', 'lo', 'los', 'las', 'lhe', 'lhes', 'nos',
]);

const LONGEST_ELIDED = 6;
const LONGEST_CLITIC = 5;

/**
 * The word that started at `wordStart` ends before the `'` or `-` at `at`:
 * an elided word before it ("l'|exemple"), or a pronoun after it
 * ("explique|-moi"). The caller has checked that a word character follows.
 */
export function joinEndsWord(text: string, wordStart: number, at: number, end: number): boolean {
  if (text.charCodeAt(at) === 39) return at - wordStart <= LONGEST_ELIDED && ELIDED.has(lowerSlice(text, wordStart, at));
  let after = at + 1;
  while (after < end && after - at <= LONGEST_CLITIC + 1 && isWordChar(text.charCodeAt(after))) after++;
  if (after < end && isWordChar(text.charCodeAt(after))) return false;
  // The euphonic t of "plante-t-il", "a-t-on": the verb ends before it.
  if (after === at + 2 && lower(text.charCodeAt(at + 1)) === 116 && text.charCodeAt(after) === 45) return true;
  return CLITICS.has(lowerSlice(text, at + 1, after));
}

/**
 * The quote of the request from `start` to `end` (a reason's `mentions "…"`) would show a word split off at a join
 * alone, or cut from the word it joins: the "d" of "d'une", "je l" of "je l'ai", the euphonic "t" of "plante-t-il",
 * "t-il", the "moi" of "Explique-moi". To the scanner each is a word (an elided article, a pronoun, a sound); quoted,
 * `mentions "d"` read as a word cut short, and none says what a request is about.
 */
export function quotesSplitWord(text: string, start: number, end: number): boolean {
  // Ends in an elided word: "d", "je l", "qu" (the apostrophe and the word it joins are outside the quote).
  if (elidedBefore(text, end)) {
    let wordStart = end;
    while (wordStart > start && isWordChar(text.charCodeAt(wordStart - 1))) wordStart--;
    if (end - wordStart <= LONGEST_ELIDED && ELIDED.has(lowerSlice(text, wordStart, end))) return true;
  }
  // Starts at a pronoun or a euphonic t after a hyphen that ended the word before: "moi", "tu", "t-il".
  if (start >= 2 && text.charCodeAt(start - 1) === 45 && isWordChar(text.charCodeAt(start - 2)) && joinEndsWord(text, start - 2, start - 1, text.length)) return true;
  // Ends at a euphonic t: "plante-t" of "plante-t-il".
  return end - start > 1 && text.charCodeAt(end - 2) === 45 && lower(text.charCodeAt(end - 1)) === 116 && text.charCodeAt(end) === 45;
}

/** The word before an apostrophe (`'` or `’`) at `at` is elided: "l'exemple", "l’exemple"; a name, not a symbol. */
export function elidedBefore(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return (c === 39 || c === 8217) && isWordChar(text.charCodeAt(at + 1));
}

function lowerSlice(text: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += String.fromCharCode(lower(text.charCodeAt(i)));
  return out;
}
