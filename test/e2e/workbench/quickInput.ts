/**
 * The quick input widget: the command palette, an extension's input boxes and quick picks. A row is always
 * clicked once it shows, and the widget opened again when focus taken late closed it.
 */
import type { Locator, Page } from 'playwright-core';
import { timeLeft, UI_TIMEOUT_MS } from './waits';

/** Runs a command from the palette by its title as shown there, e.g. 'Switchboard: Show Log'. */
export async function runCommand(page: Page, title: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  await pickCommand(page, title, timeoutMs);
  await quickInputClosed(page);
}

/**
 * Runs a palette command that then asks for text in an input box (titled
 * `inputTitle`), types `text` into it key by key and presses Enter.
 */
export async function runCommandWithInput(page: Page, title: string, inputTitle: string, text: string): Promise<void> {
  await pickCommand(page, title, UI_TIMEOUT_MS);
  await (await inputBox(page, inputTitle)).pressSequentially(text);
  await page.keyboard.press('Enter');
  await quickInputClosed(page);
}

/**
 * Runs a palette command whose input box (titled `inputTitle`) comes prefilled, checks the prefilled value,
 * replaces it with `text` and presses Enter; returns at once, as the command may go on to a quick pick.
 */
export async function runCommandReplacingInput(page: Page, title: string, inputTitle: string, expectedValue: string, text: string): Promise<void> {
  await pickCommand(page, title, UI_TIMEOUT_MS);
  const input = await inputBox(page, inputTitle);
  const shown = await input.inputValue();
  if (shown !== expectedValue) throw new Error(`The input box "${inputTitle}" came with "${shown}", not "${expectedValue}".`);
  await input.fill(text);
  await input.press('Enter');
}

/**
 * Runs a palette command whose input box (titled `inputTitle`) refuses `text`: types it in place of what is there,
 * waits for the box's validation message matching `message`, returns it, and closes the box with Escape (nothing
 * is taken).
 */
export async function inputRefusal(page: Page, title: string, inputTitle: string, text: string, message: RegExp): Promise<string> {
  await pickCommand(page, title, UI_TIMEOUT_MS);
  const input = await inputBox(page, inputTitle);
  await input.fill(text);
  const shown = shownQuickInput(page).locator('.quick-input-message').filter({ hasText: message });
  await shown.waitFor({ state: 'visible' });
  const said = await shown.innerText();
  await page.keyboard.press('Escape');
  await quickInputClosed(page);
  return said;
}

/** Runs a palette command that then offers a quick pick, and picks the row showing `rowText`. */
export async function runCommandAndPick(page: Page, title: string, rowText: string): Promise<void> {
  await pickCommand(page, title, UI_TIMEOUT_MS);
  await quickPickRows(page).filter({ hasText: rowText }).first().click();
  await quickInputClosed(page);
}

/** The rows of the open quick pick (palette, quick open, or an extension's showQuickPick). */
export function quickPickRows(page: Page): Locator {
  return shownQuickInput(page).locator('.monaco-list-row');
}

/**
 * The quick input on screen. Not one closing: the palette closes and the same widget reopens as a command's input
 * box, so the closing one would be found first.
 */
export function shownQuickInput(page: Page): Locator {
  return page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
}

/** The text field of the input box titled `title`, once that box shows. */
export async function inputBox(page: Page, title: string): Promise<Locator> {
  const box = shownQuickInput(page);
  await box.locator('.quick-input-title').getByText(title, { exact: true }).waitFor({ state: 'visible' });
  return box.locator('input.input');
}

/** Resolves once the quick input has closed: what was picked or typed was taken. */
export async function quickInputClosed(page: Page): Promise<void> {
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Opens the quick input with `key`, types `text` and waits for `row`; opens it
 * again while the row does not show, or focus moved on (a panel or editor
 * taking it late) and closed the quick input, until `timeoutMs` has passed.
 */
export async function offerInQuickInput(page: Page, key: string, text: string, row: Locator, failure: string, timeoutMs: number): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: timeLeft(deadline, 5_000) });
      await input.fill(text, { timeout: timeLeft(deadline, 5_000) });
      await row.waitFor({ state: 'visible', timeout: timeLeft(deadline, 5_000) });
      return;
    } catch (error) {
      await closeQuickInput(page);
      if (Date.now() >= deadline) throw new Error(failure, { cause: error });
    }
  }
}

/** Closes the quick input if it is open (Escape, as a user would), so that it can be opened afresh. */
export async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  }
}

async function pickCommand(page: Page, title: string, timeoutMs: number): Promise<void> {
  // The exact title, not the first fuzzy match: "Show Log" must not run "Show Logs…".
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.getByText(title, { exact: true }) }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The palette lists what was registered when it opened; a command contributed by an
    // extension still being scanned appears only in a palette opened again later.
    await offerInQuickInput(page, 'F1', `>${title}`, row, `The command palette never offered "${title}".`, timeLeft(deadline));
    try {
      // Focus taken late (a view restored after a window reload) closes the palette between
      // showing the row and the click: the row goes inert, then away. Then it is offered again.
      await row.click({ timeout: timeLeft(deadline, 5_000) });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`The command palette closed before "${title}" could be picked.`, { cause: error });
      await closeQuickInput(page);
    }
  }
}
