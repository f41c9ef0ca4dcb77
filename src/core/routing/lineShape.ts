import { isDigit, isLatinLetter, isSpace } from './characters';
import { FNV_OFFSET, FNV_PRIME, lower, wordHash } from './featureHashing';
import { UNDER_A_PLACE } from './lexicon';

/**
 * The shape of a line and of a long text: paths, sentence starts, multiple-choice options, question
 * ends, and where a jump through the middle of a long request lands and how many lines it skips.
 */

const FILE_EXTENSIONS = new Set(
  'ts tsx js jsx mjs cjs py go rs java kt kts swift scala c h cc cpp hpp cs rb php sql sh bash zsh css scss html vue svelte md json yml yaml toml ini cfg xml lock gradle txt proto tf dockerfile mk'
    .split(' ')
    .map(wordHash),
);

/**
 * The line opens as a sentence does: a word of two or more letters, one
 * space, then a letter or digit ("Solve for x", "If f(x)", "Calcula 2^10").
 * Code that ends in a full stop or a question mark rarely does: `foo(X) ->`,
 * `cd ..`, `x = y?`.
 */
export function opensWithWords(text: string, first: number, lineEnd: number): boolean {
  let i = first;
  while (i < lineEnd && isLatinLetter(text.charCodeAt(i))) i++;
  return i - first >= 2 && i + 1 < lineEnd && text.charCodeAt(i) === 32 && (isLatinLetter(text.charCodeAt(i + 1)) || isDigit(text.charCodeAt(i + 1)));
}

export function onlySpaces(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return to > from;
}

/** Nothing but spaces and opening punctuation (¿ ¡ " ( *) between the line's start or a sentence's end and `at`. */
export function startsSentence(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 46 || c === 33 || c === 63 || c === 58 || c === 59) return true;
    if (!(isSpace(c) || c === 0xbf || c === 0xa1 || c === 34 || c === 40 || c === 42 || c === 45)) return false;
  }
  return true;
}

/**
 * Where a jump through the middle of a long request ends: the start of the
 * next line holding a fence marker (so fences keep pairing up), else the
 * first line start at or after `middleEnd`.
 */
export function middleJumpEnd(text: string, from: number, middleEnd: number): number {
  let fence = Number.POSITIVE_INFINITY;
  for (const marker of ['```', '~~~']) {
    let at = text.indexOf(marker, from);
    // A marker counts only at the start of a line (after white space).
    while (at >= 0 && at < middleEnd && !atLineStart(text, at)) at = text.indexOf(marker, at + 3);
    if (at >= 0 && at < fence) fence = at;
  }
  if (fence < middleEnd) return Math.max(from, text.lastIndexOf('\n', fence) + 1);
  const next = text.indexOf('\n', middleEnd);
  return next < 0 ? text.length : next + 1;
}

/** A skipped middle up to this size has its line ends counted one by one (`indexOf`: about 20 µs for 100 KB). */
const MIDDLE_COUNTED_CHARS = 256 * 1_024;
/** Beyond it, line ends are counted in this many windows of this size spread evenly through it, and scaled. */
const MIDDLE_SAMPLES = 64;
const MIDDLE_SAMPLE_CHARS = 2_048;

/**
 * How many lines start in [from, to), exactly or (beyond
 * MIDDLE_COUNTED_CHARS) estimated from samples. The lines read before the
 * jump said too little: the first lines of a log are shorter (`id=7` before
 * `id=70000`), which put a 100,000-line log at 109,000 lines.
 */
export function linesIn(text: string, from: number, to: number): number {
  const size = to - from;
  if (size <= MIDDLE_COUNTED_CHARS) return Math.max(1, countLineEnds(text, from, to));
  // Whole lines only, from a window's first line end to its last: counting the ends in a fixed window is off by
  // up to one line a window (27 or 28 in 2 KB of 75-character lines), which put 100,000 lines at 102,400.
  let lines = 0;
  let span = 0;
  for (let k = 0; k < MIDDLE_SAMPLES; k++) {
    const start = from + Math.floor(((size - MIDDLE_SAMPLE_CHARS) * k) / (MIDDLE_SAMPLES - 1));
    const first = text.indexOf('\n', start);
    if (first < 0 || first >= start + MIDDLE_SAMPLE_CHARS) continue;
    let last = first;
    for (let at = text.indexOf('\n', first + 1); at >= 0 && at < start + MIDDLE_SAMPLE_CHARS; at = text.indexOf('\n', at + 1)) {
      lines++;
      last = at;
    }
    span += last - first;
  }
  // No two line ends in any window: lines longer than a window, so few of them.
  if (lines === 0) return Math.max(1, countLineEnds(text, from, to));
  return Math.max(1, Math.round((lines * size) / span));
}

