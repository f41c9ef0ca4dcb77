import { localDay } from '../localDay';
import { formatModelRef } from '../modelRef';
import { ZERO_USAGE, type ModelRef, type Task } from '../types';
import type { LedgerRecord, LedgerSource, ServedFrom } from './record';
import { newRecordId } from './recordId';

const MINUTE_MS = 60_000;

/**
 * Inline completions served without a model request (the cache, typing
 * through shown ghost text, joining a request already streaming) happen on
 * nearly every keystroke. They cost nothing, so one line each would only
 * grow the ledger: they are counted here and written as one record per
 * minute, task, model and kind, with `count`. A minute's record goes out
 * when the minute is over (or at flush); a process killed before then loses
 * that minute's counts, never any money.
 */
export class ServedTally {
  private readonly buckets = new Map<string, LedgerRecord>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (record: LedgerRecord) => void,
    private readonly now: () => number,
    private readonly source: LedgerSource,
    /** Told after each count, e.g. to show the held counts (heldOn) where today's are read. */
    private readonly onCount?: () => void,
  ) {}

  add(task: Task, ref: ModelRef | undefined, servedFrom: ServedFrom): void {
    const minute = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    const requestedModel = ref ? formatModelRef(ref) : '';
    const key = `${minute}\u0000${task}\u0000${requestedModel}\u0000${servedFrom}`;
    const bucket = this.buckets.get(key);
    if (bucket) {
      bucket.count = (bucket.count ?? 1) + 1;
      this.onCount?.();
      return;
    }
    this.buckets.set(key, {
      v: 1,
      id: newRecordId(),
      time: new Date(minute).toISOString(),
      task,
      provider: ref?.provider ?? '',
      model: ref?.model ?? '',
      requestedModel,
      usage: { ...ZERO_USAGE },
      usageEstimated: false,
      costUsd: 0,
      latencyMs: 0,
      firstTokenMs: null,
      outcome: 'ok',
      attempts: [],
      source: this.source,
      servedFrom,
      count: 1,
    });
    this.timer ??= setTimeout(() => this.flushClosedMinutes(), minute + MINUTE_MS - this.now() + 50);
    this.timer.unref();
    this.onCount?.();
  }

  /**
   * The completions counted on local `day` and not yet handed to the ledger:
   * what a reader of the ledger (today's spend) does not see yet. A few
   * buckets at most (a minute or two of tasks, models and kinds).
   */
  heldOn(day: string): number {
    let held = 0;
    for (const record of this.buckets.values()) if (localDay(new Date(record.time)) === day) held += record.count ?? 1;
    return held;
  }

  /** Writes every count, the current minute's too (at exit). */
  flush(): void {
    this.write(() => true);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flushClosedMinutes(): void {
    this.timer = undefined;
    const current = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    this.write((record) => Date.parse(record.time) < current);
    if (this.buckets.size > 0) {
      this.timer = setTimeout(() => this.flushClosedMinutes(), current + MINUTE_MS - this.now() + 50);
      this.timer.unref();
    }
  }

  private write(due: (record: LedgerRecord) => boolean): void {
    for (const [key, record] of this.buckets) {
      if (!due(record)) continue;
      this.buckets.delete(key);
      this.emit(record);
    }
    if (this.buckets.size === 0) this.dispose();
  }
}
