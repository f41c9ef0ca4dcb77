import assert from 'node:assert/strict';
import {
  askInChat,
  closeSettings,
  clearNotifications,
  fakes,
  openChatPanel,
  notificationToast,
  quickPickRows,
  runCommand,
  runCommandWithInput,
  setLocalServer,
  enterLocalServer,
  hoverStatusBarItem,
  statusBarItem,
  statusBarText,
  useWorkbenchOnFakes,
  waitForLedgerRecord,
  workbench,
} from './harness';

describe('Switchboard in the VS Code workbench', () => {
  // Fakes run, but nothing points Switchboard at them: a new user's workbench.
  useWorkbenchOnFakes({}, { pointAtFakes: false, waitForReady: false });

  it('says in the status bar that no API key is set yet', async () => {
    // The harness gives VS Code no provider credentials, so this is what a new user sees first.
    const text = await statusBarText(workbench.page, { id: 'switchboard.status' });
    assert.match(text, /Switchboard: no API key/);
  });

  it('says in its tooltip what a click on it does, and the click offers the providers to set a key for', async () => {
    const { page } = workbench;
    const tooltip = await (await hoverStatusBarItem(page, { id: 'switchboard.status' })).innerText();
    assert.match(tooltip, /Click to set an OpenAI or Anthropic key/);
    assert.match(tooltip, /run Switchboard: Use a Local Server…/);
    // Its last line once promised the recent requests, which a click here does not show.
    assert.doesNotMatch(tooltip, /Click for recent requests/);
    await page.keyboard.press('Escape');
    await statusBarItem(page, { id: 'switchboard.status' }).click();
    await quickPickRows(page).filter({ hasText: 'OpenAI' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
  });

  it('opens its log in the Output panel from the command palette', async () => {
    const { page } = workbench;
    await runCommand(page, 'Switchboard: Show Log');

    const panel = page.locator('[id="workbench.parts.panel"]');
    // The panel's toolbar and the Output view's own header each carry the channel picker; one is shown.
    const channel = panel.locator('select[aria-label="Switch Output"]').filter({ visible: true }).first();
    await channel.waitFor({ state: 'visible' });
    assert.equal(await channel.inputValue(), 'Switchboard');
    const logLines = panel.locator('.monaco-editor .view-line', { hasText: '[info]' });
    await logLines.first().waitFor({ state: 'visible' });
  });

  it('refuses Ask and Plan before asking anything, with the ways to a provider, while none is set up', async () => {
    const { page } = workbench;
    for (const action of ['Ask', 'Plan']) {
      // runCommand returns only once no input box is open: the question is not asked for in vain.
      await runCommand(page, `Switchboard: ${action}…`);
      const toast = notificationToast(page, `Switchboard: ${action} needs a provider first`);
      await toast.waitFor({ state: 'visible' });
      assert.match(await toast.innerText(), /an OpenAI or Anthropic API key, AWS credentials for Bedrock, or a local server \(switchboard\.providers\.openai\.baseUrl\)/);
      await toast.getByRole('button', { name: 'Use a Local Server…' }).waitFor({ state: 'visible' });
      assert.equal(await page.locator('.tab', { hasText: 'Untitled' }).count(), 0, 'no answer editor left to save or discard');
      if (action === 'Plan') {
        await toast.getByRole('button', { name: 'Set API Key…' }).click();
        await quickPickRows(page).filter({ hasText: 'OpenAI' }).first().waitFor({ state: 'visible' });
        await page.keyboard.press('Escape');
      }
      await clearNotifications(page);
    }
  });
});

/** A key the provider refuses: the failure's notification offers the fix, not only the log. */
describe('An Ask whose key the provider rejects', () => {
  useWorkbenchOnFakes(
    { env: { OPENAI_API_KEY: 'sk-a-mistyped-key' }, userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'] } },
    { fakeProviders: { openai: { apiKey: 'sk-the-right-key' } } },
  );

  it('offers Set API Key… beside Open Log, and it opens the provider pick', async () => {
    const { page } = workbench;
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Is my key right?');
    const toast = notificationToast(page, /openai rejected its API key/);
    await toast.waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Open Log' }).waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Set API Key…' }).click();
    await quickPickRows(page).filter({ hasText: 'OpenAI' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
  });
});

/** A 403 for a model the account may not use: the key works, so the warning says what the provider said, not to set a key. */
describe('An Ask whose model the account may not use', () => {
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4', 'anthropic:claude-sonnet-5'], 'switchboard.auto.enabled': false } });

  it("says the provider's words and falls back, with no Set Key", async () => {
    const { page } = workbench;
    fakes.openai.scriptModel('gpt-5.4', { status: 403, errorCode: 'model_not_found', errorMessage: 'Project proj_x does not have access to model gpt-5.4' });
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'Answered by the next model.' });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Which model answers?');
    const toast = notificationToast(page, /openai denied access/);
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /Switchboard: openai denied access \(403, model_not_found\): Project proj_x does not have access to model gpt-5\.4; falling back to the next model\./);
    await toast.getByRole('button', { name: 'Open Log' }).waitFor({ state: 'visible' });
    assert.equal(await toast.getByRole('button', { name: 'Set Key' }).count(), 0, 'no key to set: the key was accepted');
    assert.doesNotMatch(await toast.innerText(), /rejected its credentials/);
    await clearNotifications(page);
  });
});

