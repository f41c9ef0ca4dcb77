#!/usr/bin/env node
/**
 * Runs the in-host test suite (test/vscode, bundled to dist/test/vscode/index.js)
 * inside a real VS Code: VS Code's server runs the extension host, headless
 * Chromium shows the workbench, and the workbench hands the exit code of the
 * suite's run() back through window.codeAutomationExit.
 *
 *   npm run build && node scripts/vscode/run-extension-tests.mjs [options]
 *
 *   --grep <pattern>    only tests whose full title matches
 *   --timeout <s>       give up after this many seconds (default 900: the whole suite, 66 tests, took 287 s on a
 *                       loaded 2-core machine, where 300 s cut it off one fresh-clone run in two)
 *   --no-build          use dist/test/vscode/index.js as it is
 *   --extension <dir>   extension under test (default: this repository)
 *   --tests <file>      module exporting run() (default: dist/test/vscode/index.js)
 *   --workspace <dir>   folder to open (default: a fresh empty temp folder)
 *   --log <level>       server and extension host log level, e.g. trace
 *   --verbose           also print the workbench's routine messages
 *
 * On failure it saves test-output/vscode-tests-failure.png and prints the
 * extension host's log.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { format, parseArgs } from 'node:util';
import { VIEWPORT, launchChromium } from './browser.mjs';
import { buildVSCodeTests, vscodeTestsOutfile } from './build-tests.mjs';
import { repoRoot } from './ensure-server.mjs';
import { collectLogs, startVSCodeServer } from './server.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    timeout: { type: 'string', default: '900' },
    'no-build': { type: 'boolean', default: false },
    extension: { type: 'string', default: repoRoot },
    tests: { type: 'string' },
    workspace: { type: 'string' },
    log: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const outputDir = path.join(repoRoot, 'test-output');
const screenshotFile = path.join(outputDir, 'vscode-tests-failure.png');

function say(message) {
  console.log(`[vscode-tests] ${message}`);
}

async function main() {
  const started = Date.now();
  rmSync(screenshotFile, { force: true });
  const extensionDevelopmentPath = path.resolve(options.extension);
  const testsPath = path.resolve(options.tests ?? vscodeTestsOutfile);
  if (!options.tests && !options['no-build']) await buildVSCodeTests();
  assertExtensionBuilt(extensionDevelopmentPath);
  if (!existsSync(testsPath)) throw new Error(`${testsPath} does not exist; build the tests first (npm run build).`);

  const ownWorkspace = options.workspace === undefined;
  const workspace = ownWorkspace ? mkdtempSync(path.join(os.tmpdir(), 'switchboard-workspace-')) : path.resolve(options.workspace);
  // Also on Ctrl+C, which ends the process without reaching the clean-up below.
  if (ownWorkspace) process.on('exit', () => rmSync(workspace, { recursive: true, force: true }));

  const server = await startVSCodeServer({
    workspace,
    extensionDevelopmentPath,
    extensionTestsPath: testsPath,
    env: { SWITCHBOARD_TEST_GREP: options.grep },
    // The workbench is VS Code's server in a browser, a remote window whose loopback counts as the remote machine
    // (src/core/remoteWindow.ts): the tests' fakes on 127.0.0.1 get the keys once allowed, as a user would allow them.
    userSettings: { 'switchboard.providers.openai.sendKeyTo': ['127.0.0.1'], 'switchboard.providers.anthropic.sendKeyTo': ['127.0.0.1'] },
    // A Machine settings file of the server, as a dev container's configuration leaves one: the in-host tests check the
    // extension finds it (src/vscode/containerSettings.ts), and which of its settings VS Code applies (machine- and
    // window-scoped ones; not application-scoped ones such as the budget). Each value is the default, so it changes nothing else.
    machineSettings: { 'switchboard.chat.flowControl': true, 'switchboard.providers.bedrock.profile': '', 'switchboard.budget.warnAt': 0.8 },
    logLevel: options.log,
  });
  say(`VS Code server on port ${server.port} after ${seconds(started)} s`);

  let browser;
  let page;
  let exitCode;
  const pageConsole = [];
  // The workbench logs cancellations while it shuts the extension host down; they say nothing about the tests.
  let suiteFinished = false;
  let timer;
  try {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT });
    // The workbench's console repeats what codeAutomationLog already printed; only --verbose keeps it for the post-mortem.
    if (options.verbose) page.on('console', (message) => keepLast(pageConsole, `[${message.type()}] ${withoutConsoleStyling(message.text())}`));
    page.on('pageerror', (error) => keepLast(pageConsole, `[pageerror] ${error.message}`));

    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    // Exposed before navigation: the workbench looks these up when the extension host starts and ends.
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      if (!suiteFinished) printWorkbenchLog(level, args);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      suiteFinished = true;
      finish(Number(code));
    });
    page.on('crash', () => finish(crashed('the page crashed')));
    const timeoutSeconds = Number(options.timeout);
    timer = setTimeout(() => finish(crashed(`no result after ${timeoutSeconds} s (--timeout)`)), timeoutSeconds * 1000);

    await page.goto(server.url);
    exitCode = await finished;
  } catch (error) {
    console.error(`[vscode-tests] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    exitCode = 1;
  } finally {
    clearTimeout(timer);
  }

  if (exitCode === 0 && refusedDialogs > 0) {
    console.error(`[vscode-tests] ${refusedDialogs} dialog(s) requested during the suite (see "DialogService" above): a test closed an unsaved editor without reverting it first (test/vscode/closeEditors.ts)`);
    exitCode = 1;
  }
  if (exitCode !== 0) {
    if (page) await saveScreenshot(page);
    await printLogs(server.logDir);
    if (pageConsole.length > 0) {
      console.error('\n[vscode-tests] --- last workbench console messages and page errors ---');
      for (const line of pageConsole) console.error(line);
    }
  }
  await browser?.close().catch(() => undefined);
  await server.stop();
  say(`${exitCode === 0 ? 'passed' : `FAILED (exit code ${exitCode})`} in ${seconds(started)} s`);
  return exitCode;
}

function assertExtensionBuilt(extensionDir) {
  const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  if (typeof manifest.main !== 'string') return;
  const main = path.resolve(extensionDir, manifest.main);
  const candidates = [main, `${main}.js`];
  if (!candidates.some((candidate) => existsSync(candidate))) {
    throw new Error(`The extension is not built: ${path.relative(process.cwd(), main)} is missing. Run npm run build first.`);
  }
}

/**
 * The workbench's log and the extension host's console (where mocha reports)
 * arrive through the same channel. Routine startup messages, and errors an
 * offline workbench always has (no extension gallery, no service worker), are
 * left out unless --verbose.
 */
