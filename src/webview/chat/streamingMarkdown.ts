/**
 * One answer's markdown while it streams in. Text before the last stable
 * boundary is rendered once, inserted before `tail` and never touched again;
 * only the open block in `tail` is redrawn, at most once per animation frame.
 * An open code fence is streamed by StreamingCode, which appends instead of
 * redrawing.
 */
import { el } from './dom';
import { highlightPlainCodeWhenIdle } from './deferredCode';
import { renderMarkdown } from './markdown';
import { scanStableBoundary } from './stableBoundary';
import { StreamingCode } from './streamingCode';

interface OpenCode {
  view: StreamingCode;
  contentStart: number;
}

export class StreamingMarkdown {
  readonly element: HTMLElement;
  private tail = part();
  private source = '';
  private frozenLength = 0;
  private openCode: OpenCode | undefined;
  /** Code blocks that closed while the answer streamed, re-highlighted in idle periods once it has ended. */
  private readonly closedCode: StreamingCode[] = [];
  private dirty = false;

  constructor(initialText = '') {
    this.element = el('div', { class: 'markdown' }, this.tail);
    if (initialText) {
      this.append(initialText);
      this.finish();
    }
  }

  get text(): string {
    return this.source;
  }

  append(text: string): void {
    if (!text) return;
    this.source += text;
    this.dirty = true;
  }

  /** Puts text appended since the last call into the DOM; returns false when there was none. */
  render(): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    const boundary = scanStableBoundary(this.source, this.frozenLength);

    if (boundary.cut > this.frozenLength) {
      let start = this.frozenLength;
      if (this.openCode && boundary.closedFence) {
        // The code block that was streaming has closed. Its DOM stays where it is, frozen as it
        // is: moving a long block would make the browser lay all of it out again.
        this.openCode.view.finish(this.source.slice(this.openCode.contentStart, boundary.closedFence.contentEnd));
        this.closedCode.push(this.openCode.view);
        const tail = part();
        this.tail.after(tail);
        this.tail = tail;
        start = boundary.closedFence.end;
      }
      this.openCode = undefined;
      if (boundary.cut > start) this.tail.before(renderBlocks(this.source.slice(start, boundary.cut)));
      this.frozenLength = boundary.cut;
    }

    if (boundary.openFence) {
      if (!this.openCode) {
        this.openCode = { view: new StreamingCode(boundary.openFence.language), contentStart: boundary.openFence.contentStart };
        this.tail.replaceChildren(this.openCode.view.element);
      }
      this.openCode.view.update(this.source.slice(this.openCode.contentStart));
    } else {
      this.tail.replaceChildren(renderBlocks(this.source.slice(this.frozenLength)));
    }
    return true;
  }

  /** The answer is complete: render the rest, finish a code block the model left open, and re-highlight long blocks when idle. */
  finish(): void {
    // The answer has ended, so its last line is whole: a closing fence with no line break after it (as models often
    // end) closes its block, where the scan took it for a line still arriving and the block kept the ``` as code.
    if (this.source !== '' && !this.source.endsWith('\n')) this.append('\n');
    this.render();
    if (this.openCode) {
      this.openCode.view.finish(this.source.slice(this.openCode.contentStart).replace(/\n$/, ''));
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
