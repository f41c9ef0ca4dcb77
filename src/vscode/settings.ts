import * as vscode from 'vscode';
import { resolveConfig, type ResolvedConfig, type SettingKey, type SwitchboardConfig } from '../core/config';
import type { EditorProxySettings } from '../core/providers/bedrockProxy';
import { withAwsFilesOutsideWorkspace } from '../core/awsWorkspaceFiles';
import { withEnvBaseUrl, type EnvBaseUrlConsent } from '../core/envBaseUrl';
import { PriceTable } from '../core/prices/priceTable';
import { inRemoteWindow } from '../core/remoteWindow';
import { limitWorkspaceSpend, type WorkspaceLimit } from '../core/workspaceLimits';
import { withoutHeldVariables } from './containerSettings';
import { parseSettingsFile } from './settingsFile';
import { layeredSettings, limitsBySource, userOnlyKeysIn } from './settingsPolicy';

export const SECTION = 'switchboard';

export interface ReadSettings extends ResolvedConfig {
  /** User-only settings VS Code reported a workspace value for (ignored; see settingsPolicy.ts). */
  ignoredFromWorkspace: SettingKey[];
  /** Workspace values left out or clamped because they could raise spend over the user's own. */
  limitedFromWorkspace: WorkspaceLimit[];
  /** The same for an unconfirmed container's values: its own question says so (containerSettingsConsent.ts), not the workspace's warning. */
  limitedFromContainer: WorkspaceLimit[];
  /** User-only settings an unconfirmed container's Remote settings set: left at their defaults (containerSettingsConsent.ts). */
  heldFromContainer: SettingKey[];
}

/**
 * The one place settings are read. Every key comes from core/config's
 * SETTING_KEYS (a unit test checks they match package.json); which layers
 * each may come from is settingsPolicy.ts's decision; the result goes through
 * the same validation as the CLI's --config file.
 */
export function readSettings(
  env: NodeJS.ProcessEnv = process.env,
  envServerConsent?: EnvBaseUrlConsent,
  fromContainer?: ReadonlySet<SettingKey>,
  variablesFromContainer?: ReadonlySet<string>,
  proxyFromContainer = false,
): ReadSettings {
  const layers = readLayers(env, envServerConsent, fromContainer, proxyFromContainer);
  // An AWS config or credentials file the environment names inside a workspace folder is not read (core/awsWorkspaceFiles.ts).
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const read = { ...layers, config: withAwsFilesOutsideWorkspace(layers.config, env, folders) };
  // An unconfirmed container's SWITCHBOARD_LEDGER (containerSettingsConsent.ts): the ledger stays where the settings put it.
  return variablesFromContainer ? { ...read, config: withoutHeldVariables(read.config, variablesFromContainer) } : read;
}

function readLayers(env: NodeJS.ProcessEnv, envServerConsent?: EnvBaseUrlConsent, fromContainer?: ReadonlySet<SettingKey>, proxyFromContainer = false): ReadSettings {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const layered = layeredSettings((key) => configuration.inspect(key), vscode.workspace.isTrusted, fromContainer);
  const { raw, userRaw, ignoredFromWorkspace, heldFromContainer } = layered;
  const resolved = resolveConfig(raw, `${SECTION}.`);
  const { problems } = resolved;
  // A desktop window's extension host has the user's environment (the shell or launcher that started VS Code):
  // OPENAI_BASE_URL counts as the CLI counts it, after the User setting. A remote window's may be the repository's
  // (a dev container): `envServerConsent` then asks the user first (envServerConsent.ts, core/envBaseUrl.ts).
  // In a remote window `localhost` is the remote machine's, whatever names it: no key goes there unless allowed.
  const remoteName = vscode.env.remoteName;
  const editorProxy = editorProxySettings(proxyFromContainer);
  const config = withEditorProxy(inRemoteWindow(withEnvBaseUrl(resolved.config, env, envServerConsent), remoteName), editorProxy);
  const fromElsewhere = new Set([...layered.fromWorkspace, ...layered.fromContainer]);
  if (fromElsewhere.size === 0) return { config, problems, ignoredFromWorkspace, limitedFromWorkspace: [], limitedFromContainer: [], heldFromContainer };
  // What the user would have without the workspace; its problems are the same settings' and already in `problems`.
  const own = inRemoteWindow(withEnvBaseUrl(resolveConfig(userRaw, `${SECTION}.`).config, env, envServerConsent), remoteName);
  const limited = limitWorkspaceSpend(own, config, fromElsewhere, new PriceTable(own.prices));
  const { workspace, container } = limitsBySource(limited.limits, layered);
  return { config: withEditorProxy(limited.config, editorProxy), problems, ignoredFromWorkspace, limitedFromWorkspace: workspace, limitedFromContainer: container, heldFromContainer };
}

/** The configuration with VS Code's proxy settings, which decide whether Bedrock goes through a proxy (core/providers/bedrockProxy.ts). */
function withEditorProxy(config: SwitchboardConfig, editorProxy: EditorProxySettings): SwitchboardConfig {
  return { ...config, providers: { ...config.providers, bedrock: { ...config.providers.bedrock, editorProxy } } };
}

/**
 * `http.proxySupport`, `http.proxy` and `http.noProxy` as VS Code's own proxy support reads them in a local window:
 * the User value, else the default. A workspace's value is never read: it would choose where requests go. Nor,
 * until the user confirms it (containerSettingsConsent.ts), a container's `http.proxy` (`heldProxy`), which VS Code
 * reports as the User value: Bedrock then goes direct, over HTTP/2, which VS Code's own proxy support does not take.
 */
export function editorProxySettings(heldProxy = false): EditorProxySettings {
  const http = vscode.workspace.getConfiguration('http');
  const user = (key: string): unknown => {
    const seen = http.inspect(key);
    return seen?.globalValue ?? seen?.defaultValue;
  };
  const support = user('proxySupport');
  const url = heldProxy ? '' : user('proxy');
  const noProxy = user('noProxy');
  return {
    support: typeof support === 'string' ? support : 'override',
    url: typeof url === 'string' ? url : '',
    noProxy: Array.isArray(noProxy) ? noProxy.filter((entry): entry is string => typeof entry === 'string') : [],
  };
}

/** Whether a change of settings is one of VS Code's proxy settings: Bedrock's way may change with it. */
export function affectsEditorProxy(event: vscode.ConfigurationChangeEvent): boolean {
  return ['http.proxy', 'http.noProxy', 'http.proxySupport'].some((key) => event.affectsConfiguration(key));
}

export function affectsSwitchboard(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}

/**
 * User-only settings the open workspace's own settings files try to set.
 * VS Code drops application- and machine-scoped values from those files before
 * `inspect()` sees them, so to tell the user, the files themselves are read:
 * each folder's `.vscode/settings.json` and a multi-root `.code-workspace` file's `settings`.
 */
export async function userOnlySettingsInWorkspaceFiles(): Promise<SettingKey[]> {
  const reads: Promise<unknown>[] = (vscode.workspace.workspaceFolders ?? []).map((folder) =>
    readSettingsFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')),
  );
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') {
    reads.push(readSettingsFile(workspaceFile).then((parsed) => (parsed && typeof parsed === 'object' ? (parsed as { settings?: unknown }).settings : undefined)));
  }
  const found = new Set((await Promise.all(reads)).flatMap(userOnlyKeysIn));
  return [...found];
}

async function readSettingsFile(uri: vscode.Uri): Promise<unknown> {
  try {
    return parseSettingsFile(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  } catch {
    // No such file: nothing set there.
    return undefined;
  }
}
