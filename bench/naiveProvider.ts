/**
 * The baseline: what a straightforward inline-completion provider does on
 * every keystroke. It reads the whole document, splits it into lines,
 * searches the whole file and every open file for context, sends the full
 * prefix and suffix plus whole related files, logs the request as JSON, and
 * checks the answer is still current by comparing the whole text again. No
 * debounce, no cache, no reuse; VS Code cancels the call on the next
 * keystroke, but the HTTP request is not aborted and runs to its end.
 *
 * It sends through the same router, adapter, SDK and fake server as the real
 * path, so the two differ only in the work done around the request.
 */
import { FILL_MARKER } from '../src/core/completion/completionPrompt';
import type { Router } from '../src/core/router';
import type { ModelRequest } from '../src/core/types';
import type { BenchDocument, Position } from './benchDocument';

export interface NaiveItem {
  insertText: string;
  position: Position;
}

export interface NaiveStats {
  requests: number;
  /** Answers that arrived after VS Code had cancelled the call: paid for, never shown. */
  discarded: number;
  failed: number;
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const DECLARATION = /(?:function|class|interface|type|const|let)\s+([A-Za-z_$][\w$]*)/g;

/** What the naive provider reads of a document: BenchDocument here, VS Code's TextDocument in the editor benchmark. */
export interface NaiveDocument {
  readonly uri: string;
  readonly relativePath: string;
  readonly languageId: string;
  getText(): string;
  offsetAt(position: Position): number;
}

/**
 * The naive request for one keystroke: the whole document, every declared
 * symbol, and every open file sharing a word with the current line.
 */
export function naiveRequest(document: NaiveDocument, position: Position, openDocuments: readonly NaiveDocument[]): { request: ModelRequest; text: string } {
  const text = document.getText();
  const offset = document.offsetAt(position);
  const prefix = text.slice(0, offset);
  const suffix = text.slice(offset);
  const lines = text.split('\n');
  const currentLine = lines[position.line] ?? '';
  const words = new Set(currentLine.match(IDENTIFIER) ?? []);
  const declared = [...text.matchAll(DECLARATION)].map((match) => match[1]);
  const related = openDocuments
    .filter((other) => other.uri !== document.uri)
    .map((other) => ({ path: other.relativePath, text: other.getText() }))
    .filter((other) => [...words].some((word) => word.length > 2 && new RegExp(`\\b${word}\\b`).test(other.text)));
  const content = [
    `File: ${document.relativePath} (${document.languageId}), line ${position.line + 1} of ${lines.length}`,
    `Symbols declared in this file: ${declared.join(', ')}`,
    ...related.map((other) => `<snippet path="${other.path}">\n${other.text}\n</snippet>`),
    `<file path="${document.relativePath}">\n${prefix}${FILL_MARKER}${suffix}\n</file>`,
  ].join('\n\n');
  const request: ModelRequest = {
    system: 'You are a code completion engine. Reply with only the code to insert at the marker.',
    messages: [{ role: 'user', content }],
    maxTokens: 128,
    temperature: 0.1,
  };
  return { request, text };
}

/** The first line of an answer as ghost text; undefined when it is blank. */
export function naiveFirstLine(answer: string): string | undefined {
  const firstLine = answer.split('\n')[0] ?? '';
  return firstLine.trim() ? firstLine : undefined;
}

export class NaiveCompletionProvider {
  readonly stats: NaiveStats = { requests: 0, discarded: 0, failed: 0 };
  /** What a debug log would hold; kept only as a length so memory stays flat. */
  loggedChars = 0;

  constructor(private readonly router: Router) {}

  /** Everything before the request leaves: the part that scales with the size of the files. */
  buildRequest(document: BenchDocument, position: Position, openDocuments: readonly BenchDocument[]): { request: ModelRequest; text: string } {
    const built = naiveRequest(document, position, openDocuments);
    this.loggedChars += JSON.stringify(built.request).length;
    return built;
  }

  /** The first line of the answer, if the document did not change meanwhile. */
  finishAnswer(answer: string, document: BenchDocument, textAtRequest: string, position: Position): NaiveItem[] | undefined {
    const firstLine = naiveFirstLine(answer);
    if (firstLine === undefined || document.getText() !== textAtRequest) return undefined;
    return [{ insertText: firstLine, position }];
  }

  /**
   * One call. `cancelled` is VS Code's token: it only decides whether the
   * answer is shown; the request is not aborted. `live` reads the document as
   * it is when the answer arrives (VS Code's document objects are live).
   */
  async provide(
    document: BenchDocument,
    position: Position,
    openDocuments: readonly BenchDocument[],
    options: { cancelled?: AbortSignal; live?: () => BenchDocument } = {},
  ): Promise<NaiveItem[] | undefined> {
    const { request, text } = this.buildRequest(document, position, openDocuments);
    this.stats.requests++;
    const result = await this.router.run('completion', request);
    if (result.record.outcome !== 'ok') {
      this.stats.failed++;
      return undefined;
    }
    if (options.cancelled?.aborted) {
      this.stats.discarded++;
      return undefined;
    }
    return this.finishAnswer(result.text, options.live?.() ?? document, text, position);
  }
}
