/**
 * Which part of a document a completion reads: about `chars` characters on
 * each side of the cursor, cut at line boundaries, found by walking line
 * lengths so the document is never copied whole. The editor (over a
 * vscode.TextDocument) and the benchmark (over its own document) share it.
 */
/** Larger documents (minified bundles, logs, data dumps) are never completed, in the editor or the CLI. */
export const MAX_COMPLETION_DOCUMENT_CHARS = 5 * 1024 * 1024;

export interface LineLengths {
  readonly lineCount: number;
  /** Length of a line without its line break. */
  lineLength(line: number): number;
}

export interface TextPosition {
  line: number;
  character: number;
}

/** Start of the window before `position`; a single very long line is cut inside it. */
export function windowStart(document: LineLengths, position: TextPosition, chars: number): TextPosition {
  let budget = chars - position.character;
  if (budget <= 0) return { line: position.line, character: position.character - chars };
  let line = position.line;
  while (line > 0) {
    const length = document.lineLength(line - 1) + 1;
    if (length > budget) break;
    budget -= length;
    line--;
  }
  return { line, character: 0 };
}

/** End of the window after `position`. */
export function windowEnd(document: LineLengths, position: TextPosition, chars: number): TextPosition {
  const first = document.lineLength(position.line) - position.character;
  let budget = chars - first;
  if (budget <= 0) return { line: position.line, character: position.character + chars };
  let line = position.line;
  while (line + 1 < document.lineCount) {
    const length = document.lineLength(line + 1) + 1;
    if (length > budget) break;
    budget -= length;
    line++;
  }
  return { line, character: document.lineLength(line) };
}
