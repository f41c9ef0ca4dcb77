import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { localMonth } from '../localDay';
import { NotARegularFileError, openLedgerFile } from './ledgerPath';
import { recordProblem, type LedgerRecord } from './record';
import { recoverRotationLeftovers, rotateIfDue } from './rotation';
import { scrub } from './scrub';

/** Records queued together go out in writes of at most this many bytes (one write() each). */
export const MAX_WRITE_BYTES = 64 * 1024;
/** Unwritten records kept for the next try while writing fails (disk full, permission denied). */
const MAX_UNWRITTEN_BYTES = 4 * 1024 * 1024;
/** How often records kept while writing fails are tried again when no new record comes to try them. */
const RETRY_UNWRITTEN_MS = 30_000;

export interface LedgerWriterOptions {
  /**
   * Told when writing starts to fail (once, until a write succeeds again) and
   * of a record refused as malformed; by default a process warning.
   */
  onError?: (error: Error) => void;
  /**
   * Told when writing works again after it failed, with how many kept records
   * it wrote: the warning the user saw is no longer true.
   */
  onRecovered?: (message: string) => void;
  now?: () => Date;
  /** How often kept records are tried again by themselves (RETRY_UNWRITTEN_MS); tests shorten it. */
  retryMs?: number;
  /**
   * The timer the retry waits on; by default an unref'd setTimeout. A test passes one it fires itself, to
   * see what a retry would do (or that none is set) without waiting for one.
   */
  retryTimers?: RetryTimers;
  /** Where the user sets the ledger's path (`switchboard.ledger.path`), named when the path stops being a file. */
  settingName?: string;
  /**
   * Told the records kept in memory after each try while any are or were kept (empty once written): their
   * spend is in no file other processes read, so it is published elsewhere (sharedReservations.ts). Also when
   * failure()'s counts change: onError speaks once per reason, so what shows the counts (the status bar) is
   * redrawn from here after every later failure.
   */
  onKept?: (lines: string[]) => void;
}

/** Why the ledger cannot be written now, and what that has cost so far. */
export interface LedgerFailure {
  reason: string;
  /** Records kept in memory for the next try. */
  kept: number;
  /** Older records dropped while it failed, beyond what memory keeps (MAX_UNWRITTEN_BYTES): lost. */
  dropped: number;
}

/** Sets and clears the timer of the retry of kept records. */
export interface RetryTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: RetryTimers = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout> | undefined),
};

/**
 * Appends records to the ledger shared by every window and the CLI.
 *
 * Many processes append at once, and any of them may be killed mid-write:
 * - each batch of lines goes out in one write() to a file opened with
 *   O_APPEND, which the kernel places at the end whole, so lines of two
 *   processes never interleave (on a local filesystem; NFS does not promise
 *   this). Batches are cut at MAX_WRITE_BYTES bytes, counted in UTF-8;
 * - every write starts with a newline. A process killed mid-write leaves a
 *   line without its end, and whoever writes next, even a process that
 *   opened the file long before, ends that line instead of gluing a record to
 *   it. Readers skip the broken line (once, with a warning) and the blank
 *   lines. Checking the last byte before writing would race with the other
 *   writers; the guard costs one byte a write and no lock.
 * Nothing is rewritten; the month's file is moved aside by rotation.ts.
 */
