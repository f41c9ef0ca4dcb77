import assert from 'node:assert/strict';
import { startFakeProviders, type FakeProviders } from '../fakes';
import {
  captureFailuresAndCloseAfterSuite,
  clearNotifications,
  notificationToast,
  openWorkbench,
  openWorkbenchOnFakes,
  quickPickRows,
  runCommand,
  runCommandWithInput,
  statusBarText,
  waitForSwitchboardReady,
  type Workbench,
} from './harness';

describe('Switchboard in the VS Code workbench', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  captureFailuresAndCloseAfterSuite(() => workbench);

  it('says in the status bar that no API key is set yet', async () => {
    // The harness gives VS Code no provider credentials, so this is what a new user sees first.
    const text = await statusBarText(workbench.page, { id: 'switchboard.status' });
    assert.match(text, /Switchboard: no API key/);
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
      await toast.getByRole('button', { name: 'Use a Local Server' }).waitFor({ state: 'visible' });
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
  let fakes: FakeProviders;
  let workbench: Workbench;

  before(async () => {
    fakes = await startFakeProviders({ openai: { apiKey: 'sk-the-right-key' } });
    workbench = await openWorkbenchOnFakes(fakes, {
      env: { OPENAI_API_KEY: 'sk-a-mistyped-key' },
      userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'] },
    });
    await waitForSwitchboardReady(workbench.page);
  });

  captureFailuresAndCloseAfterSuite(() => workbench, () => fakes);

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
