import { access, mkdir, open, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { BudgetAction } from '../config';
import { editorSettingName, nameSettings, type SettingNamer } from '../config/settingNamer';
import { formatUsd } from '../cost';
import { localDay } from '../localDay';
import { describeReset, type BudgetStatus } from './budgetGate';

/** A limit whose spend crossed `budget.warnAt` of it (`warning`) or the limit itself (`reached`). */
export interface BudgetCrossing {
  status: BudgetStatus;
  level: 'warning' | 'reached';
  /** What to tell the user, without the "Switchboard: " every notification starts with. */
  message: string;
}

export interface BudgetNoticesDeps {
  /** Every limit as it stands now. */
  statuses: () => BudgetStatus[];
  warnAt: () => number;
  action: () => BudgetAction;
  /**
   * The folder the processes sharing this ledger claim crossings in (beside
   * the ledger, like its in-flight folder); undefined when there is none.
   */
  folder: () => string | undefined;
  notify: (crossing: BudgetCrossing) => void;
  now?: () => Date;
  /** How a message names the limit's setting (the editor's by default). */
  settingName?: SettingNamer;
}

/**
 * Tells of each budget limit crossing once, across every window (and any
 * other process that tells of them) sharing the ledger, not once per window:
 * each process follows the same spend and would otherwise see the same
 * crossing. The first process to see it claims it by creating a file named
 * for the limit, its amount, the level and the period's end (an exclusive
 * create: exactly one process succeeds), and only that one tells.
 *
 * Crossings are judged on what was spent, not on what is in flight: every
 * process sees the same records, while requests in flight are each
 * process's own view. A limit raised past the spend can be crossed again
 * (its amount is in the name); the next period starts afresh (so is its end).
 * Where the folder cannot be written, each process tells of it once itself.
 */
export class BudgetNotices {
  /** Crossings this process has dealt with (told or seen claimed), so no file is touched for them again. */
  private readonly handled = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: BudgetNoticesDeps) {}

  /** Looks for new crossings; checks run one at a time, so a crossing is claimed once even here. */
  check(): Promise<void> {
    this.queue = this.queue.then(() => this.checkNow()).catch(() => undefined);
    return this.queue;
  }

  /**
   * Takes the crossings the spend shows now as dealt with, neither claimed nor told: a CLI run tells of the
   * crossings made while it runs (its own request's, or another process's meanwhile), not of those made before it
   * started, which stay unclaimed for the editor to tell when a window next reads the ledger.
   */
  passOver(): void {
    const warnAt = this.deps.warnAt();
    for (const status of this.deps.statuses()) {
      const level = crossedLevel(status, warnAt);
      if (!level) continue;
      this.handled.add(claimName(status, level));
      if (level === 'reached') this.handled.add(claimName(status, 'warning'));
    }
  }

  private async checkNow(): Promise<void> {
    const warnAt = this.deps.warnAt();
    for (const status of this.deps.statuses()) {
      const level = crossedLevel(status, warnAt);
      if (!level) continue;
      const name = claimName(status, level);
      if (this.handled.has(name)) continue;
      this.handled.add(name);
      // Reached at once: the warning is past too, and saying both would be one notification too many.
      if (level === 'reached') this.handled.add(claimName(status, 'warning'));
      else if (await this.claimed(claimName(status, 'reached'))) continue;
      if (!(await this.claim(name))) continue;
      this.deps.notify({ status, level, message: crossingMessage(status, level, warnAt, this.deps.action(), this.deps.settingName) });
    }
  }

  /** Whether another process claimed `name` already. */
  private async claimed(name: string): Promise<boolean> {
    const folder = this.deps.folder();
    if (!folder) return false;
    return access(path.join(folder, name)).then(
      () => true,
      () => false,
    );
  }

  /** True when this process is the one to tell: it created the claim, or no claim can be shared. */
  private async claim(name: string): Promise<boolean> {
    const folder = this.deps.folder();
    if (!folder) return true;
    try {
      await mkdir(folder, { recursive: true });
      await this.prune(folder);
      const handle = await open(path.join(folder, name), 'wx');
      await handle.close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      // A folder that cannot be written (a read-only ledger folder): told here, as it cannot be shared.
      return true;
    }
  }

  /** Removes claims of periods that have ended: they can never be claimed again. */
  private async prune(folder: string): Promise<void> {
    const today = localDay(this.deps.now?.() ?? new Date());
    for (const name of await readdir(folder)) {
      const ends = /\.until-(\d{4}-\d{2}-\d{2})$/.exec(name)?.[1];
      if (ends && ends <= today) await unlink(path.join(folder, name)).catch(() => undefined);
    }
  }
}

/** The level the spend alone has crossed, if any: a limit set to an invalid value is the settings warning's to tell. */
export function crossedLevel(status: BudgetStatus, warnAt: number): BudgetCrossing['level'] | undefined {
  if (status.limit.invalid !== undefined || status.spentUsd <= 0) return undefined;
  if (status.spentUsd >= status.limit.limitUsd) return 'reached';
  if (status.spentUsd >= status.limit.limitUsd * warnAt) return 'warning';
  return undefined;
}

/** "budget.dailyUsd@5.reached.until-2026-12-02": a file name (the setting encoded: a provider's name comes from settings). */
function claimName(status: BudgetStatus, level: BudgetCrossing['level']): string {
  return `${encodeURIComponent(status.limit.setting)}@${status.limit.limitUsd}.${level}.until-${localDay(status.resetsAt)}`;
}

/** "the daily budget is used up: $5.10 spent of $5.00; requests are refused until it resets on … (switchboard.budget.dailyUsd, switchboard.budget.action)". */
export function crossingMessage(status: BudgetStatus, level: BudgetCrossing['level'], warnAt: number, action: BudgetAction, settingName: SettingNamer = editorSettingName): string {
  const { limit } = status;
  const resets = describeReset(status.resetsAt);
  if (level === 'warning') {
    return `${formatUsd(status.spentUsd)} of the ${limit.label} (${formatUsd(limit.limitUsd)}) spent, past the warning at ${Math.round(warnAt * 100)}%; it resets ${resets} (${nameSettings(settingName, [limit.setting, 'budget.warnAt'])})`;
  }
  const then = atLimitUntil(action, `it resets ${resets}`);
  // Not "budget reached", the refusal's words: this tells of the crossing, a refusal of a question asked.
  return `the ${limit.label} is used up: ${formatUsd(status.spentUsd)} spent of ${formatUsd(limit.limitUsd)}; ${then} (${nameSettings(settingName, [limit.setting, 'budget.action'])})`;
}

/** What `budget.action` does to requests once a limit is used up, until `when` (the notice's and `switchboard costs`' words). */
export function atLimitUntil(action: BudgetAction, when: string): string {
  return action === 'block' ? `requests are refused until ${when}` : action === 'downgrade' ? `requests go to each route's cheapest model until ${when}` : `requests still go, with a warning, until ${when}`;
}
