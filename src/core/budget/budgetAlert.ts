import type { BudgetAction } from '../config';
import { nameSettings, type SettingNamer } from '../config/settingNamer';
import { formatUsd } from '../cost';
import type { BudgetStatus } from './budgetGate';
import { atLimitUntil, crossedLevel, crossingMessage, type BudgetCrossing } from './budgetNotices';

/**
 * A limit at or past its warning (`budget.warnAt` of it) or the limit itself, said as the editor's notice of the
 * crossing says it ("the daily budget is used up: $5.10 spent of $5.00; requests are refused until it resets on …"),
 * judged as the notices judge it (on what was spent); a warning also says what the limit will do then, the notice's
 * "used up" words not having been said yet. For the places that show the budgets as they stand rather than tell of a
 * crossing once: `switchboard costs` and the dashboard. Undefined for a limit short of its warning.
 */
export function budgetAlert(status: BudgetStatus, warnAt: number, action: BudgetAction, settingName: SettingNamer): { level: BudgetCrossing['level']; message: string } | undefined {
  const level = crossedLevel(status, warnAt);
  if (!level) return undefined;
  const notice = crossingMessage(status, level, warnAt, action, settingName);
  const next = level === 'warning' ? `; at ${formatUsd(status.limit.limitUsd)} ${atLimitUntil(action, 'it resets')} (${nameSettings(settingName, ['budget.action'])})` : '';
  return { level, message: `${notice}${next}` };
}
