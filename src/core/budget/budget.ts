import type { BudgetConfig } from '../config';
import type { SettingNamer } from '../config/settingNamer';
import type { LedgerCell } from '../ledger/totals';
import { localDay } from '../localDay';
import { BudgetGate } from './budgetGate';
import { periodSpend, type PeriodSpend } from './periodSpend';
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
  ) {
    this.gate = new BudgetGate({ config, spend: () => this.spend(), ...(settingName ? { settingName } : {}) });
  }

  spend(): PeriodSpend {
    return periodSpend(this.cells(), localDay(this.now()), unpricedPriceOf(this.config()));
  }
}
