import type { BudgetAction, BudgetConfig } from '../config';
import { editorSettingName, settingPlace, type SettingNamer } from '../config/settingNamer';
import { formatBudgetFigures, formatUsd, roundUsd } from '../cost';
import { localDay } from '../localDay';
import { priceEntryHint } from '../prices/priceHint';
import { budgetLimits, limitApplies, periodEnd, type BudgetLimit } from './budgetLimits';
import type { PeriodSpend } from './periodSpend';
import type { SeenElsewhere } from './sharedReservations';

export type BudgetLevel = 'ok' | 'warning' | 'reached';

/** Where one limit stands now. */
export interface BudgetStatus {
  limit: BudgetLimit;
  /** Finished requests of the period, from every process sharing the ledger. */
  spentUsd: number;
  /** Of spentUsd: requests to models with no known price, counted at budget.unpricedEstimate. */
  estimatedUsd: number;
  /** Of spentUsd: requests recorded with no price, counted at the price their model has now. Optional: built by hand in tests. */
  pricedSinceUsd?: number;
  /** Worst-case cost of this process's requests still in flight. */
  reservedUsd: number;
  /** limit - spent - reserved, never below 0. */
  leftUsd: number;
  level: BudgetLevel;
  resetsAt: Date;
}

/** May a request go, and what applies if not. */
export type Admission =
  | { kind: 'go'; reservation: Reservation; overridden?: boolean }
  /** A limit is reached by what was spent and what is in flight: `action` says what the router does about it. */
  | { kind: 'over'; action: BudgetAction; status: BudgetStatus; message: string }
  /** The model has no price and `budget.unpriced` is `refuse`. */
  | { kind: 'unpriced'; message: string };

export interface Reservation {
  readonly usd: number;
  /** Ends the reservation: once the request's ledger record counts in the spend (or it was never sent). */
  release(): void;
}

export interface BudgetGateDeps {
  config: () => BudgetConfig;
  /** The period spend now, every process's finished requests included. */
  spend: () => PeriodSpend;
  /** How its messages name a setting (the editor's by default; the CLI's names its --config file's key). */
  settingName?: SettingNamer;
}

/**
 * Budgets: where each limit stands, and whether a request may go. A limit is
 * an upper bound on spend: a request goes only while what was spent, what is
 * in flight and its own worst case (its prompt and every output token it may
 * generate, see requestCost.ts) together stay within every limit that
 * applies, and it reserves that worst case until its record counts in the
 * spend. So requests started at once cannot together pass a limit, and the
 * last cents of a limit go only to a request that cannot cost more than them.
 * Admission and reservation are one synchronous step: no other request is
 * admitted between the check and the reservation.
 */
/**
 * Whose requests in flight an admission counts besides the spend: every
 * process's (this one's and the others' as last read, see SharedReservations),
 * or this process's alone (inline completions, which skip the shared lock; see
 * SharedAdmission.admit in router/sharedAdmission.ts).
 */
export type InFlightScope = 'everywhere' | 'here';

export interface AdmitOptions {
  /** Whether a pending "Allow once" may be spent on this request (not on ghost text, which would spend it unseen). */
  allowOnce?: boolean;
  /**
   * This request already spent an "Allow once" on a model that then failed
   * before answering: its next model (a fallback, or Auto's other tier) is
   * the same question, so it goes past the limit too, spending nothing more.
   */
  allowedOnce?: boolean;
  inFlight?: InFlightScope;
  /** The model asked, to name in a refusal ("openai has no known price for this model" left the user to guess which). */
  model?: string;
  /**
   * The local day the request started: its reservation holds against that day's and month's limits only, as its
   * ledger record will count (a request streaming across midnight is the day before's, not the new day's).
   */
  day?: string;
  /**
   * `usd` counts the model at budget.unpricedEstimate, the model having no price: a refusal says so and how to price
   * it (a local model refused as "could cost up to $0.062" read as a real price).
   */
  estimated?: boolean;
}

export class BudgetGate {
  private readonly reserved = new Map<number, SeenElsewhere>();
  private nextId = 1;
  private allowance = 0;
  /** Other processes' requests in flight, as last read (see SharedReservations). */
  private others: readonly SeenElsewhere[] = [];

  private readonly settingName: SettingNamer;

  constructor(private readonly deps: BudgetGateDeps) {
    this.settingName = deps.settingName ?? editorSettingName;
  }

  /** Whether any limit is set: without one, requests need no estimate and no reservation. */
  active(): boolean {
    return budgetLimits(this.deps.config()).length > 0;
  }

  /** Every limit set, as it stands now. */
  statuses(): BudgetStatus[] {
    const config = this.deps.config();
    const spend = this.deps.spend();
    return budgetLimits(config).map((limit) => this.status(limit, spend, config.warnAt));
  }

