/**
 * Puts streamed text on screen in the next animation frame, once per frame however many chunks arrived in between.
 * While the rendering benchmark runs, it also records when each chunk was painted.
 */
import type { PaintRingBuffer } from './paintLog';
import type { Answer } from './transcript';

/** One display frame at 60 Hz. */
const FRAME_MS = 16;

export class StreamedTextDrawer {
  private readonly pending = new Set<Answer>();
  private frameRequested = false;
  private lastDrawAt = -Infinity;
  private paintLog: PaintRingBuffer | undefined;
  private presentRequested = false;
  private unpaintedSeqs: number[] = [];
  private unpaintedReceivedAt: number[] = [];
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
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw(true);
    });
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
