/**
 * Where a built-in provider's key may go. The OpenAI key (stored, or
 * OPENAI_API_KEY) was issued for api.openai.com and the Anthropic key for
 * api.anthropic.com; `providers.openai.baseUrl` can point the same adapter at
 * any server (a LAN Ollama, OpenRouter), and such a server must not receive
 * that key unless the user said so for that host (`providers.<id>.sendKeyTo`).
 * Pure: the registry applies it, the editor and the CLI phrase how to allow.
 */

/** The one host each built-in key belongs to. Custom providers are absent: their apiKeyEnv is chosen for their own host. */
// No prototype: a lookup by a provider id ("toString") finds only these entries, never Object.prototype's.
export const KEY_HOME: Readonly<Record<string, string>> = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, {
  openai: 'api.openai.com',
  anthropic: 'api.anthropic.com',
}));

export type KeyDestination =
  | { send: true }
  /** `host` as it is written in sendKeyTo to allow it. */
  | { send: false; host: string };

/**
 * Whether `provider`'s own key may be sent to `baseUrl`:
 *  - no baseUrl, or its own host over https: yes;
 *  - loopback (localhost, 127/8, ::1): yes, the user's own machine, where the key never crosses a network
 *    (and where the tests' fakes listen); a key sent there is as safe as the key in the user's own environment;
 *    not when `remoteLoopback` (a remote window, core/remoteWindow.ts: that loopback may be the repository's container);
 *  - a host the user listed in sendKeyTo: yes, over http too (that listing is the explicit allowance);
 *  - anything else, its own host over plain http included: no.
 * Providers without a home (custom ones) are not governed here.
 */
export function keyDestination(provider: string, baseUrl: string, sendKeyTo: readonly string[], where: { remoteLoopback?: boolean } = {}): KeyDestination {
  const home = KEY_HOME[provider];
  if (!home || baseUrl === '') return { send: true };
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // resolveConfig leaves an invalid baseUrl empty; anything else unreadable gets no key.
    return { send: false, host: baseUrl };
  }
  const host = url.hostname.toLowerCase();
  if (host === home && url.protocol === 'https:') return { send: true };
  // In a dev container the loopback is the container, running the repository's code: not the user's machine.
  if (isLoopbackHost(host) && !where.remoteLoopback) return { send: true };
  if (sendKeyTo.includes(host)) return { send: true };
  return { send: false, host };
}

/**
 * This machine only. IPv4-mapped forms (`[::ffff:127.0.0.1]`) are deliberately not recognised: a host
 * written that way is treated as a network host, which only withholds a key (the safe direction).
 */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether `url` (a baseUrl or endpoint) names this machine (isLoopbackHost); false when unset or unreadable. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return isLoopbackHost(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * A host as sendKeyTo holds it: lower case, no scheme, port or path, IPv6 in brackets. Undefined when
 * `value` is not one, so the setting can name the entry to fix.
 */
export function normalKeyHost(value: string): string | undefined {
  const text = value.trim().toLowerCase();
  const ipv6 = /^\[[0-9a-f:.]+\]$/.test(text);
  if (!text || /[/\\@?#%\s]/.test(text) || (!ipv6 && text.includes(':'))) return undefined;
  try {
    // URL writes an IPv6 address its own way ([::ffff:127.0.0.1] as [::ffff:7f00:1]), as keyDestination compares it;
    // any other name must come back unchanged, or it was not a plain host name.
    const host = new URL(`http://${text}/`).hostname;
    return ipv6 || host === text ? host : undefined;
  } catch {
    return undefined;
  }
}

/** The provider's name as users know it. */
export function keyLabel(provider: string): string {
  return provider === 'openai' ? 'OpenAI' : provider === 'anthropic' ? 'Anthropic' : provider;
}

/** What the user is told, in the editor and the CLI alike, before the way to allow it. */
export function withheldKeyWords(provider: string, host: string): string {
  return `Switchboard did not send your ${keyLabel(provider)} key to ${host}: it goes only to ${KEY_HOME[provider]} unless you allow that host`;
}

/** Where the user is asked: the editor has commands and User settings, the CLI a --config file. */
export type KeyAsker = 'editor' | 'cli';

/** How to let `provider`'s key go to `host`, in the words of where the user is. */
export function allowKeyHow(provider: string, host: string, asker: KeyAsker): string {
  const field = `providers.${provider}.sendKeyTo`;
  return asker === 'editor'
    ? `run "Switchboard: Allow Key for Host…" or add "${host}" to switchboard.${field} in your User settings`
    : `add "${host}" to ${field} in your --config file, e.g. {"providers": {"${provider}": {"sendKeyTo": ["${host}"]}}}`;
}
