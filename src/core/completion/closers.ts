/**
 * Brackets and quotes: what the answer closes that the text after the cursor
 * already closes, and the end of the cursor's line the answer repeats.
 */
import { commentSyntax } from './languages';
import { indentWidth, isBlank, type CursorContext } from './textWindow';

/** How much of the prefix is read to find the brackets still open at the cursor. */
export const BRACKET_SCAN_CHARS = 3_000;

/** What `cutDuplicateClosers` reads of the request. */
export interface ClosersContext {
  prefix: string;
  suffix: string;
  languageId: string;
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/**
 * Cuts the answer where it closes something the text after the cursor
 * already closes: the string the cursor is in, when the rest of the line
 * starts with its quote; or a bracket (opened before the cursor, or not opened
 * at all) that the suffix closes next. A closer on the cursor's line always
 * counts; one on a later line only when the answer's closer starts a line at
 * the same indentation (otherwise it closes a different block). Brackets in
 * strings and line comments do not count; strings end at line ends.
 */
export function cutDuplicateClosers(text: string, context: ClosersContext, cursor: CursorContext): string {
  const nextChar = firstNonBlankChar(context.suffix);
  const nextOnLine = cursor.lineSuffix.trimStart().charAt(0);
  const nextIsCloser = nextChar !== undefined && CLOSERS.has(nextChar);
  // Only a quote next on the line can close the cursor's string: without one, nor a closer next, nothing is cut, and
  // the prefix need not be scanned.
  if (!nextIsCloser && nextOnLine !== '"' && nextOnLine !== "'" && nextOnLine !== '`') return text;
  const lineComment = commentSyntax(context.languageId).line;
  const window = context.prefix.length > BRACKET_SCAN_CHARS ? context.prefix.slice(-BRACKET_SCAN_CHARS) : context.prefix;
  const atCursor = scanBrackets(window, lineComment);
  const closesString = atCursor.quote !== '' && nextOnLine === atCursor.quote;
  if (!closesString && !nextIsCloser) return text;
  const closerIndent = nextOnLine ? undefined : indentWidth(cursor.nextLines.find((line) => !isBlank(line)) ?? '');

  const stack = atCursor.stack.map((closer) => ({ closer, fromPrefix: true }));
  const scanner = new CodeScanner(text, lineComment, atCursor.quote);
  let quoteFromPrefix = atCursor.quote !== '';
  let lineIndent = indentWidth(cursor.linePrefix);
  let onlyBlanksSoFar = isBlank(cursor.linePrefix);
  for (let c = scanner.next(); c !== ''; c = scanner.next()) {
    if (c === '\n') {
      quoteFromPrefix = false;
      lineIndent = 0;
      onlyBlanksSoFar = true;
      continue;
    }
    if (onlyBlanksSoFar && (c === ' ' || c === '\t')) {
      lineIndent += c === '\t' ? 4 : 1;
      continue;
    }
    const startsLine = onlyBlanksSoFar;
    onlyBlanksSoFar = false;
    if (c === '"' || c === "'" || c === '`') {
      // A quote that leaves the scanner outside a string closed one.
      if (scanner.quote === '') {
        if (quoteFromPrefix && closesString) return text.slice(0, scanner.index);
        quoteFromPrefix = false;
      }
      continue;
    }
    const closer = OPENERS[c];
    if (closer) {
      stack.push({ closer, fromPrefix: false });
      continue;
    }
    if (!CLOSERS.has(c)) continue;
    const top = stack[stack.length - 1];
    const duplicate = c === nextChar && (closerIndent === undefined || (startsLine && lineIndent === closerIndent));
    if (top?.closer === c && !top.fromPrefix) stack.pop();
    else if (duplicate) return text.slice(0, scanner.index);
    else if (top?.closer === c) stack.pop();
  }
  return text;
}

/**
 * Brackets still open at the end of `text` (as the closers they need) and the quote still open on its last line.
 * Reads as CodeScanner does (strings end at line ends, a backslash in one escapes the next character, line comments
 * are skipped), in one loop over character codes: it runs over up to BRACKET_SCAN_CHARS of the prefix on every
 * completion, and a call and a one-character string per bracket, with a set lookup per character, cost more than
 * the rest of post-processing.
 */
export function scanBrackets(text: string, lineComment: string | undefined): { stack: string[]; quote: string } {
  const stack: string[] = [];
  const commentStart = lineComment ? lineComment.charCodeAt(0) : -1;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      quote = 0;
      continue;
    }
    if (quote !== 0) {
      if (c === BACKSLASH) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE || c === BACKTICK) {
      quote = c;
      continue;
    }
    if (c === commentStart && text.startsWith(lineComment!, i)) {
      const lineEnd = text.indexOf('\n', i);
      i = (lineEnd === -1 ? text.length : lineEnd) - 1;
      continue;
    }
    if (c === OPEN_PAREN) stack.push(')');
    else if (c === OPEN_SQUARE) stack.push(']');
    else if (c === OPEN_BRACE) stack.push('}');
    else if (c === CLOSE_PAREN || c === CLOSE_SQUARE || c === CLOSE_BRACE) {
      if (stack.length > 0 && (stack[stack.length - 1] as string).charCodeAt(0) === c) stack.pop();
    }
  }
  return { stack, quote: quote === 0 ? '' : String.fromCharCode(quote) };
}