  /** The limit closest to (or furthest past) its end, for the status bar; undefined when none is set or none is near. */
  mostPressing(): BudgetStatus | undefined {
    const status = this.closest();
    return status?.level === 'ok' ? undefined : status;
  }

  /** The limit closest to (or furthest past) its end, however far it is; undefined when none is set. */
  closest(): BudgetStatus | undefined {
    // Nearest by what is left, not by its share: the status bar says what the next requests can spend.
    return this.statuses().sort((a, b) => rank(b) - rank(a) || a.leftUsd - b.leftUsd)[0];
  }

  /**
   * Admits a request to `provider` whose worst case is `usd` (null: the model
   * is unpriced and no estimate stands in) and reserves it, or says which
   * limit it would pass. A pending "Allow once" lets it past, and is spent,
   * only when it would be refused otherwise (`block`, or an unpriced model
   * refused), and only for a request the user asked for (`allowOnce`: not
   * ghost text, which would spend it unseen).
   */
  admit(provider: string, usd: number | null, { allowOnce = true, allowedOnce = false, inFlight = 'everywhere', model, day, estimated = false }: AdmitOptions = {}): Admission {
    const config = this.deps.config();
    const limits = budgetLimits(config).filter((limit) => limitApplies(limit, provider));
    if (limits.length === 0) return { kind: 'go', reservation: this.reserve(provider, usd ?? 0, day) };
    const allowed = (): Admission | undefined => {
      if (allowedOnce) return { kind: 'go', reservation: this.reserve(provider, usd ?? 0, day), overridden: true };
      if (!allowOnce || this.allowance === 0) return undefined;
      this.allowance--;
      return { kind: 'go', reservation: this.reserve(provider, usd ?? 0, day), overridden: true };
    };
    if (usd === null) {
      return (
        allowed() ?? {
          kind: 'unpriced',
          message: `${model === undefined ? `${provider} has no known price for this model` : `${provider}:${model} has no known price`}, and under a budget requests to unpriced models are refused (${this.settingName('budget.unpriced')} is "refuse"; give it a price ${settingPlace(this.settingName, 'prices')}${model === undefined ? '' : ` (${priceEntryHint(`${provider}:${model}`)})`}, or set ${this.settingName('budget.unpriced')} to "estimate" to count it at ${this.settingName('budget.unpricedEstimate')})`,
        }
      );
    }
    const over = this.passing(provider, usd, inFlight);
    // "Allow once" is granted from a refusal, for a request `block` would refuse: under `warn` and `downgrade`
    // the request goes anyway, and spending the allowance there would leave nothing for the next switch to `block`.
    const unpricedModel = estimated ? (model === undefined ? provider : `${provider}:${model}`) : undefined;
    if (over) return (config.action === 'block' ? allowed() : undefined) ?? { kind: 'over', action: config.action, status: over, message: this.refusalMessage(over, usd, unpricedModel) };
    return { kind: 'go', reservation: this.reserve(provider, usd, day) };
  }

  /**
   * The limit that stops requests to `provider` outright (`block`, no "Allow
   * once" pending), if any: spent in full, or, given `usd`, too little left for
   * a request whose worst case is `usd`. Inline completions make no request
   * at all while there is one. Options as for admit().
   */
  blocking(provider: string, usd = 0, { allowOnce = true, inFlight = 'everywhere' }: AdmitOptions = {}): BudgetStatus | undefined {
    const config = this.deps.config();
    if (config.action !== 'block' || (allowOnce && this.allowance > 0)) return undefined;
    const spend = this.deps.spend();
    for (const limit of budgetLimits(config)) {
      if (!limitApplies(limit, provider)) continue;
      const status = this.status(limit, spend, config.warnAt, inFlight);
      if (status.level === 'reached' || (usd > 0 && !fits(status, usd))) return status;
    }
    return undefined;
  }

  /** The first limit that applies to `provider` which a request whose worst case is `usd` would pass, with what is in flight; undefined when it fits every one. Reserves nothing. */
  passing(provider: string, usd: number, inFlight: InFlightScope = 'everywhere'): BudgetStatus | undefined {
    const config = this.deps.config();
    const spend = this.deps.spend();
    for (const limit of budgetLimits(config)) {
      if (!limitApplies(limit, provider)) continue;
      const status = this.status(limit, spend, config.warnAt, inFlight);
      if (!fits(status, usd)) return status;
    }
    return undefined;
  }

  /**
   * Reserves without checking: a request that goes on past a limit (`warn`, `downgrade`) is still in flight.
   * `day`: the local day its request started (AdmitOptions.day); without it, it holds against the current day.
   */
  reserve(provider: string, usd: number, day?: string): Reservation {
    const id = this.nextId++;
    this.reserved.set(id, { provider, usd, ...(day !== undefined ? { since: day } : {}) });
    let released = false;
    return {
      usd,
      release: () => {
        if (released) return;
        released = true;
        this.reserved.delete(id);
      },
    };
  }

