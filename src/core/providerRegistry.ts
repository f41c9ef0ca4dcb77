import { OPENAI_BASE_URL_ENV, unconfirmedBaseUrlReason } from './envBaseUrl';
import type { SwitchboardConfig } from './config';
import { refusedKeyVariable } from './credentialEnv';
import { awsCredentialSource } from './awsCredentialSource';
import { awsConfiguredEndpoint, awsProfileRegion, readAwsSharedFiles, type AwsSharedFiles, type ConfiguredEndpoint } from './awsConfiguredEndpoint';
import { workspaceAwsFileReason } from './awsWorkspaceFiles';
import { API_KEY_ENV, awsCredentialsLikely, findApiKey, isLocalUrl, type KeyStore } from './credentials';
import { keyShapeProblem, keyShapeWords, otherVendorKey } from './keyShape';
import { KEY_HOME, allowKeyHow, keyDestination, keyLabel, withheldKeyWords } from './keyHost';
import { CUSTOM_HEADERS_ENV, customHeaderNames } from './providers/envHeaders';
import { bedrockEndpointUrl, bedrockWay, type BedrockWay } from './providers/bedrockProxy';
import type { BedrockAddress, ProviderAdapter, ProviderSettings } from './providers/provider';
import type { ProviderKind } from './types';
import { editorSettingName, type SettingNamer } from './config/settingNamer';

export interface ProviderStatus {
  id: string;
  kind: ProviderKind;
  usable: boolean;
  /** Why it is not usable, phrased as what to do about it. */
  reason?: string;
  /** Where its key came from, for the log: never the key itself. */
  keySource?: 'stored' | 'environment' | 'not needed';
  /** Left out for a setting's invalid value (a server URL), not for a missing key: fixed in the settings. */
  invalidSetting?: true;
  /** A key was found but not sent: its baseUrl's host is not the key's own and not allowed (core/keyHost.ts). */
  withheldKeyHost?: string;
  /**
   * A server on this machine or a private network asked without the key found, as its shape is a copying mistake
   * (core/keyShape.ts): what is wrong with it and what to set, for a 401 from that server.
   */
  malformedKey?: string;
  /** bedrock in a remote window: the environment variable naming an endpoint that is not used (core/remoteWindow.ts). */
  ignoredEndpoint?: string;
  /**
   * Set when a credential from the environment is all it lacks: what to set, `OPENAI_API_KEY` or AWS's, for a
   * message that lists each provider's in a few words (the CLI's, when nothing can answer).
   */
  needs?: string;
}

/** The AWS SDK's endpoint variable for Bedrock that is set, the service's own first (as the SDK reads them). */
function ignoredAwsEndpointVariable(env: NodeJS.ProcessEnv): string | undefined {
  return ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL'].find((name) => env[name]);
}

type AdapterFactory = (settings: ProviderSettings) => ProviderAdapter;

/**
 * SDKs load on first use, not at activation: each adapter is its own bundle
 * (see scripts/build.mjs), and these imports stay dynamic.
 */
const LOADERS: Record<ProviderKind, () => Promise<AdapterFactory>> = {
  openai: async () => (await import('./providers/openai')).createOpenAIProvider,
  anthropic: async () => (await import('./providers/anthropic')).createAnthropicProvider,
  bedrock: async () => (await import('./providers/bedrock')).createBedrockProvider,
};

/**
 * Knows every configured provider, whether it has credentials, and builds
 * its adapter on first use. Rebuilt state on `configure` (settings or keys
 * changed); adapters whose settings did not change are kept.
 */
