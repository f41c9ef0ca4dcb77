import type { FileHandle } from 'node:fs/promises';
import { DayKeyer, localTimeZone } from '../localDay';
import { AutoTally, emptyAutoPart, isAutoPart, type AutoPart } from './autoTally';
import { autoPartPath, openLedgerFile } from './ledgerPath';
import type { LedgerPrices } from './costCheck';
import { parseLine, readLines } from './lines';
import type { LedgerRecord } from './record';
import { isCoveredPart, pricesPart, readBeside, writeBeside, type CoveredPart } from './summaryFile';

/**
 * A ledger file's Auto part (autoTally.ts) up to a byte offset, kept beside it
 * (`ledger.jsonl.auto.json`) for `switchboard costs`, as the summary keeps
 * its cells. A file apart so that the status bar, the budget and the
 * dashboard, which never show Auto's line, do not read it (for a year of
 * Auto it is several times the summary's size). Only a cache, checked against
 * its file as the summary is, and rebuilt from the lines when it does not
 * match; a ledger written before it existed gets it on its first `costs`.
 */
export interface AutoFile extends CoveredPart {
  /**
   * 5: a cache covering a cost the check judged names the prices it was judged by (CoveredPart.prices);
   * 4: costs as the reader repaired them (costCheck.ts: a recorded cost no request could cost is not believed);
   * 3: the cheap tier's priced tokens leave out hand-overs from a failed strong tier (2 added the unpriced cheap
   * answers' ids and the hand-overs); an older cache is rebuilt from its file's lines.
   */
  v: 5;
  auto: AutoPart;
}

/** Bytes read past the cache before it is written again (as for summaries). */
const REWRITE_AFTER_BYTES = 64 * 1024;

/**
 * Auto's part of `file`'s complete lines before byte `end`
 * (where the reading of its cells stopped, so the two agree) and of a whole
 * record after it whose newline is not written yet (the cells count it too):
 * the cache's, then the lines after it, writing the cache again when many
 * were read. A record has an Auto part only with `routing`, which
 * JSON.stringify always writes as the key "routing": other lines are not
 * parsed, so a ledger without a cache costs a read of its bytes and a parse
 * of its Auto records only.
 */
export async function foldAutoPart(file: string, end: number, prices: LedgerPrices): Promise<AutoPart> {
  // A path that is no longer a file (a named pipe) is not waited on: scanFile has said what it is.
  const handle = await openLedgerFile(file, 'read').catch(() => undefined);
  if (!handle) return emptyAutoPart();
  try {
    const { size, ino } = await handle.stat();
    const timeZone = localTimeZone();
    const cached = await readAutoFile(file, handle, size, ino, timeZone, prices);
    const start = cached && cached.bytes <= end ? cached.bytes : 0;
    const tally = new AutoTally();
    if (start > 0) tally.merge(cached!.auto);
    let pricesUsed = start > 0 && cached!.prices !== undefined;
    const keyer = new DayKeyer();
    let unfinished: LedgerRecord | undefined;
    for await (const line of readLines(handle, start, size)) {
      const past = line.offset >= end;
      if (past && line.complete) break;
      if (!line.text.includes('"routing"')) continue;
      const parsed = parseLine(line, prices);
      if (!('record' in parsed)) continue;
      if (parsed.pricesUsed && !past) pricesUsed = true;
      if (!past) {
        tally.add(parsed.record, keyer.dayOf(parsed.record.time));
        continue;
      }
      // The last line with no newline yet: counted, as the cells count it, but not kept in the cache.
      unfinished = parsed.record;
    }
    if (end - start >= REWRITE_AFTER_BYTES) {
      await writeAutoFile(file, handle, { bytes: end, ino, timeZone, auto: tally.list(), ...pricesPart(pricesUsed, prices) });
    }
    if (unfinished) tally.add(unfinished, keyer.dayOf(unfinished.time));
    return tally.list();
  } finally {
    await handle.close();
  }
}

/** The Auto part cached beside `file` (open as `handle`), if it still describes the file. */
export function readAutoFile(file: string, handle: FileHandle, size: number, ino: number, timeZone: string, prices: LedgerPrices): Promise<AutoFile | undefined> {
  return readBeside(autoPartPath(file), handle, size, ino, timeZone, prices, isAutoFile);
}

export function writeAutoFile(file: string, handle: FileHandle, part: Omit<AutoFile, 'v' | 'head' | 'tail'>): Promise<void> {
  return writeBeside<AutoFile>(autoPartPath(file), handle, { v: 5, ...part });
}

function isAutoFile(value: unknown): value is AutoFile {
  return (
    isCoveredPart(value, 5) &&
    isAutoPart(value.auto)
  );
}
