import type { ProviderAdapter } from './provider';

/**
 * An adapter's `warm` and `check` over its server's model listing (GET /models): free, and on the same host as its
 * requests, so warming opens the connection a request will use. `list` asks for it, `fail` words a failure as a
 * request's would be (the key redacted from what the server quotes).
 */
export function modelListing(
  list: (signal?: AbortSignal) => PromiseLike<{ data: readonly unknown[] }>,
  fail: (error: unknown, signal: AbortSignal) => Error,
): Required<Pick<ProviderAdapter, 'warm' | 'check'>> {
  return {
    warm: async () => {
      await list();
    },
    check: async (signal) => {
      try {
        const page = await list(signal);
        return `lists ${page.data.length} model${page.data.length === 1 ? '' : 's'}`;
      } catch (error) {
        throw fail(error, signal);
      }
    },
  };
}
