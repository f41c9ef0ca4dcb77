import type { FileHandle } from 'node:fs/promises';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { isCount, isObject } from '../recordShape';
import type { LedgerPrices } from './costCheck';
import { readLedgerSideFile, summaryPath } from './ledgerPath';
import type { LedgerCell } from './totals';

/**
 * A ledger file's totals up to a byte offset, kept beside it
 * (`ledger.jsonl.summary.json`), so a year of records is read as a dozen
 * small files plus the lines written since. It is only a cache: any reader
 * writes it, and one that does not match its file (another file now has the
 * name, it was cut short, another time zone made the days) is ignored and
 * rebuilt from the lines.
 */
export interface FileSummary extends CoveredPart {
  /**
   * 6: a summary covering a cost the check judged names the prices it was judged by (CoveredPart.prices);
   * 5: cells count the records served locally (`local`) and those whose recorded cost was not believed
   * (`implausibleCost`), whose cost is counted as the reader repaired it (costCheck.ts);
   * 4: cells carry the answers routing chose on purpose (`chosen`), the only ones the saving compares;
   * 3: cells carry what was billed for no answer (`failedUsd`) and the requests that used no token (`noUsage`);
   * 2 added Auto's hand-overs (`handedOver`). An older summary is rebuilt from its file's lines.
   */
  v: 6;
  /** Lines in the bytes covered, so warnings after them name the right line. */
  lines: number;
  /** Where each day's first record starts: today's records are read from there without reading the month. */
  dayOffsets: Record<string, number>;
  /** Lines skipped in the bytes covered, so every reader still reports them. */
  warnings: string[];
  cells: LedgerCell[];
}

export const SUMMARY_VERSION = 6;

/** Bytes checked at each end of the covered part. */
const CHECK_BYTES = 64;
/** Warnings kept in a summary; a file with more has a bigger problem than the list shows. */
export const MAX_SUMMARY_WARNINGS = 50;

export async function readSummary(file: string, handle: FileHandle, size: number, ino: number, timeZone: string, prices: LedgerPrices): Promise<FileSummary | undefined> {
  return readBeside(summaryPath(file), handle, size, ino, timeZone, prices, isSummary);
}

export async function writeSummary(file: string, handle: FileHandle, summary: Omit<FileSummary, 'head' | 'tail'>): Promise<void> {
  await writeBeside(summaryPath(file), handle, summary);
}

/** What a cache kept beside a ledger file records of the part it covers, to be checked against the file. */
export interface CoveredPart {
  /** Bytes covered: always the end of a complete line. */
  bytes: number;
  /** The file it describes (an archived month keeps its inode). */
  ino: number;
  /** The first and last bytes covered (base64), to tell a replaced or rewritten file. */
  head: string;
  tail: string;
  /** The days were made in this time zone. */
  timeZone: string;
  /**
   * Present when a line covered had a cost whose belief depended on the reader's prices (costCheck.ts: one over
   * $10): their key, as the cache is good for readers of those prices only. Absent (nearly always) it is good for any: the CLI
   * without a --config and the editor with prices of its own then share it rather than rebuild it in turn.
   */
  prices?: string;
}

/** Whether `value` is a version-`v` cache whose covered-part fields are well formed (each cache checks its own data). */
export function isCoveredPart(value: unknown, v: number): value is CoveredPart & Record<string, unknown> {
  return (
    isObject(value) &&
    value.v === v &&
    isCount(value.bytes) &&
    isCount(value.ino) &&
    typeof value.head === 'string' &&
    typeof value.tail === 'string' &&
    typeof value.timeZone === 'string' &&
    (value.prices === undefined || typeof value.prices === 'string')
  );
}

/**
 * A cache beside `handle`'s file (at `target`), if it is well formed, still describes that file's first bytes and
 * was judged by `prices` (or by none: see CoveredPart.prices).
 */
export async function readBeside<T extends CoveredPart>(target: string, handle: FileHandle, size: number, ino: number, timeZone: string, prices: LedgerPrices, is: (value: unknown) => value is T): Promise<T | undefined> {
  let value: unknown;
  try {
    // A cache that is now a named pipe is not waited on: it reads as no cache, and writing one renames a file over it.
    value = JSON.parse(await readLedgerSideFile(target));
  } catch {
    return undefined;
  }
  if (!is(value) || value.timeZone !== timeZone || (value.prices !== undefined && value.prices !== prices.key) || value.bytes > size || (value.ino && ino && value.ino !== ino)) return undefined;
  const [head, tail] = await checkBytes(handle, value.bytes);
  return head === value.head && tail === value.tail ? value : undefined;
}

/** `{ prices }` for a cache that covered a line whose verdict depended on the reader's `prices` (see CoveredPart.prices). */
export function pricesPart(pricesUsed: boolean, prices: LedgerPrices): { prices?: string } {
  return pricesUsed ? { prices: prices.key } : {};
}

export async function writeBeside<T extends CoveredPart>(target: string, handle: FileHandle, cache: Omit<T, 'head' | 'tail'>): Promise<void> {
  const [head, tail] = await checkBytes(handle, cache.bytes);
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temporary, JSON.stringify({ ...cache, head, tail }), { mode: 0o600 });
    // A rename replaces the old cache whole: a reader never sees half of one.
    await rename(temporary, target);
  } catch {
    // A cache that cannot be written (a read-only folder) only costs the next reader time.
    await unlink(temporary).catch(() => undefined);
  }
}

async function checkBytes(handle: FileHandle, bytes: number): Promise<[string, string]> {
  const length = Math.min(CHECK_BYTES, bytes);
  const head = Buffer.alloc(length);
  const tail = Buffer.alloc(length);
  if (length > 0) {
    await handle.read(head, 0, length, 0);
    await handle.read(tail, 0, length, bytes - length);
  }
  return [head.toString('base64'), tail.toString('base64')];
}

function isSummary(value: unknown): value is FileSummary {
  return (
    isCoveredPart(value, SUMMARY_VERSION) &&
    isCount(value.lines) &&
    isObject(value.dayOffsets) &&
    Object.values(value.dayOffsets).every(isCount) &&
    Array.isArray(value.warnings) &&
    value.warnings.every((warning) => typeof warning === 'string') &&
    Array.isArray(value.cells) &&
    value.cells.every(
      (cell) =>
        isObject(cell) &&
        typeof cell.day === 'string' &&
        isCount(cell.costUsd) &&
        (cell.failedUsd === undefined || isCount(cell.failedUsd)) &&
        (cell.noUsage === undefined || isCount(cell.noUsage)) &&
        (cell.notSent === undefined || isCount(cell.notSent)) &&
        isObject(cell.usage) &&
        isObject(cell.longUsage) &&
        (cell.handedOver === undefined || (isObject(cell.handedOver) && isCount(cell.handedOver.requests) && isCount(cell.handedOver.costUsd) && isObject(cell.handedOver.usage) && isObject(cell.handedOver.longUsage))) &&
        (cell.chosen === undefined || (isObject(cell.chosen) && isCount(cell.chosen.requests) && isCount(cell.chosen.unpriced) && isCount(cell.chosen.costUsd) && isObject(cell.chosen.usage) && isObject(cell.chosen.longUsage))),
    )
  );
}
