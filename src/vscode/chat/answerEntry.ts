import { redactSecrets } from '../../core/redact';
import type { RouteResult } from '../../core/router';
import type { RoutePlan } from '../../core/routing/autoRoute';

import { answerFooter } from './answerFooter';
import { WINDOW_CLOSED_MESSAGE, type AssistantEntry } from './chatTranscript';

/** The transcript entry for a finished request: the answer and its footer, an error, or both when it broke off. */
export function answerEntry(result: RouteResult, routed: RoutePlan, retryable: boolean, stoppedByUser: boolean): AssistantEntry {
  const { record } = result;
  // Cancelled, and not by Stop: the window closed (Router.stopAll). Broken off, so it may be asked again.
  if (record.outcome === 'cancelled' && !stoppedByUser) {
    const footer = answerFooter(result, routed);
    delete footer.stopped;
    return { role: 'assistant', text: result.text, footer, error: { message: WINDOW_CLOSED_MESSAGE, attempts: record.attempts, retryable: true } };
  }
  // A failure of the route (provider, network, stall) may pass: the panel offers to ask again.
  const again = retryable ? { retryable } : {};
  if (record.outcome === 'error' && !result.text) {
    return { role: 'assistant', text: '', error: { message: result.error ?? 'the request failed', attempts: record.attempts, ...again } };
  }
  return {
    role: 'assistant',
    text: result.text,
    footer: answerFooter(result, routed),
    ...(record.outcome === 'error' ? { error: { message: result.error ?? 'the answer broke off', attempts: record.attempts, ...again } } : {}),
  };
}

/** The transcript entry when answering failed in Switchboard itself rather than at a provider: it may be asked again. */
export function unexpectedFailureEntry(error: unknown): AssistantEntry {
  return { role: 'assistant', text: '', error: { message: unexpectedFailure(error), attempts: [], retryable: true } };
}

/** What the panel says when answering failed in Switchboard itself rather than at a provider. */
function unexpectedFailure(error: unknown): string {
  // Masked as a provider's words are: an error of ours may quote what it was handling.
  const reason = redactSecrets(error instanceof Error ? error.message : String(error)).slice(0, 200);
  return `Switchboard failed while answering (${reason}). The conversation is kept; the Switchboard log has the details.`;
}
