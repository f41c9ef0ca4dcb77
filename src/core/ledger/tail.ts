import { watch, type FSWatcher } from 'node:fs';
import { stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ledgerFiles, NotARegularFileError, openLedgerFile } from './ledgerPath';
import { SHIPPED_LEDGER_PRICES, type LedgerPrices } from './costCheck';
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

/** What a read of the live file found: the records since the last read, or, `replaced`, a whole new file's. */
export interface TailChanges {
  records: LedgerRecord[];
  /**
   * The file followed was replaced (renamed over, deleted and made again) or emptied in place: `records` are the
   * file's now, from its first byte, and what was read of the old one is no longer in the ledger.
   */
  replaced: boolean;
}

/**
 * Follows the live ledger file: each `read()` returns the records appended
 * since the last one, by this process or any other, reading only the new
 * bytes (never the file again). A line still being written is left for the
 * next read. When the file is moved aside (monthly rotation), the rest of the
 * old file is read before the new one. A file replaced or emptied is read
 * again from its start, and readChanges() says so.
 */
export class LedgerTail {
  private handle: FileHandle | undefined;
  private ino = 0;
  private offset = 0;
  private lines = 0;
  private reading: Promise<TailChanges> = Promise.resolve({ records: [], replaced: false });
  /** The file followed lost its last name (deleted, or replaced by a rename): the next file found replaces it. */
  private unlinked = false;
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
    /**
     * Where the reader of a warning sets the ledger's path: the editor's `switchboard.ledger.path`, the CLI's
     * `--ledger, SWITCHBOARD_LEDGER or ledger.path`; each names what its own user can change.
     */
    private readonly pathSetting = 'the ledger path setting',
    /** The reader's prices, which judge a recorded cost (costCheck.ts): the same as the scan it continues. */
    readonly prices: LedgerPrices = SHIPPED_LEDGER_PRICES,
  ) {
    if (start) {
      this.ino = start.ino;
      this.offset = start.end;
      this.lines = start.lines ?? 0;
    }
  }

  /** New records since the last read, in file order. Reads are queued, never run at once. */
  async read(): Promise<LedgerRecord[]> {
    return (await this.readChanges()).records;
  }

  /** As read(), and whether the file was replaced since (see TailChanges): a reader that sums must start over then. */
  readChanges(): Promise<TailChanges> {
    this.reading = this.reading.then(() => (this.closed ? { records: [], replaced: false } : this.readNew()));
    return this.reading;
  }

  /**
   * Opens the file the start position is in, reading nothing. A tail that
   * holds its file sees it deleted or renamed over (it loses its last name);
   * one that opens it only at its first read may find a new file that took the
   * deleted one's inode number, and read it from the old offset as the same
   * file. A file that is no longer the one at the position is left for read().
   */
  hold(): Promise<void> {
    const held = this.reading.then(async (last) => {
      if (this.closed || this.handle || this.ino === 0) return last;
      const handle = await openLedgerFile(this.file, 'read').catch(() => undefined);
      const ino = await handle?.stat().then((stats) => stats.ino, () => undefined);
      if (handle && ino === this.ino) this.handle = handle;
      else await handle?.close().catch(() => undefined);
      return last;
    });
    this.reading = held;
    return held.then(() => undefined);
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
  private async readNew(): Promise<TailChanges> {
    const changes: TailChanges = { records: [], replaced: false };
    try {
      await this.readInto(changes);
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
    return changes;
  }

  private async readInto(changes: TailChanges): Promise<void> {
    if (!this.handle) {
      const followed = this.ino;
      const unlinked = this.unlinked;
      // A file made after the one followed lost its name is read from its start, even under the same inode number.
      if (!(await this.reopen(unlinked))) return;
      // Not open yet (or let go after an error) when the file changed: the file read before counts as replaced
      // unless a ledger name (rotation's archive) still holds it.
      if (unlinked || (followed !== 0 && this.ino !== followed && !(await this.archived(followed)))) this.startOver(changes);
    }
    await this.readOpen(changes);
    // Moved aside or removed: finish the old file (done above), then follow the new one.
    const live = await stat(this.file).catch(() => undefined);
    if (live?.ino !== this.ino) {
      // Rotation moves the file aside under a second name (a hard link): it keeps a name and its records stay in
      // the ledger. A file with no name left was deleted or replaced; its records are no longer the ledger's.
      const { nlink } = await this.handle!.stat();
      await this.handle?.close();
      this.handle = undefined;
      if (nlink === 0) this.unlinked = true;
      if (live && (await this.reopen(true))) {
        if (this.unlinked) this.startOver(changes);
        await this.readOpen(changes);
      }
    }
  }

  /** Whether file `ino` is one of the ledger's archived months (moved aside by rotation). */
  private async archived(ino: number): Promise<boolean> {
    const archives = (await ledgerFiles(this.file)).filter((file) => file.month !== undefined);
    const inos = await Promise.all(archives.map(async (file) => (await stat(file.path).catch(() => undefined))?.ino));
    return inos.includes(ino);
  }

  /** The file followed was replaced: what was read of it goes, and the records from here are the new file's. */
  private startOver(changes: TailChanges): void {
    this.unlinked = false;
    changes.replaced = true;
    changes.records.length = 0;
  }

  /** Opens the live file; a file other than the one the position was in is read from its start. */
  private async reopen(fresh = false): Promise<boolean> {
    const handle = await openLedgerFile(this.file, 'read').catch((error: unknown) => {
      // Become a named pipe or a folder since it was resolved: never waited on, said once, followed again once a file.
      if (error instanceof NotARegularFileError && error.kind !== this.refused) {
        this.refused = error.kind;
        this.onWarning(`${this.file}: the ledger path is now ${error.kind}; it is not followed until it is a file again, or ${this.pathSetting} names another`);
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

  private async readOpen(changes: TailChanges): Promise<void> {
    const handle = this.handle!;
    const { records } = changes;
    const { size } = await handle.stat();
    if (size < this.offset) {
      // Cut short: nobody appending does that, but a user may have emptied the file, or an editor saved it shorter.
      this.offset = 0;
      this.lines = 0;
      this.startOver(changes);
    }
    for await (const line of readLines(handle, this.offset, size)) {
      if (!line.complete) break;
      this.lines++;
      this.offset = line.offset + line.bytes + 1;
      const parsed = parseLine(line, this.prices);
      if ('record' in parsed) {
        records.push(parsed.record);
        if (parsed.note) this.onWarning(`${this.file}:${this.lines}: ${parsed.note}`);
      } else if ('problem' in parsed) this.onWarning(`${this.file}:${this.lines}: ${parsed.problem}`);
    }
  }
}
