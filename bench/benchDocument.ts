/**
 * A text document stored the way VS Code's extension host stores one (an
 * array of lines): `getText()` joins every line, `getText(range)` joins only
 * the lines in range, `offsetAt` walks cached line-start sums. Both the real
 * path and the naive baseline read the document through it, so what each pays
 * for reading the editor's text is what it would pay in the extension host.
 */

import { MAX_COMPLETION_DOCUMENT_CHARS, windowEnd, windowStart, type LineLengths } from '../src/core/completion/documentWindow';

export interface Position {
  line: number;
  character: number;
}

export class BenchDocument {
  private lineStarts: Uint32Array | undefined;

  constructor(
    readonly uri: string,
    readonly relativePath: string,
    readonly languageId: string,
    private readonly lines: readonly string[],
    readonly version = 1,
  ) {}

  static fromText(uri: string, relativePath: string, languageId: string, text: string, version = 1): BenchDocument {
    return new BenchDocument(uri, relativePath, languageId, text.split('\n'), version);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  lineAt(line: number): string {
    return this.lines[line] ?? '';
  }

  /** The whole document, or the text of a range: as `TextDocument.getText`. */
  getText(start?: Position, end?: Position): string {
    if (!start || !end) return this.lines.join('\n');
    if (start.line === end.line) return this.lineAt(start.line).slice(start.character, end.character);
    const parts = [this.lineAt(start.line).slice(start.character)];
    for (let line = start.line + 1; line < end.line; line++) parts.push(this.lineAt(line));
    parts.push(this.lineAt(end.line).slice(0, end.character));
    return parts.join('\n');
  }

  offsetAt(position: Position): number {
    this.lineStarts ??= this.computeLineStarts();
    const line = Math.min(Math.max(0, position.line), this.lines.length - 1);
    return (this.lineStarts[line] ?? 0) + Math.min(position.character, this.lineAt(line).length);
  }

  positionAt(offset: number): Position {
    this.lineStarts ??= this.computeLineStarts();
    let low = 0;
    let high = this.lines.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - (this.lineStarts[low] ?? 0) };
  }

  /** A new version with `text` replacing `deleteCount` characters at `offset` (one keystroke). */
  edited(offset: number, deleteCount: number, text: string): BenchDocument {
    const whole = this.getText();
    const next = whole.slice(0, offset) + text + whole.slice(offset + deleteCount);
    return BenchDocument.fromText(this.uri, this.relativePath, this.languageId, next, this.version + 1);
  }

  /** A new version with one line replaced. */
  withLine(line: number, text: string): BenchDocument {
    const lines = [...this.lines];
    lines[line] = text;
    return new BenchDocument(this.uri, this.relativePath, this.languageId, lines, this.version + 1);
  }

  private computeLineStarts(): Uint32Array {
    const starts = new Uint32Array(this.lines.length);
    let offset = 0;
    for (let i = 0; i < this.lines.length; i++) {
      starts[i] = offset;
      offset += (this.lines[i] as string).length + 1;
    }
    return starts;
  }
}

export interface EditorWindow {
  prefix: string;
  suffix: string;
}

/**
 * What src/vscode/completionProvider.ts does before calling the engine: the
 * document-size check, then a window of about `prefixChars` before and
 * `suffixChars` after the cursor, with the same core functions.
 */
export function editorWindow(document: BenchDocument, position: Position, prefixChars: number, suffixChars: number): EditorWindow | undefined {
  const lastLine = document.lineCount - 1;
  if (document.offsetAt({ line: lastLine, character: document.lineAt(lastLine).length }) > MAX_COMPLETION_DOCUMENT_CHARS) return undefined;
  const lines: LineLengths = { lineCount: document.lineCount, lineLength: (line) => document.lineAt(line).length };
  const prefix = document.getText(windowStart(lines, position, prefixChars), position);
  const suffix = document.getText(position, windowEnd(lines, position, suffixChars));
  if (prefix.includes('\0') || suffix.includes('\0')) return undefined;
  return { prefix, suffix };
}
