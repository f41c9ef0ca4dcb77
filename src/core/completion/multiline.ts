import { closesBlock, codeOfLine, isCommentLine } from './languages';
import { leadsIntoNextLines, textBeforeLineAbove } from './stringAtCursor';
import { indentWidth, isBlank, type CursorContext } from './textWindow';

export type MultilineMode = 'auto' | 'always' | 'never';

/**
 * The only text that may follow the cursor on its line for a completion to
 * make sense: closing brackets, quotes and punctuation. Anything else means
 * the cursor sits inside existing code, where ghost text mostly gets in the
 * way, so no request is worth paying for.
 */
const COMPLETABLE_LINE_SUFFIX = /^[\s)\]}>'"`;,:.]*$/;

export function isCompletablePosition(lineSuffix: string): boolean {
  return COMPLETABLE_LINE_SUFFIX.test(lineSuffix);
}

/**
 * Whether to ask for (and keep) more than the rest of the current line.
 * Only looks at the few lines around the cursor that `describeCursor` read.
 *
 * Multi-line: right after a block opener (`{`, `(`, `[`, `=>`, `:` in Python,
 * `do`, `then`), on an empty line after an opener (an empty body) or after a
 * comment (which usually describes the code to come), and on an empty line
 * where the block ends (the next line is less indented or closes a block) or
 * at the end of the file. Single-line everywhere else, notably mid-line.
 */
export function decideMultiline(cursor: CursorContext, languageId: string, mode: MultilineMode): boolean {
  if (mode !== 'auto') return mode === 'always';
  const { linePrefix, lineSuffix } = cursor;

  if (!isBlank(linePrefix)) {
    // Text after the cursor other than closers means the cursor is inside a line.
    if (!isBlank(lineSuffix) && !/^[\s)\]}]*$/.test(lineSuffix)) return false;
    return leadsIntoNextLines(linePrefix, cursor, languageId);
  }
  if (!isBlank(lineSuffix)) return false;

  const previous = lastNonBlank(cursor.previousLines);
  if (previous !== undefined && (leadsIntoNextLines(previous, cursor, languageId, textBeforeLineAbove(cursor)) || isCommentLine(previous))) return true;

  const next = cursor.nextLines.find((line) => !isBlank(line));
  if (next === undefined) return true;
  return indentWidth(next) < indentWidth(linePrefix) || closesBlock(next);
}

/** How a finished line ends in any language: a statement or list item, or a closed call or block. */
const FINISHED_LINE = /[;,)\]}]$/;

/**
 * A line ending with `:` that is finished, by language. In Go every such line
 * is (a composite literal's key, `Flags:` with its value on the next line, a
 * `case`, a label): what follows starts a line of its own. Where a `switch`
 * has `case x:` and `default:` (C, C++, C#, Java, JavaScript, TypeScript,
 * PHP, Swift, Dart) those lines are, and C++'s `public:`; any other `:` there
 * ends a line mid-expression (an object key, a type annotation, a ternary's
 * `:`) whose value may follow. Where `:` opens a block (Python) or a YAML key's
 * value, the line leads into the next ones instead (see `opensBlock`).
 */
const CASE_LINE = /^\s*(?:case\b.*|default\s*):$/;
const ACCESS_LINE = /^\s*(?:public|private|protected)\s*:$/;
const SWITCH_CASE_LANGUAGES = new Set([
  'c', 'cpp', 'csharp', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'php', 'swift', 'dart', 'objective-c', 'objective-cpp',
]);

function endsWithFinishingColon(line: string, languageId: string): boolean {
  if (!line.endsWith(':')) return false;
  if (languageId === 'go') return true;
  if (!SWITCH_CASE_LANGUAGES.has(languageId)) return false;
  return CASE_LINE.test(line) || ((languageId === 'cpp' || languageId === 'objective-cpp') && ACCESS_LINE.test(line));
}

/**
 * `line` is finished: what follows it starts a line of its own. Read by its code's last character, so a comment
 * after it (`x = load()  # cached`, `foo(); // why`) leaves it finished.
 */
function isFinishedLine(line: string, languageId: string): boolean {
  if (isCommentLine(line)) return false;
  const code = codeOfLine(line, languageId);
  return FINISHED_LINE.test(code) || endsWithFinishingColon(code, languageId);
}

/**
 * At the end of a finished line, with nothing after the cursor on it, the
 * rest of that line is empty: what the user types next is a line break and
 * the next line. A request there asks for the lines that follow (the answer
 * starts with the line break), so the ghost text shows them, and after Enter
 * the answer is still there to serve, typed through.
 */
export function asksForNextLines(cursor: CursorContext, languageId: string): boolean {
  return endsFinishedLine(cursor, languageId) && !leavesBlock(cursor);
}

/** The cursor ends a finished line (see `isFinishedLine`), whatever follows it, with nothing after it on the line. */
export function endsFinishedLine(cursor: CursorContext, languageId: string): boolean {
  return isBlank(cursor.lineSuffix) && isFinishedLine(cursor.linePrefix, languageId);
}

/** A statement after which nothing in its block runs. */
const BLOCK_EXIT = /^\s*(?:return|throw|break|continue)\b/;

/**
 * The line leaves its block (`return`, `throw`, `break`, `continue`) and the
 * next line closes that block: any line suggested between them could never
 * run, and the user's next edit is elsewhere.
 */
function leavesBlock(cursor: CursorContext): boolean {
  if (!BLOCK_EXIT.test(cursor.linePrefix)) return false;
  const next = cursor.nextLines.find((line) => !isBlank(line));
  return next !== undefined && closesBlock(next);
}

/**
 * At the end of a statement closed with `;` (every bracket opened on the
 * line closed again, so not `for (let i = 0;`), with nothing after the
 * cursor on the line: the rest of that line is empty. A request for only the
 * rest of the line can bring nothing the user goes on to type there (they
 * press Enter or move elsewhere), so none is made.
 */
export function endsStatement(cursor: CursorContext): boolean {
  const line = cursor.linePrefix.trimEnd();
  return isBlank(cursor.lineSuffix) && line.endsWith(';') && !isCommentLine(line) && !leavesBracketOpen(line);
}

/** True when `line` opens a bracket it does not close (closers of earlier lines are ignored). */
function leavesBracketOpen(line: string): boolean {
  let open = 0;
  for (const c of line) {
    if (c === '(' || c === '[' || c === '{') open++;
    else if ((c === ')' || c === ']' || c === '}') && open > 0) open--;
  }
  return open > 0;
}

function lastNonBlank(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line !== undefined && !isBlank(line)) return line;
  }
  return undefined;
}
