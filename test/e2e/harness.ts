/**
 * Helpers for UI scenarios: a real VS Code workbench in headless Chromium with
 * Switchboard installed, driven the way a person would (palette, keyboard,
 * status bar). Runs from plain Node under mocha; see scripts/vscode/run-e2e.mjs.
 *
 * Every wait is on something visible in the DOM, never a fixed sleep, so a
 * slow machine makes a scenario slower, not flaky.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { VIEWPORT, launchChromium } from '../../scripts/vscode/browser.mjs';
import { repoRoot } from '../../scripts/vscode/ensure-server.mjs';
import { collectLogs, startVSCodeServer, type StartVSCodeServerOptions, type VSCodeServer } from '../../scripts/vscode/server.mjs';

export const SWITCHBOARD_ID = 'switchboard-dev.switchboard';
export const OUTPUT_DIR = path.join(repoRoot, 'test-output', 'e2e');

/** How long a single UI wait may take; the workbench can be slow on a shared machine. */
const UI_TIMEOUT_MS = 30_000;

export interface OpenWorkbenchOptions extends Partial<Omit<StartVSCodeServerOptions, 'extensionTestsPath'>> {
  /** Files for a fresh workspace, by path relative to it. Ignored when `workspace` is given. */
  files?: Record<string, string>;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: VSCodeServer;
  /** The folder the workbench has open. */
  workspace: string;
  /** After a failed test: a screenshot into test-output/e2e and Switchboard's logs on stderr. */
  captureFailure(context: Mocha.Context): Promise<void>;
  close(): Promise<void>;
}

/** Starts VS Code with Switchboard (built into dist/) installed, opens it in Chromium and waits until it is usable. */
export async function openWorkbench(options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const { files, ...serverOptions } = options;
  const ownWorkspace = serverOptions.workspace === undefined;
  const workspace = serverOptions.workspace ?? createWorkspace(files ?? {});
  let server: VSCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startVSCodeServer({ ...serverOptions, workspace, extensionDevelopmentPath: serverOptions.extensionDevelopmentPath ?? repoRoot });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(server.url);
    await waitForWorkbench(page);

    const started = { server, browser };
    let closed: Promise<void> | undefined;
    return {
      page,
      browser,
      server,
      workspace,
      captureFailure: async (context) => {
        const file = await screenshotOnFailure(context, page);
        if (file) await printExtensionLogs(started.server);
      },
      close: () => {
        closed ??= (async () => {
          await started.browser.close().catch(() => undefined);
          await started.server.stop();
          if (ownWorkspace) rmSync(workspace, { recursive: true, force: true });
        })();
        return closed;
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (ownWorkspace) rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
}

/** A temporary folder holding `files`; removed by Workbench.close(). */
export function createWorkspace(files: Record<string, string>): string {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'switchboard-e2e-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(workspace, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return workspace;
}

/** Resolves once the workbench is laid out; extensions may still be loading (runCommand copes with that). */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
  await page.locator('[id="workbench.parts.statusbar"]').waitFor({ state: 'visible' });
  await page.locator('[id="workbench.parts.editor"]').waitFor({ state: 'visible' });
}

/** Runs a command from the palette by its title as shown there, e.g. 'Switchboard: Show Log'. */
export async function runCommand(page: Page, title: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const palette = page.locator('.quick-input-widget');
  const input = palette.locator('input.input');
  // The exact title, not the first fuzzy match: "Show Log" must not run "Show Logs…".
  const row = palette.locator('.monaco-list-row').filter({ has: page.getByText(title, { exact: true }) }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try {
      // The palette lists what was registered when it opened; a command contributed by an
      // extension still being scanned appears only in a palette opened again later.
      await row.waitFor({ state: 'visible', timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      await palette.waitFor({ state: 'hidden' });
      if (Date.now() >= deadline) throw new Error(`The command palette never offered "${title}".`, { cause: error });
    }
  }
  await row.click();
  await palette.waitFor({ state: 'hidden' });
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

/** Waits until the item shows text matching `expected`, and returns that text. */
export async function waitForStatusBarText(page: Page, matcher: StatusBarMatcher, expected: string | RegExp): Promise<string> {
  await statusBarItem(page, matcher).filter({ hasText: expected }).waitFor({ state: 'visible' });
  return statusBarText(page, matcher);
}

/** Opens a workspace file through Quick Open and waits until its editor has the keyboard. */
export async function openFile(page: Page, relativePath: string): Promise<Locator> {
  const quickOpen = page.locator('.quick-input-widget');
  const fileName = path.basename(relativePath);
  await page.keyboard.press('Control+P');
  await quickOpen.locator('input.input').waitFor({ state: 'visible' });
  await quickOpen.locator('input.input').fill(relativePath);
  const row = quickOpen.locator('.monaco-list-row').filter({ has: page.getByText(fileName, { exact: true }) }).first();
  await row.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await quickOpen.waitFor({ state: 'hidden' });
  await page.locator('.tab.active').filter({ hasText: fileName }).waitFor({ state: 'visible' });
  const editor = page.locator('[id="workbench.parts.editor"] .monaco-editor.focused');
  await editor.waitFor({ state: 'visible' });
  return editor;
}

/** The inline suggestion (ghost text) the focused editor shows, once one appears. */
export async function ghostText(page: Page): Promise<string> {
  const ghost = page.locator('.monaco-editor.focused .ghost-text-decoration, .monaco-editor.focused .ghost-text-decoration-preview');
  await ghost.first().waitFor({ state: 'visible' });
  return (await ghost.allInnerTexts()).join('');
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

/** A notification toast containing `text`. Toasts appear only with the extension loaded as 'installed' (the default). */
export function notificationToast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notification-toast').filter({ hasText: text });
}

/** Saves a screenshot named after the test when it failed; returns the file, if any. */
export async function screenshotOnFailure(context: Mocha.Context, page: Page | undefined): Promise<string | undefined> {
  const test = context.currentTest;
  if (!page || !test || test.state !== 'failed') return undefined;
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${slug(test.fullTitle())}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    console.error(`    screenshot: ${path.relative(process.cwd(), file)}`);
    return file;
  } catch (error) {
    console.error(`    no screenshot: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** The extension host's log and Switchboard's own output channels, to stderr. */
export async function printExtensionLogs(server: VSCodeServer, extensionId = SWITCHBOARD_ID): Promise<void> {
  const logs = await collectLogs(server.logDir);
  const wanted = logs.filter(({ file }) => file.endsWith('remoteexthost.log') || file.split(path.sep).includes(extensionId));
  for (const { file, text } of wanted) {
    console.error(`\n--- ${path.relative(server.logDir, file)} ---\n${text.trimEnd()}`);
  }
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100);
}
