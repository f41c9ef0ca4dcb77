import * as vscode from 'vscode';
import { attachment, MAX_ATTACHED_CHARS, type Attachment } from '../../core/prompts/attachments';
import { redactSecrets } from '../../core/redact';
import type { HostToWebview } from '../../shared/chatProtocol';
import { exclusionOf, refuseExcluded } from '../exclusions';
import { documentPathForPrompt } from '../promptPath';

/**
 * The text editor the chat panel attaches from and inserts into: the last one
 * the user was in, since focusing the panel leaves no active editor.
 */
export class LastTextEditor implements vscode.Disposable {
  private last?: vscode.TextEditor = vscode.window.activeTextEditor;
  private readonly disposables: vscode.Disposable[];

  /** `onChange`: the editor or its selection changed (what an attachment would hold). */
  constructor(onChange: () => void) {
    this.disposables = [
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.last = editor;
        onChange();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        this.last = event.textEditor;
        onChange();
      }),
    ];
  }

  /** The last editor, while its document is still open. */
  get editor(): vscode.TextEditor | undefined {
    return this.last && !this.last.document.isClosed ? this.last : undefined;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/**
 * What the attach toggles take from `editor`: its selection and/or its whole
 * document, key-shaped strings masked; nothing of an excluded file.
 */
export function editorAttachments(editor: vscode.TextEditor | undefined, selection: boolean, file: boolean): Attachment[] {
  if (!editor) return [];
  const { document } = editor;
  const path = documentPathForPrompt(document.uri);
  const result: Attachment[] = [];
  if (selection && !editor.selection.isEmpty) {
    result.push(attachment(selectionLabel(path, editor.selection), document.languageId, document.getText(editor.selection)));
  }
  if (file) result.push(attachment(path, document.languageId, document.getText()));
  // Masked after the cut to MAX_ATTACHED_CHARS, so a huge file costs no more than its attached part.
  return refuseExcluded(document.uri, result.map((a) => ({ ...a, text: redactSecrets(a.text) })));
}

/**
 * The `attachmentsPreview` message: what the attach toggles would attach right now, and how much of it
 * (what a whole file costs is seen before sending). Sizes come from offsets: no copy of the text per keystroke.
 */
export function attachmentsPreview(editor: vscode.TextEditor | undefined): HostToWebview {
  if (!editor || editor.document.uri.scheme === 'output') return { type: 'attachmentsPreview', selection: null, file: null };
  const { document } = editor;
  const path = documentPathForPrompt(document.uri);
  const range = editor.selection;
  const excluded = exclusionOf(document.uri);
  const chip = (label: string, from: vscode.Position, to: vscode.Position) => {
    if (excluded) return { label, excluded };
    const length = document.offsetAt(to) - document.offsetAt(from);
    return { label, chars: Math.min(length, MAX_ATTACHED_CHARS), ...(length > MAX_ATTACHED_CHARS ? { ofChars: length } : {}) };
  };
  const end = document.lineAt(document.lineCount - 1).range.end;
  return {
    type: 'attachmentsPreview',
    selection: range.isEmpty ? null : chip(selectionLabel(path, range), range.start, range.end),
    file: chip(path, new vscode.Position(0, 0), end),
  };
}

/** `src/app.ts:3-7`; a selection that ends at the start of a line does not include that line. */
function selectionLabel(path: string, range: vscode.Selection): string {
  const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return `${path}:${range.start.line + 1}-${lastLine + 1}`;
}
