import type { BudgetConfig } from '../config';
import type { SettingNamer } from '../config/settingNamer';
import type { LedgerCell } from '../ledger/totals';
import { localDay } from '../localDay';
import { budgetEstimates, type EstimatedModel } from './budgetEstimates';
import { BudgetGate } from './budgetGate';
import { periodSpend, type PeriodSpend, type PriceNow } from './periodSpend';
import { unpricedPriceOf } from './requestCost';

/**
 * The budget as the core holds it: the month's spend, read from the spend
 * tracker's cells (every process's records, see spendTracker.ts), and the
 * gate that admits requests against the limits.
 */
export class Budget {
  readonly gate: BudgetGate;

  constructor(
    private readonly config: () => BudgetConfig,
    /** This month's cells so far. */
    private readonly cells: () => readonly LedgerCell[],
    private readonly now: () => Date = () => new Date(),
    /** How the gate's refusals name a limit's setting (see BudgetGateDeps). */
    settingName?: SettingNamer,
    /** The price each model has now: requests recorded with no price count at it once their model has one. */
    private readonly priceNow?: PriceNow,
  ) {
    this.gate = new BudgetGate({ config, spend: () => this.spend(), ...(settingName ? { settingName } : {}) });
  }

  /** This month's requests the budgets count at budget.unpricedEstimate, by model (their model has no price now). */
  estimates(): EstimatedModel[] {
    if (!this.priceNow) return [];
    return budgetEstimates(this.cells(), localDay(this.now()), unpricedPriceOf(this.config()), this.priceNow);
  }

  spend(): PeriodSpend {
    return periodSpend(this.cells(), localDay(this.now()), unpricedPriceOf(this.config()), this.priceNow);
  }
}
