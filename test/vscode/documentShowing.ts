import * as vscode from 'vscode';

/**
 * The document whose text first comes to hold `text` (an answer streaming into a new editor). Listens for changes
 * rather than polling, so a test waits exactly as long as the answer takes to get there.
 */
export function documentShowing(text: string): Promise<vscode.TextDocument> {
  return new Promise((resolve) => {
    const listening = vscode.workspace.onDidChangeTextDocument(({ document }) => {
      if (document.getText().includes(text)) {
        listening.dispose();
        resolve(document);
      }
    });
  });
}
