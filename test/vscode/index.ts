/**
 * The in-host suite's entry: VS Code loads the bundle built from this file
 * (dist/test/vscode/index.js, see scripts/vscode/build-tests.mjs) as
 * `extensionTestsPath` and calls run() inside the extension host, where
 * `vscode` is the real API. Its console output reaches the terminal through
 * scripts/vscode/run-extension-tests.mjs.
 */
import Mocha from 'mocha';

/** Test files under test/vscode, without `.test.ts`; filled in at bundle time. */
declare const SWITCHBOARD_VSCODE_TEST_FILES: readonly string[];

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // Colour codes would arrive as litter: output travels through the workbench's log, not a terminal.
    color: false,
    forbidOnly: true,
    // A real workbench is slower than plain Node, more so on a busy machine.
    timeout: 30_000,
    grep: process.env.SWITCHBOARD_TEST_GREP || undefined,
  });
  // Gives the bundled test files mocha's describe/it as globals before they run.
  mocha.suite.emit('pre-require', globalThis, 'test/vscode', mocha);
  for (const name of SWITCHBOARD_VSCODE_TEST_FILES) {
    // esbuild bundles every file this template can match and picks one at run time.
    await import(`./${name}.test.ts`);
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} VS Code test(s) failed.`);
}
