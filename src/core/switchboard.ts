import type { SwitchboardConfig } from './config';
import type { KeyStore } from './credentials';
import { defaultLedgerPath, Ledger, type LedgerSource } from './ledger';
import { startOfLocalDay } from './localDay';
import { PriceTable } from './prices/priceTable';
import { ProviderRegistry } from './providerRegistry';
import { Router, type RouterEvent } from './router';
import { SpendTracker } from './spendTracker';

export interface SwitchboardOptions {
  config: SwitchboardConfig;
  source: LedgerSource;
  env?: NodeJS.ProcessEnv;
  keyStore?: KeyStore;
  /** Overrides config.ledger.path and SWITCHBOARD_LEDGER (the CLI's --ledger). */
  ledgerPath?: string;
  onEvent?: (event: RouterEvent) => void;
  /** The clock, for tests of cooldowns and days. */
  now?: () => number;
}

/**
 * The core, assembled: what both the extension and the CLI hold. Settings
 * changes go through `reconfigure`, which keeps loaded SDK clients whose
 * settings did not change.
 */
export class Switchboard {
  readonly registry: ProviderRegistry;
  readonly spend = new SpendTracker();
  readonly router: Router;
  ledger: Ledger;
  private config: SwitchboardConfig;
  private prices: PriceTable;

  private constructor(private readonly options: SwitchboardOptions) {
    this.config = options.config;
    this.prices = new PriceTable(options.config.prices);
    this.registry = new ProviderRegistry(options.env ?? process.env, options.keyStore);
    this.ledger = new Ledger(this.resolveLedgerPath(options.config));
    this.router = new Router({
      registry: this.registry,
      prices: () => this.prices,
      config: () => this.config,
      ledger: () => this.ledger,
      spend: this.spend,
      source: options.source,
      onEvent: options.onEvent,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  static async create(options: SwitchboardOptions): Promise<Switchboard> {
    const switchboard = new Switchboard(options);
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

  /** Applies new settings (or newly stored keys) without a restart. */
  async reconfigure(config: SwitchboardConfig): Promise<void> {
    this.config = config;
    this.prices = new PriceTable(config.prices);
    const path = this.resolveLedgerPath(config);
    if (path !== this.ledger.path) {
      await this.ledger.flush();
      this.ledger = new Ledger(path);
    }
    await this.registry.configure(config);
  }

  /** Loads today's records from the ledger into the spend tracker. */
  async loadToday(): Promise<string[]> {
    const { records, warnings } = await this.ledger.read({ since: startOfLocalDay() });
    this.spend.load(records);
    return warnings;
  }

  private resolveLedgerPath(config: SwitchboardConfig): string {
    const env = this.options.env ?? process.env;
    return this.options.ledgerPath || env.SWITCHBOARD_LEDGER || config.ledger.path || defaultLedgerPath(env);
  }
}
