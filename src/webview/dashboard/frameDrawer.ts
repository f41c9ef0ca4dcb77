/**
 * Draws the newest view over a few animation frames: each frame redraws the
 * first part (the figures: cheap, and what a click on a range should change at
 * once) if it shows an older view, and one other part (a chart, or one text
 * table, or the costliest requests) that shows an older view, taking the parts
 * in turn (a part whose data did not change is passed over without drawing).
 * Redrawing all four charts and tables in one task took longer than a frame
 * (up to 87 ms p99 on a live update in headless Chromium), so the page
 * stuttered while requests streamed in. Every part is drawn from the newest
 * view, and the turn goes on from the last part drawn rather than starting
 * over when a view arrives mid-draw: views arriving every frame cannot keep
 * the later charts from being drawn. Once every part shows the newest view,
 * the root's `data-drawn` says which one (its `data-received` sequence
 * number): tests and the benchmark wait on that.
 */

/** A part of the page drawn from a view: `shown` is the sequence number of the view it shows (0: none yet). */
export interface DrawPart<View> {
  draw(view: View): void;
  /** What the part reads of a view, as a string: the part is not drawn again while it stays the same. */
  key?: (view: View) => string;
  drawnKey?: string;
  shown: number;
}

export function drawPart<View>(draw: (view: View) => void, key?: (view: View) => string): DrawPart<View> {
  return { draw, key, shown: 0 };
}

export class FrameDrawer<View> {
  /** The newest view, and how many views have arrived (its sequence number). */
  private latest: View | undefined;
  private received = 0;
  private frame = 0;
  /** Where the next frame looks for a part still showing an older view. */
  private cursor = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly first: DrawPart<View>,
    private readonly parts: readonly DrawPart<View>[],
  ) {}

  get newest(): View | undefined {
    return this.latest;
  }

  show(view: View): void {
    this.latest = view;
    this.received++;
    this.root.dataset.received = String(this.received);
    this.scheduleFrame();
  }

  private scheduleFrame(): void {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      const view = this.latest;
      if (!view) return;
      if (this.first.shown < this.received) this.drawPart(this.first, view);
      // Parts whose data did not change cost nothing: go on to one that must be drawn.
      for (let next = this.nextStale(); next !== undefined; next = this.nextStale()) {
        this.cursor = (next + 1) % this.parts.length;
        if (this.drawPart(this.parts[next]!, view)) break;
      }
      if (this.nextStale() === undefined) this.root.dataset.drawn = String(this.received);
      else this.scheduleFrame();
    });
  }

  /** Brings the part to the newest view; false when what it shows did not change, so nothing was drawn. */
  private drawPart(part: DrawPart<View>, view: View): boolean {
    part.shown = this.received;
    const key = part.key?.(view);
    if (key !== undefined && key === part.drawnKey) return false;
    part.draw(view);
    part.drawnKey = key;
    return true;
  }

  /** The first part from the cursor on that shows an older view than the newest. */
  private nextStale(): number | undefined {
    for (let offset = 0; offset < this.parts.length; offset++) {
      const index = (this.cursor + offset) % this.parts.length;
      if (this.parts[index]!.shown < this.received) return index;
    }
    return undefined;
  }
}
