/**
 * Frame pacing for streamed chunks (`switchboard.chat.framePacing`, with flow
 * control): at most one chunk message per frame of the panel, posted so that
 * it reaches the page just before the frame that will draw it. The page draws
 * streamed text only in animation frames, so a chunk posted as soon as it
 * arrives waits in the page for the next frame anyway (half a frame in
 * median); paced, it waits on the host instead, gathered with the others of
 * that frame into one message, and VS Code relays a message a frame instead
 * of one or two per chunk of a few.
 *
 * The host does not read the page's clock. Each acknowledgement says how long
 * after the message's arrival the page's next frame was due (`slackMs`) and
 * the page's frame interval (`frameMs`); the host moves its send times so
 * that wait comes to TARGET_SLACK_MS, a small margin for the relay's jitter.
 * A wait of nearly a frame means the message arrived just after a frame: it
 * should have been sent earlier, not a frame later, so the error is taken
 * modulo the frame, nearest way round. Until the first acknowledgement with
 * a frame clock comes (a page not yet drawn, or hidden), messages go as flow
 * control sends them.
 *
 * Flow control's window still holds: with two messages unacknowledged the
 * text waits for an acknowledgement, whatever the frame (the window, the
 * pending message, `reset` and `flush` are windowedChunkStream.ts, shared
 * with flow control). No `vscode` import: timers and the sink are injected.
 */
import { WindowedChunkStream } from './windowedChunkStream';

/** What the page says of its frames in an acknowledgement (chunkAck). */
export interface PageFrameClock {
  /** From the message's arrival to the page's next frame. */
  slackMs: number;
  /** The page's frame interval. */
  frameMs: number;
}

/**
 * Aim for messages to arrive this long before the frame: the relay's latency
 * varies by a few ms from message to message, and a message that comes just
 * too late waits a whole frame.
 */
export const TARGET_SLACK_MS = 4;
/** How far one acknowledgement moves the send times towards what it says: several are averaged over. */
const PHASE_GAIN = 0.2;
/** A send time this close is now: a timer would fire no sooner. A message can go this much before its send time. */
export const NOW_MS = 1;

export class ChunkPacer extends WindowedChunkStream {
  private timer: unknown;
  /** When the timer fires: a send time (`frame`), or the oldest message's acknowledgement timeout (`timeout`). */
  private timerFor: 'frame' | 'timeout' | undefined;
  /** A host time the page's frames are due to be sent for, once known; they repeat every `frameMs`. */
  private sendPhase: number | undefined;
  private frameMs = 1000 / 60;
  private lastSentAt = -Infinity;

  /** The next host time a message is due to be sent, once the page's frames are known (for tests and the log). */
  get nextSendAt(): number | undefined {
    return this.sendPhase === undefined ? undefined : this.nextSendTime(this.clock.now());
  }

  /** The page applied the messages up to chunk `seq`; `frame`: how that message fell against its frames. */
  acknowledge(seq: number, frame?: PageFrameClock): void {
    const { message, freed } = this.window.acknowledge(seq);
    if (message && frame) this.learn(message.sentAt, frame);
    if (freed) this.pump();
  }

  /** A message sent at `sentAt` arrived `frame.slackMs` before a frame: move the send times so the next arrive TARGET_SLACK_MS before one. */
  private learn(sentAt: number, frame: PageFrameClock): void {
    this.frameMs = frame.frameMs;
    const ideal = sentAt + nearestWay(frame.slackMs - TARGET_SLACK_MS, this.frameMs);
    if (this.sendPhase === undefined) this.sendPhase = ideal;
    else this.sendPhase += PHASE_GAIN * nearestWay(ideal - this.sendPhase, this.frameMs);
  }

  /** The first send time at or after `now`, and at least half a frame after the last send: one message a frame. */
  private nextSendTime(now: number): number {
    const phase = this.sendPhase ?? now;
    const earliest = Math.max(now, this.lastSentAt + this.frameMs / 2);
    return phase + Math.ceil((earliest - phase) / this.frameMs) * this.frameMs;
  }

  protected pump(): void {
    const now = this.clock.now();
    const room = this.window.hasRoom(now);
    if (!this.pending) return;
    if (!room) {
      // Full: if no acknowledgement comes, the oldest message's timeout frees a slot.
      this.arm('timeout', this.window.msUntilTimeout(now));
      return;
    }
    const wait = this.sendPhase === undefined ? 0 : this.nextSendTime(now) - now;
    if (wait < NOW_MS) this.post(now);
    else this.arm('frame', wait);
  }

  private post(now: number): void {
    const batch = this.pending;
    if (!batch) return;
    this.cancelTimer();
    this.pending = undefined;
    this.lastSentAt = now;
    this.window.posted(batch.seq, now);
    this.send(batch, true);
  }

  /** Sets the timer for `reason` unless one is set for it already (a send time replaces a timeout: it is sooner). */
  private arm(reason: 'frame' | 'timeout', ms: number): void {
    if (this.timer !== undefined && (this.timerFor === reason || reason === 'timeout')) return;
    this.cancelTimer();
    this.timerFor = reason;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerFor = undefined;
      this.pump();
    }, ms);
  }

  protected cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerFor = undefined;
  }
}

/** `ms` wrapped into [−period/2, period/2): the shorter way round a repeating frame. */
export function nearestWay(ms: number, period: number): number {
  return ms - Math.round(ms / period) * period;
}
