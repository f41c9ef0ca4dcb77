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

  it('is the first file the extension reads, beside its global storage, and holds the setting the harness wrote', () => {
    const [first] = sb.containerSettingsFiles();
    assert.ok(first && existsSync(first), `the Machine settings file exists: ${String(first)}`);
    assert.deepEqual(readContainerSettings([first])?.values, [['chat.flowControl', true]]);
  });

  it('holds nothing back in a remote window that is not a container', () => {
    assert.ok(vscode.env.remoteName, 'the extension host is remote');
    assert.equal(isContainerRemote(vscode.env.remoteName), false, vscode.env.remoteName);
    assert.deepEqual(sb.containerSettingsHeld(), { keys: [] });
  });
});
