import { formatModelRef } from '../../core/modelRef';
import type { RouteResult } from '../../core/router';
import { shownReasonsOf, type RoutePlan } from '../../core/routing/autoRoute';
import { promptTokens } from '../../core/types';
import { usageBoundNote } from '../../core/usageBound';
import type { AnswerFooter } from '../../shared/chatProtocol';

/** The footer of an answer: who answered (and whether it was a fallback), tokens, cost, latency, and Auto's tier and reasons. */
export function answerFooter({ record }: RouteResult, routed?: RoutePlan): AnswerFooter {
  const answered = formatModelRef(record);
  const bound = usageBoundNote(record);
  const fellBack = record.attempts.some((attempt) => !attempt.skipped) || (record.requestedModel !== '' && record.requestedModel !== answered);
  // Every model before it, asked or passed over (a resting host, a budget), in the ledger's words.
  const because = record.attempts.map((attempt) => `${attempt.provider}:${attempt.model}: ${attempt.skipped ? 'not asked: ' : ''}${attempt.error}`);
  return {
    model: answered,
    requestedModel: record.requestedModel,
    fellBack,
    ...(fellBack && because.length > 0 ? { fellBackBecause: because } : {}),
    inputTokens: promptTokens(record.usage),
    outputTokens: record.usage.outputTokens,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    estimated: record.usageEstimated,
    ...(record.outcome === 'cancelled' ? { stopped: true } : {}),
    ...(bound ? { pricedAtBound: bound } : {}),
    ...(record.maxTokensReached !== undefined ? { maxTokensReached: record.maxTokensReached } : {}),
    // The footer may quote the question ("mentions ..."): it is the user's own screen. The ledger never does.
    ...(record.routing ? { routing: { ...record.routing, reasons: shownReasonsOf(record.routing, routed) } } : {}),
    ...(record.id ? { recordId: record.id } : {}),
  };
}
