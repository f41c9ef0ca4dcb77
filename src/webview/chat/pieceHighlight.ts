/**
 * Re-highlighting a long code block in the page's idle periods (idleWork.ts),
 * a piece of a few KB a step, never the whole block in one task: highlighting
 * a few KB at once took 48 ms in a bench frame on a loaded machine. The block
 * is on screen as slices (streamed and highlighted apart, or plain text); each
 * piece starts where the one before ended outside any comment or string, so
 * it is coloured as the whole block would be, and replaces the slices it
 * covers.
 */
import { el } from '../dom';
import { type IdleJob } from './idleWork';
import { highlightedCodePiece } from './markdown';

/**
 * A step takes whole slices until it has this many characters (about 1 ms of
 * highlighting on a quiet machine). It takes at least one, so a slice must be
 * no longer than a step may be.
 */
const PIECE_CHARS = 2_000;
/**
 * A piece that ends inside a comment or string is tried again longer, up to
 * this size; past it, it is kept as it is, and the next piece is coloured as
 * a slice was (the one case where the result differs from a whole highlight).
 */
const MAX_PIECE_CHARS = 8_000;

export interface CodeSlice {
  element: HTMLElement;
  /** Offset in the block's content where the slice's code starts. */
  start: number;
}

export class PieceHighlight implements IdleJob {
  /** Slices not yet replaced; the first starts at `done`. */
  private readonly slices: CodeSlice[];
  private done = 0;
  /** Characters the next piece should have at least. */
  private wanted = PIECE_CHARS;

  /**
   * `element`: what must still be on the page for the work to be worth doing;
   * `code`: the <code> element holding `slices`, which together hold `content`.
   */
  constructor(
    readonly element: Element,
    private readonly code: HTMLElement,
    private readonly language: string,
    private readonly content: string,
    slices: CodeSlice[],
  ) {
    this.slices = slices;
  }

  /** One piece; 'done' once the block is as if highlighted whole. */
  step(): 'more' | 'done' {
    const { content, slices } = this;
    if (slices.length === 0) return 'done';
    let taken = 0;
    let end = this.done;
    while (taken < slices.length && (taken === 0 || end - this.done < this.wanted)) {
      taken++;
      end = slices[taken]?.start ?? content.length;
    }
    const { nodes, closed } = highlightedCodePiece(content.slice(this.done, end), this.language);
    const last = end === content.length;
    if (!closed && !last && end - this.done < MAX_PIECE_CHARS) {
      // Ends inside a comment or string: the next step tries a longer piece from the same place.
      this.wanted = Math.min(MAX_PIECE_CHARS, (end - this.done) * 2);
      return 'more';
    }
    if (this.done === 0 && last) {
      // The whole block in one piece: exactly what a whole render shows.
      this.code.replaceChildren(nodes);
    } else {
      const replaced = slices.splice(0, taken);
      const piece = el('span', { class: 'code-slice' }, nodes);
      replaced[0]?.element.before(piece);
      for (const slice of replaced) slice.element.remove();
    }
    this.done = end;
    this.wanted = PIECE_CHARS;
    if (!last) return 'more';
    slices.length = 0;
    return 'done';
  }
}
