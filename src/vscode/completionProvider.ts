import * as vscode from 'vscode';
import type { CompletionEngine } from '../core/completion/completionEngine';
import { DEFAULT_SNIPPET_LIMITS, SnippetCollector } from '../core/completion/contextSnippets';
import { DocumentStrings } from '../core/completion/documentStrings';
import { MAX_COMPLETION_DOCUMENT_CHARS } from '../core/completion/documentWindow';
import { fenceLanguageOff } from '../core/completion/fencedCode';
import { languageOn } from '../core/completion/languages';
import { createRoutedCompletionEngine } from '../core/completion/routedCompletions';
import { wholeCharacters } from '../core/completion/textWindow';
import type { Switchboard } from '../core/switchboard';
import { editorIndentOf } from './editorIndent';
import { exclusionOf, isExcluded, isExcludedUri } from './exclusions';
import { editWindow, headWindowEnd, MAX_CELLS_ABOVE, otherCursorsReadTheSame, readInlineRequest, withCellsAbove, type DocumentText } from './inlineRequest';
import { documentPathForPrompt } from './promptPath';
import { isRestricted } from './workspaceTrust';

/**
 * Where people type code. Not the Output panel or debug console, and never
 * `vscode-userdata:` (VS Code's own settings, keybindings and snippets).
 */
const COMPLETABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-notebook-cell']);
/** Lines above and below a recent edit handed to the snippet collector. */
const EDIT_WINDOW_RADIUS = 3;
/** Lines read from the start of another open document for snippets. */
const SNIPPET_DOCUMENT_LINES = 2000;

export interface CompletionProviderState {
  switchboard: Switchboard;
  log: vscode.LogOutputChannel;
  isSnoozed(): boolean;
  /** Shows a short note where the user looks after asking for ghost text (the status bar's message area). */
  tell(note: string): void;
}

/**
 * The VS Code side of inline completions: reads a bounded window around the
 * cursor and hands it to the core engine, which decides whether a model
 * request is needed at all. Cancellation from VS Code (a keystroke arrived)
 * reaches the engine as an AbortSignal.
 */
export class SwitchboardInlineCompletionProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  readonly engine: CompletionEngine;
  private readonly snippets = new SnippetCollector({}, { isExcluded: isExcludedUri });
  private readonly disposables: vscode.Disposable[] = [];
  /** The notebook cell of a cell's document, found once per document: the search walks the notebook's cells. */
  private readonly cells = new WeakMap<vscode.TextDocument, vscode.NotebookCell>();
  /** What is open (a docstring, a template) at the start of the text a completion reads, per document. */
  private readonly strings = new DocumentStrings();

  constructor(private readonly state: CompletionProviderState) {
    this.engine = createRoutedCompletionEngine(state.switchboard, {
      snippets: this.snippets,
      onError: (error) => state.log.debug(`completion failed: ${error instanceof Error ? error.message : String(error)}`),
      // Why ghost text came or did not, a line a step, only while the log level is Debug ("Developer: Set Log Level…").
      onStep: (step, input, elapsedMs) => {
        if (state.log.logLevel > vscode.LogLevel.Debug || state.log.logLevel === vscode.LogLevel.Off) return;
        // The cursor's column from the prefix's last line (read back to its line break only).
        const column = input.prefix.length - input.prefix.lastIndexOf('\n');
        state.log.debug(`completion at ${input.relativePath}:${(input.line ?? -1) + 1}:${column}${input.explicit ? ' (asked for)' : ''} after ${Math.round(elapsedMs)} ms: ${step}`);
      },
    });
    for (const editor of vscode.window.visibleTextEditors) this.noteDocument(editor.document);
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.noteDocument(editor.document)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.snippets.forgetDocument(document.uri.toString());
        this.strings.forget(document.uri.toString());
      }),
      vscode.workspace.onDidChangeTextDocument((event) => this.noteEdit(event)),
    );
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    // Snooze pauses the suggestions a pause in typing brings; one asked for (`explicit`) still comes.
    if (this.state.isSnoozed() && !explicit) return undefined;
    const refused = this.refusedHere(document);
    if (refused) return this.refuse(document, refused, explicit);
    if (!this.fitsEveryCursor(document, position)) {
      if (explicit) this.state.tell('Switchboard: no ghost text with cursors in lines that differ: it would be inserted at every cursor');
      return undefined;
    }
    const config = this.state.switchboard.currentConfig.completion;
    const selected = context.selectedCompletionInfo;
    const read = readInlineRequest(
      documentText(document),
      position,
      config,
      selected && { start: selected.range.start, end: selected.range.end, text: selected.text },
    );
    if (!read) return undefined;
    const cell = this.cellOf(document);
    const prefix = cell ? withCellsAbove(read.prefix, codeCellsAbove(cell), config.prefixChars) : read.prefix;
    // A Markdown code block is asked for only where its own language is on too (see fenceLanguageOff), read from
    // the text the engine reads it from.
    const fenceOff = fenceLanguageOff(config.languages, document.languageId, prefix);
    if (fenceOff) return this.refuse(document, `it is off for ${fenceOff} (switchboard.completion.languages), the language of this code block`, explicit);
    // What is open where this document's text starts in the prefix; a notebook's cells above it come first, each
    // a script of its own (a cell is a document of its own too, so its strings are read from the cell's start).
    const openAtStart = this.strings.openAtPosition(document.uri.toString(), document.languageId, documentText(document), read.start);
    const openFrom = prefix.length - read.prefix.length;

    const indent = editorIndentOf(document);

    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await this.engine.complete(
        {
          uri: document.uri.toString(),
          languageId: document.languageId,
          relativePath: documentPathForPrompt(document.uri),
          prefix,
          suffix: read.suffix,
          line: position.line,
          eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
          ...(indent && { indent }),
          explicit,
          ...(openAtStart && { openAtStart, ...(openFrom > 0 && { openFrom }) }),
        },
        controller.signal,
      );
      // A cursor added while the model answered (VS Code asks again when one is typed at, not when one is added).
      if (!result || token.isCancellationRequested || !this.fitsEveryCursor(document, position)) return undefined;
      const { start, end, lead } = read.replace;
      return [new vscode.InlineCompletionItem(lead + result.text, new vscode.Range(start.line, start.character, end.line, end.character))];
    } finally {
      cancel.dispose();
    }
  }

  /** No ghost text. Asked for with Alt+\ and nothing comes: says why, or the user keeps pressing it (a pause in typing stays quiet). */
  private refuse(document: vscode.TextDocument, reason: string, explicit: boolean): undefined {
    if (explicit) {
      this.state.log.info(`ghost text asked for in ${documentPathForPrompt(document.uri)}: none, ${reason}`);
      this.state.tell(`Switchboard: no ghost text here: ${reason}`);
    }
    return undefined;
  }

  /**
   * Why no ghost text is asked for in `document`, naming the setting or command that changes it; undefined when it
   * may be. One check for both the pause and Alt+\ (which says the reason): the text is built only when refused.
   */
  private refusedHere(document: vscode.TextDocument): string | undefined {
    if (isRestricted()) return 'this workspace is in Restricted Mode (Manage Workspace Trust)';
    if (!COMPLETABLE_SCHEMES.has(document.uri.scheme)) return `Switchboard does not complete ${document.uri.scheme}: documents`;
    const excluded = exclusionOf(document.uri);
    if (excluded) return `this file is ${excluded}`;
    const { enabled, languages } = this.state.switchboard.currentConfig.completion;
    if (!enabled) return 'it is off (switchboard.completion.enabled)';
    if (!languageOn(languages, document.languageId)) return `it is off for ${document.languageId} (switchboard.completion.languages)`;
    const last = document.lineAt(document.lineCount - 1);
    if (document.offsetAt(last.range.end) > MAX_COMPLETION_DOCUMENT_CHARS) return `the file is over ${MAX_COMPLETION_DOCUMENT_CHARS / (1024 * 1024)} MB`;
    return undefined;
  }

  /**
   * False when `document` is shown with several cursors, `position` the
   * primary one, and some other cursor stands in a line that differs (see
   * `otherCursorsReadTheSame`): VS Code would insert the text at each of them.
   */
  private fitsEveryCursor(document: vscode.TextDocument, position: vscode.Position): boolean {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document || editor.selections.length < 2 || !editor.selection.end.isEqual(position)) continue;
      const others = editor.selections.slice(1).map((selection) => selection.end);
      if (!otherCursorsReadTheSame(documentText(document), position, others)) return false;
    }
    return true;
  }

  /** The notebook cell `document` is, when it is one (of a notebook that is not excluded). */
  private cellOf(document: vscode.TextDocument): vscode.NotebookCell | undefined {
    if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
    let cell = this.cells.get(document);
    if (!cell || cell.index === -1) {
      cell = undefined;
      // A cell's URI has its notebook's path; the notebook's own scheme differs (file, untitled…).
      for (const notebook of vscode.workspace.notebookDocuments) {
        if (notebook.uri.path !== document.uri.path) continue;
        for (let i = 0; i < notebook.cellCount && !cell; i++) if (notebook.cellAt(i).document === document) cell = notebook.cellAt(i);
        if (cell) break;
      }
      if (!cell) return undefined;
      this.cells.set(document, cell);
    }
    return isExcluded(cell.notebook.uri) ? undefined : cell;
  }

  /** Excluded files get no ghost text and lend no snippets. */
  private usable(document: vscode.TextDocument): boolean {
    return COMPLETABLE_SCHEMES.has(document.uri.scheme) && !isExcluded(document.uri);
  }

  private noteDocument(document: vscode.TextDocument): void {
    if (!this.usable(document)) return;
    this.snippets.noteOpenDocument({
      uri: document.uri.toString(),
      relativePath: documentPathForPrompt(document.uri),
      languageId: document.languageId,
      version: () => document.version,
      getText: () => {
        const end = headWindowEnd(documentText(document), SNIPPET_DOCUMENT_LINES, DEFAULT_SNIPPET_LIMITS.maxCharsPerDocument);
        return wholeCharacters(document.getText(new vscode.Range(0, 0, end.line, end.character)));
      },
    });
  }

  private noteEdit(event: vscode.TextDocumentChangeEvent): void {
    const change = event.contentChanges[0];
    const { document } = event;
    if (event.contentChanges.length > 0) {
      this.strings.edited(document.uri.toString(), Math.min(...event.contentChanges.map((each) => each.range.start.line)));
    }
    if (!change || !this.usable(document)) return;
    const { line, character } = change.range.start;
    const { start, end } = editWindow(documentText(document), { line, character }, EDIT_WINDOW_RADIUS, DEFAULT_SNIPPET_LIMITS.maxEditChars);
    this.snippets.recordEdit({
      uri: document.uri.toString(),
      relativePath: documentPathForPrompt(document.uri),
      languageId: document.languageId,
      line,
      text: wholeCharacters(document.getText(new vscode.Range(start.line, start.character, end.line, end.character))),
    });
  }

  dispose(): void {
    this.engine.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function documentText(document: vscode.TextDocument): DocumentText {
  return {
    lineCount: document.lineCount,
    lineLength: (line) => document.lineAt(line).text.length,
    getText: (start, end) => document.getText(new vscode.Range(start.line, start.character, end.line, end.character)),
  };
}

/**
 * The code cells above `cell` in its notebook, nearest first, in its language
 * (a shell or SQL cell in a Python notebook is not Python the model should
 * continue); markdown cells are skipped. At most MAX_CELLS_ABOVE are looked at.
 */
function* codeCellsAbove(cell: vscode.NotebookCell): Generator<DocumentText> {
  const { notebook } = cell;
  const languageId = cell.document.languageId;
  for (let i = cell.index - 1, looked = 0; i >= 0 && looked < MAX_CELLS_ABOVE; i--, looked++) {
    const above = notebook.cellAt(i);
    if (above.kind === vscode.NotebookCellKind.Code && above.document.languageId === languageId) yield documentText(above.document);
  }
}
