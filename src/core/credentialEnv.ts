/**
 * Which environment variables a custom provider's `apiKeyEnv` may name. The variable's value goes out as a
 * bearer key to the provider's baseUrl, and a custom provider can come from a --config file handed around
 * with a repository: naming AWS_SECRET_ACCESS_KEY there would send the user's cloud credentials to any host.
 * OPENAI_API_KEY and ANTHROPIC_API_KEY follow their vendor's host rule (keyHost.ts, providerRegistry.ts);
 * this module covers the variables that hold other credentials.
 */

/**
 * Credentials that are never an API key for a model server Switchboard speaks to (OpenAI- or
 * Anthropic-compatible): AWS's (Bedrock is its own provider, signed by the AWS SDK, never a bearer key),
 * cloud service principals, package registries, CI and secret stores. Compared upper-cased: Windows
 * environment names are case-insensitive.
 */
const NEVER_AN_API_KEY: ReadonlySet<string> = new Set([
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'ARM_CLIENT_SECRET',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'CLOUDSDK_AUTH_ACCESS_TOKEN',
  'GOOGLE_OAUTH_ACCESS_TOKEN',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'GITLAB_TOKEN',
  'CI_JOB_TOKEN',
  'DOCKER_PASSWORD',
  'VAULT_TOKEN',
  'VSCE_PAT',
  'OVSX_PAT',
  'SSH_AUTH_SOCK',
]);

/**
 * Tokens that are an API key for exactly one vendor's OpenAI-compatible endpoint (a GitHub token is the key
 * of GitHub Models): sent there, over https, and nowhere else. No loopback exception: these are not keys a
 * local model server was ever given, and a "local" proxy in a dev container is the repository's own code.
 */
const ONE_VENDOR_TOKENS: Readonly<Record<string, readonly string[]>> = {
  GITHUB_TOKEN: ['models.github.ai', 'models.inference.ai.azure.com'],
  GH_TOKEN: ['models.github.ai', 'models.inference.ai.azure.com'],
};

/**
 * Why `envName`'s value must not go to `baseUrl` as an API key, or undefined when it may. `field` names the
 * setting or file entry that chose the variable, so the user knows what to change.
 */
export function refusedKeyVariable(envName: string, baseUrl: string, field: string): string | undefined {
  const name = envName.toUpperCase();
  if (name.startsWith('AWS_') || NEVER_AN_API_KEY.has(name)) {
    return `${field} names ${envName}, a credential that is never an API key for a model server, so Switchboard does not send it; name the variable that holds this server's own key`;
  }
  const homes = ONE_VENDOR_TOKENS[name];
  if (!homes) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  const host = url?.hostname.toLowerCase() ?? baseUrl;
  if (url?.protocol === 'https:' && homes.includes(host)) return undefined;
  return `${field} names ${envName}, which is sent only to ${homes.join(' or ')} over https (GitHub Models), not to ${host}, so Switchboard does not send it; name the variable that holds this server's own key`;
}
