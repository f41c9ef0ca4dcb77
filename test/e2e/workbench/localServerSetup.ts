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

/** Closes the Settings editor, which this VS Code shows as a modal over the workbench, as a user would. */
export async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('.monaco-modal-editor-block').waitFor({ state: 'hidden' });
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
