import type { LedgerRecord } from '../ledger';
import type { RunContext } from './routerDeps';
import type { RouteRun } from './routeRun';
import { runRecord } from './runRecord';
import type { RouteResult } from './types';

/**
 * Ends a request: its one ledger record (the answer, or why there is none,
 * with every failed attempt), counted in the spend before its reservation
 * ends (never in neither), appended, its published reservations withdrawn
 * once the record is in the ledger, and the `finished` event.
 */
export function finishRun(context: RunContext, run: RouteRun, fields: Partial<LedgerRecord> & Pick<LedgerRecord, 'outcome'>, text: string, error?: string, budgetRefused = false): RouteResult {
  const record = runRecord(run, fields, { latencyMs: Math.round(context.elapsed() - run.startedElapsed), source: context.deps.source, error });
  // Counted in the spend (which budgets read) before the reservation ends: never in neither.
  context.deps.spend?.add(record);
  run.reservation?.release();
  for (const held of run.billed.splice(0)) held.release();
  const appended = context.deps.ledger?.().append(record) ?? Promise.resolve();
  if (run.published.length + run.billedPublished.length > 0) {
    // Withdrawn once the record is in the ledger, where the other processes count it instead.
    const entries = [...run.published.splice(0), ...run.billedPublished.splice(0)];
    void appended.then(() => context.shared.withdraw(entries), () => context.shared.withdraw(entries));
  }
  context.deps.onEvent?.({ type: 'finished', requestId: run.requestId, record, ...(error ? { error } : {}), ...(budgetRefused ? { budgetRefused } : {}) });
  const { budgetReason, budgetSetting, downgradedFrom, downgradedToCheapTier, budgetSkipped } = run;
  const shaped = budgetReason !== undefined && (record.budgetAction === 'warn' || record.budgetAction === 'downgrade');
  return {
    text,
    record,
    ...(error ? { error } : {}),
    ...(budgetRefused ? { budgetRefused } : {}),
    ...(shaped ? { budgetReason, ...(budgetSetting ? { budgetSetting } : {}) } : {}),
    ...(shaped && record.budgetAction === 'downgrade' && downgradedFrom ? { downgradedFrom } : {}),
    ...(shaped && record.budgetAction === 'downgrade' && downgradedToCheapTier ? { downgradedToCheapTier } : {}),
    ...(budgetSkipped.length > 0 ? { budgetSkipped: [...budgetSkipped] } : {}),
  };
}
