import type { LedgerRecord, LedgerSource } from '../ledger';
import { newRecordId } from '../ledger/recordId';
import { ZERO_USAGE, type FailedAttempt, type ModelRef } from '../types';
import { totalCost } from './recordCost';
import type { RouteRun } from './routeRun';

/**
 * A request's one ledger record: the answer (`fields`: its model, usage and cost), or why there is none, with
 * every failed attempt, what the budget did, Auto's choice, and the answer it re-asks.
 */
export function runRecord(
  run: RouteRun,
  fields: Partial<LedgerRecord> & Pick<LedgerRecord, 'outcome'>,
  ended: { latencyMs: number; source: LedgerSource; error: string | undefined },
): LedgerRecord {
  const { options, route, budgetAction, routing } = run;
  const attempts = [...passedOverBefore(run.route, run.passedOver, fields), ...withHandedOverPassedOver(run, fields)];
  return {
    v: 1,
    id: newRecordId(),
    time: new Date(run.started).toISOString(),
    task: run.task,
    provider: fields.provider ?? route[0]?.provider ?? '',
    model: fields.model ?? route[0]?.model ?? '',
    requestedModel: run.requestedModel,
    usage: fields.usage ?? { ...ZERO_USAGE },
    usageEstimated: fields.usageEstimated ?? false,
    ...(fields.reportedUsage && fields.usageBound ? { reportedUsage: fields.reportedUsage, usageBound: fields.usageBound } : {}),
    costUsd: totalCost(fields.costUsd, attempts),
    latencyMs: ended.latencyMs,
    firstTokenMs: fields.firstTokenMs ?? null,
    outcome: fields.outcome,
    attempts,
    source: ended.source,
    ...(fields.costSource ? { costSource: fields.costSource } : {}),
    ...(fields.tableRateOnLocalServer ? { tableRateOnLocalServer: true as const } : {}),
    ...(fields.gateway ? { gateway: fields.gateway } : {}),
    ...(fields.gatewayCostUsd !== undefined && fields.gatewayCostBoundUsd !== undefined
      ? { gatewayCostUsd: fields.gatewayCostUsd, gatewayCostBoundUsd: fields.gatewayCostBoundUsd, ...(fields.gatewayCostBoundRates ? { gatewayCostBoundRates: fields.gatewayCostBoundRates } : {}), ...(fields.gatewayCostUnderTable ? { gatewayCostUnderTable: true as const } : {}) }
      : {}),
    ...(budgetAction ? { budgetAction } : {}),
    ...(fields.maxTokensReached !== undefined ? { maxTokensReached: fields.maxTokensReached } : {}),
    ...(ended.error ? { error: ended.error } : {}),
    ...(fields.notSent ? { notSent: fields.notSent } : {}),
    ...(routing ? { routing } : {}),
    ...(options.retryOf
      ? {
          retryOf: options.retryOf,
          ...(options.retryOfUnpriced ? { retryOfUnpriced: true as const } : {}),
          ...(options.retryOfHandedOver ? { retryOfHandedOver: true as const } : {}),
        }
      : {}),
  };
}

/**
 * The models passed over (their provider unusable) that `route` put before the model that answered: why the
 * first model of the route did not answer. Those after it were never its turn. With no answer, or an answer from
 * another route (the tier Auto handed over to), all of them.
 */
function passedOverBefore(route: readonly ModelRef[], passedOver: FailedAttempt[], fields: Partial<LedgerRecord> & Pick<LedgerRecord, 'outcome'>): FailedAttempt[] {
  if (passedOver.length === 0) return [];
  const answered = fields.outcome !== 'error' ? route.findIndex((ref) => ref.provider === fields.provider && ref.model === fields.model) : -1;
  if (answered < 0) return passedOver;
  const before = new Set(route.slice(0, answered).map((ref) => `${ref.provider}:${ref.model}`));
  return passedOver.filter((attempt) => before.has(`${attempt.provider}:${attempt.model}`));
}

/** The run's attempts, with each handed-over tier's passed-over models where its turn began. */
function withHandedOverPassedOver(run: RouteRun, fields: Partial<LedgerRecord> & Pick<LedgerRecord, 'outcome'>): FailedAttempt[] {
  const attempts = [...run.attempts];
  for (const tier of [...run.handedOverPassedOver].reverse()) attempts.splice(tier.at, 0, ...passedOverBefore(tier.route, tier.skipped, fields));
  return attempts;
}
