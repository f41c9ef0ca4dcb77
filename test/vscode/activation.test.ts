import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'switchboard-dev.switchboard';

describe('Switchboard in VS Code', () => {
  it('is installed, activates, and offers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the loaded extensions`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('switchboard.showLog'), 'the command "Switchboard: Show Log" is not registered');
  });
});
