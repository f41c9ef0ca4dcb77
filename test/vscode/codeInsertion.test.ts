import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { insertCode } from '../../src/vscode/chat/codeInsertion';

describe("The chat panel's Insert button in the editor", () => {
  let dir: string;
  let file: vscode.Uri;
  let files = 0;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-insert-'));
  });
  // A file of its own per test: reverting the last test's insertion (a command on whichever editor is active)
  // could leave it in the next test's text on a busy machine.
  beforeEach(async () => {
    file = vscode.Uri.file(path.join(dir, `inventory-${++files}.ts`));
    await writeFile(file.fsPath, 'const a = 1;\nconst b = 2;\n');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await rm(dir, { recursive: true, force: true });
  });

  it('inserts at the cursor of the editor the user was in', async () => {
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    assert.equal(await insertCode(editor, '// inserted\n'), true);
    assert.equal(editor.document.getText(), 'const a = 1;\n// inserted\nconst b = 2;\n');
    // Saved, so closing the editors later asks nothing.
    await editor.document.save();
  });

  it('leaves out bidi controls and zero-width characters (Trojan Source), keeping an emoji whole', async () => {
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const trojan = 'if (role != "user\u202E \u2066// admin only\u2069 \u2066") grant();\u200B // \u{1F469}\u200D\u{1F4BB}\n';
    assert.equal(await insertCode(editor, trojan), true);
    assert.equal(editor.document.getText(), 'const a = 1;\nif (role != "user // admin only ") grant(); // \u{1F469}\u200D\u{1F4BB}\nconst b = 2;\n');
    await editor.document.save();
  });

  it('inserts nothing, and does not open the file again, when that editor was closed since', async () => {
    const editor = await vscode.window.showTextDocument(file);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The document stays open for a while after its last tab closes: the editor is what is gone.
    assert.equal(editor.document.isClosed, false);
    assert.equal(await insertCode(editor, '// nowhere\n'), false);
    assert.deepEqual(vscode.window.visibleTextEditors, [], 'the closed file was not opened again');
    assert.equal(editor.document.getText(), 'const a = 1;\nconst b = 2;\n');
    assert.equal(await insertCode(undefined, '// nowhere\n'), false);
  });
});
