import { stat } from 'node:fs/promises';
import { localDay } from '../localDay';
import { foldAutoPart } from './autoFile';
import { SHIPPED_LEDGER_PRICES, type LedgerPrices } from './costCheck';
import { AutoTally, type AutoPart } from './autoTally';
import { ledgerFiles } from './ledgerPath';
import type { LedgerRecord } from './record';
import { scanFile, type FileScan, type RecordFold } from './scan';
import { LedgerTail, type TailPosition } from './tail';
import { CellTable, type LedgerCell } from './totals';

/**
 * Reading the ledger: every file of it (the live one and the archived
 * months), through the summaries beside them. What `costs`, the status bar,
 * the budget and the dashboard use; see docs/ARCHITECTURE.md.
 */

export interface LedgerTotals {
  /** By day, task, provider, model and source; merge or filter them as needed. */
  cells: LedgerCell[];
  /** Auto's tiers, cheap-tier tokens and retries from the same days (see autoTally.ts). */
  auto: AutoPart;
  /** One per skipped line, naming the file and line. */
  warnings: string[];
}

export interface ReadOptions {
  /** Only days from the local day of `since` on (cells are whole days). */
  since?: Date;
  /** The reader's prices, which judge a recorded cost (costCheck.ts); the price table alone by default. */
  prices?: LedgerPrices;
}

/** Totals of the whole ledger: a year of records reads in milliseconds once the summaries exist. */
export async function aggregateLedger(base: string, options: ReadOptions = {}): Promise<LedgerTotals> {
  const table = new CellTable();
  const auto = new AutoTally();
  const warnings: string[] = [];
  const fromDay = options.since ? localDay(options.since) : '';
  const prices = options.prices ?? SHIPPED_LEDGER_PRICES;
  await forEachFile(base, { auto: true, prices }, async (scan, file) => {
    table.merge(scan.cells.filter((cell) => cell.day >= fromDay));
    // Folded in the cells' pass when its cache (ledger.jsonl.auto.json) covers what the summary does; else read
    // apart, up to where the cells' read ended.
    auto.merge(scan.auto ?? (await foldAutoPart(file, scan.end, prices)), fromDay);
    warnings.push(...scan.warnings);
  });
  const { cells, retries, cheapIds, unpricedIds } = auto.list();
  // Cells and ids are whole days; retries are kept from `since` on, as readLedgerRecords keeps records.
  const since = options.since?.getTime();
  return { cells: table.list(), auto: { cells, cheapIds, unpricedIds, retries: since === undefined ? retries : retries.filter((retry) => Date.parse(retry.time) >= since) }, warnings };
}

/** The records themselves, at or after `since`, file by file (older months first). */
export async function readLedgerRecords(base: string, options: ReadOptions = {}): Promise<{ records: LedgerRecord[]; warnings: string[] }> {
  const records: LedgerRecord[] = [];
  const warnings: string[] = [];
  const since = options.since?.getTime();
  await forEachFile(base, { fromDay: options.since ? localDay(options.since) : '', ...(options.prices ? { prices: options.prices } : {}) }, (scan) => {
    records.push(...(since === undefined ? scan.records : scan.records.filter((record) => Date.parse(record.time) >= since)));
    warnings.push(...scan.warnings);
  });
  return { records, warnings };
}

/**
 * The records of local day `day` and later from every file, and a tail that
 * continues where the live file's read ended: the status bar's and the
 * budget's view of today.
 */
export async function readDayAndFollow(
  base: string,
  day: string,
  onWarning?: (warning: string) => void,
  pathSetting?: string,
  prices: LedgerPrices = SHIPPED_LEDGER_PRICES,
): Promise<{ records: LedgerRecord[]; warnings: string[]; tail: LedgerTail }> {
  const records: LedgerRecord[] = [];
  const { warnings, tail } = await scanAndFollow(base, { fromDay: day, prices, ...(pathSetting ? { pathSetting } : {}) }, onWarning, (_file, scan) => {
    records.push(...scan.records);
  });
  return { records, warnings, tail };
}

/**
 * The records of local day `day` and later in the archived months only (the live file left out, also when it is
 * seen under an archive name mid-rotation): what a reader that follows the live file still holds of the ledger
 * when that file was replaced.
 */
export async function readArchivedDays(base: string, day: string, prices: LedgerPrices = SHIPPED_LEDGER_PRICES): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  const live = (await stat(base).catch(() => undefined))?.ino;
  await forEachFile(base, { fromDay: day, archivedOnly: true, prices }, (scan) => {
    if (scan.ino !== 0 && scan.ino === live) return;
    records.push(...scan.records);
  });
  return records;
}

