import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runConfirmed } from './confirmedCommand';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeOpenAI, type FakeServer } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';
/** The fake on 127.0.0.1 written IPv6-mapped: a server the key rule treats as elsewhere on the network (core/keyHost.ts). */
const HOST = '[::ffff:7f00:1]';
/** What the test runner allows in User settings: this remote window's loopback gets a key only once allowed. */
const RUNNER_HOSTS = ['127.0.0.1'];

/**
 * The stored OpenAI key goes to a baseUrl elsewhere only once its host is allowed: what the "Allow for HOST"
 * button writes (the user's sendKeyTo) is read back and applied, and removing it takes the key back.
 */
describe('Keys and the hosts they go to', () => {
  let sb: SwitchboardTestApi;
  let fake: FakeServer;
  const key = fakeKeys.openai('key-host');
  const setSetting = (name: string, value: unknown) => changeSetting(sb, name, value);
  const ask = async () => {
    const outcome = (await runConfirmed(sb, 'switchboard.ask', 'Which host?')) as { document: vscode.TextDocument } | undefined;
    assert.ok(outcome, 'Ask returned its document');
    // Reverted, not just closed: closing an unsaved answer asks whether to save it (a dialog the test host refuses).
    await vscode.window.showTextDocument(outcome.document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    return fake.requests.at(-1)?.headers.authorization;
  };

  /** Runs `write` and resolves once its change to `switchboard.<name>` was heard and applied (listener added before the write). */
  const changedBy = async (name: string, write: () => Thenable<unknown>) => {
    let listener: vscode.Disposable | undefined;
    const heard = new Promise<void>((resolve) => {
      listener = vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`switchboard.${name}`)) resolve();
      });
    });
    try {
      await write();
      await heard;
    } finally {
      listener?.dispose();
    }
    await sb.settled();
  };

  before(async () => {
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports);
    sb = exports;
    fake = await startFakeOpenAI();
    await setSetting('auto.enabled', false);
  });

  after(async () => {
    for (const name of ['providers.openai.baseUrl', 'routes.chat', 'auto.enabled']) await setSetting(name, undefined);
    await setSetting('providers.openai.sendKeyTo', RUNNER_HOSTS);
    await sb.clearKey('openai');
    await fake.close();
  });

  it('asks without the key until the host is allowed, then with it, and without it again once revoked', async () => {
    await sb.storeKey('openai', key);
    await setSetting('providers.openai.baseUrl', `${fake.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`);
    await setSetting('routes.chat', ['openai:llama3.1']);
    assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'not needed', withheldKeyHost: HOST });
    assert.notEqual(await ask(), `Bearer ${key}`);

    // Heard before it is awaited (the write's event may come after update() resolves); the extension's own listener,
    // added at activation, has started its re-apply by then, which settled() waits for.
    let listener: vscode.Disposable | undefined;
    const written = new Promise<void>((resolve) => {
      listener = vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('switchboard.providers.openai.sendKeyTo')) resolve();
      });
    });
    await sb.allowKeyHost('openai', HOST);
    await written;
    listener?.dispose();
    await sb.settled();
    assert.deepEqual(vscode.workspace.getConfiguration('switchboard').inspect('providers.openai.sendKeyTo')?.globalValue, [...RUNNER_HOSTS, HOST], 'written to User settings');
    assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'stored' });
    assert.equal(await ask(), `Bearer ${key}`);

    await setSetting('providers.openai.sendKeyTo', RUNNER_HOSTS);
    assert.notEqual(await ask(), `Bearer ${key}`);
  });

  it("asks this remote window's loopback without the key until its host is allowed, though a User setting named it", async () => {
    assert.ok(vscode.env.remoteName, 'the extension host is remote');
    await sb.storeKey('openai', key);
    await setSetting('routes.chat', ['openai:llama3.1']);
    await setSetting('providers.openai.sendKeyTo', []);
    // The address a user keeps for the Ollama on their desktop; here it is the remote machine's loopback.
    await setSetting('providers.openai.baseUrl', `${fake.url}/v1`);
    try {
      assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'not needed', withheldKeyHost: '127.0.0.1' });
      const before = fake.requests.length;
      assert.notEqual(await ask(), `Bearer ${key}`);
      assert.equal(fake.requests.length, before + 1, 'the request still went, without the key');
      await setSetting('providers.openai.sendKeyTo', ['127.0.0.1']);
      assert.equal(await ask(), `Bearer ${key}`);
    } finally {
      await setSetting('providers.openai.sendKeyTo', RUNNER_HOSTS);
    }
  });

  it('asks in a modal, naming the key and the host, before the Allow command given a host sends the key there', async () => {
    await sb.storeKey('openai', key);
    await setSetting('routes.chat', ['openai:llama3.1']);
    await setSetting('providers.openai.baseUrl', `${fake.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`);
    assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'not needed', withheldKeyHost: HOST });
    // As another extension, a command: link or the chat panel's webview would run it. Cancel: nothing is allowed.
    const asked = sb.answerKeyHostQuestions([undefined, 'Allow']);
    await vscode.commands.executeCommand('switchboard.allowKeyHost', HOST);
    assert.equal(asked.length, 1, 'asked first');
    assert.equal(asked[0]!.message, `Send your OpenAI API key to ${HOST}?`);
    assert.match(asked[0]!.detail, /^Switchboard's openai provider sends its requests to \[::ffff:7f00:1\]; your OpenAI key was issued for api\.openai\.com .*Allow adds "\[::ffff:7f00:1\]" to switchboard\.providers\.openai\.sendKeyTo in your User settings/);
    await sb.settled();
    assert.deepEqual(vscode.workspace.getConfiguration('switchboard').inspect('providers.openai.sendKeyTo')?.globalValue, RUNNER_HOSTS, 'nothing written');
    assert.notEqual(await ask(), `Bearer ${key}`);

    // Allow: written, and the key goes.
    try {
      await changedBy('providers.openai.sendKeyTo', () => vscode.commands.executeCommand('switchboard.allowKeyHost', HOST));
      assert.equal(asked.length, 2);
      assert.deepEqual(vscode.workspace.getConfiguration('switchboard').inspect('providers.openai.sendKeyTo')?.globalValue, [...RUNNER_HOSTS, HOST]);
      assert.equal(await ask(), `Bearer ${key}`);
    } finally {
      await setSetting('providers.openai.sendKeyTo', RUNNER_HOSTS);
    }
  });

  /**
   * OPENAI_BASE_URL: the extension host inherits it from whoever started it; in a remote window (this one) that may be
   * a repository's dev container, so it is used once the user confirmed the address; then honoured as the CLI
   * honours it, after the User setting, under the same key rule.
   * Changed here in this very process, then a settings change makes the extension read it again.
   */
  it("takes OPENAI_BASE_URL from the user's environment after the User setting, under the same key rule, and says where the server came from", async () => {
    const before = process.env.OPENAI_BASE_URL;
    let round = 0;
    const withEnv = async (value: string | undefined) => {
      if (value === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = value;
      // Any settings change re-reads the settings and, with them, the environment.
      await setSetting('completion.debounceMs', 100 + (round++ % 2));
    };
    try {
      await sb.storeKey('openai', key);
      await setSetting('providers.openai.baseUrl', undefined);
      await setSetting('routes.chat', ['openai:llama3.1']);
      const elsewhere = `${fake.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`;
      await withEnv(elsewhere);
      // The test workbench is VS Code's server in a browser: the extension host runs remotely, as in a dev container,
      // whose environment the repository can set. The address waits for the user's confirmation; nothing goes meanwhile.
      assert.ok(vscode.env.remoteName, 'the extension host is remote');
      assert.deepEqual(sb.providerStatus('openai'), { usable: false });
      assert.match(sb.statusView()!.tooltip, /OPENAI\\_BASE\\_URL .* comes from this remote window's environment, .*nothing goes to openai until you confirm that address/);
      const unasked = fake.requests.length;
      // A server elsewhere on the network, confirmed: asked, but without the key, as if the setting named it.
      await sb.useEnvironmentServer(elsewhere);
      assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'not needed', withheldKeyHost: HOST });
      // Confirmed, the server is asked for its models (the offer to route to them): awaited, so the counts below are the chat's.
      await fake.waitForRequests(unasked + 1);
      assert.deepEqual(fake.requests.slice(unasked).map(({ method, path }) => `${method} ${path}`), ['GET /v1/models']);
      assert.notEqual(fake.requests.at(-1)?.headers.authorization, `Bearer ${key}`);
      const asked = fake.requests.length;
      assert.notEqual(await ask(), `Bearer ${key}`);
      assert.equal(fake.requests.length, asked + 1, 'the request went to the server OPENAI_BASE_URL names');
      assert.match(sb.statusView()!.tooltip, /OpenAI requests go to http\\:\/\/\\\[::ffff:127\.0\.0\.1\\\]:\d+\/v1, from your `OPENAI_BASE_URL` environment variable \(`switchboard\.providers\.openai\.baseUrl` in User settings, when set, comes first\)/);

      // The User setting comes first: this (remote) machine's address, allowed by the runner, so the key goes.
      await setSetting('providers.openai.baseUrl', `${fake.url}/v1`);
      assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'stored' });
      assert.equal(await ask(), `Bearer ${key}`);
      assert.match(sb.statusView()!.tooltip, /OpenAI requests go to http\\:\/\/127\.0\.0\.1:\d+\/v1, from `switchboard\.providers\.openai\.baseUrl`\./);

      // Not a URL: openai is left out (not sent to api.openai.com with the key), the variable named.
      await setSetting('providers.openai.baseUrl', undefined);
      await withEnv('localhost:11434/v1');
      assert.deepEqual(sb.providerStatus('openai'), { usable: false });
      assert.match(sb.statusView()!.tooltip, /OPENAI\\_BASE\\_URL is not an http\(s\) URL: nothing goes to openai until it is fixed \(the environment variable: correct or unset it/);
    } finally {
      if (before === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = before;
      await setSetting('completion.debounceMs', undefined);
    }
  });
});
