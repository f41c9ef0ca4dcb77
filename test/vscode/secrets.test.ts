import assert from 'node:assert/strict';
import { symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { runConfirmed } from './confirmedCommand';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';
const STORED_KEY = fakeKeys.openai('stored-in-host');
/** In another open editor: must reach the model masked. */
const KEY_IN_SOURCE = fakeKeys.openai('source-in-host');
/** In an excluded file: must not reach the model at all. */
const KEY_IN_DOTENV = fakeKeys.github('dotenv-in-host');

/** Shares most identifiers with APP, so the snippet collector ranks it high. */
const BILLING = [
  'export function invoiceTotal(invoice: Invoice, taxRate: number): number {',
  '  const subtotal = invoice.lines.reduce((sum, line) => sum + line.amount, 0);',
  `  const paymentKey = "${KEY_IN_SOURCE}";`,
  '  return subtotal + subtotal * taxRate;',
  '}',
  '',
].join('\n');
const DOTENV = [`INVOICE_SUBTOTAL_TAXRATE_AMOUNT=lines`, `GITHUB_TOKEN=${KEY_IN_DOTENV}`, 'invoiceTotal=subtotal taxRate amount lines reduce', ''].join('\n');
const APP = ['export function invoiceWithTax(invoice: Invoice, taxRate: number): number {', '  const subtotal = invoice.lines.reduce((sum, line) => sum + line.amount, 0);', '  ', '}', ''].join('\n');

async function api(): Promise<SwitchboardTestApi> {
  const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
  assert.ok(exports);
  return exports;
}

/**
 * Everything reachable from `root` through properties (own and inherited,
 * enumerable or not, symbols too) and prototypes: what another extension
 * holding the exports could get to without reading closures, which JavaScript
 * cannot do.
 */
function reachableStrings(root: unknown): { strings: string[]; objects: number } {
  const seen = new Set<unknown>([Object.prototype, Function.prototype, Array.prototype]);
  const strings: string[] = [];
  const queue: unknown[] = [root];
  while (queue.length > 0) {
    const value = queue.shift();
    if (typeof value === 'string') strings.push(value);
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    queue.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) queue.push(descriptor.value);
      if (typeof key === 'string') strings.push(key);
    }
  }
  return { strings, objects: seen.size };
}

