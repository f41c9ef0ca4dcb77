import type { FileHandle } from 'node:fs/promises';
import { DayKeyer, localTimeZone } from '../localDay';
import { readAutoFile, writeAutoFile } from './autoFile';
import { AutoTally, type AutoPart } from './autoTally';
import { NotARegularFileError, openLedgerFile } from './ledgerPath';
import { SHIPPED_LEDGER_PRICES, type LedgerPrices } from './costCheck';
import { readLineBatches, readLines, parseLine } from './lines';
import type { LedgerRecord } from './record';
import { MAX_SUMMARY_WARNINGS, pricesPart, readSummary, SUMMARY_VERSION, writeSummary } from './summaryFile';
import { CellTable, type LedgerCell } from './totals';

export interface FileScan {
  /** Totals of every complete line. */
  cells: LedgerCell[];
  /** With `fromDay`: the records of that local day and later, in file order. */
  records: LedgerRecord[];
  /** One per skipped line, naming the file and line. */
  warnings: string[];
  /** The offset after the last complete line, where following the file continues, and the lines before it. */
  end: number;
  lines: number;
  ino: number;
  /**
   * With `auto`, Auto's part (as foldAutoPart gives it) when it came from this
   * same pass; undefined when its cache covers other bytes than the summary
   * and it must be read apart.
   */
  auto?: AutoPart;
  /** With `fold`: whether it took this pass's records (else it must read the file apart). */
  folded?: boolean;
}

/**
 * Something else built from the same records in the scan's one pass (the
 * dashboard's costliest requests): reading a year of records twice, once for
 * the cells and once for it, was half of the first open's time.
 */
export interface RecordFold {
  /**
   * Called before the lines are read, with the bytes the summary already
   * covers (0: none): true when the fold's own cache covers exactly those,
   * so it takes the records from there on; false leaves it out of this pass.
   */
  startAt(start: number, handle: FileHandle, size: number, ino: number, timeZone: string, prices: LedgerPrices): Promise<boolean>;
  /** A record of a complete line after `start`, on its local day; `pricesUsed` as ParsedLine's. */
  add(record: LedgerRecord, day: string, pricesUsed?: boolean): void;
  /** The pass ended at byte `end` (after the last complete line); the handle is still open. */
  finish(end: number, handle: FileHandle): Promise<void>;
}

export interface ScanOptions {
  /** Also return the records of this local day (YYYY-MM-DD) and later. */
  fromDay?: string;
  /** Write the summary back when this many bytes were read past it (default 64 KiB); Infinity never. */
  summarizeAfterBytes?: number;
  /** Also fold Auto's part (autoFile.ts) in the same pass, when its cache covers what the summary covers. */
  auto?: boolean;
  /** Also give the records to this, when its cache covers what the summary covers (see FileScan.folded). */
  fold?: RecordFold;
  /** The reader's prices, which judge a recorded cost (costCheck.ts); the price table alone by default. */
  prices?: LedgerPrices;
}

/** A ledger file that exists but cannot be read: named, with why. */
export class LedgerReadError extends Error {
  override readonly name = 'LedgerReadError';
}

/**
 * Reads one ledger file through its summary: the cells it holds, then the
 * lines written after it (and, for `fromDay`, the lines from that day's
 * first record). A missing file is empty.
 */
