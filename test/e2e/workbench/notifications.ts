/** VS Code's notifications: toasts, and the notification center that lists them all. */
import type { Locator, Page } from 'playwright-core';
import { runCommand } from './quickInput';

/** A notification toast containing `text`. Toasts appear only with the extension loaded as 'installed' (the default). */
export function notificationToast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notification-toast').filter({ hasText: text });
}

/**
 * Clicks `button` on the notification containing `text`, from the notification center, then closes the center.
 * VS Code shows no toast for a notification that comes with more than three others in 800 ms (its spam
 * protection), and hides a toast after its purge timeout, but the center lists every notification until it is
 * closed: where a scenario makes several notifications in quick succession, this finds the one it wants whatever
 * the machine's speed.
 */
export async function clickInNotificationCenter(page: Page, text: string | RegExp, button: string): Promise<void> {
  await runCommand(page, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  await center.locator('.notification-list-item').filter({ hasText: text }).getByRole('button', { name: button }).click();
  await runCommand(page, 'Notifications: Hide Notifications');
  await center.waitFor({ state: 'hidden' });
}

/** Closes every notification, so a later check for toasts sees only new ones. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'hidden' });
}
