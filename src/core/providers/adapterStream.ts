import type { StreamEvent } from '../types';
import { isProviderError, type ProviderError } from './providerError';
import { cancelledError, connectionError, endedEarlyError, malformedError, unknownError } from './sdkErrors';

/**
 * What every adapter does around its SDK's stream, in one place:
 * - any failure leaves as a ProviderError (`toError`);
 * - an aborted stream throws 'cancelled', even when the SDK ended it quietly;
 * - a stream that ends before the provider's own end-of-answer event is an
 *   error, never a complete answer: `events` returns whether that event came.
 */
export async function* guardStream(
  provider: string,
  signal: AbortSignal,
  events: AsyncGenerator<StreamEvent, boolean>,
  toError: (error: unknown) => ProviderError,
): AsyncGenerator<StreamEvent> {
  let complete: boolean;
  try {
    complete = yield* events;
  } catch (error) {
    throw toError(error);
  }
  if (signal.aborted) throw cancelledError(provider);
  if (!complete) throw endedEarlyError(provider);
}

/**
 * The common frame of every adapter's error mapping: our own errors pass
 * through, an abort is a cancel whatever the SDK made of it, `specific`
 * knows the SDK's error types, and what is left is a parse failure, a socket
 * failure found in the cause chain, or unknown (with `secret` masked).
 */
export function mapSdkError(
  provider: string,
  error: unknown,
  signal: AbortSignal,
  specific: (error: unknown) => ProviderError | undefined,
  secret?: string,
): ProviderError {
  if (isProviderError(error)) return error;
  if (signal.aborted) return cancelledError(provider);
  const mapped = specific(error);
  if (mapped) return mapped;
  if (error instanceof SyntaxError) return malformedError(provider);
  return connectionError(provider, error) ?? unknownError(provider, error, secret);
}
