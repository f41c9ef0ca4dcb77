/**
 * A real VS Code workbench in headless Chromium with Switchboard installed: started, opened, and closed with what a
 * failed test leaves behind (a screenshot, the extension's logs). Runs from plain Node under mocha; see
 * scripts/vscode/run-e2e.mjs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { VIEWPORT, launchChromium } from '../../../scripts/vscode/browser.mjs';
import { repoRoot } from '../../../scripts/vscode/ensure-server.mjs';
import { startVSCodeServer, type StartVSCodeServerOptions, type VSCodeServer } from '../../../scripts/vscode/server.mjs';
import type { FakeProviders } from '../../fakes';
import { SWITCHBOARD_ID } from './extensionId';
import { printExtensionLogs, screenshotOnFailure } from './failureCapture';
import { fakeProviderSetup } from './fakeProviders';
import { UI_TIMEOUT_MS } from './waits';

export interface OpenWorkbenchOptions extends Partial<Omit<StartVSCodeServerOptions, 'extensionTestsPath'>> {
  /** Files for a fresh workspace, by path relative to it. Ignored when `workspace` is given. */
  files?: Record<string, string>;
  /** A `.code-workspace` file among `files` to open (a multi-root workspace) instead of their folder. */
  workspaceFile?: string;
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
  const { files, workspaceFile, ...serverOptions } = options;
  const ownWorkspace = serverOptions.workspace === undefined;
  const workspace = serverOptions.workspace ?? createWorkspace(files ?? {});
  const opened = workspaceFile !== undefined && ownWorkspace ? path.join(workspace, workspaceFile) : workspace;
  /** Closes what was started and removes a workspace made here: after the suite, or when the start failed midway. */
  const release = async (browser: Browser | undefined, server: VSCodeServer | undefined) => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (ownWorkspace) rmSync(workspace, { recursive: true, force: true });
  };
  let server: VSCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startVSCodeServer({ ...serverOptions, workspace: opened, extensionDevelopmentPath: serverOptions.extensionDevelopmentPath ?? repoRoot });
    let page: Page;
    ({ browser, page } = await openWorkbenchPage(withSwitchboardLogAtDebug(server.url)));

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
      close: () => (closed ??= release(started.browser, started.server)),
    };
  } catch (error) {
    await release(browser, server);
    throw error;
  }
}

/**
 * `url` with Switchboard's log at Debug, so a failure's log holds each completion call's steps (the engine's onStep):
 * why no ghost text came. The browser workbench sets its extensions' log levels from the URL's payload (`logLevel`,
 * `publisher.name:level`); the server's `--log` does not reach them.
 */
function withSwitchboardLogAtDebug(url: string): string {
  const parsed = new URL(url);
  const payload = JSON.parse(parsed.searchParams.get('payload') ?? '[]') as [string, string][];
  payload.push(['logLevel', `${SWITCHBOARD_ID}:debug`]);
  parsed.searchParams.set('payload', JSON.stringify(payload));
  return parsed.toString();
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
