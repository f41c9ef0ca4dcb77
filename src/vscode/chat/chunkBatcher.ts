/**
 * Coalesces streamed chunks into at most one webview message per half frame:
 * what the panel does with `switchboard.chat.flowControl` off (chunkFlow.ts
 * is what it does with it on). Each postMessage crosses from the extension host through the workbench
 * into the webview, and that relay, not rendering, is what falls behind at
 * hundreds of tokens a second (measured by `npm run bench -- chat`). The
 * first chunk after a quiet spell goes at once, so a slow stream pays no
 * added delay; chunks arriving faster than a frame share one message.
 * No `vscode` import: timers and the sink are injected.
 */
export interface ChunkBatch {
  text: string;
  /** First and last chunk sequence numbers in this message. */
  firstSeq: number;
  seq: number;
}

/**
 * Half a frame: at 500 tokens/s that is about 125 messages a second, which the
 * relay keeps up with, while a chunk waits at most 8 ms on the host.
 */
export const FRAME_MS = 8;

/** How the session hands an answer's chunks to the webview: ChunkBatcher, or ChunkFlow (flow control). */
export interface ChunkStream {
  add(text: string, seq: number): void;
  /** The webview applied the messages up to chunk `seq`; `frame`: how that message fell against the page's frames (frame pacing). */
  acknowledge(seq: number, frame?: { slackMs: number; frameMs: number }): void;
  /** The webview was reloaded or went away: acknowledgements of what it was sent will not come. */
  reset(): void;
  /** Sends everything pending now: the answer's last chunk message. */
  flush(): void;
}

/** `pending` with chunk `seq` appended, or a message of that chunk alone when nothing is pending. */
export function withChunk(pending: ChunkBatch | undefined, text: string, seq: number): ChunkBatch {
  if (!pending) return { text, firstSeq: seq, seq };
  pending.text += text;
  pending.seq = seq;
  return pending;
}

/** The clock and timer the batcher waits with; tests pass one they move by hand. */
export interface BatchClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realBatchClock: BatchClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ChunkBatcher implements ChunkStream {
  private pending: ChunkBatch | undefined;
  private timer: unknown;
  private lastSentAt = -Infinity;

  constructor(
    private readonly send: (batch: ChunkBatch) => void,
    private readonly clock: BatchClock = realBatchClock,
    private readonly frameMs = FRAME_MS,
  ) {}

  add(text: string, seq: number): void {
    this.pending = withChunk(this.pending, text, seq);
    if (this.timer !== undefined) return;
    const wait = this.lastSentAt + this.frameMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Paced by the clock alone: no acknowledgements are asked for. */
  acknowledge(): void {}

  reset(): void {}

  /** Sends what is pending now: before `done`, `error`, or when the answer stops. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    this.lastSentAt = this.clock.now();
    this.send(batch);
  }
}
