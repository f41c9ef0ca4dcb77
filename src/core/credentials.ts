import { existsSync } from 'node:fs';
import { awsHomeDir, awsSharedFilePath } from './awsSharedFiles';
import { hostKind } from './localAddress';

/**
 * Where API keys come from. The editor backs this with SecretStorage; the
 * CLI has none. Environment variables are the fallback in both.
 */
export interface KeyStore {
  get(providerId: string): Promise<string | undefined>;
}

// No prototype, as KEY_HOME (keyHost.ts): looked up by provider id.
export const API_KEY_ENV: Readonly<Record<string, string>> = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
}));

export async function findApiKey(
  providerId: string,
  env: NodeJS.ProcessEnv,
  keyStore?: KeyStore,
  envName = API_KEY_ENV[providerId],
): Promise<string | undefined> {
  const stored = (await keyStore?.get(providerId))?.trim();
  if (stored) return stored;
  const fromEnv = envName ? env[envName]?.trim() : undefined;
  return fromEnv || undefined;
}

/**
 * Whether the standard AWS credential chain has anything to work with,
 * checked without loading the AWS SDK (it is loaded only on first use).
 * A false positive only costs a fallback; a false negative would hide
 * Bedrock, so anything that could supply credentials counts.
 */
export function awsCredentialsLikely(env: NodeJS.ProcessEnv, profile: string, home = awsHomeDir(env)): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (profile || env.AWS_PROFILE) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    return true;
  }
  return existsSync(awsSharedFilePath(env, 'credentials', home)) || existsSync(awsSharedFilePath(env, 'config', home));
}

/**
 * Servers a user runs themselves (Ollama, LM Studio, vLLM, llama.cpp) need no
 * key: on this machine, or at an address only a private network reaches (a
 * GPU box on the LAN, a VPN peer, a container by its compose name), where
 * asking for a key would only make the user invent one. A key that is set is
 * still sent; a server that wants one answers 401 and is left out. The hosts
 * are core/localAddress.ts's, the same that answer links ask before opening
 * (loopback in every numeric form, 0.0.0.0, private, shared and link-local
 * ranges, IPv6 unique- and link-local, IPv4 inside IPv6, local names, one
 * label); by the host alone, with no DNS lookup (see localAddress.ts).
 */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return hostKind(host) !== undefined;
}
