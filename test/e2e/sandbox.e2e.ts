import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Locator } from 'playwright-core';
import { simulatedProfileSettings } from '../../scripts/sandbox/simulated.mjs';
import { repoRoot } from '../../scripts/vscode/ensure-server.mjs';
import { startVSCodeServer, type VSCodeServer } from '../../scripts/vscode/server.mjs';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { presentedKey } from '../fakes/httpFake';
import {
  askInChat,
  fakes,
  notificationToast,
  openChatPanel,
  openWorkbench,
  page,
  runCommandWithInput,
  useWorkbenchOnFakes,
  waitForEditorText,
  waitForWorkbench,
  waitUntil,
  type Workbench,
} from './harness';

const SAMPLE_FILE = path.join('src', 'inventory.ts');

interface RunningSandbox {
  child: ChildProcess;
  exited: Promise<number | null>;
  fakesPid: number;
  /** The VS Code server's port and the three fakes' ports. */
  ports: number[];
  output: () => string;
}

/**
 * `npm start` as a user runs it, with no keys: the fake providers and VS Code
 * start, the workspace is a fresh copy, and a signal to npm's process
 * stops all of it (no browser needed).
 */
describe('The sandbox (npm start)', () => {
  let stateDir: string;
  let running: RunningSandbox | undefined;

  before(() => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sandbox-'));
  });
  afterEach(async () => {
    // A failed test must not leave a sandbox behind.
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  });
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`opens a fresh copy of sample-workspace, and ${signal} stops VS Code and the fake providers with it`, async function () {
      this.timeout(240_000);
      const sandbox = (running = await startSandbox(stateDir));
      const copy = path.join(stateDir, 'sample-workspace', SAMPLE_FILE);
      const original = readFileSync(path.join(repoRoot, 'sample-workspace', SAMPLE_FILE), 'utf8');
      // The previous test's edit is gone: each start copies the workspace anew.
      assert.equal(readFileSync(copy, 'utf8'), original);
      for (const port of sandbox.ports) assert.equal(await accepts(port), true, `port ${port} is open while the sandbox runs`);
      assert.equal(isAlive(sandbox.fakesPid), true);
      assert.match(sandbox.output(), /switchboard\.providers\.openai\.baseUrl\s+http:\/\/127\.0\.0\.1:\d+\/v1\s+fake OpenAI/, 'it says which fake endpoints it set');
      const userSettings = JSON.parse(readFileSync(path.join(stateDir, 'user-data', 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(userSettings['switchboard.sandbox.simulated'], true, "the simulated label's mark is in its own profile's User settings");
      writeFileSync(copy, `${original}\n// an edit made in the demo\n`);

      // To npm's own process, as `kill <pid of npm start>` does: npm passes it on, and the sandbox stops everything.
      sandbox.child.kill(signal);
      await sandbox.exited;
      await waitUntil(() => sandbox.output().includes(`[sandbox] ${signal}: stopping VS Code and the fake providers`), `the sandbox to stop on ${signal}`);
      await waitUntil(() => !isAlive(sandbox.fakesPid), `the fake providers' process ${sandbox.fakesPid} to end`);
      for (const port of sandbox.ports) {
        await waitUntil(async () => !(await accepts(port)), `port ${port} to close after ${signal}`);
      }
      assert.equal(readFileSync(path.join(repoRoot, 'sample-workspace', SAMPLE_FILE), 'utf8'), original, 'the repository is untouched');
    });
  }

  it('with --real and no key in the environment, starts no fake provider and takes the fakes out of the settings the last start wrote', async function () {
    this.timeout(240_000);
    const settingsFile = path.join(stateDir, 'user-data', 'User', 'settings.json');
    // As a simulated start leaves them (the tests above do too): the providers pointed at fakes in the User settings.
    mkdirSync(path.dirname(settingsFile), { recursive: true });
    const fake = 'http://127.0.0.1:9';
    writeFileSync(settingsFile, JSON.stringify({ 'switchboard.providers.openai.baseUrl': `${fake}/v1`, 'switchboard.providers.anthropic.baseUrl': fake, 'switchboard.providers.bedrock.endpoint': fake }));
    const sandbox = await spawnSandbox(stateDir, '--real');
    running = { ...sandbox, fakesPid: 0, ports: [] };
    // (On a machine with ~/.aws the line starts by naming the AWS credentials, then the stored keys.)
    assert.match(sandbox.output(), /\[sandbox\] .*using the keys stored in this sandbox with "Switchboard: Set API Key…"|and the keys stored in this sandbox with "Switchboard: Set API Key…"/);
    assert.doesNotMatch(sandbox.output(), /fake providers started|SIMULATED/);
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    for (const key of ['openai.baseUrl', 'anthropic.baseUrl', 'bedrock.endpoint']) assert.equal(settings[`switchboard.providers.${key}`], '', `${key} is the provider's own again`);
    sandbox.child.kill('SIGTERM');
    await sandbox.exited;
  });

  it('refuses --real with --simulated, saying why', async () => {
    const child = spawn('npm', ['start', '--', '--port', '0', '--real', '--simulated', '--state-dir', stateDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
    assert.equal(code, 2, output);
    assert.match(output, /sandbox: --simulated and --real contradict each other/);
  });
});

/**
 * The sandbox's VS Code keeps its folder between runs (`npm start` passes its
 * state folder as rootDir): a key stored with Set API Key must still be there
 * after the page reloads and after VS Code restarts, as in a desktop VS Code.
 */
describe("The sandbox's stored keys", () => {
  const KEY = fakeKeys.anthropic(`kept${process.pid}`);
  let stateDir: string;
  let fakes: FakeProviders;
  let workbench: Workbench | undefined;
  let restarted: VSCodeServer | undefined;

  before(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sandbox-keys-'));
    fakes = await startFakeProviders();
    workbench = await openWorkbench({
      rootDir: stateDir,
      files: { 'notes.md': '# Notes\n' },
      userSettings: {
        'switchboard.providers.anthropic.baseUrl': fakes.urls.anthropic.baseUrl,
        // The test workbench is a remote window, whose loopback gets a key only when allowed (core/remoteWindow.ts).
        'switchboard.providers.anthropic.sendKeyTo': ['127.0.0.1'],
        'switchboard.routes.chat': ['anthropic:claude-sonnet-5'],
      },
    });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench?.captureFailure(this);
  });
  after(async () => {
    await restarted?.stop();
    await workbench?.close();
    await fakes?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('keeps a key stored with Set API Key after the page reloads and after VS Code restarts, sealed on disk', async function () {
    this.timeout(240_000);
    const { page, server, workspace } = workbench!;
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'Kept.' });
    // The workbench seals and writes its secrets after the command has returned (it fetches the key half first):
    // a reload before that write would lose the key, as it would for a user reloading at that very moment.
    const sealedSecrets = () => page.evaluate(() => localStorage.getItem('secrets.provider'));
    const sealedBefore = await sealedSecrets();
    await runCommandWithInput(page, 'Switchboard: Set Anthropic API Key', 'Switchboard: Anthropic API key', KEY);
    await waitUntil(async () => (await sealedSecrets()) !== sealedBefore, 'the workbench to write the sealed secrets to the browser storage');
    assert.ok(!(await sealedSecrets())!.includes(KEY), 'the browser storage holds the key sealed, not in plain text');

    const askAndCheckKey = async (question: string) => {
      const before = fakes.anthropic.requests.length;
      await askInChat(await openChatPanel(page, 'palette'), question);
      await waitUntil(() => fakes.anthropic.requests.length > before, `the chat request for "${question}" to reach the fake Anthropic`);
      assert.equal(presentedKey(fakes.anthropic.requests.at(-1)!), KEY, `the stored key went with "${question}"`);
    };

    await page.reload();
    await waitForWorkbench(page);
    await askAndCheckKey('after a reload?');

    const port = server.port;
    await server.stop();
    restarted = await startVSCodeServer({ workspace, extensionDevelopmentPath: repoRoot, rootDir: stateDir, port, userSettings: {} });
    assert.equal(restarted.port, port, 'the same address, so the browser finds its storage again');
    await page.goto(restarted.url);
    await waitForWorkbench(page);
    await askAndCheckKey('after a restart?');

    const keyHalf = path.join(server.userDataDir, 'serve-web-key-half');
    assert.equal(readFileSync(keyHalf).length, 32);
    assert.equal(statSync(keyHalf).mode & 0o077, 0, 'the key half is readable by its user only');
    const plainOnDisk = filesUnder(stateDir).filter((file) => readFileSync(file, 'latin1').includes(KEY));
    assert.deepEqual(plainOnDisk, [], 'the key is nowhere on disk in plain text');
  });
});

/**
 * What the sandbox's fake providers answer (SWITCHBOARD_SIMULATED, as `npm start` without keys sets it) is
 * priced as the model named would charge, and nothing is billed: the chat footer and Ask's signature say so.
 */
describe("The sandbox's answers in the workbench (simulated, not billed)", () => {
  useWorkbenchOnFakes({
    env: { SWITCHBOARD_SIMULATED: '1' },
    // What `npm start` writes into its own profile besides the fakes' endpoints (scripts/sandbox/simulated.mjs).
    userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false, ...simulatedProfileSettings(true) },
  });

  before(() => {
    fakes.openai.scriptModel('gpt-5.4', { text: 'Sort with a comparator.' });
  });

  it('marks the chat footer "simulated, not billed"', async () => {
    const footer = await chatAnswerFooter('How do I sort numbers?');
    assert.equal(await footer.locator('.footer-simulated').innerText(), 'simulated, not billed');
    assert.match(await footer.innerText(), /openai:gpt-5\.4/);
  });

  it("says in Ask's signature that the cost is simulated and not billed", async () => {
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'How do I sort strings?');
    await waitForEditorText(page, /Answered by openai:gpt-5\.4 · \$[\d.]+ \(simulated, not billed\) · /);
  });

  it('says, when a key is stored here, that answers stay simulated and how to start the sandbox for real ones', async () => {
    // The walkthrough's first step offers Set API Key… in the sandbox too: a key stored there would change nothing seen.
    await runCommandWithInput(page, 'Switchboard: Set OpenAI API Key', 'Switchboard: OpenAI API key', fakeKeys.openai(`sim${process.pid}`));
    const toast = notificationToast(page, 'Switchboard: OpenAI API key stored in secret storage.');
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /Answers stay simulated: this sandbox's settings send every provider's requests to its local fake servers\. For real answers with the keys stored here, stop the sandbox and start it again with npm start -- --real\./);
  });
});

