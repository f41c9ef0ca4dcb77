/**
 * A fenced code block while it streams. Re-highlighting a growing block every
 * frame costs time proportional to its length, which for a long file makes
 * each frame slower than the last. So a short block gets its new lines
 * highlighted from where the last comment or string closed (a whole render's
 * colours as it grows, each line costing about its own length); past that, finished lines are highlighted in
 * slices that are appended and never touched again, and the lines still
 * arriving are shown as plain text until their slice is complete (their hidden
 * characters marked at once, as everywhere in an answer). Slices are
 * highlighted apart, so a comment or string that spans two is coloured as
 * code in the second.
 *
 * Once the answer has ended, a closed block shown in slices is re-highlighted
 * in the page's idle periods a piece at a time (pieceHighlight.ts), so its
 * colours become a whole render's. Not while the answer streams: an idle
 * period is then the gap before the next frame, and the slices are coloured
 * already.
 */
import { hasHiddenCharacters } from '../../shared/hiddenCharacters';
import { codeBlock } from './codeBlocks';
import { el } from '../dom';
import { markHiddenCharacters } from './hiddenMarks';
import { fenceLanguage, hasGrammar, WHOLE_BLOCK_CHARS } from './highlight';
import { runWhenIdle } from './idleWork';
import { highlightedCode, highlightedCodePiece } from './markdown';
import { plainSlices } from './deferredCode';
import { PieceHighlight, type CodeSlice } from './pieceHighlight';

/** Past WHOLE_BLOCK_CHARS, lines are highlighted this many at a time. */
const SLICE_LINES = 8;
/**
 * More finished lines than this at once (a reloaded page given the text so
 * far, an answer restored inside an open fence) are shown as plain slices,
 * highlighted with the rest once the answer has ended: highlighting them now
 * would be one long task.
 */
const AT_ONCE_CHARS = 4_000;

export class StreamingCode {
  readonly element: HTMLElement;
  private readonly language: string;
  private readonly code: HTMLElement;
  /**
   * The lines not highlighted yet, as plain text. A hidden character among them is marked as soon as it is
   * shown, not once its line is highlighted: a reader may act on a line still arriving (the answer may stop
   * there), and an override in it reorders what is shown until then.
   */
  private readonly pending = el('span', { class: 'code-pending' });
  /** The pending lines' text node while they hold no hidden character: set in place, frame after frame. */
  private readonly pendingText = document.createTextNode('');
  private pendingMarked = false;
  /** Characters of content already shown highlighted; always at a line start. */
  private highlighted = 0;
  private readonly slices: CodeSlice[] = [];
  /**
   * While the block is short: where the piece still open (a comment or string
   * goes on) starts, always at a line start, and its element, re-highlighted
   * as lines arrive until it closes.
   */
  private settled = 0;
  private unsettled: HTMLElement | undefined;
  private rehighlight: PieceHighlight | undefined;

  constructor(info: string) {
    this.language = fenceLanguage(info);
    this.pending.append(this.pendingText);
    this.code = el('code', { class: this.language ? `hljs language-${this.language}` : 'hljs' }, this.pending);
    this.element = codeBlock(this.language, el('pre', {}, this.code));
  }

  /** `content`: everything after the opening fence line received so far. */
  update(content: string): void {
    const finishedLines = content.lastIndexOf('\n') + 1;
    if (finishedLines > this.highlighted) {
      if (content.length <= WHOLE_BLOCK_CHARS) {
        this.highlightSinceSettled(content, finishedLines);
      } else if (countLines(content, this.highlighted, finishedLines) >= SLICE_LINES) {
        this.appendSlice(content.slice(this.highlighted, finishedLines));
      }
    }
    this.showPending(content.slice(this.highlighted));
  }

  private showPending(text: string): void {
    if (hasHiddenCharacters(text)) {
      this.pending.replaceChildren(text);
      markHiddenCharacters(this.pending);
      this.pendingMarked = true;
      return;
    }
    this.pendingText.data = text;
    if (this.pendingMarked) this.pending.replaceChildren(this.pendingText);
    this.pendingMarked = false;
  }

  /**
   * A short block's new lines: highlighted from the end of the last piece that
   * closed (ended outside any comment or string), so they get the colours a
   * whole render gives them while each line costs about its own length. Re-highlighting
   * the whole block per line made a 1,000-character block cost half a megabyte
   * of garbage as it streamed (bench/chatGarbage.ts).
   */
  private highlightSinceSettled(content: string, finishedLines: number): void {
    const { nodes, closed } = highlightedCodePiece(content.slice(this.settled, finishedLines), this.language);
    const piece = el('span', { class: 'code-slice' }, nodes);
    if (this.unsettled) this.unsettled.replaceWith(piece);
    else this.pending.before(piece);
    this.unsettled = closed ? undefined : piece;
    if (closed) this.settled = finishedLines;
    this.highlighted = finishedLines;
  }

  /** The block is complete (closed, or the answer ended): highlight what is left. */
  finish(content: string): void {
    if (content.length <= WHOLE_BLOCK_CHARS) {
      this.code.replaceChildren(highlightedCode(content, this.language));
    } else {
      if (content.length > this.highlighted) this.appendSlice(content.slice(this.highlighted));
      this.pending.remove();
      // Without a grammar every slice is plain text already: nothing to redo.
      if (hasGrammar(this.language)) this.rehighlight = new PieceHighlight(this.element, this.code, this.language, content, this.slices.splice(0));
    }
  }

  /** The answer has ended: a block shown in slices is re-highlighted, a piece at a time, in idle periods. */
  rehighlightWhenIdle(): void {
    if (this.rehighlight) runWhenIdle(this.rehighlight);
    this.rehighlight = undefined;
  }

  /**
   * Each slice is its own block box: otherwise the whole <pre> is one inline
   * formatting context, and every streamed character would lay out all of it.
   * The first slice also takes the lines highlighted whole before the block
   * grew long, so every highlighted line is in a slice whose start is known.
   * Lines that arrived all at once past AT_ONCE_CHARS go in as plain slices.
   */
  private appendSlice(code: string): void {
    if (this.slices.length === 0 && this.highlighted > 0) {
      const head = el('span', { class: 'code-slice' });
      for (let child = this.code.firstChild; child && child !== this.pending; child = this.code.firstChild) {
        // The short block's pieces become this one slice: a slice holds no slices (the re-highlight replaces slices whole).
        if (child instanceof HTMLElement && child.classList.contains('code-slice')) {
          head.append(...Array.from(child.childNodes));
          child.remove();
        } else {
          head.append(child);
        }
      }
      this.unsettled = undefined;
      this.pending.before(head);
      this.slices.push({ element: head, start: 0 });
    }
    const added =
      code.length > AT_ONCE_CHARS
        ? plainSlices(code)
        : [{ element: el('span', { class: 'code-slice' }, highlightedCode(code, this.language)), start: 0 }];
    for (const slice of added) {
      this.pending.before(slice.element);
      this.slices.push({ element: slice.element, start: this.highlighted + slice.start });
    }
    this.highlighted += code.length;
  }
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
