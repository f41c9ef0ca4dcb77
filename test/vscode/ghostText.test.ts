import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';

const EXTENSION_ID = 'switchboard-dev.switchboard';
const KEY = fakeKeys.openai('ghost');

const settings = () => vscode.workspace.getConfiguration('switchboard');
const setSetting = (key: string, value: unknown) => settings().update(key, value, vscode.ConfigurationTarget.Global);

/** Waits for `done`, on the event loop's turns (no fixed sleep), up to 10 s. */
async function until(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The prompt of a chat-form completion request the fake received. */
function promptOf(request: { body: unknown } | undefined): string {
  const messages = (request?.body as { messages?: Array<{ content?: unknown }> } | undefined)?.messages ?? [];
  return messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join('\n');
}

/**
 * Ghost text as VS Code itself asks for it, in a real editor: the command
 * Trigger Inline Suggestion, and the suggest widget open with an item selected.
 * Accepting with `editor.action.inlineSuggest.commit` shows what VS Code
 * actually displayed.
 */
describe('Ghost text driven by VS Code', function () {
  let fakes: FakeProviders;
  let sb: SwitchboardTestApi;

  before(async () => {
    fakes = await startFakeProviders();
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports, 'under the test harness activate() returns the test API');
    sb = exports;
    await sb.storeKey('openai', KEY);
    await setSetting('providers.openai.baseUrl', fakes.urls.openai.baseUrl);
    await setSetting('routes.completion', ['openai:gpt-5.4-nano']);
    await setSetting('completion.debounceMs', 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sb.settled();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['providers.openai.baseUrl', 'routes.completion', 'completion.debounceMs']) await setSetting(key, undefined);
    await sb.clearKey('openai');
    await fakes.close();
  });

  async function editorWith(content: string, line: number, character: number): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    const editor = await vscode.window.showTextDocument(document);
    const cursor = new vscode.Position(line, character);
    editor.selection = new vscode.Selection(cursor, cursor);
    return editor;
  }

  it('Trigger Inline Suggestion asks in the middle of a line, where a pause alone asks nothing', async () => {
    fakes.openai.reset();
    fakes.openai.script({ text: 'sum(' });
    const editor = await editorWith('total = prices)\n', 0, 8);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await until(() => fakes.openai.requests.length === 1, () => `a request, not ${fakes.openai.requests.length}`);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await until(() => editor.document.lineAt(0).text === 'total = sum(prices)', () => `the ghost text accepted, not ${JSON.stringify(editor.document.lineAt(0).text)}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('with the suggest widget open, suggests what follows its selected item, and VS Code shows it', async () => {
    fakes.openai.reset();
    fakes.openai.script({ text: '(widget_id)' });
    const items = vscode.languages.registerCompletionItemProvider('python', {
      provideCompletionItems: () => {
        const item = new vscode.CompletionItem('find_widget', vscode.CompletionItemKind.Function);
        item.preselect = true;
        item.sortText = '0';
        return [item];
      },
    });
    try {
      const editor = await editorWith('widget = registry.find_w\n', 0, 24);
      await vscode.commands.executeCommand('editor.action.triggerSuggest');
      await until(
        () => fakes.openai.requests.some((request) => promptOf(request).includes('registry.find_widget')),
        () => `a request continuing the selected item; prompts: ${fakes.openai.requests.map(promptOf).join(' | ')}`,
      );
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      await until(
        () => editor.document.lineAt(0).text === 'widget = registry.find_widget(widget_id)',
        () => `the ghost text accepted, not ${JSON.stringify(editor.document.lineAt(0).text)}`,
      );
    } finally {
      items.dispose();
      await vscode.commands.executeCommand('hideSuggestWidget');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
