import type { StringAtCursor } from './stringAtCursor';

/**
 * Bounded views of the text around the cursor. Everything here runs on every
 * keystroke, so no function looks further than a fixed window from the cursor:
 * slicing a V8 string is O(1), scanning it is not.
 */

/** How far any scan for the cursor's lines may look; a longer line is treated as if it began here. */
export const LINE_SCAN_LIMIT = 4000;

/**
 * The last `maxChars` of `text`, starting at a line start when that costs at
 * most half the budget; otherwise (a very long line) cut mid-line.
 */
export function tailAtLineBoundary(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  const start = text.length - maxChars;
  if (text.charCodeAt(start - 1) === NEWLINE) return text.slice(start);
  const newline = text.indexOf('\n', start);
  if (newline === -1 || newline - start > maxChars / 2) return wholeCharacters(text.slice(start));
  return text.slice(newline + 1);
}

/**
 * The first `maxChars` of `text`, ending after a whole line when that costs at
 * most half the budget; otherwise (a very long line) cut mid-line.
 */
export function headAtLineBoundary(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  if (text.charCodeAt(maxChars) === NEWLINE) return text.slice(0, maxChars + 1);
  const newline = text.lastIndexOf('\n', maxChars - 1);
  if (newline === -1 || newline < maxChars / 2) return wholeCharacters(text.slice(0, maxChars));
  return text.slice(0, newline + 1);
}

/**
 * `text` without half a surrogate pair at either end. A cut through a long
 * line can split an emoji; the half left over is not Unicode, and a
 * provider that decodes the request as UTF-8 refuses it, or sees U+FFFD.
 */
export function wholeCharacters(text: string): string {
  const start = isLowSurrogate(text.charCodeAt(0)) ? 1 : 0;
  const end = text.length > start && isHighSurrogate(text.charCodeAt(text.length - 1)) ? text.length - 1 : text.length;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Text between the cursor and the next line break of `suffix` (at most LINE_SCAN_LIMIT chars), without a trailing `\r`. */
export function lineSuffixOf(suffix: string): string {
  const window = suffix.length > LINE_SCAN_LIMIT ? suffix.slice(0, LINE_SCAN_LIMIT) : suffix;
  const newline = window.indexOf('\n');
  const line = newline === -1 ? window : window.slice(0, newline);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The lines around the cursor that completion decisions look at. */
export interface CursorContext {
  /** The cursor's line up to the cursor. */
  linePrefix: string;
  /** The cursor's line after the cursor. */
  lineSuffix: string;
  /** Complete lines before the cursor's line, in document order (nearest last). */
  previousLines: string[];
  /**
   * The text before the cursor's line, at most `LINE_SCAN_LIMIT` characters of it: for the few rules that read
   * further back than `previousLines` (a shell `case` arm's `case … in`, see shellCase.ts). Absent where a caller
   * built the context by hand; those rules then read a line alone.
   */
  textBefore?: string;
  /** Complete lines after the cursor's line, in document order (nearest first). */
  nextLines: string[];
  /** The document's line break, guessed from the text near the cursor. */
  eol: '\n' | '\r\n';
  /** The multi-line string (docstring, template literal) the cursor stands in, when the caller looked (see `cursorIn`). */
  inString?: StringAtCursor;
  /** How the editor indents this document, when it says (see `EditorIndent`). */
  editorIndent?: EditorIndent;
}

/**
 * How the editor indents the document: VS Code's `tabSize` and `insertSpaces` for its editor, which
 * `editor.detectIndentation` has already read from the file when it could, else the user's settings for the
 * language. Where the lines around the cursor show no indentation, it decides over a language's custom: it is what
 * the editor itself inserts on Enter.
 */
export interface EditorIndent {
  tabSize: number;
  insertSpaces: boolean;
}

/** Reads up to `lineCount` lines either side of the cursor, never more than a few KB of text. */
export function describeCursor(prefix: string, suffix: string, lineCount = 8): CursorContext {
  const before = prefix.length > LINE_SCAN_LIMIT ? prefix.slice(-LINE_SCAN_LIMIT) : prefix;
  const after = suffix.length > LINE_SCAN_LIMIT ? suffix.slice(0, LINE_SCAN_LIMIT) : suffix;
  const eol = before.includes('\r\n') || after.includes('\r\n') ? '\r\n' : '\n';

  let lineEnd = before.lastIndexOf('\n');
  const linePrefix = lineEnd === -1 ? before : before.slice(lineEnd + 1);
  const textBefore = before.slice(0, lineEnd + 1);
  const previousLines: string[] = [];
  while (lineEnd !== -1 && previousLines.length < lineCount) {
    const lineStart = lineEnd === 0 ? 0 : before.lastIndexOf('\n', lineEnd - 1) + 1;
    // A line cut by the window start is incomplete, so it is left out.
    if (lineStart === 0 && before.length < prefix.length) break;
    previousLines.push(stripCarriageReturn(before.slice(lineStart, lineEnd)));
    lineEnd = lineStart - 1;
  }
  previousLines.reverse();

  let start = after.indexOf('\n');
  const lineSuffix = stripCarriageReturn(start === -1 ? after : after.slice(0, start));
  const nextLines: string[] = [];
  while (start !== -1 && nextLines.length < lineCount) {
    const next = after.indexOf('\n', start + 1);
    if (next === -1 && after.length < suffix.length) break;
    nextLines.push(stripCarriageReturn(after.slice(start + 1, next === -1 ? undefined : next)));
    start = next;
  }
  return { linePrefix, lineSuffix, previousLines, textBefore, nextLines, eol };
}

/** The leading spaces and tabs of `line`. */
export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return line.slice(0, i);
}

/** Indentation width, a tab counting as four columns so mixed indentation still compares. */
export function indentWidth(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === SPACE) width++;
    else if (c === TAB) width += 4;
    else break;
  }
  return width;
}

export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== 13) return false;
  }
  return true;
}

/** `text.slice(textStart, textStart + length) === other.slice(otherStart, otherStart + length)` without allocating. */
export function regionMatches(text: string, textStart: number, other: string, otherStart: number, length: number): boolean {
  if (textStart < 0 || otherStart < 0) return false;
  if (textStart + length > text.length || otherStart + length > other.length) return false;
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(textStart + i) !== other.charCodeAt(otherStart + i)) return false;
  }
  return true;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