export class LedgerWriter {
  private pending: LedgerRecord[] = [];
  private pendingWritten: Promise<void> | undefined;
  /** Settles pendingWritten with the write that takes the pending records, whoever drains them (append's turn or flush()). */
  private settlePending: ((written: Promise<void>) => void) | undefined;
  private tail: Promise<void> = Promise.resolve();
  private unwritten: Buffer[] = [];
  /** The chunks of the write under way, until it succeeds or they are kept in `unwritten`. */
  private writing: Buffer[] = [];
  /** Why writing fails now, in words; a different reason is said again, the same one is not. */
  private failingReason: string | undefined;
  private retryTimer: unknown;
  /** Set by stop(): the last try is under way or done. */
  private stopping: Promise<void> | undefined;
  /** Set once stop()'s last try is done: nothing is opened or written from then on. */
  private stopped = false;
  private lost = 0;
  /** Whether the user was told that records are being dropped (lost > 0) in this spell of failures. */
  private toldLost = false;
  /** Tries to write begun so far: flush() tells a try begun before it was called from one begun after. */
  private triesBegun = 0;
  private preparedMonth: string | undefined;
  private readonly onError: (error: Error) => void;
  private readonly onRecovered: ((message: string) => void) | undefined;
  private readonly now: () => Date;
  private readonly retryMs: number;
  private readonly retryTimers: RetryTimers;
  private readonly settingName: string | undefined;
  private readonly onKept: ((lines: string[]) => void) | undefined;

  constructor(
    readonly path: string,
    options: LedgerWriterOptions = {},
  ) {
    this.onError = options.onError ?? ((error) => process.emitWarning(error.message, 'SwitchboardLedger'));
    this.onRecovered = options.onRecovered;
    this.now = options.now ?? (() => new Date());
    this.retryMs = options.retryMs ?? RETRY_UNWRITTEN_MS;
    this.retryTimers = options.retryTimers ?? REAL_TIMERS;
    this.settingName = options.settingName;
    this.onKept = options.onKept;
  }

  /**
   * Queues a record and returns at once; records are written in the order
   * appended. Checking and serialising wait for the next turn of the event
   * loop (setImmediate), so a request's caller (an inline completion, say) is
   * answered first; records queued meanwhile go out together. The promise
   * settles once the record is written (or has failed) and never rejects, so
   * callers on the hot path may drop it.
   */
  append(record: LedgerRecord): Promise<void> {
    this.pending.push(record);
    if (!this.pendingWritten) {
      const batch = new Promise<void>((resolve) => (this.settlePending = resolve));
      this.pendingWritten = batch;
      // A flush() meanwhile has drained this batch already: draining again would add a try with nothing new in it
      // (and, while writing fails, try the kept records a second time for one flush).
      setImmediate(() => {
        if (this.pendingWritten === batch) void this.drain();
      });
    }
    return this.pendingWritten;
  }

  /**
   * Resolves when every record appended so far has been written, or has failed on a try that began after this
   * call. A try already under way (the 30 s retry, say) may have begun before the disk was mended and fail after
   * it: its failure says nothing of the disk now, so the records it kept are tried once more. Once, not until
   * written: a disk still broken must not hold a closing window or a CLI run.
   */
  flush(): Promise<void> {
    if (this.pending.length > 0 || this.unwritten.length > 0) return this.drain();
    const triesBefore = this.triesBegun;
    // In the chain, not after it: a flush called later (stop()'s) waits for this one more try too, and finds
    // nothing left to try again when it has just failed.
    this.tail = this.tail.then(() => (this.unwritten.length > 0 && this.triesBegun === triesBefore ? this.write([]) : undefined));
    return this.tail;
  }

  private drain(): Promise<void> {
    const records = this.pending;
    const settle = this.settlePending;
    this.pending = [];
    this.pendingWritten = undefined;
    this.settlePending = undefined;
    const lines: string[] = [];
    for (const record of records) {
      const problem = recordProblem(record);
      if (problem) this.onError(new Error(`Not written to the ledger ${this.path}: ${problem}`));
      else lines.push(JSON.stringify(scrub(record)));
    }
    const chunks = packLines(lines, MAX_WRITE_BYTES);
    this.tail = this.tail.then(() => this.write(chunks));
    settle?.(this.tail);
    return this.tail;
  }

