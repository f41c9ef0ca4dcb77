import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../processAlive';
import { breakStaleLock, HeldLock, judgeLock, sweepLockLeftovers } from '../staleLock';

/** A request in flight under a budget, as every process sharing the ledger sees it. */
export interface InFlight {
  provider: string;
  /** Its worst case, reserved until its record is in the ledger. */
  usd: number;
  /** When it was reserved (ms): a reservation far older than any request is a leftover. */
  at: number;
  owner: string;
  seq: number;
}

interface InFlightFile {
  pid: number;
  owner: string;
  reservations: InFlight[];
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

  constructor(
    private readonly ledgerPath: string,
    private readonly now: () => number = Date.now,
  ) {}

  private get folder(): string {
    return `${this.ledgerPath}.inflight`;
  }

  /** Publishes a reservation of this process; resolves once other processes can read it. */
  async add(provider: string, usd: number): Promise<InFlight> {
    const entry: InFlight = { provider, usd, at: this.now(), owner: this.owner, seq: this.nextSeq++ };
    this.mine.set(entry.seq, entry);
    await this.write();
    return entry;
  }

  /** Withdraws a reservation: once its request's record is in the ledger, or it was never sent. */
  async remove(entry: InFlight): Promise<void> {
    if (!this.mine.delete(entry.seq)) return;
    await this.write();
  }

  /** Every other live process's reservations. A file that cannot be read counts nothing (it is being replaced, or is not one of ours). */
  async others(): Promise<InFlight[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return [];
    }
    const now = this.now();
    const found: InFlight[] = [];
    await Promise.all(
      names
        .filter((name) => name.endsWith('.json') && name !== `${this.owner}.json`)
        .map(async (name) => {
          const file = await readInFlightFile(path.join(this.folder, name));
          if (!file || !isProcessAlive(file.pid)) return;
          for (const entry of file.reservations) if (now - entry.at < STALE_MS) found.push(entry);
        }),
    );
    return found;
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
        if (state === 'left' && (await breakStaleLock(lock, async (file, info) => (await judgeLock(file, info, this.now(), LOCK_STALE_MS)) === 'left', LOCK_STALE_MS, this.now))) continue;
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
    const names = await readdir(this.folder).catch(() => [] as string[]);
    for (const name of names) {
      const pid = Number(/^(\d+)-[0-9a-f]{8}\.json(?:\.\d+\.tmp)?$/.exec(name)?.[1]);
      if (pid > 0 && !isProcessAlive(pid)) await rm(path.join(this.folder, name), { force: true }).catch(() => undefined);
    }
  }

  /** Withdraws every reservation of this process (shutting down). */
  async dispose(): Promise<void> {
    this.mine.clear();
    await this.write();
  }

  /** Writes this process's file as it stands now, one write at a time, in order. */
  private write(): Promise<void> {
    const next = this.writing.then(async () => {
      const file = path.join(this.folder, `${this.owner}.json`);
      if (this.mine.size === 0) {
        await rm(file, { force: true });
        return;
      }
      const body: InFlightFile = { pid: process.pid, owner: this.owner, reservations: [...this.mine.values()] };
      await mkdir(this.folder, { recursive: true });
      const temporary = `${file}.${this.nextSeq}.tmp`;
      await writeFile(temporary, JSON.stringify(body));
      // Renamed into place: a reader sees the old file or the new one, never half of one.
      await rename(temporary, file);
    });
    this.writing = next.catch(() => {});
    return next;
  }
}

async function readInFlightFile(file: string): Promise<InFlightFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<InFlightFile>;
    if (typeof parsed.pid !== 'number' || !Array.isArray(parsed.reservations)) return undefined;
    const reservations = parsed.reservations.filter(
      (entry): entry is InFlight =>
        typeof entry?.provider === 'string' && typeof entry.usd === 'number' && Number.isFinite(entry.usd) && entry.usd >= 0 && typeof entry.at === 'number' && typeof entry.owner === 'string' && typeof entry.seq === 'number',
    );
    return { pid: parsed.pid, owner: String(parsed.owner), reservations };
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
