import * as vscode from 'vscode';

/**
 * The first document that `matches`: one already open, or else the next to open (an Output channel's document, which
 * the workbench opens when the panel shows it). Listens for the opening rather than polling, so a test waits exactly
 * as long as the workbench takes. Call it before the command that opens the document, so the event cannot be missed.
 */
export function documentOpened(matches: (document: vscode.TextDocument) => boolean): Promise<vscode.TextDocument> {
  const open = vscode.workspace.textDocuments.find(matches);
  if (open) return Promise.resolve(open);
  return new Promise((resolve) => {
    const listening = vscode.workspace.onDidOpenTextDocument((document) => {
      if (matches(document)) {
        listening.dispose();
        resolve(document);
      }
    });
  });
}
