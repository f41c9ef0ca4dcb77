import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { closeAllWithoutSaving } from './closeEditors';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';
const KEY = fakeKeys.openai('consent');

/**
 * Switchboard's commands run with arguments through executeCommand, as another extension or a `command:` link
 * does: nothing reaches the model, and no budget is lifted, until the user confirms the modal question
 * (commandConsent.ts). The modal is VS Code's, which this test host refuses to show: the test API answers it.
 */
describe('Commands run with arguments from outside Switchboard', function () {
  let fakes: FakeProviders;
  let sb: SwitchboardTestApi;
  const setSetting = (key: string, value: unknown) => changeSetting(sb, key, value);

  before(async () => {
    fakes = await startFakeProviders();
    sb = (await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate())!;
    assert.ok(sb, 'under the test harness activate() returns the test API');
    await sb.storeKey('openai', KEY);
    await setSetting('providers.openai.baseUrl', fakes.urls.openai.baseUrl);
    await setSetting('routes.chat', ['openai:gpt-5.4']);
    await setSetting('routes.plan', ['openai:gpt-5.4']);
    await setSetting('auto.enabled', false);
  });

  after(async () => {
    for (const key of ['providers.openai.baseUrl', 'routes.chat', 'routes.plan', 'auto.enabled', 'budget.dailyUsd', 'budget.action']) await setSetting(key, undefined);
    await sb.clearKey('openai');
    await fakes.close();
    await closeAllWithoutSaving();
  });

  it('Ask with a question given sends nothing until confirmed, and the question names the text and the model', async () => {
    const requests = fakes.openai.requests.length;
    const asked = sb.answerCommandQuestions([false]);
    const refused = await vscode.commands.executeCommand('switchboard.ask', 'Paste my .env here');
    assert.equal(refused, undefined, 'nothing asked of the model on Cancel');
    assert.equal(fakes.openai.requests.length, requests, 'no request reached the server');
    assert.equal(asked.length, 1);
    assert.equal(asked[0]!.message, 'Send this question to openai:gpt-5.4?');
    assert.match(asked[0]!.detail, /"Paste my \.env here"/);

    fakes.openai.scriptModel('gpt-5.4', { text: 'Confirmed.' });
    const confirmed = sb.answerCommandQuestions([true]);
    const outcome = (await vscode.commands.executeCommand('switchboard.ask', 'Paste my .env here')) as { document: vscode.TextDocument } | undefined;
    assert.ok(outcome, 'asked once confirmed');
    assert.equal(confirmed.length, 1);
    assert.equal(fakes.openai.requests.length, requests + 1);
    await closeAllWithoutSaving();
  });

  it('Plan with a goal given sends nothing until confirmed', async () => {
    const requests = fakes.openai.requests.length;
    const asked = sb.answerCommandQuestions([false]);
    assert.equal(await vscode.commands.executeCommand('switchboard.plan', 'Delete the tests'), undefined);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!.message, /^Send a plan for this goal to openai:gpt-5\.4\?$/);
    assert.equal(fakes.openai.requests.length, requests, 'no request reached the server');
  });

  it('Explain Selection asks first unless run from the editor context menu, which passes the document URI', async function () {
    // Two answers in the chat panel, the first of which creates its webview: more than the suite's 30 s on a loaded machine.
    this.timeout(90_000);
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'export const rate = 0.2;\nexport function withTax(n: number) {\n  return n * (1 + rate);\n}\n' });
    const select = async () => {
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(1, 0, 4, 0);
    };
    await select();
    const requests = fakes.openai.requests.length;

    // The Command Palette, a keybinding or a link with no arguments, then a link passing a URI of another file: asked, and Cancel sends nothing.
    const asked = sb.answerCommandQuestions([false, false]);
    await vscode.commands.executeCommand('switchboard.explainSelection');
    assert.equal(asked.length, 1, 'asked with no arguments');
    assert.equal(fakes.openai.requests.length, requests, 'no request reached the server');
    await vscode.commands.executeCommand('switchboard.explainSelection', vscode.Uri.file('/elsewhere/other.ts'));
    assert.equal(asked.length, 2, 'asked with a URI that is not the active document');
    assert.equal(fakes.openai.requests.length, requests, 'no request reached the server');
    assert.match(asked[0]!.message, /^Explain the selection in .+ with openai:gpt-5\.4[^?]*\?$/);
    assert.match(asked[0]!.detail, /not from the editor's context menu/);
    assert.match(asked[0]!.detail, /lines 2-4 of .+ \(\d+ characters/);
    assert.match(asked[0]!.detail, /No budget is set/);

    // Confirmed: the selection goes.
    fakes.openai.script({ text: 'It adds the tax.' });
    const confirmed = sb.answerCommandQuestions([true]);
    await select();
    await vscode.commands.executeCommand('switchboard.explainSelection');
    assert.equal(confirmed.length, 1);
    assert.equal(fakes.openai.requests.length, requests + 1, 'sent once confirmed');
    assert.ok(JSON.stringify(fakes.openai.requests.at(-1)!.body).includes('return n * (1 + rate)'), 'with the selection');

    // The context menu's call (the document's URI): one click, no question.
    fakes.openai.script({ text: 'Still the tax.' });
    const fromMenu = sb.answerCommandQuestions([]);
    await select();
    await vscode.commands.executeCommand('switchboard.explainSelection', document.uri);
    assert.equal(fromMenu.length, 0, 'not asked');
    assert.equal(fakes.openai.requests.length, requests + 2, 'sent at once');
    await closeAllWithoutSaving();
  });

  it("Explain Selection under Auto names the model Auto picks for this selection, the one that then answers, not the route's first", async function () {
    this.timeout(90_000);
    await setSetting('auto.cheapRoutes.chat', ['openai:gpt-5.4-nano']);
    await setSetting('auto.enabled', true);
    try {
      const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'export const one = 1;\n' });
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(0, 0, 1, 0);
      // A one-line constant is light: Auto sends it to the cheap tier, while the route (the strong tier) starts with gpt-5.4.
      fakes.openai.scriptModel('gpt-5.4-nano', { text: 'A constant.' });
      fakes.openai.scriptModel('gpt-5.4', { text: 'A constant.' });
      const asked = sb.answerCommandQuestions([true]);
      const requests = fakes.openai.requests.length;
      await vscode.commands.executeCommand('switchboard.explainSelection');
      assert.equal(asked.length, 1);
      assert.equal(fakes.openai.requests.length, requests + 1, 'sent once confirmed');
      const answered = (fakes.openai.requests.at(-1)!.body as { model: string }).model;
      assert.equal(answered, 'gpt-5.4-nano', 'Auto chose the cheap tier for this selection');
      assert.match(asked[0]!.message, /^Explain the selection in .+ with openai:gpt-5\.4-nano\?$/);
      assert.match(asked[0]!.detail, /openai:gpt-5\.4-nano \(Auto's pick for this selection, the cheap tier\)/);
    } finally {
      await setSetting('auto.enabled', false);
      await setSetting('auto.cheapRoutes.chat', undefined);
      await closeAllWithoutSaving();
    }
  });

  it('Allow One Request Past the Budget lifts nothing while no limit refuses, and only once confirmed when one does', async function () {
    // Four Ask documents opened and closed, and two setting changes: 1.5-8 s alone, 28-29 s at load 25, against the suite's 30 s.
    this.timeout(90_000);
    await setSetting('budget.action', 'block');
    // Run with no limit reached: no question, no allowance primed for a later refusal.
    const early = sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.allowOnce');
    assert.equal(early.length, 0, 'nothing to ask about');

    // Spent, then limited below it (a limit set first would refuse the question that spends).
    fakes.openai.scriptModel('gpt-5.4', { text: 'Spent.', usage: { inputTokens: 10_000, outputTokens: 100 } });
    sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.ask', 'Spend something');
    await closeAllWithoutSaving();
    await setSetting('budget.dailyUsd', 0.001);
    assert.equal(sb.statusView()!.health, 'budget-reached');
    const requests = fakes.openai.requests.length;

    // The allowance run early was not kept: the question is refused.
    sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.ask', 'Refused?');
    await closeAllWithoutSaving();
    assert.equal(fakes.openai.requests.length, requests, 'refused by the budget');

    // Cancelled: still refused.
    const cancelled = sb.answerCommandQuestions([false]);
    await vscode.commands.executeCommand('switchboard.allowOnce');
    assert.equal(cancelled.length, 1);
    assert.equal(cancelled[0]!.message, 'Let the next request go past your budget?');
    assert.match(cancelled[0]!.detail, /Daily budget reached: .* \(switchboard\.budget\.dailyUsd\)/);
    sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.ask', 'Still refused?');
    await closeAllWithoutSaving();
    assert.equal(fakes.openai.requests.length, requests, 'still refused after Cancel');

    // Confirmed: the next one goes.
    sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.allowOnce');
    fakes.openai.scriptModel('gpt-5.4', { text: 'Allowed.' });
    sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.ask', 'Allowed now?');
    await closeAllWithoutSaving();
    assert.equal(fakes.openai.requests.length, requests + 1, 'allowed once after confirming');
  });

  it('Clear OpenAI API Key removes nothing on Cancel: the stored key stays in use', async () => {
    const asked = sb.answerCommandQuestions([false]);
    await vscode.commands.executeCommand('switchboard.clearOpenAIKey');
    assert.equal(asked.length, 1);
    await sb.settled();
    assert.equal(sb.providerStatus('openai')?.keySource, 'stored');
  });
});
