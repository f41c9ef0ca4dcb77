import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'switchboard-dev.switchboard';

describe('Switchboard in VS Code', () => {
  it('is installed, activates, and offers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the loaded extensions`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 10, `package.json contributes ${contributed.length} commands`);
    // A command in the palette that activate() never registered fails with "command not found" when picked.
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });
});
