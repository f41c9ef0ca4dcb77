import * as vscode from 'vscode';
import type { Switchboard } from '../../core/switchboard';
import type { LocalServerOffer } from '../localServer';
import type { SecretKeyStore } from '../secrets';
import { affectsEditorProxy, affectsSwitchboard } from '../settings';

/** What makes settings be applied again: a settings change, a key changed (here or in another window), trust granted, folders changed. */
export function watchChanges(
  context: vscode.ExtensionContext,
  parts: { switchboard: Switchboard; keyStore: SecretKeyStore; localServer: LocalServerOffer; log: vscode.LogOutputChannel; reapply: (why: string) => Promise<void> },
): void {
  const { switchboard, keyStore, localServer, log, reapply } = parts;
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsSwitchboard(event)) void reapply('settings changed');
      // VS Code's proxy settings decide whether Bedrock goes through a proxy (core/providers/bedrockProxy.ts).
      else if (affectsEditorProxy(event)) void reapply('proxy settings changed');
      localServer.onConfigurationChanged(event);
    }),
    keyStore.onDidChange(() => void reapply('API key changed')),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      switchboard.router.hold(undefined);
      log.info('the workspace is trusted now: requests may go');
      // Routes and completion tuning from the workspace count from now on.
      void reapply('workspace trusted');
    }),
    // An AWS file the environment names may be in a folder added or out of one removed (core/awsWorkspaceFiles.ts).
    vscode.workspace.onDidChangeWorkspaceFolders(() => void reapply('workspace folders changed')),
  );
}
