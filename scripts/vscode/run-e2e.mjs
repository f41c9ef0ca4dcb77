#!/usr/bin/env node
/**
 * Runs the UI scenarios (test/e2e/**\/*.e2e.ts) with mocha and tsx, one at a
 * time, each against a real VS Code in headless Chromium (see test/e2e/harness.ts).
 * Needs the built extension (npm run build) and the VS Code server, which it
 * installs on first use.
 *
 *   node scripts/vscode/run-e2e.mjs [extra mocha arguments, e.g. --grep palette]
 *
 * SWITCHBOARD_HEADED=1 shows the browser on a desktop.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureServer, repoRoot } from './ensure-server.mjs';

if (!existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
  console.error('[e2e] dist/extension.js is missing: run npm run build first.');
  process.exit(1);
}
// Installing here, not inside a test's before() hook, keeps a first run's install out of mocha's timeouts.
ensureServer();

// Screenshots left by an earlier run would pass for this run's failures.
rmSync(path.join(repoRoot, 'test-output', 'e2e'), { recursive: true, force: true });

const mocha = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
const result = spawnSync(process.execPath, [mocha, '--config', path.join(repoRoot, '.mocharc.e2e.json'), ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
