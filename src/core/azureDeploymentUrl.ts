/**
 * An Azure OpenAI deployment's classic URL pasted as a server, `https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21`
 * (as Azure's portal and Azure AI Foundry show it). The OpenAI SDK would send requests there (the query kept, its path
 * before it), but such an address cannot serve Switchboard: it answers every model with that one deployment, so a
 * route's `openai:gpt-5.4` and its fallbacks would all reach it and be billed under names it is not; it takes an API
 * key only in an `api-key` header (a bearer token there must be an Entra ID token: the key is refused with 401); and it
 * lists no models for Check Setup. Azure's v1 API on the same resource (`/openai/v1`, GA since August 2025) is the
 * OpenAI dialect the SDK speaks: the model is the deployment's name, the key goes as a bearer token, the listing is
 * `/openai/v1/models`. So such a URL is refused with the address to write instead. Browser-safe.
 */

import { safeDecode } from './providers/safeDecode';

/** `/openai/deployments/{name}` and anything after it (a pasted `/chat/completions` too). */
const DEPLOYMENT_PATH = /^(.*?)\/openai\/deployments\/([^/?#]+)/;

/**
 * What is wrong with `url` as an OpenAI-compatible server when it is a classic Azure deployment URL, and what to write
 * (`provider` names the model prefix: `openai`, or a custom provider's id); else undefined.
 */
export function azureDeploymentUrlProblem(url: string, provider: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const match = DEPLOYMENT_PATH.exec(parsed.pathname);
  if (!match) return undefined;
  const deployment = safeDecode(match[2]!);
  // The origin alone, never the userinfo: this text is shown and logged.
  const v1 = `${parsed.origin}${match[1]}/openai/v1`;
  return `is an Azure OpenAI deployment's URL, which answers every model with deployment "${deployment}" and takes no key as the OpenAI SDK sends it: write Azure's v1 address "${v1}" and name the deployment as the model ("${provider}:${deployment}")`;
}
