import { isDigit, isIdentifierStart, isSpace } from './characters';
import { wordHash } from './featureHashing';

/**
 * Lines a program wrote rather than a person: log lines (timestamps, levels, repeated prefixes),
 * the parts of stack traces that are not frames (exception lines, Go calls, rustc's gutter) and error traces.
 */

/** Log levels, matched in capitals only: "ERROR" at a line's start is a logger's, "error" a person's. */
export const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'err', 'fatal', 'critical', 'crit', 'severe', 'fine', 'dbg', 'inf', 'wrn', 'eror'].map(wordHash));

/** What may follow a level at a line's start: `ERROR:`, `WARN ]`, `INFO |`, `INFO  server started`. */
export function isLevelEnd(c: number): boolean {
  return c === 58 || c === 93 || c === 124 || c === 32 || c === 9;
}

const MONTHS = new Set('jan feb mar apr may jun jul aug sep oct nov dec'.split(' ').map(wordHash));

/**
 * A line that starts with a time: `2026-12-01T10:00:00`, `2026/12/01 10:00`, `[10:00:01.123]`, `12:00:01`,
 * syslog's `Dec  1 10:00:01`. Looked at only at the line's start, so a time inside a sentence is prose.
 */
export function startsWithTimestamp(text: string, first: number, end: number): boolean {
  let i = first;
  if (text.charCodeAt(i) === 91 || text.charCodeAt(i) === 40) i++;
  if (digitsAt(text, i, end, 4) && (text.charCodeAt(i + 4) === 45 || text.charCodeAt(i + 4) === 47) && digitsAt(text, i + 5, end, 2)) return true;
  if (digitsAt(text, i, end, 2) && text.charCodeAt(i + 2) === 58 && digitsAt(text, i + 3, end, 2) && text.charCodeAt(i + 5) === 58) return true;
  if (i + 3 < end && isSpace(text.charCodeAt(i + 3)) && MONTHS.has(wordHash(text.slice(i, i + 3)))) {
    let j = i + 3;
    while (j < end && text.charCodeAt(j) === 32) j++;
    while (j < end && isDigit(text.charCodeAt(j))) j++;
    while (j < end && text.charCodeAt(j) === 32) j++;
    return digitsAt(text, j, end, 2) && text.charCodeAt(j + 2) === 58;
  }
  return false;
}

export function sameChars(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** A line that starts with an exception's (qualified) name and a colon: `ValueError: …`, `System.TimeoutException: …`. */
export function isExceptionLine(text: string, first: number, end: number): boolean {
  // .NET: `Unhandled exception. System.InvalidOperationException: …`.
  let i = text.startsWith('Unhandled exception. ', first) ? first + 21 : first;
  const from = i;
  while (i < end && i - from < 120) {
    const c = text.charCodeAt(i);
    if (c === 58) return text.startsWith('Error', i - 5) || text.startsWith('Exception', i - 9);
    if (!(isIdentifierStart(c) || isDigit(c) || c === 46)) return false;
    i++;
  }
  return false;
}

/** After `from` (and spaces), a name right before `(`: `lambda_method(Closure …`, not `at the start (of it)`. */
export function callFollows(text: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  const start = i;
  while (i < end && !isSpace(text.charCodeAt(i))) {
    if (text.charCodeAt(i) === 40) return i > start;
    i++;
  }
  return false;
}

/** A qualified name then `(` with no space before it: `main.(*Server).handle(0x0, …`, `net/http.Serve(…`. */
export function isCallAt(text: string, first: number, end: number): boolean {
  let dot = false;
  for (let i = first; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) return dot;
    if (c === 46) dot = true;
    else if (isSpace(c)) return false;
  }
  return false;
}

/** From `from`, after spaces, one run of characters to the line's end (`kvstore::store::Store::compact`). */
export function isOneChunk(text: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  if (i === end) return false;
  while (i < end && !isSpace(text.charCodeAt(i))) i++;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i === end;
}

/** A compiler's gutter: `|` first, or a line number then `|` (rustc, and the many tools that copy its layout). */
export function startsWithGutter(text: string, first: number, end: number): boolean {
  let i = first;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i > first) while (i < end && text.charCodeAt(i) === 32) i++;
  return i < end ? text.charCodeAt(i) === 124 && (i + 1 === end || text.charCodeAt(i + 1) === 32) : false;
}

/**
 * A compiler's diagnostic header in rustc's layout: `error[E0502]: cannot borrow…`, `warning[E0170]: …`. The
 * compiler's words, not the user's: read as prose, "This doesn't compile:" over a borrow error was a 17-word request.
 */
export function isDiagnosticHeader(text: string, first: number, end: number): boolean {
  const at = text.startsWith('error[', first) ? first + 6 : text.startsWith('warning[', first) ? first + 8 : -1;
  const letter = text.charCodeAt(at);
  if (at < 0 || letter < 65 || letter > 90) return false;
  let i = at + 1;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i > at + 1 && text.charCodeAt(i) === 93 && text.charCodeAt(i + 1) === 58;
}

/**
 * A line a compiler printed under its diagnostic: the location ` --> src/main.rs:4:5` and the gutter (`  |`,
 * `3 |     let first = &v[0];`). The gutter is told from a markdown table's row (`| a | b |`) by its indent or its
 * line number.
 */
export function isDiagnosticBody(text: string, lineStart: number, first: number, end: number): boolean {
  if (text.startsWith('--> ', first)) return true;
  return (first > lineStart || isDigit(text.charCodeAt(first))) && startsWithGutter(text, first, end);
}

/** The line after `lineEnd` starts (after white space) with the `length` characters at `prefix`, then a space. */
export function nextLineHasPrefix(text: string, lineEnd: number, prefix: number, length: number): boolean {
  let i = lineEnd + 1;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i + length < text.length && isSpace(text.charCodeAt(i + length)) && sameChars(text, prefix, i, length);
}

function digitsAt(text: string, at: number, end: number, count: number): boolean {
  if (at + count > end) return false;
  for (let k = at; k < at + count; k++) if (!isDigit(text.charCodeAt(k))) return false;
  return true;
}

/**
 * The length of a line's first chunk when it looks like a log's source
 * (`web_1`, `[worker-3]`, `pod/api-7d9f:`): 3–40 characters, a letter and a
 * digit or one of `_[]|/`; else 0. A bullet ("- item") or a word ("Note:") is not one.
 */
export function logPrefixLength(text: string, first: number, end: number): number {
  let letter = false;
  let mark = false;
  let i = first;
  for (; i < end && i - first <= 40; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) break;
    // A source prefix is ASCII; a line of Chinese prose (no spaces) is not read 40 characters deep.
    if (c > 127) return 0;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) letter = true;
    else if (isDigit(c) || c === 95 || c === 91 || c === 93 || c === 124 || c === 47) mark = true;
  }
  const length = i - first;
  return length >= 3 && length <= 40 && letter && mark ? length : 0;
}

const TRACE_MARKERS = ['Traceback (most recent call last)', 'Error: ', 'Exception', 'panic: ', 'error[E', 'Segmentation fault', '    at ', 'FAILED', 'error TS'];

/** Pasted errors sit near the question: the start and end of a long request are searched, not all of it. */
const TRACE_WINDOW = 8_000;

export function hasErrorTrace(text: string): boolean {
  const windows = text.length <= 2 * TRACE_WINDOW ? [text] : [text.slice(0, TRACE_WINDOW), text.slice(-TRACE_WINDOW)];
  for (const window of windows) for (const marker of TRACE_MARKERS) if (window.includes(marker)) return true;
  return false;
}