  private async write(chunks: Buffer[]): Promise<void> {
    if (this.stopped) {
      // The owner is gone (a closed window's folder may be removed by now): kept where unwrittenLines() finds them, never written.
      const late = lineCount(chunks);
      if (late > 0) this.onError(new Error(`Not written to the ledger ${this.path}: ${late === 1 ? 'a record' : `${late} records`} came after Switchboard was shut down`));
      this.unwritten.push(...chunks);
      return;
    }
    this.triesBegun++;
    const queue = [...this.unwritten, ...chunks];
    const held = lineCount(this.unwritten);
    this.unwritten = [];
    this.writing = queue;
    try {
      await this.prepare();
      while (queue.length > 0) {
        await this.appendChunk(queue[0]!);
        queue.shift();
      }
      const recovered = this.failingReason !== undefined;
      const lost = this.lost ? `; ${this.lost} older record${this.lost === 1 ? ' was' : 's were'} dropped while it failed` : '';
      // Cleared first: whoever is told (the status bar) asks failure() and must hear it is over.
      this.failingReason = undefined;
      this.lost = 0;
      this.toldLost = false;
      if (recovered) this.onRecovered?.(`The ledger ${this.path} is written again; the ${held} record${held === 1 ? '' : 's'} kept in memory ${held === 1 ? 'is' : 'are'} in it${lost}`);
    } catch (error) {
      this.keep(queue);
      // Once per reason, not once per request: the user hears of a new fault (a full disk after a
      // permission fixed), never the same one again with every answer.
      const reason = writeFailureReason(error, this.settingName);
      // Records dropped (more than MAX_UNWRITTEN_BYTES kept) are lost for good: said when it starts, even on a
      // later failure of the same reason, whose first message counted only the records kept then.
      const droppingStarts = this.lost > 0 && !this.toldLost;
      if (reason !== this.failingReason || droppingStarts) {
        this.failingReason = reason;
        this.toldLost = this.lost > 0;
        this.onError(new Error(`Could not write to the ledger ${this.path}: ${reason}. ${this.keptMessage()}`));
      }
    } finally {
      this.writing = [];
      if (held > 0 || this.unwritten.length > 0) this.onKept?.(this.unwrittenLines());
      this.scheduleRetry();
    }
  }

  /**
   * While records are kept, tries them again now and then by themselves: a
   * window that makes no new request after the disk was freed (or that
   * crashes before it closes) would otherwise never write them. Unref'd, so it
   * keeps no process alive; a CLI run hands what is left to the user instead.
   */
  private scheduleRetry(): void {
    if (this.unwritten.length === 0 || this.retryTimer || this.stopping) return;
    this.retryTimer = this.retryTimers.set(() => {
      this.retryTimer = undefined;
      if (this.unwritten.length > 0) void this.flush();
    }, this.retryMs);
  }

  /**
   * The end of this writer (a window closing, a CLI run ending): what is
   * queued or kept is tried once more, then nothing is tried again. An
   * extension host outlives a disposed Switchboard, and a retry timer left
   * behind would write (and publish kept spend) after its owner was gone,
   * perhaps into a folder removed meanwhile. What still could not be written
   * stays in unwrittenLines() for the caller to hand on.
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.retryTimers.clear(this.retryTimer);
      this.retryTimer = undefined;
      this.stopping = this.flush().then(() => {
        this.stopped = true;
      });
    }
    return this.stopping;
  }

  /**
   * While writing fails: why, how many records are kept for the next try, and how many older ones were dropped
   * beyond the bound (what the status bar's tooltip says; onKept tells when these change).
   */
  failure(): LedgerFailure | undefined {
    return this.failingReason === undefined ? undefined : { reason: this.failingReason, kept: this.unwrittenLines().length, dropped: this.lost };
  }

  /**
   * Takes the records kept for the next try away from this writer, which
   * forgets them and stops trying: the ledger's path changed and another
   * writer holds them now (written twice otherwise).
   */
  takeUnwritten(): string[] {
    const lines = this.unwrittenLines();
    this.unwritten = [];
    this.retryTimers.clear(this.retryTimer);
    this.retryTimer = undefined;
    if (lines.length > 0) this.onKept?.([]);
    return lines;
  }

