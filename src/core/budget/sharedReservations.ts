import { createHash, randomUUID } from 'node:crypto';
import { type BigIntStats } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { localDay } from '../localDay';
import { isProcessAlive } from '../processAlive';
import { breakStaleLock, HeldLock, judgeLock, sweepLockLeftovers } from '../staleLock';

/** A request in flight under a budget, as every process sharing the ledger sees it. */
export interface InFlight {
  provider: string;
  /** Its worst case, reserved until its record is in the ledger. */
  usd: number;
  /** When it was reserved (ms): a reservation far older than any request is a leftover. */
  at: number;
  /** The local day its request started: it holds against that day's and month's limits (absent from older versions: `at`'s day). */
  day?: string;
  owner: string;
  seq: number;
}

/**
 * Spend of a process's records that its ledger could not take yet (kept in
 * its memory, writer.ts): spent, but in no file other processes read.
 */
export interface KeptSpend {
  provider: string;
  usd: number;
  /** The record's local day: it counts in that day's and month's budgets only. */
  day: string;
}

/**
 * What another process has in flight (`since`: the local day its request started, where its record will count;
 * absent: the current day), or spent and not yet in the ledger (`day`: that record's day).
 */
export type SeenElsewhere = { provider: string; usd: number; day?: string; since?: string };

interface InFlightFile {
  pid: number;
  owner: string;
  reservations: InFlight[];
  kept?: KeptSpend[];
  /** Rises with each write of one process: of its file in both folders, the later is read. */
  version?: number;
}

/**
 * A reservation older than this is a leftover (no request runs this long: the
 * first-token timeouts and the stream guard end them far sooner), not a
 * request in flight.
 */
const STALE_MS = 30 * 60_000;

/**
 * This process's requests in flight under a budget, published beside the
 * ledger (`ledger.jsonl.inflight/<owner>.json`, one file a process, written
 * whole and renamed into place) so that every window and the CLI counts the
 * others' requests in flight as well as their records: budgets held per
 * process would let each window spend up to a limit's last cents at once.
 *
 * Admission is done under a lock file in that folder (`lock`, created
 * exclusively): read the others' reservations, admit against them, publish
 * this one, release. Two processes reserving at the same moment so cannot
 * both take a limit's last cents. A lock whose holder died is broken
 * (staleLock.ts: under a breaker's lock named for it, itself broken the same
 * way when a process died breaking); one whose holder runs but has stopped
 * refreshing it is waited for no longer, never broken.
 */
export class SharedReservations {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly mine = new Map<number, InFlight>();
  private nextSeq = 1;
  private writing: Promise<void> = Promise.resolve();
  private admitting: Promise<void> = Promise.resolve();
  private swept = false;
  private kept: KeptSpend[] = [];
  private version = 0;
  /** Whether this process's file was last written to the fallback folder (so the primary's is stale, or gone). */
  private inFallback = false;
  /** Whether what this process published last reached a folder other processes read. */
  private published = true;

  constructor(
    private readonly ledgerPath: string,
    private readonly now: () => number = Date.now,
  ) {}

  private get folder(): string {
    return `${this.ledgerPath}.inflight`;
  }

  /** Publishes a reservation of this process, for a request started on local `day`; resolves once other processes can read it. */
  async add(provider: string, usd: number, day?: string): Promise<InFlight> {
    const entry: InFlight = { provider, usd, at: this.now(), owner: this.owner, seq: this.nextSeq++, ...(day !== undefined ? { day } : {}) };
    this.mine.set(entry.seq, entry);
    await this.write();
    return entry;
  }

  /** Withdraws a reservation: once its request's record is in the ledger, or it was never sent. */
  async remove(entry: InFlight): Promise<void> {
    if (!this.mine.delete(entry.seq)) return;
    await this.write();
  }

  /**
   * Every other live process's reservations, and its spend kept in memory while its ledger cannot be written
   * (`day` set). Read from the folder beside the ledger and from the fallback folder (fallbackFolder), the
   * later of one process's two files. A file that cannot be read counts nothing (it is being replaced, or is
   * not one of ours).
   */
  async others(): Promise<SeenElsewhere[]> {
    const folders = [this.folder, ...((await this.fallback()) ?? [])];
    const files = new Map<string, InFlightFile>();
    await Promise.all(
      folders.map(async (folder) => {
        const names = await readdir(folder).catch(() => [] as string[]);
        await Promise.all(
          names
            .filter((name) => name.endsWith('.json') && name !== `${this.owner}.json`)
            .map(async (name) => {
              const file = await readInFlightFile(path.join(folder, name));
              if (!file || !isProcessAlive(file.pid)) return;
              const other = files.get(name);
              if (!other || (file.version ?? 0) > (other.version ?? 0)) files.set(name, file);
            }),
        );
      }),
    );
    const now = this.now();
    const found: SeenElsewhere[] = [];
    for (const file of files.values()) {
      for (const entry of file.reservations) {
        if (now - entry.at < STALE_MS) found.push({ provider: entry.provider, usd: entry.usd, since: entry.day ?? localDay(new Date(entry.at)) });
      }
      // Kept until written, however long: they are spend, not a request that may have been forgotten.
      for (const entry of file.kept ?? []) found.push(entry);
    }
    return found;
  }

