/**
 * Starts VS Code's own server (installed by ensure-server.mjs) for one test
 * run, with throwaway data directories, and says where to point a browser.
 *
 * The extension host is a child of the server and inherits its environment:
 * that is how a test points the extension at fake provider servers or a temp
 * ledger (`env: { OPENAI_API_KEY, SWITCHBOARD_LEDGER }`). So that no test
 * spends real money or writes to the developer's files, the server does not
 * inherit provider credentials (OPENAI_*, ANTHROPIC_*, AWS_*), gets a fresh
 * HOME (no ~/.aws), TMPDIR and a ledger in its temp folder; `env` overrides all that.
 *
 * Two ways to load the extension:
 *   'development'  as F5 does, through the URL's payload (extensionDevelopmentPath,
 *                  extensionTestsPath). A built VS Code honours that payload only
 *                  with --enable-smoke-test-driver, and that flag also stops
 *                  notification toasts from appearing (they still reach the
 *                  notification centre). Needed for in-host tests.
 *   'installed'    as a user has it: linked into the extensions folder and listed
 *                  in its extensions.json; no smoke-test driver, so toasts show.
 *                  The default for UI scenarios.
 *
 * Where things live (this build is code-server's patched VS Code, whose
 * browser workbench keeps user data on the server, not in IndexedDB):
 *   user settings     <userDataDir>/User/settings.json
 *   machine settings  <userDataDir>/Machine/settings.json: the workbench is remote to
 *                     its server, so settings of `machine` scope come from here and
 *                     VS Code ignores them in User settings, as on any remote
 *   stored secrets    the browser's localStorage for the workbench's address, sealed with a
 *                     key whose server half is <userDataDir>/serve-web-key-half (kept
 *                     folders only: secretKeyFront.mjs); otherwise in the page's memory
 *   logs              <userDataDir>/logs/<timestamp>/ (remoteagent.log,
 *                     exthost1/remoteexthost.log, exthost1/<extension id>/…)
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ensureServer } from './ensure-server.mjs';
import { startSecretKeyFront } from './secretKeyFront.mjs';

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/**
 * @param {object} options
 * @param {string} options.workspace folder to open, or a `.code-workspace` file
 * @param {string} options.extensionDevelopmentPath folder holding the extension's package.json
 * @param {string} [options.extensionTestsPath] module exporting run(); omit to open the workbench for a person or Playwright
 * @param {number} [options.port] defaults to a free port chosen by the OS
 * @param {Record<string, string | undefined>} [options.env] extra environment for the server and so the extension host
 * @param {Record<string, unknown>} [options.userSettings] written to User/settings.json before start
 * @param {Record<string, unknown>} [options.machineSettings] written to Machine/settings.json (the remote machine's settings) before start
 * @param {'development' | 'installed'} [options.loadExtensionAs] defaults to 'development' with extensionTestsPath, else 'installed'
 * @param {boolean} [options.disableWorkspaceTrust] defaults to true: the folder would otherwise open in Restricted Mode
 * @param {string} [options.logLevel] e.g. 'trace'
 * @param {string[]} [options.serverArgs] more of the server's own flags (the chat bench's experiments, e.g. '--disable-websocket-compression')
 * @param {string} [options.rootDir] a folder kept between runs (the sandbox: settings and stored keys survive, the
 *   keys through the front in secretKeyFront.mjs); default a fresh temp folder removed on stop
 */
