import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';

type Layer = 'globalValue' | 'workspaceValue' | 'workspaceFolderValue';

const LAYERS: Record<vscode.ConfigurationTarget, Layer> = {
  [vscode.ConfigurationTarget.Global]: 'globalValue',
  [vscode.ConfigurationTarget.Workspace]: 'workspaceValue',
  [vscode.ConfigurationTarget.WorkspaceFolder]: 'workspaceFolderValue',
};

/**
 * Writes `switchboard.<key>` and resolves once the extension has applied it,
 * with no sleep. The extension re-applies settings on
 * onDidChangeConfiguration, and the extension host may hear of the write
 * after update() resolves, so a listener is registered before the write and
 * awaited after it. A write that stores nothing new (the value already there)
 * fires no event, so the event is awaited only when the stored value changes:
 * as read back after the write, or as asked for (the host's copy may not
 * have been told yet when update() resolves); a default written where nothing
 * was is not counted as asked for, since VS Code may store nothing for it.
 * Listeners run in the order they were added, so when this one hears the
 * event the extension's has already started its re-apply, which settled()
 * waits for.
 */
export async function changeSetting(sb: SwitchboardTestApi, key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  const layer = LAYERS[target];
  const stored = () => vscode.workspace.getConfiguration('switchboard').inspect(key);
  const before = stored();
  let heard: () => void = () => {};
  const changed = new Promise<void>((resolve) => (heard = resolve));
  const listener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(`switchboard.${key}`)) heard();
  });
  try {
    await vscode.workspace.getConfiguration('switchboard').update(key, value, target);
    const readBack = !isDeepStrictEqual(stored()?.[layer], before?.[layer]);
    const asked = !isDeepStrictEqual(value, before?.[layer]) && !(before?.[layer] === undefined && isDeepStrictEqual(value, before?.defaultValue));
    if (readBack || asked) await changed;
  } finally {
    listener.dispose();
  }
  await sb.settled();
}
