/**
 * The window of chunk messages posted to the panel and not yet acknowledged:
 * the bookkeeping flow control (chunkFlow.ts) and frame pacing (chunkPacer.ts)
 * share. Each entry is a message's last chunk `seq` and when it went, oldest
 * first. Acknowledgements are cumulative (the page applies messages in order),
 * and a message unacknowledged after `ackTimeoutMs` is taken as lost (its page
 * went away unannounced), so a full window never holds text up for good.
 * No `vscode` import, no timers: the caller passes the time.
 */

/**
 * Two: one message being applied while the next crosses the relay, so the
 * relay never idles waiting for an acknowledgement, and at most one message
 * queues behind another.
 */
export const MAX_IN_FLIGHT = 2;

/** A message not acknowledged in this long is taken as lost (its page went away unannounced). */
export const ACK_TIMEOUT_MS = 1_000;

export interface InFlightMessage {
  /** The message's last chunk. */
  seq: number;
  /** The host time it was posted. */
  sentAt: number;
}

export class AckWindow {
  private inFlight: InFlightMessage[] = [];

  constructor(
    readonly size = MAX_IN_FLIGHT,
    readonly ackTimeoutMs = ACK_TIMEOUT_MS,
  ) {}

  /** Messages posted and not yet acknowledged (nor timed out at the last `expire`). */
  get unacknowledged(): number {
    return this.inFlight.length;
  }

  /** Forgets the messages unacknowledged for `ackTimeoutMs` at `now`; then whether another may be posted. */
  hasRoom(now: number): boolean {
    while (this.inFlight.length > 0 && now - (this.inFlight[0]?.sentAt ?? now) >= this.ackTimeoutMs) this.inFlight.shift();
    return this.inFlight.length < this.size;
  }

  /** A message ending with chunk `seq` was posted at `now`, asking to be acknowledged. */
  posted(seq: number, now: number): void {
    this.inFlight.push({ seq, sentAt: now });
  }

  /**
   * The page applied every message up to chunk `seq`: they leave the window. Returns the message that ended
   * with `seq` (when still in the window) and whether any left, so that the caller sends what waited.
   */
  acknowledge(seq: number): { message: InFlightMessage | undefined; freed: boolean } {
    const message = this.inFlight.find((entry) => entry.seq === seq);
    const before = this.inFlight.length;
    this.inFlight = this.inFlight.filter((entry) => entry.seq > seq);
    return { message, freed: this.inFlight.length !== before };
  }

  /** The page was reloaded or went away: what is in flight will never be acknowledged. */
  clear(): void {
    this.inFlight = [];
  }

  /** How long from `now` until the oldest message times out and frees a slot (0 if it has, or none is in flight). */
  msUntilTimeout(now: number): number {
    const oldest = this.inFlight[0];
    return oldest ? Math.max(0, oldest.sentAt + this.ackTimeoutMs - now) : 0;
  }
}
