import type { Admission, BudgetGate, InFlightScope, Reservation } from '../budget/budgetGate';
import { SharedReservations, type InFlight, type KeptSpend } from '../budget/sharedReservations';
import type { Ledger } from '../ledger';
import type { LedgerSource } from '../ledger/record';
import type { ModelRef, Task } from '../types';

/**
 * This process's side of the budget's shared admission: its requests in flight and its kept spend as the other
 * processes sharing its ledger read them, published beside the ledger the router writes to now.
 */
export class SharedAdmission {
  /** This process's requests in flight as the other processes sharing its ledger read them. */
  private shared: { path: string; reservations: SharedReservations } | undefined;

  /**
   * `ledger`: read on each use, so a changed ledger path takes effect at once. `source`: whose requests (see
   * admittedAlone). `readSpend`: counts what the other processes appended to the ledger since the last read (the
   * spend tracker's catchUp), done under the lock (see admit).
   */
  constructor(
    private readonly ledger: (() => Ledger) | undefined,
    private readonly source: LedgerSource,
    private readonly readSpend?: () => Promise<unknown>,
  ) {}

  /** Resolves once this process's published reservations and kept spend are withdrawn (others would count them until it ends). */
  async dispose(): Promise<void> {
    await this.shared?.reservations.dispose().catch(() => undefined);
  }

  /** Withdraws reservations this process published (see admit). */
  withdraw(entries: readonly InFlight[]): void {
    const shared = this.reservations();
    for (const entry of entries) void shared?.remove(entry).catch(() => {});
  }

  /**
   * Publishes `usd` more in flight for `provider` (a failed attempt's bill, until its record is in the ledger),
   * added to `published`, to be withdrawn with it; not for ghost text, which publishes nothing (see admit).
   */
  async hold(task: Task, provider: string, usd: number, published: InFlight[], day: string): Promise<void> {
    const shared = admittedAlone(task, this.source) ? undefined : this.reservations();
    if (!shared) return;
    try {
      published.push(await shared.add(provider, usd, day));
    } catch {
      // Not published (the folder cannot be written): counted in this process only, as admit's own.
    }
  }

  /** Publishes this process's spend its ledger could not take yet (see SharedReservations.publishKept); true when other processes see it. */
  async publishKept(kept: readonly KeptSpend[]): Promise<boolean> {
    const shared = this.reservations();
    return shared ? shared.publishKept(kept) : kept.length === 0;
  }

  /** The reservations every process sharing the current ledger publishes; undefined without a ledger. */
  reservations(): SharedReservations | undefined {
    const ledgerPath = this.ledger?.().path;
    if (ledgerPath === undefined) return undefined;
    if (this.shared?.path !== ledgerPath) {
      void this.shared?.reservations.dispose();
      this.shared = { path: ledgerPath, reservations: new SharedReservations(ledgerPath) };
    }
    return this.shared.reservations;
  }

  /**
   * Admits a request on `ref` against every limit, counting what every process
   * sharing the ledger has in flight, and reserves its worst case `usd` where
   * it goes (`go`; `warn` and `downgrade` past a limit); the reservation is
   * published for the other processes. One process admits at a time (see
   * SharedReservations); without a ledger, against this process's alone.
   *
   * Inline completions take neither the lock nor the others' reservations,
   * and publish nothing: the lock, the folder's read and the publish cost
   * about 0.75 ms at the median and 3-4.6 ms at p99 per admission, against
   * a goal of under 1 ms added per completion. They are admitted against
   * the spend (every process's records) and this process's own requests in
   * flight. What that can cost: another window's requests in flight do not
   * hold a completion back, nor does a completion hold theirs (it is not
   * published), so together they can pass a limit by at most the worst case
   * of each completion in flight (a fraction of a cent each), and a window
   * has one completion in flight (InflightRequests: a new request aborts
   * the one under way unless a call still waits for it): about one
   * completion's worst case per window. Chat, Ask, Plan and the CLI keep the
   * shared admission.
   */
  async admit(
    gate: BudgetGate,
    task: Task,
    ref: ModelRef,
    usd: number | null,
    published: InFlight[],
    /** The local day the request started: its reservation holds against that day's limits (see AdmitOptions.day). */
    day: string,
    allowedOnce = false,
    /** `usd` counts the model at budget.unpricedEstimate, it having no price (see AdmitOptions.estimated). */
    estimated = false,
  ): Promise<{ admission: Admission; reservation?: Reservation }> {
    const decide = () => {
      // "Allow once" is offered for a question the user asked; ghost text typed meanwhile must not spend it.
      const admission = gate.admit(ref.provider, usd, { allowOnce: task !== 'completion', allowedOnce, inFlight: inFlightScopeOf(task, this.source), model: ref.model, day, estimated });
      if (admission.kind === 'go') return { admission, reservation: admission.reservation };
      if (admission.kind === 'over' && admission.action !== 'block') return { admission, reservation: gate.reserve(ref.provider, usd ?? 0, day) };
      return { admission };
    };
    if (admittedAlone(task, this.source)) return decide();
    const shared = this.reservations();
    if (!shared) return decide();
    return shared.withLock(async () => {
      gate.seeOthers(await shared.others());
      // The ledger read again here, after the others' reservations, not only before the lock was taken: another
      // process withdraws a reservation (unlocked) once its record is in the ledger, so a reservation read gone
      // has its record in the file by now. Read only before the lock (a request waiting behind others' admissions
      // reads the ledger, then the records land and their reservations go), a finished request counted in neither
      // let a cap of $0.01 take $0.016 under 30 requests at once from two processes (concurrentCap.test.ts).
      await this.readSpend?.().catch(() => undefined);
      const decided = decide();
      if (decided.reservation) {
        try {
          published.push(await shared.add(ref.provider, decided.reservation.usd, day));
        } catch {
          // Not published (the folder cannot be written): counted in this process only.
        }
      }
      return decided;
    });
  }
}

/**
 * Whether a request of `task` from `source` is admitted without the shared lock and the others' requests in flight
 * (see SharedAdmission.admit): ghost text in the editor, whose typing pauses the lock's milliseconds would slow.
 * Not `switchboard complete`: each run is a process of its own, so the "one completion in flight a window" that
 * bounds the exemption's cost holds for none of them, and scripts running it side by side (`xargs -P 8`) each
 * took a limit's last cents, the others' completions in flight unseen; a run starts in far more than the lock costs.
 */
export function admittedAlone(task: Task, source: LedgerSource): boolean {
  return task === 'completion' && source !== 'cli';
}

/** Whose requests in flight a request of `task` is admitted against: ghost text skips the shared ones (admittedAlone). */
export function inFlightScopeOf(task: Task, source: LedgerSource): InFlightScope {
  return admittedAlone(task, source) ? 'here' : 'everywhere';
}
