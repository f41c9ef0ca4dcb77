/**
 * Helpers for UI scenarios: a real VS Code workbench in headless Chromium with
 * Switchboard installed, driven the way a person would (palette, keyboard,
 * status bar). Runs from plain Node under mocha; see scripts/vscode/run-e2e.mjs.
 *
 * Every wait is on something visible in the DOM, never a fixed sleep, so a
 * slow machine makes a scenario slower, not flaky.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { VIEWPORT, launchChromium } from '../../scripts/vscode/browser.mjs';
import { repoRoot } from '../../scripts/vscode/ensure-server.mjs';
import type { LedgerRecord } from '../../src/core/ledger';
import type { FakeProviders, FakeProviderUrls } from '../fakes';
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
    let page: Page;
    ({ browser, page } = await openWorkbenchPage(server.url));

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

/**
 * Launches Chromium and loads the workbench at `url`. Headless Chromium on this class of machine has crashed
 * outright a few seconds after launch, before the workbench showed (a crashpad report, the browser gone: once in
 * about 40 fresh-clone runs, never at the same scenario). That is the browser, not VS Code or Switchboard, so the
 * launch is tried once more, and only when the browser (or the page's renderer) is gone; a workbench that loads but never
 * shows, or any other error, fails the scenario as before.
 */
async function openWorkbenchPage(url: string): Promise<{ browser: Browser; page: Page }> {
  for (let attempt = 1; ; attempt++) {
    const browser = await launchChromium();
    let pageCrashed = false;
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      page.once('crash', () => (pageCrashed = true));
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      await page.goto(url);
      await waitForWorkbench(page);
      return { browser, page };
    } catch (error) {
      const browserGone = !browser.isConnected() || pageCrashed;
      await browser.close().catch(() => undefined);
      if (!browserGone || attempt >= 2) throw error;
      process.stderr.write(`[e2e] Chromium exited while the workbench was loading (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); launching it again, once.\n`);
    }
  }
}

/**
 * A workbench whose environment and user settings point Switchboard at `fakes` (keys in the environment,
 * base URLs in settings: fakeProviderSetup); `options.env` and `options.userSettings` add to those or override them.
 */
export async function openWorkbenchOnFakes(fakes: FakeProviders, options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const setup = fakeProviderSetup(fakes.urls);
  return openWorkbench({ ...options, env: { ...setup.env, ...options.env }, userSettings: { ...setup.userSettings, ...options.userSettings } });
}

/**
 * Resolves once the status bar shows today's spend: Switchboard has activated and has a provider to ask
 * (until then it shows that it is starting, or that no key is set).
 */
export async function waitForSwitchboardReady(page: Page): Promise<void> {
  await waitForStatusBarText(page, { id: 'switchboard.status' }, /Switchboard · today/);
}

/**
 * Registers, in the describe it is called from, what a scenario suite does after its tests: a screenshot and
 * the extension's logs after each failed test, and after the last the workbench closed, then each of
 * `alsoClose` (fake providers…) in order. Getters, since the suite's `before` assigns them.
 */
export function captureFailuresAndCloseAfterSuite(workbench: () => Workbench | undefined, ...alsoClose: Array<() => { close(): Promise<void> } | undefined>): void {
  afterEach(async function () {
    await workbench()?.captureFailure(this);
  });
  after(async () => {
    await workbench()?.close();
    for (const closable of alsoClose) await closable()?.close();
  });
}

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
  await pickCommand(page, title, timeoutMs);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Runs a palette command that then asks for text in an input box (titled
 * `inputTitle`), types `text` into it key by key and presses Enter.
 */
