// What `ask` and `complete` say when a provider refused the key they sent (a 401): the user has a key, and it is
// the wrong one (a typo, a revoked or expired key, a key for another server). Pointing them at a local server "with
// no key" would read as if no key had been found; what helps is which key, from where, and which server refused it.
import type { SwitchboardConfig } from '../core/config';
import { API_KEY_ENV } from '../core/credentials';
import { KEY_HOME } from '../core/keyHost';
import type { SettingNamer } from '../core/config/settingNamer';
import type { ProviderRegistry } from '../core/providerRegistry';
import { awsCredentialSource } from '../core/setupCheck';
import { shellWord } from './cliSupport';

/**
 * The providers among `asked` whose key was sent and refused during this run. A provider with a key starts usable;
 * only a refusal of that key (the registry's markRejected) leaves it out with its key still counted as found.
 */
export function refusedKeyProviders(registry: ProviderRegistry, asked: Iterable<string>): string[] {
  return [...new Set(asked)].filter((id) => {
    const status = registry.status(id);
    return status !== undefined && !status.usable && (status.keySource === 'environment' || status.keySource === 'stored') && status.kind !== 'bedrock';
  });
}

/** The host of `url`, or `url` itself when it is not one. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The host that refused `id`'s key: its server's, or the provider's own API host when none is set. */
function refusingHost(registry: ProviderRegistry, id: string): string {
  const baseUrl = registry.settingsFor(id)?.baseUrl;
  return baseUrl ? hostOf(baseUrl) : (KEY_HOME[id] ?? id);
}

/** "the API key from OPENAI_API_KEY": where a refused key came from, by the variable's name, never its value. */
function keySource(registry: ProviderRegistry, config: SwitchboardConfig, id: string): { words: string; variable: string | undefined } {
  const variable = config.providers.custom[id]?.apiKeyEnv ?? API_KEY_ENV[id];
  if (registry.status(id)?.keySource === 'stored') return { words: 'the API key stored in VS Code', variable: undefined };
  return { words: `the API key from ${variable ?? 'the environment'}`, variable };
}

/**
 * "(the API key from OPENAI_API_KEY, sent to 127.0.0.1:8080)", for the line said as a refused key's model fails and
 * the route goes on: when a fallback answers, that line is all the run says of the key. Empty when `id`'s key was
 * not refused (none was sent, or another auth failure).
 */
export function refusedKeyNote(registry: ProviderRegistry, config: SwitchboardConfig, id: string): string {
  if (refusedKeyProviders(registry, [id]).length === 0) return '';
  return ` (${keySource(registry, config, id).words}, sent to ${refusingHost(registry, id)})`;
}

/**
 * "the API key from OPENAI_API_KEY was refused by openai at 127.0.0.1:8080: …", one per provider in `refused`: where
 * the key came from (the variable's name, never a character of the key) and how to mend it.
 */
export function refusedKeyAdvice(registry: ProviderRegistry, config: SwitchboardConfig, refused: readonly string[]): string[] {
  return refused.map((id) => {
    const { words: source, variable } = keySource(registry, config, id);
    const fix = !variable
      ? 'store the right key for that server'
      : `check that ${variable} holds a current key for that server (not mistyped, revoked or expired) and set it again, or unset it to use another provider`;
    return `${source} was refused by ${id} at ${refusingHost(registry, id)}: ${fix}`;
  });
}

/** `switchboard doctor`, with the --config file this run read: it checks credentials without sending a prompt. */
export function doctorCommand(configFile: string | undefined): string {
  return `switchboard doctor${configFile ? ` --config ${shellWord(configFile)}` : ''}`;
}

/**
 * "the AWS credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY were refused by bedrock at …": Bedrock's
 * refusal (a 403 for a key it does not know or a wrong secret) with the link of the AWS chain that supplied them,
 * as doctor names it. Undefined unless a model of `attempts` failed so.
 */
export function refusedAwsAdvice(
  registry: ProviderRegistry,
  config: SwitchboardConfig,
  env: NodeJS.ProcessEnv,
  attempts: readonly { provider: string; error: string }[],
  settingName: SettingNamer,
): string | undefined {
  const refused = attempts.find((attempt) => registry.status(attempt.provider)?.kind === 'bedrock' && attempt.error.startsWith(`${attempt.provider} rejected the AWS credentials`));
  if (!refused) return undefined;
  const address = registry.settingsFor(refused.provider)?.address?.url;
  const at = address ? ` at ${hostOf(address)}` : '';
  const source = awsCredentialSource(config.providers.bedrock.profile, env, settingName);
  return `the AWS credentials from ${source} were refused by ${refused.provider}${at}: check they are current and of the account meant ("aws sts get-caller-identity" shows whose they are), or set others`;
}
