/**
 * The page's side of `switchboard.chat.directStream`: an answer whose `start`
 * carries `direct` has its chunks read from a loopback response (fetch and a
 * ReadableStream: what the page has not read stays in TCP's buffers, the host's
 * back-pressure), while its end comes by postMessage and can overtake them.
 *
 * So the page keeps, per such answer, the last chunk applied (chunks carry
 * `seq`, applied once each and in order, whichever way they came), and holds
 * the answer's `done` or `error` until it has every chunk up to the `seq` its
 * `directEnd` names. If the stream fails (refused by the policy or the browser,
 * dropped, or a first line without the answer's proof), or the end came and
 * chunks are still missing after END_WAIT_MS, the page stops reading and sends
 * `directFailed` with the last chunk it applied: the host sends the rest by
 * postMessage, and the held messages follow once they are applied.
 */
import type { HostToWebview } from '../../shared/chatProtocol';

/** After `directEnd`, how long the page waits for the stream's missing chunks before asking for them by postMessage. */
export const END_WAIT_MS = 2_000;

type Held = Extract<HostToWebview, { type: 'done' } | { type: 'error' }>;

export interface DirectStreamSink {
  /** Chunk `seq` of answer `id`, read from its stream. */
  apply(id: string, text: string, seq: number): void;
  /** The page reads answer `id`'s stream no more, having applied up to `seq`: the host sends the rest. */
  failed(id: string, seq: number, reason: string): void;
  /** Messages held for answer `id`, due now that its text is complete. */
  release(messages: Held[]): void;
}

class DirectAnswer {
  applied = -1;
  lastSeq: number | undefined;
  readonly held: Held[] = [];
  readonly abort = new AbortController();
  reading = true;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly id: string) {}
}

export class DirectStreams {
  private readonly answers = new Map<string, DirectAnswer>();

  constructor(private readonly sink: DirectStreamSink) {}

  /** An answer began with a direct stream: read it. */
  begin(id: string, direct: { url: string; proof: string }): void {
    const answer = new DirectAnswer(id);
    this.answers.set(id, answer);
    void this.read(answer, direct).catch((error: unknown) => this.fail(answer, `the stream failed: ${errorText(error)}`));
  }

  /**
   * A chunk message by postMessage for answer `id` (after `directFailed`, or an answer without a stream): whether to
   * apply it. For a direct answer, chunks already applied are skipped, and the answer's applied chunk moves on.
   */
  accepts(id: string, seq: number): boolean {
    const answer = this.answers.get(id);
    if (!answer) return true;
    if (seq <= answer.applied) return false;
    answer.applied = seq;
    // Applied by the caller right after: completion is checked once it is.
    queueMicrotask(() => this.checkComplete(answer));
    return true;
  }

  /** The host says answer `id` ended at chunk `seq`. */
  ended(id: string, seq: number): void {
    const answer = this.answers.get(id);
    if (!answer) return;
    answer.lastSeq = seq;
    if (this.checkComplete(answer)) return;
    answer.timer = setTimeout(() => {
      answer.timer = undefined;
      if (answer.reading) this.fail(answer, `${answer.lastSeq === undefined ? 0 : answer.lastSeq - answer.applied} chunks still missing ${END_WAIT_MS} ms after the end`);
    }, END_WAIT_MS);
  }

  /** Whether `message` (the answer's `done` or `error`) waits for chunks still to come; if so it is kept, to be released. */
  hold(message: Held): boolean {
    const answer = this.answers.get(message.id);
    if (!answer) return false;
    if (answer.lastSeq === undefined || answer.applied >= answer.lastSeq) {
      // Ended without a `directEnd` (refused before it streamed), or complete: nothing more to read.
      this.forget(answer);
      return false;
    }
    answer.held.push(message);
    return true;
  }

  /** The page shows another conversation: no stream of the old one matters. */
  forgetAll(): void {
    for (const answer of [...this.answers.values()]) this.forget(answer);
  }

  private async read(answer: DirectAnswer, direct: { url: string; proof: string }): Promise<void> {
    const response = await fetch(direct.url, { signal: answer.abort.signal, cache: 'no-store', credentials: 'omit' });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    let proven = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!answer.reading) return;
      buffered += value;
      let newline = buffered.indexOf('\n');
      let start = 0;
      while (newline >= 0) {
        const frame = JSON.parse(buffered.slice(start, newline)) as unknown;
        start = newline + 1;
        newline = buffered.indexOf('\n', start);
        if (!proven) {
          if ((frame as { proof?: unknown } | null)?.proof !== direct.proof) throw new Error('its first line is not the answer\'s proof');
          proven = true;
        } else if (Array.isArray(frame)) {
          const [seq, text] = frame as [unknown, unknown];
          if (typeof seq !== 'number' || typeof text !== 'string') throw new Error('a malformed chunk');
          if (!answer.reading) return;
          if (seq > answer.applied) {
            answer.applied = seq;
            this.sink.apply(answer.id, text, seq);
          }
        } else {
          // `{"end":seq}`: the response ends here.
          answer.reading = false;
          this.checkComplete(answer);
          return;
        }
      }
      buffered = buffered.slice(start);
      this.checkComplete(answer);
    }
    throw new Error('the stream ended before its last chunk');
  }

  private fail(answer: DirectAnswer, reason: string): void {
    if (!answer.reading || this.answers.get(answer.id) !== answer) return;
    answer.reading = false;
    answer.abort.abort();
    if (answer.timer) clearTimeout(answer.timer);
    this.sink.failed(answer.id, answer.applied, reason.slice(0, 300));
  }

  private checkComplete(answer: DirectAnswer): boolean {
    if (answer.lastSeq === undefined || answer.applied < answer.lastSeq) return false;
    const held = answer.held.splice(0);
    this.forget(answer);
    if (held.length > 0) this.sink.release(held);
    return true;
  }

  private forget(answer: DirectAnswer): void {
    if (this.answers.get(answer.id) === answer) this.answers.delete(answer.id);
    if (answer.timer) clearTimeout(answer.timer);
    if (answer.reading) {
      answer.reading = false;
      answer.abort.abort();
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
