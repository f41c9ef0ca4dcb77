import { Budget } from './budget/budget';
import type { KeptSpend } from './budget/sharedReservations';
import { BudgetNotices, type BudgetCrossing } from './budget/budgetNotices';
import type { SwitchboardConfig } from './config';
import type { SettingNamer } from './config/settingNamer';
import type { KeyStore } from './credentials';
import { Ledger, type LedgerRecord, type LedgerSource } from './ledger';
import { resolveLedgerFile, type ResolvedLedgerPath } from './ledger/ledgerPath';
import type { RetryTimers } from './ledger/writer';
import { priceTableFor, type PriceTable } from './prices/priceTable';
import { ledgerPricesOf, type LedgerPrices } from './ledger/costCheck';
import { localDay } from './localDay';
import { ProviderRegistry } from './providerRegistry';
import { Router, type CooldownDefaults, type RouterEvent } from './router';
import { SpendTracker, type AttachOptions, type DaySpend } from './spendTracker';

export interface SwitchboardOptions {
  config: SwitchboardConfig;
  source: LedgerSource;
  env?: NodeJS.ProcessEnv;
  keyStore?: KeyStore;
  /** An absolute path that overrides SWITCHBOARD_LEDGER and config.ledger.path (the CLI's --ledger). */
  ledgerPath?: string;
  /** config.ledger.path's name where the user sets it, for messages (the editor's `switchboard.ledger.path`). */
  ledgerSettingName?: string;
  /**
   * How messages name a setting to change (a timeout, a budget limit, an empty route): the editor's
   * `switchboard.…` by default; the CLI names the key of its --config file.
   */
  settingName?: SettingNamer;
  /**
   * Told when the ledger cannot be written (once, until it works again) or a
   * ledger path was refused: the request still answers.
   */
  onLedgerError?: (error: Error) => void;
  /** Told when the ledger is written again after onLedgerError said it could not be, with what was kept. */
  onLedgerRecovered?: (message: string) => void;
  /**
   * Told after each try to write while records are or were kept in memory, once their spend is published:
   * ledger.failure()'s counts and keptSpendReachesOthers are current then. onLedgerError speaks once per
   * reason; this is how the counts shown (the status bar's tooltip) keep up with the failures after it.
   */
  onLedgerKept?: () => void;
  onEvent?: (event: RouterEvent) => void;
  /**
   * Told when this month's spend crosses a budget limit's warning or the
   * limit: once across every process that passes this and shares the ledger
   * (see budgetNotices.ts), not once per window.
   */
  onBudgetCrossing?: (crossing: BudgetCrossing) => void;
  /**
   * Tell only of crossings made after loadToday() read the spend, not of those the ledger already shows: a CLI run
   * says what its request crossed, where a window opening tells of what it finds.
   */
  crossingsSinceLoad?: boolean;
  /** Told when a completion served without a request was counted: today() has changed. */
  onServed?: () => void;
  /** The timers the ledger's retries of records it could not take wait on (writer.ts RetryTimers); a test fires them itself. */
  ledgerRetryTimers?: RetryTimers;
  /** The wall clock, for tests of days and of the times shown. */
  now?: () => number;
  /** The clock durations are timed on (cooldowns, latencies; performance.now by default), for tests. */
  elapsed?: () => number;
  /** How long failed models rest when they name no Retry-After (the soak shortens them). */
  cooldowns?: CooldownDefaults;
}

/**
 * The core, assembled: what both the extension and the CLI hold. Settings
 * changes go through `reconfigure`, which keeps loaded SDK clients whose
 * settings did not change.
 */
export class Switchboard {
  readonly registry: ProviderRegistry;
  readonly spend: SpendTracker;
  readonly budget: Budget;
  readonly router: Router;
  ledger: Ledger;
  /** Why a configured ledger path was not used, if one was refused. */
  ledgerProblem: string | undefined;
  private config: SwitchboardConfig;
  private prices: PriceTable;
  /** What this core's readers of the ledger judge a recorded cost by (costCheck.ts): its own settings' prices. */
  private readerPrices: LedgerPrices;
  private following: AttachOptions | undefined;
  private readonly notices: BudgetNotices | undefined;