describe('Secrets never leave', function () {
  let fakes: FakeProviders;
  let sb: SwitchboardTestApi;
  let folder: vscode.Uri;

  before(async () => {
    fakes = await startFakeProviders();
    sb = await api();
    folder = vscode.workspace.workspaceFolders![0]!.uri;
    const write = (path: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, path), new TextEncoder().encode(text));
    await write('src/billing.ts', BILLING);
    await write('config/.env', DOTENV);
    await write('src/app.ts', APP);
    await sb.storeKey('openai', STORED_KEY);
    await changeSetting(sb, 'providers.openai.baseUrl', fakes.urls.openai.baseUrl);
    await changeSetting(sb, 'routes.completion', ['openai:gpt-5.4-nano']);
    await changeSetting(sb, 'routes.chat', ['openai:gpt-5.4']);
    await changeSetting(sb, 'routes.plan', ['openai:gpt-5.5']);
    await changeSetting(sb, 'completion.debounceMs', 0);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['providers.openai.baseUrl', 'routes.completion', 'routes.chat', 'routes.plan', 'completion.debounceMs']) {
      await changeSetting(sb, key, undefined);
    }
    await sb.clearKey('openai');
    await fakes.close();
  });

  it('refuses to store a key pasted across lines, keeping the one stored', async () => {
    await assert.rejects(sb.storeKey('openai', `${STORED_KEY.slice(0, 20)}\n${STORED_KEY.slice(20)}`), /An API key has no spaces or line breaks inside it; paste it again in one piece: not stored\./);
    assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'stored' });
  });

  it('returns from activate() nothing through which a stored key can be read', async () => {
    await sb.settled();
    assert.equal(sb.providerStatus('openai')?.keySource, 'stored');
    assert.ok(Object.isFrozen(sb));
    for (const [name, member] of Object.entries(sb)) assert.equal(typeof member, 'function', `${name} is a function, not an object to reach into`);
    const { strings, objects } = reachableStrings(sb);
    assert.ok(objects > 10, 'the walk went through the functions and their prototypes');
    assert.ok(!strings.some((text) => text.includes(STORED_KEY)), 'the stored key is not reachable');
    assert.ok(!strings.some((text) => /secrets|keyStore|registry|switchboard/i.test(text)), `no member leads to the key store: ${strings.filter((t) => /secret|key|registry/i.test(t)).join(', ')}`);
    // What the functions return is plain data, without the key.
    assert.ok(!JSON.stringify([sb.statusView(), sb.providerStatus('openai'), sb.route('completion'), sb.settingProblems()]).includes(STORED_KEY));
  });

  /** Ghost text asked for at `position` is refused, and the model is not asked: nothing of the file was sent. */
  async function assertNoGhostText(document: vscode.TextDocument, position: vscode.Position): Promise<void> {
    const before = fakes.openai.requests.length;
    assert.equal(await sb.inlineCompletion(document, position, new vscode.CancellationTokenSource().token), undefined);
    assert.equal(fakes.openai.requests.length, before, 'no request');
  }

  it('offers no ghost text in an excluded file, and makes no request for it', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'config/.env'));
    await vscode.window.showTextDocument(document);
    await assertNoGhostText(document, new vscode.Position(0, document.lineAt(0).text.length));
  });

  it('offers no ghost text in a cell of a notebook excluded by a pattern relative to the workspace folder', async () => {
    const file = vscode.Uri.joinPath(folder, 'private/model.ipynb');
    const cells = [{ cell_type: 'code', source: 'import pandas as pd\ndf = ', metadata: {}, execution_count: null, outputs: [] }];
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 })));
    await changeSetting(sb, 'exclude', ['private/**']);
    try {
      const notebook = await vscode.workspace.openNotebookDocument(file);
      const cell = notebook.cellAt(0).document;
      assert.equal(cell.uri.scheme, 'vscode-notebook-cell');
      await assertNoGhostText(cell, new vscode.Position(1, 5));
    } finally {
      await changeSetting(sb, 'exclude', undefined);
    }
  });

  it('offers no ghost text in a link to an excluded file (src/settings.ts → ../config/.env), and makes no request for it', async () => {
    // A cloned repository can hold such a link under an innocent name (a TypeScript file: ghost text is on there);
    // its target is what counts.
    await symlink('../config/.env', path.join(folder.fsPath, 'src', 'settings.ts'));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'src/settings.ts'));
    assert.equal(document.uri.path.endsWith('/src/settings.ts'), true, document.uri.path);
    await vscode.window.showTextDocument(document);
    await assertNoGhostText(document, new vscode.Position(0, document.lineAt(0).text.length));
  });

  it('decides again when a link is re-pointed to an excluded file after ghost text was offered in it (src/notes.ts → greeting.ts, then → ../config/.env)', async () => {
    // Text of its own, so that no later test's completion is served from this one's answer.
    const greeting = 'export const salutation = "hello";\nexport function greet(name: string): string {\n  \n}\n';
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'src/greeting.ts'), new TextEncoder().encode(greeting));
    const link = path.join(folder.fsPath, 'src', 'notes.ts');
    await symlink('greeting.ts', link);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'src/notes.ts'));
    await vscode.window.showTextDocument(document);
    const position = new vscode.Position(2, 2);
    fakes.openai.script({ text: 'return `${salutation}, ${name}`;' });
    const before = fakes.openai.requests.length;
    assert.equal(await sb.inlineCompletion(document, position, new vscode.CancellationTokenSource().token), 'return `${salutation}, ${name}`;');
    assert.equal(fakes.openai.requests.length, before + 1, 'the link to greeting.ts was completed');

    // The decision above is cached; the link now leads to the credentials.
    await unlink(link);
    await symlink('../config/.env', link);
    assert.equal(await sb.inlineCompletion(document, position, new vscode.CancellationTokenSource().token), undefined);
    assert.equal(fakes.openai.requests.length, before + 1, 'no request once the link leads to an excluded file');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("never completes VS Code's own settings file", async () => {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'the user settings file is open');
    // vscode-userdata: on the desktop; a remote extension host such as this one sees a file: URI in the user data folder.
    assert.match(document.uri.toString(), /^(vscode-userdata:|file:).*\/User\/settings\.json$/);
    // The end of a line, where ghost text would be offered in any other JSON file.
    await assertNoGhostText(document, new vscode.Position(1, document.lineAt(1).text.length));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('masks a key in another open editor and leaves an excluded editor out of what the completion model receives', async () => {
    // Opened in this order, each becomes the most recently used editor; the snippet collector reads them all.
    for (const path of ['src/billing.ts', 'config/.env', 'src/app.ts']) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, path)));
    }
    const app = vscode.window.activeTextEditor!.document;
    fakes.openai.script({ text: 'return subtotal + subtotal * taxRate;' });
    const before = fakes.openai.requests.length;
    const text = await sb.inlineCompletion(app, new vscode.Position(2, 2), new vscode.CancellationTokenSource().token);
    assert.equal(text, 'return subtotal + subtotal * taxRate;');
    assert.equal(fakes.openai.requests.length, before + 1);
    const sent = JSON.stringify(fakes.openai.requests.at(-1)!.body);
    assert.ok(sent.includes('invoiceTotal'), 'a snippet of src/billing.ts went with the request');
    assert.ok(sent.includes('[redacted]'), 'the key in it was masked');
    assert.ok(!sent.includes(KEY_IN_SOURCE), 'the key itself was not sent');
    assert.ok(!sent.includes(KEY_IN_DOTENV) && !sent.includes('INVOICE_SUBTOTAL_TAXRATE_AMOUNT'), 'nothing of the excluded file was sent');
  });

  it("plans without an excluded file's text or name, with keys in other files masked", async () => {
    fakes.openai.script({ text: '## Steps\n1. Do it.' });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'config/.env')));
    const planned = (await runConfirmed(sb, 'switchboard.plan', 'Add a discount to invoices')) as vscode.TextDocument;
    assert.match(planned.getText(), /_Context: not the active file, config\/\.env \(excluded by switchboard\.exclude\)\._/);
    const sent = JSON.stringify(fakes.openai.requests.at(-1)!.body);
    assert.ok(sent.includes('Add a discount to invoices'));
    assert.ok(sent.includes('src/billing.ts'), 'other files are listed');
    assert.ok(!sent.includes('.env'), 'the excluded file is not even named');
    assert.ok(!sent.includes(KEY_IN_DOTENV) && !sent.includes('INVOICE_SUBTOTAL_TAXRATE_AMOUNT'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    fakes.openai.script({ text: '## Steps\n1. Do it.' });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'src/billing.ts')));
    await runConfirmed(sb, 'switchboard.plan', 'Add a discount to invoices');
    const withCode = JSON.stringify(fakes.openai.requests.at(-1)!.body);
    assert.ok(withCode.includes('invoiceTotal') && withCode.includes('[redacted]'), 'the active file went, masked');
    assert.ok(!withCode.includes(KEY_IN_SOURCE));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("keeps command-line tools' logins (a dotfiles repository's gh, gcloud and Azure files) from ghost text, Plan's file list and open editors", async () => {
    const logins = ['dotfiles/.config/gh/hosts.yml', 'dotfiles/.config/gcloud/application_default_credentials.json', 'dotfiles/.azure/azureProfile.json'];
    for (const login of logins) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, login), new TextEncoder().encode('github.com:\n  oauth_token: gho_notmaskedbutsecret\n  user: '));
    for (const login of logins) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, login));
      await vscode.window.showTextDocument(document);
      await assertNoGhostText(document, new vscode.Position(2, 8));
    }
    fakes.openai.script({ text: '## Steps\n1. Do it.' });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'src/billing.ts')));
    await runConfirmed(sb, 'switchboard.plan', 'Add a discount to invoices');
    const sent = JSON.stringify(fakes.openai.requests.at(-1)!.body);
    assert.ok(sent.includes('src/billing.ts'), 'other files are listed');
    for (const name of ['hosts.yml', 'gcloud', '.azure', 'notmaskedbutsecret']) assert.ok(!sent.includes(name), `${name} is neither listed nor sent`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses to explain a selection in an excluded file, sending nothing', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'config/.env')));
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    const before = fakes.openai.requests.length;
    await sb.flushLedger();
    await vscode.commands.executeCommand('switchboard.explainSelection');
    assert.equal(fakes.openai.requests.length, before, 'no request');
  });
});
