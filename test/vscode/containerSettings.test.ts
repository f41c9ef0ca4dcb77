import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { isContainerRemote, readContainerSettings } from '../../src/vscode/containerSettings';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';

const EXTENSION_ID = 'switchboard-dev.switchboard';

/**
 * Where a real VS Code server keeps its Machine settings: the harness starts its server with `--server-data-dir` and
 * `--user-data-dir` of its own and writes a Machine settings file there (scripts/vscode/run-extension-tests.mjs), as
 * a dev container's configuration does. The extension must find that file from where it runs, not from a guessed
 * home folder. The test workbench is a remote window, but not a container: its Remote settings are used as they are.
 */
describe("a server's Machine settings file, found from the extension host", () => {
  let sb: SwitchboardTestApi;
  before(async () => {
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports, 'under the test harness activate() returns the test API');
    sb = exports;
  });

  it('is the first file the extension reads, beside its global storage, and holds the settings the harness wrote that VS Code applies from it', () => {
    const [first] = sb.containerSettingsFiles();
    assert.ok(first && existsSync(first), `the Machine settings file exists: ${String(first)}`);
    // Not switchboard.budget.warnAt, also in the file: see the next test.
    assert.deepEqual(readContainerSettings([first])?.values, [
      ['providers.bedrock.profile', ''],
      ['chat.flowControl', true],
    ]);
  });

  it("is applied by VS Code for machine- and window-scoped settings only: an application-scoped one there (the budget's) stays the user's", () => {
    const configuration = vscode.workspace.getConfiguration('switchboard');
    assert.equal(configuration.inspect('chat.flowControl')?.globalValue, true, 'window scope: applied from Remote settings');
    assert.equal(configuration.inspect('providers.bedrock.profile')?.globalValue, '', 'machine scope: applied from Remote settings');
    // The harness's User settings do not set it, and VS Code does not take it from the Machine settings file: so a
    // container's file cannot set it, and holding it back for the user's confirmation would drop the user's own value.
    assert.equal(configuration.inspect('budget.warnAt')?.globalValue, undefined, 'application scope: not applied from Remote settings');
  });

  it('holds nothing back in a remote window that is not a container', () => {
    assert.ok(vscode.env.remoteName, 'the extension host is remote');
    assert.equal(isContainerRemote(vscode.env.remoteName), false, vscode.env.remoteName);
    assert.deepEqual(sb.containerSettingsHeld(), { keys: [] });
  });
});
