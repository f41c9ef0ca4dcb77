import type { SettingKey } from '../core/config';
import { containerSettingsId, containerSettingsQuestion, containerSources, describeValue, isContainerRemote, readContainerSettings, withHeldVariables, type ContainerSettings } from './containerSettings';
import { plainInNotification } from './notificationText';
import { RememberedConfirmations, type ConsentDeps } from './rememberedConfirmations';

/**
 * Asks before a container's Remote settings for Switchboard are used (containerSettings.ts). Until the user says
 * "Use These Settings", readSettings treats them as the workspace's: user-only ones (only `machine`-scoped ones can
 * come from there) fall back to their defaults, others count only where they cannot raise spend (settingsPolicy.ts, core/workspaceLimits.ts). A confirmation is
 * kept in global state per container and exact values (so across windows and rebuilds of the same container); a
 * "no", or a question closed unanswered, holds for this window only, as envServerConsent.ts does. Outside a
 * container (a desktop window, SSH, WSL) the Remote settings are the user's own: nothing is held, nothing asked.
 * The container's environment is its repository's too: Switchboard's variables that no direction makes safe
 * (containerSettings.ts's CONTAINER_HELD_VARIABLES: SWITCHBOARD_LEDGER) are held and asked about with the settings.
 */

/** The confirmed containers' ids (containerSettingsId), most recent last. */
export const CONFIRMED_CONTAINER_SETTINGS_KEY = 'switchboard.confirmedContainerSettings';
export const USE_SETTINGS = 'Use These Settings';
export const DO_NOT_USE_SETTINGS = "Don't Use";

export interface ContainerSettingsConsentDeps extends ConsentDeps {
  /** The container as the user knows it: the folder (or workspace file) the window opened. */
  container: string;
  /** The Machine settings files to read (containerSettings.ts's machineSettingsFiles). */
  files: readonly string[];
  /** The extension host's environment: in a container, the container's. */
  env: Readonly<Record<string, string | undefined>>;
  /** The opened folder's URI authority (`ssh-remote+myws.devpod`): a DevPod workspace is an SSH window (containerSettings.ts's isContainerRemote). */
  authority?: string;
}

export interface HeldSettings {
  /** Settings whose User-layer value is the container's and is not confirmed. */
  keys: ReadonlySet<SettingKey>;
  /** Held environment variables (SWITCHBOARD_LEDGER) the container sets: not used until confirmed. */
  variables: ReadonlySet<string>;
  /** The container's Remote settings set `http.proxy`, not confirmed: Bedrock does not use it (settings.ts editorProxySettings). */
  proxy?: boolean;
  /** Why, for the log and the status bar; undefined when nothing is held. */
  reason?: string;
}

const NOTHING_HELD: HeldSettings = { keys: new Set(), variables: new Set() };

/** What unconfirmed container settings do (settingsPolicy.ts's layeredSettings, core/workspaceLimits.ts). */
const MEANWHILE = 'those only your own settings may set keep their defaults, the others count only where they cannot raise what you spend';

/** MEANWHILE, with what happens to the held variables when the container sets any. */
function meanwhile(settings: ContainerSettings): string {
  const unused = [...settings.variables.map(([name]) => name), ...(settings.proxy !== undefined ? ['http.proxy (for Bedrock)'] : [])].join(' and ');
  if (!unused) return MEANWHILE;
  const verb = unused.includes(' and ') ? 'are' : 'is';
  return settings.values.length === 0 ? `${unused} ${verb} not used` : `${unused} ${verb} not used; ${MEANWHILE}`;
}

export class ContainerSettingsConsent {
  private readonly declined = new Set<string>();
  private readonly asking = new Set<string>();
  private readonly logged = new Set<string>();
  private readonly confirmed: RememberedConfirmations;

  constructor(private readonly deps: ContainerSettingsConsentDeps) {
    this.confirmed = new RememberedConfirmations(deps.state, CONFIRMED_CONTAINER_SETTINGS_KEY);
  }

  /** Read on every settings read: the file changes when the container is rebuilt with other settings. */
  held(): HeldSettings {
    const { remoteName } = this.deps;
    if (!remoteName || !isContainerRemote(remoteName, this.deps.env, this.deps.authority)) return NOTHING_HELD;
    const settings = withHeldVariables(readContainerSettings(this.deps.files), this.deps.env);
    if (!settings) return NOTHING_HELD;
    const id = containerSettingsId(remoteName, this.deps.container, settings);
    if (this.confirmed.includes(id)) return NOTHING_HELD;
    const keys = new Set(settings.values.map(([key]) => key));
    const variables = new Set(settings.variables.map(([name]) => name));
    const proxy = settings.proxy !== undefined;
    const names = [...[...variables].map((name) => `${name} (environment variable)`), ...(proxy ? ['http.proxy'] : []), ...[...keys].map((key) => `switchboard.${key}`)];
    const files = settings.files.length > 0 ? ` (${settings.files.join(', ')})` : '';
    const reason = `${names.join(', ')} ${names.length === 1 ? 'comes' : 'come'} from this container's ${containerSources(settings)}${files}, which a repository's dev container configuration can set; ${
      this.declined.has(id) ? 'you chose not to use them in this window' : 'not yet confirmed'
    }: ${meanwhile(settings)}`;
    // Settings are read several times per change: the log says it once per container and answer.
    const logKey = `${id}:${this.declined.has(id)}`;
    if (!this.logged.has(logKey)) {
      this.logged.add(logKey);
      const values = [
        ...settings.variables.map(([name, value]) => `${name} = ${describeValue(value)}`),
        ...(proxy ? [`http.proxy = ${describeValue(settings.proxy)}`] : []),
        ...settings.values.map(([key, value]) => `switchboard.${key} = ${describeValue(value)}`),
      ];
      this.deps.log(`${reason} (${values.join('; ')})`);
    }
    if (!this.declined.has(id) && !this.asking.has(id)) {
      this.asking.add(id);
      void this.ask(id, remoteName, settings);
    }
    return { keys, variables, ...(proxy ? { proxy } : {}), reason };
  }

  private async ask(id: string, remoteName: string, settings: ContainerSettings): Promise<void> {
    let choice: string | undefined;
    try {
      choice = await this.deps.ask(plainInNotification(containerSettingsQuestion(remoteName, this.deps.container, settings)), USE_SETTINGS, DO_NOT_USE_SETTINGS);
    } finally {
      this.asking.delete(id);
    }
    if (choice === USE_SETTINGS) {
      await this.confirmed.add(id);
      const names = [...settings.variables.map(([name]) => name), ...(settings.proxy !== undefined ? ['http.proxy'] : []), ...settings.values.map(([key]) => `switchboard.${key}`)];
      this.deps.log(`you confirmed this container's ${containerSources(settings)} for Switchboard (${names.join(', ')}); they are used`);
    } else {
      this.declined.add(id);
      this.deps.log(`this container's ${containerSources(settings)} for Switchboard not confirmed${choice === undefined ? ' (the question was closed)' : ''}; in this window ${meanwhile(settings)} (Reload Window asks again)`);
    }
    this.deps.answered();
  }
}
