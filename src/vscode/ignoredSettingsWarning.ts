import * as vscode from 'vscode';
import { SETTING_KEYS, type SettingKey } from '../core/config';
import { userOnlySettingsInWorkspaceFiles } from './settings';
import { ignoredWorkspaceSettingsMessage, whereSettable } from './settingsPolicy';

/** Workspace state: the user-only settings this workspace was already warned about. */
const WARNED_KEY = 'switchboard.ignoredWorkspaceSettings';
export const OPEN_USER_SETTINGS = 'Open User Settings';

/**
 * Tells the user, once per workspace and setting, that the workspace's
 * settings tried to set a user-only setting and were ignored. Checked at
 * start, when settings or folders change and when a settings file is saved.
 */
export class IgnoredSettingsWarning implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    /** User-only settings `inspect()` showed a workspace value for, from the last settings read. */
    private readonly reportedByVSCode: () => readonly SettingKey[],
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{.vscode/settings.json,*.code-workspace}');
    const recheck = () => void this.check();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(recheck),
      watcher.onDidChange(recheck),
      vscode.workspace.onDidChangeWorkspaceFolders(recheck),
    );
  }

  /** Resolves when the check (and the warning's bookkeeping, not the user's answer) is done. */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.warnAboutNew()).catch((error: unknown) => this.log.error(`could not check the workspace's settings: ${String(error)}`));
    return this.checking;
  }

  private async warnAboutNew(): Promise<void> {
    const found = new Set([...this.reportedByVSCode(), ...(await userOnlySettingsInWorkspaceFiles())]);
    const warned = new Set(this.context.workspaceState.get<string[]>(WARNED_KEY) ?? []);
    const fresh = SETTING_KEYS.filter((key) => found.has(key) && !warned.has(key));
    if (fresh.length === 0) {
      if (found.size > 0) this.log.info(`setting: this workspace still sets ${[...found].map((key) => `switchboard.${key}`).join(', ')}: ignored (the user was already told)`);
      return;
    }
    for (const key of fresh) this.log.warn(`setting: switchboard.${key} is set by this workspace and ignored: ${whereSettable(key)}`);
    await this.context.workspaceState.update(WARNED_KEY, [...warned, ...fresh]);
    void vscode.window.showWarningMessage(ignoredWorkspaceSettingsMessage(fresh), OPEN_USER_SETTINGS).then((choice) => {
      if (choice === OPEN_USER_SETTINGS) void vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: `switchboard.${fresh[0]}` });
    });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
