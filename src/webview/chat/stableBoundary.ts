/**
 * Where a streaming markdown answer can be cut so that the part before the
 * cut renders the same whatever arrives later. Everything before the cut is
 * rendered once and frozen; only the rest (the open block) is re-rendered per
 * frame, which keeps each frame's work proportional to one block, not to the
 * whole answer. A fenced code block is always a block of its own, so a long
 * one can be streamed by appending (see streamingCode.ts) instead of being
 * re-rendered.
 */

export interface BoundaryLimits {
  /** Past this many open characters, also cut between top-level list items (a long tight list). */
  listChars: number;
  /** Past this many, cut at any line outside a code fence (a wall of text with no blank line). */
  anyLineChars: number;
}

const DEFAULT_LIMITS: BoundaryLimits = { listChars: 1_500, anyLineChars: 8_000 };

export interface StableBoundary {
  /** Offset of the last safe cut, at or after `from`. */
  cut: number;
  /** The text from `cut` on is an unindented code fence that has not closed yet. */
  openFence?: { language: string; contentStart: number };
  /** The text at `from` was a code fence, which closed: where its content and its closing line end. */
  closedFence?: { contentEnd: number; end: number };
}

const FENCE = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^#{1,6}[ \t]/;
const LIST_ITEM = /^(?:([-*+])|\d{1,9}([.)]))[ \t]/;
/** The start of a line that is not yet long enough to tell whether it is a list item. */
const MAYBE_ITEM_START = /^(?:[-*+]|\d{1,9}[.)]?)$/;

interface OpenFence {
  char: string;
  length: number;
  indented: boolean;
  start: number;
  contentStart: number;
  info: string;
}

/**
 * Finds the last safe cut at or after `from`. `from` must be 0 or a cut this
 * function returned, so a code fence is never open there.
 *
 * A cut always sits at the start of a line outside any code fence that
 * begins a new block: after a blank line with an unindented line next
 * (indented lines may continue a list item; an item of the same kind
 * continues the list), before an ATX heading or a code fence, and right
 * after an unindented fence closes. Only whole lines can
 * open or close a fence, so a half-received marker cannot fool it.
 */
export function scanStableBoundary(text: string, from: number, limits: BoundaryLimits = DEFAULT_LIMITS): StableBoundary {
  return new BoundaryScan(from, limits).scan(text);
}

/**
 * scanStableBoundary for text that only grows: each `scan` reads on from the
 * last complete line it read, so streaming costs each line once, not once per
 * frame for as long as its block stays open (a long code block was read whole
 * every frame). Its answer is scanStableBoundary's for the same text and `from`.
 */
export class BoundaryScan {
  private blockCut: number;
  private listCut: number;
  private lineCut: number;
  private fence: OpenFence | undefined;
  private closedFence: StableBoundary['closedFence'];
  private previousBlank = false;
  /** The start of the first line not yet read whole. */
  private lineStart: number;
  /** The kind of the top-level list being read (see listItemKind), if any. */
  private list: string | undefined;

  constructor(
    readonly from: number,
    private readonly limits: BoundaryLimits = DEFAULT_LIMITS,
  ) {
    this.blockCut = from;
    this.listCut = from;
    this.lineCut = from;
    this.lineStart = from;
  }

