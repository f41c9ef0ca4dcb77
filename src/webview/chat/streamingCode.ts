/**
 * A fenced code block while it streams. Re-highlighting a growing block every
 * frame costs time proportional to its length, which for a long file makes
 * each frame slower than the last. So a short block is re-highlighted whole
 * (exact colours as it grows); past that, finished lines are highlighted in
 * slices that are appended and never touched again, and the lines still
 * arriving are shown as plain text until their slice is complete. Slices are
 * highlighted apart, so a comment or string that spans two is coloured as
 * code in the second; once the answer has ended, a closed block is highlighted
 * whole when the page is idle, and then looks as if it had never streamed.
 * Not before: while an answer streams, an idle period is the gap before the
 * next frame, and highlighting a few KB there (48 ms measured in a bench
 * frame) made that frame, and the chunks waiting for it, late.
 */
import { codeBlock } from './codeBlocks';
import { el } from './dom';
import { fenceLanguage } from './highlight';
import { highlightedCode } from './markdown';

/** Up to this size the whole block is re-highlighted as it grows (well under a millisecond). */
const WHOLE_BLOCK_CHARS = 1_000;
/** Past it, lines are highlighted this many at a time. */
const SLICE_LINES = 8;
/** Up to this size a closed block is highlighted whole when idle; past it, one idle task could pass 50 ms. */
const IDLE_WHOLE_CHARS = 20_000;

export class StreamingCode {
  readonly element: HTMLElement;
  private readonly language: string;
  private readonly code: HTMLElement;
  private readonly pending = document.createTextNode('');
  /** Characters of content already shown highlighted; always at a line start. */
  private highlighted = 0;
  /** A finished block shown in slices: its whole content, to highlight whole later. */
  private wholeContent: string | undefined;

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
        this.pending.before(this.slice(content.slice(this.highlighted, finishedLines)));
        this.highlighted = finishedLines;
      }
    }
    this.pending.data = content.slice(this.highlighted);
  }

  /** The block is complete (closed, or the answer ended): highlight what is left. */
  finish(content: string): void {
    if (content.length <= WHOLE_BLOCK_CHARS) {
      this.code.replaceChildren(highlightedCode(content, this.language));
    } else {
      this.pending.before(this.slice(content.slice(this.highlighted)));
      this.pending.remove();
      if (content.length <= IDLE_WHOLE_CHARS) this.wholeContent = content;
    }
  }

  /** The answer has ended: a block shown in slices is highlighted whole when the page is next idle. */
  highlightWholeWhenIdle(): void {
    const content = this.wholeContent;
    if (content === undefined) return;
    this.wholeContent = undefined;
    whenIdle(() => this.code.replaceChildren(highlightedCode(content, this.language)));
  }

  /**
   * Each slice is its own block box: otherwise the whole <pre> is one inline
   * formatting context, and every streamed character would lay out all of it.
   */
  private slice(code: string): HTMLElement {
    return el('span', { class: 'code-slice' }, highlightedCode(code, this.language));
  }
}

/** Off the streaming path: after frames that are due. Falls back to a timer where there is no requestIdleCallback. */
function whenIdle(task: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 2_000 });
  else setTimeout(task, 0);
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
