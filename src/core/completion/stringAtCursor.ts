/**
 * Whether the cursor stands inside a string that spans lines: a Python
 * docstring, a JavaScript/TypeScript template literal, a Go raw string, a shell heredoc.
 * There a line is text, not code: `Args:` or `Returns:` ending a docstring
 * line opens no block, and `{` ending a line of a template's HTML opens none.
 */

import { opensBlock } from './languages';
import { splitAtLastLine } from './shellCase';
import { continuesOnNextLine } from './shellContinuation';
import { scanHeredocs, type OpenHeredoc } from './shellHeredoc';
import { describeCursor, type CursorContext } from './textWindow';

/** The lines around the cursor, with the multi-line string it stands in, if any. */
export function cursorIn(prefix: string, suffix: string, languageId: string, lineCount?: number, openAtStart?: OpenAt, openFrom?: number): CursorContext {
  const cursor = describeCursor(prefix, suffix, lineCount);
  const inString = stringAtCursor(prefix, languageId, openAtStart, openFrom);
  return inString ? { ...cursor, inString } : cursor;
}

/**
 * `opensBlock` for a line at the cursor: inside a multi-line string no line opens a block. The line is the
 * cursor's own (as typed, or with the answer's first line), whose text before is `cursor.textBefore`; for the
 * line above it, pass `textBeforeLineAbove(cursor)`.
 */
export function opensBlockAtCursor(line: string, cursor: CursorContext, languageId: string, textBefore = cursor.textBefore): boolean {
  return !cursor.inString && opensBlock(line, languageId, textBefore);
}

/** The text before the nearest non-blank line above the cursor's (blank lines passed over), when the cursor has its text before. */
export function textBeforeLineAbove(cursor: CursorContext): string | undefined {
  return cursor.textBefore === undefined ? undefined : (splitAtLastLine(cursor.textBefore)?.before ?? '');
}

/**
 * The line's content goes on below it: a block opener, a shell line ending in a joining backslash, or, inside a string
 * that is not verbatim (a docstring), a line ending with `:` (`Args:`,
 * `Returns:`, `The keys are:`), whose items follow. Below such a line a
 * suggestion is asked for several lines and keeps its leading line break,
 * but a docstring's line is not a block's head: the lines after it are
 * neither re-indented under it nor cut where they come back to its indentation.
 */
export function leadsIntoNextLines(line: string, cursor: CursorContext, languageId: string, textBefore = cursor.textBefore): boolean {
  if (cursor.inString) return !cursor.inString.verbatim && line.trimEnd().endsWith(':');
  // A shell command continued by a backslash goes on below as surely as a block's body does.
  return opensBlock(line, languageId, textBefore) || (languageId === 'shellscript' && continuesOnNextLine(line));
}

/** What is open at the cursor. */
export interface StringAtCursor {
  /**
   * The string's whitespace is its content, as in a template literal or a Go
   * raw string: its lines must reach the file as the model wrote them, never
   * re-indented. A docstring's common indentation is not content (Python's
   * inspect.cleandoc removes it), so a docstring's lines are indented as code's are.
   */
  verbatim: boolean;
  /** A shell heredoc's text (verbatim): where it ends is a line of its own, not a closing quote. */
  heredoc?: OpenHeredoc;
}

/**
 * What is open at a place in a file, as far as these rules read it: for
 * Python the triple-quoted string, for JavaScript/TypeScript and Go the
 * template literals (or raw string) and a block comment. Line comments and
 * one-line strings end at their line, so a line start never needs them.
 */
export interface OpenAt {
  /** Python: the triple quote of the string open there; '' in code. */
  quote: string;
  /** JavaScript/Go: per open template, outermost first, the depth of braces inside its current `${…}`, or -1 in its text. */
  templates: readonly number[];
  /** JavaScript/Go: inside a `/* … *\/` comment. */
  comment: boolean;
}

/** The start of a file: code, nothing open. */
export const NOTHING_OPEN: OpenAt = Object.freeze({ quote: '', templates: Object.freeze([]) as readonly number[], comment: false });

/**
 * How far back from the cursor the prefix is read when what is open at its
 * start is not known: a string opened further up than this (a docstring or
 * template of more than 16,000 characters) is missed, and its lines taken for
 * code. Given what is open at the prefix's start (`openAt`), the whole prefix
 * is read instead. Read once per request, not per keystroke served from the cache.
 */
const STRING_SCAN_CHARS = 16_000;

