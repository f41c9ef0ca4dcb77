import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildOnce, repoRoot } from '../buildOnce';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string; bin: Record<string, string> };
const relative = (file: string) => path.posix.normalize(file);

/** Every bundle the extension loads: the entry, the CLI, each provider SDK bundle and the chat webview. */
const BUNDLES = [
  relative(manifest.main),
  ...Object.values(manifest.bin).map(relative),
  'dist/providers/openai.js',
  'dist/providers/anthropic.js',
  'dist/providers/bedrock.js',
  'dist/webview/chat.js',
];

describe('the .vsix contents (.vscodeignore allow-list)', () => {
  it('holds the bundles, media, README, license and manifest, and no sources, tests or node_modules', async function () {
    this.timeout(120_000);
    // A fresh build: the listing is of what is on disk, so without dist/ there would be no bundles to find.
    await buildOnce();
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (const required of ['package.json', 'README.md', 'LICENSE', 'media/chat.css', 'media/switchboard.svg', ...BUNDLES]) {
      assert.ok(files.includes(required), `${required} is packaged`);
    }
    const allowed = /^(package\.json|README\.md|LICENSE|media\/(walkthrough\/)?[^/]+|dist\/(extension|cli|routing)\.js|dist\/providers\/(openai|anthropic|bedrock)\.js|dist\/webview\/chat\.js)$/;
    for (const file of files) assert.match(file, allowed, `${file} should not be in the .vsix`);
  });
});