export class ProviderRegistry {
  private settings = new Map<string, ProviderSettings>();
  /** The AWS profile's region when no setting or variable chose one (and so Bedrock's is the default): said, not used. */
  private bedrockProfileRegion: { value: string; from: string } | undefined;
  private statuses = new Map<string, ProviderStatus>();
  /** Custom providers whose apiKeyEnv names a built-in provider's variable: that vendor's host rule and field apply. */
  private namedKeys = new Map<string, { vendor: string; envName: string }>();
  /** The variable each keyed provider reads its key from (a custom one's apiKeyEnv), for advice when one is wanted. */
  private keyVariables = new Map<string, string | undefined>();
  private bedrockWayFound: BedrockWay = { via: 'direct', why: 'not configured yet' };
  private adapters = new Map<string, { fingerprint: string; adapter: Promise<ProviderAdapter> }>();

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly keyStore?: KeyStore,
    /** How the CLI names a --config key (`providers.bedrock.profile in team.jsonc`); the editor has its settings. */
    private readonly settingName?: SettingNamer,
  ) {}

  async configure(config: SwitchboardConfig): Promise<void> {
    const settings = new Map<string, ProviderSettings>();
    const statuses = new Map<string, ProviderStatus>();
    const namedKeys = new Map<string, { vendor: string; envName: string }>();
    const keyVariables = new Map<string, string | undefined>();
    const { openai, anthropic, bedrock, custom } = config.providers;

    const keyed = async (id: string, kind: 'openai' | 'anthropic', baseUrl: string, envName?: string, invalidSetting?: string, sendKeyTo: readonly string[] = [], invalidProblem?: string) => {
      keyVariables.set(id, envName);
      const stored = (await this.keyStore?.get(id))?.trim();
      // A custom provider naming a cloud or CI credential: never read, so no later branch can send it.
      const refusedVariable = !KEY_HOME[id] && envName ? refusedKeyVariable(envName, baseUrl, this.customField(id)) : undefined;
      const found = refusedVariable ? undefined : stored || (await findApiKey(id, this.env, undefined, envName));
      // A key pasted across lines: the SDK would put it in a header that fetch refuses, with an error quoting the
      // key, whose part after the break no redaction pattern recognises (it went to the ledger, the log, the status bar).
      // A key in quotes or after `NAME=` (a .env line) would only be refused, with a 401 that blames the key itself.
      const shapeProblem = found !== undefined ? keyShapeProblem(found) : undefined;
      const broken = shapeProblem !== undefined;
      // A custom provider whose apiKeyEnv names a built-in provider's variable (OPENAI_API_KEY) is given that
      // vendor's key, so the vendor's host rule applies: else a --config file could send the user's OpenAI key
      // to any host by naming the variable for a provider of its own.
      const vendor = KEY_HOME[id] ? undefined : Object.keys(API_KEY_ENV).find((builtIn) => API_KEY_ENV[builtIn] === envName);
      if (vendor && envName) namedKeys.set(id, { vendor, envName });
      // The vendor whose key this is decides: its sendKeyTo, and whether this window's loopback is the user's machine.
      const keyOwner = vendor ?? id;
      const vendorConfig = keyOwner === 'openai' || keyOwner === 'anthropic' ? config.providers[keyOwner] : undefined;
      const where = { remoteLoopback: vendorConfig?.remoteLoopback === true };
      const destination = vendor ? keyDestination(vendor, baseUrl, vendorConfig?.sendKeyTo ?? [], where) : keyDestination(id, baseUrl, sendKeyTo, where);
      const withheldKeyHost = found && !destination.send ? destination.host : undefined;
      const apiKey = broken || withheldKeyHost ? undefined : found;
      const local = baseUrl !== '' && isLocalUrl(baseUrl);
      const clearHeaders = customHeaderNames(this.env[CUSTOM_HEADERS_ENV[kind]]);
      const s: ProviderSettings = {
        id,
        kind,
        ...(baseUrl ? { baseUrl } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...(clearHeaders.length > 0 ? { clearHeaders } : {}),
      };
      settings.set(id, s);
      if (invalidSetting) {
        statuses.set(id, { id, kind, usable: false, invalidSetting: true, reason: invalidServerReason(id, invalidSetting, invalidProblem) });
      } else if (refusedVariable) {
        // Out altogether, a loopback server too: asking it without a key would hide that the setting is wrong.
        statuses.set(id, { id, kind, usable: false, invalidSetting: true, reason: refusedVariable });
      } else if (broken) {
        const where = stored ? 'stored' : envName ? `in ${envName}` : 'found';
        const words = `the ${id} API key ${where} ${keyShapeWords(shapeProblem!, stored ? undefined : envName)}`;
        // A server of the user's own often needs no key (Ollama): asked without it; a 401 then names the key's mistake.
        statuses.set(id, local ? { id, kind, usable: true, keySource: 'not needed', malformedKey: words } : { id, kind, usable: false, reason: words });
      } else if (apiKey) {
        statuses.set(id, { id, kind, usable: true, keySource: stored ? 'stored' : 'environment' });
      } else if (withheldKeyHost && local) {
        // A server on a private network often needs no key (Ollama): asked without one; a refusal says why (markRejected).
        statuses.set(id, { id, kind, usable: true, keySource: 'not needed', withheldKeyHost });
      } else if (withheldKeyHost) {
        // A public host nearly always wants a key: said now, before a request that could only be refused.
        statuses.set(id, { id, kind, usable: false, withheldKeyHost, reason: this.withheldReason(id, withheldKeyHost, namedKeys.get(id)) });
      } else if (local) {
        statuses.set(id, { id, kind, usable: true, keySource: 'not needed' });
      } else {
        // A custom provider's key comes only from the variable its apiKeyEnv names: without one, say where to name it.
        const where = envName ? `set ${envName}` : `set providers.custom["${id}"].apiKeyEnv to the environment variable that holds it`;
        statuses.set(id, {
          id,
          kind,
          usable: false,
          ...(envName ? { needs: envName } : {}),
          // Only the editor has a key store to offer; the CLI reads keys from the environment alone.
          reason: API_KEY_ENV[id] && this.keyStore ? `no ${id} API key: ${where} or store one with "Switchboard: Set ${keyLabel(id)} API Key"` : `no ${id} API key: ${where}`,
        });
      }
      return s;
    };

    await keyed('openai', 'openai', openai.baseUrl, API_KEY_ENV.openai, openai.invalidSetting, openai.sendKeyTo, openai.invalidProblem);
    // A remote window's OPENAI_BASE_URL the user has not confirmed: out, rather than sent to api.openai.com instead.
    if (openai.unconfirmedBaseUrl) statuses.set('openai', { id: 'openai', kind: 'openai', usable: false, invalidSetting: true, reason: unconfirmedBaseUrlReason(openai.unconfirmedBaseUrl) });
    await keyed('anthropic', 'anthropic', anthropic.baseUrl, API_KEY_ENV.anthropic, anthropic.invalidSetting, anthropic.sendKeyTo);
    for (const [id, entry] of Object.entries(custom)) {
      const s = await keyed(id, entry.type, entry.baseUrl, entry.apiKeyEnv);
      if (entry.fim) s.fim = true;
      if (entry.gateway) s.gateway = entry.gateway;
    }

    // From the injected environment, as keys are: the adapter never reads process.env itself.
    const region = bedrock.region || this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION || 'us-east-1';
    // The AWS profile's region (`aws configure` writes one) is not used: the default routes' Bedrock models are `us.`
    // inference profiles, which another region refuses. Kept to be said where the region is (doctor, Check Setup).
    const chosen = bedrock.region || this.env.AWS_REGION || this.env.AWS_DEFAULT_REGION;
    // The shared AWS files, read at most once here however many of the lookups below want them.
    let awsFilesRead: Promise<AwsSharedFiles> | undefined;
    const awsFiles = () => (awsFilesRead ??= readAwsSharedFiles(this.env));
    this.bedrockProfileRegion = chosen || bedrock.workspaceAwsFile ? undefined : await awsProfileRegion(this.env, bedrock.profile || undefined, await awsFiles());
    // An endpoint the user set is theirs; the SDK's own sources are not, in a remote window, for Bedrock nor for the
    // STS and SSO requests of its credential chain (which the user's Bedrock endpoint does not cover).
    const ignoreConfiguredEndpoints = Boolean(bedrock.remoteWindow);
    // The SDK's own sources (variables, a profile's endpoint_url) as the SDK reads them, so that a failure names the
    // address actually tried.
    // A workspace's AWS file is not read, by the SDK nor here (core/awsWorkspaceFiles.ts): Bedrock is left out below.
    const configured = bedrock.endpoint || ignoreConfiguredEndpoints || bedrock.workspaceAwsFile ? undefined : await awsConfiguredEndpoint(this.env, await awsFiles());
    const endpoint = bedrock.endpoint || configured?.url;
    const endpointUrl = bedrockEndpointUrl(endpoint, region);
    this.bedrockWayFound = bedrockWay(endpointUrl, this.env, bedrock.editorProxy);
    const address = endpointUrl && this.bedrockAddress(endpointUrl, region, { endpoint: bedrock.endpoint, region: bedrock.region }, configured);
    // Said when a request's wait for credentials outlasts its first-token limit. A workspace's AWS file is not read.
    const profileSetting = this.keyStore ? 'switchboard.providers.bedrock.profile' : this.cliSetting('providers.bedrock.profile', 'a --config file');
    const credentialSource = bedrock.workspaceAwsFile ? undefined : await awsCredentialSource(this.env, bedrock.profile || undefined, profileSetting, await awsFiles());
    const bedrockSettings: ProviderSettings = {
      id: 'bedrock',
      kind: 'bedrock',
      region,
      ...(bedrock.endpoint ? { endpoint: bedrock.endpoint } : {}),
      ...(bedrock.profile ? { profile: bedrock.profile } : {}),
      ...(credentialSource ? { credentialSource } : {}),
      ...(address ? { address } : {}),
      ...(ignoreConfiguredEndpoints ? { ignoreConfiguredEndpoints: true as const } : {}),
      ...(this.bedrockWayFound.via === 'proxy' ? { proxy: this.bedrockWayFound.proxy } : {}),
    };
    const ignoredEndpoint = ignoreConfiguredEndpoints && !bedrock.endpoint ? ignoredAwsEndpointVariable(this.env) : undefined;
    settings.set('bedrock', bedrockSettings);
    statuses.set(
      'bedrock',
      bedrock.invalidSetting
        ? { id: 'bedrock', kind: 'bedrock', usable: false, invalidSetting: true, reason: invalidServerReason('bedrock', bedrock.invalidSetting) }
        : bedrock.workspaceAwsFile
        ? { id: 'bedrock', kind: 'bedrock', usable: false, invalidSetting: true, reason: workspaceAwsFileReason(bedrock.workspaceAwsFile) }
        : awsCredentialsLikely(this.env, bedrock.profile)
        ? { id: 'bedrock', kind: 'bedrock', usable: true, keySource: 'environment', ...(ignoredEndpoint ? { ignoredEndpoint } : {}) }
        : {
            id: 'bedrock',
            kind: 'bedrock',
            usable: false,
            needs: 'AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
            reason: this.noAwsCredentialsReason(),
          },
    );

    this.settings = settings;
    this.statuses = statuses;
    this.namedKeys = namedKeys;
    this.keyVariables = keyVariables;
    for (const [id, entry] of this.adapters) {
      const current = settings.get(id);
      if (!current || fingerprint(current) !== entry.fingerprint) {
        this.adapters.delete(id);
        void entry.adapter.then((adapter) => adapter.dispose?.(), () => undefined);
      }
    }
  }

  /** Closes the connections every loaded SDK keeps open (the window or the CLI run ends). */
  async dispose(): Promise<void> {
    const adapters = [...this.adapters.values()];
    this.adapters.clear();
    for (const entry of adapters) (await entry.adapter.catch(() => undefined))?.dispose?.();
  }

  /**
   * The provider refused its key (401): it is left out until the settings or
   * keys change (configure runs again), instead of failing every request.
   */
  markRejected(id: string, message: string): void {
    const status = this.statuses.get(id);
    if (!status) return;
    // Asked without a key (none set, a server on this machine or a private network): the message says which to set.
    if (status.keySource === 'not needed' && !status.withheldKeyHost) {
      this.statuses.set(id, { ...status, usable: false, reason: message });
      return;
    }
    // Refused without the key Switchboard kept back: a new key would not help, allowing the host would.
    const reason = status.withheldKeyHost ? this.withheldReason(id, status.withheldKeyHost, this.namedKeys.get(id)) : `${message}; store a new key or fix the environment variable`;
    this.statuses.set(id, { ...status, usable: false, reason });
  }

  /**
   * Why `id`'s key was not sent and how to allow it, when Switchboard keeps it from `id`'s server (a private
   * network's host, or a remote window's loopback not yet allowed); undefined when its key is sent or there is none.
   */
  withheldKeyReason(id: string): string | undefined {
    const host = this.statuses.get(id)?.withheldKeyHost;
    return host === undefined ? undefined : this.withheldReason(id, host, this.namedKeys.get(id));
  }

  /**
   * How to give `id` a key, for a server that asked for one when none was set: its variable, and in the editor
   * the command that stores one.
   */
  keyAdvice(id: string): string {
    const envName = this.keyVariables.get(id);
    const where = envName ? `set ${envName}` : `name the variable that holds it in ${this.customField(id)}`;
    return API_KEY_ENV[id] && this.keyStore ? `${where} or store one with "Switchboard: Set ${keyLabel(id)} API Key"` : where;
  }

  /**
   * For a refused key: "the key in OPENAI_API_KEY looks like an Anthropic key (sk-ant-…): set it as
   * ANTHROPIC_API_KEY", when `id`'s key (its own variable's or stored) has the other built-in vendor's shape; else
   * undefined. Never a character of the key.
   */
  otherVendorKeyNote(id: string): string | undefined {
    const key = this.settings.get(id)?.apiKey;
    const other = key && API_KEY_ENV[id] ? otherVendorKey(id, key) : undefined;
    if (!other) return undefined;
    const status = this.statuses.get(id);
    const where = status?.keySource === 'stored' ? `the key stored for ${keyLabel(id)}` : `the key in ${API_KEY_ENV[id]}`;
    const shape = other === 'anthropic' ? 'an Anthropic key (sk-ant-…)' : 'an OpenAI key (Anthropic keys start with sk-ant-)';
    const move = this.keyStore ? `store it with "Switchboard: Set ${keyLabel(other)} API Key" or set ${API_KEY_ENV[other]}` : `set it as ${API_KEY_ENV[other]}`;
    return `${where} looks like ${shape}: ${move}`;
  }

  /**
   * Why a kept-back key matters, and how to allow it: a command in the editor (it has a key store), a config field
   * in the CLI. `named`: a custom provider `id` whose apiKeyEnv names `vendor`'s variable; the field is the vendor's,
   * and the Allow command (which allows the vendor's own provider) is not offered for it.
   */
  private withheldReason(id: string, host: string, named?: { vendor: string; envName: string }): string {
    const asker = this.keyStore ? 'editor' : 'cli';
    const how = named && asker === 'editor'
      ? `add "${host}" to switchboard.providers.${named.vendor}.sendKeyTo in your User settings`
      : allowKeyHow(named?.vendor ?? id, host, asker);
    const words = named
      ? `Switchboard did not send ${named.envName} (your ${keyLabel(named.vendor)} key) to ${host} for providers.custom["${id}"]: it goes only to ${KEY_HOME[named.vendor]} unless you allow that host`
      : withheldKeyWords(id, host);
    return `${words}; ${how}`;
  }

  /**
   * What to do without AWS credentials, in the words of where the user reads it: the editor has its setting, the CLI
   * its environment and --config file (the CLI has no key store). The environment comes first in both: it is how
   * the AWS tools are set up, and both read it.
   */
  private noAwsCredentialsReason(): string {
    const profile = this.keyStore ? 'set switchboard.providers.bedrock.profile in your settings' : `set ${this.cliSetting('providers.bedrock.profile', 'a --config file')}`;
    return `no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; run "aws sso login" for SSO; or ${profile}`;
  }

  /** A custom provider's apiKeyEnv as the user finds it: a User setting in the editor, a --config file's field in the CLI. */
  private customField(id: string): string {
    return this.keyStore ? `switchboard.providers.custom["${id}"].apiKeyEnv` : this.cliSetting(`providers.custom["${id}"].apiKeyEnv`, 'your --config file');
  }

  /**
   * Where Bedrock's requests go and what set that, for its connection failures: the endpoint setting, the AWS
   * variable, or (AWS's own endpoint) the region's setting or variable, or the default region and the setting to change it.
   */
  private bedrockAddress(url: URL, region: string, set: { endpoint: string; region: string }, configured: ConfiguredEndpoint | undefined): BedrockAddress {
    const shown = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    const setting = (key: string) => this.settingName?.(key) ?? editorSettingName(key);
    if (set.endpoint) return { url: shown, from: setting('providers.bedrock.endpoint') };
    if (configured) return { url: shown, from: configured.from };
    const regionFrom = set.region
      ? setting('providers.bedrock.region')
      : ['AWS_REGION', 'AWS_DEFAULT_REGION'].find((name) => this.env[name]) ?? `the default; set ${setting('providers.bedrock.region')}`;
    return { url: shown, from: regionFrom, region };
  }

  /** A --config key where the CLI reads it: in the file given when the CLI said which, else in `somewhere`. */
  private cliSetting(key: string, somewhere: string): string {
    return this.settingName?.(key) ?? `${key} in ${somewhere}`;
  }

  /** The AWS profile's region and the file it is in, when Bedrock's region is the default; else undefined. */
  profileRegion(): { value: string; from: string } | undefined {
    return this.bedrockProfileRegion;
  }

  status(id: string): ProviderStatus | undefined {
    return this.statuses.get(id);
  }

  allStatuses(): ProviderStatus[] {
    return [...this.statuses.values()];
  }

  settingsFor(id: string): ProviderSettings | undefined {
    return this.settings.get(id);
  }

  /** Which way Bedrock's requests go, through a proxy or direct, and why (core/providers/bedrockProxy.ts). */
  bedrockWay(): BedrockWay {
    return this.bedrockWayFound;
  }

  /** Why each provider left out for an invalid setting is out (the setting named), in configuration order. */
  invalidSettingReasons(): string[] {
    return [...this.statuses.values()].filter((status) => status.invalidSetting && status.reason).map((status) => status.reason!);
  }

  /**
   * The providers out only because their key was kept back from their host (a public host left out before any
   * request, or a server that refused to answer without the key): allowing the host is the fix, not a new key.
   */
  withheldKeys(): { provider: string; host: string; reason: string }[] {
    return [...this.statuses.values()]
      // A custom provider given a built-in key is allowed through that vendor's field (its reason says which), not here.
      .filter((status) => !status.usable && status.withheldKeyHost && KEY_HOME[status.id])
      .map((status) => ({ provider: status.id, host: status.withheldKeyHost!, reason: status.reason ?? withheldKeyWords(status.id, status.withheldKeyHost!) }));
  }

  anyUsable(): boolean {
    for (const status of this.statuses.values()) if (status.usable) return true;
    return false;
  }

  /**
   * The host `id`'s requests go to: its baseUrl's, Bedrock's endpoint's (set, or the region's), or the vendor's own
   * API when no baseUrl is set; undefined for a provider not configured. Named by a message about its connection.
   */
  dialledHost(id: string): string | undefined {
    const settings = this.settings.get(id);
    if (!settings) return undefined;
    const url = settings.address?.url ?? settings.baseUrl;
    if (!url) return KEY_HOME[id];
    try {
      // An IPv6 address as a socket names it: without the URL's brackets.
      return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1') || undefined;
    } catch {
      return undefined;
    }
  }

  /** The adapter for a provider, loading its SDK the first time. */
  adapter(id: string): Promise<ProviderAdapter> {
    const settings = this.settings.get(id);
    if (!settings) return Promise.reject(new Error(`unknown provider "${id}"`));
    const print = fingerprint(settings);
    const cached = this.adapters.get(id);
    if (cached && cached.fingerprint === print) return cached.adapter;
    const adapter = LOADERS[settings.kind]().then((create) => create(settings));
    // A failed load (e.g. a broken install) must not stick: try again next time.
    adapter.catch(() => this.adapters.delete(id));
    this.adapters.set(id, { fingerprint: print, adapter });
    return adapter;
  }
}

function invalidServerReason(id: string, setting: string, problem = 'is not an http(s) URL'): string {
  // The environment variable is not in any settings file: say what it is, so the user looks in the right place.
  const fix = setting === OPENAI_BASE_URL_ENV ? ' (the environment variable: correct or unset it where it is exported; a Switchboard baseUrl setting comes first)' : '';
  return `${setting} ${problem}: nothing goes to ${id} until it is fixed${fix}`;
}

function fingerprint(settings: ProviderSettings): string {
  return JSON.stringify(settings);
}
