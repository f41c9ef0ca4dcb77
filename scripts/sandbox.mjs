#!/usr/bin/env node
/**
 * `npm start`: builds Switchboard and opens it in a real VS Code in the
 * browser, on a fresh copy of sample-workspace/ (so the demo's edits never
 * reach the repository), ready to use:
 *   - with your keys: OPENAI_API_KEY, ANTHROPIC_API_KEY and the AWS chain from
 *     this shell, or keys you store with "Switchboard: Set API Key" (kept
 *     between runs by the browser, sealed with a key half kept in the state
 *     folder: see scripts/vscode/secretKeyFront.mjs);
 *   - with a local OpenAI-compatible server: OPENAI_BASE_URL=http://localhost:11434/v1 npm start (alone, every
 *     route goes to a model the server lists, as the CLI's `switchboard models` suggests: sandbox/localServer.mjs);
 *   - with no keys at all: the project's fake provider servers giving showcase
 *     answers, and the status bar says "Simulated"; --real skips them, for keys
 *     stored in the sandbox with "Switchboard: Set API Key" (which the browser
 *     keeps and this script cannot see).
 * Prints the URL to open. Ctrl+C, or SIGINT or SIGTERM to this process, stops
 * VS Code and the fake providers with it.
 *
 *   npm start [-- --port 8130] [-- --simulated | --real] [-- --state-dir DIR]
 *
 * --port 0 takes any free port. --state-dir (default .cache/sandbox) holds the
 * VS Code profile, stored keys, the simulated ledger and the workspace copy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ledgerLine, sharedLedgerEnv } from './sandbox/ledger.mjs';
import { localRoutesSettings, localServerRoutes } from './sandbox/localServer.mjs';
import { freshWorkspaceCopy, simulatedEnv, simulatedProfileSettings, simulatedSettings, startSimulatedProviders } from './sandbox/simulated.mjs';
import { routesLeftLine, shownPath, usingProvidersLine } from './sandbox/startLines.mjs';
import { repoRoot } from './vscode/ensure-server.mjs';
import { startVSCodeServer } from './vscode/server.mjs';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SWITCHBOARD_SANDBOX_PORT ?? '8130' },
    simulated: { type: 'boolean', default: false },
    real: { type: 'boolean', default: false },
    'state-dir': { type: 'string', default: path.join(repoRoot, '.cache', 'sandbox') },
  },
});
const port = Number(options.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`sandbox: --port "${options.port}" is not a port number (0 takes any free port)`);
  process.exit(2);
}
if (options.simulated && options.real) {
  console.error('sandbox: --simulated and --real contradict each other: --simulated always uses the fake providers, --real never does');
  process.exit(2);
}
const stateDir = path.resolve(options['state-dir']);

const say = (message) => console.log(`[sandbox] ${message}`);

// Installed first, so that a signal at any point below stops what has started so far.
let server;
let fakes;
let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping VS Code and the fake providers…`);
  await Promise.all([server?.stop({ keepFiles: true }), fakes?.stop()]);
  // A VS Code server still starting is ended by its own exit hook (scripts/vscode/server.mjs).
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

say('building the extension…');
const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const workspace = freshWorkspaceCopy(stateDir);
say(`opening a fresh copy of sample-workspace/ in ${shownPath(repoRoot, workspace)} (made anew on each start)`);

const env = process.env;
const awsLikely =
  Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
  Boolean(env.AWS_PROFILE) ||
  existsSync(path.join(os.homedir(), '.aws', 'credentials')) ||
  existsSync(path.join(os.homedir(), '.aws', 'config'));
const hasRealProvider = Boolean(env.OPENAI_API_KEY || env.ANTHROPIC_API_KEY || env.OPENAI_BASE_URL || awsLikely);
const simulated = options.simulated || (!hasRealProvider && !options.real);

// The label's mark in this profile's User settings, which only this launcher writes (see simulatedProfileSettings).
const userSettings = { ...simulatedProfileSettings(simulated) };
// The real HOME, so ~/.aws profiles and SSO logins work, and the per-user ledger the CLI reads (ledger.mjs).
const serverEnv = sharedLedgerEnv(env, os.homedir());
let fakeSettings = [];
/** Set when only a local server is there: every task routed to one of its models. */
let localRoutes;
if (simulated) {
  say('no OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENAI_BASE_URL or AWS credentials: starting simulated providers');
  fakes = await startSimulatedProviders();
  say(`fake providers started (pid ${fakes.pid})`);
  fakeSettings = simulatedSettings(fakes.urls);
  for (const [key, value] of fakeSettings) userSettings[key] = value;
  Object.assign(serverEnv, simulatedEnv(stateDir));
} else {
  for (const name of Object.keys(env)) if (/^(OPENAI_|ANTHROPIC_|AWS_)/.test(name)) serverEnv[name] = env[name];
  if (env.OPENAI_BASE_URL) userSettings['switchboard.providers.openai.baseUrl'] = env.OPENAI_BASE_URL;
  else userSettings['switchboard.providers.openai.baseUrl'] = '';
  for (const key of ['anthropic.baseUrl', 'bedrock.endpoint', 'bedrock.region']) userSettings[`switchboard.providers.${key}`] = '';
  say(usingProvidersLine([env.OPENAI_API_KEY && 'OpenAI key', env.ANTHROPIC_API_KEY && 'Anthropic key', env.OPENAI_BASE_URL && `OpenAI-compatible server at ${env.OPENAI_BASE_URL}`, awsLikely && 'AWS credentials'].filter(Boolean)));
  if (env.OPENAI_BASE_URL && !env.ANTHROPIC_API_KEY && !awsLikely) {
    // Only a local server: the default routes' OpenAI models are not among its models.
    const local = await localServerRoutes(env.OPENAI_BASE_URL, { cli: path.join(repoRoot, 'dist', 'cli.js'), apiKey: env.OPENAI_API_KEY });
    if ('routes' in local) {
      localRoutes = local.settings;
      const routes = Object.entries(local.routes).map(([task, route]) => `${task} to ${route.join(', ')}`).join('; ');
      say(`routes: ${routes}, as "switchboard models --base-url ${env.OPENAI_BASE_URL}" suggests (Switchboard: Use a Local Server… or switchboard.routes.* in User settings pick others)`);
    } else if ('problem' in local) {
      say(routesLeftLine(local.problem));
    }
  }
}