  private constructor(
    private readonly options: SwitchboardOptions,
    ledgerPath: ResolvedLedgerPath,
  ) {
    this.config = options.config;
    this.prices = priceTableFor(options.config);
    this.readerPrices = ledgerPricesOf(options.config.prices);
    this.registry = new ProviderRegistry(options.env ?? process.env, options.keyStore, options.settingName);
    const now = options.now;
    const clock = now ? () => new Date(now()) : undefined;
    this.spend = new SpendTracker(clock);
    this.ledger = this.openLedger(ledgerPath);
    this.budget = new Budget(() => this.config.budget, () => this.spend.monthCells(), clock, options.settingName, (provider, model) => this.prices.lookup(provider, model));
    this.router = new Router({
      budget: this.budget,
      registry: this.registry,
      prices: () => this.prices,
      config: () => this.config,
      ledger: () => this.ledger,
      spend: this.spend,
      source: options.source,
      onEvent: (event) => {
        options.onEvent?.(event);
        // This process's own record counts in the spend by now: it may be the one that crossed a limit.
        if (event.type === 'finished') void this.checkBudgetCrossings();
      },
      ...(options.onServed ? { onServed: options.onServed } : {}),
      ...(now ? { now } : {}),
      ...(options.elapsed ? { elapsed: options.elapsed } : {}),
      ...(options.cooldowns ? { cooldowns: options.cooldowns } : {}),
      ...(options.settingName ? { settingName: options.settingName } : {}),
    });
    const notify = options.onBudgetCrossing;
    this.notices = notify && new BudgetNotices({
      statuses: () => this.budget.gate.statuses(),
      warnAt: () => this.config.budget.warnAt,
      action: () => this.config.budget.action,
      folder: () => `${this.ledger.path}.notices`,
      notify,
      ...(clock ? { now: clock } : {}),
      ...(options.settingName ? { settingName: options.settingName } : {}),
    });
  }

  static async create(options: SwitchboardOptions): Promise<Switchboard> {
    const switchboard = new Switchboard(options, await switchboardLedgerPath(options, options.config));
    await switchboard.registry.configure(options.config);
    return switchboard;
  }

  get currentConfig(): SwitchboardConfig {
    return this.config;
  }

  get priceTable(): PriceTable {
    return this.prices;
  }

  get ledgerPath(): string {
    return this.ledger.path;
  }

  /**
   * The prices a reader of the ledger for this core judges a recorded cost by (costCheck.ts): the price table with
   * `switchboard.prices` (the CLI: its --config's `prices`). The dashboard and the CSV export read by them too.
   */
  get ledgerPrices(): LedgerPrices {
    return this.readerPrices;
  }

  /** Applies new settings (or newly stored keys) without a restart. */
  async reconfigure(config: SwitchboardConfig): Promise<void> {
    this.config = config;
    this.prices = priceTableFor(config);
    const readerPrices = ledgerPricesOf(config.prices);
    const pricesChanged = readerPrices.key !== this.readerPrices.key;
    this.readerPrices = readerPrices;
    // Providers first: a ledger path that cannot be read must not keep a new key or server from applying.
    await this.registry.configure(config);
    const previous = this.ledger;
    const next = this.openLedger(await switchboardLedgerPath(this.options, config));
    if (next.path !== previous.path) {
      await this.flush();
      this.ledger = next;
      // What the old path could not take (often why it was changed) goes to the new one, first:
      // left in the old writer, nothing would ever try it again.
      // Taken, not copied: the old writer would otherwise keep trying them too, and write them twice.
      for (const line of previous.takeUnwritten()) void next.append(JSON.parse(line) as LedgerRecord);
      if (this.following) await this.followLedger(next.path, this.following);
    } else if (pricesChanged && this.following) {
      // A recorded cost judged implausible under the old prices may be believed under the new (or the reverse):
      // the month's spend is read again, so the budgets and the status bar count it as any reader now would.
      await this.followLedger(this.ledger.path, this.following, true);
    }
    // A limit lowered below what was spent is crossed now.
    void this.checkBudgetCrossings();
  }

  /**
   * Tells of budget limits the spend has crossed since last looked (see
   * onBudgetCrossing); done by itself when the spend changes, and resolved
   * once this check and those before it are done.
   */
  checkBudgetCrossings(): Promise<void> {
    return this.notices?.check() ?? Promise.resolve();
  }

