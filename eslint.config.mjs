// Lint enforces the layering (see docs/ARCHITECTURE.md):
//   src/core, src/shared, src/cli  never import `vscode` at run time (types only),
//                                  and never reach into the adapter or webview layers;
//   src/core, src/shared           never reach into the CLI either: the editor bundles them without it;
//   src/core/providers             each adapter is its own bundle: it imports the provider layer and core/types only;
//   src/vscode                     the Node host: never imports webview code (a browser bundle of its own) or the CLI;
//   src/webview                    is browser code: no vscode, no Node built-ins (by either name), no core internals;
//   tests                          live in test/, one folder per layer; only test/vscode runs inside VS Code, so
//                                  no other test imports `vscode` at run time.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const adapterLayer = { group: ['**/vscode/**', '../vscode', '../../vscode'], message: 'The core may not depend on the VS Code adapter layer.' };
const webviewLayer = { group: ['**/webview/**'], message: 'The core may not depend on webview code.' };
const cliLayer = { group: ['**/cli/**', '../cli', '../../cli'], message: 'The core may not depend on the CLI: the extension bundles the core without it.' };
const coreLayering = [adapterLayer, webviewLayer, cliLayer];

const noVscodeAtRunTime = {
  name: 'vscode',
  message: 'The core must run without VS Code: import only types from "vscode" here (import type).',
  allowTypeImports: true,
};

/** The import restrictions of one layer; the base rule is off so that only the type-aware one (import type allowed) reports. */
const restrictImports = (options) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', options],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-output/**', 'bench-output/**', 'sample-workspace/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: restrictImports({
      paths: [noVscodeAtRunTime],
      patterns: coreLayering,
    }),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrictImports({
      paths: [{ ...noVscodeAtRunTime, message: 'The CLI runs without VS Code: import only types from "vscode" here (import type).' }],
      patterns: [
        { ...adapterLayer, message: 'The CLI may not depend on the VS Code adapter layer; move what both need into src/core.' },
        { ...webviewLayer, message: 'The CLI may not depend on webview code.' },
      ],
    }),
  },
  {
    files: ['src/vscode/**/*.ts'],
    rules: restrictImports({
      patterns: [
        { ...webviewLayer, message: 'The webview is its own browser bundle: the host talks to it through src/shared/*Protocol.ts, never by importing it.' },
        { ...cliLayer, message: 'The adapter may not depend on the CLI; move what both need into src/core.' },
      ],
    }),
  },
  {
    files: ['src/core/providers/**/*.ts'],
    rules: restrictImports({
      paths: [noVscodeAtRunTime],
      patterns: [
        ...coreLayering,
        {
          // ../redact too: the one redaction module, with no imports of its own, cleans provider error texts.
          regex: '^\\.\\./(?!types$|redact$)',
          message: 'A provider adapter is its own bundle (dist/providers/*.js): import the provider layer (./…), ../types and ../redact only; move what it needs into src/core/providers.',
        },
      ],
    }),
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: restrictImports({
      paths: [{ name: 'vscode', message: 'Webview code runs in the browser: talk to the host through src/shared/chatProtocol.ts.' }],
      patterns: [
        { group: ['node:*'], message: 'Webview code runs in the browser: no Node built-ins.' },
        // `fs` as much as `node:fs`: esbuild would fail on the browser bundle only at build time.
        { regex: `^(${builtinModules.filter((name) => !name.startsWith('_')).join('|')})(/.*)?$`, message: 'Webview code runs in the browser: no Node built-ins.' },
        { group: ['**/core/providers/**', '**/core/router', '**/core/ledger', '**/vscode/**', '**/cli/**'], message: 'Webview code may use only shared, browser-safe modules.' },
      ],
    }),
  },
  {
    // The unit suite's spec globs read test/; a test under src/ would never run, and would ship in the bundle's sources.
    files: ['src/**/*.test.ts', 'src/**/*.spec.ts', 'src/**/*.e2e.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'Program', message: 'Tests live in test/, in the folder of the layer they test (test/core for src/core, ...), where the suites look for them.' }] },
  },
  {
    // Only test/vscode runs inside VS Code; everywhere else `vscode` does not exist at run time.
    files: ['test/**/*.ts'],
    ignores: ['test/vscode/**'],
    rules: restrictImports({ paths: [{ name: 'vscode', allowTypeImports: true, message: 'Only the in-host tests (test/vscode) run inside VS Code: import only types from "vscode" here, or move the test to test/vscode.' }] }),
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' } },
  },
);
