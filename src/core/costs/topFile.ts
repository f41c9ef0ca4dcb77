import type { FileHandle } from 'node:fs/promises';
import { SHIPPED_LEDGER_PRICES, type LedgerPrices } from '../ledger/costCheck';
import { parseLine, readLines } from '../ledger/lines';
import { openLedgerFile, topRequestsPath } from '../ledger/ledgerPath';
import { recordProblem } from '../ledger/record';
import { isCoveredPart, pricesPart, readBeside, writeBeside, type CoveredPart } from '../ledger/summaryFile';
import { DayKeyer, localTimeZone } from '../localDay';
import { isCount, isObject, isTask } from '../recordShape';
import { TOP_REQUESTS, TopTable, type TopCell } from './topTable';
import type { LedgerRecord } from '../ledger';
import type { RecordFold } from '../ledger/scan';

/**
 * A ledger file's costliest requests per cell up to a byte offset, kept beside
 * it (`ledger.jsonl.top.json`) for the dashboard, as the summary keeps its
 * cells: a year opens from a dozen of these instead of a million records.
 * Apart from the summary so that the status bar, the budget and `costs`,
 * which never show requests, do not read it. Only a cache, checked against
 * its file as the summary is; one that does not match (another file, cut
 * short, another time zone, another table size, an older format) is rebuilt
 * from the lines.
 */
export interface TopFile extends CoveredPart {
  v: typeof TOP_FILE_VERSION;
  /** Rows kept per cell: a cache made for another table size is rebuilt. */
  limit: number;
  cells: TopCell[];
  retries: LedgerRecord[];
}

/**
 * The cache's format. 4: a cache covering a cost the check judged names the prices it was judged by (CoveredPart.prices); 3: rows hold costs as the reader repaired them (ledger/costCheck.ts); 2: rows of requests never sent (notSent) are left out, and a local model's rows say so;
 * a version 1 cache, written before, may hold $0.00 rows of requests never sent, so it is rebuilt from the lines.
 */
export const TOP_FILE_VERSION = 4;

/** Bytes read past the cache before it is written again (as for summaries). */
const REWRITE_AFTER_BYTES = 64 * 1024;

/**
 * Adds to `into` the costliest requests and retries of `file`'s complete
 * lines before byte `end` (where the reading of its cells stopped, so the two
 * agree and following the file goes on from there): the cache's, then the
 * lines after it, writing the cache again when many were read.
 */
export async function foldTopRequests(file: string, end: number, into: { mergeTops: TopTable['merge'] }, prices: LedgerPrices): Promise<void> {
  // A path that is no longer a file (a named pipe) is not waited on: scanFile has said what it is.
  const handle = await openLedgerFile(file, 'read').catch(() => undefined);
  if (!handle) return;
  try {
    const { size, ino } = await handle.stat();
    const timeZone = localTimeZone();
    const cached = await readBeside(topRequestsPath(file), handle, size, ino, timeZone, prices, isTopFile);
    const table = new TopTable();
    const start = cached && cached.bytes <= end ? cached.bytes : 0;
    if (start > 0) table.merge(cached!.cells, cached!.retries);
    let pricesUsed = start > 0 && cached!.prices !== undefined;
    const keyer = new DayKeyer();
    for await (const line of readLines(handle, start, end)) {
      if (!line.complete) break;
      const parsed = parseLine(line, prices);
      if (!('record' in parsed)) continue;
      if (parsed.pricesUsed) pricesUsed = true;
      table.add(parsed.record, keyer.dayOf(parsed.record.time));
    }
    if (end - start >= REWRITE_AFTER_BYTES) {
      await writeBeside<TopFile>(topRequestsPath(file), handle, { v: TOP_FILE_VERSION, bytes: end, ino, timeZone, limit: TOP_REQUESTS, cells: table.list(), retries: [...table.retries()], ...pricesPart(pricesUsed, prices) });
    }
    into.mergeTops(table.list(), table.retries());
  } finally {
    await handle.close();
  }
}

/**
 * The costliest requests folded in scanFile's pass (see RecordFold), when the
 * cache covers what the summary covers: both missing, as on the first open
 * after an upgrade, or both written by the same pass. `into` gets them at the
 * end, as from foldTopRequests.
 */
export class TopFold implements RecordFold {
  private table = new TopTable();
  private start = 0;
  private file = '';
  private ino = 0;
  private timeZone = '';
  /** Whether the cache written covers a cost judged by the reader's prices (CoveredPart.prices)… */
  private pricesUsed = false;
  /** …which are the scan's (given at startAt). */
  private prices: LedgerPrices = SHIPPED_LEDGER_PRICES;

  constructor(private readonly into: { mergeTops: TopTable['merge'] }) {}

  /** Makes the fold ready for `file`'s scan (one fold serves the files in turn). */
  forFile(file: string): this {
    this.file = file;
    this.table = new TopTable();
    return this;
  }

  async startAt(start: number, handle: FileHandle, size: number, ino: number, timeZone: string, prices: LedgerPrices): Promise<boolean> {
    const cached = await readBeside(topRequestsPath(this.file), handle, size, ino, timeZone, prices, isTopFile);
    if ((cached?.bytes ?? 0) !== start) return false;
    if (cached) this.table.merge(cached.cells, cached.retries);
    Object.assign(this, { start, ino, timeZone, prices, pricesUsed: cached?.prices !== undefined });
    return true;
  }

  add(record: LedgerRecord, day: string, pricesUsed?: boolean): void {
    if (pricesUsed) this.pricesUsed = true;
    this.table.add(record, day);
  }

  async finish(end: number, handle: FileHandle): Promise<void> {
    if (end - this.start >= REWRITE_AFTER_BYTES) {
      const { table, ino, timeZone } = this;
      await writeBeside<TopFile>(topRequestsPath(this.file), handle, { v: TOP_FILE_VERSION, bytes: end, ino, timeZone, limit: TOP_REQUESTS, cells: table.list(), retries: [...table.retries()], ...pricesPart(this.pricesUsed, this.prices) });
    }
    this.into.mergeTops(this.table.list(), this.table.retries());
  }
}

function isTopFile(value: unknown): value is TopFile {
  return (
    isCoveredPart(value, TOP_FILE_VERSION) &&
    value.limit === TOP_REQUESTS &&
    Array.isArray(value.cells) &&
    value.cells.every(isTopCell) &&
    Array.isArray(value.retries) &&
    value.retries.every((retry) => recordProblem(retry) === undefined)
  );
}

function isTopCell(value: unknown): value is TopCell {
  return (
    isObject(value) &&
    typeof value.day === 'string' &&
    isTask(value.task) &&
    typeof value.provider === 'string' &&
    typeof value.model === 'string' &&
    typeof value.source === 'string' &&
    Array.isArray(value.rows) &&
    value.rows.length <= TOP_REQUESTS &&
    value.rows.every(
      (row) =>
        isObject(row) &&
        typeof row.time === 'string' &&
        isTask(row.task) &&
        typeof row.provider === 'string' &&
        typeof row.model === 'string' &&
        isCount(row.inputTokens) &&
        isCount(row.outputTokens) &&
        isCount(row.costUsd) &&
        isCount(row.latencyMs) &&
        (row.outcome === 'ok' || row.outcome === 'cancelled' || row.outcome === 'error') &&
        typeof row.reason === 'string' &&
        (row.pricedAtBound === undefined || typeof row.pricedAtBound === 'string') &&
        (row.local === undefined || row.local === true) &&
        (row.tableRateOnLocalServer === undefined || row.tableRateOnLocalServer === true),
    )
  );
}

