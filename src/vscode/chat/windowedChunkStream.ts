/**
 * What flow control (chunkFlow.ts) and frame pacing (chunkPacer.ts) do alike: streamed text gathers into
 * one pending message, the window of messages not yet acknowledged (ackWindow.ts) says when it may go, and
 * `flush` sends it whatever the window. They differ in when a pending message goes (`pump`) and in what
 * their timer waits for. No `vscode` import: timers and the sink are injected.
 */
import { AckWindow, ACK_TIMEOUT_MS, MAX_IN_FLIGHT } from './ackWindow';
import { realBatchClock, withChunk, type BatchClock, type ChunkBatch, type ChunkStream } from './chunkBatcher';

export abstract class WindowedChunkStream implements ChunkStream {
  protected pending: ChunkBatch | undefined;
  protected readonly window: AckWindow;

  constructor(
    /** Posts one chunk message; `ack`: the page is asked to acknowledge it. */
    protected readonly send: (batch: ChunkBatch, ack: boolean) => void,
    protected readonly clock: BatchClock = realBatchClock,
    window = MAX_IN_FLIGHT,
    ackTimeoutMs = ACK_TIMEOUT_MS,
  ) {
    this.window = new AckWindow(window, ackTimeoutMs);
  }

  add(text: string, seq: number): void {
    this.pending = withChunk(this.pending, text, seq);
    this.pump();
  }

  abstract acknowledge(seq: number, frame?: { slackMs: number; frameMs: number }): void;

  /** The page was reloaded or went away: what is in flight will never be acknowledged. */
  reset(): void {
    this.window.clear();
    this.pump();
  }

  /** Sends what is pending now, whatever the window (and the frame): before `done`, `error`, or when the answer stops. */
  flush(): void {
    this.cancelTimer();
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    // The answer's last message: nothing follows that would wait for its acknowledgement.
    this.send(batch, false);
  }

  /** Posts the pending message if it may go now, or sets the timer for when it may. */
  protected abstract pump(): void;

  protected abstract cancelTimer(): void;
}
