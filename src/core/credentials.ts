import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where API keys come from. The editor backs this with SecretStorage; the
 * CLI has none. Environment variables are the fallback in both.
 */
export interface KeyStore {
  get(providerId: string): Promise<string | undefined>;
}

export const API_KEY_ENV: Readonly<Record<string, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

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
export function awsCredentialsLikely(env: NodeJS.ProcessEnv, profile: string, home = homedir()): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (profile || env.AWS_PROFILE) return true;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    return true;
  }
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const config = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  return existsSync(credentials) || existsSync(config);
}

/** Local and self-hosted endpoints (Ollama, LM Studio, vLLM, llama.cpp) need no key. */
export function isLocalUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1' || host.endsWith('.localhost');
  } catch {
    return false;
  }
}
