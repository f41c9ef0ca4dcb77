import type { ProviderRegistry } from '../providerRegistry';
import { KEY_REJECTED_WORDS, ProviderError } from '../providers/providerError';
import type { ModelRef } from '../types';

/**
 * What an auth failure of `ref` before any text means for its provider, and the error as the user should read it.
 * The key itself refused (a 401), or the server wanting the key Switchboard kept back (a 401 or 403): no model of
 * that provider will do better until the key or the allowance changes, so the provider is marked rejected.
 */
export function afterAuthFailure(registry: ProviderRegistry, ref: ModelRef, error: ProviderError): ProviderError {
  if (error.kind !== 'auth') return error;
  const status = registry.status(ref.provider);
  if (status?.keySource === 'not needed' && status.withheldKeyHost === undefined && error.status === 401) {
    // None was set (a server on this machine or a private network is asked without one): "rejected its API key"
    // would send the user to replace a key that does not exist.
    // A key found but not sent for its shape (in quotes, pasted across lines) is named, not said to be missing.
    const why = status.malformedKey ?? `the server wants one and none is set; ${registry.keyAdvice(ref.provider)}`;
    const keyless = new ProviderError(error.kind, error.provider, `${ref.provider} answered 401 without a key: ${why}`, error.status, error.retryAfterMs);
    registry.markRejected(ref.provider, keyless.message);
    return keyless;
  }
  const withheld = status?.withheldKeyHost !== undefined;
  // A key refused (a 401, or a 403 that says so); a 403 for a permission leaves the provider usable: its other
  // models, or this one once the account may use it, answer with the same key.
  const keyRefused = error.status === 401 || error.message.startsWith(`${ref.provider} ${KEY_REJECTED_WORDS}`);
  if (!withheld) {
    // The other vendor's key in this one's place (an sk-ant-… key as OPENAI_API_KEY): said, with where it belongs.
    const misplaced = keyRefused ? registry.otherVendorKeyNote(ref.provider) : undefined;
    const said = misplaced ? new ProviderError(error.kind, error.provider, `${error.message}; ${misplaced}`, error.status, error.retryAfterMs) : error;
    if (keyRefused) registry.markRejected(ref.provider, said.message);
    return said;
  }
  registry.markRejected(ref.provider, error.message);
  // "rejected its API key" would be untrue (none was sent) and send the user to set a new one, which would
  // be kept back too: the error says what happened and how to allow the host, wherever it is shown.
  const why = registry.status(ref.provider)?.reason ?? error.message;
  return new ProviderError(error.kind, error.provider, `${ref.provider} answered ${error.status ?? 'an auth error'} without the key: ${why}`, error.status, error.retryAfterMs);
}
