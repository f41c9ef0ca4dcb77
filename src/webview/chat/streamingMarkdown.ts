/**
 * One answer's markdown while it streams in. Text before the last stable
 * boundary is rendered once, inserted before `tail` and never touched again;
 * only the open block in `tail` is redrawn, at most once per animation frame.
 * An open code fence is streamed by StreamingCode, which appends instead of
 * redrawing.
 */
import { el } from '../dom';
import { highlightPlainCodeWhenIdle } from './deferredCode';
import { renderMarkdown } from './markdown';
import { BoundaryScan } from './stableBoundary';
import { StreamingCode } from './streamingCode';

interface OpenCode {
  view: StreamingCode;
  contentStart: number;
}

export class StreamingMarkdown {
  readonly element: HTMLElement;
  private tail = part();
  /**
   * The text from the last cut on (the open block), the only part read again;
   * offsets below are into it. Text before the cut is on screen and not kept: a
   * string of the whole answer would be copied whole at every frame (a string
   * appended to is flattened when next searched), garbage that grew with the answer.
   */
  private open = '';
  private openCode: OpenCode | undefined;
  /** Code blocks that closed while the answer streamed, re-highlighted in idle periods once it has ended. */
  private readonly closedCode: StreamingCode[] = [];
  private dirty = false;
  private visible = false;
  /** Reads the open block's lines once each as they arrive; a new one starts at each cut. */
  private scan = new BoundaryScan(0);

  constructor(initialText = '') {
    this.element = el('div', { class: 'markdown' }, this.tail);
    if (initialText) {
      this.append(initialText);
      this.finish();
    }
  }

  /** Some text other than white space has arrived. */
  get hasVisibleText(): boolean {
    return this.visible;
  }

  append(text: string): void {
    if (!text) return;
    this.open += text;
    this.dirty = true;
    if (!this.visible && text.trim() !== '') this.visible = true;
  }

  /** Puts text appended since the last call into the DOM; returns false when there was none. */
  render(): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    let boundary = this.scan.scan(this.open);

    if (boundary.cut > 0) {
      let start = 0;
      if (this.openCode && boundary.closedFence) {
        // The code block that was streaming has closed. Its DOM stays where it is, frozen as it
        // is: moving a long block would make the browser lay all of it out again.
        this.openCode.view.finish(this.open.slice(this.openCode.contentStart, boundary.closedFence.contentEnd));
        this.closedCode.push(this.openCode.view);
        const tail = part();
        this.tail.after(tail);
        this.tail = tail;
        start = boundary.closedFence.end;
      }
      this.openCode = undefined;
      if (boundary.cut > start) this.tail.before(renderBlocks(this.open.slice(start, boundary.cut)));
      // The rest is read again from the cut, once: its offsets now start there.
      this.open = this.open.slice(boundary.cut);
      this.scan = new BoundaryScan(0);
      boundary = this.scan.scan(this.open);
    }

    if (boundary.openFence) {
      if (!this.openCode) {
        this.openCode = { view: new StreamingCode(boundary.openFence.language), contentStart: boundary.openFence.contentStart };
        this.tail.replaceChildren(this.openCode.view.element);
      }
      this.openCode.view.update(this.open.slice(this.openCode.contentStart));
    } else {
      this.tail.replaceChildren(renderBlocks(this.open));
    }
    return true;
  }

  /** The answer is complete: render the rest, finish a code block the model left open, and re-highlight long blocks when idle. */
  finish(): void {
    // The answer has ended, so its last line is whole: a closing fence with no line break after it (as models often
    // end) closes its block, where the scan took it for a line still arriving and the block kept the ``` as code.
    // (A cut is at a line start: with no open text, the answer ends with a line break or is empty.)
    if (this.open !== '' && !this.open.endsWith('\n')) this.append('\n');
    this.render();
    if (this.openCode) {
      this.openCode.view.finish(this.open.slice(this.openCode.contentStart).replace(/\n$/, ''));
      this.closedCode.push(this.openCode.view);
    }
    this.openCode = undefined;
    for (const code of this.closedCode.splice(0)) code.rehighlightWhenIdle();
  }
}

/**
 * Markdown rendered at once. A long code block in it (several arrive at once
 * when a conversation is restored, or a reloaded page gets the text so far)
 * is drawn plain and highlighted in idle periods: highlighting it now would be
 * one long task. Queued at once, even while the answer streams: unlike a
 * streamed block's slices, plain code has no colours to wait with.
 */
function renderBlocks(source: string): DocumentFragment {
  const fragment = renderMarkdown(source, { longCode: 'plain' });
  highlightPlainCodeWhenIdle(fragment);
  return fragment;
}

/**
 * A box-less container (`display: contents`) for the open block. When a code
 * block in it freezes, it stays as it is, class and all: even a class change
 * would make the browser restyle every highlighted span inside.
 */
function part(): HTMLElement {
  return el('div', { class: 'md-part' });
}
