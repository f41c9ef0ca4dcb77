/**
 * Settings re-applied one run at a time, in order: each run waits for the one before it, whether or not that
 * failed (one failure must not stop every later change), and a re-apply asked for while another still waits its
 * turn joins it, so a burst of changes is applied once. No vscode import: tested in plain Node.
 */
export class ReapplyQueue {
  private pending: Promise<void> = Promise.resolve();
  private waiting: { reasons: Set<string>; done: Promise<void> } | undefined;

  /** `apply` gets every reason the run gathered; `onError` hears of a run that failed (the queue goes on). */
  constructor(
    private readonly apply: (reasons: readonly string[]) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Resolves (or rejects) once a run that includes `why` has applied the settings. */
  request(why: string): Promise<void> {
    if (this.waiting) {
      this.waiting.reasons.add(why);
      return this.waiting.done;
    }
    const reasons = new Set([why]);
    const done = this.pending.catch(() => undefined).then(async () => {
      this.waiting = undefined;
      await this.apply([...reasons]);
    });
    this.waiting = { reasons, done };
    this.pending = done;
    done.catch((error: unknown) => this.onError(error));
    return done;
  }

  /** Resolves once every run asked for so far has ended, failed or not. */
  settled(): Promise<void> {
    return this.pending.catch(() => undefined);
  }
}
