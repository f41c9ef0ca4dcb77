import * as vscode from 'vscode';

/**
 * Closes every editor without a save dialog. An unsaved document (an Ask answer, an untitled document a test
 * opened with content) would make closing it ask "Save changes?", which the test workbench refuses with
 * "DialogService: Dialog requested during smoke test" (the run script fails on it): each is reverted first,
 * which closes its editor asking nothing.
 */
export async function closeAllWithoutSaving(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((open) => open.isDirty && !open.isClosed)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
