/** Switchboard's status-bar items and VS Code's: found by id or text, read, awaited and hovered. */
import type { Locator, Page } from 'playwright-core';
import { SWITCHBOARD_ID } from './extensionId';
import { waitUntil } from './waits';

/**
 * Resolves once the status bar shows today's spend: Switchboard has activated and has a provider to ask
 * (until then it shows that it is starting, or that no key is set).
 */
export async function waitForSwitchboardReady(page: Page): Promise<void> {
  await waitForStatusBarText(page, { id: 'switchboard.status' }, /Switchboard · today/);
}

/** A status-bar item by the id the extension gave createStatusBarItem (and the extension's id), or by its text. */
export type StatusBarMatcher = { id: string; extensionId?: string } | { text: string | RegExp };

export function statusBarItem(page: Page, matcher: StatusBarMatcher): Locator {
  const items = page.locator('[id="workbench.parts.statusbar"] .statusbar-item');
  if ('id' in matcher) {
    // VS Code prefixes an extension's item id with the extension's id.
    const domId = `${matcher.extensionId ?? SWITCHBOARD_ID}.${matcher.id}`;
    return items.and(page.locator(`[id="${domId}"]`));
  }
  return items.filter({ hasText: matcher.text });
}

/** The item's visible text (icons excluded), once it is shown. */
export async function statusBarText(page: Page, matcher: StatusBarMatcher): Promise<string> {
  const item = statusBarItem(page, matcher);
  await item.waitFor({ state: 'visible' });
  return (await item.locator('.statusbar-item-label').innerText()).trim();
}

/**
 * Waits until the item shows text matching `expected` (a string: contained in it), and returns that
 * text. The text is matched and returned from one reading, as the item may change again at any moment.
 */
export async function waitForStatusBarText(page: Page, matcher: StatusBarMatcher, expected: string | RegExp): Promise<string> {
  let text = '';
  await waitUntil(
    async () => {
      text = await statusBarText(page, matcher);
      return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
    },
    () => `the status bar to show ${String(expected)} (it shows "${text}")`,
  );
  return text;
}

/** Hovers the item like a mouse user and returns its tooltip once it shows. */
export async function hoverStatusBarItem(page: Page, matcher: StatusBarMatcher): Promise<Locator> {
  const item = statusBarItem(page, matcher);
  await item.hover();
  const hover = page.locator('.monaco-hover.workbench-hover').filter({ visible: true }).first();
  await hover.waitFor({ state: 'visible' });
  return hover;
}
