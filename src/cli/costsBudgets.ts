import { Budget } from '../core/budget/budget';
import { budgetAlert } from '../core/budget/budgetAlert';
import type { SwitchboardConfig } from '../core/config';
import type { SettingNamer } from '../core/config/settingNamer';
import type { LedgerCell } from '../core/ledger';
import { localDay } from '../core/localDay';
import type { PriceTable } from '../core/prices/priceTable';

/** A budget of the --config file at or past its warning (`budget.warnAt`, 80 % by default) or its limit, now. */
export interface BudgetAlert {
  /** "daily budget", "monthly openai budget". */
  budget: string;
  /** The --config key that sets it: "budget.dailyUsd". */
  setting: string;
  level: 'warning' | 'reached';
  spentUsd: number;
  limitUsd: number;
  period: 'day' | 'month';
  /** The local day its period ends (it resets at 00:00 then). */
  resetsOn: string;
  /** What `budget.action` does once it is used up: block, downgrade, warn. */
  action: SwitchboardConfig['budget']['action'];
  /** As `costs` says it: the words of the editor's notice of the crossing, and for a warning what happens at the limit. */
  message: string;
}

/**
 * The budgets near or past their limit (budgetAlert: the editor's notices' words) on this month's spend (every
 * process's records; unpriced requests at budget.unpricedEstimate, as the budgets count them), whatever range the
 * report shows, since a limit is of today and this month. Undefined without a budget in the --config file.
 */
export function budgetAlerts(config: SwitchboardConfig, monthCells: readonly LedgerCell[], prices: PriceTable, settingName: SettingNamer, now = new Date()): BudgetAlert[] | undefined {
  const budget = new Budget(() => config.budget, () => monthCells, () => now, settingName, (provider, model) => prices.lookup(provider, model));
  if (!budget.gate.active()) return undefined;
  const { warnAt, action } = config.budget;
  const alerts: BudgetAlert[] = [];
  for (const status of budget.gate.statuses()) {
    const alert = budgetAlert(status, warnAt, action, settingName);
    if (!alert) continue;
    const { limit } = status;
    alerts.push({
      budget: limit.label,
      setting: limit.setting,
      level: alert.level,
      spentUsd: status.spentUsd,
      limitUsd: limit.limitUsd,
      period: limit.period,
      resetsOn: localDay(status.resetsAt),
      action,
      message: alert.message,
    });
  }
  return alerts;
}

/** "Budget: the daily budget is used up: …", a line each. */
export function budgetAlertLines(alerts: readonly BudgetAlert[]): string[] {
  return alerts.map((alert) => `Budget: ${alert.message}`);
}

