/**
 * What a new user asks in the first hour: is each provider set up, where did its key and server come from, does it
 * answer, which routes name a provider that cannot be used, can the ledger be written, what do the budgets say.
 * `switchboard doctor` prints it; nothing here imports `vscode`, so the editor can reuse it. No key is ever read
 * into the report: only which variable or store held one.
 */
import type { SwitchboardConfig } from './config';
import { API_KEY_ENV } from './credentials';
import { OPENAI_BASE_URL_ENV } from './envBaseUrl';
import { redactUrl } from './redactUrl';
import { formatModelRef } from './modelRef';
import { isProviderError, KEY_REJECTED_WORDS } from './providers/providerError';
import type { ProviderRegistry, ProviderStatus } from './providerRegistry';
import { splitUrlCredentials } from './providers/urlCredentials';
import { TASKS, type Task } from './types';

/** The servers the SDKs use when no setting names one. */
const DEFAULT_SERVERS: Readonly<Record<string, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/** How long one provider may take to answer the check: a server that is loading a model is slow, a dead one is not. */
export const CHECK_TIMEOUT_MS = 10_000;

/** Where a value came from. */
export type Origin = 'setting' | 'environment' | 'default';

export interface ProviderCheck {
  id: string;
  kind: string;
  /** Whether the router would send it requests (credentials found, settings valid). */
  usable: boolean;
  /** Where its credentials come from ("OPENAI_API_KEY is set"), or why there are none: never the key itself. */
  credentials: string;
  server: { url: string; from: Origin; name: string };
  /** Bedrock only. */
  /** `note`: the AWS profile names another region, which is not used (said with how to use it). */
  region?: { value: string; from: Origin; name: string; note?: string };
  /** The free call's outcome: answered (what it found) or not (why), or not asked (why not). */
  answer: { state: 'ok'; detail: string; ms: number } | { state: 'failed'; detail: string; ms: number } | { state: 'not asked'; detail: string };
}

export interface RouteProblem {
  task: Task;
  model: string;
  problem: string;
  /** Its provider answered, but its server does not list the model (a local server's models are not OpenAI's). */
  unlisted?: true;
}

export interface SetupReport {
  providers: ProviderCheck[];
  /** Route entries whose provider cannot be used or did not answer. */
  routes: RouteProblem[];
  /** Tasks none of whose route's models can be used: no request of that task can be made. */
  deadTasks: Task[];
  /** Each task's route: how many models it names and the first that can be used (what a request would try first). */
  tasks: { task: Task; models: number; firstUsable: string | null }[];
  /** Whether any provider answered: with none, nothing can. */
  anyAnswered: boolean;
}

export interface SetupCheckOptions {
  config: SwitchboardConfig;
  /** Configured with `config`. */
  registry: ProviderRegistry;
  env: NodeJS.ProcessEnv;
  /** How a setting is named where the user reads this: `switchboard.x` in the editor, `x in FILE` for the CLI. */
  settingName: (key: string) => string;
  timeoutMs?: number;
}

/** Checks every provider (at once: a dead server must not hold up the others) and the routes that use them. */
export async function checkSetup(options: SetupCheckOptions): Promise<SetupReport> {
  const { config, registry } = options;
  const listed = new Map<string, ReadonlySet<string>>();
  const providers = await Promise.all(registry.allStatuses().map((status) => checkProvider(status, options, listed)));
  const byId = new Map(providers.map((check) => [check.id, check]));
  const routes: RouteProblem[] = [];
  const deadTasks: Task[] = [];
  const tasks: SetupReport['tasks'] = [];
  for (const task of TASKS) {
    let firstUsable: string | null = null;
    for (const ref of config.routes[task]) {
      const check = byId.get(ref.provider);
      const problem = !check
        ? `no provider "${ref.provider}" is configured`
        : !check.usable
          ? `${ref.provider} cannot be used: ${check.credentials}`
          : check.answer.state === 'failed'
            ? `${ref.provider} did not answer: ${check.answer.detail}`
            : undefined;
      const served = listed.get(ref.provider);
      if (problem) routes.push({ task, model: formatModelRef(ref), problem });
      else if (served && !served.has(ref.model)) {
        // The trap of the first hour with Ollama: the server answers, the defaults name OpenAI's models, and the
        // first request gets "model not found". Said here, before it is asked.
        routes.push({ task, model: formatModelRef(ref), problem: `${ref.provider}'s server (${check!.server.url}) does not list ${ref.model}: a request would be answered "model not found"`, unlisted: true });
      } else firstUsable ??= formatModelRef(ref);
    }
    if (firstUsable === null) deadTasks.push(task);
    tasks.push({ task, models: config.routes[task].length, firstUsable });
  }
  return { providers, routes, deadTasks, tasks, anyAnswered: providers.some((check) => check.answer.state === 'ok') };
}