type Syntax = 'python' | 'javascript' | 'go';

// No prototype: looked up by a document's language id, which may be "constructor" or "toString".
const SYNTAX: Record<string, Syntax> = Object.assign(Object.create(null) as Record<string, Syntax>, {
  python: 'python',
  cython: 'python',
  starlark: 'python',
  mojo: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'javascript',
  typescriptreact: 'javascript',
  go: 'go',
});

/** True for the languages whose multi-line strings these rules know. */
export function readsStrings(languageId: string): boolean {
  return SYNTAX[languageId] !== undefined;
}

/**
 * What is open at the end of `text`, given what was open at its start;
 * undefined for a language not known here. For reading a document in pieces.
 */
export function openAfter(text: string, languageId: string, atStart: OpenAt): OpenAt | undefined {
  const syntax = SYNTAX[languageId];
  if (!syntax) return undefined;
  return scan(text, 0, syntax, atStart);
}

/**
 * What is open at the end of `text`, which may end inside a line (a window
 * that starts in a very long line), given what was open at its start:
 * undefined when it ends inside a one-line string or a line comment, which
 * `OpenAt` cannot say (they end at their line, so a line start never needs
 * them), or for a language not known here.
 */
export function openBefore(text: string, languageId: string, atStart: OpenAt): OpenAt | undefined {
  const syntax = SYNTAX[languageId];
  if (!syntax) return undefined;
  const end = { inLine: false };
  const open = scan(text, 0, syntax, atStart, end);
  return end.inLine ? undefined : open;
}

/** Set by a scan that stops inside a one-line string or a line comment. */
interface ScanEnd {
  inLine: boolean;
}

/** The last answer, by the identity of its inputs: the engine and post-processing ask for the same prefix in turn. */
let last: { prefix: string; languageId: string; openAtStart: OpenAt | undefined; openFrom: number; found: StringAtCursor | undefined } | undefined;

/**
 * The multi-line string open at the end of `prefix`, or undefined in code, a
 * comment, or a language not known here. `openAtStart` is what is open where
 * the prefix starts (or at `openFrom` in it), when the caller knows (it read the file from its start);
 * without it the prefix's last STRING_SCAN_CHARS are read as if they started in code. The text before
 * `openFrom` (a notebook's cells above the cursor's, each a script of its own) is not read.
 */
export function stringAtCursor(prefix: string, languageId: string, openAtStart?: OpenAt, openFrom = 0): StringAtCursor | undefined {
  if (last && last.prefix === prefix && last.languageId === languageId && last.openAtStart === openAtStart && last.openFrom === openFrom) return last.found;
  const found = findString(prefix, languageId, openAtStart, openFrom);
  last = { prefix, languageId, openAtStart, openFrom, found };
  return found;
}

function findString(prefix: string, languageId: string, openAtStart: OpenAt | undefined, openFrom: number): StringAtCursor | undefined {
  if (languageId === 'shellscript') return heredocAtCursor(prefix);
  const syntax = SYNTAX[languageId];
  if (!syntax) return undefined;
  let start = Math.min(Math.max(0, openFrom), prefix.length);
  if (!openAtStart) {
    start = Math.max(0, prefix.length - STRING_SCAN_CHARS);
    // Start at a line start, so the scan does not begin inside a line's string or comment.
    if (start > 0) {
      const lineStart = prefix.indexOf('\n', start);
      if (lineStart === -1) return undefined;
      start = lineStart + 1;
    }
  }
  const open = scan(prefix, start, syntax, openAtStart ?? NOTHING_OPEN);
  if (syntax === 'python') return open.quote ? { verbatim: false } : undefined;
  return !open.comment && open.templates.at(-1) === -1 ? { verbatim: true } : undefined;
}

/**
 * The shell heredoc whose text the cursor stands in: its lines are text, as a template literal's are. Read from the
 * first line start in the prefix's last STRING_SCAN_CHARS, as code: a heredoc opened further up is missed.
 */
function heredocAtCursor(prefix: string): StringAtCursor | undefined {
  let start = Math.max(0, prefix.length - STRING_SCAN_CHARS);
  if (start > 0) start = prefix.indexOf('\n', start) + 1;
  if (start === 0 && prefix.length > STRING_SCAN_CHARS) return undefined;
  const heredoc = scanHeredocs(start === 0 ? prefix : prefix.slice(start));
  return heredoc ? { verbatim: true, heredoc } : undefined;
}

