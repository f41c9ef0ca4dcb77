import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { closeAllWithoutSaving } from './closeEditors';
import { resolveConfig } from '../../src/core/config';
import { chatRequest } from '../../src/core/prompts/taskPrompts';
import { Switchboard } from '../../src/core/switchboard';
import { streamIntoNewDocument, type StreamDocumentRequest } from '../../src/vscode/streamDocument';
import { strongRetryOf } from '../../src/vscode/strongRetry';
import { startFakeOpenAI, type FakeServer } from '../fakes';

/**
 * The notification's "Retry with the strong model" after an Ask, pressed once no provider is left (the local
 * server's setting removed meanwhile): refused as Ask itself is, not sent to the router, whose error names every
 * model of the route in a new answer editor. Driven here with a Switchboard of its own and no key (env {}).
 */
describe('Retry with the strong model once no provider is left', () => {
  let fake: FakeServer;
  let dir: string;
  let switchboard: Switchboard;
  let log: vscode.LogOutputChannel;
  const localServer = (baseUrl?: string) =>
    resolveConfig({ providers: { openai: baseUrl ? { baseUrl } : {} }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config;
  const ask: StreamDocumentRequest = {
    title: 'Ask',
    task: 'chat',
    prepare: () => ({ heading: '> How do I quit vim?\n\n', request: chatRequest('How do I quit vim?', 200) }),
  };
  const untitled = () => vscode.workspace.textDocuments.filter((document) => document.uri.scheme === 'untitled' && !document.isClosed).length;

  before(async () => {
    fake = await startFakeOpenAI();
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-retry-'));
    switchboard = await Switchboard.create({ config: localServer(), source: 'vscode', env: {}, ledgerPath: path.join(dir, 'ledger.jsonl') });
    log = vscode.window.createOutputChannel('Switchboard retry test', { log: true });
  });

  after(async () => {
    await switchboard.dispose();
    log.dispose();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
    // The answer the retry wrote is unsaved: closed without a save dialog.
    await closeAllWithoutSaving();
  });

  it('opens no editor and asks no model, and goes ahead once a provider is set', async () => {
    assert.equal(switchboard.registry.anyUsable(), false, 'no key, no local server');
    const retry = strongRetryOf(ask, await ask.prepare(), { id: 'rec-1', costUsd: 0.0004 });
    const editorsBefore = untitled();
    assert.equal(await streamIntoNewDocument({ switchboard, log }, retry), undefined);
    assert.equal(untitled(), editorsBefore, 'no answer editor left to save or discard');
    await switchboard.ledger.flush();
    assert.deepEqual((await switchboard.ledger.read()).records, [], 'the router never ran: no error recorded');

    // The same retry with the local server set again: the check lets it through.
    await switchboard.reconfigure(localServer(`${fake.url}/v1`));
    fake.script({ text: 'Press Esc, then :q.' });
    const answered = await streamIntoNewDocument({ switchboard, log }, retry);
    assert.equal(fake.requests.length, 1);
    assert.match(answered?.document.getText() ?? '', /Press Esc, then :q\./);
    assert.equal(answered?.result.record.retryOf, 'rec-1');
  });
});