/** `listed` gets the ids the provider's server lists, when its check returns them all. */
async function checkProvider(status: ProviderStatus, options: SetupCheckOptions, listed: Map<string, ReadonlySet<string>>): Promise<ProviderCheck> {
  const base = {
    id: status.id,
    kind: status.kind,
    usable: status.usable,
    credentials: credentialsOf(status, options),
    server: serverOf(status, options),
    ...(status.kind === 'bedrock' ? { region: regionOf(options) } : {}),
  };
  if (!status.usable) return { ...base, answer: { state: 'not asked', detail: 'not usable' } };
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const adapter = await options.registry.adapter(status.id);
    if (!adapter.check) return { ...base, answer: { state: 'not asked', detail: 'no free request to make' } };
    const found = await adapter.check(AbortSignal.timeout(options.timeoutMs ?? CHECK_TIMEOUT_MS));
    if (found.models) listed.set(status.id, new Set(found.models));
    return { ...base, answer: { state: 'ok', detail: found.detail, ms: ms() } };
  } catch (error) {
    // Adapters reject with ProviderErrors, already worded and redacted.
    const detail = error instanceof Error ? error.message : String(error);
    // Refused without the key Switchboard kept back (a remote window's loopback, a private network's host): the
    // adapter's "rejected its API key" would be untrue, none was sent, and send the user to replace a good key.
    const withheld = withheldKeyRefusal(status, error, options.registry);
    if (withheld) return { ...base, answer: { state: 'failed', detail: withheld, ms: ms() } };
    // The other vendor's key in this one's place: said beside the refusal, with where it belongs.
    const misplaced = detail.startsWith(`${status.id} ${KEY_REJECTED_WORDS}`) ? options.registry.otherVendorKeyNote(status.id) : undefined;
    return { ...base, answer: { state: 'failed', detail: misplaced ? `${detail}; ${misplaced}` : detail, ms: ms() } };
  }
}

/** What the answers line says of an auth refusal when the key was kept back, undefined for any other failure. */
function withheldKeyRefusal(status: ProviderStatus, error: unknown, registry: ProviderRegistry): string | undefined {
  // isProviderError, not instanceof: in the editor each adapter is its own bundle, with its own ProviderError class.
  if (status.withheldKeyHost === undefined || !isProviderError(error) || error.kind !== 'auth') return undefined;
  const how = registry.withheldKeyReason(status.id) ?? `the key is kept from ${status.withheldKeyHost}`;
  return `${status.id} answered ${error.status ?? 'an auth error'} without the key, which was not sent: ${how}`;
}

function credentialsOf(status: ProviderStatus, { config, env, settingName, registry }: SetupCheckOptions): string {
  if (status.kind === 'bedrock') {
    if (!status.usable) return status.reason ?? 'no AWS credentials';
    return awsCredentialSource(config.providers.bedrock.profile, env, settingName);
  }
  if (!status.usable) return status.reason ?? 'not usable';
  const envName = config.providers.custom[status.id]?.apiKeyEnv ?? API_KEY_ENV[status.id];
  const keyWords = status.keySource === 'stored' ? 'API key stored in VS Code (Set API Key…)' : `API key from ${envName ?? 'the environment'}`;
  // A user name and password in the address go as the one Authorization header (providers/urlCredentials.ts): a key
  // found as well is not sent, and naming its source as if it were would send someone chasing a 401 to the wrong one.
  const baseUrl = registry.settingsFor(status.id)?.baseUrl;
  if (baseUrl && splitUrlCredentials(baseUrl).authorization) {
    const sent = 'the user name and password in its baseUrl (Basic)';
    if (status.keySource === 'stored' || status.keySource === 'environment') {
      return `${sent}, not the ${keyWords}: the address's credentials take the one Authorization header, so the key is not sent`;
    }
    return sent;
  }
  switch (status.keySource) {
    case 'stored':
    case 'environment':
      return keyWords;
    default:
      if (status.withheldKeyHost) return `no key sent: a server on a private network, and the key is kept from ${status.withheldKeyHost}`;
      if (status.malformedKey) return `no key sent: a server on this machine or a private network, and ${status.malformedKey}`;
      return 'no key needed: a server on this machine or a private network';
  }
}

