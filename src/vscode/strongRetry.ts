import type { LedgerRecord } from '../core/ledger';
import type { ModelRequest } from '../core/types';
import type { StreamDocumentRequest } from './streamDocument';

/**
 * "Retry with the strong model" on a document's cheap-tier answer: the same
 * heading and request, asked again on the strong tier and linked to the
 * answer it re-asks (and whether that answer had a price, or was handed
 * over from a failed strong tier, which the saving needs), and finished as the first one was (a retried Plan gets the Plan's
 * footer for Continue in Chat, its steps and its preview offer).
 */
export function strongRetryOf(
  first: StreamDocumentRequest,
  prepared: { heading: string; request: ModelRequest },
  answer: Pick<LedgerRecord, 'costUsd' | 'routing'> & { id: string },
): StreamDocumentRequest {
  const retry = {
    tier: 'strong' as const,
    of: answer.id,
    ...(answer.costUsd === null ? { unpriced: true } : {}),
    ...(answer.routing?.handedOverFrom === 'strong' ? { handedOver: true } : {}),
  };
  return { ...first, title: `${first.title} (strong tier)`, prepare: () => prepared, retry };
}
