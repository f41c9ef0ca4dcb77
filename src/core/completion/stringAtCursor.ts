/**
 * Whether the cursor stands inside a string that spans lines: a Python
 * docstring, a JavaScript/TypeScript template literal, a Go raw string.
 * There a line is text, not code: `Args:` or `Returns:` ending a docstring
 * line opens no block, and `{` ending a line of a template's HTML opens none.
 */

import { opensBlock } from './languages';
import { describeCursor, type CursorContext } from './textWindow';

/** The lines around the cursor, with the multi-line string it stands in, if any. */
export function cursorIn(prefix: string, suffix: string, languageId: string, lineCount?: number): CursorContext {
  const cursor = describeCursor(prefix, suffix, lineCount);
  const inString = stringAtCursor(prefix, languageId);
  return inString ? { ...cursor, inString } : cursor;
}

/**
 * `opensBlock` for a line at the cursor (its own, or one just above or
 * before it): inside a multi-line string no line opens a block.
 */
export function opensBlockAtCursor(line: string, cursor: CursorContext, languageId: string): boolean {
  return !cursor.inString && opensBlock(line, languageId);
}

/**
 * The line's content goes on below it: a block opener, or, inside a string
 * that is not verbatim (a docstring), a line ending with `:` (`Args:`,
 * `Returns:`, `The keys are:`), whose items follow. Below such a line a
 * suggestion is asked for several lines and keeps its leading line break,
 * but a docstring's line is not a block's head: the lines after it are
 * neither re-indented under it nor cut where they come back to its indentation.
 */
export function leadsIntoNextLines(line: string, cursor: CursorContext, languageId: string): boolean {
  if (cursor.inString) return !cursor.inString.verbatim && line.trimEnd().endsWith(':');
  return opensBlock(line, languageId);
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
}

/**
 * How far back from the cursor the prefix is read. A string opened further
 * up than this (a docstring or template of more than 16,000 characters) is
 * missed, and its lines taken for code, as they all were before. Read once per
 * request, not per keystroke served from the cache.
 */
const STRING_SCAN_CHARS = 16_000;

type Syntax = 'python' | 'javascript' | 'go';

const SYNTAX: Record<string, Syntax> = {
  python: 'python',
  cython: 'python',
  starlark: 'python',
  mojo: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'javascript',
  typescriptreact: 'javascript',
  go: 'go',
};

/** The multi-line string open at the end of `prefix`, or undefined in code, a comment, or a language not known here. */
export function stringAtCursor(prefix: string, languageId: string): StringAtCursor | undefined {
  const syntax = SYNTAX[languageId];
  if (!syntax) return undefined;
  let start = Math.max(0, prefix.length - STRING_SCAN_CHARS);
  // Start at a line start, so the scan does not begin inside a line's string or comment.
  if (start > 0) {
    const lineStart = prefix.indexOf('\n', start);
    if (lineStart === -1) return undefined;
    start = lineStart + 1;
  }
  if (syntax === 'python') return scanPython(prefix, start) ? { verbatim: false } : undefined;
  return scanBraced(prefix, start, syntax) ? { verbatim: true } : undefined;
}

/** True when a triple-quoted string is open at the end of `text`. Comments and one-line strings are skipped. */
function scanPython(text: string, start: number): boolean {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      if (end === -1) return false;
      i = end + 1;
      continue;
    }
    if (c !== '"' && c !== "'") {
      i++;
      continue;
    }
    const triple = text.startsWith(c.repeat(3), i);
    const close = triple ? c.repeat(3) : c;
    i += close.length;
    // A backslash escapes the next character, in a raw string too (r"\"" is one string).
    while (i < text.length) {
      const d = text[i];
      if (d === '\\') i += 2;
      else if (text.startsWith(close, i)) break;
      // A one-line string ends at its line's end (an unclosed one is a typo, not a string to carry on).
      else if (d === '\n' && !triple) break;
      else i++;
    }
    if (i >= text.length) return triple;
    i += text[i] === '\n' ? 1 : close.length;
  }
  return false;
}

/**
 * True when a backtick string is open at the end of `text`: a template literal
 * (whose `${…}` holds code again, braces nested) or a Go raw string (no
 * escapes, no interpolation). `//` and `/* *\/` comments and one-line quoted
 * strings are skipped.
 */
function scanBraced(text: string, start: number, syntax: 'javascript' | 'go'): boolean {
  /** Per open template: the depth of braces inside its current `${…}`, or -1 while in its text. */
  const templates: number[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i] as string;
    const top = templates.length - 1;
    if (top >= 0 && templates[top] === -1) {
      // Inside a template's (or raw string's) text.
      if (c === '`') templates.pop();
      else if (syntax === 'javascript' && c === '\\') i++;
      else if (syntax === 'javascript' && c === '$' && text[i + 1] === '{') {
        templates[top] = 0;
        i++;
      }
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      if (end === -1) return false;
      i = end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return false;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      templates.push(-1);
      i++;
    } else {
      if (top >= 0) {
        if (c === '{') templates[top] = (templates[top] as number) + 1;
        else if (c === '}') templates[top] = (templates[top] as number) === 0 ? -1 : (templates[top] as number) - 1;
      }
      i++;
    }
  }
  return templates.length > 0 && templates[templates.length - 1] === -1;
}
