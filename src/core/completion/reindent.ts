import { closesBlock, opensBlock } from './languages';
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
 * A chat model often writes its answer as a snippet of its own: the first line
 * at column 0 and the lines after it indented relative to that line, as if the
 * cursor stood at the start of the line. Inserted as they are, those lines
 * fall out of the cursor's block (and the block cut ends the suggestion after
 * its first line). With the cursor in its line's indentation, the later lines
 * get that indentation added when they can only be read as relative:
 * - after a first line that opens a block, the next line is indented no
 *   deeper than the cursor, where a body indented for the file goes deeper
 *   (the closer of an empty block stands at the cursor's indentation);
 * - otherwise, the next line is indented less than the cursor and does not
 *   look like the answer leaving the block on purpose: a closer (`}`, `end`)
 *   or, after a blank line, a new block (the next `def` or `function`).
 * Only the first line after the first is read, so the work is bounded by the
 * answer's length, not the file's.
 */
export function indentRelativeLines(text: string, cursor: CursorContext, languageId: string): string {
  const base = cursor.linePrefix;
  if (base === '' || !isBlank(base)) return text;
  const lines = text.split('\n');
  const first = lines[0] as string;
  if (lines.length < 2 || isBlank(first) || leadingWhitespace(first) !== '') return text;
  const nextIndex = lines.findIndex((line, i) => i > 0 && !isBlank(line));
  if (nextIndex === -1) return text;
  const next = lines[nextIndex] as string;
  const width = indentWidth(next);
  const baseWidth = indentWidth(base);
  const relative = opensBlock(first, languageId)
    ? width < baseWidth || (width === baseWidth && !closesBlock(next))
    : width < baseWidth && !closesBlock(next) && !(nextIndex > 1 && opensBlock(next, languageId));
  if (!relative) return text;
  return lines.map((line, i) => (i === 0 || isBlank(line) ? line : base + line)).join('\n');
}

/** Languages indented with tabs by rule (gofmt; make needs them): assumed when no line near the cursor is indented. */
const TAB_LANGUAGES = new Set(['go', 'makefile']);

/**
 * The indentation nearest the cursor starts with a tab: the cursor's line's,
 * else the closest indented line above, else below (the first function of a
 * file has none above), else the language's rule.
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