const NEWLINE = 10;
const BACKSLASH = 92;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKTICK = 96;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_SQUARE = 91;
const CLOSE_SQUARE = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * Reads the answer's code character by character: strings (which end at a
 * line end; a backslash escapes the next character) and line comments are
 * skipped, except the quotes that open and close a string. `next()` returns
 * every other character. `scanBrackets` reads the prefix by the same rules.
 */
class CodeScanner {
  /** The quote of the string open after the last character returned; '' outside strings. */
  quote: string;
  /** Where the last character returned stands in the text. */
  index = -1;

  constructor(
    private readonly text: string,
    private readonly lineComment: string | undefined,
    quote = '',
  ) {
    this.quote = quote;
  }

  /** The next character of interest (see the class), or '' at the end. */
  next(): string {
    const { text, lineComment } = this;
    const commentStart = lineComment?.charAt(0);
    let quote = this.quote;
    let i = this.index + 1;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\n') {
        quote = '';
        break;
      }
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) {
          quote = '';
          break;
        }
        continue;
      }
      if (c === '"' || c === "'" || c === '`') {
        quote = c;
        break;
      }
      if (c === commentStart && text.startsWith(lineComment!, i)) {
        const lineEnd = text.indexOf('\n', i);
        i = (lineEnd === -1 ? text.length : lineEnd) - 1;
        continue;
      }
      break;
    }
    this.quote = quote;
    this.index = i;
    return i < text.length ? (text[i] as string) : '';
  }
}

export function firstNonBlankChar(text: string): string | undefined {
  const limit = Math.min(text.length, 1_000);
  for (let i = 0; i < limit; i++) {
    const c = text[i] as string;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return c;
  }
  return undefined;
}

/**
 * When the answer ends with the rest of the cursor's line (`;` after
 * `x = 1`, `"` closing a string), the line already has it. Only when what
 * remains keeps its own brackets balanced, so `foo(x)` before `x;` is not
 * mangled into `foo(`.
 */
export function trimRestOfLineOverlap(text: string, lineSuffix: string): string {
  const rest = lineSuffix.trim();
  if (!rest || text.includes('\n')) return text;
  const answer = text.trimEnd();
  for (let length = rest.length; length >= 1; length--) {
    const overlap = rest.slice(0, length);
    if (!answer.endsWith(overlap)) continue;
    const kept = answer.slice(0, answer.length - length);
    if (!kept.trim() || !bracketsBalanced(kept)) continue;
    return kept;
  }
  return text;
}

export function bracketsBalanced(text: string): boolean {
  const stack: string[] = [];
  for (const c of text) {
    const closer = OPENERS[c];
    if (closer) stack.push(closer);
    else if (CLOSERS.has(c) && stack.pop() !== c) return false;
  }
  return stack.length === 0;
}
