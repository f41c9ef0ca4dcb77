import type { TunnelProxy } from './proxyTunnel';

/**
 * Which way Bedrock's requests go. Its client speaks HTTP/2 by default, which no proxy support covers (not Node's
 * env proxy, not VS Code's: microsoft/vscode#310124), so where a proxy applies to its endpoint the adapter switches
 * to the SDK's HTTP/1.1 handler over a CONNECT tunnel (proxyTunnel.ts); elsewhere it keeps HTTP/2 and goes direct,
 * as before. "Applies" follows what OpenAI's and Anthropic's requests get in the same process:
 *
 * - the CLI (plain Node): Node's fetch under NODE_USE_ENV_PROXY=1 (or --use-env-proxy), which reads the variables
 *   as proxyVariable() says, and no_proxy/NO_PROXY;
 * - the editor: VS Code's proxy support, which patches the extension host's `https` module (the one the HTTP/1.1
 *   handler calls, `node:https` included): `http.proxy`, else the same variables, unless `http.noProxy` or NO_PROXY
 *   names the host; nothing under `http.proxySupport: "off"`. Under "override", VS Code's default, VS Code puts
 *   its own proxy agent in place of the tunnel (its proxy resolution, proxy authentication and certificates
 *   apply); the tunnel serves where VS Code keeps an extension's agent ("on", "fallback", a localhost endpoint).
 */
export type BedrockWay =
  | { via: 'proxy'; proxy: TunnelProxy }
  /** `why`: what sends it direct, in words for `switchboard doctor`. */
  | { via: 'direct'; why: string };

/** VS Code's proxy settings as the user set them: a workspace does not choose where requests go. */
export interface EditorProxySettings {
  /** `http.proxySupport`: "override", "fallback", "on" or "off". */
  support: string;
  /** `http.proxy`; empty when not set. */
  url: string;
  /** `http.noProxy`. */
  noProxy: readonly string[];
}

/** Whether Node's fetch, in this process, reads the proxy variables (Node 24: NODE_USE_ENV_PROXY=1 or --use-env-proxy). */
export function nodeUsesEnvProxy(env: NodeJS.ProcessEnv, execArgv: readonly string[] = process.execArgv): boolean {
  return env.NODE_USE_ENV_PROXY === '1' || execArgv.includes('--use-env-proxy') || /(^|\s)--use-env-proxy(\s|$)/.test(env.NODE_OPTIONS ?? '');
}

/**
 * The proxy variable for a URL of `protocol`, as Node's fetch (undici's EnvHttpProxyAgent) picks it, measured on
 * Node 24.22: lower case first, a variable set empty counting as set; an https URL takes https_proxy/HTTPS_PROXY,
 * else http_proxy/HTTP_PROXY; an http URL only the latter.
 */
export function proxyVariable(env: NodeJS.ProcessEnv, protocol: string): { name: string; url: string } | undefined {
  const pick = (names: string[]) => {
    const name = names.find((candidate) => env[candidate] !== undefined);
    const url = name ? env[name]!.trim() : '';
    return name && url ? { name, url } : undefined;
  };
  const http = () => pick(['http_proxy', 'HTTP_PROXY']);
  return protocol === 'https:' ? (pick(['https_proxy', 'HTTPS_PROXY']) ?? http()) : http();
}

/** NO_PROXY's entries, as Node's fetch reads it (no_proxy first), split at commas and spaces. */
export function noProxyEntries(env: NodeJS.ProcessEnv): string[] {
  return (env.no_proxy ?? env.NO_PROXY ?? '').split(/[\s,]+/).filter(Boolean);
}

/**
 * Whether a bypass list names `url`'s host: `*` names every host; `example.com`, `.example.com` and
 * `*.example.com` name that domain and its subdomains; `host:port` (`[::1]:port`) that port only.
 */
export function bypassed(url: URL, entries: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return entries.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '*') return true;
    const { name, entryPort } = splitEntry(entry);
    if (!name || (entryPort !== undefined && entryPort !== port)) return false;
    const domain = name.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

function splitEntry(entry: string): { name: string; entryPort?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, ...(bracketed[2] ? { entryPort: bracketed[2] } : {}) };
  // One colon: host:port. More: a bare IPv6 address, with no port.
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1]!, entryPort: withPort[2]! } : { name: entry };
}

/** The URL the Bedrock client sends to: the endpoint set, else the region's runtime endpoint. */
export function bedrockEndpointUrl(endpoint: string | undefined, region: string): URL | undefined {
  try {
    return new URL(endpoint || `https://bedrock-runtime.${region}.amazonaws.com`);
  } catch {
    return undefined;
  }
}

/** Which way Bedrock's requests to `endpoint` go (see the top of this file); `editor` in the editor, absent in the CLI. */
export function bedrockWay(endpoint: URL | undefined, env: NodeJS.ProcessEnv, editor?: EditorProxySettings, execArgv: readonly string[] = process.execArgv): BedrockWay {
  if (!endpoint) return { via: 'direct', why: 'its endpoint is not a URL' };
  const variable = proxyVariable(env, endpoint.protocol);
  let chosen: TunnelProxy;
  if (editor) {
    if (editor.support === 'off') return { via: 'direct', why: 'http.proxySupport is "off"' };
    const url = editor.url.trim();
    if (!url && !variable) return { via: 'direct', why: `neither http.proxy nor ${endpoint.protocol === 'https:' ? 'HTTPS_PROXY nor HTTP_PROXY' : 'HTTP_PROXY'} is set` };
    chosen = url ? { url, from: 'http.proxy' } : { url: variable!.url, from: variable!.name };
    if (bypassed(endpoint, [...editor.noProxy, ...noProxyEntries(env)])) return { via: 'direct', why: `http.noProxy or NO_PROXY names ${endpoint.hostname}` };
  } else {
    if (!nodeUsesEnvProxy(env, execArgv)) return { via: 'direct', why: 'Node reads the proxy variables only under NODE_USE_ENV_PROXY=1' };
    if (!variable) return { via: 'direct', why: endpoint.protocol === 'https:' ? 'neither HTTPS_PROXY nor HTTP_PROXY is set' : `HTTP_PROXY is not set, and its endpoint is http` };
    chosen = { url: variable.url, from: variable.name };
    if (bypassed(endpoint, noProxyEntries(env))) return { via: 'direct', why: `NO_PROXY names ${endpoint.hostname}` };
  }
  // A scheme-less host:port is taken as http, as curl takes it; an https:// proxy the tunnel cannot speak to.
  const url = /^[a-z][a-z\d+.-]*:\/\//i.test(chosen.url) ? chosen.url : `http://${chosen.url}`;
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return { via: 'direct', why: `${chosen.from} is not a URL` };
  }
  if (protocol !== 'http:') return { via: 'direct', why: `${chosen.from} is not an http:// proxy, the only kind its tunnel speaks to` };
  return { via: 'proxy', proxy: { url, from: chosen.from } };
}