  /**
   * Publishes this process's spend that its ledger cannot take yet, replacing what was published before
   * (empty once written). Resolves true when other processes can read it, false when neither folder could be
   * written: then only this process counts it.
   */
  async publishKept(kept: readonly KeptSpend[]): Promise<boolean> {
    this.kept = [...kept];
    await this.write().catch(() => undefined);
    return this.published;
  }

  /** Whether what this process publishes reaches other processes (false while no folder can be written). */
  get reachesOthers(): boolean {
    return this.published;
  }

  /**
   * Runs `admit` while no other process sharing the ledger admits a request.
   * Where the lock cannot be made at all (a read-only folder, a full disk), `admit` runs
   * without it: each process then counts what it can see.
   */
  async withLock<T>(admit: () => Promise<T>): Promise<T> {
    // This process's own admissions queue here rather than polling the lock file against each other.
    const run = this.admitting.then(() => this.withFileLock(admit));
    this.admitting = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async withFileLock<T>(admit: () => Promise<T>): Promise<T> {
    const lock = path.join(this.folder, 'lock');
    try {
      await mkdir(this.folder, { recursive: true });
    } catch {
      return admit();
    }
    await this.sweepOnce(lock);
    for (let wait = 1; ; wait = Math.min(wait * 2, LOCK_POLL_MAX_MS)) {
      let held: HeldLock;
      try {
        held = await HeldLock.take(lock, LOCK_HEARTBEAT_MS);
      } catch (error) {
        // A full disk creates the lock (an inode) but refuses its pid (a block): it is removed, and `admit` runs
        // without one, as where the folder cannot be written. Thrown instead, the request would fail unanswered
        // and unrecorded, its question lost.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return admit();
        const seen = await stat(lock, { bigint: true }).catch(() => undefined);
        const state = seen ? await judgeLock(lock, seen, this.now(), LOCK_STALE_MS) : 'held';
        // Its holder runs but refreshes it no more (stopped, or blocked): breaking it would let both admit once it
        // wakes, so this admission goes without the lock, counting what it can see, as where it cannot be made.
        if (state === 'stuck') return admit();
        // A lock its holder left is broken (see staleLock.ts), and taken at once.
        if (state === 'left') {
          const isLeft = async (file: string, info: BigIntStats) => (await judgeLock(file, info, this.now(), LOCK_STALE_MS)) === 'left';
          // A folder where it cannot be broken (made read-only since): admitted without it, as where it cannot be made.
          const broken = await breakStaleLock(lock, isLeft, LOCK_STALE_MS, this.now).catch(() => undefined);
          if (broken === undefined) return admit();
          if (broken) continue;
        }
        // Another process is admitting, or breaking the lock: it takes a few file operations.
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      try {
        return await admit();
      } finally {
        await held.release();
      }
    }
  }

  /**
   * Once a process: removes what processes that died left in the folder: their reservations and half-written
   * files (named for their pid), and the breakers' leftovers beside the lock (staleLock.ts). Readers ignore all
   * of them; they only pile up.
   */
  private async sweepOnce(lock: string): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    await sweepLockLeftovers(lock, LOCK_STALE_MS, this.now).catch(() => undefined);
    for (const folder of [this.folder, ...((await this.fallback()) ?? [])]) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names) {
        const pid = Number(/^(\d+)-[0-9a-f]{8}\.json(?:\.\d+\.tmp)?$/.exec(name)?.[1]);
        if (pid > 0 && !isProcessAlive(pid)) await rm(path.join(folder, name), { force: true }).catch(() => undefined);
      }
    }
  }

  /** Withdraws every reservation of this process and its kept spend (shutting down: what is kept is lost with the process, or handed to the user). */
  async dispose(): Promise<void> {
    this.mine.clear();
    this.kept = [];
    await this.write();
  }

  /**
   * Writes this process's file as it stands now, one write at a time, in order: beside the ledger, or where
   * that folder cannot be written (often why the ledger cannot be written either: a full or read-only disk)
   * in the fallback folder, so that other processes still see this one's spend.
   */
  private write(): Promise<void> {
    const next = this.writing.then(async () => {
      const name = `${this.owner}.json`;
      const fallback = await this.fallback();
      if (this.mine.size === 0 && this.kept.length === 0) {
        if (this.inFallback && fallback) await rm(path.join(fallback[0], name), { force: true }).catch(() => undefined);
        this.inFallback = false;
        this.published = true;
        await rm(path.join(this.folder, name), { force: true });
        return;
      }
      const body: InFlightFile = { pid: process.pid, owner: this.owner, reservations: [...this.mine.values()], version: ++this.version };
      if (this.kept.length > 0) body.kept = this.kept;
      try {
        await writeWhole(this.folder, name, JSON.stringify(body), this.version);
        if (this.inFallback && fallback) await rm(path.join(fallback[0], name), { force: true }).catch(() => undefined);
        this.inFallback = false;
        this.published = true;
      } catch (error) {
        if (!fallback) {
          this.published = false;
          throw error;
        }
        try {
          await writeWhole(fallback[0], name, JSON.stringify(body), this.version);
        } catch {
          this.published = false;
          throw error;
        }
        this.inFallback = true;
        this.published = true;
        // An older version beside the ledger would be read as well; the later wins, but it is gone if it can go.
        await rm(path.join(this.folder, name), { force: true }).catch(() => undefined);
      }
    });
    this.writing = next.catch(() => {});
    return next;
  }

  private fallbackChecked: Promise<[string] | undefined> | undefined;

  /** The fallback folder for this ledger, if it is safe to use (fallbackFolder); checked once a process. */
  private fallback(): Promise<[string] | undefined> {
    this.fallbackChecked ??= fallbackFolder(this.ledgerPath).then((folder) => (folder ? [folder] : undefined));
    return this.fallbackChecked;
  }
}

