import * as vscode from 'vscode';
import { SETTING_KEYS, type SettingKey } from '../core/config';
import { userOnlySettingsInWorkspaceFiles } from './settings';
import type { WorkspaceLimit } from '../core/workspaceLimits';
import { plainInNotification } from './notificationText';
import { ignoredWorkspaceSettingsMessage, limitedWorkspaceSettingsMessage, whereSettable } from './settingsPolicy';

/** Workspace state: the user-only settings this workspace was already warned about. */
const WARNED_KEY = 'switchboard.ignoredWorkspaceSettings';
/** Workspace state: the limited values (setting and what was kept) this workspace was already warned about. */
const WARNED_LIMITS_KEY = 'switchboard.limitedWorkspaceSettings';
/** The most limited values remembered: a workspace switching among many values must not grow workspace state for ever. */
const MAX_REMEMBERED_LIMITS = 100;
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
    /** Workspace values the last settings read left out or clamped because they could raise spend. */
    private readonly limitedByWorkspace: () => readonly WorkspaceLimit[] = () => [],
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
    this.checking = this.checking.then(() => this.warnAboutNew()).then(() => this.warnAboutNewLimits()).catch((error: unknown) => this.log.error(`could not check the workspace's settings: ${String(error)}`));
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

  /** Once per workspace and value: the same value clamped again is only logged; a new one is shown. */
  private async warnAboutNewLimits(): Promise<void> {
    const limits = this.limitedByWorkspace();
    const warned = this.context.workspaceState.get<string[]>(WARNED_LIMITS_KEY) ?? [];
    const text = (limit: WorkspaceLimit) => `switchboard.${limit.key}: ${limit.detail}`;
    const fresh = limits.filter((limit) => !warned.includes(text(limit)));
    for (const limit of limits) this.log.info(`setting: ${text(limit)} (this workspace's value could raise spend)`);
    if (fresh.length === 0) return;
    await this.context.workspaceState.update(WARNED_LIMITS_KEY, [...warned, ...fresh.map(text)].slice(-MAX_REMEMBERED_LIMITS));
    void vscode.window.showWarningMessage(plainInNotification(limitedWorkspaceSettingsMessage(fresh)), OPEN_USER_SETTINGS).then((choice) => {
      if (choice === OPEN_USER_SETTINGS) void vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: `switchboard.${fresh[0]!.key}` });
    });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
