/**
 * What `npm start` runs when there are no keys, shared with `npm run screenshot`
 * so the README's picture shows exactly what a newcomer gets: the fake provider
 * servers giving showcase answers, the User settings that point Switchboard at
 * them, the environment that marks the window "Simulated", and a fresh copy of
 * sample-workspace/.
 */
import { spawn } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../vscode/ensure-server.mjs';

/** A copy of sample-workspace/ under `stateDir`, replacing the last run's (and its edits). */
export function freshWorkspaceCopy(stateDir) {
  const target = path.join(stateDir, 'sample-workspace');
  rmSync(target, { recursive: true, force: true });
  cpSync(path.join(repoRoot, 'sample-workspace'), target, { recursive: true });
  return target;
}

/**
 * The fake provider servers in their own Node process (no tsx wrapper in
 * between, so a signal reaches them), with an IPC channel: if this process
 * dies without stopping them, the channel closes and they exit by themselves.
 * Answers are paced like a real model's: a first byte after 250 ms, then a piece every 25 ms.
 */
export function startSimulatedProviders() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'fakes', 'serve.ts'), '--showcase', '--first-byte-ms', '250', '--chunk-ms', '25'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      try {
        resolve({ pid: child.pid, urls: JSON.parse(line), stop });
      } catch (error) {
        reject(new Error(`the fake providers printed something unexpected: ${line} (${error.message})`));
      }
    });
    void exited.then((code) => reject(new Error(`the fake providers exited with code ${code}`)));
  });
}

/** The User settings that point Switchboard at the fakes, each with what it is, for the sandbox to explain. */
export function simulatedSettings(urls) {
  return [
    ['switchboard.providers.openai.baseUrl', urls.openai.baseUrl, 'fake OpenAI (chat completions, FIM)'],
    ['switchboard.providers.anthropic.baseUrl', urls.anthropic.baseUrl, 'fake Anthropic (Messages API)'],
    ['switchboard.providers.bedrock.endpoint', urls.bedrock.endpoint, 'fake Bedrock (Converse, HTTP/2)'],
    ['switchboard.providers.bedrock.region', urls.bedrock.region, 'any region: the fake ignores it'],
  ];
}

/**
 * The User setting that marks the sandbox's own profile as simulated (`on`) or not: the "simulated, not billed"
 * label needs it besides SWITCHBOARD_SIMULATED, since a dev container's environment can set the variable but never
 * the user's User settings (src/vscode/sandboxSimulation.ts). The sandbox's profile is kept between runs, so a run
 * with keys writes it off.
 */
export function simulatedProfileSettings(on) {
  return { 'switchboard.sandbox.simulated': on };
}

/** The VS Code server's environment in simulated mode: "Simulated" in the status bar, a ledger of its own, AWS keys the fake accepts. */
export function simulatedEnv(stateDir) {
  return {
    SWITCHBOARD_SIMULATED: '1',
    // Simulated answers cost nothing real, but go to their own ledger so they never mix with real spend.
    SWITCHBOARD_LEDGER: path.join(stateDir, 'simulated-ledger.jsonl'),
    AWS_ACCESS_KEY_ID: 'simulated',
    AWS_SECRET_ACCESS_KEY: 'simulated',
  };
}
