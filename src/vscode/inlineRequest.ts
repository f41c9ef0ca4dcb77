import { windowEnd, windowStart, type LineLengths, type TextPosition } from '../core/completion/documentWindow';
import { wholeCharacters } from '../core/completion/textWindow';

/** The document as the inline provider reads it: line lengths, and the text between two positions. */
export interface DocumentText extends LineLengths {
  getText(start: TextPosition, end: TextPosition): string;
}

/** The suggest widget's selected item (`InlineCompletionContext.selectedCompletionInfo`). */
export interface SelectedSuggestion {
  /** What accepting the item replaces. */
  start: TextPosition;
  end: TextPosition;
  /** What it inserts there. */
  text: string;
}

export interface InlineRequest {
  /** Text before the cursor, with the selected suggestion applied. */
  prefix: string;
  /** Text after the cursor, or after what the selected suggestion replaces. */
  suffix: string;
  /**
   * With a suggestion selected, VS Code shows ghost text only when it
   * replaces the same range and starts with the same text: the ghost text is
   * `lead` plus the completion, replacing `start`..`end`. Without one it is
   * inserted at the cursor.
   */
  replace: { start: TextPosition; end: TextPosition; lead: string };
  /** Where `prefix` starts in the document. */
  start: TextPosition;
}

/**
 * What to complete at `position`: a bounded window either side (never the
 * whole document). With the suggest widget open, the completion continues
 * after its selected item, as if it had been accepted, so the ghost text
 * VS Code shows extends that item; without that, VS Code would drop it.
 * Undefined when there is nothing to complete: binary content (a NUL), or a
 * selected item whose range is not on the cursor's line around the cursor.
 */
export function readInlineRequest(
  document: DocumentText,
  position: TextPosition,
  chars: { prefixChars: number; suffixChars: number },
  selected?: SelectedSuggestion,
): InlineRequest | undefined {
  if (selected && !aroundCursor(selected, position)) return undefined;
  const before = selected?.start ?? position;
  const after = selected?.end ?? position;
  // Cut mid-line, a very long line's window may start or end inside an emoji.
  const start = windowStart(document, before, chars.prefixChars);
  const prefix = wholeCharacters(document.getText(start, before)) + (selected?.text ?? '');
  const suffix = wholeCharacters(document.getText(after, windowEnd(document, after, chars.suffixChars)));
  // A NUL byte means binary content shown as text: nothing to complete.
  if (prefix.includes('\0') || suffix.includes('\0')) return undefined;
  return { prefix, suffix, replace: { start: before, end: after, lead: selected?.text ?? '' }, start };
}

function aroundCursor(selected: SelectedSuggestion, position: TextPosition): boolean {
  const { start, end } = selected;
  return start.line === position.line && end.line === position.line && start.character <= position.character && end.character >= position.character;
}

/** Between one cell's text and the next cell's in the prefix, as a script holding both would read. */
const CELL_SEPARATOR = '\n\n';
/**
 * At most this many cells above the cursor's are looked at per request,
 * whatever the budget leaves: empty or skipped cells cost no characters, and
 * the work per keystroke must not grow with the notebook.
 */
export const MAX_CELLS_ABOVE = 50;

/**
 * In a notebook the cursor's cell alone rarely says what the names in it are
 * (imports and definitions sit in the cells above). `cellsAbove`, nearest
 * first, are prepended to the cursor cell's `prefix` while the prefix stays
 * within `prefixChars`: the nearest are kept whole, and the first that does
 * not fit is read from its end, at a line boundary, and is the last. Each cell
 * is read through a window, never whole. A cell holding a NUL (binary shown as
 * text) is left out.
 */
export function withCellsAbove(prefix: string, cellsAbove: Iterable<DocumentText>, prefixChars: number): string {
  const parts: string[] = [prefix];
  let used = prefix.length;
  for (const cell of cellsAbove) {
    const room = prefixChars - used - CELL_SEPARATOR.length;
    if (room <= 0) break;
    const lastLine = cell.lineCount - 1;
    const end = { line: lastLine, character: cell.lineLength(lastLine) };
    const start = windowStart(cell, end, room);
    const whole = start.line === 0 && start.character === 0;
    // A window cut inside a long first line would hand the model half a statement.
    const text = whole ? cell.getText(start, end) : cutToLineStart(wholeCharacters(cell.getText(start, end)), start.character > 0);
    if (text.trim() !== '' && !text.includes('\0')) {
      parts.push(CELL_SEPARATOR, text);
      used += CELL_SEPARATOR.length + text.length;
    }
    if (!whole) break;
  }
  return parts.reverse().join('');
}

function cutToLineStart(text: string, startsMidLine: boolean): string {
  if (!startsMidLine) return text;
  const lineEnd = text.indexOf('\n');
  return lineEnd === -1 ? '' : text.slice(lineEnd + 1);
}

/**
 * The lines around an edit the snippet collector is given: up to
 * `radiusLines` lines above the edited one and below it (the edited line
 * among them), and no more than about `maxChars` characters, cut inside a long
 * line around the edit. Recorded on every keystroke in any open document:
 * whole lines read across a line break are joined into a new string, so a
 * minified bundle's long line next to a short one was copied whole on every
 * keystroke (about 14 ms for a 20 MB line) to keep 3,000 characters of it.
 */
export function editWindow(document: LineLengths, position: TextPosition, radiusLines: number, maxChars: number): { start: TextPosition; end: TextPosition } {
  const half = Math.floor(maxChars / 2);
  let start = windowStart(document, position, half);
  const firstLine = Math.max(0, position.line - radiusLines);
  if (start.line < firstLine) start = { line: firstLine, character: 0 };
  let end = windowEnd(document, position, half);
  const lastLine = Math.min(document.lineCount - 1, position.line + radiusLines);
  if (end.line > lastLine) end = { line: lastLine, character: document.lineLength(lastLine) };
  return { start, end };
}

/**
 * Where reading the start of a document for snippets stops: after
 * `maxLines` lines or about `maxChars` characters, whichever comes first
 * (cut inside a first line longer than that). The collector keeps no more.
 */
export function headWindowEnd(document: LineLengths, maxLines: number, maxChars: number): TextPosition {
  const end = windowEnd(document, { line: 0, character: 0 }, maxChars);
  const lastLine = Math.min(document.lineCount, maxLines) - 1;
  return end.line > lastLine ? { line: lastLine, character: document.lineLength(lastLine) } : end;
}

/**
 * With several cursors, VS Code asks the provider at the primary cursor only,
 * then shows the same ghost text at every other cursor and Tab inserts it at
 * all of them (its inline completions model's "secondary edits"). Text made
 * for one place fits another only where that place reads the same: the same
 * line before the cursor (so the same indentation too) and after it. True
 * when every other cursor (a selection's end, as VS Code takes it) stands so;
 * otherwise the ghost text would break the code at the cursors that differ,
 * and none is asked for.
 */
export function otherCursorsReadTheSame(document: DocumentText, primary: TextPosition, others: readonly TextPosition[]): boolean {
  if (others.length === 0) return true;
  const lineOf = (at: TextPosition) => ({
    before: document.getText({ line: at.line, character: 0 }, at),
    after: document.getText(at, { line: at.line, character: document.lineLength(at.line) }),
  });
  const own = lineOf(primary);
  return others.every((at) => {
    // Lines of another length cannot read the same; the comparison then reads nothing.
    if (document.lineLength(at.line) !== document.lineLength(primary.line) || at.character !== primary.character) return false;
    const other = lineOf(at);
    return other.before === own.before && other.after === own.after;
  });
}
