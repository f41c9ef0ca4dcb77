/**
 * A fenced code block while it streams. Re-highlighting a growing block every
 * frame costs time proportional to its length, which for a long file makes
 * each frame slower than the last. So a short block is re-highlighted whole
 * (exact colours as it grows); past that, finished lines are highlighted in
 * slices that are appended and never touched again, and the lines still
 * arriving are shown as plain text until their slice is complete. Slices are
 * highlighted apart, so a comment or string that spans two is coloured as
 * code in the second.
 *
 * Once the answer has ended, a closed block shown in slices is re-highlighted
 * in the page's idle periods (idleWork.ts), a piece of a few KB a step: each
 * piece starts where the one before ended outside any comment or string, so
 * it is coloured as the whole block would be, and replaces the slices it
 * covers. Not while the answer streams: an idle period is then the gap before
 * the next frame. And never the whole block in one task: highlighting a few
 * KB at once took 48 ms in a bench frame on a loaded machine.
 */
import { codeBlock } from './codeBlocks';
import { el } from './dom';
import { fenceLanguage, hasGrammar } from './highlight';
import { runWhenIdle, type IdleJob } from './idleWork';
import { highlightedCode, highlightedCodePiece } from './markdown';

/** Up to this size the whole block is re-highlighted as it grows (well under a millisecond). */
const WHOLE_BLOCK_CHARS = 1_000;
/** Past it, lines are highlighted this many at a time. */
const SLICE_LINES = 8;
/**
 * A re-highlighting step takes whole slices until it has this many characters
 * (about 1 ms of highlighting on a quiet machine). It takes at least one, and a
 * slice holds the lines that arrived for one frame, so no step highlights more
 * than a streamed frame already did.
 */
const PIECE_CHARS = 2_000;
/**
 * A piece that ends inside a comment or string is tried again longer, up to
 * this size; past it, it is kept as it is, and the next piece is coloured as
 * a slice was (the one case where the result differs from a whole highlight).
 */
const MAX_PIECE_CHARS = 8_000;

interface Slice {
  element: HTMLElement;
  /** Offset in the block's content where the slice's code starts. */
  start: number;
}

/** A finished block's re-highlighting: how far it has come. */
interface Rehighlight {
  content: string;
  /** Slices not yet replaced; the first starts at `done`. */
  slices: Slice[];
  done: number;
  /** Characters the next piece should have at least. */
  wanted: number;
}

export class StreamingCode implements IdleJob {
  readonly element: HTMLElement;
  private readonly language: string;
  private readonly code: HTMLElement;
  private readonly pending = document.createTextNode('');
  /** Characters of content already shown highlighted; always at a line start. */
  private highlighted = 0;
  private readonly slices: Slice[] = [];
  private rehighlight: Rehighlight | undefined;

  constructor(info: string) {
    this.language = fenceLanguage(info);
    this.code = el('code', { class: this.language ? `hljs language-${this.language}` : 'hljs' }, this.pending);
    this.element = codeBlock(this.language, el('pre', {}, this.code));
  }

  /** `content`: everything after the opening fence line received so far. */
  update(content: string): void {
    const finishedLines = content.lastIndexOf('\n') + 1;
    if (finishedLines > this.highlighted) {
      if (content.length <= WHOLE_BLOCK_CHARS) {
        this.code.replaceChildren(highlightedCode(content.slice(0, finishedLines), this.language), this.pending);
        this.highlighted = finishedLines;
      } else if (countLines(content, this.highlighted, finishedLines) >= SLICE_LINES) {
        this.appendSlice(content.slice(this.highlighted, finishedLines));
      }
    }
    this.pending.data = content.slice(this.highlighted);
  }

  /** The block is complete (closed, or the answer ended): highlight what is left. */
  finish(content: string): void {
    if (content.length <= WHOLE_BLOCK_CHARS) {
      this.code.replaceChildren(highlightedCode(content, this.language));
    } else {
      if (content.length > this.highlighted) this.appendSlice(content.slice(this.highlighted));
      this.pending.remove();
      // Without a grammar every slice is plain text already: nothing to redo.
      if (hasGrammar(this.language)) this.rehighlight = { content, slices: this.slices.splice(0), done: 0, wanted: PIECE_CHARS };
    }
  }

  /** The answer has ended: a block shown in slices is re-highlighted, a piece at a time, in idle periods. */
  rehighlightWhenIdle(): void {
    if (this.rehighlight) runWhenIdle(this);
  }

  /** One piece of the re-highlighting (see the top of the file); 'done' once the block is as if highlighted whole. */
  step(): 'more' | 'done' {
    const work = this.rehighlight;
    if (!work) return 'done';
    const { content, slices } = work;
    let taken = 0;
    let end = work.done;
    while (taken < slices.length && (taken === 0 || end - work.done < work.wanted)) {
      taken++;
      end = slices[taken]?.start ?? content.length;
    }
    const { nodes, closed } = highlightedCodePiece(content.slice(work.done, end), this.language);
    const last = end === content.length;
    if (!closed && !last && end - work.done < MAX_PIECE_CHARS) {
      // Ends inside a comment or string: the next step tries a longer piece from the same place.
      work.wanted = Math.min(MAX_PIECE_CHARS, (end - work.done) * 2);
      return 'more';
    }
    if (work.done === 0 && last) {
      // The whole block in one piece: exactly what a whole render shows.
      this.code.replaceChildren(nodes);
    } else {
      const replaced = slices.splice(0, taken);
      const piece = el('span', { class: 'code-slice' }, nodes);
      replaced[0]?.element.before(piece);
      for (const slice of replaced) slice.element.remove();
    }
    work.done = end;
    work.wanted = PIECE_CHARS;
    if (!last) return 'more';
    this.rehighlight = undefined;
    return 'done';
  }

  /**
   * Each slice is its own block box: otherwise the whole <pre> is one inline
   * formatting context, and every streamed character would lay out all of it.
   * The first slice also takes the lines highlighted whole before the block
   * grew long, so every highlighted line is in a slice whose start is known.
   */
  private appendSlice(code: string): void {
    const element = el('span', { class: 'code-slice' }, highlightedCode(code, this.language));
    if (this.slices.length === 0 && this.highlighted > 0) {
      const head = el('span', { class: 'code-slice' });
      while (this.code.firstChild && this.code.firstChild !== this.pending) head.append(this.code.firstChild);
      this.pending.before(head);
      this.slices.push({ element: head, start: 0 });
    }
    this.pending.before(element);
    this.slices.push({ element, start: this.highlighted });
    this.highlighted += code.length;
  }
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
