import { closesBlock, colonOpensBlocks, dedentEndsBlocks, isShellCaseArm, opensBlock } from './languages';
import { shellOpenerOf } from './shellCase';
import { indentContinuationLines, startOfContinuedCommand } from './shellContinuation';
import { opensBlockAtCursor } from './stringAtCursor';
import { indentWidth, isBlank, leadingWhitespace, type CursorContext } from './textWindow';

/**
 * Chat models mostly indent with spaces whatever the file does. In a file
 * indented with tabs (Go, Makefiles, much C), an answer indented with spaces
 * would mix the two, and the block cut (which counts a tab as four columns)
 * would misjudge its lines. So the answer's lines after the first get the
 * file's tabs: the model's indent unit (4 or 2 spaces, read from the answer)
 * becomes one tab; spaces past a whole unit (alignment) are kept. The first
 * line continues the cursor's line after its indentation; when the cursor
 * stands in that indentation alone and the answer restates it in spaces,
 * those spaces go.
 */
export function matchTabIndentation(text: string, cursor: CursorContext, languageId: string): string {
  if (!indentsWithTabs(cursor, languageId)) return text;
  const lines = text.split('\n');
  const restatesIndent = isBlank(cursor.linePrefix) && cursor.linePrefix !== '';
  const first = restatesIndent ? 0 : 1;
  if (lines.length <= first) return text;
  const unit = spaceUnit(lines, first);
  if (unit === undefined) return text;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i] as string;
    const spaces = leadingWhitespace(line).length;
    if (spaces === 0) continue;
    const tabs = '\t'.repeat(Math.floor(spaces / unit)) + ' '.repeat(spaces % unit);
    if (i === 0) {
      if (tabs === cursor.linePrefix) lines[0] = line.slice(spaces);
      continue;
    }
    lines[i] = tabs + line.slice(spaces);
  }
  return lines.join('\n');
}

/**
 * A chat model often writes its answer as a snippet of its own: its lines
 * indented relative to where it starts, as if that line stood at column 0.
 * Inserted as they are, those lines fall out of the cursor's block (and the
 * block cut ends the suggestion there). The lines are read against a head
 * line: the answer's first line when the cursor stands in its line's
 * indentation, the cursor's own line when the answer starts with a line
 * break (the lines after a finished line, or the body after an opener), or
 * the cursor's line with the answer's first line when that continues it in
 * the middle of a line.
 * The lines after the head get the head's indentation added when they can
 * only be read as relative:
 * - after a head that opens a block, the next line is indented no deeper than
 *   the head, where a body indented for the file goes deeper (the closer of
 *   an empty block stands at the head's indentation);
 * - otherwise, the next line is indented less than the head and does not look
 *   like the answer leaving the block on purpose: a closer (`}`, `end`), or,
 *   in a language whose blocks end by dedenting (Python), a new block after a
 *   blank line (the next `def`) where the cursor's block ends anyway. Where
 *   braces or `end` close blocks, a dedented `function` still stands inside
 *   the cursor's block, and in a Python block that goes on after the cursor a
 *   dedented `def` would take the block's remaining lines as its own: in both
 *   it can only be the snippet's own indentation.
 * Only the first line after the head is read, so the work is bounded by the
 * answer's length, not the file's.
 */
export function indentRelativeLines(text: string, cursor: CursorContext, languageId: string): string {
  const lines = text.split('\n');
  if (lines.length < 2) return text;
  const first = lines[0] as string;
  if (languageId === 'shellscript' && !isBlank(cursor.linePrefix)) {
    // A command continued by a backslash at the cursor's line's end: its own rules, whatever the line's indentation.
    const continued = indentContinuationLines(lines, isBlank(first) ? cursor.linePrefix : cursor.linePrefix + first, cursor, indentUnit(cursor, languageId));
    if (continued) return continued.join('\n');
  }
  const line = headLine(first, cursor);
  if (line === undefined) return text;
  // A header written over several lines is read at the indentation of the line its statement starts on, and so is
  // the last line of a statement written over several (`  b)` closing `arr=(`) before the lines that follow it.
  const start = opensBlockAtCursor(line, cursor, languageId) ? statementStart(line, cursor, languageId) : startOfStatementEndedBy(line, cursor, languageId);
  const head = start === line ? line : leadingWhitespace(start) + line.trimStart();
  const base = leadingWhitespace(head);
  const nextIndex = lines.findIndex((line, i) => i > 0 && !isBlank(line));
  if (nextIndex === -1) return text;
  if (!readsAsRelative(head, lines, nextIndex, cursor, languageId)) return text;
  return lines.map((line, i) => (i === 0 || isBlank(line) ? line : base + line)).join('\n');
}

