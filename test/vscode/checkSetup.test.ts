import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { resolveConfig } from '../../src/core/config';
import { Switchboard } from '../../src/core/switchboard';
import { showSetupCheck } from '../../src/vscode/checkSetup';
import { startFakeOpenAI, type FakeServer } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';

/**
 * Switchboard: Check Setup, driven with a Switchboard of its own: an OpenAI key stored in VS Code's secrets, a
 * fake OpenAI server that answers only that key, nothing else configured.
 */
describe('Switchboard: Check Setup', () => {
  const key = fakeKeys.openai('chk4');
  let fake: FakeServer;
  let dir: string;
  let switchboard: Switchboard;

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: key, models: ['gpt-5.4', 'gpt-5.4-mini'] });
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-check-'));
    const config = resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4', 'anthropic:claude-sonnet-5'] } }).config;
    switchboard = await Switchboard.create({
      config,
      source: 'vscode',
      env: {},
      keyStore: { get: async (provider) => (provider === 'openai' ? key : undefined) },
      ledgerPath: path.join(dir, 'ledger.jsonl'),
    });
  });

  after(async () => {
    await switchboard.dispose();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is a command of the extension once it is active', async () => {
    await vscode.extensions.getExtension('switchboard-dev.switchboard')!.activate();
    assert.ok((await vscode.commands.getCommands(true)).includes('switchboard.checkSetup'));
  });

  it('shows where the key is kept, that the server answers with it, and the route that cannot be served, with no character of the key', async () => {
    const document = await showSetupCheck(switchboard, {});
    const text = document.getText();

    assert.equal(vscode.window.activeTextEditor?.document, document);
    // Read-only, so closing the report asks nothing (an untitled report would ask to be saved).
    assert.equal(document.isDirty, false);
    assert.equal(document.uri.scheme, 'switchboard-setup');
    assert.match(text, /^openai: usable\n {2}credentials: API key stored in VS Code \(Set API Key…\)\n {2}server: {6}http:\/\/127\.0\.0\.1:\d+\/v1 \(from switchboard\.providers\.openai\.baseUrl\)\n {2}answers: {5}yes, lists 2 models \(\d+ ms\)$/m);
    // The reason said once, the entries it takes out under it (completion's, chat's, plan's): chat's among them.
    assert.match(text, /^ {2}anthropic cannot be used: no anthropic API key: set ANTHROPIC_API_KEY or store one with "Switchboard: Set Anthropic API Key"\n(?: {4}\S.*\n)*? {4}chat: anthropic:claude-sonnet-5$/m);
    assert.equal(text.match(/cannot be used: no anthropic API key/g)?.length, 1, 'the reason said once');
    // The server lists gpt-5.4 and gpt-5.4-mini, not the default completion route's gpt-5.4-nano: said before a request
    // gets "model not found", with the command that routes to the server's models.
    assert.match(text, /^ {2}openai's server \(http:\/\/127\.0\.0\.1:\d+\/v1\) does not list gpt-5\.4-nano: a request would be answered "model not found"\n {4}completion: openai:gpt-5\.4-nano$/m);
    assert.match(text, /^Some routes name models the server does not list: "Switchboard: Use a Local Server…" asks it for its models and offers routes to them\.$/m);
    assert.match(text, /^ledger: .*ledger\.jsonl \(writable\)$/m);
    assert.match(text, /^budgets: none set/m);
    const body = key.slice('sk-proj-'.length);
    for (let at = 0; at + 5 <= body.length; at++) assert.ok(!text.includes(body.slice(at, at + 5)), `"${body.slice(at, at + 5)}" of the key is shown`);
  });
  it("shows a server URL's user name but not its password or the key in its query", async () => {
    const password = 'gw-pass-7q2Zr';
    const queryKey = 'qk-9Xy4mT';
    const { port } = new URL(fake.url);
    const config = resolveConfig({ providers: { openai: { baseUrl: `http://gwuser:${password}@127.0.0.1:${port}/v1?access_token=${queryKey}` } }, routes: { chat: ['openai:gpt-5.4'] } }).config;
    const withCredentials = await Switchboard.create({
      config,
      source: 'vscode',
      env: {},
      keyStore: { get: async (provider) => (provider === 'openai' ? key : undefined) },
      ledgerPath: path.join(dir, 'credentials-ledger.jsonl'),
    });
    try {
      const text = (await showSetupCheck(withCredentials, {})).getText();
      const lines = text.split('\n');
      assert.equal(lines[lines.indexOf('openai: usable') + 2], `  server:      http://gwuser:***@127.0.0.1:${port}/v1?access_token=*** (from switchboard.providers.openai.baseUrl)`, text);
      for (const secret of [password, queryKey]) assert.ok(!text.includes(secret), `"${secret}" is shown:\n${text}`);
    } finally {
      await withCredentials.dispose();
    }
  });
});
