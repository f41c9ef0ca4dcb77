import { SETTING_KEYS, type SettingKey } from '../core/config';
import { TASKS, type Task } from '../core/types';
import type { WorkspaceLimit } from '../core/workspaceLimits';

/**
 * Which settings layer each Switchboard setting may come from. Pure (no
 * `vscode` import), so the policy is unit-tested in plain Node; settings.ts
 * feeds it what `WorkspaceConfiguration.inspect()` returns.
 *
 * A cloned repository's `.vscode/settings.json` is untrusted input: it must not
 * choose where requests and keys go, or raise spend past what the user allows.
 *
 *   user               `application` scope: User settings only; they follow the user to remote windows.
 *   machine            `machine` scope: User settings, or a remote machine's Remote settings when the
 *                      extension runs there (VS Code then ignores the local User value: the setting names
 *                      something of the machine the extension runs on, a file, an AWS profile, an
 *                      environment variable).
 *   trusted-workspace  a trusted workspace may set it (a project may prefer models or tune completions);
 *                      listed in `restrictedConfigurations`, so VS Code ignores it in Restricted Mode too.
 *                      Where such a value touches spend, core/workspaceLimits.ts keeps it only in the
 *                      direction that cannot raise it over the user's own value.
 *   workspace          any workspace may set it: it cannot send anything anywhere, and core/workspaceLimits.ts
 *                      keeps it in the direction that cannot raise spend (a time-out: at least the user's).
 *
 * package.json declares the matching `scope` (a unit test checks), but the reader
 * below does not rely on it: a user-only setting is taken from `globalValue`
 * alone, so a mistake in the manifest cannot reopen the hole.
 */
export type SettingAccess = 'user' | 'machine' | 'trusted-workspace' | 'workspace';

export const SETTING_ACCESS: Readonly<Record<SettingKey, SettingAccess>> = {
  // A project may prefer models, no dearer than the user's own route's (core/workspaceLimits.ts).
  'routes.completion': 'trusted-workspace',
  'routes.chat': 'trusted-workspace',
  'routes.plan': 'trusted-workspace',
  // Where requests and keys go.
  'providers.openai.baseUrl': 'user',
  'providers.anthropic.baseUrl': 'user',
  // Which hosts get a provider's key.
  'providers.openai.sendKeyTo': 'user',
  'providers.anthropic.sendKeyTo': 'user',
  'providers.bedrock.region': 'user',
  'providers.bedrock.endpoint': 'user',
  // A provider's own wait before falling back: the user's choice for a server of theirs (a workspace has timeouts.*).
  'providers.openai.timeouts': 'user',
  'providers.anthropic.timeouts': 'user',
  'providers.bedrock.timeouts': 'user',
  // Name things of the machine the extension runs on: an AWS profile, environment variables, local servers, a file.
  'providers.bedrock.profile': 'machine',
  'providers.custom': 'machine',
  'ledger.path': 'machine',
  // Money: what requests cost, how much may be spent, how long an answer may be.
  prices: 'user',
  // Makes a model of a server on this machine cost $0: a workspace saying so would hide spend from the budgets.
  freeOnLocalServer: 'user',
  'budget.dailyUsd': 'user',
  'budget.monthlyUsd': 'user',
  'budget.providers': 'user',
  'budget.warnAt': 'user',
  'budget.action': 'user',
  'budget.unpriced': 'user',
  'budget.unpricedEstimate': 'user',
  'completion.maxTokens': 'user',
  'chat.maxTokens': 'user',
  'plan.maxTokens': 'user',
  // How long to wait before falling back: changes no destination; a shorter wait than the user's could add spend
  // (a cut request is billed, then the next model is asked), so core/workspaceLimits.ts keeps it at least theirs.
  'timeouts.firstTokenMs': 'workspace',
  'timeouts.completionFirstTokenMs': 'workspace',
  // How streamed text is paced to the panel: changes no destination and no spend.
  'chat.flowControl': 'workspace',
  'chat.framePacing': 'workspace',
  // Opens a port on the loopback of the machine the panel runs on: the user's choice, not a cloned project's
  // (it changes neither where requests go nor what they cost; the port answers only a per-answer token).
  'chat.directStream': 'user',
  // Labels answers "simulated, not billed" (with SWITCHBOARD_SIMULATED): the proof a repository's environment cannot
  // forge, so only the user's own User settings may hold it (src/vscode/sandboxSimulation.ts).
  'sandbox.simulated': 'user',
  // When completions run and how much context they carry: a trusted project may tune them, only
  // towards fewer requests and shorter prompts than the user's own (core/workspaceLimits.ts).
  'completion.enabled': 'trusted-workspace',
  'completion.languages': 'trusted-workspace',
  'completion.debounceMs': 'trusted-workspace',
  'completion.prefixChars': 'trusted-workspace',
  'completion.suffixChars': 'trusted-workspace',
  'completion.contextChars': 'trusted-workspace',
  'completion.multiline': 'trusted-workspace',
  'completion.speculate': 'trusted-workspace',
  'completion.speculationBackoff': 'trusted-workspace',
  'completion.adaptiveDebounce': 'trusted-workspace',
  'completion.nextLine': 'trusted-workspace',
  'completion.speculateNextLine': 'trusted-workspace',
  'completion.earlyFirstLine': 'trusted-workspace',
  'completion.preconnect': 'trusted-workspace',
  // Which files are never sent: a repository must not shrink the list (it can add through files.exclude).
  exclude: 'user',
  // Auto's switch and dial decide how much of the traffic goes to the strong (dearer) tier: money, so the user's alone.
  'auto.enabled': 'user',
  'auto.strongShare': 'user',
  // Auto's cheap tiers are model choices like the routes: a trusted project may prefer models no dearer than the user's.
  'auto.cheapRoutes.chat': 'trusted-workspace',
  'auto.cheapRoutes.plan': 'trusted-workspace',
};