/**
 * A dev container's repository can set SWITCHBOARD_SIMULATED in the extension host's environment (`remoteEnv`), write
 * the remote's Machine settings (`customizations.vscode.settings`) and its workspace settings, and run a server on the
 * remote's loopback, as the fakes here are: none of that is the sandbox's profile, so the answers are not labelled.
 */
describe("A repository's SWITCHBOARD_SIMULATED without the sandbox's profile (answers not labelled simulated)", () => {
  useWorkbenchOnFakes({
    env: { SWITCHBOARD_SIMULATED: '1' },
    machineSettings: simulatedProfileSettings(true),
    files: { '.vscode/settings.json': JSON.stringify(simulatedProfileSettings(true)) },
    userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false },
  });

  before(() => {
    fakes.openai.scriptModel('gpt-5.4', { text: 'Sort with a comparator.' });
  });

  it('leaves the chat footer and Ask\'s signature unlabelled, with the cost as billed', async () => {
    const footer = await chatAnswerFooter('How do I sort numbers?');
    assert.match(await footer.innerText(), /openai:gpt-5\.4/);
    assert.equal(await footer.locator('.footer-simulated').count(), 0, 'no "simulated, not billed" on the footer');
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'How do I sort strings?');
    await waitForEditorText(page, /Answered by openai:gpt-5\.4 · \$[\d.]+ · /);
  });
});