/** Which link of the AWS chain will supply credentials, as far as the environment says without resolving them. */
export function awsCredentialSource(profile: string, env: NodeJS.ProcessEnv, settingName: (key: string) => string): string {
  if (profile) return `AWS profile "${profile}" (${settingName('providers.bedrock.profile')})`;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY${env.AWS_SESSION_TOKEN ? ' (with AWS_SESSION_TOKEN)' : ''}`;
  if (env.AWS_PROFILE) return `AWS profile "${env.AWS_PROFILE}" (AWS_PROFILE)`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return 'web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)';
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return 'container credentials';
  return 'the AWS default profile (~/.aws/credentials or ~/.aws/config)';
}

/** Where a provider's requests go, as shown (doctor, Check Setup, --json): the URL's credentials masked. */
function serverOf(status: ProviderStatus, options: SetupCheckOptions): ProviderCheck['server'] {
  const server = serverWithCredentials(status, options);
  return { ...server, url: redactUrl(server.url) };
}

function serverWithCredentials(status: ProviderStatus, options: SetupCheckOptions): ProviderCheck['server'] {
  const { config, settingName } = options;
  const { id } = status;
  if (status.kind === 'bedrock') {
    const { endpoint } = config.providers.bedrock;
    if (endpoint) return { url: endpoint, from: 'setting', name: settingName('providers.bedrock.endpoint') };
    // An endpoint the AWS SDK takes from its own sources (AWS_ENDPOINT_URL, a profile's endpoint_url in ~/.aws), as
    // the registry read it: the address requests really go to, not the region's.
    const address = options.registry.settingsFor('bedrock')?.address;
    if (address && address.region === undefined) return { url: address.url, from: 'environment', name: address.from };
    const region = regionOf(options);
    return { url: `https://bedrock-runtime.${region.value}.amazonaws.com`, from: 'default', name: 'the region\'s endpoint' };
  }
  const custom = config.providers.custom[id];
  if (custom) return { url: custom.baseUrl, from: 'setting', name: settingName(`providers.custom["${id}"].baseUrl`) };
  const entry = id === 'openai' ? config.providers.openai : config.providers.anthropic;
  if (entry.invalidSetting) return { url: '(invalid)', from: entry.invalidSetting === OPENAI_BASE_URL_ENV ? 'environment' : 'setting', name: entry.invalidSetting };
  if (id === 'openai' && config.providers.openai.baseUrlFrom) return { url: entry.baseUrl, from: 'environment', name: config.providers.openai.baseUrlFrom };
  if (entry.baseUrl) return { url: entry.baseUrl, from: 'setting', name: settingName(`providers.${id}.baseUrl`) };
  return { url: DEFAULT_SERVERS[id] ?? '', from: 'default', name: 'the default' };
}

