import { costAtTier } from '../cost';
import type { LedgerCell } from '../ledger/totals';
import type { ModelPrice } from '../prices/priceTable';
import type { BudgetPeriod } from './budgetLimits';

/** Spend of the current local day and month, overall and by provider: what budgets are measured against. */
export interface PeriodSpend {
  /** Local YYYY-MM-DD. */
  day: string;
  usd(period: BudgetPeriod, provider?: string): number;
  /** Of usd(): what requests to models with no known price count at the stated estimate (0 without one). */
  estimatedUsd(period: BudgetPeriod, provider?: string): number;
}

/**
 * Period spend from the ledger's cells of this month. A request to a model
 * with no known price counts at `unpricedPrice` when given (a stated
 * estimate), never as $0 silently; without it, it counts nothing and the
 * budget refuses such requests instead (see BudgetGate).
 */
export function periodSpend(cells: Iterable<LedgerCell>, day: string, unpricedPrice?: ModelPrice): PeriodSpend {
  const month = day.slice(0, 7);
  const spent = new PeriodSums();
  const estimated = new PeriodSums();
  for (const cell of cells) {
    if (!cell.day.startsWith(month) || cell.day > day) continue;
    const usd = cellSpend(cell, unpricedPrice);
    if (usd === 0) continue;
    spent.add(cell.provider, usd, cell.day === day);
    if (usd !== cell.costUsd) estimated.add(cell.provider, usd - cell.costUsd, cell.day === day);
  }
  return { day, usd: (period, provider) => spent.get(period, provider), estimatedUsd: (period, provider) => estimated.get(period, provider) };
}

/** Sums of today and of the month, overall and by provider. */
class PeriodSums {
  private readonly byProvider = { day: new Map<string, number>(), month: new Map<string, number>() };
  private readonly total = { day: 0, month: 0 };

  add(provider: string, usd: number, today: boolean): void {
    for (const period of today ? (['day', 'month'] as const) : (['month'] as const)) {
      this.total[period] += usd;
      this.byProvider[period].set(provider, (this.byProvider[period].get(provider) ?? 0) + usd);
    }
  }

  get(period: BudgetPeriod, provider?: string): number {
    return provider === undefined ? this.total[period] : (this.byProvider[period].get(provider) ?? 0);
  }
}

/** What a cell counts against a budget: its cost, plus its unpriced requests at the stated estimate. */
export function cellSpend(cell: LedgerCell, unpricedPrice?: ModelPrice): number {
  if (cell.unpriced === 0 || !unpricedPrice) return cell.costUsd;
  // A model is priced or not as a whole: an unpriced cell's tokens are the unpriced requests'.
  const share = cell.requests > 0 ? Math.min(1, cell.unpriced / cell.requests) : 1;
  return cell.costUsd + share * (costAtTier(cell.usage, unpricedPrice, false) + costAtTier(cell.longUsage, unpricedPrice, true));
}
