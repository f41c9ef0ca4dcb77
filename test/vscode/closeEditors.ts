import * as vscode from 'vscode';

/**
 * Closes every editor without a save dialog. An unsaved document (an Ask answer, an untitled document a test
 * opened with content) would make closing it ask "Save changes?", which the test workbench refuses with
 * "DialogService: Dialog requested during smoke test" (the run script fails on it). Each editor is reverted as it is
 * closed, dirty or not: a document's dirty state reaches the extension host after the edit that made it so, and on a
 * loaded machine an answer the host still saw as clean was left to closeAllEditors, which asked to save it (seen once
 * with both cores pinned). Reverting a clean editor just closes it.
 */
export async function closeAllWithoutSaving(): Promise<void> {
  const openTabs = (): number => vscode.window.tabGroups.all.reduce((count, group) => count + group.tabs.length, 0);
  for (const document of vscode.workspace.textDocuments.filter((open) => open.isDirty && !open.isClosed)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  // Bounded: an editor that will not close (none today) leaves the rest to closeAllEditors below.
  for (let left = openTabs(), tries = left + 2; left > 0 && tries > 0; left = openTabs(), tries--) {
    const group = vscode.window.tabGroups.all.find((candidate) => candidate.tabs.length > 0);
    const tab = group?.activeTab ?? group?.tabs[0];
    if (!tab) break;
    if (tab.input instanceof vscode.TabInputText) await vscode.window.showTextDocument(tab.input.uri, { viewColumn: group?.viewColumn, preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
