import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { fakeKeys } from '../fakes/fakeKeys';

const EXTENSION_ID = 'switchboard-dev.switchboard';

/**
 * The commands confirm a key change only once the providers use it: a request
 * made right after the confirmation must not go with the old key. Checked
 * right after the command resolves, without waiting for anything else.
 */
describe('The API key commands', () => {
  let sb: SwitchboardTestApi;

  before(async () => {
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports);
    sb = exports;
  });

  after(async () => {
    await sb.clearKey('openai');
  });

  it('Clear OpenAI API Key resolves once the providers no longer use the removed key', async () => {
    await sb.storeKey('openai', fakeKeys.openai('cleared-by-command'));
    assert.equal(sb.providerStatus('openai')?.keySource, 'stored', 'the providers use the stored key');

    // The command asks first (commandConsent.ts): answered as the user would.
    const asked = sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.clearOpenAIKey');
    assert.equal(asked[0]?.message, "Remove your OpenAI API key from VS Code's secret storage?");
    assert.notEqual(sb.providerStatus('openai')?.keySource, 'stored', 'a request made now would still go with the removed key');
  });
});
