/**
 * A thinking model's reasoning sent inside the answer's own text: older Ollama, llama.cpp with
 * `--reasoning-format none`, LM Studio and vLLM without a reasoning parser stream DeepSeek-R1's, QwQ's and Qwen3's
 * `<think>…</think>` in `content`, before the answer. Where the chat template opens the block itself (Qwen3's
 * thinking models, R1's later templates) only the `</think>` reaches the client.
 *
 * Only a block at the very start of the answer is reasoning: a `<think>` later on (in a code fence, in prose about
 * these tags) is the answer's and passes untouched. A tag may arrive split over any number of chunks.
 */
import type { StreamEvent } from '../types';

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Models whose template opens the block in the prompt, so their text may begin inside it with no `<think>`:
 * DeepSeek-R1 (and its distills), QwQ, and models named as thinking ones (Qwen3-…-Thinking-2507).
 * For these the start of the answer is held until `</think>` or the end of the stream.
 */
const OPENS_IN_PROMPT = /(^|[^a-z0-9])r1([^0-9]|$)|qwq|thinking/i;

export function mayBeginInsideThinkBlock(model: string): boolean {
  return OPENS_IN_PROMPT.test(model);
}

type Phase =
  /** Nothing but white space seen yet: the text may still turn out to open with `<think>`. */
  | 'start'
  /** Inside an opened block: reasoning until `</think>`. */
  | 'inside'
  /** A model that may begin inside the block sent text with no `<think>`: held until `</think>` or the end. */
  | 'held'
  /** Just past `</think>`: the line breaks a template puts before the answer are dropped. */
  | 'after'
  /** The answer: passes untouched. */
  | 'answer';

/** The length of the longest end of `text` that is a beginning of `tag` (a tag cut by a chunk boundary). */
function partialTagAtEnd(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

/** Held text searched again for a tag that a new piece may complete: one character less than the longer tag. */
const TAG_OVERLAP = CLOSE.length - 1;

export class ThinkBlockFilter {
  private phase: Phase = 'start';
  private pending = '';
  /** The white space before anything else, set aside as it comes: it is searched once, not again with every piece. */
  private leadingWhitespace = '';
  /** Held text already searched for the tags: its length, and its last characters (a tag may end in the next piece). */
  private heldScanned = 0;
  private heldTail = '';
  /** Held text not yet searched: only this and `heldTail` are read per piece, never all that is held. */
  private heldFresh = '';

  constructor(private mayBeginInside: boolean) {}

  /**
   * The events for one piece of `content`: the answer as `text`, the reasoning as `reasoning` (its length only, as
   * `reasoning_content` is said), so the first-token time starts at the first answer text and the reasoning still
   * counts as the output it is billed as.
   */
  *push(piece: string): Generator<StreamEvent> {
    if (this.phase === 'answer') {
      if (piece) yield { type: 'text', text: piece };
      return;
    }
    // Appending never copies what is held (a rope); reading all of it per piece would, and a long think is thousands.
    this.pending += piece;
    if (this.phase === 'held') this.heldFresh += piece;
    yield* this.advance();
  }

  /**
   * The server sends the reasoning in its own field (`reasoning_content`, `reasoning`: a reasoning parser, OpenRouter,
   * DeepSeek's API): the content is the answer, not the inside of a block the prompt opened, so it is not held until
   * the end (DeepSeek-R1 through OpenRouter would stream nothing, then its whole answer at once). A `<think>` opening
   * the content is still kept out.
   */
  *reasoningApart(): Generator<StreamEvent> {
    if (!this.mayBeginInside) return;
    this.mayBeginInside = false;
    if (this.phase === 'held') {
      this.phase = 'answer';
      yield* this.release();
    }
  }

  /** At the end of the stream: what was held is said for what it turned out to be. */
  *end(): Generator<StreamEvent> {
    const rest = this.leadingWhitespace + this.pending;
    this.pending = '';
    this.leadingWhitespace = '';
    // Past `</think>` only the line breaks before an answer that never came are left.
    if (!rest || this.phase === 'after') return;
    if (this.phase === 'inside') yield { type: 'reasoning', chars: rest.length };
    // Never closed: the text was not reasoning after all (or `<thi` was all there was).
    else yield { type: 'text', text: rest };
    this.phase = 'answer';
  }

  private *advance(): Generator<StreamEvent> {
    for (;;) {
      switch (this.phase) {
        case 'start': {
          // `pending` holds no white space from earlier pieces (set aside below), so it stays a few characters long.
          const lead = this.pending.trimStart();
          this.leadingWhitespace += this.pending.slice(0, this.pending.length - lead.length);
          this.pending = lead;
          if (lead.startsWith(OPEN)) {
            yield { type: 'reasoning', chars: this.leadingWhitespace.length + OPEN.length };
            this.leadingWhitespace = '';
            this.pending = lead.slice(OPEN.length);
            this.phase = 'inside';
            continue;
          }
          // Still white space or a beginning of `<think>`: wait for more.
          if (OPEN.startsWith(lead)) return;
          this.pending = this.leadingWhitespace + lead;
          this.leadingWhitespace = '';
          this.heldFresh = this.pending;
          this.phase = this.mayBeginInside ? 'held' : 'answer';
          if (this.phase === 'answer') return yield* this.release();
          continue;
        }
        case 'inside': {
          const close = this.pending.indexOf(CLOSE);
          if (close >= 0) {
            yield* this.closeAt(close);
            continue;
          }
          const thought = this.pending.length - partialTagAtEnd(this.pending, CLOSE);
          if (thought > 0) yield { type: 'reasoning', chars: thought };
          this.pending = this.pending.slice(thought);
          return;
        }
        case 'held': {
          // Only what arrived since the last look (and a tag it may complete) is searched: a long think stays linear.
          const searched = this.heldTail + this.heldFresh;
          const offset = this.heldScanned - this.heldTail.length;
          const close = searched.indexOf(CLOSE);
          const open = searched.indexOf(OPEN);
          this.heldScanned += this.heldFresh.length;
          this.heldTail = searched.slice(-TAG_OVERLAP);
          this.heldFresh = '';
          // Held text that opens a `<think>` of its own before any close is an answer about the tags, not reasoning.
          if (open >= 0 && (close < 0 || open < close)) {
            this.phase = 'answer';
            continue;
          }
          if (close >= 0) {
            yield* this.closeAt(offset + close);
            continue;
          }
          // Not yet known to be reasoning: counted when it is (or said as text at the end); a zero keeps the
          // first-token watchdog from taking a long think for a silent server.
          yield { type: 'reasoning', chars: 0 };
          return;
        }
        case 'after': {
          const answer = this.pending.replace(/^[\r\n]+/, '');
          if (!answer) return;
          this.pending = answer;
          this.phase = 'answer';
          continue;
        }
        case 'answer':
          return yield* this.release();
      }
    }
  }

  /** The block ends with the `</think>` at `close`: all before it and the tag are reasoning. */
  private *closeAt(close: number): Generator<StreamEvent> {
    yield { type: 'reasoning', chars: close + CLOSE.length };
    this.pending = this.pending.slice(close + CLOSE.length);
    this.phase = 'after';
  }

  private *release(): Generator<StreamEvent> {
    const text = this.pending;
    this.pending = '';
    if (text) yield { type: 'text', text };
  }
}
