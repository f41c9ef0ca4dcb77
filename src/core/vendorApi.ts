import type { SwitchboardConfig } from './config';
import { KEY_HOME } from './keyHost';

/**
 * Whether a provider's requests reach its vendor's own catalogue: OpenAI and
 * Anthropic at their own API, and Bedrock (a custom endpoint is still
 * Bedrock's). `providers.openai.baseUrl` pointed at Ollama, vLLM or
 * OpenRouter keeps the provider id "openai" but serves other models, so a
 * model id the project names by default (a price, a cheap tier) means
 * nothing there. Their APIs also stop a request at its max output with
 * reasoning and thinking counted in it, so an estimated output is held to
 * that max (usageEstimate.ts); another server may not stop there.
 */
export function atVendorApi(config: SwitchboardConfig, provider: string): boolean {
  if (provider === 'bedrock') return true;
  const home = KEY_HOME[provider];
  if (provider === 'openai' || provider === 'anthropic') return ownHost(config.providers[provider].baseUrl, home!);
  return false;
}

function ownHost(baseUrl: string, host: string): boolean {
  if (!baseUrl) return true;
  try {
    return new URL(baseUrl).hostname === host;
  } catch {
    return false;
  }
}
