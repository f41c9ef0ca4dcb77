import { watch, type FSWatcher } from 'node:fs';
import { stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { NotARegularFileError, openLedgerFile } from './ledgerPath';
import { parseLine, readLines } from './lines';
import type { LedgerRecord } from './record';

export interface TailPosition {
  /** The file (inode) the position is in. */
  ino: number;
  /** Byte offset of the next unread line. */
  end: number;
  /** Lines before it, for warnings. */
  lines?: number;
}

/**
 * Follows the live ledger file: each `read()` returns the records appended
 * since the last one, by this process or any other, reading only the new
 * bytes (never the file again). A line still being written is left for the
 * next read. When the file is moved aside (monthly rotation), the rest of the
 * old file is read before the new one.
 */
export class LedgerTail {
  private handle: FileHandle | undefined;
  private ino = 0;
  private offset = 0;
  private lines = 0;
  private reading: Promise<LedgerRecord[]> = Promise.resolve([]);
  private watcher: FSWatcher | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  /** What the path was found to be instead of a file, said once until it is a file again. */
  private refused: string | undefined;
  /** Why reading the open file failed, said once until a read works again. */
  private failed: string | undefined;

  constructor(
    readonly file: string,
    private readonly onWarning: (warning: string) => void = () => {},
    start?: TailPosition,
  ) {
    if (start) {
      this.ino = start.ino;
      this.offset = start.end;
      this.lines = start.lines ?? 0;
    }
  }

  /** New records since the last read, in file order. Reads are queued, never run at once. */
  read(): Promise<LedgerRecord[]> {
    this.reading = this.reading.then(() => (this.closed ? [] : this.readNew()));
    return this.reading;
  }

  /**
   * Calls `onChange` when the file may have grown: at once through the
   * folder's change events, and by a check of its size every `pollMs`, for
   * filesystems that send none (network shares, some containers).
   */
  watch(onChange: () => void, pollMs = 1000): void {
    if (this.closed || this.poll) return;
    // What the last read left off at: anything else means there is something to read.
    let known = { size: this.offset, ino: this.ino };
    const check = () => {
      void stat(this.file).then(
        (now) => {
          if (now.size !== known.size || now.ino !== known.ino) {
            known = { size: now.size, ino: now.ino };
            onChange();
          }
        },
        () => undefined,
      );
    };
    try {
      const name = path.basename(this.file);
      this.watcher = watch(path.dirname(this.file), { persistent: false }, (_event, changed) => {
        if (!changed || changed === name) check();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No folder yet, or no change events here: the poll alone will do.
    }
    this.poll = setInterval(check, pollMs);
    this.poll.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    clearInterval(this.poll);
    this.poll = undefined;
    await this.reading.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
  }

  /**
   * New records, never a rejection: an error reading the open file (EIO from a failing disk, a descriptor
   * that went bad) would otherwise fail the request that asked (the router reads the others' spend before
   * sending under a budget), and every later read queued behind it. The records read before the error are
   * kept, the file is let go, said once, and opened again on the next read from where it was.
   */
  private async readNew(): Promise<LedgerRecord[]> {
    const records: LedgerRecord[] = [];
    try {
      await this.readInto(records);
      this.failed = undefined;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      if (reason !== this.failed) {
        this.failed = reason;
        this.onWarning(`${this.file}: could not read the ledger (${error instanceof Error ? error.message : reason}); spend other windows and the CLI recorded since is counted once it can be read again (tried on the next request)`);
      }
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close().catch(() => undefined);
    }
    return records;
  }

  private async readInto(records: LedgerRecord[]): Promise<void> {
    if (!this.handle && !(await this.reopen())) return;
    await this.readOpen(records);
    // Moved aside or removed: finish the old file (done above), then follow the new one.
    const live = await stat(this.file).catch(() => undefined);
    if (live?.ino !== this.ino) {
      await this.handle?.close();
      this.handle = undefined;
      if (live && (await this.reopen(true))) await this.readOpen(records);
    }
  }

  /** Opens the live file; a file other than the one the position was in is read from its start. */
  private async reopen(fresh = false): Promise<boolean> {
    const handle = await openLedgerFile(this.file, 'read').catch((error: unknown) => {
      // Become a named pipe or a folder since it was resolved: never waited on, said once, followed again once a file.
      if (error instanceof NotARegularFileError && error.kind !== this.refused) {
        this.refused = error.kind;
        this.onWarning(`${this.file}: the ledger path is now ${error.kind}; it is not followed until it is a file again (the ledger path setting, switchboard.ledger.path in the editor, names another)`);
      }
      return undefined;
    });
    if (!handle) return false;
    this.refused = undefined;
    const { ino } = await handle.stat().catch(async (error: unknown) => {
      await handle.close().catch(() => undefined);
      throw error;
    });
    if (fresh || ino !== this.ino) {
      this.offset = 0;
      this.lines = 0;
    }
    this.ino = ino;
    this.handle = handle;
    return true;
  }

  private async readOpen(records: LedgerRecord[]): Promise<void> {
    const handle = this.handle!;
    const { size } = await handle.stat();
    if (size < this.offset) {
      // Cut short: nobody appending does that, but a user may have emptied the file.
      this.offset = 0;
      this.lines = 0;
    }
    for await (const line of readLines(handle, this.offset, size)) {
      if (!line.complete) break;
      this.lines++;
      this.offset = line.offset + line.bytes + 1;
      const parsed = parseLine(line);
      if ('record' in parsed) records.push(parsed.record);
      else if ('problem' in parsed) this.onWarning(`${this.file}:${this.lines}: ${parsed.problem}`);
    }
  }
}
