/**
 * Puts streamed text on screen in the next animation frame, once per frame however many chunks arrived in between.
 * While the rendering benchmark runs, it also records when each chunk was painted.
 */
import { MAX_FRAME_MS } from '../../shared/chatProtocol';
import type { PaintRingBuffer } from './paintLog';
import type { Answer } from './transcript';

/** One display frame at 60 Hz. */
const FRAME_MS = 16;
/** Frames closer than this or further apart (in intervals) than MAX_INTERVALS say nothing of the frame rate. */
const MIN_FRAME_MS = 4;
const MAX_INTERVALS = 4;
/** How far one measured interval moves the frame interval: smooths a late frame out. */
const INTERVAL_GAIN = 0.1;

export class StreamedTextDrawer {
  private readonly pending = new Set<Answer>();
  private frameRequested = false;
  private lastDrawAt = -Infinity;
  private paintLog: PaintRingBuffer | undefined;
  private presentRequested = false;
  private unpaintedSeqs: number[] = [];
  private unpaintedReceivedAt: number[] = [];
  /** The last animation frame's time (its rAF timestamp), and the frame interval measured so far. */
  private lastFrameAt: number | undefined;
  private frameMs = 1000 / 60;
  /** Variants the benchmark turns on from outside; empty unless it runs. */
  private benchmarkVariants: ReadonlySet<string> = new Set();

  /** `changed`: called after a draw that changed the transcript (to keep it at its end). */
  constructor(
    private readonly list: HTMLElement,
    private readonly changed: () => void,
  ) {}

  /** The rendering benchmark runs: paints are recorded in `paintLog`. */
  measure(paintLog: PaintRingBuffer, variants: ReadonlySet<string>): void {
    this.paintLog = paintLog;
    this.benchmarkVariants = variants;
  }

  /** `answer` was given the text of one message, which carries chunks firstSeq..seq. */
  appended(answer: Answer, chunks: { firstSeq?: number; seq: number }): void {
    if (this.paintLog) {
      // Each chunk of the message is painted when the message is.
      const receivedAt = performance.now();
      const first = chunks.firstSeq !== undefined && chunks.firstSeq <= chunks.seq ? chunks.firstSeq : chunks.seq;
      for (let seq = first; seq <= chunks.seq; seq++) {
        this.unpaintedSeqs.push(seq);
        this.unpaintedReceivedAt.push(receivedAt);
      }
    }
    this.schedule(answer);
  }

  /**
   * The page's frame clock as the host's frame pacing reads it (chunkPacer.ts): how long from now until the next
   * frame is due, and the frame interval; undefined before the first frame. Read as a message arrives.
   */
  frameClock(now = performance.now()): { slackMs: number; frameMs: number } | undefined {
    if (this.lastFrameAt === undefined) return undefined;
    const since = Math.max(0, now - this.lastFrameAt);
    // A message that comes as a frame is due is drawn in it (the frame's callbacks run after its time): a whole
    // frame's wait, not none. Rounded to 0.01 ms: the host needs no more.
    const slack = Math.ceil(since / this.frameMs) * this.frameMs - since || this.frameMs;
    // Within what the host accepts (chunkAck's bounds): an acknowledgement it refused would hold the stream up.
    const bounded = (ms: number, min: number) => Math.round(Math.min(MAX_FRAME_MS, Math.max(min, ms)) * 100) / 100;
    return { slackMs: bounded(Math.min(slack, this.frameMs), 0), frameMs: bounded(this.frameMs, 1) };
  }

  /** Draws what is pending at once: an answer's text goes on screen before its footer or error. */
  drawNow(): void {
    this.draw(false);
  }

  /** The transcript was replaced: what was pending belongs to answers no longer shown. */
  forget(): void {
    this.pending.clear();
    this.unpaintedSeqs = [];
    this.unpaintedReceivedAt = [];
  }

  private schedule(answer: Answer): void {
    this.pending.add(answer);
    if (this.frameRequested) return;
    // Drawn in the next animation frame, never at once: text drawn between frames is painted in the next frame
    // all the same, and drawing it then costs a layout of its own (the scroll to the bottom reads the height),
    // then the frame's, on the main thread that also relays the chunk messages. `draw-at-once` is the bench's
    // off state (bench/chatStreaming.ts): what the panel did before, for text after a quiet frame.
    if (this.benchmarkVariants.has('draw-at-once') && performance.now() - this.lastDrawAt >= FRAME_MS) {
      this.draw(false);
      return;
    }
    this.frameRequested = true;
    requestAnimationFrame((frameAt) => {
      this.frameRequested = false;
      this.frameTicked(frameAt);
      this.draw(true);
    });
  }

  /** An animation frame at `frameAt`: the grid the next frames are due on, and the interval between them. */
  private frameTicked(frameAt: number): void {
    if (this.lastFrameAt !== undefined) {
      const gap = frameAt - this.lastFrameAt;
      const intervals = Math.round(gap / this.frameMs);
      if (gap >= MIN_FRAME_MS && intervals >= 1 && intervals <= MAX_INTERVALS) this.frameMs += INTERVAL_GAIN * (gap / intervals - this.frameMs);
    }
    this.lastFrameAt = frameAt;
  }

  private draw(inFrame: boolean): void {
    const started = performance.now();
    this.lastDrawAt = started;
    let changed = false;
    for (const answer of this.pending) changed = answer.render() || changed;
    this.pending.clear();
    if (changed) this.changed();
    if (this.paintLog && this.unpaintedSeqs.length > 0) this.recordPaints(this.paintLog, started, inFrame);
  }

  private recordPaints(paintLog: PaintRingBuffer, started: number, inFrame: boolean): void {
    // Reading layout here makes the recorded time include layout, not just DOM edits.
    void this.list.scrollHeight;
    const paintedAt = performance.now();
    // Drawn in an animation frame, the text is painted in that frame; drawn between
    // frames, it is painted in the next one, whose start is stamped when it comes.
    const presentedAt = inFrame ? paintedAt : Number.NaN;
    this.unpaintedSeqs.forEach((seq, i) => paintLog.record(seq, this.unpaintedReceivedAt[i] ?? paintedAt, paintedAt, paintedAt - started, presentedAt));
    this.unpaintedSeqs = [];
    this.unpaintedReceivedAt = [];
    if (inFrame || this.presentRequested) return;
    this.presentRequested = true;
    requestAnimationFrame(() => {
      this.presentRequested = false;
      paintLog.present(performance.now());
    });
  }
}