/** `indentRelativeLines`'s judgement: whether `lines[nextIndex]`, the first line after `head`, can only be read as relative to it. */
function readsAsRelative(head: string, lines: readonly string[], nextIndex: number, cursor: CursorContext, languageId: string): boolean {
  const next = lines[nextIndex] as string;
  const width = indentWidth(next);
  const baseWidth = indentWidth(head);
  return opensBlockAtCursor(head, cursor, languageId)
    ? width < baseWidth || (width === baseWidth && !closesBlock(next))
    : width < baseWidth && !closesBlock(next) && !leavesBlockByDedent(lines, nextIndex, cursor, baseWidth, languageId);
}

/**
 * A chat model answering at the end of a block header (`if x:`) may write
 * the body's first line with neither the line break nor the indentation it
 * needs, as a snippet starting at column 0; glued on, it would read
 * `if x:return 0`. The answer goes on the next line instead, one indentation
 * unit deeper than the header, and its later lines move with it when they can
 * only be read as relative to its first line (as `indentRelativeLines` judges).
 */
export function startBodyBelowHeader(text: string, cursor: CursorContext, languageId: string): string {
  const indent = headerIndent(statementStart(cursor.linePrefix, cursor, languageId), languageId) + indentUnit(cursor, languageId);
  const lines = text.split('\n');
  const nextIndex = lines.findIndex((line, i) => i > 0 && !isBlank(line));
  const relative = nextIndex !== -1 && readsAsRelative(indent + (lines[0] as string), lines, nextIndex, cursor, languageId);
  return `\n${lines.map((line, i) => (i === 0 || (relative && !isBlank(line)) ? indent + line : line)).join('\n')}`;
}

/** A line ending so that its statement goes on below: a backslash, or a boolean operator (Go's `a &&`, Python's `a and \\`). */
const CONTINUED_LINE = /(?:\\|&&|\|\||\b(?:and|or))\s*$/;

/**
 * The line where the statement that `header` ends starts: `header` itself,
 * or, for a header written over several lines (`if (a and` above `b):`, Go's
 * `if a &&` above `b {`), the line above that opened the brackets it closes
 * or that its operator carries on. Its indentation, not that of the
 * header's last line, is the block's: the body goes one level deeper than
 * it, and the block ends where a line comes back to it. Only the lines in
 * `cursor.previousLines` are read.
 */
export function statementStart(header: string, cursor: CursorContext, languageId: string): string {
  // A shell `case` arm's `)` closes no bracket: the arm starts on its own line.
  if (isShellCaseArm(header, languageId, cursor.textBefore)) return header;
  let unclosed = -netOpeners(header);
  let start = header;
  for (let i = cursor.previousLines.length - 1; i >= 0; i--) {
    const above = cursor.previousLines[i] as string;
    if (unclosed <= 0 && !CONTINUED_LINE.test(above)) break;
    unclosed -= netOpeners(above);
    start = above;
  }
  return start;
}

/**
 * The line where the statement that `line` ends starts, when `line` closes round or square brackets opened on the
 * lines above (`  b)` closing `arr=(`, `    b)` closing `x = f(`): the line that opened them, whose indentation
 * the lines after the statement take. Braces are left out: a `}` stands at its block's indentation already.
 * `line` itself when it closes no such bracket, or when the line that opened it is not in `cursor.previousLines`
 * (a long array's first line far above), where nothing is known of the statement's indentation. In a shell script,
 * also the line a command continued by backslashes starts on (see shellContinuation.ts).
 */