  /** Follows the ledger at `path` for today's spend; one that cannot be read (a directory, say) is reported, not thrown, when someone listens. */
  private async followLedger(path: string, options: AttachOptions, again = false): Promise<void> {
    try {
      await this.spend.attach(path, { ...options, prices: this.readerPrices }, again);
    } catch (error) {
      if (!this.options.onLedgerError) throw error;
      this.options.onLedgerError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Reads this month's spend from the ledger (today's for the status bar, the day's and the month's for budgets), from every process that writes to
   * it; with `watch`, keeps following it (the editor). Returns the lines it
   * skipped.
   */
  async loadToday(options: AttachOptions = {}): Promise<string[]> {
    // Other processes' spend may cross a limit too: looked at whenever it arrives, and once read.
    const following: AttachOptions = {
      ...(this.options.ledgerSettingName ? { pathSetting: this.options.ledgerSettingName } : {}),
      ...options,
      onChange: () => {
        options.onChange?.();
        void this.checkBudgetCrossings();
      },
    };
    this.following = following;
    const warnings = await this.spend.attach(this.ledger.path, { ...following, prices: this.readerPrices });
    if (this.options.crossingsSinceLoad) this.notices?.passOver();
    else void this.checkBudgetCrossings();
    return warnings;
  }

  /**
   * Today's spend as the status bar shows it: the ledger's (every process's)
   * plus the completions this process served without a request whose counts
   * are still held, written to the ledger once a minute. A count is in one or
   * the other, never both: it leaves the tally as it is added to the spend.
   */
  today(): DaySpend {
    const today = this.spend.today();
    const held = this.router.servedHeldOn(today.day);
    return held > 0 ? { ...today, servedWithoutRequest: today.servedWithoutRequest + held } : today;
  }

  /** Writes everything still held (served-completion counts, queued records). */
  async flush(): Promise<void> {
    this.router.flushServed();
    await this.ledger.flush();
  }

  /**
   * Stops following the ledger and writes what is held, once: the end of a window or a CLI run. Nothing is
   * written afterwards; records the ledger still refuses stay in ledger.unwrittenLines().
   */
  async dispose(): Promise<void> {
    this.following = undefined;
    // Before the last flush: a request cut short by the shutdown is recorded as cancelled, with what it cost.
    await this.router.stopAll();
    this.router.flushServed();
    // Stopped before the router withdraws this process's published spend: the last try's kept records are
    // published first and then withdrawn, never published again by a retry after the withdrawal.
    await this.ledger.stop();
    await this.router.dispose();
    await this.spend.detach();
    await this.registry.dispose();
  }

  private openLedger(resolved: ResolvedLedgerPath): Ledger {
    this.ledgerProblem = resolved.problem;
    return new Ledger(resolved.path, {
      ...(this.options.onLedgerError ? { onError: this.options.onLedgerError } : {}),
      ...(this.options.onLedgerRecovered ? { onRecovered: this.options.onLedgerRecovered } : {}),
      ...(this.options.ledgerRetryTimers ? { retryTimers: this.options.ledgerRetryTimers } : {}),
      ...(this.options.ledgerSettingName ? { settingName: this.options.ledgerSettingName } : {}),
      onKept: (lines) => void this.publishKept(lines),
    });
  }

  /**
   * Whether the spend of records kept in memory (the ledger cannot be written) reaches the budgets of other
   * windows and the CLI; false when neither the folder beside the ledger nor the fallback folder can be written.
   */
  keptSpendReachesOthers = true;

  /** Publishes the spend of the records the ledger could not take yet, so other processes' budgets count it. */
  private async publishKept(lines: readonly string[]): Promise<void> {
    const kept: KeptSpend[] = [];
    for (const line of lines) {
      try {
        const record = JSON.parse(line) as Partial<LedgerRecord>;
        if (typeof record.provider !== 'string' || typeof record.costUsd !== 'number' || record.costUsd <= 0 || typeof record.time !== 'string') continue;
        kept.push({ provider: record.provider, usd: record.costUsd, day: localDay(new Date(record.time)) });
      } catch {
        // Written by this process: always JSON. Nothing to count otherwise.
      }
    }
    this.keptSpendReachesOthers = await this.router.publishKeptSpend(kept);
    this.options.onLedgerKept?.();
  }
}

/** Where this Switchboard's ledger is; a named pipe or folder there is passed over, as a relative path is (ledgerPath.ts). */
function switchboardLedgerPath(options: SwitchboardOptions, config: SwitchboardConfig): Promise<ResolvedLedgerPath> {
  const env = options.env ?? process.env;
  return resolveLedgerFile({
    flag: options.ledgerPath,
    env: config.ledger.ignoreEnvironment ? { ...env, SWITCHBOARD_LEDGER: undefined } : env,
    setting: config.ledger.path,
    ...(options.ledgerSettingName ? { settingName: options.ledgerSettingName } : {}),
  });
}