const routesBefore = localRoutesSettings(stateDir, localRoutes);
if (!localRoutes && Object.keys(routesBefore).length > 0) say('routes back to the defaults (the last start routed them to a local server)');
Object.assign(userSettings, routesBefore);

server = await startVSCodeServer({
  workspace,
  extensionDevelopmentPath: repoRoot,
  loadExtensionAs: 'installed',
  rootDir: stateDir,
  port,
  env: serverEnv,
  userSettings,
});

console.log(`\n  Switchboard is running in VS Code${simulated ? ' with SIMULATED providers' : ''}. Open:\n\n    ${server.url}\n`);
if (simulated) {
  console.log('  No keys were found, so local fake servers stand in for the providers. The sandbox wrote these User settings:\n');
  const width = Math.max(...fakeSettings.map(([key]) => key.length));
  for (const [key, value, what] of fakeSettings) console.log(`    ${key.padEnd(width)}  ${value.padEnd(28)}  ${what}`);
  console.log('\n  Answers are showcase text, labelled "Simulated", that these local fakes make up: no model sees your code,');
  console.log('  and nothing costs anything real.');
  console.log('  For real answers: stop, set OPENAI_API_KEY or ANTHROPIC_API_KEY (or OPENAI_BASE_URL for a local server), start again;');
  console.log('  or, for keys stored here with "Switchboard: Set API Key…", start again with npm start -- --real.\n');
}
console.log('  Try: put the cursor in the empty body of lowStock() in src/inventory.ts, open the Switchboard view in the');
console.log('  activity bar, run "Switchboard: Plan…", or follow "Welcome: Open Walkthrough…" → Get Started with Switchboard.');
console.log(`  ${await ledgerLine(repoRoot, serverEnv, { simulated })}.`);
console.log('  Press Ctrl+C to stop.\n');
