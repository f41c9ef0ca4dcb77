import * as vscode from 'vscode';
import type { EditorIndent } from '../core/completion/textWindow';

/**
 * How the editor indents `document`, for the ghost text's indentation where the lines around the cursor show none:
 * its visible editor's options (which `editor.detectIndentation` has read from the file), else the
 * `editor.tabSize` and `editor.insertSpaces` settings for its language. Without it, a JSON file of one line got four
 * spaces where the editor itself would insert two (or a tab).
 */
export function editorIndentOf(document: vscode.TextDocument): EditorIndent | undefined {
  const options = vscode.window.visibleTextEditors.find((editor) => editor.document === document)?.options;
  const settings = vscode.workspace.getConfiguration('editor', document);
  const tabSize = sizeOf(options?.tabSize) ?? sizeOf(settings.get<unknown>('tabSize'));
  const insertSpaces = typeof options?.insertSpaces === 'boolean' ? options.insertSpaces : settings.get<unknown>('insertSpaces');
  if (tabSize === undefined || typeof insertSpaces !== 'boolean') return undefined;
  return { tabSize, insertSpaces };
}

/** A tab size as a number of columns; anything else ("auto" unresolved, a setting written wrong) is none. */
function sizeOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 16 ? value : undefined;
}
