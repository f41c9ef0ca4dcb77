/**
 * Where a multi-line answer leaves the cursor's block: cut there, so the
 * suggestion fills the block and does not run on into the code around it.
 */
import { closesBlock, continuesStatement } from './languages';
import { startOfStatementEndedBy, statementStart } from './reindent';
import { opensBlockAtCursor, textBeforeLineAbove } from './stringAtCursor';
import { indentWidth, isBlank, leadingWhitespace, type CursorContext } from './textWindow';

/**
 * Keeps a multi-line answer inside the cursor's block. Stops at the first line
 * that: repeats the first line after the cursor (the model ran into existing
 * code), is indented less than the cursor's line (it belongs to an enclosing
 * block), or follows the close of the block opened on the cursor's line (the
 * closing line itself is kept, unless the text after the cursor closes it).
 * Where `:` opens blocks, a clause that goes on the statement whose body the
 * answer starts (`else:` after `if x:`) is no such line: it and its body stay.
 */
export function cutAtBlockEnd(text: string, cursor: CursorContext, languageId: string): string {
  const lines = text.split('\n');
  if (cursor.inString?.verbatim) return cutInVerbatimString(lines, cursor);
  const cursorLine = cursor.linePrefix + (lines[0] ?? '');
  const fillsBody = opensBlockAtCursor(cursorLine, cursor, languageId) && !isBlank(cursorLine);
  // The block of a header written over several lines is at the indentation of its first line.
  const base = indentWidth(fillsBody ? statementStart(cursorLine, cursor, languageId) : statementEndedBy(cursorLine, cursor, languageId));
  const restOfLine = cursor.lineSuffix.trim();
  const nextCode = cursor.nextLines.find((line) => !isBlank(line));
  const header = fillsBody ? cursorLine : headerAbove(cursor, languageId);
  const headerIndent = header === undefined ? base : indentWidth(header);
  let clauseTaken = false;

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isBlank(line)) continue;
    if (restOfLine && line.trim() === restOfLine) {
      // The text after the cursor closes this block: end with the line break and indentation it needs.
      return [...lines.slice(0, i), leadingWhitespace(line)].join('\n');
    }
    if (!restOfLine && nextCode !== undefined && line.trimEnd() === nextCode.trimEnd()) return lines.slice(0, i).join('\n');
    const indent = indentWidth(line);
    if (header !== undefined && indent === headerIndent && continuesStatement(header, line, languageId)) {
      clauseTaken = true;
      continue;
    }
    // A clause's body below a header above the cursor stands deeper than that header, not than the cursor.
    if (indent < base && !(clauseTaken && indent > headerIndent)) return lines.slice(0, i).join('\n');
    if (indent === base && fillsBody) {
      return closesBlock(line) ? lines.slice(0, i + 1).join('\n') : lines.slice(0, i).join('\n');
    }
  }
  return text;
}

/**
 * Where the cursor's block stands when the answer fills no block opened on the cursor's line: the cursor's
 * indentation, or, when the line closes brackets opened above (`  b)` closing `arr=(`), the indentation of the line
 * that opened them, where the lines after the statement go.
 */
function statementEndedBy(cursorLine: string, cursor: CursorContext, languageId: string): string {
  const start = startOfStatementEndedBy(cursorLine, cursor, languageId);
  return start === cursorLine ? cursor.linePrefix : start;
}

/**
 * The block header the cursor's empty line is the first of the body of (the
 * line above, less indented, opens a block), or undefined.
 */
function headerAbove(cursor: CursorContext, languageId: string): string | undefined {
  if (!isBlank(cursor.linePrefix) || !isBlank(cursor.lineSuffix)) return undefined;
  const above = cursor.previousLines.findLast((line) => !isBlank(line));
  if (above === undefined || indentWidth(above) >= indentWidth(cursor.linePrefix)) return undefined;
  return opensBlockAtCursor(above, cursor, languageId, textBeforeLineAbove(cursor)) ? above : undefined;
}

/**
 * Whether the answer's line `i` ends the string the cursor is in: a heredoc's delimiter alone on its line (tabs
 * before it for `<<-`), the first line read with what is before the cursor (at an empty line of the heredoc's text,
 * an answer may start with the delimiter; the line that opens one is never its delimiter); else a backtick without a
 * backslash before it.
 */
function closesVerbatimString(line: string, i: number, cursor: CursorContext): boolean {
  const heredoc = cursor.inString?.heredoc;
  if (!heredoc) return /(?:^|[^\\])`/.test(line);
  const whole = i === 0 ? cursor.linePrefix + line : line;
  return (heredoc.stripsTabs ? whole.replace(/^\t+/, '') : whole) === heredoc.delimiter;
}

/**
 * `cutAtBlockEnd` inside a template literal or a Go raw string, whose
 * indentation is its text (SQL's `FROM` at column 0 below `  SELECT id,`), not
 * a block's: no line is cut for its indentation. The answer stops before a
 * repeat of what follows the cursor, and after the line that closes the
 * string (see closesVerbatimString); what comes after that
 * line is code whose block this cut cannot read from inside the string.
 */
function cutInVerbatimString(lines: string[], cursor: CursorContext): string {
  const restOfLine = cursor.lineSuffix.trim();
  const nextCode = cursor.nextLines.find((line) => !isBlank(line));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (i > 0 && !isBlank(line)) {
      if (restOfLine && line.trim() === restOfLine) return [...lines.slice(0, i), leadingWhitespace(line)].join('\n');
      if (!restOfLine && nextCode !== undefined && line.trimEnd() === nextCode.trimEnd()) return lines.slice(0, i).join('\n');
    }
    if (closesVerbatimString(line, i, cursor)) return lines.slice(0, i + 1).join('\n');
  }
  return lines.join('\n');
}
