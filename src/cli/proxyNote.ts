import { nodeUsesEnvProxy, type BedrockWay } from '../core/providers/bedrockProxy';

/** What `switchboard doctor` says of a proxy set in the environment (`proxy` in --json); null when none is set. */
export interface ProxyReport {
  /** The proxy variable found (HTTPS_PROXY, https_proxy, HTTP_PROXY, http_proxy: the first set). */
  variable: string;
  /** Whether Node's fetch, so OpenAI's and Anthropic's requests, use it: NODE_USE_ENV_PROXY=1 or --use-env-proxy. */
  used: boolean;
  /** NO_PROXY (no_proxy first), as set; null when not. */
  noProxy: string | null;
  /** Which way Bedrock's requests go: through the proxy over HTTP/1.1 in a CONNECT tunnel, or direct over HTTP/2 and why. */
  bedrock: { via: 'proxy'; protocol: 'http/1.1'; from: string } | { via: 'direct'; protocol: 'h2'; reason: string };
  /** The report's line of text. */
  line: string;
}

/**
 * Node's fetch, which the OpenAI and Anthropic SDKs use, reads HTTP(S)_PROXY and NO_PROXY only when started with
 * NODE_USE_ENV_PROXY=1 (or --use-env-proxy), and Bedrock follows the same rule (core/providers/bedrockProxy.ts):
 * someone behind a proxy who set only HTTPS_PROXY would see every request fail to connect and not know why.
 * (The editor's requests follow VS Code's proxy settings instead.) Measured in test/core/providers/proxyEnv.test.ts.
 */
export function proxyReport(env: NodeJS.ProcessEnv, bedrock: BedrockWay, execArgv: readonly string[] = process.execArgv): ProxyReport | null {
  const variable = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].find((name) => env[name]?.trim());
  if (!variable) return null;
  const used = nodeUsesEnvProxy(env, execArgv);
  const bypass = env.no_proxy?.trim() || env.NO_PROXY?.trim() || null;
  const way: ProxyReport['bedrock'] = bedrock.via === 'proxy' ? { via: 'proxy', protocol: 'http/1.1', from: bedrock.proxy.from } : { via: 'direct', protocol: 'h2', reason: bedrock.why };
  const bedrockWords =
    way.via === 'proxy'
      ? `Bedrock's go through ${way.from} too, over HTTP/1.1 in a CONNECT tunnel (the AWS SDK's HTTP/2 connection takes no proxy)`
      : `Bedrock goes directly, over HTTP/2 (${way.reason})`;
  const line = used
    ? `proxy: OpenAI and Anthropic requests go through ${variable}${bypass ? ` except to NO_PROXY's hosts (${bypass})` : ' (a local server too: name it in NO_PROXY, e.g. localhost,127.0.0.1)'}; ${bedrockWords}`
    : `proxy: ${variable} is set, but Node sends requests directly unless NODE_USE_ENV_PROXY=1 is set too; Bedrock's as well`;
  return { variable, used, noProxy: bypass, bedrock: way, line };
}

/**
 * What to add to a request's failure when a provider could not be reached and a proxy variable is set, else
 * undefined. Behind a company proxy with only HTTPS_PROXY set, Node goes direct and the failure reads "host not
 * found (ENOTFOUND)" with no word of the proxy; with NODE_USE_ENV_PROXY=1 and the proxy down, a provider at its own
 * API reads "connection refused" with no word that it was the proxy that refused. A failure already naming a proxy
 * (a baseUrl's note, Bedrock's tunnel) gets nothing more. The proxy's address is not shown: it may hold a password.
 */
export function proxyFailureNote(errors: readonly string[], env: NodeJS.ProcessEnv, execArgv: readonly string[] = process.execArgv): string | undefined {
  const unreached = errors.filter((error) => / could not be reached: /.test(error));
  if (unreached.length === 0 || unreached.some((error) => /proxy/i.test(error))) return undefined;
  const variable = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].find((name) => env[name]?.trim());
  if (!variable) return undefined;
  return nodeUsesEnvProxy(env, execArgv)
    ? `the requests went through the proxy in ${variable} (NODE_USE_ENV_PROXY=1): check that it runs and lets them out, or name the host in NO_PROXY to go directly`
    : `${variable} is set, but Node sent the requests directly, not through it: set NODE_USE_ENV_PROXY=1 too to use it ("switchboard doctor" says which way requests go)`;
}