const ROUTINE_WORKBENCH_MESSAGES = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /^\[Service Worker\] registration/,
  /ENOTFOUND open-vsx\.org/,
  /authentication provider 'github'/,
  /^\[DefaultAccount\]/,
  /^Creation of workbench contribution '.*' took \d+ms/,
  // Logged while the workbench shuts the extension host down after the suite.
  /^Canceled: Canceled/,
];

/**
 * A dialog the workbench refused: a test closed an unsaved editor ("Save changes?") or otherwise asked for a modal
 * dialog, which the test workbench answers on its own. Counted so the run fails on it: what a test leaves to a
 * dialog it never sees is not what it meant to test (close answers with test/vscode/closeEditors.ts).
 */
const REFUSED_DIALOG = /DialogService: Dialog requested during smoke test/;
let refusedDialogs = 0;

function printWorkbenchLog(level, args) {
  // Arrives as the console call's raw arguments; mocha's reporter relies on printf-style placeholders.
  const text = format(...(Array.isArray(args) ? args : [args]).map(plainLogArgument));
  if (REFUSED_DIALOG.test(text)) refusedDialogs += 1;
  if (!options.verbose && ROUTINE_WORKBENCH_MESSAGES.some((pattern) => pattern.test(text))) return;
  const print = level === 'error' || level === 'warn' ? console.error : console.log;
  for (const line of withSourcePositions(text).split('\n')) print(level === 'info' ? line : `[${level}] ${line}`);
}

/**
 * The extension host's stack traces name lines of the bundles in dist/ (VS Code
 * installs its own stack formatting there, so Node's --enable-source-maps has
 * no effect); the bundles' source maps turn them back into .ts positions.
 */
const sourceMaps = new Map();
function withSourcePositions(text) {
  return text.replace(/((?:file:\/\/)?[^\s()]*dist\/[^\s():]+\.js):(\d+):(\d+)/g, (whole, file, line, column) => {
    const jsFile = path.resolve(repoRoot, file.replace(/^file:\/\//, ''));
    if (!sourceMaps.has(jsFile)) {
      let map;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${jsFile}.map`, 'utf8')));
      } catch {
        map = undefined;
      }
      sourceMaps.set(jsFile, map);
    }
    const entry = sourceMaps.get(jsFile)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry?.originalSource) return whole;
    const source = path.relative(repoRoot, path.resolve(path.dirname(jsFile), entry.originalSource.replace(/^file:\/\//, '')));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function plainLogArgument(value) {
  return value && typeof value === 'object' && 'message' in value && 'name' in value ? `${value.name}: ${value.message}` : value;
}

/** The workbench styles its console lines (`%c`, then a CSS argument); Playwright hands over both as text. */
function withoutConsoleStyling(text) {
  return text.replace(/%c/g, '').replace(/\bcolor: #[0-9a-f]{3,8}\b/gi, '').replace(/\s+/g, ' ').trim();
}

function crashed(reason) {
  console.error(`[vscode-tests] ${reason}`);
  return 1;
}

function keepLast(lines, line) {
  lines.push(line);
  if (lines.length > 200) lines.shift();
}

async function saveScreenshot(page) {
  try {
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: screenshotFile, timeout: 10_000 });
    say(`screenshot: ${path.relative(process.cwd(), screenshotFile)}`);
  } catch (error) {
    say(`no screenshot: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The extension host's own log and the logs of non-built-in extensions (ours); the server's log when there are none. */
async function printLogs(logDir) {
  const logs = await collectLogs(logDir);
  const relevant = logs.filter(({ file }) => {
    const relative = path.relative(logDir, file).split(path.sep);
    const hostIndex = relative.findIndex((part) => part.startsWith('exthost'));
    if (hostIndex < 0) return false;
    const owner = relative[hostIndex + 1];
    return relative.length === hostIndex + 2 || (owner !== undefined && !owner.startsWith('vscode.'));
  });
  for (const { file, text } of relevant.length > 0 ? relevant : logs) {
    console.error(`\n[vscode-tests] --- ${path.relative(logDir, file)} ---`);
    console.error(text.trimEnd());
  }
  if (logs.length === 0) say(`no logs under ${logDir}`);
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(1);
}

process.exitCode = await main().catch((error) => {
  console.error(`[vscode-tests] ${error instanceof Error ? error.message : String(error)}`);
  return 1;
});
