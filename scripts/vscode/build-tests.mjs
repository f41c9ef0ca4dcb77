#!/usr/bin/env node
/**
 * Bundles the in-host test suite: test/vscode/index.ts plus every
 * test/vscode/**\/*.test.ts into one CommonJS file, dist/test/vscode/index.js,
 * which VS Code loads as `extensionTestsPath`.
 *
 * index.ts cannot list the test files itself, so the list is handed over as a
 * constant (SWITCHBOARD_VSCODE_TEST_FILES) and index.ts requires each file by
 * a template path, which esbuild turns into a bundled map of all matches.
 * Mocha is bundled too, so the suite needs nothing from node_modules at run time.
 *
 *   node scripts/vscode/build-tests.mjs
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { repoRoot } from './ensure-server.mjs';

export const vscodeTestsDir = path.join(repoRoot, 'test', 'vscode');
export const vscodeTestsOutfile = path.join(repoRoot, 'dist', 'test', 'vscode', 'index.js');

const TEST_SUFFIX = '.test.ts';

/** Test files relative to test/vscode, without the `.test.ts` suffix, in a stable order. */
export function listVSCodeTestFiles() {
  return readdirSync(vscodeTestsDir, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith(TEST_SUFFIX))
    .map((file) => file.slice(0, -TEST_SUFFIX.length))
    .sort();
}

/**
 * esbuild options for the suite, for a build script that wants it among its other
 * bundles: scripts/build.mjs can add `vscodeTestsBuildOptions()` to its list.
 */
export function vscodeTestsBuildOptions() {
  return {
    // Relative to the repository, like scripts/build.mjs's own entries, so its checks and metafile apply as they are.
    absWorkingDir: repoRoot,
    entryPoints: ['test/vscode/index.ts'],
    outfile: 'dist/test/vscode/index.js',
    metafile: true,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'linked',
    external: ['vscode'],
    define: { SWITCHBOARD_VSCODE_TEST_FILES: JSON.stringify(listVSCodeTestFiles()) },
    logLevel: 'warning',
    // mocha's ES-module loader and parallel runner resolve files at run time; the suite uses neither.
    logOverride: { 'unsupported-dynamic-import': 'silent', 'require-resolve-not-external': 'silent' },
  };
}

export async function buildVSCodeTests() {
  const started = Date.now();
  const files = listVSCodeTestFiles();
  await esbuild.build(vscodeTestsBuildOptions());
  console.log(`[build-tests] ${files.length} test file(s) -> ${path.relative(repoRoot, vscodeTestsOutfile)} in ${Date.now() - started} ms`);
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) await buildVSCodeTests();
