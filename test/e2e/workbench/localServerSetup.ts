/** A local server set up as a user would: in the Settings editor, or through Use a Local Server…'s input box. */
import type { Page } from 'playwright-core';
import { inputBox, quickInputClosed, quickPickRows } from './quickInput';

/**
 * In the Settings editor, open at switchboard.providers.openai.baseUrl (by a search for it):
 * sets it to `url` ('' empties it).
 */
export async function setLocalServer(page: Page, url: string): Promise<void> {
  const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Base Url' }).filter({ hasText: 'OpenAI-compatible' }).first();
  const input = setting.locator('input');
  await input.waitFor({ state: 'visible' });
  await input.fill(url);
  await input.press('Enter');
}

/**
 * Closes the Settings editor, which this VS Code shows as a modal over the workbench, as a user would: by a click
 * outside it, on the dimmed workbench (the modal's backdrop closes it on a mouse down on itself). Not Escape: the
 * modal takes Escape only while the focus is inside it, and a setting just changed can move the focus out (turning
 * switchboard.chat.directStream off rebuilds the chat panel's page, whose webview then took the focus, and the
 * Escape went to it: seen once in a fresh-clone run).
 */
export async function closeSettings(page: Page): Promise<void> {
  const backdrop = page.locator('.monaco-modal-editor-block');
  // Its top-left corner is outside the modal, which sits centred in it.
  await backdrop.click({ position: { x: 4, y: 4 } });
  await backdrop.waitFor({ state: 'hidden' });
}

/**
 * In Switchboard: Use a Local Server…'s input box (from the palette, the walkthrough, a notification or the chat
 * panel's notice): enters `url`, then, in the offer of the server's models that follows, picks `row`.
 */
export async function enterLocalServer(page: Page, url: string, row = 'Keep my routes'): Promise<void> {
  const input = await inputBox(page, 'Switchboard: Local server address');
  await input.fill(url);
  await input.press('Enter');
  await quickPickRows(page).filter({ hasText: row }).first().click();
  await quickInputClosed(page);
}