/** Asks `question` in the chat panel, opened from the palette, and returns the answer's footer once it shows. */
async function chatAnswerFooter(question: string): Promise<Locator> {
  const chat = await openChatPanel(page, 'palette');
  await askInChat(chat, question);
  const footer = chat.locator('.message.assistant .answer-footer');
  await footer.waitFor({ state: 'visible' });
  return footer;
}

/** Every file under dir, links not followed (the extensions folder links to the repository). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function startSandbox(stateDir: string): Promise<RunningSandbox> {
  const { child, exited, output } = await spawnSandbox(stateDir, '--simulated');
  let fakesPid: number | undefined;
  let serverPort: number | undefined;
  const fakePorts: number[] = [];
  for (const line of output().split('\n')) {
    fakesPid ??= Number(/fake providers started \(pid (\d+)\)/.exec(line)?.[1]) || undefined;
    serverPort ??= Number(/^\s+http:\/\/localhost:(\d+)\/\?folder=/.exec(line)?.[1]) || undefined;
    const fake = /^\s+switchboard\.providers\.\S+\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
    if (fake) fakePorts.push(Number(fake[1]));
  }
  if (!fakesPid || !serverPort || fakePorts.length !== 3) throw new Error(`the sandbox did not start as expected:\n${output()}`);
  return { child, exited, fakesPid, ports: [serverPort, ...fakePorts], output };
}

/** `npm start -- <mode>` with no provider variables in its environment, once it has printed that it is ready. */
async function spawnSandbox(stateDir: string, mode: '--simulated' | '--real'): Promise<Pick<RunningSandbox, 'child' | 'exited' | 'output'>> {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(OPENAI_|ANTHROPIC_|AWS_)/.test(name)) delete env[name];
  // `npm start` exactly as a user runs it: npm, then the Node 24 wrapper, then the sandbox.
  const child = spawn('npm', ['start', '--', '--port', '0', mode, '--state-dir', stateDir], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for await (const line of createInterface({ input: child.stdout! })) {
    output += `${line}\n`;
    if (/Press Ctrl\+C to stop/.test(line)) break;
  }
  // Keep draining stdout, so the sandbox never blocks on a full pipe.
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, exited, output: () => output };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when something accepts a TCP connection on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
