import * as vscode from 'vscode';

/** The chat panel's Insert button: replaces the selection of `editor` (the last one the user was in) with `code`. */
export async function insertCode(editor: vscode.TextEditor | undefined, code: string): Promise<void> {
  const target = editor ?? vscode.window.activeTextEditor;
  if (!target) {
    void vscode.window.showWarningMessage('Switchboard: open an editor to insert the code into.');
    return;
  }
  await vscode.window.showTextDocument(target.document, target.viewColumn);
  await target.edit((builder) => builder.replace(target.selection, code));
}