export function isUserOnly(key: SettingKey): boolean {
  const access = SETTING_ACCESS[key];
  return access === 'user' || access === 'machine';
}

/**
 * Whether a remote machine's settings file (a container's Machine settings) can set the setting at all. VS Code
 * applies Remote settings only to settings of `machine`, `window` and narrower scopes; an `application`-scoped one
 * (every 'user' setting here: servers, keys' hosts, prices, budgets, token limits, `exclude`, Auto) it takes from the
 * local User settings alone, so there its `globalValue` is the user's own, whatever a container's file says.
 */
export function remoteSettingsCanSet(key: SettingKey): boolean {
  return SETTING_ACCESS[key] !== 'user';
}

/** The layers of one setting, as `WorkspaceConfiguration.inspect()` reports them (the fields read here). */
export interface InspectedSetting {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export interface LayeredSettings {
  /** Values by setting key, for core/config's resolveConfig; a key left out gets its default there. */
  raw: Partial<Record<SettingKey, unknown>>;
  /** The same from the user's layer alone: what the user would have without the workspace. */
  userRaw: Partial<Record<SettingKey, unknown>>;
  /** User-only settings a workspace or folder holds a value for: ignored, and worth telling the user. */
  ignoredFromWorkspace: SettingKey[];
  /** Settings whose value in `raw` is the workspace's (core/workspaceLimits.ts then checks those that touch spend). */
  fromWorkspace: SettingKey[];
  /**
   * Settings whose value in `raw` is an unconfirmed container's, counted as a workspace's would be (core/workspaceLimits.ts
   * checks them the same way); kept apart from `fromWorkspace` so that each source is named in its own warning.
   */
  fromContainer: SettingKey[];
  /** User-only settings an unconfirmed container set (`fromContainer`): left at their defaults. */
  heldFromContainer: SettingKey[];
}

/**
 * Picks each setting's value from the layers it may come from. `globalValue`
 * is what VS Code applies from User settings (and, for machine-scoped settings
 * in a remote window, from the remote machine's settings instead). Defaults
 * come from core/config, never from `defaultValue`, which another extension's
 * `configurationDefaults` could change.
 */
export function layeredSettings(
  inspect: (key: SettingKey) => InspectedSetting | undefined,
  workspaceTrusted: boolean,
  /**
   * Settings whose `globalValue` is an unconfirmed container's Remote settings (containerSettings.ts), not the
   * user's: each counts as a workspace value beneath any the workspace itself sets, and the user's own is the default.
   */
  fromContainer: ReadonlySet<SettingKey> = new Set(),
): LayeredSettings {
  const raw: Partial<Record<SettingKey, unknown>> = {};
  const userRaw: Partial<Record<SettingKey, unknown>> = {};
  const ignoredFromWorkspace: SettingKey[] = [];
  const takenFromWorkspace: SettingKey[] = [];
  const takenFromContainer: SettingKey[] = [];
  const heldFromContainer: SettingKey[] = [];
  for (const key of SETTING_KEYS) {
    const layers = inspect(key);
    if (!layers) continue;
    // An application-scoped setting's globalValue is the user's own even in a container (remoteSettingsCanSet).
    const containers = fromContainer.has(key) && remoteSettingsCanSet(key) ? layers.globalValue : undefined;
    const workspaces = layers.workspaceFolderValue ?? layers.workspaceValue;
    let value = containers === undefined ? layers.globalValue : undefined;
    if (value !== undefined) userRaw[key] = value;
    if (isUserOnly(key)) {
      if (containers !== undefined) heldFromContainer.push(key);
      if (workspaces !== undefined) ignoredFromWorkspace.push(key);
    } else if ((workspaces ?? containers) !== undefined && (workspaceTrusted || SETTING_ACCESS[key] === 'workspace')) {
      value = workspaces ?? containers;
      (workspaces !== undefined ? takenFromWorkspace : takenFromContainer).push(key);
    }
    if (value !== undefined) raw[key] = value;
  }
  return { raw, userRaw, ignoredFromWorkspace, fromWorkspace: takenFromWorkspace, fromContainer: takenFromContainer, heldFromContainer };
}

/**
 * The routes the user wrote in their own settings, per task, as layeredSettings's `userRaw` has them: not a
 * workspace's, and not an unconfirmed container's, whose Remote settings VS Code reports as `globalValue` too. What
 * Use a Local Server… keeps behind the server's model and writes to User settings, where it would apply in every
 * window: a container's dear model copied there would outlive the container.
 */
export function usersOwnRoutes(inspect: (key: SettingKey) => InspectedSetting | undefined, fromContainer: ReadonlySet<SettingKey>): Partial<Record<Task, string[]>> {
  const { userRaw } = layeredSettings(inspect, false, fromContainer);
  const routes: Partial<Record<Task, string[]>> = {};
  for (const task of TASKS) {
    const value = userRaw[`routes.${task}`];
    if (Array.isArray(value)) routes[task] = value.filter((ref): ref is string => typeof ref === 'string');
  }
  return routes;
}

/**
 * core/workspaceLimits.ts's limits, each under the source whose value it held back: the workspace's own, or an
 * unconfirmed container's. Auto's cheap tier is limited when either it or its task's route came from elsewhere
 * (a route brings its providers' built-in cheap tier); it counts as the container's only when the container set
 * the one of the two that did.
 */
export function limitsBySource(limits: readonly WorkspaceLimit[], layered: Pick<LayeredSettings, 'fromWorkspace' | 'fromContainer'>): { workspace: WorkspaceLimit[]; container: WorkspaceLimit[] } {
  const container = new Set(layered.fromContainer);
  const workspace = new Set(layered.fromWorkspace);
  const containers = (key: SettingKey): boolean => {
    if (container.has(key)) return true;
    const task = /^auto\.cheapRoutes\.(.+)$/.exec(key)?.[1];
    return task !== undefined && !workspace.has(key) && container.has(`routes.${task}` as SettingKey);
  };
  return { workspace: limits.filter((limit) => !containers(limit.key)), container: limits.filter((limit) => containers(limit.key)) };
}

/**
 * The user-only settings a settings file's object sets, in any of the shapes
 * VS Code accepts: `"switchboard.providers.openai.baseUrl": …`,
 * `"switchboard.providers": {"openai.baseUrl": …}` or fully nested objects.
 * For a `.vscode/settings.json` that is the object itself; for a `.code-workspace` file, its `settings`.
 */
export function userOnlyKeysIn(settings: unknown): SettingKey[] {
  const found = new Set<SettingKey>();
  const byPath = new Map(SETTING_KEYS.map((key) => [`switchboard.${key}`, key]));
  const walk = (node: unknown, path: string) => {
    const key = byPath.get(path);
    if (key) {
      if (isUserOnly(key)) found.add(key);
      return;
    }
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    for (const [name, child] of Object.entries(node)) walk(child, path ? `${path}.${name}` : name);
  };
  walk(settings, '');
  return SETTING_KEYS.filter((key) => found.has(key));
}

/** How many settings a warning names before it says "and N more". */
const NAMED_IN_WARNING = 3;

/** The warning shown when a workspace tries to set user-only settings: what was ignored, and where to set it instead. */
export function ignoredWorkspaceSettingsMessage(keys: readonly SettingKey[]): string {
  const named = keys.slice(0, NAMED_IN_WARNING).map((key) => `switchboard.${key}`);
  const more = keys.length - named.length;
  const list = more > 0 ? `${named.join(', ')} and ${more} more` : named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
  const verb = keys.length === 1 ? 'it can be set' : 'these can be set';
  return `Switchboard ignored ${list} from this workspace's settings: ${verb} only in ${whereSettable(...keys)}, so that a repository cannot choose where your requests and API keys go or what you spend.`;
}

/** Where user-only settings can be set instead, for a message. */
export function whereSettable(...keys: SettingKey[]): string {
  return keys.some((key) => SETTING_ACCESS[key] === 'machine')
    ? 'your User settings (or, when the window is connected to a remote machine, that machine\'s Remote settings)'
    : 'your User settings';
}

/** How many limited values a warning spells out before it says "and N more". */
const DETAILED_IN_WARNING = 2;

/**
 * The warning shown when a trusted workspace's value could raise spend over the user's own and was
 * left out or clamped (core/workspaceLimits.ts): each setting and what was kept.
 */
export function limitedWorkspaceSettingsMessage(limits: readonly WorkspaceLimit[]): string {
  const shown = limits.slice(0, DETAILED_IN_WARNING).map(({ key, detail }) => `switchboard.${key}: ${detail}`);
  const more = limits.length - shown.length;
  return `Switchboard kept this workspace's settings from raising what you spend: ${shown.join('; ')}${more > 0 ? `; and ${more} more (see the log)` : ''}. Set them in your User settings to use them.`;
}
