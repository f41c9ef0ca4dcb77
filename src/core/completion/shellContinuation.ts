/**
 * A shell command written over several lines with a backslash at each line's end (`docker run \` above `  --rm \`
 * above `  image`): its later lines are continuations, indented deeper than the line the command starts on, and the
 * line after its last one goes back to that line's indentation. The generic rules read each line alone, so they put
 * an answer's continuation lines at the command's indentation, and the next command at the continuations'.
 */
import { shellCode } from './shellCase';
import { indentWidth, isBlank, leadingWhitespace, type CursorContext } from './textWindow';

/**
 * Ends with a backslash that joins the next line: one not itself escaped (`echo \\` ends with a backslash printed),
 * and not in a comment (`# see a\b \`).
 */
export function continuesOnNextLine(line: string): boolean {
  // Strings, escaped characters (`\\` among them) and the comment out first: a backslash left at the end is a lone one.
  return shellCode(line).endsWith('\\');
}

/**
 * The line the command that `line` belongs to starts on: walking up `cursor.previousLines` while the line above ends
 * with a joining backslash; `line` itself when the line above does not (or there is none in sight).
 */
export function startOfContinuedCommand(line: string, cursor: CursorContext): string {
  let start = line;
  for (let i = cursor.previousLines.length - 1; i >= 0; i--) {
    const above = cursor.previousLines[i] as string;
    if (!continuesOnNextLine(above)) break;
    start = above;
  }
  return start;
}

/**
 * Re-indents an answer's lines after `head` (the cursor's line as it will read, ending with a joining backslash):
 * the lines that go on the command at its continuations' indentation (the head's own when the head is a
 * continuation already, else one `unit` deeper than the command's first line), and the lines from the one after the
 * command's last on at the command's indentation, keeping their indentation relative to the first of them.
 * `lines[0]` is the rest of the head and is kept. Undefined when `head` does not end with a joining backslash.
 */
export function indentContinuationLines(lines: readonly string[], head: string, cursor: CursorContext, unit: string): string[] | undefined {
  if (!continuesOnNextLine(head)) return undefined;
  const start = startOfContinuedCommand(head, cursor);
  const commandIndent = leadingWhitespace(start);
  const continuationIndent = start === head ? commandIndent + unit : leadingWhitespace(head);
  const out = [...lines];
  let continued = true;
  let i = 1;
  for (; i < out.length && continued; i++) {
    const line = out[i] as string;
    // A blank line ends the command: the backslash joined the line to an empty one.
    if (isBlank(line)) {
      continued = false;
      continue;
    }
    out[i] = continuationIndent + line.trimStart();
    continued = continuesOnNextLine(line);
  }
  const firstAfter = out.findIndex((line, at) => at >= i && !isBlank(line));
  if (firstAfter === -1) return out;
  // The model's own indentation of the next command: its lines move with it to the command's indentation.
  const own = leadingWhitespace(out[firstAfter] as string);
  if (indentWidth(own) === indentWidth(commandIndent)) return out;
  for (let at = firstAfter; at < out.length; at++) {
    const line = out[at] as string;
    if (!isBlank(line) && line.startsWith(own)) out[at] = commandIndent + line.slice(own.length);
  }
  return out;
}