export function startOfStatementEndedBy(line: string, cursor: CursorContext, languageId: string): string {
  // In a shell script, the arms of a `case … esac` between close no bracket (`esac)` below `kind=$(`); and the last
  // line of a command continued by backslashes (`  image` below `docker run \`) starts above.
  if (languageId === 'shellscript') return shellOpenerOf(line, cursor.previousLines) ?? startOfContinuedCommand(line, cursor);
  let unclosed = -netOpeners(line, false);
  for (let i = cursor.previousLines.length - 1; i >= 0 && unclosed > 0; i--) {
    const above = cursor.previousLines[i] as string;
    unclosed -= netOpeners(above, false);
    if (unclosed <= 0) return above;
  }
  return line;
}

/**
 * Brackets `line` opens less those it closes, outside its strings and after-code comments (read roughly: quotes pair
 * on the line); braces only when `braces`.
 */
function netOpeners(line: string, braces = true): number {
  const code = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '').replace(/\s(?:#|\/\/).*$/, '');
  let net = 0;
  for (const c of code) {
    if (c === '(' || c === '[' || (braces && c === '{')) net++;
    else if (c === ')' || c === ']' || (braces && c === '}')) net--;
  }
  return net;
}

/**
 * The indentation a header's body is deeper than: its leading blanks, and in
 * YAML the `- ` of a list item too (the key of `- run: |` stands after it, and
 * the text of its block scalar must be indented past that key).
 */
function headerIndent(header: string, languageId: string): string {
  if (languageId !== 'yaml') return leadingWhitespace(header);
  const item = /^[ \t]*(?:-[ \t]+)*/.exec(header)?.[0] ?? '';
  return leadingWhitespace(header) + ' '.repeat(item.length - leadingWhitespace(header).length);
}

/**
 * Languages indented by two spaces by their style guides or formatters (RuboCop, mix format, Prettier, dart format),
 * and JSON, as npm writes package.json and most JSON in repositories stands.
 */
const TWO_SPACE_LANGUAGES = new Set(['ruby', 'crystal', 'elixir', 'yaml', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'dart', 'json', 'jsonc']);

/** Widest step between two lines' indentations read as one level; wider ones are alignment. */
const MAX_INDENT_UNIT = 8;

/**
 * One level of the file's indentation: a tab where the file indents with
 * tabs, else the step between neighbouring lines' indentations seen most
 * often around the cursor (the smaller on a tie), else the editor's tab size
 * when it says (`cursor.editorIndent`), else the language's
 * custom: two spaces where style guides and formatters agree on two
 * (TWO_SPACE_LANGUAGES), else four (PEP 8's).
 * Only lines that start a statement count: a continuation line (inside
 * brackets opened above, as a header's parameters written one a line, or
 * after a backslash) is indented as its author aligns or hangs it (PEP 8's
 * eight spaces for a `def`'s), not by the file's step.
 */
function indentUnit(cursor: CursorContext, languageId: string): string {
  if (indentsWithTabs(cursor, languageId)) return '\t';
  const counts = new Map<number, number>();
  let previous: number | undefined;
  // Braces open blocks, whose lines are statements, except where blocks open with `:` (a Python dict's are not).
  const braces = colonOpensBlocks(languageId);
  let open = 0;
  let continued = false;
  for (const line of [...cursor.previousLines, cursor.linePrefix, ...cursor.nextLines]) {
    if (isBlank(line)) continue;
    const continuation = open > 0 || continued;
    // A window that starts inside brackets closes more than it opens: read from there as if at the top level.
    open = Math.max(0, open + netOpeners(line, braces));
    continued = CONTINUED_LINE.test(line);
    if (continuation) continue;
    const width = indentWidth(line);
    const step = previous === undefined ? 0 : Math.abs(width - previous);
    if (step > 0 && step <= MAX_INDENT_UNIT) counts.set(step, (counts.get(step) ?? 0) + 1);
    previous = width;
  }
  let unit = cursor.editorIndent ? cursor.editorIndent.tabSize : TWO_SPACE_LANGUAGES.has(languageId) ? 2 : 4;
  let seen = 0;
  for (const [step, count] of counts) {
    if (count > seen || (count === seen && step < unit)) {
      unit = step;
      seen = count;
    }
  }
  return ' '.repeat(unit);
}

/**
 * The line the answer's later lines are indented relative to, or undefined
 * when there is nothing to add (the cursor's line at column 0, an answer that
 * restates some indentation of its own on its first line):
 * - the cursor in its line's indentation: that indentation and the answer's first line;
 * - an answer that starts with a line break after code: the cursor's line;
 * - an answer that continues a line of code (`items.filter(` → `(item) => {`,
 *   the call's `)` after the cursor): the cursor's line as it will read. A
 *   model writes such a snippet from column 0, so its later lines are relative
 *   to where that line starts, as those of an answer at a line's start are.
 */
function headLine(first: string, cursor: CursorContext): string | undefined {
  const { linePrefix } = cursor;
  if (linePrefix === '') return undefined;
  if (isBlank(linePrefix)) {
    if (isBlank(first) || leadingWhitespace(first) !== '') return undefined;
    return linePrefix + first;
  }
  if (leadingWhitespace(linePrefix) === '') return undefined;
  return isBlank(first) ? linePrefix : linePrefix + first;
}

/**
 * In a language whose blocks end by dedenting, a block opened after a blank
 * line at less than the cursor's indentation leaves the cursor's block: on
 * purpose only when that block ends at the cursor anyway (the next code
 * after the cursor's line is indented less, or there is none in sight).
 */
function leavesBlockByDedent(lines: readonly string[], nextIndex: number, cursor: CursorContext, baseWidth: number, languageId: string): boolean {
  // Line 0 is the head's own rest, never a blank line between.
  if (!dedentEndsBlocks(languageId) || nextIndex < 2 || !opensBlock(lines[nextIndex] as string, languageId)) return false;
  const after = cursor.nextLines.find((line) => !isBlank(line));
  return after === undefined || indentWidth(after) < baseWidth;
}

/** Languages indented with tabs by rule (gofmt; make needs them): assumed when no line near the cursor is indented. */
const TAB_LANGUAGES = new Set(['go', 'makefile']);

/**
 * The indentation nearest the cursor starts with a tab: the cursor's line's,
 * else the closest indented line above, else below (the first function of a
 * file has none above), else the editor's `insertSpaces` when it says, else the language's rule.
 */
function indentsWithTabs(cursor: CursorContext, languageId: string): boolean {
  const own = leadingWhitespace(cursor.linePrefix);
  if (own) return own.startsWith('\t');
  for (let i = cursor.previousLines.length - 1; i >= 0; i--) {
    const indent = leadingWhitespace(cursor.previousLines[i] as string);
    if (indent && !isBlank(cursor.previousLines[i] as string)) return indent.startsWith('\t');
  }
  for (const line of cursor.nextLines) {
    const indent = leadingWhitespace(line);
    if (indent && !isBlank(line)) return indent.startsWith('\t');
  }
  if (cursor.editorIndent) return !cursor.editorIndent.insertSpaces;
  return TAB_LANGUAGES.has(languageId);
}

/**
 * 4 when every indented line from `first` on starts with a multiple of four
 * spaces, else 2 for multiples of two; undefined when a line is indented with
 * a tab (the model already matched the file) or an odd number of spaces, or
 * none is indented.
 */
function spaceUnit(lines: readonly string[], first: number): 4 | 2 | undefined {
  let four = true;
  let any = false;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i] as string;
    if (isBlank(line)) continue;
    const indent = leadingWhitespace(line);
    if (!indent) continue;
    if (indent.includes('\t') || indent.length % 2 !== 0) return undefined;
    any = true;
    if (indent.length % 4 !== 0) four = false;
  }
  if (!any) return undefined;
  return four ? 4 : 2;
}
