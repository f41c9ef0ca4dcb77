import { createHash } from 'node:crypto';
import { redactSecrets } from '../core/redact';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SETTING_KEYS, type SettingKey, type SwitchboardConfig } from '../core/config';
import { parseSettingsFile } from './settingsFile';
import { isUserOnly, remoteSettingsCanSet } from './settingsPolicy';

/**
 * A container's Remote settings are the repository's, not the user's. A `.devcontainer/devcontainer.json` (and
 * Codespaces, which reads the same file) writes its `customizations.vscode.settings` into the VS Code server's
 * Machine settings file inside the container, and `WorkspaceConfiguration.inspect()` then reports those values as
 * `globalValue`, the layer settingsPolicy.ts reads user-only settings from. So in a container window this module
 * reads that file itself and names the Switchboard settings it holds, with their values; settingsPolicy.ts treats
 * them as the workspace's until the user confirms them (containerSettingsConsent.ts). No `vscode` import: the
 * host passes in what it knows, and the unit tests use real files.
 */

/**
 * `vscode.env.remoteName` of windows whose extension host runs in a container built from a repository's
 * configuration: Dev Containers (`dev-container`: opened from a devcontainer.json; `attached-container`: attached to a
 * running container, whose image config or attached-container config may carry the same settings), its Kubernetes
 * attach (`k8s-container`), and GitHub Codespaces (`codespaces`; `vsonline` was its name before). SSH and WSL
 * (`ssh-remote`, `wsl`) and tunnels are machines the user set up themselves: their Remote settings are the user's.
 */
export const CONTAINER_REMOTE_NAMES: readonly string[] = ['dev-container', 'attached-container', 'k8s-container', 'codespaces', 'vsonline'];

/**
 * Whether the window's extension host runs in a container a repository's configuration built: a remote of
 * CONTAINER_REMOTE_NAMES, or an `ssh-remote` window that is one of those containers reached over SSH, which VS Code
 * cannot tell from an SSH host of the user's own:
 * - DevPod opens every workspace over Remote-SSH (`ssh-remote+<workspace>.devpod`, a host its SSH config names), and
 *   writes the devcontainer.json's `customizations.vscode.settings` into the server's Machine settings file as Dev
 *   Containers does; it also sets `DEVPOD=true` and `REMOTE_CONTAINERS=true` in the container's environment, after
 *   the configuration's own `containerEnv`;
 * - `REMOTE_CONTAINERS=true` is what Dev Containers sets in its containers too, and `CODESPACES=true` a Codespace,
 *   whose Machine settings hold its devcontainer.json's, reached with `gh codespace ssh --config` and Remote-SSH.
 * A variable the container could leave out only makes the window count as an SSH host's, as before; one it sets on
 * a machine of the user's costs one question. Coder's workspaces (`ssh-remote+coder-vscode…`) are its template's,
 * an administrator's, and nothing Coder sets tells whether a repository's dev container made one: not counted.
 * `authority` is the opened folder's URI authority (`ssh-remote+myws.devpod`, or Remote-SSH's hex-encoded JSON form).
 */
export function isContainerRemote(remoteName: string | undefined, env: Readonly<Record<string, string | undefined>> = {}, authority?: string): boolean {
  if (remoteName === undefined) return false;
  if (CONTAINER_REMOTE_NAMES.includes(remoteName)) return true;
  if (remoteName !== 'ssh-remote') return false;
  if (env.DEVPOD === 'true' || env.REMOTE_CONTAINERS === 'true' || env.CODESPACES === 'true') return true;
  return authority !== undefined && /\.devpod$/i.test(sshHostOf(authority));
}

