/**
 * Terms that join a word group only where a rule says so (lexicon's `ruled`
 * terms): "por qué", a "porque" that asks, the write group's verbs where a
 * request puts them and its nouns where nothing points at one that exists,
 * "port" as a verb, "under" as a limit, "per" as a rate, "repo" as the place
 * of the work, "markdown" as the layout asked for. They read the words of
 * the current line (lineWords.ts) around the term.
 */
import { EXISTING_BEFORE, MARKDOWN_AS_A_FORM, PER_A_RATE, REPOSITORY_AS_A_PLACE, REQUEST_VERB_AFTER, UNDER_A_PLACE, WORD_GROUPS } from './lexicon';
import { EXISTING_BEFORE_IN_OTHER_LANGUAGES, PORT_VERB_AFTER, PORTUGUESE_ARTICLES, PORT_VERB_OBJECTS, PORT_VERBS_IN_OTHER_LANGUAGES, PORTED_WHOLES, WHY_IN_ONE_WORD, WHY_IN_TWO_WORDS } from './lexiconLanguages';
import { isUnspacedScript } from './characters';
import { bucket, HASH_SIZE, WORD, wordHash } from './featureHashing';
import { onlySpaces, startsSentence } from './lineShape';
import { lineEnds, lineHashes, lineInline, lineInPath, lineStarts } from './lineWords';
import { ALL_WRITE_NOUNS, groupIndex, WRITE_GROUP } from './wordGroupTables';

const REASONING_GROUP = groupIndex('reasoning');
const CONVERT_GROUP = groupIndex('convert');
const PLAN_GROUP = groupIndex('plan');
const WRITE_NOUN_HASHES = new Set([...ALL_WRITE_NOUNS].filter((noun) => !isUnspacedScript(noun.charCodeAt(0))).map(wordHash));
const REQUEST_VERBS = new Set(WORD_GROUPS[WRITE_GROUP]!.ruled!.filter((term) => !ALL_WRITE_NOUNS.has(term)).map(wordHash));
const EXISTING = new Set([...EXISTING_BEFORE, ...EXISTING_BEFORE_IN_OTHER_LANGUAGES].map(wordHash));
const REQUEST_LEADS = new Set(REQUEST_VERB_AFTER.map(wordHash));
const PORTUGUESE_NOUNS = new Set(PORTUGUESE_ARTICLES.nouns.map(wordHash));
const PORTUGUESE_ARTICLE_HASHES = new Set(PORTUGUESE_ARTICLES.articles.map(wordHash));
const POR = wordHash(WHY_IN_TWO_WORDS.first);
export const WHY_SECOND = new Set(WHY_IN_TWO_WORDS.second.map(wordHash));
const WHY_ONE_WORD = new Set(WHY_IN_ONE_WORD.map(wordHash));
const PORT = wordHash('port');
const PORTER = wordHash('porter');
const PORT_VERBS = new Set([PORT, wordHash('porting'), ...PORT_VERBS_IN_OTHER_LANGUAGES.map(wordHash)]);
const PORT_VERB_PRECEDERS = new Set(PORT_VERB_AFTER.map(wordHash));
const PORT_VERB_OBJECT_HASHES = new Set(PORT_VERB_OBJECTS.map(wordHash));
const WHOLES = new Set(PORTED_WHOLES.map(wordHash));
const CONSTRAINT_GROUP = groupIndex('constraint');
const UNDER = wordHash('under');
const UNDER_FOLDERS = new Set(UNDER_A_PLACE.folders.map(wordHash));
const UNDER_AFTER = new Set(UNDER_A_PLACE.after.map(wordHash));
const UNDER_QUANTITIES = new Set(UNDER_A_PLACE.quantities.map(wordHash));
/** How far after "under" a folder word or a path still names the place: "under the tests folder". */
const UNDER_LOOKAHEAD = 3;
const ARITHMETIC_GROUP = groupIndex('arithmetic');
const PER = wordHash('per');
const PER_AMOUNTS = new Set(PER_A_RATE.amounts.map(wordHash));
const PER_UNITS = new Set(PER_A_RATE.units.map(wordHash));
const SCOPE_GROUP = groupIndex('scope');
const REPOSITORY_WORDS = new Set(['repo', 'repository'].map(wordHash));
const REPOSITORY_PLACE_BEFORE = new Set(REPOSITORY_AS_A_PLACE.before.map(wordHash));
const REPOSITORY_DETERMINERS = new Set(REPOSITORY_AS_A_PLACE.determiners.map(wordHash));
const MECHANICAL_GROUP = groupIndex('mechanical');
const MARKDOWN = wordHash('markdown');
const MARKDOWN_LAYOUTS = new Set(MARKDOWN_AS_A_FORM.layouts.map(wordHash));
/** Marks the word buckets of the terms read by a rule (ruledGroup): most words skip it. */
export const RULED_BUCKETS = new Uint8Array(HASH_SIZE);
for (const hash of [...WHY_SECOND, ...WHY_ONE_WORD, ...PORT_VERBS, ...REQUEST_VERBS, ...WRITE_NOUN_HASHES, UNDER, PER, ...REPOSITORY_WORDS, MARKDOWN]) RULED_BUCKETS[bucket(hash, WORD)] = 1;

