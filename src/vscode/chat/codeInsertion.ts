import * as vscode from 'vscode';
import { describeHiddenCharacters, findHiddenCharacters, withoutHiddenCharacters } from '../../shared/hiddenCharacters';
import { hiddenCharactersRemovedNotice, insertFailedNotice } from '../notificationText';

/**
 * The chat panel's Insert button: replaces the selection of `editor` (the last one the user was in) with `code`.
 * Resolves whether the code went in; when it did not, the user is told why.
 *
 * The code is a model's answer: bidi controls and zero-width characters in it (Trojan Source) are left out,
 * and the user is told which, since the panel showed them marked but an editor with its highlighting turned
 * off would not.
 */
export async function insertCode(editor: vscode.TextEditor | undefined, code: string): Promise<boolean> {
  // An editor whose tab was closed keeps its document open for minutes: inserting there would reopen a
  // file the user put away. Only an editor still on screen counts.
  const target = [editor, vscode.window.activeTextEditor].find((candidate) => candidate && vscode.window.visibleTextEditors.includes(candidate));
  if (!target) {
    void vscode.window.showWarningMessage('Switchboard: open an editor and put the cursor where the code should go, then press Insert again.');
    return false;
  }
  const hidden = findHiddenCharacters(code);
  const text = hidden.length > 0 ? withoutHiddenCharacters(code) : code;
  await vscode.window.showTextDocument(target.document, target.viewColumn);
  const inserted = await target.edit((builder) => builder.replace(target.selection, text));
  if (!inserted) void vscode.window.showWarningMessage(insertFailedNotice(vscode.workspace.asRelativePath(target.document.uri)));
  else if (hidden.length > 0) void vscode.window.showWarningMessage(hiddenCharactersRemovedNotice(hidden.length, describeHiddenCharacters(hidden)));
  return inserted;
}
