import type { HostToWebview } from '../../shared/chatProtocol';

import type { ChatTranscript } from './chatTranscript';
import { benchmarkArrivals, type BenchmarkArrivals } from './chunkArrivals';
import type { BatchClock, ChunkBatch, ChunkStream } from './chunkBatcher';
import type { PageFrameClock } from './chunkPacer';
import { chooseChunkStream } from './chooseChunkStream';
import type { DirectAnswerStream } from './directStreamServer';

export type StartMessage = Extract<HostToWebview, { type: 'start' }>;
type ChunkMessage = Extract<HostToWebview, { type: 'chunk' }>;

/**
 * How often, at most, the answer streaming now is saved as far as it has come: to its draft file
 * (answerDrafts.ts), not per chunk; a window that crashes loses at most this much of what streamed,
 * and closing the panel's host saves it at once. Without a storage folder (an empty window) the save
 * goes to workspace state, which VS Code sends whole (every conversation) on each update.
 */
export const SAVE_ANSWER_EVERY_MS = 1_000;

export interface StreamingAnswerOptions {
  transcript: ChatTranscript;
  /** To the webview. */
  post(message: HostToWebview): void;
  log: { warn(message: string): void };
  clock: BatchClock;
  /** The chat settings that choose how chunks go to the panel. */
  chunking: { flowControl: boolean; framePacing: boolean };
  /** The streaming benchmark's file, if any; see chunkArrivals.ts. */
  benchmarkFile?: string;
  /**
   * `switchboard.chat.directStream`: the answer's loopback response (directStreamServer.ts), whose url and proof
   * are in `start.direct`. Its chunks go there instead of by postMessage, until the page says it failed.
   */
  direct?: DirectAnswerStream;
  /** The direct stream failed for this answer (the page said why): the rest goes by postMessage. */
  onDirectFailure?(reason: string): void;
}

/**
 * The answer streaming now: its chunks on their way to the webview, the text received so far (saved at
 * most every SAVE_ANSWER_EVERY_MS: per chunk only a concatenation and a flag), and what a new page needs
 * to show it: the `start` message it began with and how much of the text was posted.
 */
export class StreamingAnswer {
  private received = '';
  private nextSeq = 0;
  private saveTimer: unknown;
  private saveDue = false;
  /** How much has been posted, not a second copy of it: `received` holds it. */
  private readonly posted = { chars: 0, seq: 0 };
  private readonly arrivals: BenchmarkArrivals | undefined;
  private readonly chunks: ChunkStream;
  /** The direct stream, while chunks go by it; undefined once they go by postMessage. */
  private direct: DirectAnswerStream | undefined;
  /** With a direct stream: where each chunk's text ends in `received`, to send the rest from any chunk on. */
  private readonly chunkEnds: number[] = [];

  constructor(
    readonly start: StartMessage,
    private readonly options: StreamingAnswerOptions,
  ) {
    this.arrivals = benchmarkArrivals(options.benchmarkFile, start.id);
    this.chunks = chooseChunkStream(options.chunking, (batch, ack) => this.postBatch(batch, ack));
    const direct = options.direct;
    if (direct) {
      this.direct = direct;
      // What is handed to the socket counts as posted: the page reads it in order, TCP's back-pressure is the window.
      direct.onWritten = (seq) => {
        this.arrivals?.posted(seq);
        this.posted.seq = seq;
        this.posted.chars = direct.writtenChars;
      };
    }
  }

  /** Whether this answer began on the direct stream (its end is then announced by `directEnd`). */
  get startedDirect(): boolean {
    return this.options.direct !== undefined;
  }

  get id(): string {
    return this.start.id;
  }

  /** A chunk of the answer arrived from the model. */
  add(chunk: string): void {
    this.arrivals?.record(this.nextSeq);
    // First: posting may replay the answer so far to a new page (replay), from `received`.
    this.received += chunk;
    if (this.direct) {
      this.chunkEnds.push(this.received.length);
      this.direct.write(this.nextSeq++, chunk);
    } else {
      if (this.options.direct) this.chunkEnds.push(this.received.length);
      this.chunks.add(chunk, this.nextSeq++);
    }
    if (!this.saveDue) {
      this.saveDue = true;
      this.saveTimer = this.options.clock.setTimeout(() => this.saveSoFar(), SAVE_ANSWER_EVERY_MS);
    }
  }

