import { aggregateLedger, readLedgerRecords, type LedgerTotals, type ReadOptions } from './ledger/reader';
import type { LedgerRecord } from './ledger/record';
import { LedgerWriter, type LedgerFailure, type LedgerWriterOptions } from './ledger/writer';

export type { BudgetEffect, CostSource, LedgerRecord, LedgerSource, ServedFrom } from './ledger/record';
export type { LedgerCell } from './ledger/totals';
export type { LedgerTotals } from './ledger/reader';

/**
 * The ledger as the rest of the core holds it: one path, written through
 * ledger/writer.ts and read through ledger/reader.ts. The parts live in
 * src/core/ledger/: record (the shape and its check), writer, rotation,
 * reader (scan, summaries, tail), totals, path policy, scrubbing.
 */
export class Ledger {
  private readonly writer: LedgerWriter;

  constructor(
    readonly path: string,
    options: LedgerWriterOptions = {},
  ) {
    this.writer = new LedgerWriter(path, options);
  }

  append(record: LedgerRecord): Promise<void> {
    return this.writer.append(record);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Tries what is queued or kept once more, then stops writing for good (see LedgerWriter.stop). */
  stop(): Promise<void> {
    return this.writer.stop();
  }

  /** Records not written yet because writing fails (see LedgerWriter.unwrittenLines). */
  unwrittenLines(): string[] {
    return this.writer.unwrittenLines();
  }

  /** While writing fails: why, how many records wait in memory, and how many were dropped. */
  failure(): LedgerFailure | undefined {
    return this.writer.failure();
  }

  /** Takes the records not written yet away from this ledger, which stops trying them (see LedgerWriter.takeUnwritten). */
  takeUnwritten(): string[] {
    return this.writer.takeUnwritten();
  }

  /** The records at or after `since`, from every file of the ledger. A missing ledger is empty. */
  read(options: ReadOptions = {}): Promise<{ records: LedgerRecord[]; warnings: string[] }> {
    return readLedgerRecords(this.path, options);
  }

  /** Totals by day, task, provider, model and source. */
  aggregate(options: ReadOptions = {}): Promise<LedgerTotals> {
    return aggregateLedger(this.path, options);
  }
}
