/**
 * Builds dist/ with the project's build script, as a user would, once per
 * mocha run however many test files ask: the CLI tests run the built CLI, the
 * .vsix test lists what would be packaged.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = path.resolve(__dirname, '..');

let built: Promise<void> | undefined;

export function buildOnce(): Promise<void> {
  built ??= promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot }).then(() => undefined);
  return built;
}