  /**
   * What other processes sharing the ledger have in flight now, counted with this process's own reservations,
   * and what they spent that their ledger could not take yet (`day` set), counted as spent in its day and month.
   */
  seeOthers(others: readonly SeenElsewhere[]): void {
    this.others = others;
  }

  /** "Allow once": the next request a limit would stop goes ahead. */
  allowOnce(): void {
    this.allowance = 1;
  }

  private status(limit: BudgetLimit, spend: PeriodSpend, warnAt: number, inFlight: InFlightScope = 'everywhere'): BudgetStatus {
    let spentUsd = spend.usd(limit.period, limit.provider);
    let reservedUsd = 0;
    const counted = inFlight === 'here' ? [...this.reserved.values()] : [...this.reserved.values(), ...this.others];
    for (const entry of counted) {
      if (!limitApplies(limit, entry.provider)) continue;
      // Spent and not in the ledger yet: counted in its day's and month's spend.
      if (entry.day !== undefined) {
        if (inPeriod(limit.period, entry.day, spend.day)) spentUsd += entry.usd;
        // In flight: held against the period it started in, where its record will count.
      } else if (entry.since === undefined || inPeriod(limit.period, entry.since, spend.day)) reservedUsd += entry.usd;
    }
    spentUsd = roundUsd(spentUsd);
    reservedUsd = roundUsd(reservedUsd);
    const used = spentUsd + reservedUsd;
    const level: BudgetLevel = spentUsd >= limit.limitUsd ? 'reached' : used >= limit.limitUsd * warnAt ? 'warning' : 'ok';
    const estimatedUsd = roundUsd(spend.estimatedUsd(limit.period, limit.provider));
    const pricedSinceUsd = roundUsd(spend.pricedSinceUsd(limit.period, limit.provider));
    return { limit, spentUsd, estimatedUsd, pricedSinceUsd, reservedUsd, leftUsd: roundUsd(Math.max(0, limit.limitUsd - used)), level, resetsAt: periodEnd(limit.period, spend.day) };
  }

  /**
   * Why requests are refused while `status` is reached, by what was spent or by
   * what is in flight, or (given `usd`, the request's worst case) why this
   * request does not fit in what is left.
   */
  refusalMessage(status: BudgetStatus, usd = 0, unpricedModel?: string): string {
    const { limit } = status;
    if (limit.invalid !== undefined) return this.overMessage(status, usd, unpricedModel);
    return `${this.overMessage(status, usd, unpricedModel)}; it resets ${describeReset(status.resetsAt)} (raise ${this.settingName(limit.setting)} to continue now)`;
  }

  /**
   * Where `status` stands against a request whose worst case is `usd`, without what to do about it: the
   * refusal's first words, and what `warn` and `downgrade` say of the request they let through ("daily budget
   * reached" was said of a limit not yet reached, that only this request's worst case would pass).
   * `unpricedModel`: the model (`provider:model`) whose worst case `usd` counts at budget.unpricedEstimate, having
   * no price; the message then says the price is assumed and how to give it one.
   */
  overMessage(status: BudgetStatus, usd = 0, unpricedModel?: string): string {
    const { limit } = status;
    if (limit.invalid !== undefined) {
      return `${this.settingName(limit.setting)} is not a valid limit: ${limit.invalid}; until it is fixed the ${limit.label} counts as reached`;
    }
    const inFlight = status.reservedUsd > 0 ? `, ${formatUsd(status.reservedUsd)} in flight` : '';
    // A spend made of requests to unpriced models is an assumption, said as such (as budgetLine says it).
    const estimated = assumedSpend(status, this.settingName);
    const used = status.spentUsd + status.reservedUsd;
    const figures = formatBudgetFigures(limit.limitUsd, status.spentUsd, status.reservedUsd, status.leftUsd);
    const what =
      status.level === 'reached'
        ? `${limit.label} reached: ${formatUsd(status.spentUsd)} spent of ${formatUsd(limit.limitUsd)}${estimated}${inFlight}`
        : used >= limit.limitUsd
          ? `${limit.label} taken up by requests in flight: ${formatUsd(status.spentUsd)} spent and ${formatUsd(status.reservedUsd)} in flight of ${formatUsd(limit.limitUsd)}${estimated}`
          : `${figures.left} left of the ${limit.label} (${figures.spent} spent of ${formatUsd(limit.limitUsd)}${estimated}${status.reservedUsd > 0 ? `, ${figures.reserved} in flight` : ''}), and this request could cost up to ${formatUsd(usd)} (its prompt and every output token it may generate; ${unpricedModel === undefined ? 'a lower max tokens setting or a cheaper model asks for less' : this.assumedPrice(unpricedModel)})`;
    return what;
  }

