/**
 * `npm run screenshot`: the README's picture, made from the sandbox as a
 * newcomer gets it with no keys (scripts/sandbox/simulated.mjs: the same fake
 * providers, settings and workspace copy as `npm start`), so it stays true.
 *
 * It builds the extension, opens sample-workspace/ in a real VS Code in
 * headless Chromium, asks the chat panel a question, puts the cursor in the
 * empty body of lowStock() for ghost text, checks that the ghost text, the
 * answer's footer with its cost and the status bar are all on screen, and
 * writes docs/images/switchboard.png.
 *
 *   npm run screenshot [-- --out FILE]
 *
 * Heavy (a VS Code server and a browser): on a shared machine run it under
 * the lock, `flock /tmp/switchboard-heavy.lock npm run screenshot`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Frame, Locator, Page } from 'playwright-core';
import {
  QUIET_EDITOR_SETTINGS,
  clearNotifications,
  ghostText,
  ghostTextDecorations,
  goToLineEnd,
  openFile,
  openWorkbench,
  runCommand,
  statusBarItem,
  waitForStatusBarText,
  webviewFrame,
  type Workbench,
} from '../test/e2e/harness';
import { freshWorkspaceCopy, simulatedEnv, simulatedProfileSettings, simulatedSettings, startSimulatedProviders } from './sandbox/simulated.mjs';
import { repoRoot } from './vscode/ensure-server.mjs';

/** Small enough for a README, wide enough for an editor beside the chat panel. */
const VIEWPORT = { width: 1200, height: 720 };
const FILE = 'src/inventory.ts';
/** `lowStock(threshold: number): Item[] {`, whose body is empty in sample-workspace/. */
const LOW_STOCK_LINE = 34;
const QUESTION = 'How should lowStock() pick the items to reorder?';
const STATUS = { id: 'switchboard.status' };

const { values: options } = parseArgs({ options: { out: { type: 'string', default: path.join(repoRoot, 'docs', 'images', 'switchboard.png') } } });
const out = path.resolve(options.out);
const say = (message: string) => console.log(`[screenshot] ${message}`);

async function main(): Promise<void> {
  say('building the extension…');
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the build failed (exit code ${build.status})`);

  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-screenshot-'));
  const fakes = await startSimulatedProviders();
  let workbench: Workbench | undefined;
  try {
    workbench = await openWorkbench({
      workspace: freshWorkspaceCopy(stateDir),
      env: simulatedEnv(stateDir),
      userSettings: { ...Object.fromEntries(simulatedSettings(fakes.urls).map(([key, value]) => [key, value])), ...simulatedProfileSettings(true), ...QUIET_EDITOR_SETTINGS },
    });
    const { page } = workbench;
    await page.setViewportSize(VIEWPORT);
    await waitForStatusBarText(page, STATUS, 'Simulated');

    say('asking the chat panel…');
    const footer = await askInChat(page, QUESTION);
    await clearNotifications(page);

    say('waiting for ghost text in lowStock()…');
    await openFile(page, FILE);
    await goToLineEnd(page, LOW_STOCK_LINE);
    await page.keyboard.press('Enter');
    const ghost = await ghostText(page);
    await assertInView(ghostTextDecorations(page).first(), 'the ghost text');
    await assertInView(footer.locator('.footer-cost'), "the chat answer's cost");
    await assertInView(statusBarItem(page, STATUS), 'the status bar item');

    mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    say(`ghost text: ${JSON.stringify(ghost.replace(/\u00a0/g, ' '))}`);
    say(`status bar: ${(await statusBarItem(page, STATUS).innerText()).trim()}`);
    say(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await workbench?.close();
    await fakes.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Asks in the chat panel as a user would and returns the answer's footer once it shows. */
async function askInChat(page: Page, question: string): Promise<Locator> {
  await runCommand(page, 'Switchboard: Focus on Chat View');
  const chat: Frame = await webviewFrame(page, '#prompt');
  await chat.locator('#prompt').click();
  await chat.locator('#prompt').pressSequentially(question);
  await chat.locator('#prompt').press('Enter');
  const footer = chat.locator('.message.assistant').last().locator('.answer-footer');
  await footer.waitFor({ state: 'visible' });
  await footer.scrollIntoViewIfNeeded();
  return footer;
}

/** Fails unless `what` is shown inside the viewport, so the picture never silently loses it. */
async function assertInView(locator: Locator, what: string): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  // Playwright gives the box in the page's coordinates, for an element inside a webview's frames too.
  const box = await locator.boundingBox();
  const inPage = box !== null && box.width > 0 && box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEWPORT.width && box.y + box.height <= VIEWPORT.height;
  if (!inPage) throw new Error(`${what} is not inside the ${VIEWPORT.width}×${VIEWPORT.height} picture (box: ${JSON.stringify(box)})`);
}

main().catch((error: unknown) => {
  console.error(`[screenshot] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