/** The host of an `ssh-remote+…` authority: written as it is, or as hex-encoded JSON (`{"hostName":"…"}`) for a host VS Code would not keep as written. */
function sshHostOf(authority: string): string {
  const host = authority.replace(/^ssh-remote\+/i, '');
  if (!/^(?:[0-9a-f]{2})+$/i.test(host) || !host.startsWith('7b')) return host;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(host, 'hex').toString('utf8'));
    const name = typeof parsed === 'object' && parsed !== null ? (parsed as { hostName?: unknown }).hostName : undefined;
    return typeof name === 'string' ? name : host;
  } catch {
    return host;
  }
}

/** What the host knows about where the VS Code server keeps its data. */
export interface ServerDataHints {
  /** The extension's `context.globalStorageUri.fsPath`: `<server data>/User/globalStorage/<extension id>` in a remote window. */
  globalStoragePath?: string;
  env: NodeJS.ProcessEnv;
  home: string;
}

/**
 * The Machine settings files the server in this container may use, most telling first. The extension's own global
 * storage sits in the data folder the server actually uses, whatever `--server-data-dir` or `VSCODE_AGENT_FOLDER`
 * chose, so the Machine folder beside its User folder is the surest; the others are where the servers put it by
 * default (`~/.vscode-server`, Insiders', Codespaces' `~/.vscode-remote`) and where `VSCODE_AGENT_FOLDER` points, in
 * case this VS Code lays its storage out differently. Reading one the server does not use costs nothing worse than
 * a question: every such file in the container was written by the container's configuration.
 */
export function machineSettingsFiles(hints: ServerDataHints): string[] {
  const files: string[] = [];
  const storage = hints.globalStoragePath;
  if (storage) {
    const globalStorage = path.dirname(storage);
    const user = path.dirname(globalStorage);
    if (path.basename(globalStorage) === 'globalStorage' && path.basename(user) === 'User') {
      files.push(path.join(path.dirname(user), 'Machine', 'settings.json'));
    }
  }
  const agentFolder = hints.env.VSCODE_AGENT_FOLDER;
  if (agentFolder) files.push(path.join(agentFolder, 'data', 'Machine', 'settings.json'));
  for (const folder of ['.vscode-server', '.vscode-server-insiders', '.vscode-remote']) {
    files.push(path.join(hints.home, folder, 'data', 'Machine', 'settings.json'));
  }
  return [...new Set(files.map((file) => path.resolve(file)))];
}

/**
 * Switchboard settings an object from a settings file sets, with their values, in any of the shapes VS Code
 * accepts: `"switchboard.providers.openai.baseUrl": …`, `"switchboard.providers": {"openai.baseUrl": …}` or nested.
 * Only those VS Code applies from Remote settings (settingsPolicy.ts's remoteSettingsCanSet): an application-scoped
 * one in the file does nothing, and holding it would drop the user's own value (their budget, say) for the default.
 */
export function switchboardValuesIn(settings: unknown): Map<SettingKey, unknown> {
  const found = new Map<SettingKey, unknown>();
  const byPath = new Map(SETTING_KEYS.map((key) => [`switchboard.${key}`, key]));
  const walk = (node: unknown, at: string) => {
    const key = byPath.get(at);
    if (key) {
      if (remoteSettingsCanSet(key)) found.set(key, node);
      return;
    }
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    for (const [name, child] of Object.entries(node)) walk(child, at ? `${at}.${name}` : name);
  };
  walk(settings, '');
  return found;
}

/** What the question shows for a setting held from a file that could not be parsed. */
export const UNPARSED_VALUE = '(in a file Switchboard could not parse)';

function everySettingUnread(): Map<SettingKey, unknown> {
  return new Map(SETTING_KEYS.filter(remoteSettingsCanSet).map((key) => [key, UNPARSED_VALUE]));
}

export interface ContainerSettings {
  /** The Machine settings files that set Switchboard settings. */
  files: string[];
  /** Each setting and its value, in SETTING_KEYS order; a setting two files set shows the first file's value. */
  values: [SettingKey, unknown][];
  /** Switchboard's own environment variables set in the container (CONTAINER_HELD_VARIABLES), with their values. */
  variables: [string, string][];
  /** VS Code's `http.proxy` as the container's Remote settings set it (see proxyIn); absent when they do not. */
  proxy?: string;
}

