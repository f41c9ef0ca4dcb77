import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeOpenAI, type FakeServer } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';
/** The fake on 127.0.0.1 written IPv6-mapped: a server the key rule treats as elsewhere on the network (core/keyHost.ts). */
const HOST = '[::ffff:7f00:1]';

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
    const outcome = (await vscode.commands.executeCommand('switchboard.ask', 'Which host?')) as { document: vscode.TextDocument } | undefined;
    assert.ok(outcome, 'Ask returned its document');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    return fake.requests.at(-1)?.headers.authorization;
  };

  before(async () => {
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports);
    sb = exports;
    fake = await startFakeOpenAI();
    await setSetting('auto.enabled', false);
  });

  after(async () => {
    for (const name of ['providers.openai.baseUrl', 'providers.openai.sendKeyTo', 'routes.chat', 'auto.enabled']) await setSetting(name, undefined);
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
    assert.deepEqual(vscode.workspace.getConfiguration('switchboard').inspect('providers.openai.sendKeyTo')?.globalValue, [HOST], 'written to User settings');
    assert.deepEqual(sb.providerStatus('openai'), { usable: true, keySource: 'stored' });
    assert.equal(await ask(), `Bearer ${key}`);

    await setSetting('providers.openai.sendKeyTo', []);
    assert.notEqual(await ask(), `Bearer ${key}`);
  });
});