  /**
   * Why a worst case is what it is when its model has no price: the estimate it was counted at, and the entry that
   * prices it. Shown only for a model that is not local (a loopback server's unpriced model costs $0 already): a
   * server across the network, a gateway, a loopback server in a remote window, a provider's model newer than the
   * table. Some of those bill nothing and some bill a provider's rates, so the hint names both.
   */
  private assumedPrice(unpricedModel: string): string {
    const { input, output } = this.deps.config().unpricedEstimate;
    return (
      `${unpricedModel} has no known price, so this assumes ${this.settingName('budget.unpricedEstimate')}, ${formatUsd(input)} input and ${formatUsd(output)} output per million tokens; ` +
      `give it its price ${settingPlace(this.settingName, 'prices')}, in USD per million tokens: "${unpricedModel}": { "input": 0, "output": 0 } if nothing bills you for it (a server of your own), else its provider's rates`
    );
  }
}

/** Whether `day` falls in the period (the day, or the month up to the day) of `today`. */
function inPeriod(period: BudgetLimit['period'], day: string, today: string): boolean {
  return period === 'day' ? day === today : day.slice(0, 7) === today.slice(0, 7) && day <= today;
}

/** Whether a request whose worst case is `usd` fits in what `status` leaves: never once the limit is spent or taken up, even at $0. */
function fits(status: BudgetStatus, usd: number): boolean {
  const used = status.spentUsd + status.reservedUsd;
  // Rounded like the figures themselves, so a request of exactly what is left fits.
  return used < status.limit.limitUsd && roundUsd(used + usd) <= status.limit.limitUsd;
}

/**
 * One limit as the cost dashboard lists it: "Daily budget: $3.20 left of $5.00 ($1.80 spent); resets on 2026-12-02
 * at 00:00 (switchboard.budget.dailyUsd)", or "Daily budget reached: …". `settingOf` names the setting where the
 * reader sets it (the CLI's --config key).
 */
export function budgetLine(status: BudgetStatus): string {
  return budgetLineNaming(status, editorSettingName);
}

/** budgetLine with the setting named by `settingOf` (a function of its own: budgetLine is passed to `map`). */
export function budgetLineNaming(status: BudgetStatus, settingOf: SettingNamer): string {
  const { limit } = status;
  const label = `${limit.label.charAt(0).toUpperCase()}${limit.label.slice(1)}`;
  if (limit.invalid !== undefined) return `${label}: ${settingOf(limit.setting)} is not a valid limit (${limit.invalid}); it counts as reached until it is fixed`;
  // Beside a spend figure that leaves unpriced requests out (the dashboard's), a budget that counts them at the
  // estimate read as a different figure for the same requests. (`doctor`'s "spent" is the budgets' figure, and says so.)
  const estimate = assumedSpend(status, settingOf);
  const inFlight = `${estimate}${status.reservedUsd > 0 ? `, ${formatUsd(status.reservedUsd)} in flight` : ''}`;
  const figures = formatBudgetFigures(limit.limitUsd, status.spentUsd, status.reservedUsd, status.leftUsd);
  const where =
    status.level === 'reached'
      ? `${label} reached: ${formatUsd(status.spentUsd)} spent of ${formatUsd(limit.limitUsd)}${inFlight}`
      : `${label}: ${figures.left} left of ${formatUsd(limit.limitUsd)} (${figures.spent} spent${estimate}${status.reservedUsd > 0 ? `, ${figures.reserved} in flight` : ''})`;
  return `${where}; resets ${describeReset(status.resetsAt)} (${settingOf(limit.setting)})`;
}

/**
 * The part of a limit's spend that no record holds as a cost: requests to unpriced models at the stated estimate,
 * and requests recorded with no price counted at the price their model has since (", $0.40 of it requests recorded
 * with no price, counted at their model's price now"), since the dashboard's spend beside it leaves both out.
 */
function assumedSpend(status: BudgetStatus, settingOf: SettingNamer): string {
  const estimated = status.estimatedUsd > 0 ? `, ${formatUsd(status.estimatedUsd)} of it requests to unpriced models counted at ${settingOf('budget.unpricedEstimate')}` : '';
  const pricedSince = (status.pricedSinceUsd ?? 0) > 0 ? `, ${formatUsd(status.pricedSinceUsd ?? 0)} of it requests recorded with no price, counted at their model's price now` : '';
  return `${estimated}${pricedSince}`;
}

/** "at midnight (2026-12-01 00:00)": when a limit's period ends, in local time. */
export function describeReset(at: Date): string {
  return `on ${localDay(at)} at 00:00`;
}

function rank(status: BudgetStatus): number {
  return status.level === 'reached' ? 2 : status.level === 'warning' ? 1 : 0;
}