export async function runCommandWithInput(page: Page, title: string, inputTitle: string, text: string): Promise<void> {
  await pickCommand(page, title, UI_TIMEOUT_MS);
  // The palette closes and the same widget reopens as the command's input box.
  const box = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
  await box.locator('.quick-input-title').getByText(inputTitle, { exact: true }).waitFor({ state: 'visible' });
  await box.locator('input.input').pressSequentially(text);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Runs a palette command whose input box (titled `inputTitle`) comes prefilled, checks the prefilled value,
 * replaces it with `text` and presses Enter; returns at once, as the command may go on to a quick pick.
 */
export async function runCommandReplacingInput(page: Page, title: string, inputTitle: string, expectedValue: string, text: string): Promise<void> {
  await pickCommand(page, title, UI_TIMEOUT_MS);
  const box = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
  await box.locator('.quick-input-title').getByText(inputTitle, { exact: true }).waitFor({ state: 'visible' });
  const input = box.locator('input.input');
  const shown = await input.inputValue();
  if (shown !== expectedValue) throw new Error(`The input box "${inputTitle}" came with "${shown}", not "${expectedValue}".`);
  await input.fill(text);
  await input.press('Enter');
}

/** Runs a palette command that then offers a quick pick, and picks the row showing `rowText`. */
export async function runCommandAndPick(page: Page, title: string, rowText: string): Promise<void> {
  await pickCommand(page, title, UI_TIMEOUT_MS);
  await quickPickRows(page).filter({ hasText: rowText }).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function pickCommand(page: Page, title: string, timeoutMs: number): Promise<void> {
  const palette = page.locator('.quick-input-widget');
  // The exact title, not the first fuzzy match: "Show Log" must not run "Show Logs…".
  const row = palette.locator('.monaco-list-row').filter({ has: page.getByText(title, { exact: true }) }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The palette lists what was registered when it opened; a command contributed by an
    // extension still being scanned appears only in a palette opened again later.
    await offerInQuickInput(page, 'F1', `>${title}`, row, `The command palette never offered "${title}".`, Math.max(1, deadline - Date.now()));
    try {
      // Focus taken late (a view restored after a window reload) closes the palette between
      // showing the row and the click: the row goes inert, then away. Then it is offered again.
      await row.click({ timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`The command palette closed before "${title}" could be picked.`, { cause: error });
      if (await palette.isVisible()) {
        await page.keyboard.press('Escape');
        await palette.waitFor({ state: 'hidden' });
      }
    }
  }
}

/**
 * Opens the quick input with `key`, types `text` and waits for `row`; opens it
 * again while the row does not show, or focus moved on (a panel or editor
 * taking it late) and closed the quick input, until `timeoutMs` has passed.
 */
async function offerInQuickInput(page: Page, key: string, text: string, row: Locator, failure: string, timeoutMs: number): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.min(5_000, Math.max(1, deadline - Date.now()));
  for (;;) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: remaining() });
      await input.fill(text, { timeout: remaining() });
      await row.waitFor({ state: 'visible', timeout: remaining() });
      return;
    } catch (error) {
      if (await widget.isVisible()) {
        await page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden' });
      }
      if (Date.now() >= deadline) throw new Error(failure, { cause: error });
    }
  }
}

