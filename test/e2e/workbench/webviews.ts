/** Webviews (the chat view) found in the workbench's frames, and the chat used as a person would. */
import type { Frame, Page } from 'playwright-core';
import { runCommand } from './quickInput';
import { UI_TIMEOUT_MS } from './waits';

/** Shows the chat view as a user would: a click on the activity-bar icon, or its Focus command from the palette. */
export async function openChatPanel(page: Page, via: 'activity bar' | 'palette'): Promise<Frame> {
  if (via === 'activity bar') {
    // Only while another side bar shows: a click on the icon of the one already shown closes it.
    const icon = page.locator('.activitybar .action-item:not(.checked) a.action-label[aria-label="Switchboard"]');
    await icon.click();
  } else {
    await runCommand(page, 'Switchboard: Focus on Chat View');
  }
  await page.locator('.activitybar .action-item.checked a.action-label[aria-label="Switchboard"]').waitFor({ state: 'visible' });
  return webviewFrame(page, '#prompt');
}

/** Types into the panel's message box and presses Enter. */
export async function askInChat(chat: Frame, question: string): Promise<void> {
  await chat.locator('#send').waitFor({ state: 'visible' });
  await chat.locator('#prompt').click();
  await chat.locator('#prompt').pressSequentially(question);
  await chat.locator('#prompt').press('Enter');
  await chat.locator('.message.user', { hasText: question }).last().waitFor({ state: 'visible' });
}

/**
 * The frame of a webview (panel or view) whose document contains `selector`.
 * Webviews sit two iframes deep and appear some time after the command that
 * opens them, so this polls the page's frames until one matches.
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = UI_TIMEOUT_MS): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`No webview frame contains ${selector} after ${timeoutMs / 1000} s.`);
}