/**
 * The group a word joins by a rule rather than wherever it occurs (lexicon's
 * `ruled` terms), -1 for none; `w` is its index among the line's words.
 */
export function ruledGroup(text: string, w: number, count: number, hash: number, lineAsks: boolean, french: boolean): number {
  if (WHY_SECOND.has(hash)) {
    // "por qué": "que" right after "por", with only spaces between.
    return w > 0 && lineHashes[w - 1]! >>> 0 === POR && onlySpaces(text, lineEnds[w - 1]!, lineStarts[w]!) ? REASONING_GROUP : -1;
  }
  if (WHY_ONE_WORD.has(hash)) return lineAsks || startsSentence(text, lineStarts[w]!) ? REASONING_GROUP : -1;
  if (REQUEST_VERBS.has(hash)) return startsSentence(text, lineStarts[w]!) || (w > 0 && REQUEST_LEADS.has(lineHashes[w - 1]! >>> 0)) ? WRITE_GROUP : -1;
  // "This query takes 40 seconds", "what does the regex match": one that exists, not one asked for.
  if (WRITE_NOUN_HASHES.has(hash)) {
    if (w === 0) return WRITE_GROUP;
    const before = lineHashes[w - 1]! >>> 0;
    // "a função" is "the function"; English "a function" asks for one.
    return EXISTING.has(before) || (PORTUGUESE_NOUNS.has(hash) && PORTUGUESE_ARTICLE_HASHES.has(before)) ? -1 : WRITE_GROUP;
  }
  if (hash === UNDER) return underNamesAPlace(w, count) ? -1 : CONSTRAINT_GROUP;
  if (hash === PER) return perMakesARate(w, count) ? ARITHMETIC_GROUP : -1;
  if (REPOSITORY_WORDS.has(hash)) return repositoryIsThePlace(w) ? SCOPE_GROUP : -1;
  if (hash === MARKDOWN) return markdownIsTheForm(w, count) ? MECHANICAL_GROUP : -1;
  if (!PORT_VERBS.has(hash)) return -1;
  // English "porter" is a stemmer or a beer; French "porter" is the verb.
  if (hash === PORTER && !french) return -1;
  // "port" as a noun: "which port", "port 5432", "the port is in use".
  const verb =
    hash !== PORT ||
    startsSentence(text, lineStarts[w]!) ||
    (w > 0 && PORT_VERB_PRECEDERS.has(lineHashes[w - 1]! >>> 0)) ||
    (w + 1 < count && PORT_VERB_OBJECT_HASHES.has(lineHashes[w + 1]! >>> 0));
  if (!verb || (w + 1 < count && lineHashes[w + 1] === 0)) return -1;
  for (let k = w + 1; k < count; k++) if (WHOLES.has(lineHashes[k]! >>> 0)) return PLAN_GROUP;
  return CONVERT_GROUP;
}

/**
 * "under" (the line's word `w`) names a place, not a limit: a path, inline
 * code or a folder word follows within a few words, before any number ("the
 * files under src", "under the tests folder", "under `packages/api`"), or a
 * file or folder noun comes right before it and no quantity after it ("files
 * under app", not "files under 10 KB" or "under a second").
 */
function underNamesAPlace(w: number, count: number): boolean {
  const end = Math.min(count, w + 1 + UNDER_LOOKAHEAD);
  for (let k = w + 1; k < end; k++) {
    if (lineInPath[k] || lineInline[k]) return true;
    const next = lineHashes[k]! >>> 0;
    // Numbers are held as 0: a limit ("under 100 ms").
    if (next === 0) return false;
    if (UNDER_FOLDERS.has(next)) return true;
  }
  return w > 0 && w + 1 < count && UNDER_AFTER.has(lineHashes[w - 1]! >>> 0) && !UNDER_QUANTITIES.has(lineHashes[w + 1]! >>> 0);
}

/**
 * "per" (the line's word `w`) makes a rate: an amount right before it (numbers are held as 0), or a number or a unit
 * right after it ("per 100 km", "per hour"; PER_A_RATE).
 */
function perMakesARate(w: number, count: number): boolean {
  if (w > 0 && (lineHashes[w - 1] === 0 || PER_AMOUNTS.has(lineHashes[w - 1]! >>> 0))) return true;
  return w + 1 < count && (lineHashes[w + 1] === 0 || PER_UNITS.has(lineHashes[w + 1]! >>> 0));
}

/** "repo" or "repository" (the line's word `w`) is where the work is: "across the repo", "in our repository", "the whole repo". */
function repositoryIsThePlace(w: number): boolean {
  if (w === 0) return false;
  const before = lineHashes[w - 1]! >>> 0;
  if (REPOSITORY_PLACE_BEFORE.has(before)) return true;
  return w > 1 && REPOSITORY_DETERMINERS.has(before) && REPOSITORY_PLACE_BEFORE.has(lineHashes[w - 2]! >>> 0);
}

/** "markdown" (the line's word `w`) is the layout asked for: a layout noun right after it ("into a markdown table"). */
function markdownIsTheForm(w: number, count: number): boolean {
  return w + 1 < count && MARKDOWN_LAYOUTS.has(lineHashes[w + 1]! >>> 0);
}
