import type { Budget } from '../budget/budget';
import type { SwitchboardConfig } from '../config';
import type { SettingNamer } from '../config/settingNamer';
import type { Ledger, LedgerSource } from '../ledger';
import type { PriceTable } from '../prices/priceTable';
import type { ProviderRegistry } from '../providerRegistry';
import type { SpendTracker } from '../spendTracker';
import type { CooldownDefaults, Cooldowns } from './cooldowns';
import type { SharedAdmission } from './sharedAdmission';
import type { RouterEvent } from './types';

/* What the Router is built from, and what a request's run reads of it (runTier, finishRun). */

export interface RouterDeps {
  registry: ProviderRegistry;
  prices: () => PriceTable;
  config: () => SwitchboardConfig;
  /** Read per request, so a changed ledger path takes effect at once. */
  ledger?: () => Ledger;
  spend?: SpendTracker;
  /** Limits and what is in flight against them (see src/core/budget). */
  budget?: Budget;
  source: LedgerSource;
  /** The wall clock: a record's time, and when a resting model may be asked again. */
  now?: () => number;
  /**
   * A clock for durations (latency, first token, the stall watchdog) that only runs forward: the wall clock
   * can be stepped back or forward (NTP, the user, a VM resumed), which would record a negative latency or hold
   * a stalled stream open for as long as the step. Milliseconds from any origin.
   */
  elapsed?: () => number;
  cooldowns?: CooldownDefaults;
  onEvent?: (event: RouterEvent) => void;
  /** Told when a completion served without a request was counted (held, written once a minute). */
  onServed?: () => void;
  /** How messages name a setting to change (a timeout's limit, an empty route): the editor's by default. */
  settingName?: SettingNamer;
}

/** What one request's run reads: the Router's dependencies and the parts it keeps for all its requests. */
export interface RunContext {
  readonly deps: RouterDeps;
  /** Models resting after a failure, timed on `elapsed`. */
  readonly cooldowns: Cooldowns;
  /** The budget's admission shared with the other processes on the same ledger. */
  readonly shared: SharedAdmission;
  /** The wall clock (RouterDeps.now, or Date.now). */
  readonly now: () => number;
  /** The clock for durations, which only runs forward (RouterDeps.elapsed, or performance.now). */
  readonly elapsed: () => number;
}
