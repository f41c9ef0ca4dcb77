import * as vscode from 'vscode';
import { insertFailedNotice } from '../notificationText';

/**
 * The chat panel's Insert button: replaces the selection of `editor` (the last one the user was in) with `code`.
 * Resolves whether the code went in; when it did not, the user is told why.
 */
export async function insertCode(editor: vscode.TextEditor | undefined, code: string): Promise<boolean> {
  // An editor whose tab was closed keeps its document open for minutes: inserting there would reopen a
  // file the user put away. Only an editor still on screen counts.
  const target = [editor, vscode.window.activeTextEditor].find((candidate) => candidate && vscode.window.visibleTextEditors.includes(candidate));
  if (!target) {
    void vscode.window.showWarningMessage('Switchboard: open an editor and put the cursor where the code should go, then press Insert again.');
    return false;
  }
  await vscode.window.showTextDocument(target.document, target.viewColumn);
  const inserted = await target.edit((builder) => builder.replace(target.selection, code));
  if (!inserted) void vscode.window.showWarningMessage(insertFailedNotice(vscode.workspace.asRelativePath(target.document.uri)));
  return inserted;
}
