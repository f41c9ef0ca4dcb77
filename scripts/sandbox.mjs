#!/usr/bin/env node
/**
 * `npm start`: builds Switchboard and opens it in a real VS Code in the
 * browser, on sample-workspace/, ready to use:
 *   - with your keys: OPENAI_API_KEY, ANTHROPIC_API_KEY and the AWS chain from
 *     this shell, or keys you store with "Switchboard: Set API Key" (kept in
 *     .cache/sandbox between runs);
 *   - with a local OpenAI-compatible server: OPENAI_BASE_URL=http://localhost:11434/v1 npm start;
 *   - with no keys at all: the project's fake provider servers, and the
 *     status bar says "Simulated".
 * Prints the URL to open; Ctrl+C stops everything.
 *
 *   npm start [-- --port 8130] [-- --simulated]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { repoRoot } from './vscode/ensure-server.mjs';
import { startVSCodeServer } from './vscode/server.mjs';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SWITCHBOARD_SANDBOX_PORT ?? '8130' },
    simulated: { type: 'boolean', default: false },
  },
});
const port = Number(options.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`sandbox: --port "${options.port}" is not a port number`);
  process.exit(2);
}

const say = (message) => console.log(`[sandbox] ${message}`);

say('building the extension…');
const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const env = process.env;
const awsLikely =
  Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
  Boolean(env.AWS_PROFILE) ||
  existsSync(path.join(os.homedir(), '.aws', 'credentials')) ||
  existsSync(path.join(os.homedir(), '.aws', 'config'));
const hasRealProvider = Boolean(env.OPENAI_API_KEY || env.ANTHROPIC_API_KEY || env.OPENAI_BASE_URL || awsLikely);
const simulated = options.simulated || !hasRealProvider;

const userSettings = {};
const serverEnv = {
  // The real HOME, so ~/.aws profiles and SSO logins work, and the per-user ledger the CLI reads.
  HOME: os.homedir(),
  SWITCHBOARD_LEDGER: env.SWITCHBOARD_LEDGER,
};
let fakes;
if (simulated) {
  say('no OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENAI_BASE_URL or AWS credentials: starting simulated providers');
  fakes = await startFakes();
  Object.assign(userSettings, {
    'switchboard.providers.openai.baseUrl': fakes.urls.openai.baseUrl,
    'switchboard.providers.anthropic.baseUrl': fakes.urls.anthropic.baseUrl,
    'switchboard.providers.bedrock.endpoint': fakes.urls.bedrock.endpoint,
    'switchboard.providers.bedrock.region': fakes.urls.bedrock.region,
  });
  Object.assign(serverEnv, {
    SWITCHBOARD_SIMULATED: '1',
    // Simulated answers cost nothing real, but go to their own ledger so they never mix with real spend.
    SWITCHBOARD_LEDGER: path.join(repoRoot, '.cache', 'sandbox', 'simulated-ledger.jsonl'),
    AWS_ACCESS_KEY_ID: 'simulated',
    AWS_SECRET_ACCESS_KEY: 'simulated',
  });
} else {
  for (const name of Object.keys(env)) if (/^(OPENAI_|ANTHROPIC_|AWS_)/.test(name)) serverEnv[name] = env[name];
  if (env.OPENAI_BASE_URL) userSettings['switchboard.providers.openai.baseUrl'] = env.OPENAI_BASE_URL;
  else userSettings['switchboard.providers.openai.baseUrl'] = '';
  for (const key of ['anthropic.baseUrl', 'bedrock.endpoint', 'bedrock.region']) userSettings[`switchboard.providers.${key}`] = '';
  say(`using your providers: ${[env.OPENAI_API_KEY && 'OpenAI key', env.ANTHROPIC_API_KEY && 'Anthropic key', env.OPENAI_BASE_URL && `OpenAI-compatible server at ${env.OPENAI_BASE_URL}`, awsLikely && 'AWS credentials'].filter(Boolean).join(', ')}`);
}

const server = await startVSCodeServer({
  workspace: path.join(repoRoot, 'sample-workspace'),
  extensionDevelopmentPath: repoRoot,
  loadExtensionAs: 'installed',
  rootDir: path.join(repoRoot, '.cache', 'sandbox'),
  port,
  env: serverEnv,
  userSettings,
});

console.log(`\n  Switchboard is running in VS Code${simulated ? ' with SIMULATED providers' : ''}. Open:\n\n    ${server.url}\n`);
console.log('  Try: type in sample-workspace/src/inventory.ts, open the Switchboard view in the activity bar, run "Switchboard: Plan…".');
console.log(`  Ledger: ${serverEnv.SWITCHBOARD_LEDGER ?? 'the per-user default (see README)'}. Press Ctrl+C to stop.\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await server.stop({ keepFiles: true });
  fakes?.child.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/** The fake provider servers in their own process, as `test/fakes/serve.ts` runs them. */
function startFakes() {
  const tsx = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, path.join(repoRoot, 'test', 'fakes', 'serve.ts'), '--first-byte-ms', '250', '--chunk-ms', '25'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      try {
        resolve({ child, urls: JSON.parse(line) });
      } catch (error) {
        reject(new Error(`the fake providers printed something unexpected: ${line} (${error.message})`));
      }
    });
    child.once('exit', (code) => reject(new Error(`the fake providers exited with code ${code}`)));
  });
}
