import * as vscode from 'vscode';
import type { CompletionEngine } from '../core/completion/completionEngine';
import { SnippetCollector } from '../core/completion/contextSnippets';
import { createRoutedCompletionEngine } from '../core/completion/routedCompletions';
import type { Switchboard } from '../core/switchboard';

/** Documents VS Code itself shows as text but nobody types code into (the Output panel, debug console…). */
const COMPLETABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-notebook-cell', 'vscode-userdata']);
/** Larger documents are not completed: minified bundles, logs, data dumps. */
export const MAX_COMPLETION_DOCUMENT_CHARS = 5 * 1024 * 1024;
/** Lines of a recent edit handed to the snippet collector. */
const EDIT_WINDOW_LINES = 6;

export interface CompletionProviderState {
  switchboard: Switchboard;
  log: vscode.LogOutputChannel;
  isSnoozed(): boolean;
}

/**
 * The VS Code side of inline completions: reads a bounded window around the
 * cursor and hands it to the core engine, which decides whether a model
 * request is needed at all. Cancellation from VS Code (a keystroke arrived)
 * reaches the engine as an AbortSignal.
 */
export class SwitchboardInlineCompletionProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  readonly engine: CompletionEngine;
  private readonly snippets = new SnippetCollector();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly state: CompletionProviderState) {
    this.engine = createRoutedCompletionEngine(state.switchboard, {
      snippets: this.snippets,
      onError: (error) => state.log.debug(`completion failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    for (const editor of vscode.window.visibleTextEditors) this.noteDocument(editor.document);
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.noteDocument(editor.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.snippets.forgetDocument(document.uri.toString())),
      vscode.workspace.onDidChangeTextDocument((event) => this.noteEdit(event)),
    );
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    if (!this.wanted(document)) return undefined;
    const config = this.state.switchboard.currentConfig.completion;
    const prefixRange = new vscode.Range(startOfWindowBefore(document, position, config.prefixChars), position);
    const suffixRange = new vscode.Range(position, endOfWindowAfter(document, position, config.suffixChars));
    const prefix = document.getText(prefixRange);
    const suffix = document.getText(suffixRange);
    // A NUL byte means binary content shown as text: nothing to complete.
    if (prefix.includes('\0') || suffix.includes('\0')) return undefined;

    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await this.engine.complete(
        {
          uri: document.uri.toString(),
          languageId: document.languageId,
          relativePath: vscode.workspace.asRelativePath(document.uri),
          prefix,
          suffix,
          line: position.line,
        },
        controller.signal,
      );
      if (!result || token.isCancellationRequested) return undefined;
      return [new vscode.InlineCompletionItem(result.text, new vscode.Range(position, position))];
    } finally {
      cancel.dispose();
    }
  }

  private wanted(document: vscode.TextDocument): boolean {
    if (this.state.isSnoozed() || !COMPLETABLE_SCHEMES.has(document.uri.scheme)) return false;
    const { enabled, languages } = this.state.switchboard.currentConfig.completion;
    if (!enabled) return false;
    const forLanguage = languages[document.languageId] ?? languages['*'] ?? true;
    if (!forLanguage) return false;
    const last = document.lineAt(document.lineCount - 1);
    return document.offsetAt(last.range.end) <= MAX_COMPLETION_DOCUMENT_CHARS;
  }

  private noteDocument(document: vscode.TextDocument): void {
    if (!COMPLETABLE_SCHEMES.has(document.uri.scheme)) return;
    this.snippets.noteOpenDocument({
      uri: document.uri.toString(),
      relativePath: vscode.workspace.asRelativePath(document.uri),
      languageId: document.languageId,
      version: () => document.version,
      getText: () => document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 2000), 0)),
    });
  }

  private noteEdit(event: vscode.TextDocumentChangeEvent): void {
    const change = event.contentChanges[0];
    const { document } = event;
    if (!change || !COMPLETABLE_SCHEMES.has(document.uri.scheme)) return;
    const line = change.range.start.line;
    const from = Math.max(0, line - EDIT_WINDOW_LINES / 2);
    const to = Math.min(document.lineCount, line + EDIT_WINDOW_LINES / 2);
    this.snippets.recordEdit({
      uri: document.uri.toString(),
      relativePath: vscode.workspace.asRelativePath(document.uri),
      languageId: document.languageId,
      line,
      text: document.getText(new vscode.Range(from, 0, to, 0)),
    });
  }

  dispose(): void {
    this.engine.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/**
 * The first position of a window of about `chars` characters before
 * `position`, at a line start, found by walking line lengths: the document is
 * never copied whole. A single very long line is cut inside the line.
 */
function startOfWindowBefore(document: vscode.TextDocument, position: vscode.Position, chars: number): vscode.Position {
  let budget = chars - position.character;
  if (budget <= 0) return new vscode.Position(position.line, position.character - chars);
  let line = position.line;
  while (line > 0) {
    const length = document.lineAt(line - 1).text.length + 1;
    if (length > budget) break;
    budget -= length;
    line--;
  }
  return new vscode.Position(line, 0);
}

function endOfWindowAfter(document: vscode.TextDocument, position: vscode.Position, chars: number): vscode.Position {
  const first = document.lineAt(position.line).text.length - position.character;
  let budget = chars - first;
  if (budget <= 0) return new vscode.Position(position.line, position.character + chars);
  let line = position.line;
  while (line + 1 < document.lineCount) {
    const length = document.lineAt(line + 1).text.length + 1;
    if (length > budget) break;
    budget -= length;
    line++;
  }
  return document.lineAt(line).range.end;
}