  /**
   * The lines kept for the next try while writing fails: what a process that
   * ends now (a CLI run) would lose, so it can hand them to the user instead.
   */
  unwrittenLines(): string[] {
    return [...this.writing, ...this.unwritten].flatMap((chunk) => chunk.toString('utf8').split('\n').filter((line) => line.trim()));
  }

  /**
   * Creates the folder, recovers what a rotator that crashed left aside, and
   * moves last month's file aside: on a process's first write, and once a month.
   */
  private async prepare(): Promise<void> {
    const month = localMonth(this.now());
    if (this.preparedMonth === month) return;
    await mkdir(path.dirname(this.path), { recursive: true });
    await recoverRotationLeftovers(this.path).catch(() => undefined);
    await rotateIfDue(this.path, this.now()).catch(() => undefined);
    this.preparedMonth = month;
  }

  /**
   * One open and one write() per chunk, so each lands at the end whole and a
   * file moved aside by rotation is followed. The path was checked when it was
   * resolved, but it may become a named pipe since: openLedgerFile checks what
   * it opened (one fstat a write) and never waits on a pipe.
   */
  private async appendChunk(chunk: Buffer): Promise<void> {
    const handle = await openLedgerFile(this.path, 'append').catch(async (error: unknown) => {
      // The folder may have been removed since it was created.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(path.dirname(this.path), { recursive: true });
      return openLedgerFile(this.path, 'append');
    });
    try {
      let written = 0;
      while (written < chunk.length) written += (await handle.write(chunk, written)).bytesWritten;
    } finally {
      await handle.close();
    }
  }

  /** Keeps what could not be written for the next try, dropping the oldest beyond the bound. */
  private keep(queue: Buffer[]): void {
    let bytes = queue.reduce((sum, chunk) => sum + chunk.length, 0);
    while (bytes > MAX_UNWRITTEN_BYTES && queue.length > 1) {
      const dropped = queue.shift()!;
      bytes -= dropped.length;
      this.lost += dropped.toString('utf8').split('\n').filter((line) => line.trim()).length;
    }
    this.unwritten = queue;
  }

  private keptMessage(): string {
    const kept = lineCount(this.unwritten);
    const lost = this.lost ? `; ${this.lost} older record${this.lost === 1 ? ' was' : 's were'} dropped, past the ${MAX_UNWRITTEN_BYTES / 1024 / 1024} MiB kept, and will not be written` : '';
    return `Requests still answer; ${kept} record${kept === 1 ? ' is' : 's are'} kept in memory and written once it works again${lost}`;
  }
}

/** How many records `chunks` hold (one a non-blank line). */
function lineCount(chunks: readonly Buffer[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.toString('utf8').split('\n').filter((line) => line.trim()).length, 0);
}

/**
 * Lines packed into writes of at most `maxBytes` UTF-8 bytes, each starting
 * with the newline guard and ending with a newline. A line longer than that
 * goes out alone.
 */
export function packLines(lines: readonly string[], maxBytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  let parts: string[] = [];
  let bytes = 1;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (parts.length > 0 && bytes + size > maxBytes) {
      chunks.push(Buffer.from(`\n${parts.join('\n')}\n`));
      parts = [];
      bytes = 1;
    }
    parts.push(line);
    bytes += size;
  }
  if (parts.length > 0) chunks.push(Buffer.from(`\n${parts.join('\n')}\n`));
  return chunks;
}

/**
 * Why a ledger could not be written, in words (the error code's meaning), for
 * messages that name the path; `settingName`, where the user sets that path,
 * is named when the path is no longer a file.
 */
export function writeFailureReason(error: unknown, settingName?: string): string {
  if (error instanceof NotARegularFileError) {
    return `the path is now ${error.kind}; give ${settingName ?? 'the ledger path'} the path of a ledger file (or of one to create), or put a file back there`;
  }
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EISDIR':
      return 'the path is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EROFS':
      return 'the filesystem is read-only';
    // EEXIST: what mkdir says of a folder in the path that is a file.
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
