import type { RetryTimers } from '../../../src/core/ledger/writer';

/**
 * Retry timers that fire only when the test says: what a retry would do, or that none is set, is seen without
 * waiting for one (no sleep, no race with the timer).
 */
export class ManualRetryTimers implements RetryTimers {
  private readonly timers = new Map<number, () => void>();
  private nextId = 1;
  /** Every retry ever set, cleared or not. */
  setCount = 0;

  set(callback: () => void, _ms: number): unknown {
    const id = this.nextId++;
    this.setCount++;
    this.timers.set(id, callback);
    return id;
  }

  clear(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Retries set and neither fired nor cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Fires every retry still set, as if its time had come. */
  fireAll(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const callback of due) callback();
  }
}
