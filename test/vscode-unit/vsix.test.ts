import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '../..');

describe('the .vsix contents (.vscodeignore allow-list)', () => {
  it('holds the bundles, media, README, license and manifest, and no sources, tests or node_modules', function () {
    this.timeout(60_000);
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (const required of ['package.json', 'README.md', 'LICENSE', 'media/chat.css', 'media/switchboard.svg']) {
      assert.ok(files.includes(required), `${required} is packaged`);
    }
    const allowed = /^(package\.json|README\.md|LICENSE|media\/[^/]+|dist\/(extension|cli)\.js|dist\/providers\/(openai|anthropic|bedrock)\.js|dist\/webview\/chat\.js)$/;
    for (const file of files) assert.match(file, allowed, `${file} should not be in the .vsix`);
  });
});
