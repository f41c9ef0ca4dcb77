import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const REPO_ROOT = path.resolve(__dirname, '../..');
const RULE = '@typescript-eslint/no-restricted-imports';

/**
 * The layering of eslint.config.mjs, checked on small sources linted as if they stood at a path in src/ (nothing is
 * written there): an edit to the config that drops a layer's rule, or a file pattern that no longer matches, would
 * otherwise pass lint silently, as every real file already keeps the rule.
 */
describe('the layering lint (eslint.config.mjs)', function () {
  // Loading the config (typescript-eslint) takes a few seconds on a busy machine.
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: REPO_ROOT });

  /** The messages of the import rule for `code` placed at `file` (repository-relative). */
  async function layeringErrors(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
    assert.ok(result, `no lint result for ${file}`);
    // A path the config ignores is not linted at all: that would make every case below pass for nothing.
    assert.ok(!result.messages.some((message) => /ignored/i.test(message.message)), `${file} is ignored by the config`);
    return result.messages.filter((message) => message.ruleId === RULE).map((message) => message.message);
  }

  it('refuses a run-time `vscode` import in src/core, and allows a type import there', async () => {
    const errors = await layeringErrors('src/core/routing/layeringFixture.ts', "import { window } from 'vscode';\nexport const shown = window;\n");
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /The core must run without VS Code/);
    assert.deepEqual(await layeringErrors('src/core/routing/layeringFixture.ts', "import type { Uri } from 'vscode';\nexport type Where = Uri;\n"), []);
  });

  it('refuses src/core importing the adapter layer in src/vscode', async () => {
    const errors = await layeringErrors('src/core/layeringFixture.ts', "import { statusView } from '../vscode/statusModel';\nexport const view = statusView;\n");
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /The core may not depend on the VS Code adapter layer/);
    const deeper = await layeringErrors('src/core/budget/layeringFixture.ts', "import { statusView } from '../../vscode/statusModel';\nexport const view = statusView;\n");
    assert.equal(deeper.length, 1, deeper.join('\n'));
  });

  it('refuses Node built-ins in src/webview, by either name', async () => {
    for (const name of ['node:fs', 'fs', 'child_process', 'path/posix']) {
      const errors = await layeringErrors('src/webview/chat/layeringFixture.ts', `import * as builtIn from '${name}';\nexport const used = builtIn;\n`);
      assert.equal(errors.length, 1, `${name}: ${errors.join('\n')}`);
      assert.match(errors[0]!, /Webview code runs in the browser: no Node built-ins/, name);
    }
  });

  it('lets the adapter layer import `vscode` and the webview import the shared protocol (the rules are not blanket refusals)', async () => {
    assert.deepEqual(await layeringErrors('src/vscode/layeringFixture.ts', "import { window } from 'vscode';\nexport const shown = window;\n"), []);
    assert.deepEqual(
      await layeringErrors('src/webview/chat/layeringFixture.ts', "import { parseHostMessage } from '../../shared/chatProtocol';\nexport const parse = parseHostMessage;\n"),
      [],
    );
  });
});