/**
 * Each file's scan (with `fromDay`, only the months that may hold those
 * days), passed to `take` in order, and a tail that continues where the live
 * file's read ended: readDayAndFollow's walk, and the dashboard's, which
 * needs every file's cells but none of its records.
 */
export async function scanAndFollow(
  base: string,
  /**
   * `pathSetting`: where the reader sets the ledger's path, for the tail's warnings (see LedgerTail); `prices`: the
   * reader's, which judge a recorded cost (costCheck.ts), in the scans and the tail alike.
   */
  options: { fromDay?: string; newestFirst?: boolean; fold?: (file: string) => RecordFold; stopAtUnreadableArchive?: boolean; pathSetting?: string; prices?: LedgerPrices },
  onWarning: ((warning: string) => void) | undefined,
  take: (file: string, scan: FileScan, progress: FileProgress) => void | Promise<void>,
): Promise<{ warnings: string[]; tail: LedgerTail; stopped?: StoppedRead }> {
  const warnings: string[] = [];
  const scans: FileScan[] = [];
  const { stopped } = await forEachFile(base, options, async (scan, file, progress) => {
    scans.push(scan);
    warnings.push(...scan.warnings.filter((warning) => !warning.includes('the last line')));
    await take(file, scan, progress);
  });
  // The live file may have been read under its archive name, mid-rotation.
  const live = (await stat(base).catch(() => undefined))?.ino;
  const scan = scans.find((candidate) => candidate.ino !== 0 && candidate.ino === live);
  const position: TailPosition | undefined = scan && { ino: scan.ino, end: scan.end, lines: scan.lines };
  const tail = new LedgerTail(base, onWarning, position, options.pathSetting, options.prices);
  // Held from here, so a live file deleted and made again before the first read is not taken for the one scanned.
  if (position) await tail.hold();
  return { warnings, tail, ...(stopped ? { stopped } : {}) };
}

/** Where a read of every file stopped: at an archive it could not read (named in `error`), after `progress.read` files. */
export interface StoppedRead {
  error: Error;
  progress: FileProgress;
}

/**
 * Scans each file of the ledger once: a file seen under two names
 * (mid-rotation) is read once. For records from `fromDay` on, months archived
 * before the one preceding it are passed over: an archive holds its month's
 * records and, at most, a few written in the moment it was moved aside.
 */
async function forEachFile(
  base: string,
  options: { fromDay?: string; auto?: boolean; newestFirst?: boolean; fold?: (file: string) => RecordFold; archivedOnly?: boolean; stopAtUnreadableArchive?: boolean; prices?: LedgerPrices },
  take: (scan: FileScan, file: string, progress: FileProgress) => void | Promise<void>,
): Promise<{ stopped?: StoppedRead }> {
  const seen = new Set<number>();
  const oldestMonth = options.fromDay ? previousMonth(options.fromDay) : '';
  const files = (await ledgerFiles(base)).filter((file) => (file.month === undefined ? !options.archivedOnly : file.month >= oldestMonth));
  if (options.newestFirst) files.reverse();
  for (const [index, file] of files.entries()) {
    const ino = (await stat(file.path).catch(() => undefined))?.ino;
    if (ino !== undefined && ino !== 0 && seen.has(ino)) continue;
    if (ino) seen.add(ino);
    const { fold, fromDay, auto, stopAtUnreadableArchive, prices } = options;
    const scanOptions = { ...(fromDay !== undefined && { fromDay }), ...(auto !== undefined && { auto }), ...(fold ? { fold: fold(file.path) } : {}), ...(prices ? { prices } : {}) };
    let scan: FileScan;
    try {
      scan = await scanFile(file.path, scanOptions);
    } catch (error) {
      // An archive only: the live file unread leaves nothing to follow from (and a tail would read it all again).
      if (!stopAtUnreadableArchive || !(error instanceof Error) || file.month === undefined) throw error;
      return { stopped: { error, progress: { read: index, files: files.length } } };
    }
    await take(scan, file.path, { read: index + 1, files: files.length });
  }
  return {};
}

/** How far a read of every file has gone: `read` of `files` (a file seen under two names counts twice). */
export interface FileProgress {
  read: number;
  files: number;
}

/** YYYY-MM of the month before the one of YYYY-MM-DD `day`. */
function previousMonth(day: string): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
