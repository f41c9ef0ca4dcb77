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

/** Names only a local network resolves: mDNS, home routers, Docker's host, RFC 8375. */
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.lan', '.internal', '.home.arpa'];

/**
 * Servers a user runs themselves (Ollama, LM Studio, vLLM, llama.cpp) need no
 * key: on this machine, or at an address only a private network reaches (a
 * GPU box on the LAN, a VPN peer, a container by its compose name), where
 * asking for a key would only make the user invent one. A key that is set is
 * still sent; a server that wants one answers 401 and is left out.
 */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return true;
  if (host.startsWith('[')) return privateIpv6(host.slice(1, -1));
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)?.slice(1).map(Number);
  if (octets) return privateIpv4(octets);
  // A single-label name (`ollama`, `gpu-box`) resolves only through a local network or container DNS.
  return !host.includes('.');
}

/** Loopback, RFC 1918, shared address space 100.64/10 (carrier NAT, Tailscale), link-local. */
function privateIpv4([a = 0, b = 0]: number[]): boolean {
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

/**
 * Loopback, unique local fc00::/7, link-local fe80::/10, and an IPv4 address written IPv6-mapped
 * (`[::ffff:192.168.1.5]`, which URL turns into `[::ffff:c0a8:105]`) by the IPv4 rule (URL has already
 * lower-cased and compressed it).
 */
function privateIpv6(address: string): boolean {
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
    return privateIpv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  return address === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(address) || /^fe[89ab][0-9a-f]:/.test(address);
}
