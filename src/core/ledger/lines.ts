import type { FileHandle } from 'node:fs/promises';
import { repairImplausibleCosts, type LedgerPrices } from './costCheck';
import { newerRecordSpend } from './newerRecord';
import { recordProblem, type LedgerRecord } from './record';

export interface Line {
  /** Byte offset of the line's start in the file. */
  offset: number;
  text: string;
  /** The line's length in bytes, its newline left out (measuring the text again cost a pass over it per line). */
  bytes: number;
  /** False for a last line with no newline yet: being written, or cut off. */
  complete: boolean;
}

const CHUNK_BYTES = 1 << 20;

/**
 * The lines of a file from byte `start` to `end`, with their offsets. Works
 * in bytes (records may hold any UTF-8), reading a MiB at a time.
 */
export async function* readLines(file: FileHandle, start: number, end: number): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(file, start, end)) yield* batch;
}

/**
 * readLines a chunk's lines at a time: an async generator's step per line
 * (a promise each) was a large part of reading a year of records once.
 */
export async function* readLineBatches(file: FileHandle, start: number, end: number): AsyncGenerator<Line[]> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = start;
  let position = start;
  while (position < end) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK_BYTES, end - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const chunk = carry.length ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
    let lineStart = 0;
    const batch: Line[] = [];
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, lineStart)) {
      batch.push({ offset: carryOffset + lineStart, text: chunk.toString('utf8', lineStart, newline), bytes: newline - lineStart, complete: true });
      lineStart = newline + 1;
    }
    if (batch.length) yield batch;
    carry = Buffer.from(chunk.subarray(lineStart));
    carryOffset += lineStart;
  }
  if (carry.length) yield [{ offset: carryOffset, text: carry.toString('utf8'), bytes: carry.length, complete: false }];
}

/**
 * `note`: a cost on the line was not believed and was replaced (costCheck.ts), said as a warning naming the line;
 * `pricesUsed`: whether it was believed or not depended on the reader's prices (a cache holding the record is
 * good for those prices only: see CoveredPart.prices).
 */
export type ParsedLine = { record: LedgerRecord; note?: string; pricesUsed?: true } | { problem: string } | { blank: true };

/**
 * One line read back: a record, a blank line (every write begins with a
 * newline: see writer.ts), or why the line was skipped. Its costs are judged by the reader's `prices` (costCheck.ts).
 */
export function parseLine(line: Line, prices: LedgerPrices): ParsedLine {
  const text = line.text.trim();
  if (!text) return { blank: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: line.complete ? 'skipped a line that is not JSON' : 'skipped the last line, which is incomplete (a write was cut off)' };
  }
  const repair = repairImplausibleCosts(value, prices);
  const problem = recordProblem(repair?.value ?? value);
  if (problem) {
    // A newer version's record still counts what it cost, in the budgets above all (newerRecord.ts).
    const newer = newerRecordSpend(repair?.value ?? value);
    if (!newer) return { problem: `skipped a line that is not a ledger record: ${problem}` };
    return { record: newer.record, note: repair?.note ? `${newer.note}; ${repair.note}` : newer.note, ...(repair ? { pricesUsed: true as const } : {}) };
  }
  if (!repair) return { record: value as LedgerRecord };
  return repair.note ? { record: repair.value as unknown as LedgerRecord, note: repair.note, pricesUsed: true } : { record: value as LedgerRecord, pricesUsed: true };
}
