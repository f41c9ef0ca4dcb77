import { localDay } from './localDay';
import type { LedgerRecord } from './ledger';
import type { Task } from './types';

export interface SpendLine {
  requests: number;
  costUsd: number;
  /** Requests whose model has no known price: their cost is unknown, not zero. */
  unpriced: number;
}

export interface DaySpend {
  day: string;
  total: SpendLine;
  /** Inline completions served without a request (cache, typed-through, in-flight): not billed. */
  servedWithoutRequest: number;
  byTask: Partial<Record<Task, SpendLine>>;
  byModel: Record<string, SpendLine>;
}

/**
 * Today's spend, kept in memory from the records this process writes plus
 * what the ledger already held for today (the CLI and other windows write to
 * the same file). Drives the status bar and the daily budget without
 * re-reading the ledger on every request.
 */
export class SpendTracker {
  private current: DaySpend;
  private readonly recent: LedgerRecord[] = [];

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly recentLimit = 50,
  ) {
    this.current = emptyDay(localDay(this.now()));
  }

  /** Seeds from ledger records (any days: only today's count). */
  load(records: Iterable<LedgerRecord>): void {
    this.current = emptyDay(localDay(this.now()));
    for (const record of records) this.count(record);
  }

  add(record: LedgerRecord): void {
    this.count(record);
    if (record.servedFrom) return;
    this.recent.unshift(record);
    if (this.recent.length > this.recentLimit) this.recent.length = this.recentLimit;
  }

  today(): DaySpend {
    this.rollOver();
    return this.current;
  }

  todayUsd(): number {
    return this.today().total.costUsd;
  }

  /** The newest records first, from this process. */
  recentRecords(): readonly LedgerRecord[] {
    return this.recent;
  }

  private rollOver(): void {
    const day = localDay(this.now());
    if (day !== this.current.day) this.current = emptyDay(day);
  }

  private count(record: LedgerRecord): void {
    this.rollOver();
    if (localDay(new Date(record.time)) !== this.current.day) return;
    if (record.servedFrom) {
      this.current.servedWithoutRequest += 1;
      return;
    }
    const modelKey = `${record.provider}:${record.model}`;
    for (const line of [
      this.current.total,
      (this.current.byTask[record.task] ??= emptyLine()),
      (this.current.byModel[modelKey] ??= emptyLine()),
    ]) {
      line.requests += 1;
      if (record.costUsd === null) line.unpriced += 1;
      else line.costUsd += record.costUsd;
    }
  }
}

function emptyLine(): SpendLine {
  return { requests: 0, costUsd: 0, unpriced: 0 };
}

function emptyDay(day: string): DaySpend {
  return { day, total: emptyLine(), servedWithoutRequest: 0, byTask: {}, byModel: {} };
}
