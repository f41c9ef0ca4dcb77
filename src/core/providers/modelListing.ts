import type { ProviderAdapter } from './provider';

/**
 * An adapter's `warm` and `check` over its server's model listing (GET /models): free, and on the same host as its
 * requests, so warming opens the connection a request will use. `list` asks for it, `fail` words a failure as a
 * request's would be (the key redacted from what the server quotes). With `listsEveryModel` (one page holds every
 * model) the check also returns the ids, so a route's model missing from them can be said to be unserved.
 */
export function modelListing(
  list: (signal?: AbortSignal) => PromiseLike<{ data: readonly { id: string }[] }>,
  fail: (error: unknown, signal: AbortSignal) => Error,
  options: { listsEveryModel: boolean },
): Required<Pick<ProviderAdapter, 'warm' | 'check'>> {
  return {
    warm: async () => {
      await list();
    },
    check: async (signal) => {
      try {
        const page = await list(signal);
        const detail = `lists ${page.data.length} model${page.data.length === 1 ? '' : 's'}`;
        return options.listsEveryModel ? { detail, models: page.data.map((model) => model.id) } : { detail };
      } catch (error) {
        throw fail(error, signal);
      }
    },
  };
}