export async function scanFile(file: string, options: ScanOptions = {}): Promise<FileScan> {
  let handle: FileHandle;
  try {
    // Never waits on a named pipe (which a blocking open would, hanging the read and a thread of the pool).
    handle = await openLedgerFile(file, 'read');
  } catch (error) {
    if (error instanceof NotARegularFileError) throw new LedgerReadError(`${file}: the ledger path is ${error.kind}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { cells: [], records: [], warnings: [], end: 0, lines: 0, ino: 0 };
    throw new LedgerReadError(describeReadError(file, error));
  }
  try {
    const stat = await handle.stat();
    const timeZone = localTimeZone();
    const prices = options.prices ?? SHIPPED_LEDGER_PRICES;
    const summary = await readSummary(file, handle, stat.size, stat.ino, timeZone, prices);
    const table = new CellTable();
    const keyer = new DayKeyer();
    const records: LedgerRecord[] = [];
    const warnings = [...(summary?.warnings ?? [])];
    const dayOffsets = { ...summary?.dayOffsets };
    const start = summary?.bytes ?? 0;
    if (summary) table.merge(summary.cells);
    // Auto's cache and the summary are written together from one pass, so they
    // usually cover the same bytes (or are both missing: one read of the file
    // writes both); when they do not, foldAutoPart reads Auto's part apart.
    const autoCache = options.auto ? await readAutoFile(file, handle, stat.size, stat.ino, timeZone, prices) : undefined;
    const auto = options.auto && (autoCache?.bytes ?? 0) === start ? new AutoTally() : undefined;
    if (auto && autoCache) auto.merge(autoCache.auto);
    const fold = options.fold && (await options.fold.startAt(start, handle, stat.size, stat.ino, timeZone, prices)) ? options.fold : undefined;
    // Whether the summary written covers a cost judged by the reader's prices (it is then good for those only).
    let pricesUsed = summary?.prices !== undefined;

    if (options.fromDay !== undefined && summary) {
      // Records already in the summary are counted; read them again only for the days asked.
      const from = Math.min(start, ...Object.entries(dayOffsets).filter(([day]) => day >= options.fromDay!).map(([, offset]) => offset));
      for await (const line of readLines(handle, from, start)) {
        const parsed = parseLine(line, prices);
        if ('record' in parsed && keyer.dayOf(parsed.record.time) >= options.fromDay) records.push(parsed.record);
      }
    }

    let lineNumber = summary?.lines ?? 0;
    let end = start;
    let last: ReturnType<typeof parseLine> | undefined;
    // Lines a chunk at a time (readLineBatches): an incomplete line can only be the last one read.
    for await (const batch of readLineBatches(handle, start, stat.size)) {
      for (const line of batch) {
        if (!line.complete) {
          // No newline yet: a write under way, or one cut off. Left out of the summary either way.
          last = parseLine(line, prices);
          break;
        }
        lineNumber++;
        end = line.offset + line.bytes + 1;
        const parsed = parseLine(line, prices);
        if ('problem' in parsed) {
          warnings.push(`${file}:${lineNumber}: ${parsed.problem}`);
          continue;
        }
        if ('blank' in parsed) continue;
        if (parsed.note) warnings.push(`${file}:${lineNumber}: ${parsed.note}`);
        if (parsed.pricesUsed) pricesUsed = true;
        const day = keyer.dayOf(parsed.record.time);
        table.add(parsed.record, day);
        auto?.add(parsed.record, day);
        fold?.add(parsed.record, day, parsed.pricesUsed);
        dayOffsets[day] ??= line.offset;
        if (options.fromDay !== undefined && day >= options.fromDay) records.push(parsed.record);
      }
    }

    if (end - start >= (options.summarizeAfterBytes ?? 64 * 1024)) {
      await writeSummary(file, handle, {
        v: SUMMARY_VERSION,
        bytes: end,
        lines: lineNumber,
        ino: stat.ino,
        timeZone,
        dayOffsets,
        warnings: warnings.slice(0, MAX_SUMMARY_WARNINGS),
        cells: table.list(),
        ...pricesPart(pricesUsed, prices),
      });
      // Auto's cache takes the summary's prices: it covers the same lines, whether it was read or not.
      if (auto) await writeAutoFile(file, handle, { bytes: end, ino: stat.ino, timeZone, auto: auto.list(), ...pricesPart(pricesUsed || autoCache?.prices !== undefined, prices) });
    }
    await fold?.finish(end, handle);
    if (last && 'record' in last) {
      if (last.note) warnings.push(`${file}:${lineNumber + 1}: ${last.note}`);
      // A whole record whose newline has not been written (or a file edited by hand): it counts.
      const day = keyer.dayOf(last.record.time);
      table.add(last.record, day);
      auto?.add(last.record, day);
      if (options.fromDay !== undefined && day >= options.fromDay) records.push(last.record);
    } else if (last && 'problem' in last) {
      warnings.push(`${file}:${lineNumber + 1}: ${last.problem}`);
    }
    const cells = table.list();
    return { cells, records, warnings, end, lines: lineNumber, ino: stat.ino, ...(auto ? { auto: auto.list() } : {}), ...(options.fold ? { folded: fold !== undefined } : {}) };
  } finally {
    await handle.close();
  }
}

function describeReadError(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return `${file}: the ledger path is a directory, not a file`;
  if (code === 'EACCES' || code === 'EPERM') return `${file}: cannot read the ledger: permission denied`;
  return `${file}: cannot read the ledger: ${(error as Error).message}`;
}