function countLineEnds(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

function atLineStart(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** After a question mark: the end of the line, a space, or closing punctuation ("really?!", "(why?)"). */
export function endsQuestion(text: string, next: number, lineEnd: number): boolean {
  if (next >= lineEnd) return true;
  const c = text.charCodeAt(next);
  return isSpace(c) || c === 33 || c === 63 || c === 41 || c === 34 || c === 39 || c === 96 || c === 42 || c === 8221 || c === 8217;
}

const FOLDER_WORDS = new Set(UNDER_A_PLACE.folders.map(wordHash));

/**
 * `src/app.ts`, `./lib`, `C:\x\y.py`, `README.md`, `src/components`; not a URL, a version number or the end of a
 * sentence, nor two words or a unit joined by one slash: "km/h", "$2.40/kg", "mol/L", "undo/redo", "async/await"
 * (read as files, they made "A train travels at 90 km/h…" a request about the project's files).
 */
export function isPath(text: string, start: number, end: number, hasSlash: boolean, dot: number): boolean {
  end = trimPunctuation(text, start, end);
  if (end - start < 3) return false;
  if (text.startsWith('http://', start) || text.startsWith('https://', start)) return false;
  if (hasSlash && isWordsJoinedBySlash(text, start, end)) return false;
  if (hasSlash) {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return true;
    }
    return false;
  }
  if (dot <= start || dot >= end - 1) return false;
  // The part after the last dot must be a known file extension (drops "e.g", "3.5", "i.e").
  let lastDot = -1;
  for (let i = end - 1; i > start; i--) {
    if (text.charCodeAt(i) === 46) {
      lastDot = i;
      break;
    }
  }
  if (lastDot < 0) return false;
  let hash = FNV_OFFSET;
  for (let i = lastDot + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) break;
    hash = Math.imul(hash ^ lower(c), FNV_PRIME);
  }
  return FILE_EXTENSIONS.has(hash >>> 0);
}

/**
 * One `/` between two runs of letters or digits (a leading `$` and a decimal point before it allowed), nothing else, and the first run not a
 * folder a project commonly has ("src/components" is a path).
 */
function isWordsJoinedBySlash(text: string, start: number, end: number): boolean {
  let slash = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 47) {
      if (slash >= 0) return false;
      slash = i;
    } else if (!(isLatinLetter(c) || isDigit(c) || (c === 36 && i === start) || ((c === 46 || c === 44) && slash < 0 && isDigit(text.charCodeAt(i + 1))))) return false;
  }
  if (slash <= start || slash >= end - 1) return false;
  let hash = FNV_OFFSET;
  for (let i = start; i < slash; i++) hash = Math.imul(hash ^ lower(text.charCodeAt(i)), FNV_PRIME);
  return !FOLDER_WORDS.has(hash >>> 0);
}

/** Drops trailing `.,:;)'"` and a `:12-30` line range. */
export function trimPunctuation(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c === 46 || c === 44 || c === 58 || c === 59 || c === 41 || c === 39 || c === 34 || c === 96 || c === 63 || c === 33) end--;
    else break;
  }
  // Searched within the chunk only: lastIndexOf would scan back to the start of a long text for every chunk.
  for (let colon = end - 2; colon > start; colon--) {
    const c = text.charCodeAt(colon);
    if (c === 58) {
      if (isDigit(text.charCodeAt(colon + 1)) && text.charCodeAt(colon - 1) !== 58) end = colon;
      break;
    }
    if (!isDigit(c) && c !== 45) break;
  }
  return end;
}

/**
 * The fields of a table row, as a number to compare with the rows around it: 1000 × the kind (1 commas with no
 * space after them, 2 tabs, 3 a markdown row opening with `|`) + the count, or 0 when the line is no row (fewer than
 * two separators). Prose puts a space after its commas, so "a, b, c" is never a row.
 */
export function fieldShape(text: string, first: number, lineEnd: number): number {
  if (first >= lineEnd) return 0;
  let commas = 0;
  let tabs = 0;
  let pipes = 0;
  const end = Math.min(lineEnd, first + 2_000);
  for (let i = first; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 && i + 1 < lineEnd && !isSpace(text.charCodeAt(i + 1))) commas++;
    else if (c === 9) tabs++;
    else if (c === 124) pipes++;
  }
  return fieldsOf(text.charCodeAt(first), commas, tabs, pipes);
}

/** fieldShape from counts the scan has made: `first` is the line's first character. */
export function fieldsOf(first: number, commas: number, tabs: number, pipes: number): number {
  if (first === 124 && pipes >= 3) return 3_000 + pipes;
  if (tabs >= 2) return 2_000 + tabs;
  return commas >= 2 ? 1_000 + commas : 0;
}

/** Where the line after the one ending at `lineEnd` ends. */
export function nextLineEnd(text: string, lineEnd: number): number {
  if (lineEnd >= text.length) return lineEnd;
  const next = text.indexOf('\n', lineEnd + 1);
  return next < 0 ? text.length : next;
}

/** `A) …`, `(B) …`, `C. …`, `D: …` with the letter expected next. */
export function isChoiceLine(text: string, first: number, end: number, letter: number): boolean {
  if (letter > 72) return false;
  let i = first;
  if (text.charCodeAt(i) === 40) i++;
  const c = text.charCodeAt(i);
  if (c !== letter && c !== letter + 32) return false;
  const next = text.charCodeAt(i + 1);
  return i + 2 < end && (next === 41 || next === 46 || next === 58) && isSpace(text.charCodeAt(i + 2));
}
