import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';

/**
 * The real settings reader in the real extension host: a trusted workspace's
 * route counts only with models no dearer than the user's own route's, and a
 * change on either side (VS Code's own settings files, written through its
 * API) applies without a reload.
 */
describe('A trusted workspace\'s route held to the user\'s prices', function () {
  let sb: SwitchboardTestApi;

  before(async () => {
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports, 'under the test harness activate() returns the test API');
    sb = exports;
  });

  after(async () => {
    await changeSetting(sb, 'routes.completion', undefined, vscode.ConfigurationTarget.Workspace);
    await changeSetting(sb, 'routes.completion', undefined, vscode.ConfigurationTarget.Global);
  });

  it('leaves out the workspace\'s dearer model, and takes it once the user\'s own route holds one as dear, without a reload', async () => {
    assert.ok(vscode.workspace.isTrusted, 'the test folder is trusted, so its routes count at all');
    await changeSetting(sb, 'routes.completion', ['anthropic:claude-opus-5', 'openai:gpt-5.4-nano'], vscode.ConfigurationTarget.Workspace);
    // The user's route is the default (nano, haiku, nova-micro): opus ($5/$25) is dearer than haiku ($1/$5).
    assert.deepEqual(sb.route('completion'), ['openai:gpt-5.4-nano']);

    await changeSetting(sb, 'routes.completion', ['anthropic:claude-opus-5'], vscode.ConfigurationTarget.Global);
    assert.deepEqual(sb.route('completion'), ['anthropic:claude-opus-5', 'openai:gpt-5.4-nano'], 'the user\'s own opus lifts the ceiling');

    await changeSetting(sb, 'routes.completion', ['openai:gpt-5.4-nano'], vscode.ConfigurationTarget.Global);
    assert.deepEqual(sb.route('completion'), ['openai:gpt-5.4-nano'], 'lowered again when the user lowers theirs');
  });
});
