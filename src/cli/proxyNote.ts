/**
 * What `switchboard doctor` says of a proxy set in the environment. Node's fetch, which the OpenAI and Anthropic
 * SDKs use, reads HTTP(S)_PROXY and NO_PROXY only when started with NODE_USE_ENV_PROXY=1 (or --use-env-proxy), and
 * the AWS SDK's HTTP/2 connection to Bedrock never does: someone behind a proxy who set only HTTPS_PROXY would see
 * every request fail to connect and not know why. (The editor's requests follow VS Code's proxy settings instead.)
 * Measured in test/core/providers/proxyEnv.test.ts.
 */
export function proxyNote(env: NodeJS.ProcessEnv, execArgv: readonly string[] = process.execArgv): string | undefined {
  const variable = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].find((name) => env[name]?.trim());
  if (!variable) return undefined;
  const enabled = env.NODE_USE_ENV_PROXY === '1' || execArgv.includes('--use-env-proxy') || /(^|\s)--use-env-proxy(\s|$)/.test(env.NODE_OPTIONS ?? '');
  if (!enabled) {
    return `proxy: ${variable} is set, but Node sends requests directly unless NODE_USE_ENV_PROXY=1 is set too; Bedrock goes directly either way`;
  }
  const bypass = env.no_proxy?.trim() || env.NO_PROXY?.trim();
  return `proxy: OpenAI and Anthropic requests go through ${variable}${bypass ? ` except to NO_PROXY's hosts (${bypass})` : ' (a local server too: name it in NO_PROXY, e.g. localhost,127.0.0.1)'}; Bedrock goes directly (the AWS SDK's HTTP/2 connection takes no proxy)`;
}
