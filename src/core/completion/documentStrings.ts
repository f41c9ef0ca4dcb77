import type { TextPosition } from './documentWindow';
import { NOTHING_OPEN, openAfter, openBefore, readsStrings, type OpenAt } from './stringAtCursor';

/** A document read by ranges of lines, as `vscode.TextDocument.getText(range)` reads it. */
export interface LineRangeText {
  readonly lineCount: number;
  getText(start: TextPosition, end: TextPosition): string;
}

/** Lines between two remembered states: the most one request reads past the last state still valid, once the document is known. */
const CHECKPOINT_LINES = 200;
/**
 * Most characters read for one request. A document read further than this
 * (the first request deep in a long file, or after an edit near its top) is
 * read on by the next requests; until then what is open is not known.
 */
const READ_BUDGET_CHARS = 250_000;
/**
 * Most characters of a line read before a window that starts inside it, on each request: a scan of this
 * much takes well under a millisecond, and a line longer than that is minified or generated text.
 */
const MID_LINE_READ_CHARS = 50_000;
/** Documents remembered, most recently asked last. */
const MAX_DOCUMENTS = 32;

interface Entry {
  languageId: string;
  /** `states[k]`: what is open at the start of line `k * CHECKPOINT_LINES`. */
  states: OpenAt[];
}

/**
 * What is open (a docstring, a template literal, a block comment) at the
 * start of a line of a document, read from the document's start: a completion
 * reads only a window around the cursor, and a string opened above that
 * window would otherwise be taken for code. The state at every
 * CHECKPOINT_LINES-th line is remembered per document, and forgotten below an
 * edit (`edited`), so a request usually reads only the lines from the last
 * remembered state to the window's start: typing happens below the window's
 * start, and leaves the states above it valid.
 */
export class DocumentStrings {
  private readonly documents = new Map<string, Entry>();

  /**
   * What is open at the start of `line`; undefined for a language whose
   * strings are not read, or while a long document has not been read that far.
   */
  openAt(uri: string, languageId: string, document: LineRangeText, line: number): OpenAt | undefined {
    if (!readsStrings(languageId) || line < 0 || line >= document.lineCount) return undefined;
    let entry = this.documents.get(uri);
    if (entry?.languageId !== languageId) entry = { languageId, states: [NOTHING_OPEN] };
    this.documents.delete(uri);
    this.documents.set(uri, entry);
    if (this.documents.size > MAX_DOCUMENTS) this.documents.delete(this.documents.keys().next().value as string);

    const wanted = Math.floor(line / CHECKPOINT_LINES);
    let budget = READ_BUDGET_CHARS;
    while (entry.states.length <= wanted) {
      if (budget <= 0) return undefined;
      const from = (entry.states.length - 1) * CHECKPOINT_LINES;
      const text = document.getText({ line: from, character: 0 }, { line: from + CHECKPOINT_LINES, character: 0 });
      entry.states.push(openAfter(text, languageId, entry.states.at(-1) as OpenAt) as OpenAt);
      budget -= text.length;
    }
    const state = entry.states[wanted] as OpenAt;
    const from = wanted * CHECKPOINT_LINES;
    if (from === line) return state;
    return openAfter(document.getText({ line: from, character: 0 }, { line, character: 0 }), languageId, state);
  }

  /**
   * What is open at `position`, which may be inside a line: the text a completion reads starts there when
   * the cursor's line is longer than the window. The line is read from its start up to `position` (not
   * remembered: the window's start moves with each keystroke); undefined further into a line than
   * MID_LINE_READ_CHARS, or where `position` is inside a one-line string or a line comment.
   */
  openAtPosition(uri: string, languageId: string, document: LineRangeText, position: TextPosition): OpenAt | undefined {
    const atLineStart = this.openAt(uri, languageId, document, position.line);
    if (!atLineStart || position.character === 0) return atLineStart;
    if (position.character > MID_LINE_READ_CHARS) return undefined;
    return openBefore(document.getText({ line: position.line, character: 0 }, position), languageId, atLineStart);
  }

  /** The document changed from `line` on: what is open below that line must be read again. */
  edited(uri: string, line: number): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    // The state at a line's start depends only on the lines above it.
    const valid = Math.floor(Math.max(0, line) / CHECKPOINT_LINES) + 1;
    if (entry.states.length > valid) entry.states.length = valid;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }
}