export async function startVSCodeServer(options) {
  const { nodeBin, serverMain } = ensureServer();
  const persistent = options.rootDir !== undefined;
  const rootDir = persistent ? path.resolve(options.rootDir) : mkdtempSync(path.join(os.tmpdir(), 'switchboard-vscode-'));
  const serverDataDir = path.join(rootDir, 'server-data');
  const userDataDir = path.join(rootDir, 'user-data');
  const extensionsDir = path.join(rootDir, 'extensions');
  const homeDir = path.join(rootDir, 'home');
  const tmpDir = path.join(rootDir, 'tmp');
  const ledgerPath = path.join(rootDir, 'ledger.jsonl');
  const extensionDevelopmentPath = path.resolve(options.extensionDevelopmentPath);
  const loadExtensionAs = options.loadExtensionAs ?? (options.extensionTestsPath ? 'development' : 'installed');

  let child;
  let exited;
  let output = '';
  let port;
  let front;
  try {
    if (options.extensionTestsPath && loadExtensionAs !== 'development') {
      throw new Error("extensionTestsPath needs loadExtensionAs: 'development'; VS Code runs tests only for an extension under development.");
    }
    for (const dir of [serverDataDir, userDataDir, extensionsDir, homeDir, tmpDir]) mkdirSync(dir, { recursive: true });
    if (loadExtensionAs === 'installed') installExtensionByLink(extensionsDir, extensionDevelopmentPath);
    writeUserSettings(userDataDir, {
      // Keep a fresh profile quiet: no walkthroughs, no network lookups that cannot succeed here.
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'telemetry.telemetryLevel': 'off',
      // Hides the built-in Chat panel. Not chat.disableAIFeatures: that also silences
      // every extension's inline completions, Switchboard's included.
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'git.enabled': false,
      // A kept folder keeps what its user changed; only the caller's settings are refreshed.
      ...(persistent ? readUserSettings(userDataDir) : {}),
      ...options.userSettings,
    });
    if (options.machineSettings) writeSettingsFile(path.join(userDataDir, 'Machine'), options.machineSettings);

    const args = [
      serverMain,
      '--host', '127.0.0.1',
      // A kept folder gets the secrets front on the asked port (see secretKeyFront.mjs); the server behind it takes any.
      '--port', String(persistent ? 0 : (options.port ?? 0)),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--server-data-dir', serverDataDir,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
    ];
    // Without it a built VS Code ignores the extension-development payload in the URL.
    if (loadExtensionAs === 'development') args.push('--enable-smoke-test-driver');
    if (options.disableWorkspaceTrust ?? true) args.push('--disable-workspace-trust');
    if (options.logLevel) args.push('--log', options.logLevel);
    args.push(...(options.serverArgs ?? []));

    child = spawn(nodeBin, args, {
      // TMPDIR too: the server leaves its IPC sockets there, and they should go with the rest.
      env: serverEnvironment({ HOME: homeDir, TMPDIR: tmpDir, SWITCHBOARD_LEDGER: ledgerPath, ...options.env }),
      // Own process group, so stopping it also ends the extension host and the server's other helpers.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    killOnExit(child, exited, persistent ? undefined : rootDir);
    const keepOutput = (chunk) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', keepOutput);
    child.stderr.on('data', keepOutput);

    port = await waitForPort(() => output, exited);
    await waitUntilServing(port, exited);
    if (persistent) {
      front = await startSecretKeyFront({ port: options.port ?? 0, serverPort: port, keyFile: path.join(userDataDir, 'serve-web-key-half') });
      port = front.port;
    }
  } catch (error) {
    await front?.close();
    if (child) await killGroup(child, exited);
    if (!persistent) rmSync(rootDir, { recursive: true, force: true });
    throw new Error(`VS Code server did not start: ${error.message}${output ? `\n--- server output ---\n${output}` : ''}`, { cause: error });
  }

  let stopped;
  return {
    port,
    url: workbenchUrl({
      port,
      workspace: options.workspace,
      ...(loadExtensionAs === 'development' ? { extensionDevelopmentPath, extensionTestsPath: options.extensionTestsPath } : {}),
    }),
    loadExtensionAs,
    rootDir,
    serverDataDir,
    userDataDir,
    extensionsDir,
    logDir: path.join(userDataDir, 'logs'),
    homeDir,
    ledgerPath,
    output: () => output,
    /** Ends the server and everything it started; keepFiles leaves the data and logs for a post-mortem. */
    stop({ keepFiles = false } = {}) {
      stopped ??= Promise.all([front?.close(), killGroup(child, exited)]).then(() => {
        if (!keepFiles && !persistent) rmSync(rootDir, { recursive: true, force: true });
      });
      return stopped;
    },
  };
}

/** The workbench URL that opens `workspace` and, when given, loads an extension under development (and its tests). */
export function workbenchUrl({ port, workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (fsPath) => `vscode-remote://localhost:${port}${toUrlPath(fsPath)}`;
  // A multi-root workspace's `.code-workspace` file opens as a workspace, anything else as a folder.
  let query = `${workspace.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(remote(workspace))}`;
  if (extensionDevelopmentPath) {
    const payload = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
    if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    payload.push(['skipWelcome', 'true']);
    query += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }
  return `http://localhost:${port}/?${query}`;
}

/**
 * Installs an unpacked extension the way VS Code records installs: a folder
 * (here a link to the source) in the extensions dir plus an entry in its
 * extensions.json, which the server reads instead of scanning the folder.
 */
export function installExtensionByLink(extensionsDir, extensionDir) {
  const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folderName = `${id}-${manifest.version}`;
  const location = path.join(extensionsDir, folderName);
  // A kept folder (the sandbox) has the link from its last run: make it anew, it may point elsewhere now.
  try {
    if (lstatSync(location).isSymbolicLink()) unlinkSync(location);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  symlinkSync(extensionDir, location, 'dir');
  const entry = {
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, scheme: 'file', path: location.split(path.sep).join('/') },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  };
  writeFileSync(path.join(extensionsDir, 'extensions.json'), JSON.stringify([entry]));
}

/** Writes the settings the workbench and the extension host read as the user's. */
function readUserSettings(userDataDir) {
  try {
    return JSON.parse(readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8'));
  } catch {
    // Missing, or hand-edited into something that is not plain JSON: start from the defaults.
    return {};
  }
}

export function writeUserSettings(userDataDir, settings) {
  writeSettingsFile(path.join(userDataDir, 'User'), settings);
}

function writeSettingsFile(dir, settings) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** Log files the server wrote, newest session first, with their text; the extension host's log comes first. */
export async function collectLogs(logDir) {
  const files = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log') && statSync(full).size > 0) files.push(full);
    }
  };
  walk(logDir);
  const rank = (file) => (/exthost/.test(file) ? 0 : /remoteagent/.test(file) ? 1 : 2);
  files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
}

function toUrlPath(fsPath) {
  const absolute = path.resolve(fsPath).split(path.sep).join('/');
  return absolute.split('/').map(encodeURIComponent).join('/');
}

const NOT_INHERITED = [
  // A server started from inside a VS Code terminal or a tsx-loaded test must not inherit their hooks.
  /^VSCODE_/,
  /^NODE_OPTIONS$/,
  /^ELECTRON_RUN_AS_NODE$/,
  // Real credentials would send test prompts to real, billed endpoints.
  /^OPENAI_/,
  /^ANTHROPIC_/,
  /^AWS_/,
  // Derived from the fresh HOME instead.
  /^XDG_(CONFIG|DATA|STATE|CACHE)_HOME$/,
];

function serverEnvironment(extra) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (NOT_INHERITED.some((pattern) => pattern.test(name))) delete env[name];
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

async function waitForPort(currentOutput, exited) {
  return withTimeout(STARTUP_TIMEOUT_MS, 'no "listening on <port>" line', async (isCancelled) => {
    let exitInfo;
    void exited.then((info) => (exitInfo = info));
    while (!isCancelled()) {
      const match = /Extension host agent listening on (\d+)/.exec(currentOutput());
      if (match) return Number(match[1]);
      if (exitInfo) throw new Error(`server exited early (code ${exitInfo.code}, signal ${exitInfo.signal})`);
      await delay(50);
    }
  });
}

async function waitUntilServing(port, exited) {
  let exitInfo;
  void exited.then((info) => (exitInfo = info));
  return withTimeout(STARTUP_TIMEOUT_MS, `http://127.0.0.1:${port}/ never answered 200`, async (isCancelled) => {
    while (!isCancelled()) {
      if (exitInfo) throw new Error(`server exited early (code ${exitInfo.code}, signal ${exitInfo.signal})`);
      if ((await httpStatus(port)) === 200) return;
      await delay(100);
    }
  });
}

function httpStatus(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', timeout: 5_000, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    // Not accepting connections yet, or too busy to answer: try again.
    request.on('error', () => resolve(undefined));
    request.on('timeout', () => request.destroy());
  });
}

