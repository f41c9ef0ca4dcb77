/**
 * Whether the provider's connection is probably still open, from when a request last used it. Kept apart from
 * completionEngine.ts because it is a guess about the HTTP client (undici's idle timeout), not about completions:
 * when that client changes, this file is the one to read again.
 */

/**
 * After this long without a request, the provider's connection is probably
 * closed: undici (Node's fetch, which the SDKs use) closes an idle one after
 * 4 s, or 2 s before the server's keep-alive hint runs out.
 */
const CONNECTION_IDLE_MS = 2_500;
/** A call that would request sooner than this gains nothing from a warm-up: the request opens the connection itself. */
export const WARM_LEAD_MS = 50;

export class ConnectionWarmth {
  /** When a request or warm-up last used the provider's connection; -Infinity when it was dropped. */
  private usedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  /** A request ended with an answer: its connection stays open for the next. */
  used(): void {
    this.usedAt = this.now();
  }

  /** A request was aborted or failed: it took its connection with it, or may have. */
  dropped(): void {
    this.usedAt = Number.NEGATIVE_INFINITY;
  }

  /** True when the connection has probably been closed since it was last used; the warm-up then made counts as a use from now. */
  warmUpNeeded(): boolean {
    const now = this.now();
    if (now - this.usedAt < CONNECTION_IDLE_MS) return false;
    this.usedAt = now;
    return true;
  }
}