  /** `text`: what was scanned before with more appended. */
  scan(text: string): StableBoundary {
    const { from } = this;
    // A line still arriving may move a cut; what it moves is only this scan's, since the line may yet change.
    let { blockCut, listCut, lineCut } = this;
    let lineStart = this.lineStart;
    while (lineStart < text.length) {
      const newline = text.indexOf('\n', lineStart);
      const complete = newline !== -1;
      const line = text.slice(lineStart, complete ? newline : text.length);
      const first = line.charAt(0);
      const unindented = first !== '' && first !== ' ' && first !== '\t';
      const fenceLine = complete ? FENCE.exec(line) : null;

      const item = unindented ? listItemKind(line) : undefined;
      const startsBlock = unindented && (this.previousBlank || HEADING.test(line) || opensFence(fenceLine));
      if (!this.fence && lineStart > from) {
        // An item of the open list's kind after a blank line continues that list (a loose one): cut
        // there, and the two halves would render as two lists. A half-received line may still become one.
        const continuesList =
          this.previousBlank && this.list !== undefined && (item === this.list || (!complete && MAYBE_ITEM_START.test(line)));
        if (startsBlock && !continuesList) blockCut = lineStart;
        else if (item) listCut = lineStart;
        // A table row cut off from its header would render as a paragraph of pipes.
        if (line.length > 0 && first !== '|') lineCut = lineStart;
      }
      if (!complete) break;

      const next = newline + 1;
      if (!this.fence) {
        if (item) this.list = item;
        else if (startsBlock) this.list = undefined;
        if (opensFence(fenceLine)) this.fence = openFence(fenceLine, lineStart, next);
      } else if (closesFence(this.fence, fenceLine)) {
        if (this.fence.start === from) this.closedFence = { contentEnd: fenceContentEnd(text, this.fence.contentStart, lineStart), end: next };
        if (!this.fence.indented) blockCut = next;
        this.fence = undefined;
      }
      this.previousBlank = line.trim() === '';
      lineStart = next;
      this.blockCut = blockCut;
      this.listCut = listCut;
      this.lineCut = lineCut;
      this.lineStart = lineStart;
    }

    const openAfter = (offset: number) => text.length - offset;
    let cut = blockCut;
    if (openAfter(cut) > this.limits.listChars && listCut > cut) cut = listCut;
    if (openAfter(cut) > this.limits.anyLineChars && lineCut > cut) cut = lineCut;

    const result: StableBoundary = { cut };
    const { fence, closedFence } = this;
    if (fence && !fence.indented && fence.start === cut) {
      result.openFence = { language: fence.info, contentStart: fence.contentStart };
    }
    if (closedFence) result.closedFence = closedFence;
    return result;
  }
}

/** Just the cut; see scanStableBoundary. */
export function findStableBoundary(text: string, from: number, limits: BoundaryLimits = DEFAULT_LIMITS): number {
  return scanStableBoundary(text, from, limits).cut;
}

/**
 * Items continue the same list only with the same bullet, or the same
 * delimiter after the number (CommonMark 5.3): `-` for bullets, `1.` for
 * ordered lists, and so on.
 */
function listItemKind(line: string): string | undefined {
  const match = LIST_ITEM.exec(line);
  if (!match) return undefined;
  return match[1] ?? `1${match[2] ?? '.'}`;
}

/**
 * Where a closed fence's code ends, as marked (the whole render) has it: the
 * line break before the closing fence is not part of the code, unless the
 * last line of the code is empty.
 */
function fenceContentEnd(text: string, contentStart: number, closingLineStart: number): number {
  const lastBreak = closingLineStart - 1;
  if (lastBreak < contentStart) return contentStart;
  const lastLineEmpty = lastBreak === contentStart || text.charAt(lastBreak - 1) === '\n';
  return lastLineEmpty ? closingLineStart : lastBreak;
}

function opensFence(match: RegExpExecArray | null): match is RegExpExecArray {
  if (!match) return false;
  // A backtick fence's info string cannot itself contain backticks (CommonMark 4.5).
  return !((match[2] ?? '').startsWith('`') && (match[3] ?? '').includes('`'));
}

function openFence(match: RegExpExecArray, start: number, contentStart: number): OpenFence {
  const marker = match[2] ?? '```';
  return {
    char: marker.charAt(0),
    length: marker.length,
    indented: (match[1] ?? '') !== '',
    start,
    contentStart,
    info: (match[3] ?? '').trim(),
  };
}

function closesFence(fence: OpenFence, match: RegExpExecArray | null): boolean {
  if (!match) return false;
  const marker = match[2] ?? '';
  return marker.charAt(0) === fence.char && marker.length >= fence.length && (match[3] ?? '').trim() === '';
}
