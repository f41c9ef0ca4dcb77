#!/usr/bin/env node
/**
 * Runs the in-host suite (test/vscode) in a desktop VS Code instead of the
 * browser-based harness (scripts/vscode/run-extension-tests.mjs). For
 * contributors with a display and internet access: @vscode/test-electron
 * downloads VS Code into .vscode-test/ on first use.
 *
 *   npm install --no-save @vscode/test-electron   # unless it is a devDependency already
 *   npm run build
 *   node test/vscode/runWithTestElectron.mjs [--version 1.101.0] [--grep <pattern>]
 *
 * --version defaults to 'stable'; give the minimum in package.json's
 * engines.vscode to check that Switchboard still runs there. On a Linux
 * machine without a display, prefix the command with `xvfb-run -a`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildVSCodeTests, vscodeTestsOutfile } from '../../scripts/vscode/build-tests.mjs';
import { repoRoot } from '../../scripts/vscode/ensure-server.mjs';

const { values: options } = parseArgs({
  options: {
    version: { type: 'string', default: 'stable' },
    grep: { type: 'string' },
  },
});

let testElectron;
try {
  testElectron = await import('@vscode/test-electron');
} catch {
  console.error('@vscode/test-electron is not installed: npm install --no-save @vscode/test-electron');
  process.exit(1);
}

await buildVSCodeTests();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-electron-'));
const workspace = path.join(scratch, 'workspace');
mkdirSync(workspace);
try {
  await testElectron.runTests({
    version: options.version,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: vscodeTestsOutfile,
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', path.join(scratch, 'user-data')],
    extensionTestsEnv: {
      SWITCHBOARD_TEST_GREP: options.grep,
      // As in the browser harness: a throwaway ledger, and no real keys that would bill real requests.
      SWITCHBOARD_LEDGER: path.join(scratch, 'ledger.jsonl'),
      OPENAI_API_KEY: '',
      ANTHROPIC_API_KEY: '',
      AWS_PROFILE: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
    },
  });
} catch (error) {
  console.error(`In-host tests failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
