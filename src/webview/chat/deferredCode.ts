/**
 * Long code blocks of text rendered at once (a restored conversation, or the
 * text so far of an answer after the page was reloaded) are drawn as plain
 * text and highlighted afterwards in the page's idle periods, a piece at a
 * time (pieceHighlight.ts): highlighting each whole as it is drawn made a
 * conversation with a few long blocks one long task. Until then the code is
 * all there as text, so what is shown, copied and inserted is exact.
 */
import { markHiddenCharacters } from './hiddenMarks';
import { runWhenIdle } from './idleWork';
import { UNHIGHLIGHTED_CLASS } from './markdown';
import { PieceHighlight, type CodeSlice } from './pieceHighlight';

/** Lines in a plain slice, as in a streamed one: a piece takes whole slices, so none may be long. */
const SLICE_LINES = 8;

/**
 * Splits each code block renderMarkdown left plain in `root` into slices and
 * queues its highlighting. `root` must be on the page by the time the page is
 * next idle (the caller inserts it in the same task); a block that is not
 * then, or has left it since, is dropped by the idle queue.
 */
export function highlightPlainCodeWhenIdle(root: ParentNode): void {
  for (const code of Array.from(root.querySelectorAll<HTMLElement>(`code.${UNHIGHLIGHTED_CLASS}`))) {
    code.classList.remove(UNHIGHLIGHTED_CLASS);
    const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
    const content = code.textContent ?? '';
    const slices = plainSlices(content);
    code.replaceChildren(...slices.map((slice) => slice.element));
    runWhenIdle(new PieceHighlight(code, code, language, content, slices));
  }
}

/** `content` as text in block-level slices of SLICE_LINES lines (the last may have fewer); starts are offsets in it. */
export function plainSlices(content: string): CodeSlice[] {
  const slices: CodeSlice[] = [];
  let start = 0;
  while (start < content.length) {
    let end = start;
    for (let line = 0; line < SLICE_LINES && end < content.length; line++) {
      const newline = content.indexOf('\n', end);
      end = newline === -1 ? content.length : newline + 1;
    }
    const element = document.createElement('span');
    element.className = 'code-slice';
    element.textContent = content.slice(start, end);
    markHiddenCharacters(element);
    slices.push({ element, start });
    start = end;
  }
  return slices;
}
