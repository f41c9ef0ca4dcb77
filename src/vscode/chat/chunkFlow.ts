/**
 * Flow control for streamed chunks (`switchboard.chat.flowControl`, on by
 * default): at most `window` chunk messages are in flight, posted but not yet
 * acknowledged by the webview (`chunkAck`, sent once it has applied the
 * message). While the window is full, new text gathers into one pending
 * message, posted when an acknowledgement frees a slot. So a machine whose
 * relay keeps up gets every chunk at once, and one whose relay does not
 * (in code-server the workbench relays every postMessage on the webview's
 * own main thread) gets as many messages as it carries, each carrying more.
 *
 * Acknowledgements may never come (the view was hidden, disposed or
 * reloaded): `reset` forgets what was in flight when the host learns of it,
 * and a message unacknowledged after `ackTimeoutMs` frees its slot anyway, so
 * the text never waits on a page that is gone. `flush` sends everything
 * pending whatever the window: the answer's last message carries all the
 * rest, and `done` never waits for an acknowledgement.
 * The window itself (what is in flight, the timeout) is ackWindow.ts, and the
 * pending message, `reset` and `flush` are windowedChunkStream.ts, shared with
 * frame pacing. No `vscode` import: timers and the sink are injected.
 */
import { WindowedChunkStream } from './windowedChunkStream';

export class ChunkFlow extends WindowedChunkStream {
  private timer: unknown;

  /** Messages posted and not yet acknowledged. */
  get unacknowledged(): number {
    return this.window.unacknowledged;
  }

  /** The webview applied every message up to chunk `seq` (acknowledgements are cumulative). */
  acknowledge(seq: number): void {
    if (this.window.acknowledge(seq).freed) this.pump();
  }

  protected pump(): void {
    const now = this.clock.now();
    const room = this.window.hasRoom(now);
    const batch = this.pending;
    if (batch && room) {
      this.cancelTimer();
      this.pending = undefined;
      this.window.posted(batch.seq, now);
      this.send(batch, true);
      return;
    }
    // Full, with text waiting: if no acknowledgement comes, the oldest message's timeout frees a slot.
    if (batch && this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.window.msUntilTimeout(now));
    }
  }

  protected cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
