import type { PromptTooLong } from './promptTooLong';

/**
 * Provider failures in one shape, so the router can decide to fall back
 * without knowing which SDK threw.
 */
export type ProviderErrorKind =
  | 'rate-limited' // 429, Bedrock ThrottlingException
  | 'overloaded' // 529, Bedrock ServiceUnavailable / ModelNotReady
  | 'server' // 500/502/503/504
  | 'auth' // 401: the key was rejected; 403: the key or a permission (sdkErrors.saysKeyRefused)
  | 'connection' // refused, reset, DNS, TLS
  | 'timeout' // no first token within the time-to-first-token limit; a 408
  | 'bad-request' // 400/404/422: our request or the model id is wrong
  | 'malformed' // the stream could not be parsed
  | 'too-long' // far more text than the max_tokens asked for: reading stopped
  | 'prompt-too-long' // the prompt is longer than the model's context window: a healthy model, not rested
  | 'cancelled' // the caller aborted
  | 'unknown';

/** What a refused key's message says after its provider: the router marks the provider so (router/authFailure.ts). */
export const KEY_REJECTED_WORDS = 'rejected its API key';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    readonly provider: string,
    message: string,
    readonly status?: number,
    /** From Retry-After / retry-after-ms, when the provider sent one. */
    readonly retryAfterMs?: number,
    /**
     * What the failure shows to be down: its model (a 429, a 5xx, a silent stream), or every model of the provider
     * (its host refused, unresolved, failing TLS): the router rests that much (router/cooldowns.ts).
     */
    readonly scope: 'model' | 'provider' = 'model',
    /** With 'prompt-too-long': the sizes the provider stated, where it stated them. */
    readonly promptTooLong?: PromptTooLong,
  ) {
    super(message);
  }
}

/** Failures after which the next model of the route is tried. */
const FALLBACK_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  'rate-limited',
  'overloaded',
  'server',
  'auth',
  'connection',
  'timeout',
  'bad-request',
  // Only to a model with a larger context window (router/promptTooLong.ts).
  'prompt-too-long',
  'malformed',
  'unknown',
]);

/**
 * Whether an auth failure is a permission the account lacks (a 403 for a model, a region, a policy; Bedrock's
 * AccessDeniedException), as sdkErrors and the Bedrock adapter word it, rather than a key or credentials refused:
 * a new key would not help, so nothing may offer one.
 */
export function isAccessDenial(error: Pick<ProviderError, 'kind' | 'provider' | 'message'>): boolean {
  return error.kind === 'auth' && (error.message.startsWith(`${error.provider} denied access`) || error.message.startsWith(`${error.provider} has no access`));
}

export function shouldFallBack(error: ProviderError): boolean {
  return FALLBACK_KINDS.has(error.kind);
}

/**
 * The longest rest a server's Retry-After can give its model. The header is the server's to write: a compromised
 * or broken one naming years would take its model out of the route for the whole session and have the status bar
 * say "free again in 31,000 years"; a provider whose quota is really spent answers the next try with another 429,
 * which costs nothing and rests the model again.
 */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** Parses a Retry-After header (seconds or HTTP date) or retry-after-ms into milliseconds, at most MAX_RETRY_AFTER_MS. */
export function parseRetryAfter(
  retryAfter: string | null | undefined,
  retryAfterMs?: string | null,
  now = Date.now(),
): number | undefined {
  const capped = (ms: number) => Math.min(ms, MAX_RETRY_AFTER_MS);
  if (retryAfterMs) {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return capped(ms);
  }
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return capped(seconds * 1000);
  const date = Date.parse(retryAfter);
  if (Number.isFinite(date)) return capped(Math.max(0, date - now));
  return undefined;
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate-limited';
  if (status === 529) return 'overloaded';
  if (status === 401 || status === 403) return 'auth';
  // Request Timeout: the server, or a proxy in front of it, gave up waiting (a slow upload, a busy gateway); the
  // request was not wrong, and is asked of the next model while this one rests.
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  if (status >= 400) return 'bad-request';
  return 'unknown';
}

/**
 * Provider adapters are bundled separately (loaded on first use), so an error
 * thrown by one is not `instanceof` this module's class: check its shape.
 */
export function isProviderError(error: unknown): error is ProviderError {
  return (
    error instanceof Error &&
    error.name === 'ProviderError' &&
    typeof (error as Partial<ProviderError>).kind === 'string' &&
    typeof (error as Partial<ProviderError>).provider === 'string'
  );
}
