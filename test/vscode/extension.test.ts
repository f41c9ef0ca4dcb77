import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { runConfirmed } from './confirmedCommand';
import { closeAllWithoutSaving } from './closeEditors';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { changeSetting } from './settingChange';
import { documentShowing } from './documentShowing';
import { documentOpened } from './documentOpened';

const EXTENSION_ID = 'switchboard-dev.switchboard';
const SECRET_KEY = fakeKeys.openai('inhost');

async function api(): Promise<SwitchboardTestApi> {
  const extension = vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const exports = await extension.activate();
  assert.ok(exports, 'under the test harness activate() returns the test API');
  return exports;
}

const settings = () => vscode.workspace.getConfiguration('switchboard');

/** The status bar tooltip's "Ghost text served without a request today: N" (0 when it has no such line). */
function servedInTooltip(sb: SwitchboardTestApi): number {
  return Number(/Ghost text served without a request today: (\d+)/.exec(sb.statusView()?.tooltip ?? '')?.[1] ?? 0);
}

/** Waits for `done`, on the event loop's turns (no fixed sleep), up to 5 s. */
async function until(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function ledgerLines(sb: SwitchboardTestApi): Promise<Record<string, unknown>[]> {
  await sb.flushLedger();
  const text = await readFile(sb.ledgerPath(), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Switchboard extension', function () {
  let fakes: FakeProviders;
  let sb: SwitchboardTestApi;
  /** Resolves once the extension has applied the change (see settingChange.ts). */
  const setSetting = (key: string, value: unknown) => changeSetting(sb, key, value);

  before(async () => {
    fakes = await startFakeProviders();
    sb = await api();
    // These tests are about routes as listed; Auto's tiers are tested in test/e2e/autoRouting.e2e.ts.
    await setSetting('auto.enabled', false);
  });

  after(async () => {
    for (const key of ['providers.openai.baseUrl', 'providers.anthropic.baseUrl', 'routes.chat', 'routes.completion', 'completion.debounceMs', 'auto.enabled']) {
      await setSetting(key, undefined);
    }
    await sb.clearKey('openai');
    await sb.clearKey('anthropic');
    await fakes.close();
    // Whatever answer a failed test left open, unsaved: closed without a save dialog.
    await closeAllWithoutSaving();
  });

  it('says so in the status bar when no provider has credentials, and clicking it sets a key', async () => {
    // The harness starts VS Code with no keys in the environment and an empty HOME (no ~/.aws).
    await sb.clearKey('openai');
    await sb.clearKey('anthropic');
    await sb.settled();
    const view = sb.statusView()!;
    assert.equal(view.health, 'no-credentials');
    assert.match(view.text, /no API key/);
    assert.equal(view.command, 'switchboard.setApiKey');
  });

  it('keeps API keys in SecretStorage: storing one makes its provider usable, clearing it undoes that', async () => {
    await sb.storeKey('openai', `  ${SECRET_KEY}  `);
    await sb.settled();
    assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'stored' });
    assert.notEqual(sb.statusView()!.health, 'no-credentials');
    await assert.rejects(() => sb.storeKey('openai', '   '), /empty API key/);
    sb.answerCommandQuestions([true]);
    await vscode.commands.executeCommand('switchboard.clearOpenAIKey');
    await sb.settled();
    assert.equal(sb.providerStatus('openai')?.usable, false);
  });

  it('routes a request to the fake server and shows the model and its cost in the status bar', async () => {
    await sb.storeKey('openai', `  ${SECRET_KEY}  `);
    await setSetting('providers.openai.baseUrl', fakes.urls.openai.baseUrl);
    await setSetting('providers.anthropic.baseUrl', fakes.urls.anthropic.baseUrl);
    await setSetting('routes.chat', ['openai:gpt-5.4', 'anthropic:claude-sonnet-5']);
    fakes.openai.script({ text: 'The answer is 42.', chunks: 4, usage: { inputTokens: 1000, outputTokens: 10 } });

    const before = (await ledgerLines(sb)).length;
    const outcome = (await runConfirmed(sb, 'switchboard.ask', 'What is the answer?')) as { document: vscode.TextDocument } | undefined;
    assert.ok(outcome, 'Ask returned its document');
    const text = outcome.document.getText();
    assert.match(text, /The answer is 42\./);
    assert.match(text, /Answered by openai:gpt-5\.4 · \$0\.0027/);

    assert.equal(fakes.openai.requests.at(-1)?.headers.authorization, `Bearer ${SECRET_KEY}`, 'the stored key was trimmed');
    const view = sb.statusView()!;
    assert.equal(view.health, 'ok');
    assert.match(view.text, /gpt-5\.4 · \$0\.0027 · today \$/);
    assert.match(view.tooltip, /\| chat \| &emsp;&emsp;\d+ \| &emsp;&emsp;\$[\d.]+ \|/);

    const lines = await ledgerLines(sb);
    assert.equal(lines.length, before + 1, 'one ledger record per request');
    const record = lines.at(-1)!;
    assert.equal(record.model, 'gpt-5.4');
    assert.equal(record.source, 'vscode');
    assert.equal(record.costUsd, 0.00265, '1,000 input tokens at $2.50/M plus 10 output tokens at $15/M');
    // The ledger never holds a key or the prompt.
    const raw = await readFile(sb.ledgerPath(), 'utf8');
    assert.ok(!raw.includes(SECRET_KEY));
    assert.ok(!raw.includes('What is the answer?'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('stops paying for an Ask answer whose editor the user closed mid-stream, and records it as cancelled', async () => {
    fakes.openai.script({ text: 'First words of a long answer, then a great deal more that nobody will read.', chunks: 12, chunkDelayMs: 300 });
    const before = (await ledgerLines(sb)).length;
    const firstWords = documentShowing('First words');
    const asked = runConfirmed(sb, 'switchboard.ask', 'Tell me everything.') as Thenable<{ document: vscode.TextDocument; result: { record: { outcome: string } } }>;
    const document = await firstWords;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const outcome = await asked;

    assert.equal(outcome.result.record.outcome, 'cancelled');
    assert.ok(document.isClosed);
    // Not brought back by the last edits: none is applied once it is closed, and one already on its way
    // (a busy machine) finds its document emptied, so no unsaved answer is left behind.
    const revived = vscode.workspace.textDocuments.filter((open) => open.uri.toString() === document.uri.toString());
    assert.deepEqual(revived.map((open) => ({ text: open.getText(), dirty: open.isDirty })), revived.map(() => ({ text: '', dirty: false })));
    const lines = await ledgerLines(sb);
    assert.equal(lines.length, before + 1, 'recorded');
    assert.equal(lines.at(-1)!.outcome, 'cancelled');
  });

  it('goes on answering when the user changes the answer\'s language mode mid-stream (VS Code reports it as a close and an open)', async () => {
    fakes.openai.script({ text: 'First words of an answer, then the rest of it, to the end.', chunks: 6, chunkDelayMs: 150 });
    const firstWords = documentShowing('First words');
    const asked = runConfirmed(sb, 'switchboard.ask', 'Tell me a little.') as Thenable<{ document: vscode.TextDocument; result: { record: { outcome: string } } }>;
    const document = await firstWords;
    const relabelled = await vscode.languages.setTextDocumentLanguage(document, 'plaintext');
    const outcome = await asked;

    assert.equal(outcome.result.record.outcome, 'ok');
    assert.ok(!relabelled.isClosed);
    assert.match(relabelled.getText(), /to the end\./);
    await vscode.window.showTextDocument(relabelled);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('falls back across providers on a 429 and makes the fallback visible', async () => {
    await sb.storeKey('anthropic', SECRET_KEY);
    await sb.settled();
    fakes.openai.script({ status: 429, retryAfterMs: '50' });
    fakes.anthropic.script({ text: 'Answered by the fallback.' });
    const outcome = (await runConfirmed(sb, 'switchboard.ask', 'Anyone there?')) as { document: vscode.TextDocument };
    assert.match(outcome.document.getText(), /Answered by anthropic:claude-sonnet-5 \(route's first choice: openai:gpt-5\.4\)/);
    const view = sb.statusView()!;
    assert.equal(view.health, 'fell-back');
    assert.equal(view.background, 'warning');
    assert.match(view.text, /claude-sonnet-5 · .* \(gpt-5\.4 failed\)/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('warns about an invalid setting by name and keeps the valid rest', async () => {
    await setSetting('routes.chat', ['anthropic:claude-sonnet-5', 'not a model', 'mystery:model']);
    const problems = sb.settingProblems();
    assert.ok(problems.some((p) => p.startsWith('switchboard.routes.chat[1]:')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('switchboard.routes.chat[2]:') && p.includes('unknown provider "mystery"')));
    assert.deepEqual(sb.route('chat'), ['anthropic:claude-sonnet-5']);
    await setSetting('routes.chat', ['openai:gpt-5.4', 'anthropic:claude-sonnet-5']);
    assert.deepEqual(sb.settingProblems(), []);
  });

  it('offers inline completions from the completion route, and reuses them as the user types through', async () => {
    await setSetting('routes.completion', ['openai:gpt-5.4-nano']);
    await setSetting('completion.debounceMs', 0);
    fakes.openai.reset();
    fakes.openai.script({ text: 'return items.filter((item) => item.quantity < threshold);' });
    const document = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: 'function lowStock(items: Item[], threshold: number): Item[] {\n  \n}\n',
    });
    const position = new vscode.Position(1, 2);
    const token = new vscode.CancellationTokenSource().token;
    assert.equal(await sb.inlineCompletion(document, position, token), 'return items.filter((item) => item.quantity < threshold);');
    assert.equal(fakes.openai.requests.length, 1);
    assert.match(sb.statusView()!.text, /gpt-5\.4-nano · \$/);

    // The user types "return" into the ghost text: the rest comes without a request.
    const servedBefore = servedInTooltip(sb);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(position, 'return'));
    assert.equal(await sb.inlineCompletion(document, new vscode.Position(1, 8), token), ' items.filter((item) => item.quantity < threshold);');
    assert.equal(fakes.openai.requests.length, 1, 'typing into the suggestion made no new request');
    // The tooltip counts it while its count is still held in memory, before the minute's record is written.
    await until(() => servedInTooltip(sb) === servedBefore + 1, () => `the tooltip to count ${servedBefore + 1} served, not ${servedInTooltip(sb)}`);
    const lines = await ledgerLines(sb);
    assert.equal(lines.at(-1)!.servedFrom, 'typed-through');
    assert.equal(lines.at(-1)!.count, 1);
    assert.equal(lines.at(-1)!.costUsd, 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('never completes the output channel', async () => {
    sb.logLine('a line for the output channel');
    const opened = documentOpened((document) => document.uri.scheme === 'output');
    await vscode.commands.executeCommand('switchboard.showLog');
    const output = await opened;
    assert.equal(output.uri.scheme, 'output', 'the Output panel shows a document');
    const requestsBefore = fakes.openai.requests.length;
    assert.equal(await sb.inlineCompletion(output, new vscode.Position(0, 0), new vscode.CancellationTokenSource().token), undefined);
    assert.equal(fakes.openai.requests.length, requestsBefore, 'no request was made for it');
  });

  it("writes a server URL to the log file with its password and query key masked", async () => {
    const password = 'gw-pass-7q2Zr';
    const queryKey = 'qk-9Xy4mT';
    sb.logLine(`local server: https://gwuser:${password}@gw.example/v1/models?api-key=${queryKey} lists 2 model(s)`);
    const written = () => (existsSync(sb.logFile()) ? readFileSync(sb.logFile(), 'utf8') : '');
    await until(() => written().includes('gw.example/v1/models'), () => `the line in ${sb.logFile()}`);
    assert.match(written(), /local server: https:\/\/gwuser:\*\*\*@gw\.example\/v1\/models\?api-key=\*\*\* lists 2 model\(s\)$/m);
    for (const secret of [password, queryKey]) assert.ok(!written().includes(secret), `"${secret}" is in the log file`);
  });

  it('plans from the command palette into a new editor on the plan route', async () => {
    await setSetting('routes.plan', ['openai:gpt-5.5']);
    fakes.openai.script({ text: '## Goal\nAdd a report.\n\n## Steps\n1. Write it.\n\n## Files to touch\n- src/report.ts\n\n## Risks\n- None.' });
    const document = (await runConfirmed(sb, 'switchboard.plan', 'Add a low-stock report')) as vscode.TextDocument;
    const text = document.getText();
    assert.match(text, /^Plan: Add a low-stock report\n=+\n/, 'titled without a #, so the tab reads "Plan: …"');
    assert.match(text, /## Steps\n1\. Write it\./);
    assert.match(text, /Answered by openai:gpt-5\.5/);
    const request = fakes.openai.requests.at(-1)!;
    assert.equal((request.body as { model: string }).model, 'gpt-5.5');
    assert.match(JSON.stringify(request.body), /Goal: Add a low-stock report/);
    await setSetting('routes.plan', undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("plans from a long active file's first 24,000 characters, and its context line says so", async () => {
    await setSetting('routes.plan', ['openai:gpt-5.5']);
    // 3,000 short lines (30,000 characters): more lines than a plan once took (1,500), fewer characters than a cut by lines kept silent.
    const lines = Array.from({ length: 3_000 }, (_, index) => `line ${String(index + 1).padStart(4, '0')}`);
    const file = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `${lines.join('\n')}\n` });
    await vscode.window.showTextDocument(file);
    fakes.openai.script({ text: '## Goal\nShorter lines.' });
    const document = (await runConfirmed(sb, 'switchboard.plan', 'Shorten the lines')) as vscode.TextDocument;
    assert.match(document.getText(), /_Context: Untitled-\d+ \(first 24,000 of 30,000 characters\), /);
    const sent = JSON.stringify(fakes.openai.requests.at(-1)!.body);
    assert.ok(sent.includes('line 2000'), 'past the 1,500th line');
    assert.ok(!sent.includes('line 2500'), 'not past the 24,000th character');
    await setSetting('routes.plan', undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('warns when a route names a model past its deprecation date in the price table', async () => {
    await setSetting('routes.chat', ['openai:gpt-4-0613', 'anthropic:claude-sonnet-5']);
    assert.ok(
      sb.settingProblems().some((p) => p.startsWith('switchboard.routes.chat: openai:gpt-4-0613 reached its deprecation date (2025-06-06')),
      sb.settingProblems().join('\n'),
    );
    await setSetting('routes.chat', ['openai:gpt-5.4', 'anthropic:claude-sonnet-5']);
    assert.deepEqual(sb.settingProblems(), []);
  });

  it('never writes a stored key into the user settings file or the ledger', async () => {
    // By now keys were stored through SecretStorage and used for requests, and settings were written.
    await sb.storeKey('openai', SECRET_KEY);
    await sb.settled();
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document && document.uri.path.endsWith('/User/settings.json'), `the user settings file is open, not ${document?.uri.toString()}`);
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(document.uri));
    assert.match(onDisk, /"switchboard\.routes\.chat"/, 'the file holds the settings this suite wrote');
    assert.ok(!onDisk.includes(SECRET_KEY), 'no key in the user settings file');
    assert.ok(!JSON.stringify(settings()).includes(SECRET_KEY), 'no key in any Switchboard setting');
    await sb.flushLedger();
    const ledger = await readFile(sb.ledgerPath(), 'utf8');
    assert.ok(ledger.length > 0 && !ledger.includes(SECRET_KEY), 'no key in the ledger');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