/**
 * The chat panel of a new user with no provider: the question is refused in the panel, kept in the box, and sent
 * once a local server is set through the panel's own button, with no reload.
 */
describe('The chat panel before any provider is set up', () => {
  const QUESTION = 'How do I sort numbers?';
  // No key, no endpoint: the fakes run, but nothing points Switchboard at them yet.
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false } }, { pointAtFakes: false, waitForReady: false });

  it('refuses a question before sending it, keeps it in the box, and offers the ways to a provider', async () => {
    const { page } = workbench;
    const chat = await openChatPanel(page, 'palette');
    const notice = chat.locator('#no-key');
    await notice.waitFor({ state: 'visible' });
    assert.deepEqual(await notice.locator('button').allInnerTexts(), ['Set API Key…', 'Use a Local Server…']);
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').pressSequentially(QUESTION);
    await chat.locator('#prompt').press('Enter');
    await chat.locator('#composer-hint', { hasText: 'Not sent: Switchboard has no provider to ask yet' }).waitFor({ state: 'visible' });
    assert.equal(await chat.locator('#prompt').inputValue(), QUESTION, 'nothing typed is lost');
    assert.equal(await chat.locator('.message').count(), 0, 'no question shown, and no error naming every model of the route');

    await notice.getByRole('button', { name: 'Set API Key…' }).click();
    await quickPickRows(page).filter({ hasText: 'OpenAI' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
  });

  it('sends the kept question once a local server is set from the notice, without a reload', async () => {
    const { page } = workbench;
    fakes.openai.scriptModel('gpt-5.4', { text: 'Pass a comparator: `(a, b) => a - b`.' });
    const chat = await openChatPanel(page, 'palette');
    await chat.locator('#no-key').getByRole('button', { name: 'Use a Local Server…' }).click();
    // The address, then the offer of the server's models: the routes kept, as the fake answers any model.
    // The panel follows the change without a reload.
    await enterLocalServer(page, fakes.urls.openai.baseUrl);
    await chat.locator('#no-key').waitFor({ state: 'hidden' });
    assert.equal(await chat.locator('#prompt').inputValue(), QUESTION);
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.user', { hasText: QUESTION }).waitFor({ state: 'visible' });
    await chat.locator('.message.assistant .answer-footer').waitFor({ state: 'visible' });
    await waitForLedgerRecord(workbench.server.ledgerPath, (record) => record.task === 'chat' && record.outcome === 'ok', 'the chat answer');
    const asked = JSON.stringify(fakes.openai.requests.at(-1)?.body);
    assert.ok(asked.includes(QUESTION), 'the kept question went to the server');
  });

  it("refuses Ask again on a failed answer once the local server's setting is gone, keeps the question, and asks it once the setting is back", async () => {
    const { page } = workbench;
    const FAILING = 'And strings?';
    const chat = await openChatPanel(page, 'palette');
    fakes.openai.script({ status: 400, errorMessage: 'unsupported parameter: temperature' });
    await askInChat(chat, FAILING);
    const askAgain = chat.locator('.message.assistant button.ask-again');
    await askAgain.waitFor({ state: 'visible' });

    // The local server's setting emptied in the Settings editor: no provider is left.
    await runCommand(page, 'Preferences: Open User Settings');
    await page.locator('.settings-editor .search-container').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('switchboard.providers.openai.baseUrl');
    await setLocalServer(page, '');
    await chat.locator('#no-key').waitFor({ state: 'visible' });
    await closeSettings(page);

    const requests = fakes.openai.requests.length;
    const messages = await chat.locator('.message').count();
    await askAgain.click();
    await chat
      .locator('#composer-hint', { hasText: 'Not sent: Switchboard has no provider to ask yet (see above). The question stays in the conversation; press Ask again once one is set up.' })
      .waitFor({ state: 'visible' });
    assert.equal(await chat.locator('.message').count(), messages, "no new answer: not the router's error naming every model of the route");
    assert.equal(fakes.openai.requests.length, requests, 'nothing reached the server');
    assert.equal(await askAgain.isEnabled(), true, 'Ask again stays pressable for when a provider is back');

    await chat.locator('#no-key').getByRole('button', { name: 'Use a Local Server…' }).click();
    await enterLocalServer(page, fakes.urls.openai.baseUrl);
    await chat.locator('#no-key').waitFor({ state: 'hidden' });
    await chat.locator('#composer-hint').waitFor({ state: 'hidden' });
    fakes.openai.scriptModel('gpt-5.4', { text: 'Use `localeCompare`.' });
    await askAgain.click();
    await chat.locator('.message.assistant', { hasText: 'Use localeCompare.' }).locator('.answer-footer').waitFor({ state: 'visible' });
    assert.ok(JSON.stringify(fakes.openai.requests.at(-1)?.body).includes(FAILING), 'the kept question went to the server');
  });
});