/**
 * `http.proxy` in a settings object, flat (`"http.proxy"`) or nested (`"http": {"proxy": …}`): the proxy Bedrock's
 * requests, signed with the user's AWS credentials, would be sent through (core/providers/bedrockProxy.ts), which
 * VS Code reports as the user's own value (`globalValue`) in a container. Empty sets nothing.
 */
export function proxyIn(settings: unknown): string | undefined {
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return undefined;
  const object = settings as Record<string, unknown>;
  const nested = object.http && typeof object.http === 'object' && !Array.isArray(object.http) ? (object.http as Record<string, unknown>).proxy : undefined;
  const value = Object.hasOwn(object, 'http.proxy') ? object['http.proxy'] : nested;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Switchboard's environment variables that a container's configuration can set (devcontainer.json's `remoteEnv` and
 * `containerEnv`, the image's `ENV`: the extension host runs in the container and has its environment) and that no
 * direction makes safe: SWITCHBOARD_LEDGER outranks the `ledger.path` setting, so it could move the ledger anywhere,
 * or to an empty file, where today's spend reads as nothing and the budget lets more through. They are held with
 * the container's Remote settings, in the same question. OPENAI_BASE_URL has its own question in every remote window
 * (envServerConsent.ts); AWS's endpoint variables are never used in a remote window (core/remoteWindow.ts).
 */
export const CONTAINER_HELD_VARIABLES: readonly string[] = ['SWITCHBOARD_LEDGER'];

/**
 * The configuration without the held variables' effect: an unconfirmed container's SWITCHBOARD_LEDGER is not used,
 * so the ledger stays where the settings put it (the Switchboard core reads the variable; the config tells it not to).
 */
export function withoutHeldVariables(config: SwitchboardConfig, held: ReadonlySet<string>): SwitchboardConfig {
  if (!held.has('SWITCHBOARD_LEDGER')) return config;
  return { ...config, ledger: { ...config.ledger, ignoreEnvironment: true } };
}

/** The held variables `env` sets (an empty one sets nothing: Switchboard ignores it), in CONTAINER_HELD_VARIABLES order. */
export function heldVariablesIn(env: Readonly<Record<string, string | undefined>>): [string, string][] {
  return CONTAINER_HELD_VARIABLES.flatMap((name): [string, string][] => (env[name] ? [[name, env[name]]] : []));
}

/** The container's settings (readContainerSettings) and its held variables together; undefined when it sets neither. */
export function withHeldVariables(settings: ContainerSettings | undefined, env: Readonly<Record<string, string | undefined>>): ContainerSettings | undefined {
  const variables = heldVariablesIn(env);
  if (variables.length === 0) return settings;
  return { files: settings?.files ?? [], values: settings?.values ?? [], variables, ...(settings?.proxy !== undefined ? { proxy: settings.proxy } : {}) };
}

/** Reads the files (missing or unreadable ones set nothing); undefined when none sets a Switchboard setting. */
export function readContainerSettings(files: readonly string[], read: (file: string) => string = (file) => readFileSync(file, 'utf8')): ContainerSettings | undefined {
  const found = new Map<SettingKey, unknown>();
  const setting: string[] = [];
  let proxy: string | undefined;
  for (const file of files) {
    let text: string;
    try {
      text = read(file);
    } catch {
      continue;
    }
    const parsed = parseSettingsFile(text);
    // VS Code reads a settings file with a syntax error as far as it can (a missing comma loses nothing before it),
    // and a key may be written with escapes (\u0073witchboard…); a file this reader cannot parse could still set
    // anything, so it holds every Switchboard setting it could set until the user says yes.
    const unparsed = parsed === undefined && text.trim() !== '';
    const values = unparsed ? everySettingUnread() : switchboardValuesIn(parsed);
    const fileProxy = unparsed ? UNPARSED_VALUE : proxyIn(parsed);
    if (values.size === 0 && fileProxy === undefined) continue;
    setting.push(file);
    proxy ??= fileProxy;
    for (const [key, value] of values) if (!found.has(key)) found.set(key, value);
  }
  if (found.size === 0 && proxy === undefined) return undefined;
  return {
    files: setting,
    values: SETTING_KEYS.filter((key) => found.has(key)).map((key) => [key, found.get(key)]),
    variables: [],
    ...(proxy !== undefined ? { proxy } : {}),
  };
}

/**
 * What a confirmation is kept under: the container (its kind and the folder it opened) and the exact values, so
 * that another repository's container, or a changed value in this one, asks again.
 */
export function containerSettingsId(remoteName: string, container: string, settings: ContainerSettings): string {
  // Without variables the id is what it was before they were held, so earlier confirmations still count.
  // Likewise without a proxy.
  const what: unknown[] = settings.variables.length > 0 ? [remoteName, container, settings.values, settings.variables] : [remoteName, container, settings.values];
  if (settings.proxy !== undefined) what.push({ proxy: settings.proxy });
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/** What a held variable does until the user confirms it. */
const VARIABLE_UNTIL_CONFIRMED: Readonly<Record<string, string>> = { SWITCHBOARD_LEDGER: 'not used until you confirm: the ledger stays where your settings put it' };

/** What the container's `http.proxy` does until the user confirms it. */
export const PROXY_UNTIL_CONFIRMED = "not used for Bedrock's requests, signed with your AWS credentials, until you confirm: they go direct";

/** Where the container's held values come from, as the question and the log say it. */
export function containerSources(settings: ContainerSettings): string {
  if (settings.variables.length === 0) return 'Remote settings';
  return settings.values.length === 0 && settings.proxy === undefined ? 'environment' : 'Remote settings and environment';
}

/** How many settings a question spells out before it says "and N more". */
const NAMED_IN_QUESTION = 3;
/** A value longer than this is cut in the question (the log has it whole). */
const VALUE_CHARS = 120;

/** A value as the question and the log show it: a URL's credentials (http.proxy's `user:pass@`) masked. */
export function describeValue(value: unknown): string {
  const text = redactSecrets(JSON.stringify(value) ?? String(value));
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text;
}

/** What a setting from an unconfirmed container does until the user confirms it (settingsPolicy.ts decides; this says it). */
export function untilConfirmed(key: SettingKey): string {
  return isUserOnly(key) ? 'its default until you confirm' : 'until you confirm, only where it cannot raise what you spend, as a workspace\'s value';
}

/**
 * The question, the one warning about this container's settings: which settings, which container, which values, what
 * each does meanwhile; and that a repository can set them. A value held to the cheaper way is said here, not again in
 * the workspace's warning (the log has what was kept).
 */
export function containerSettingsQuestion(remoteName: string, container: string, settings: ContainerSettings): string {
  // The variables first: there are few, and a moved ledger is the one that hides spend.
  const entries = [
    ...settings.variables.map(([name, value]) => `${name} = ${describeValue(value)} (an environment variable; ${VARIABLE_UNTIL_CONFIRMED[name] ?? 'unused until you confirm'})`),
    ...(settings.proxy !== undefined ? [`http.proxy = ${describeValue(settings.proxy)} (${PROXY_UNTIL_CONFIRMED})`] : []),
    ...settings.values.map(([key, value]) => `switchboard.${key} = ${describeValue(value)} (${untilConfirmed(key)})`),
  ];
  const shown = entries.slice(0, NAMED_IN_QUESTION);
  const more = entries.length - shown.length;
  return (
    `Switchboard: this container's ${containerSources(settings)} (${remoteName}, ${container}) set ${shown.join('; ')}${more > 0 ? `; and ${more} more (see the log)` : ''}. ` +
    `A repository's dev container configuration can set these, to choose where your requests and API keys go or what you spend. ` +
    `Use these settings?`
  );
}
