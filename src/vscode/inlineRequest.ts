import { windowEnd, windowStart, type LineLengths, type TextPosition } from '../core/completion/documentWindow';
import { wholeCharacters } from '../core/completion/textWindow';

/** The document as the inline provider reads it: line lengths, and the text between two positions. */
export interface DocumentText extends LineLengths {
  getText(start: TextPosition, end: TextPosition): string;
}

/** The suggest widget's selected item (`InlineCompletionContext.selectedCompletionInfo`). */
export interface SelectedSuggestion {
  /** What accepting the item replaces. */
  start: TextPosition;
  end: TextPosition;
  /** What it inserts there. */
  text: string;
}

export interface InlineRequest {
  /** Text before the cursor, with the selected suggestion applied. */
  prefix: string;
  /** Text after the cursor, or after what the selected suggestion replaces. */
  suffix: string;
  /**
   * With a suggestion selected, VS Code shows ghost text only when it
   * replaces the same range and starts with the same text: the ghost text is
   * `lead` plus the completion, replacing `start`..`end`. Without one it is
   * inserted at the cursor.
   */
  replace: { start: TextPosition; end: TextPosition; lead: string };
}

/**
 * What to complete at `position`: a bounded window either side (never the
 * whole document). With the suggest widget open, the completion continues
 * after its selected item, as if it had been accepted, so the ghost text
 * VS Code shows extends that item; without that, VS Code would drop it.
 * Undefined when there is nothing to complete: binary content (a NUL), or a
 * selected item whose range is not on the cursor's line around the cursor.
 */
export function readInlineRequest(
  document: DocumentText,
  position: TextPosition,
  chars: { prefixChars: number; suffixChars: number },
  selected?: SelectedSuggestion,
): InlineRequest | undefined {
  if (selected && !aroundCursor(selected, position)) return undefined;
  const before = selected?.start ?? position;
  const after = selected?.end ?? position;
  // Cut mid-line, a very long line's window may start or end inside an emoji.
  const prefix = wholeCharacters(document.getText(windowStart(document, before, chars.prefixChars), before)) + (selected?.text ?? '');
  const suffix = wholeCharacters(document.getText(after, windowEnd(document, after, chars.suffixChars)));
  // A NUL byte means binary content shown as text: nothing to complete.
  if (prefix.includes('\0') || suffix.includes('\0')) return undefined;
  return { prefix, suffix, replace: { start: before, end: after, lead: selected?.text ?? '' } };
}

function aroundCursor(selected: SelectedSuggestion, position: TextPosition): boolean {
  const { start, end } = selected;
  return start.line === position.line && end.line === position.line && start.character <= position.character && end.character >= position.character;
}
