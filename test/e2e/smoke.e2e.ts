import assert from 'node:assert/strict';
import { captureFailuresAndCloseAfterSuite, openWorkbench, runCommand, statusBarText, type Workbench } from './harness';

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
});
