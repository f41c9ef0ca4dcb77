/**
 * A shell line that ends with `)` alone (`  start)`, `  b)`) is either a `case` arm's pattern, whose commands go on
 * the lines below it, or the close of a bracket opened above: an array written one item a line (`arr=(` … `  b)`),
 * a `$(` … `)` command substitution. The line alone cannot tell them apart; the text before it can. Read backwards
 * from the line: an arm stands inside a `case … in` not yet closed by `esac`, with no `(` left open between.
 */

import { withoutHeredocText } from './shellHeredoc';

/** A quoted string on one line (its brackets are text), and an escaped character (`\(` in `find`'s arguments). */
const QUOTED = /(["'`])(?:\\.|(?!\1).)*\1|\\./g;
/** A `#` comment: at the line's start or after a blank (`$#` and `${#a}` are not comments). */
const COMMENT = /(?:^|\s)#.*$/;

/**
 * Whether a line ending with a lone `)` (no other bracket before it but an optional leading `(`) is a `case`
 * arm, given `textBefore`, the document's text before that line. Only `textBefore` is read, backwards, and it is
 * already bounded by the caller's window (the cursor's, `LINE_SCAN_LIMIT` characters): an arm further than that
 * from its `case` is read as no arm, the safe side (its body is then left where the model put it). A `case … esac`
 * closed above is passed over whole, its arms' `)` with it (`kind=$(case … esac)` inside an arm's body).
 */
export function isCaseArmAfter(before: string): boolean {
  // A heredoc's text is no code: a `case x in` or a `(` in it opens nothing.
  const textBefore = withoutHeredocText(before);
  // The line's own `)`, not yet matched by a `(` above it.
  let unmatched = 1;
  const cases = { closed: 0 };
  let end = textBefore.endsWith('\n') ? textBefore.length - 1 : textBefore.length;
  while (end >= 0) {
    const start = end > 0 ? textBefore.lastIndexOf('\n', end - 1) + 1 : 0;
    const line = shellCode(textBefore.slice(start, end));
    end = start - 1;
    for (const part of partsOutsideClosedCases(line, cases)) {
      // The `case … in` the line is an arm of, with no `(` left open between (`kind=$(case "$1" in` above `a)`).
      if (part === CASE_OPEN) return true;
      for (let i = part.length - 1; i >= 0; i--) {
        const c = part.charCodeAt(i);
        if (c === CLOSE) unmatched++;
        else if (c === OPEN && --unmatched === 0) return false;
      }
    }
  }
  return false;
}

/**
 * The line whose `(` the shell line `line` closes, reading `previousLines` (nearest last) upwards, with the arms of a
 * `case … esac` between passed over (their patterns' `)` close nothing: `esac)` below `kind=$(` ends the
 * substitution). Undefined when `line` closes no `(` opened there.
 */
export function shellOpenerOf(line: string, previousLines: readonly string[]): string | undefined {
  let unclosed = 0;
  const cases = { closed: 0 };
  for (let i = previousLines.length; i >= 0; i--) {
    const text = i === previousLines.length ? line : (previousLines[i] as string);
    for (const part of partsOutsideClosedCases(shellCode(text), cases)) {
      if (part === CASE_OPEN) continue;
      for (let at = part.length - 1; at >= 0; at--) {
        const c = part.charCodeAt(at);
        if (c === CLOSE) unclosed++;
        else if (c === OPEN) unclosed--;
      }
    }
    if (i === previousLines.length && unclosed <= 0) return undefined;
    if (i < previousLines.length && unclosed <= 0) return text;
  }
  return undefined;
}

/** Stands in `partsOutsideClosedCases`'s answer for a `case … in` that no `esac` read so far closes. */
const CASE_OPEN = '\0case';

/** `esac` and `case WORD in` as words of a line's code (`$(case "$1" in`, `;; esac)`); WORD's quotes are gone. */
const CASE_WORDS = /(?<=^|[\s;(|&])(?:esac\b|case\s.*?\sin(?=[\s;]|$))/g;

/**
 * The parts of a line's code (read from its end back, as the callers read upwards) outside every `case … esac` that
 * `cases.closed` counts as closed below: an `esac` opens one (reading backwards), its `case … in` ends it. A
 * `case … in` with none open below is returned as CASE_OPEN, in its place. Updates `cases.closed`.
 */
function partsOutsideClosedCases(code: string, cases: { closed: number }): string[] {
  const parts: string[] = [];
  let end = code.length;
  const words = [...code.matchAll(CASE_WORDS)];
  for (let w = words.length - 1; w >= -1; w--) {
    const word = words[w];
    const start = word ? word.index + word[0].length : 0;
    if (cases.closed === 0) parts.push(code.slice(start, end));
    if (!word) break;
    end = word.index;
    if (word[0] === 'esac') cases.closed++;
    else if (cases.closed > 0) cases.closed--;
    else parts.push(CASE_OPEN);
  }
  return parts;
}

const OPEN = 0x28;
const CLOSE = 0x29;

/** A line's code as far as its brackets and keywords go: without its strings, escapes, comment and trailing blanks. */
export function shellCode(line: string): string {
  return line.replace(QUOTED, '').replace(COMMENT, '').trimEnd();
}

/**
 * The text before the last non-blank line of `textBefore` (the line above the cursor's, blank lines passed over),
 * and that line; undefined when there is none.
 */
export function splitAtLastLine(textBefore: string): { before: string; line: string } | undefined {
  let end = textBefore.length;
  while (end > 0) {
    const lineEnd = textBefore.charCodeAt(end - 1) === 0x0a ? end - 1 : end;
    const start = lineEnd > 0 ? textBefore.lastIndexOf('\n', lineEnd - 1) + 1 : 0;
    const line = textBefore.slice(start, lineEnd);
    if (line.trim() !== '') return { before: textBefore.slice(0, start), line };
    if (start === 0) return undefined;
    end = start;
  }
  return undefined;
}
