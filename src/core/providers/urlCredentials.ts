/**
 * A server's address with a user name and password in it, `http://me:secret@gpu-box:8080/v1`: how a server behind
 * nginx's (or Caddy's, Traefik's) basic auth is written, Ollama or vLLM on a box of one's own. Node's fetch refuses
 * such a URL outright ("Request cannot be constructed from a URL that includes credentials"), so every request
 * failed as a connection error. The credentials are taken out of the address and sent as what a browser sends for
 * them, an `Authorization: Basic` header; fetch drops that header on a redirect to another origin (scheme, host or
 * port), so they reach only the host the user wrote. The address shown and logged stays masked (redactUrl.ts).
 */

import { ProviderError } from './providerError';
import { safeDecode } from './safeDecode';

export interface SplitUrl {
  /** The address without its credentials; the one given when it had none or is not a URL. */
  url: string;
  /** `Basic …` for the credentials it had. */
  authorization?: string;
}

export function splitUrlCredentials(address: string): SplitUrl {
  let parsed: URL;
  try {
    parsed = new URL(address);
  } catch {
    return { url: address };
  }
  if (!parsed.username && !parsed.password) return { url: address };
  // The URL keeps them percent-encoded (a password with `@` or `:` is written `%40`, `%3A`); the header wants them as typed.
  const credentials = `${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}

/**
 * A 401 to a request that carried the address's credentials: the proxy turned them away (nginx's page says nothing
 * Switchboard could quote). Said as such, not as a refused API key, which none was sent to be.
 */
export function refusedUrlCredentials(provider: string, address: SplitUrl, status: number | undefined): ProviderError | undefined {
  if (!address.authorization || status !== 401) return undefined;
  return new ProviderError('auth', provider, `${provider} refused the user name and password written in its baseUrl (401): check them there`, 401);
}