  /** Saves the text so far (its draft file); `now`: the window is closing, the draft is written before returning. */
  saveSoFar(now = false): void {
    if (this.saveDue) this.options.clock.clearTimeout(this.saveTimer);
    this.saveDue = false;
    const { transcript, log } = this.options;
    transcript.answerSoFar(this.received);
    // Async: a synchronous write (`now`) runs before this returns, its failure comes back as a rejection.
    void transcript.saveAnswerSoFar({ now }).then(
      () => undefined,
      (error: unknown) => log.warn(`chat: could not save the answer so far: ${String(error)}`),
    );
  }

  /** The webview applied the chunk messages up to chunk `seq` (flow control); `frame`: its frame clock (frame pacing). */
  acknowledge(seq: number, frame?: PageFrameClock): void {
    this.arrivals?.acknowledged();
    this.chunks.acknowledge(seq, frame);
  }

  /** The webview was reloaded or went away: chunk messages it was sent will not be acknowledged. */
  webviewReset(): void {
    if (this.direct) {
      // A new page shows the answer from `replay`, by postMessage: what the old page's stream had not carried follows it.
      this.leaveDirect();
      this.postRestAfter(this.posted.seq);
      return;
    }
    this.chunks.reset();
  }

  /**
   * The page applied this answer's direct chunks up to `seq` and reads its stream no more (it failed, or the
   * end came and chunks were missing): the rest goes by postMessage now, and so does whatever follows.
   */
  directFailed(seq: number, reason: string): void {
    if (!this.options.direct) return;
    if (this.direct) {
      this.leaveDirect();
      this.options.onDirectFailure?.(reason);
    }
    this.postRestAfter(seq);
  }

  /** What a new page is sent to show this answer as far as it was posted: its `start`, then its text so far. */
  replay(): HostToWebview[] {
    // What was posted is always the start of what was received: chunks are posted in order.
    const { chars, seq } = this.posted;
    // A new page reads no stream of the old one's: it is sent the answer by postMessage (webviewReset follows).
    const { direct: _direct, ...start } = this.start;
    if (chars === 0) return [start];
    return [start, { type: 'chunk', id: this.id, text: this.received.slice(0, chars), firstSeq: seq, seq }];
  }

  /** The request ended: no more periodic save, and everything not yet posted goes out, whatever is in flight. */
  end(): void {
    if (this.saveDue) this.options.clock.clearTimeout(this.saveTimer);
    if (this.direct) this.direct.end(this.nextSeq - 1);
    // `done` follows and waits for no acknowledgement.
    else this.chunks.flush();
    // The page holds `done` or `error` until it has every chunk up to this one.
    if (this.options.direct) this.options.post({ type: 'directEnd', id: this.id, seq: this.nextSeq - 1 });
  }

  private leaveDirect(): void {
    this.direct?.abandon();
    this.direct = undefined;
  }

  /** Posts the chunks after `seq` (all of them that arrived) in one message, then lets later ones take the usual path. */
  private postRestAfter(seq: number): void {
    const lastSeq = this.nextSeq - 1;
    if (seq >= lastSeq) return;
    const from = seq < 0 ? 0 : (this.chunkEnds[seq] ?? this.received.length);
    // Posted counts from what the page has: `replay` for a page loaded later starts from there.
    this.posted.chars = from;
    this.postBatch({ text: this.received.slice(from), firstSeq: seq + 1, seq: lastSeq }, false);
  }

  /** Writes the benchmark file, if any; a failure goes to the log. */
  async writeBenchmark(): Promise<void> {
    await this.arrivals?.finish().catch((error: unknown) => this.options.log.warn(`chat: could not write the benchmark file: ${String(error)}`));
  }

  private postBatch(batch: ChunkBatch, ack: boolean): void {
    this.arrivals?.posted(batch.seq);
    this.posted.chars += batch.text.length;
    this.posted.seq = batch.seq;
    // Serialised per message on the host, relayed twice: fields with their default left out. While the relay
    // keeps up, a message is one chunk, whose `firstSeq` defaults to its `seq`.
    const message: ChunkMessage = { type: 'chunk', id: this.id, text: batch.text, seq: batch.seq };
    if (batch.firstSeq !== batch.seq) message.firstSeq = batch.firstSeq;
    if (ack) message.ack = true;
    this.options.post(message);
  }
}
