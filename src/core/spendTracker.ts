import type { LedgerPrices } from './ledger/costCheck';
import { readArchivedDays, readDayAndFollow } from './ledger/reader';
import type { LedgerRecord } from './ledger/record';
import type { LedgerTail } from './ledger/tail';
import { CellTable, type LedgerCell } from './ledger/totals';
import { localDay } from './localDay';
import type { Task } from './types';

/** Own records remembered until read back: far more than a process writes between two reads. */
const MAX_OWN_IDS = 10_000;

export interface SpendLine {
  requests: number;
  costUsd: number;
  /** Requests whose model has no known price: their cost is unknown, not zero. */
  unpriced: number;
  /** Requests recorded as served on this machine that nobody priced (LedgerCell.local): their $0 reads "local, $0". */
  local?: number;
  /** Requests charged at the vendor's rate though served on this machine (LedgerCell.tableRate). */
  tableRate?: number;
}

export interface DaySpend {
  day: string;
  total: SpendLine;
  /** Inline completions served without a request (cache, typed-through, in-flight): not billed. */
  servedWithoutRequest: number;
  byTask: Partial<Record<Task, SpendLine>>;
  byModel: Record<string, SpendLine>;
}

export interface AttachOptions {
  /** Follow the file as it grows (the editor); without it, catchUp() reads what is new (the CLI). */
  watch?: boolean;
  /** Called when spend from another process arrived. */
  onChange?: () => void;
  /** A line of the ledger that was skipped, naming the file and line. */
  onWarning?: (warning: string) => void;
  /** Where the user sets the ledger's path, as the warnings name it (`switchboard.ledger.path` in the editor). */
  pathSetting?: string;
  /**
   * The reader's prices, which judge a recorded cost (costCheck.ts): the editor's `switchboard.prices`, the CLI's
   * --config; the price table alone by default. Other prices mean attaching again (`again`).
   */
  prices?: LedgerPrices;
}

/**
 * This month's spend across every process that shares the ledger, by day:
 * the status bar (today) and the budgets (the day and the month) read it on
 * every request, so it lives in memory.
 *
 * - This process's records count the moment they finish (add), before they
 *   reach the file; each carries an id, and when the file is read back the
 *   ones this process wrote are recognised and not counted again.
 * - attach() reads the month's records once (from its first day's first
 *   byte, found in the file's summary), then follows the file: new
 *   bytes only, as they are appended by other windows and the CLI (watched,
 *   or read by catchUp() before a request is sent).
 * - Nothing is ever replaced, only added: a request that finishes while the
 *   first read runs is counted once, whichever comes first.
 */
