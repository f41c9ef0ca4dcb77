import type { BudgetConfig } from '../config';
import { dayAfter } from '../costs/dayRange';

export type BudgetPeriod = 'day' | 'month';

/** One limit the user set: overall or for one provider, a day or a month. */
export interface BudgetLimit {
  period: BudgetPeriod;
  /** Undefined: every provider's spend counts. */
  provider?: string;
  limitUsd: number;
  /** The setting that holds it, e.g. `budget.providers.openai.monthlyUsd` (without `switchboard.`). */
  setting: string;
  /** How messages name it: "daily budget", "monthly openai budget". */
  label: string;
  /** Set to a value that is not a limit (what is wrong with it): counts as reached, at $0, until fixed. */
  invalid?: string;
}

/** Every limit set (a 0 is none), overall first; a limit set to an invalid value is one at $0. */
export function budgetLimits(config: BudgetConfig): BudgetLimit[] {
  const limits: BudgetLimit[] = [];
  const labelOf = (period: BudgetPeriod, provider?: string) => `${period === 'day' ? 'daily' : 'monthly'} ${provider ? `${provider} ` : ''}budget`;
  for (const { period, provider, setting, problem } of config.invalidLimits) {
    limits.push({ period, limitUsd: 0, setting, label: labelOf(period, provider), invalid: problem, ...(provider ? { provider } : {}) });
  }
  const add = (period: BudgetPeriod, limitUsd: number | undefined, setting: string, provider?: string) => {
    if (!limitUsd || limitUsd <= 0) return;
    limits.push({ period, limitUsd, setting, label: labelOf(period, provider), ...(provider ? { provider } : {}) });
  };
  add('day', config.dailyUsd, 'budget.dailyUsd');
  add('month', config.monthlyUsd, 'budget.monthlyUsd');
  for (const [provider, own] of Object.entries(config.providers)) {
    add('day', own.dailyUsd, `budget.providers.${provider}.dailyUsd`, provider);
    add('month', own.monthlyUsd, `budget.providers.${provider}.monthlyUsd`, provider);
  }
  return limits;
}

/** Whether `limit` counts a request to `provider`. */
export function limitApplies(limit: BudgetLimit, provider: string): boolean {
  return limit.provider === undefined || limit.provider === provider;
}

/** When the period containing local day `day` (YYYY-MM-DD) ends: local midnight after the day, or after the month's last day. */
export function periodEnd(period: BudgetPeriod, day: string): Date {
  if (period === 'day') return dayAfter(day);
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(year, month, 1);
}
