import { costAtTier } from '../cost';
import type { LedgerCell } from '../ledger/totals';
import { isLocalPrice, type ModelPrice } from '../prices/priceTable';
import type { BudgetPeriod } from './budgetLimits';

/** Spend of the current local day and month, overall and by provider: what budgets are measured against. */
export interface PeriodSpend {
  /** Local YYYY-MM-DD. */
  day: string;
  usd(period: BudgetPeriod, provider?: string): number;
  /** Of usd(): what requests to models with no known price count at the stated estimate (0 without one). */
  estimatedUsd(period: BudgetPeriod, provider?: string): number;
  /**
   * Of usd(): what requests recorded with no price count at the price their model has now (one set or shipped
   * since; a local server's $0 adds nothing).
   */
  pricedSinceUsd(period: BudgetPeriod, provider?: string): number;
}

/** The price a model has now (the table, the user's prices, a local server's $0), or undefined. */
export type PriceNow = (provider: string, model: string) => ModelPrice | undefined;

/**
 * Period spend from the ledger's cells of this month. A request recorded with
 * no price keeps that in the ledger (a recorded cost never changes), but the
 * budget counts it at the best figure known now: its model's price when it has
 * one since (a price the user set, a newer table, a server on this machine at
 * $0), else `unpricedPrice` when given (a stated estimate), never as $0
 * silently; without either, it counts nothing and the budget refuses such
 * requests instead (see BudgetGate). Before, a model priced (or found local)
 * mid-month had its earlier requests counted at the estimate for the rest of
 * the month, and setting a price, the way the refusal offers, did not change
 * that.
 */
export function periodSpend(cells: Iterable<LedgerCell>, day: string, unpricedPrice?: ModelPrice, priceNow?: PriceNow): PeriodSpend {
  const month = day.slice(0, 7);
  const spent = new PeriodSums();
  const estimated = new PeriodSums();
  const pricedSince = new PeriodSums();
  for (const cell of cells) {
    if (!cell.day.startsWith(month) || cell.day > day) continue;
    const { usd, estimatedUsd, pricedSinceUsd } = cellCount(cell, unpricedPrice, priceNow);
    if (usd === 0) continue;
    const today = cell.day === day;
    spent.add(cell.provider, usd, today);
    if (estimatedUsd > 0) estimated.add(cell.provider, estimatedUsd, today);
    if (pricedSinceUsd > 0) pricedSince.add(cell.provider, pricedSinceUsd, today);
  }
  return {
    day,
    usd: (period, provider) => spent.get(period, provider),
    estimatedUsd: (period, provider) => estimated.get(period, provider),
    pricedSinceUsd: (period, provider) => pricedSince.get(period, provider),
  };
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

/**
 * The price a model has now that a request recorded with no price may count at: one set or published since, never
 * the $0 of where today's settings point its provider. Such a request was not recorded as local (a request to a
 * server on this machine is, costSource `local`): a LAN server's, billed by whoever runs it, did not become free
 * because the provider's name now points at localhost.
 */
export function knownPriceNow(priceNow: PriceNow | undefined, provider: string, model: string): ModelPrice | undefined {
  const now = priceNow?.(provider, model);
  return isLocalPrice(now) ? undefined : now;
}

/** What a cell counts against a budget: its cost, plus its unpriced requests at the price known now or the stated estimate. */
export function cellSpend(cell: LedgerCell, unpricedPrice?: ModelPrice, priceNow?: PriceNow): number {
  return cellCount(cell, unpricedPrice, priceNow).usd;
}

/** cellSpend, with how much of it stands in for unpriced requests, and at which figure. */
export function cellCount(cell: LedgerCell, unpricedPrice?: ModelPrice, priceNow?: PriceNow): { usd: number; estimatedUsd: number; pricedSinceUsd: number } {
  const none = { usd: cell.costUsd, estimatedUsd: 0, pricedSinceUsd: 0 };
  if (cell.unpriced === 0) return none;
  const now = knownPriceNow(priceNow, cell.provider, cell.model);
  const price = now ?? unpricedPrice;
  if (!price) return none;
  // A model is priced or not as a whole: an unpriced cell's tokens are the unpriced requests'.
  const share = cell.requests > 0 ? Math.min(1, cell.unpriced / cell.requests) : 1;
  const added = share * (costAtTier(cell.usage, price, false) + costAtTier(cell.longUsage, price, true));
  return { usd: cell.costUsd + added, estimatedUsd: now ? 0 : added, pricedSinceUsd: now ? added : 0 };
}