/** Writes `name` in `folder` whole: to a temporary file first, renamed into place, so a reader sees the old file or the new one. */
async function writeWhole(folder: string, name: string, text: string, version: number): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = path.join(folder, `${name}.${version}.tmp`);
  try {
    await writeFile(temporary, text);
    await rename(temporary, path.join(folder, name));
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * A second place for this user's processes to publish what they have in flight and what their ledger could
 * not take: `<tmp>/switchboard-<uid>/inflight/<hash of the ledger's path>`, for when the folder beside the
 * ledger cannot be written. The temporary folder is shared with other users, so the user's folder is made
 * private and used only if it is a real folder of this user's that no one else may write (anyone could have
 * made it first); undefined otherwise.
 */
export async function fallbackFolder(ledgerPath: string): Promise<string | undefined> {
  const uid = process.getuid?.();
  const mine = path.join(os.tmpdir(), `switchboard-${uid ?? os.userInfo().username}`);
  try {
    await mkdir(mine, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const info = await lstat(mine);
    if (!info.isDirectory() || (uid !== undefined && (info.uid !== uid || (info.mode & 0o022) !== 0))) return undefined;
  } catch {
    return undefined;
  }
  const key = createHash('sha256').update(path.resolve(ledgerPath)).digest('hex').slice(0, 16);
  return path.join(mine, 'inflight', key);
}

async function readInFlightFile(file: string): Promise<InFlightFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<InFlightFile>;
    if (typeof parsed.pid !== 'number' || !Array.isArray(parsed.reservations)) return undefined;
    const reservations = parsed.reservations.filter(
      (entry): entry is InFlight =>
        typeof entry?.provider === 'string' && typeof entry.usd === 'number' && Number.isFinite(entry.usd) && entry.usd >= 0 && typeof entry.at === 'number' && typeof entry.owner === 'string' && typeof entry.seq === 'number' &&
        (entry.day === undefined || (typeof entry.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.day))),
    );
    const kept = (Array.isArray(parsed.kept) ? parsed.kept : []).filter(
      (entry): entry is KeptSpend => typeof entry?.provider === 'string' && typeof entry.usd === 'number' && Number.isFinite(entry.usd) && entry.usd >= 0 && typeof entry.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.day),
    );
    return { pid: parsed.pid, owner: String(parsed.owner), reservations, kept, ...(typeof parsed.version === 'number' ? { version: parsed.version } : {}) };
  } catch {
    return undefined;
  }
}

/** Longest pause between two tries at a held lock. */
const LOCK_POLL_MAX_MS = 20;
/** An admission holds the lock for a few file operations; a lock unrefreshed for longer than this has a holder that stopped. */
const LOCK_STALE_MS = 5_000;
/** How often a holder refreshes the lock while an admission runs: well within LOCK_STALE_MS, so a slow admission never looks stopped. */
const LOCK_HEARTBEAT_MS = 1_000;
