import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { hoverStatusBarItem, runCommand, useWorkbenchOnFakes, waitForSwitchboardReady, waitForWorkbench, workbench } from './harness';

const STATUS = { id: 'switchboard.status' };
const TOGGLE = 'Switchboard: Snooze or Resume Inline Completions';
const SNOOZED = 'Inline completions are snoozed.';

async function statusTooltip(page: Page): Promise<string> {
  const text = await (await hoverStatusBarItem(page, STATUS)).innerText();
  await page.keyboard.press('Escape');
  return text;
}

/** Snooze is kept until resumed: a window reload does not bring ghost text back unasked. */
describe('Snoozed inline completions across a reload', () => {
  useWorkbenchOnFakes();

  it('stays snoozed after the window reloads, says so in the status bar, and resumes for good when asked', async () => {
    const { page } = workbench;
    assert.ok(!(await statusTooltip(page)).includes(SNOOZED));
    await runCommand(page, TOGGLE);
    await page.getByText('Switchboard: inline completions snoozed').waitFor({ state: 'visible' });
    assert.ok((await statusTooltip(page)).includes(SNOOZED));

    await page.reload();
    await waitForWorkbench(page);
    await waitForSwitchboardReady(page);
    await page.getByText('Switchboard: inline completions are still snoozed').waitFor({ state: 'visible' });
    assert.ok((await statusTooltip(page)).includes(SNOOZED), 'the tooltip still says snoozed after the reload');

    // Resuming spends on every pause, and a command link cannot be told from the palette: it asks first.
    await runCommand(page, TOGGLE);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Resume inline completions?').waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /switchboard\.routes\.completion/, 'the question names the route that will be asked');
    await dialog.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.getByText('Switchboard: inline completions resumed').waitFor({ state: 'visible' });
    assert.ok(!(await statusTooltip(page)).includes(SNOOZED), 'the tooltip says resumed at once');
    await page.reload();
    await waitForWorkbench(page);
    await waitForSwitchboardReady(page);
    assert.ok(!(await statusTooltip(page)).includes(SNOOZED), 'resumed stays resumed after a reload');
  });
});
