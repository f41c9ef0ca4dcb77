import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { resolveConfig } from '../../src/core/config';
import { Switchboard } from '../../src/core/switchboard';
import { FreeOnLocalServer } from '../../src/vscode/freeOnLocalServer';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';

/**
 * It's Free (Local Server) in a desktop window, over VS Code's real User settings: a Switchboard of its own whose
 * OpenAI server is on this machine (a loopback address; no request is sent), and a model this window saw charged at
 * OpenAI's rate there.
 */
describe("It's Free (Local Server) over an entry the user wrote with spaces around the colon", () => {
  let sb: SwitchboardTestApi;
  let dir: string;
  let switchboard: Switchboard;

  before(async () => {
    sb = (await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate())!;
    assert.ok(sb, 'under the test harness activate() returns the test API');
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-free-'));
    const config = resolveConfig({ providers: { openai: { baseUrl: 'http://127.0.0.1:9/v1' } } }).config;
    switchboard = await Switchboard.create({ config, source: 'vscode', env: {}, keyStore: { get: async () => undefined }, ledgerPath: path.join(dir, 'ledger.jsonl') });
  });

  after(async () => {
    await changeSetting(sb, 'freeOnLocalServer', undefined, vscode.ConfigurationTarget.Global);
    await switchboard.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds it there as the setting is read, and adds no second entry', async () => {
    // As the reader reads it, "openai: gpt-local-x" is "openai:gpt-local-x": it is already free.
    await changeSetting(sb, 'freeOnLocalServer', ['openai: gpt-local-x'], vscode.ConfigurationTarget.Global);
    const free = new FreeOnLocalServer(switchboard);
    free.noteRecord({ provider: 'openai', model: 'gpt-local-x', tableRateOnLocalServer: true });
    assert.ok(free.canFree('openai:gpt-local-x'), 'its server is on this machine');

    assert.equal(await free.markFree('openai:gpt-local-x'), true);
    assert.deepEqual(vscode.workspace.getConfiguration('switchboard').inspect('freeOnLocalServer')?.globalValue, ['openai: gpt-local-x'], 'kept as written, nothing added');
  });
});
