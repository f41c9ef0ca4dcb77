/**
 * Makes the hidden characters of model output visible in the panel (see src/shared/hiddenCharacters.ts): each
 * becomes a marked span showing its code point, named in its title, the way VS Code's editor outlines them.
 * The character itself stays inside the span, so the text of a code block (what Copy takes, what offsets into
 * a block count) is unchanged; the span isolates it (chat.css), so an override cannot reorder what follows.
 */
import { findHiddenCharacters } from '../../shared/hiddenCharacters';

const HIDDEN_CHAR_CLASS = 'hidden-char';

/** Marks every hidden character in the text under `root`, in place. */
export function markHiddenCharacters(root: Node): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const marked: Array<[Text, ReturnType<typeof findHiddenCharacters>]> = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (text.parentElement?.classList.contains(HIDDEN_CHAR_CLASS)) continue;
    const found = findHiddenCharacters(text.data);
    if (found.length > 0) marked.push([text, found]);
  }
  for (const [text, found] of marked) {
    const pieces = document.createDocumentFragment();
    let at = 0;
    for (const hidden of found) {
      if (hidden.index > at) pieces.append(text.data.slice(at, hidden.index));
      const mark = document.createElement('span');
      mark.className = HIDDEN_CHAR_CLASS;
      mark.title = `Hidden character in the answer: ${hidden.label}`;
      mark.dataset.codePoint = hidden.codePoint;
      mark.textContent = hidden.char;
      pieces.append(mark);
      at = hidden.index + hidden.char.length;
    }
    if (at < text.data.length) pieces.append(text.data.slice(at));
    text.replaceWith(pieces);
  }
}