function scan(text: string, start: number, syntax: Syntax, atStart: OpenAt, end?: ScanEnd): OpenAt {
  if (syntax === 'python') {
    const quote = scanPython(text, start, atStart.quote, end);
    return quote === atStart.quote && atStart.templates.length === 0 && !atStart.comment ? atStart : { quote, templates: [], comment: false };
  }
  return scanBraced(text, start, syntax, atStart, end);
}

const TRIPLE_DOUBLE = '"""';
const TRIPLE_SINGLE = "'''";

/**
 * The triple quote of the string open at the end of `text` ('' in code),
 * reading from `start` with `quote` open there. Comments and one-line strings are skipped.
 */
function scanPython(text: string, start: number, quote: string, ended?: ScanEnd): string {
  let i = start;
  for (;;) {
    if (quote) {
      const end = stringEnd(text, i, quote, true);
      if (end === -1) return quote;
      i = end;
      quote = '';
    }
    if (i >= text.length) return '';
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end === -1) return endsInLine(ended, '');
      i = end + 1;
    } else if (c === '"' || c === "'") {
      const triple = c === '"' ? TRIPLE_DOUBLE : TRIPLE_SINGLE;
      if (text.startsWith(triple, i)) {
        quote = triple;
        i += 3;
        continue;
      }
      // A one-line string ends at its line's end (an unclosed one is a typo, not a string to carry on).
      const end = stringEnd(text, i + 1, c, false);
      if (end === -1) return endsInLine(ended, '');
      i = end;
    } else {
      i++;
    }
  }
}

/**
 * Where a Python string whose text starts at `i` ends: after its closing
 * quote, or (a one-line string) after the line break that ends it; -1 when it
 * runs to the end of `text`. A backslash escapes the next character, in a raw
 * string too (r"\"" is one string).
 */
function stringEnd(text: string, i: number, close: string, multiLine: boolean): number {
  while (i < text.length) {
    const d = text[i];
    if (d === '\\') i += 2;
    else if (text.startsWith(close, i)) return i + close.length;
    else if (d === '\n' && !multiLine) return i + 1;
    else i++;
  }
  return -1;
}

/**
 * What is open at the end of `text` for a backtick string: a template literal
 * (whose `${…}` holds code again, braces nested) or a Go raw string (no
 * escapes, no interpolation). `//` comments and one-line quoted strings are
 * skipped; a `/* *\/` comment still open at the end is said so.
 */
function scanBraced(text: string, start: number, syntax: 'javascript' | 'go', atStart: OpenAt, ended?: ScanEnd): OpenAt {
  const templates = [...atStart.templates];
  // Read by character codes: this runs over the whole prefix on every request, and `text[i]` costs more.
  const escapes = syntax === 'javascript';
  let i = start;
  if (atStart.comment) {
    const end = text.indexOf('*/', i);
    if (end === -1) return atStart;
    i = end + 2;
  }
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const top = templates.length - 1;
    if (top >= 0 && templates[top] === -1) {
      // Inside a template's (or raw string's) text.
      if (c === BACKTICK) templates.pop();
      else if (escapes && c === BACKSLASH) i++;
      else if (escapes && c === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) {
        templates[top] = 0;
        i++;
      }
      i++;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf('\n', i);
      if (end === -1) {
        endsInLine(ended, '');
        break;
      }
      i = end + 1;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return { quote: '', templates, comment: true };
      i = end + 2;
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === c || d === NEWLINE) break;
        i += d === BACKSLASH ? 2 : 1;
      }
      if (i >= text.length) endsInLine(ended, '');
      i++;
    } else if (c === BACKTICK) {
      templates.push(-1);
      i++;
    } else {
      if (top >= 0) {
        if (c === OPEN_BRACE) templates[top] = (templates[top] as number) + 1;
        else if (c === CLOSE_BRACE) templates[top] = (templates[top] as number) === 0 ? -1 : (templates[top] as number) - 1;
      }
      i++;
    }
  }
  return { quote: '', templates, comment: false };
}

const NEWLINE = 10;
const DOUBLE_QUOTE = 34;
const DOLLAR = 36;
const SINGLE_QUOTE = 39;
const STAR = 42;
const SLASH = 47;
const BACKSLASH = 92;
const BACKTICK = 96;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Notes that a scan stopped inside a one-line string or a line comment; returns `value`. */
function endsInLine<T>(ended: ScanEnd | undefined, value: T): T {
  if (ended) ended.inLine = true;
  return value;
}