async function withTimeout(ms, what, work) {
  let cancelled = false;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      cancelled = true;
      reject(new Error(`timed out after ${ms / 1000} s: ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([work(() => cancelled), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server runs in its own process group, so Ctrl+C in a terminal does not
 * reach it; these hooks end it, and remove its temp folder, when the process
 * that started it ends.
 */
const liveServers = new Map();
let exitHooksInstalled = false;
function killOnExit(child, exited, rootDir) {
  if (!exitHooksInstalled) {
    exitHooksInstalled = true;
    process.on('exit', () => {
      for (const [pid, dir] of liveServers) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    });
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
      // Only when nobody else handles the signal: mocha and Playwright install their own.
      if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(code));
    }
  }
  liveServers.set(child.pid, rootDir);
  void exited.then(() => liveServers.delete(child.pid));
}

async function killGroup(child, exited) {
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  let graceTimer;
  const graceful = await Promise.race([exited.then(() => true), new Promise((resolve) => (graceTimer = setTimeout(resolve, STOP_GRACE_MS, false)))]);
  clearTimeout(graceTimer);
  // Helpers (extension host, pty host, file watcher) may outlive the server by a moment.
  signalGroup(graceful ? 'SIGTERM' : 'SIGKILL');
  if (!graceful) await exited;
  await delay(200);
  signalGroup('SIGKILL');
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
