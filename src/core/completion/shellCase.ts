/**
 * A shell line that ends with `)` alone (`  start)`, `  b)`) is either a `case` arm's pattern, whose commands go on
 * the lines below it, or the close of a bracket opened above: an array written one item a line (`arr=(` … `  b)`),
 * a `$(` … `)` command substitution. The line alone cannot tell them apart; the text before it can. Read backwards
 * from the line: an arm stands inside a `case … in` not yet closed by `esac`, with no `(` left open between.
 */

import { withoutHeredocText } from './shellHeredoc';

/** `case WORD in` ending its line: the arms follow. */
const CASE_IN = /^\s*case\s.*\sin$/;
/** A line that closes a `case` (`esac`, `;; esac`). */
const ESAC = /(?:^|[\s;])esac$/;
/** A whole `case … esac` on one line: it encloses nothing below it. */
const ONE_LINE_CASE = /^\s*case\s.*(?:^|[\s;])esac$/;
/** A quoted string on one line (its brackets are text), and an escaped character (`\(` in `find`'s arguments). */
const QUOTED = /(["'`])(?:\\.|(?!\1).)*\1|\\./g;
/** A `#` comment: at the line's start or after a blank (`$#` and `${#a}` are not comments). */
const COMMENT = /(?:^|\s)#.*$/;

/**
 * Whether a line ending with a lone `)` (no other bracket before it but an optional leading `(`) is a `case`
 * arm, given `textBefore`, the document's text before that line. Only `textBefore` is read, backwards, and it is
 * already bounded by the caller's window (the cursor's, `LINE_SCAN_LIMIT` characters): an arm further than that
 * from its `case` is read as no arm, the safe side (its body is then left where the model put it).
 */
export function isCaseArmAfter(before: string): boolean {
  // A heredoc's text is no code: a `case x in` or a `(` in it opens nothing.
  const textBefore = withoutHeredocText(before);
  // The line's own `)`, not yet matched by a `(` above it.
  let unmatched = 1;
  let closedCases = 0;
  let end = textBefore.endsWith('\n') ? textBefore.length - 1 : textBefore.length;
  while (end >= 0) {
    const start = end > 0 ? textBefore.lastIndexOf('\n', end - 1) + 1 : 0;
    const code = shellCode(textBefore.slice(start, end));
    end = start - 1;
    if (code === '' || ONE_LINE_CASE.test(code)) continue;
    if (ESAC.test(code)) {
      closedCases++;
      continue;
    }
    for (let i = code.length - 1; i >= 0; i--) {
      const c = code.charCodeAt(i);
      if (c === CLOSE) unmatched++;
      else if (c === OPEN && --unmatched === 0) return false;
    }
    if (CASE_IN.test(code)) {
      if (closedCases === 0) return true;
      closedCases--;
    }
  }
  return false;
}

const OPEN = 0x28;
const CLOSE = 0x29;

/** A line's code as far as its brackets and keywords go: without its strings, escapes, comment and trailing blanks. */
function shellCode(line: string): string {
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
