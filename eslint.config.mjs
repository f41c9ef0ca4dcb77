// Lint enforces the layering (see docs/ARCHITECTURE.md):
//   src/core, src/shared, src/cli  never import `vscode` at run time (types only),
//                                  and never reach into the adapter or webview layers;
//   src/core/providers             each adapter is its own bundle: it imports the provider layer and core/types only;
//   src/webview                    is browser code: no vscode, no Node built-ins, no core internals.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const coreLayering = [
  { group: ['**/vscode/**', '../vscode', '../../vscode'], message: 'The core may not depend on the VS Code adapter layer.' },
  { group: ['**/webview/**'], message: 'The core may not depend on webview code.' },
];

const noVscodeAtRunTime = {
  name: 'vscode',
  message: 'The core must run without VS Code: import only types from "vscode" here (import type).',
  allowTypeImports: true,
};

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
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscodeAtRunTime],
          patterns: coreLayering,
        },
      ],
    },
  },
  {
    files: ['src/core/providers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscodeAtRunTime],
          patterns: [
            ...coreLayering,
            {
              // ../redact too: the one redaction module, with no imports of its own, cleans provider error texts.
              regex: '^\\.\\./(?!types$|redact$)',
              message: 'A provider adapter is its own bundle (dist/providers/*.js): import the provider layer (./…), ../types and ../redact only; move what it needs into src/core/providers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webview code runs in the browser: talk to the host through src/shared/chatProtocol.ts.' }],
          patterns: [
            { group: ['node:*'], message: 'Webview code runs in the browser: no Node built-ins.' },
            { group: ['**/core/providers/**', '**/core/router', '**/core/ledger', '**/vscode/**'], message: 'Webview code may use only shared, browser-safe modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' } },
  },
);