/** The rows of the open quick pick (palette, quick open, or an extension's showQuickPick). */
export function quickPickRows(page: Page): Locator {
  return page.locator('.quick-input-widget:not(.quick-input-widget-closing) .monaco-list-row');
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

/** Opens a workspace file through Quick Open and waits until its editor has the keyboard. */
export async function openFile(page: Page, relativePath: string): Promise<Locator> {
  const quickOpen = page.locator('.quick-input-widget');
  const fileName = path.basename(relativePath);
  const row = quickOpen.locator('.monaco-list-row').filter({ has: page.getByText(fileName, { exact: true }) }).first();
  const activeTab = page.locator('.tab.active').filter({ hasText: fileName });
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    await offerInQuickInput(page, 'Control+P', relativePath, row, `Quick Open never offered ${relativePath}.`, Math.max(1, deadline - Date.now()));
    try {
      // The row is clicked, not Enter pressed: focus taken late (a walkthrough or webview that focuses itself
      // once drawn) closes Quick Open between the row showing and the pick, and Enter then goes to whatever
      // took the focus. A click on a row gone away fails, and Quick Open is offered again.
      await row.click({ timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
      await quickOpen.waitFor({ state: 'hidden', timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
      await activeTab.waitFor({ state: 'visible', timeout: Math.min(10_000, Math.max(1, deadline - Date.now())) });
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`Quick Open did not open ${relativePath}.`, { cause: error });
      if (await quickOpen.isVisible()) {
        await page.keyboard.press('Escape');
        await quickOpen.waitFor({ state: 'hidden' });
      }
    }
  }
  const editor = page.locator('[id="workbench.parts.editor"] .monaco-editor.focused');
  await editor.waitFor({ state: 'visible' });
  return editor;
}

/** The inline suggestion (ghost text) the focused editor shows, once one appears. */
export async function ghostText(page: Page): Promise<string> {
  const ghost = ghostTextDecorations(page);
  await ghost.first().waitFor({ state: 'visible' });
  return (await ghost.allInnerTexts()).join('');
}

/** The focused editor's ghost-text pieces; none while no inline suggestion shows. */
export function ghostTextDecorations(page: Page): Locator {
  return page.locator('.monaco-editor.focused .ghost-text-decoration, .monaco-editor.focused .ghost-text-decoration-preview');
}

/** Waits until the focused editor shows exactly `expected` as ghost text. */
export async function waitForGhostText(page: Page, expected: string, timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  let shown = '';
  await waitUntil(
    async () => {
      shown = (await ghostTextDecorations(page).allInnerTexts()).join('').replace(/\u00a0/g, ' ');
      return shown === expected;
    },
    () => `ghost text "${expected}" (shown: "${shown}")`,
    timeoutMs,
  );
}

/** Moves the focused editor's cursor to the end of a line (1-based), through Go to Line as a keyboard user would. */
export async function goToLineEnd(page: Page, line: number): Promise<void> {
  await goToPosition(page, line);
  await page.keyboard.press('End');
  await page.locator('.statusbar-item[id="status.editor.selection"]').filter({ hasText: `Ln ${line},` }).waitFor({ state: 'visible' });
}

/** Moves the focused editor's cursor to a line and column (1-based; without a column, the line's start) through Go to Line. */
export async function goToPosition(page: Page, line: number, column?: number): Promise<void> {
  const box = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
  await page.keyboard.press('Control+G');
  await box.locator('input.input').waitFor({ state: 'visible' });
  await box.locator('input.input').fill(column === undefined ? `:${line}` : `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  if (column !== undefined) {
    await page.locator('.statusbar-item[id="status.editor.selection"]').filter({ hasText: new RegExp(`Ln ${line}, Col ${column}(?!\\d)`) }).waitFor({ state: 'visible' });
  }
}

/**
 * The text the active editor group's editor shows, line by line, as rendered
 * (only the lines in view; ghost text included, so read files from disk when it matters).
 */
export async function visibleEditorText(page: Page): Promise<string> {
  const lines = page.locator('[id="workbench.parts.editor"] .editor-group-container.active .monaco-editor .view-lines');
  await lines.first().waitFor({ state: 'visible' });
  return lines.first().evaluate((element) =>
    Array.from(element.querySelectorAll<HTMLElement>('.view-line'))
      // Monaco reuses line nodes, so DOM order need not be line order; their top offset is.
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/** Waits until the active editor shows text matching `expected`, and returns it. */
export async function waitForEditorText(page: Page, expected: RegExp, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
  let text = '';
  await waitUntil(
    async () => {
      text = await visibleEditorText(page).catch(() => '');
      return expected.test(text);
    },
    () => `the editor to show ${expected} (it shows: ${JSON.stringify(text.slice(0, 500))})`,
    timeoutMs,
  );
  return text;
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

/**
 * Polls `condition` until it holds: for state outside the DOM (fake servers'
 * request logs, files on disk). `describe` says what was awaited, for the error.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, describe: string | (() => string), timeoutMs = UI_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${typeof describe === 'string' ? describe : describe()}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The workbench's User settings.json as an object. VS Code rewrites that file in place (emptied, then written), so a
 * read can land between the two and see nothing or half the JSON: read again until it parses, as VS Code itself
 * will have finished within moments.
 */
export async function readUserSettings(workbench: Workbench, timeoutMs = UI_TIMEOUT_MS): Promise<Record<string, unknown>> {
  const file = path.join(workbench.server.userDataDir, 'User', 'settings.json');
  let settings: Record<string, unknown> | undefined;
  let lastError: unknown;
  await waitUntil(
    () => {
      try {
        settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        return true;
      } catch (error) {
        lastError = error;
        return false;
      }
    },
    () => `${file} to hold whole JSON (last read: ${lastError instanceof Error ? lastError.message : String(lastError)})`,
    timeoutMs,
  );
  return settings!;
}

/** The ledger's records (one JSON object a line); none while the file does not exist yet. */
export function readLedger(ledgerPath: string): LedgerRecord[] {
  let text: string;
  try {
    text = readFileSync(ledgerPath, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LedgerRecord);
}

/** Waits until the ledger holds a record matching `predicate` (the extension appends asynchronously), and returns the last such. */
export async function waitForLedgerRecord(ledgerPath: string, predicate: (record: LedgerRecord) => boolean, what: string, timeoutMs = UI_TIMEOUT_MS): Promise<LedgerRecord> {
  let found: LedgerRecord | undefined;
  await waitUntil(() => (found = readLedger(ledgerPath).filter(predicate).at(-1)) !== undefined, `a ledger record: ${what}`, timeoutMs);
  return found!;
}

/** Lets the keys reach the fakes on 127.0.0.1 from the test workbench's remote window (see fakeProviderSetup). */
export const LOOPBACK_KEY_HOSTS = {
  'switchboard.providers.openai.sendKeyTo': ['127.0.0.1'],
  'switchboard.providers.anthropic.sendKeyTo': ['127.0.0.1'],
} as const;

/**
 * Settings and environment that point Switchboard at fake providers, as a
 * user would configure a proxy: base URLs in settings, keys in the environment.
 */
export function fakeProviderSetup(urls: FakeProviderUrls): { env: Record<string, string>; userSettings: Record<string, unknown> } {
  return {
    env: { OPENAI_API_KEY: 'sk-e2e-fake-openai-key', ANTHROPIC_API_KEY: 'test-anthropic-e2e-fake-anthropic-key' },
    userSettings: {
      'switchboard.providers.openai.baseUrl': urls.openai.baseUrl,
      'switchboard.providers.anthropic.baseUrl': urls.anthropic.baseUrl,
      // The workbench is VS Code's server in a browser, a remote window: its loopback counts as the remote machine,
      // which gets no key unless allowed (core/remoteWindow.ts). The fakes there are allowed, as a user would.
      ...LOOPBACK_KEY_HOSTS,
    },
  };
}

/** Keeps VS Code's own suggest list from taking Tab from ghost text or covering it. */
export const QUIET_EDITOR_SETTINGS = {
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
} as const;

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
  const box = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
  await box.locator('.quick-input-title').getByText('Switchboard: Local server address', { exact: true }).waitFor({ state: 'visible' });
  await box.locator('input.input').fill(url);
  await box.locator('input.input').press('Enter');
  await quickPickRows(page).filter({ hasText: row }).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}