export class SpendTracker {
  private cells = new CellTable();
  /**
   * Records this process counted that the file has not shown yet, by id: kept whole, since a file replaced
   * under the tracker is counted again from nothing, and these are in no file yet.
   */
  private readonly own = new Map<string, LedgerRecord>();
  private readonly recent: LedgerRecord[] = [];
  private tail: LedgerTail | undefined;
  private base: string | undefined;
  /** The first day attach() read from (the month's first): a replaced live file is counted again from there. */
  private fromDay = '';
  /** catchUp() one at a time: a replaced file's recount awaits the archives, and a read meanwhile would be lost. */
  private catching: Promise<boolean> = Promise.resolve(false);
  private generation = 0;
  private onWarning: (warning: string) => void = () => {};

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly recentLimit = 50,
  ) {}

  /** Reads this month's records of the ledger at `base` and follows it from there. Returns the lines it skipped. */
  async attach(base: string, options: AttachOptions = {}, again = false): Promise<string[]> {
    const generation = ++this.generation;
    if (this.base !== undefined && this.base !== base) {
      // Another ledger: its spend, not the last one's (records of this process included).
      this.cells = new CellTable();
      this.own.clear();
    }
    // The same ledger read again from its start: counted from nothing, this process's records not in it yet kept.
    const recount = again && this.base === base;
    // From here on this process's records are remembered, before the first read starts.
    this.base = base;
    await this.closeTail();
    this.onWarning = options.onWarning ?? (() => {});
    this.fromDay = `${this.currentDay().slice(0, 7)}-01`;
    const { records, warnings, tail } = await readDayAndFollow(base, this.fromDay, (warning) => this.onWarning(warning), options.pathSetting, options.prices);
    if (generation !== this.generation) {
      await tail.close();
      return warnings;
    }
    this.tail = tail;
    if (recount) this.cells = new CellTable();
    for (const record of records) this.countRead(record);
    if (recount) for (const record of this.own.values()) this.count(record);
    if (options.watch) {
      tail.watch(() => {
        void this.catchUp().then((changed) => {
          if (changed) options.onChange?.();
        });
      });
    }
    return warnings;
  }

  /** Stops following the ledger (shutting down). */
  async detach(): Promise<void> {
    this.generation++;
    this.base = undefined;
    this.own.clear();
    await this.closeTail();
  }

  private async closeTail(): Promise<void> {
    const tail = this.tail;
    this.tail = undefined;
    await tail?.close();
  }

  /** Counts what other processes appended since the last read. True when anything was counted. */
  catchUp(): Promise<boolean> {
    const next = this.catching.then(() => this.readChanges());
    this.catching = next.catch(() => false);
    return next;
  }

  private async readChanges(): Promise<boolean> {
    const tail = this.tail;
    const base = this.base;
    if (!tail || base === undefined) return false;
    const generation = this.generation;
    const { records, replaced } = await tail.readChanges();
    if (replaced) {
      // Read before anything is dropped, so the spend is never briefly the live file's alone.
      const archived = await readArchivedDays(base, this.fromDay, tail.prices).catch((error: unknown) => {
        this.onWarning(`${base}: could not read the archived months again after the ledger was replaced (${error instanceof Error ? error.message : String(error)}); this month's spend in them is not counted until the ledger is read again from its start (the window reloaded, or the next CLI run)`);
        return [];
      });
      if (generation !== this.generation) return false;
      this.startOver(archived);
    }
    let counted = replaced;
    for (const record of records) counted = this.countRead(record) || counted;
    return counted;
  }

  /**
   * The live ledger file was replaced or emptied (a sync tool, a restore, a hand edit): its records are all read
   * again, so the spend starts from the archived months' records (read again: those read when attaching, and a
   * live file rotated aside since) and this process's records not in the file yet. Otherwise every record would
   * count twice, and a window opened now (or the CLI), which reads only the ledger's files, would see another total.
   */
  private startOver(archived: readonly LedgerRecord[]): void {
    this.cells = new CellTable();
    for (const record of archived) this.countRead(record);
    for (const record of this.own.values()) this.count(record);
  }

  /** A record of this process, counted now; recognised by its id when read back from the file. */
  add(record: LedgerRecord): void {
    // Only a tracker that reads the ledger back (attached) needs to know its records there.
    if (record.id && this.base !== undefined) {
      this.own.set(record.id, record);
      if (this.own.size > MAX_OWN_IDS) this.own.delete(this.own.keys().next().value!);
    }
    this.count(record);
    if (record.servedFrom) return;
    this.recent.unshift(record);
    if (this.recent.length > this.recentLimit) this.recent.length = this.recentLimit;
  }

  today(): DaySpend {
    const day = this.currentDay();
    return daySpend(day, this.monthCells().filter((cell) => cell.day === day));
  }

  todayUsd(): number {
    const day = this.currentDay();
    let total = 0;
    for (const cell of this.cells.list()) if (cell.day === day) total += cell.costUsd;
    return total;
  }

  /** The month's cells so far, by day, task, provider and model: what budgets measure. */
  monthCells(): LedgerCell[] {
    const month = this.currentDay().slice(0, 7);
    return this.cells.list().filter((cell) => cell.day.startsWith(month));
  }

  /** The newest records first, from this process. */
  recentRecords(): readonly LedgerRecord[] {
    return this.recent;
  }

  private countRead(record: LedgerRecord): boolean {
    if (record.id && this.own.delete(record.id)) return false;
    return this.count(record);
  }

  private count(record: LedgerRecord): boolean {
    this.cells.add(record, localDay(new Date(record.time)));
    return true;
  }

  /**
   * Today, as the clock reads it now. Cells of other months are kept, not
   * forgotten when the month changes: a clock set back across a month's start
   * and then forward again (or a VM resumed from an older snapshot) would
   * otherwise return to a month whose spend is gone, and to budgets that see
   * nothing spent. A month's cells are few (a day × task × provider × model).
   */
  private currentDay(): string {
    return localDay(this.now());
  }
}

/** A day's cells as the status bar shows them: in total, by task and by model. */
export function daySpend(day: string, cells: readonly LedgerCell[]): DaySpend {
  const spend: DaySpend = { day, total: emptyLine(), servedWithoutRequest: 0, byTask: {}, byModel: {} };
  for (const cell of cells) {
    spend.servedWithoutRequest += cell.served;
    if (cell.requests === 0 && cell.billedAttempts === 0) continue;
    for (const line of [spend.total, (spend.byTask[cell.task] ??= emptyLine()), (spend.byModel[`${cell.provider}:${cell.model}`] ??= emptyLine())]) {
      line.requests += cell.requests;
      line.costUsd += cell.costUsd;
      line.unpriced += cell.unpriced;
      if (cell.local) line.local = (line.local ?? 0) + cell.local;
      if (cell.tableRate) line.tableRate = (line.tableRate ?? 0) + cell.tableRate;
    }
  }
  return spend;
}

function emptyLine(): SpendLine {
  return { requests: 0, costUsd: 0, unpriced: 0 };
}