/** As the registry resolves it: the setting, AWS_REGION, AWS_DEFAULT_REGION, the AWS profile's region, us-east-1. */
function regionOf({ config, env, settingName, registry }: Pick<SetupCheckOptions, 'config' | 'env' | 'settingName' | 'registry'>): NonNullable<ProviderCheck['region']> {
  const { region } = config.providers.bedrock;
  if (region) return { value: region, from: 'setting', name: settingName('providers.bedrock.region') };
  if (env.AWS_REGION) return { value: env.AWS_REGION, from: 'environment', name: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { value: env.AWS_DEFAULT_REGION, from: 'environment', name: 'AWS_DEFAULT_REGION' };
  // The AWS profile's own region (~/.aws/config, as `aws configure` writes it) is not used: said, with how to use it.
  const profile = registry.profileRegion();
  if (profile && profile.value !== 'us-east-1') {
    const setting = settingName('providers.bedrock.region');
    // The default routes' Bedrock ids are us. inference profiles, which a region outside the US refuses.
    const ids = profile.value.startsWith('us-') ? '' : ', and route to its inference profile ids (eu.…, apac.…) instead of the default routes\' us.…';
    const note = `the ${profile.from} is ${profile.value}, not used: to use it, set ${setting} or AWS_REGION to ${profile.value}${ids}`;
    return { value: 'us-east-1', from: 'default', name: 'the default', note };
  }
  return { value: 'us-east-1', from: 'default', name: 'the default' };
}

export interface ReportLineOptions {
  /** Each route entry that is out, with its provider's whole reason: long (the reason repeats per model), so asked for. */
  details: boolean;
  /** How to ask for the details, said under the summary when they are left out (`switchboard doctor --verbose`). */
  detailsHint?: string;
}

/** The report as lines for a terminal or an output channel. */
export function setupReportLines(report: SetupReport, options: ReportLineOptions = { details: true }): string[] {
  const lines: string[] = [];
  for (const check of report.providers) {
    lines.push(`${check.id}${check.kind !== check.id ? ` (${check.kind}-compatible)` : ''}: ${check.usable ? 'usable' : 'not usable'}`);
    lines.push(`  credentials: ${check.credentials}`);
    lines.push(`  server:      ${check.server.url} (${originWords(check.server)})`);
    if (check.region) lines.push(`  region:      ${check.region.value} (${originWords(check.region)}${check.region.note ? `; ${check.region.note}` : ''})`);
    const { answer } = check;
    lines.push(`  answers:     ${answer.state === 'ok' ? `yes, ${answer.detail} (${answer.ms} ms)` : answer.state === 'failed' ? `no: ${answer.detail} (${answer.ms} ms)` : `not asked (${answer.detail})`}`);
  }
  if (report.routes.length === 0) {
    lines.push('routes: every model named can be used');
    return lines;
  }
  lines.push(...routeSummaryLines(report));
  if (options.details) {
    lines.push('routes naming a provider that cannot answer:');
    lines.push(...routeDetailLines(report.routes));
  } else if (options.detailsHint) lines.push(`  (${options.detailsHint})`);
  return lines;
}

/**
 * A line per task: the model a request would try first, and the models that are out grouped by their provider,
 * whose reason the provider's own lines above give. Listing each model with its reason repeats one missing key
 * nine times with the defaults, which hides the one line that matters.
 */
function routeSummaryLines(report: SetupReport): string[] {
  const width = Math.max(...report.tasks.map(({ task }) => task.length)) + 1;
  const byId = new Map(report.providers.map((check) => [check.id, check]));
  const lines = ['routes:'];
  for (const { task, models, firstUsable } of report.tasks) {
    const out = report.routes.filter((entry) => entry.task === task);
    const label = `${task}:`.padEnd(width);
    if (out.length === 0) {
      lines.push(`  ${label} ${firstUsable} first; ${models === 1 ? 'its one model' : `all ${models} models`} can be used`);
      continue;
    }
    const providers = [...new Set(out.map((entry) => entry.model.slice(0, entry.model.indexOf(':'))))];
    const why = providers.map((id) => `${id}: ${providerState(byId.get(id), out.filter((entry) => entry.model.startsWith(`${id}:`)))}`).join('; ');
    const counted = out.length < models ? `${out.length} of ${models} models out` : models === 1 ? 'its one model out' : `all ${models} models out`;
    lines.push(firstUsable === null ? `  ${label} no request can be made: ${counted} (${why})` : `  ${label} ${firstUsable} first; ${counted} (${why})`);
  }
  return lines;
}

/**
 * Each reason once, with the route entries it takes out under it: with no provider set up, the defaults name nine
 * models on two providers, and a line per model repeated each provider's reason four or five times. A model its
 * server does not list has a reason of its own, so it stays on a line of its own.
 */
function routeDetailLines(routes: readonly RouteProblem[]): string[] {
  const byProblem = new Map<string, RouteProblem[]>();
  for (const entry of routes) byProblem.set(entry.problem, [...(byProblem.get(entry.problem) ?? []), entry]);
  const lines: string[] = [];
  for (const [problem, entries] of byProblem) {
    lines.push(`  ${problem}`);
    for (const task of new Set(entries.map((entry) => entry.task))) {
      lines.push(`    ${task}: ${entries.filter((entry) => entry.task === task).map((entry) => entry.model).join(', ')}`);
    }
  }
  return lines;
}

/** Why a provider's models are out, in a word: its own lines, printed above, say the rest. */
function providerState(check: ProviderCheck | undefined, out: readonly RouteProblem[]): string {
  if (!check) return 'no such provider configured';
  if (!check.usable) return 'not usable';
  if (check.answer.state === 'failed') return 'did not answer';
  return `its server does not list ${out.map((entry) => entry.model.slice(entry.model.indexOf(':') + 1)).join(', ')}`;
}

function originWords({ from, name }: { from: Origin; name: string }): string {
  return from === 'default' ? 'default' : `from ${name}`;
}
