// Cursor positions both completion benches use (the overhead bench and the own-code A/B), picked the same way so
// their figures describe the same completions.
import type { SnippetDocument } from '../src/core/completion/contextSnippets';
import type { BenchDocument, Position } from './benchDocument';
import { seededRandom } from './stats';

export interface Case {
  document: BenchDocument;
  position: Position;
  /** What the model answers: the rest of the line that was cut at the cursor. */
  answer: string;
}

/** Statement lines cut somewhere after their first few characters, at a word boundary. */
export function pickCases(document: BenchDocument, count: number, seed: number): Case[] {
  const random = seededRandom(seed ^ 0x5eed);
  const cases: Case[] = [];
  const used = new Set<string>();
  for (let attempts = 0; cases.length < count && attempts < count * 50; attempts++) {
    const line = Math.floor(random() * document.lineCount);
    const text = document.lineAt(line);
    const indent = text.length - text.trimStart().length;
    const trimmed = text.trim();
    if (indent === 0 || trimmed.length < 16 || trimmed.startsWith('*') || trimmed.startsWith('/')) continue;
    let column = indent + 4 + Math.floor(random() * (trimmed.length - 8));
    while (column < text.length - 2 && /\w/.test(text.charAt(column)) && /\w/.test(text.charAt(column - 1))) column++;
    const key = `${line}:${column}`;
    if (used.has(key) || column >= text.length - 1) continue;
    used.add(key);
    cases.push({ document: document.withLine(line, text.slice(0, column)), position: { line, character: column }, answer: text.slice(column) });
  }
  if (cases.length < count) throw new Error(`found only ${cases.length} cursor positions for ${count} calls`);
  return cases;
}

/**
 * Notes the bench's open documents with a snippet collector as the editor adapter does (at most the first 2,000
 * lines). The collector may come from another checkout (ownCodeAB.ts), so only its method is asked for.
 */
export function noteOpenDocuments(snippets: { noteOpenDocument(source: SnippetDocument): void }, documents: BenchDocument[]): void {
  for (const document of documents) {
    snippets.noteOpenDocument({
      uri: document.uri,
      relativePath: document.relativePath,
      languageId: document.languageId,
      version: () => document.version,
      getText: () => document.getText({ line: 0, character: 0 }, { line: Math.min(document.lineCount, 2000), character: 0 }),
    });
  }
}
