import { makeAnchor, typedSinceAnchor, type PrefixAnchor } from './prefixAnchor';
import { regionMatches } from './textWindow';

/** How much of the suffix must be unchanged for a shown completion to still apply. */
const SUFFIX_KEY_CHARS = 256;

interface ShownCompletion {
  uri: string;
  anchor: PrefixAnchor;
  suffixHead: string;
  text: string;
}

/**
 * Serves the rest of the ghost text while the user types it, with no request.
 *
 * The anchor stays where the completion was made, not where the user is now:
 * typing three matching characters and deleting one is still "two characters
 * into the completion", so backspacing inside the typed part keeps working.
 * Backspacing past the anchor (into text that existed before the completion)
 * gives nothing: the user is changing what they wrote, and a fresh request (or
 * the cache, for the exact old position) reflects that better than a guess.
 *
 * The text after the cursor must be unchanged: if it differs (an auto-closed
 * bracket, an edit below), the completion was made for other surroundings.
 */
export class TypedThrough {
  private shown: ShownCompletion | undefined;
  private changes = 0;

  /** Counts calls to `remember`, so a late result can tell whether something newer is shown. */
  get generation(): number {
    return this.changes;
  }

  remember(uri: string, prefix: string, suffix: string, text: string): void {
    this.changes++;
    this.shown = text ? { uri, anchor: makeAnchor(prefix), suffixHead: suffix.slice(0, SUFFIX_KEY_CHARS), text } : undefined;
  }

  forget(): void {
    this.changes++;
    this.shown = undefined;
  }

  /**
   * The shown completion when the user has just typed all of it (or accepted
   * it with Tab, which VS Code applies as the same edit) and nothing else.
   */
  consumed(uri: string, prefix: string, suffix: string): string | undefined {
    const shown = this.shown;
    if (!shown || shown.uri !== uri || !sameSuffixHead(shown.suffixHead, suffix)) return undefined;
    const { text } = shown;
    const typed = typedSinceAnchor(shown.anchor, prefix, text.length, (count) => count === text.length && regionMatches(prefix, prefix.length - count, text, 0, count));
    return typed === undefined ? undefined : text;
  }

  /**
   * True when the last character typed left the shown completion: everything typed since it was shown
   * matched it but that one character (a typo the next keystroke may take back, or the user going
   * another way). Backspaced, typing-through serves the rest again.
   */
  justLeft(uri: string, prefix: string, suffix: string): boolean {
    const shown = this.shown;
    if (!shown || shown.uri !== uri || !sameSuffixHead(shown.suffixHead, suffix)) return false;
    const { text } = shown;
    const typed = typedSinceAnchor(
      shown.anchor,
      prefix,
      text.length,
      (count) => count >= 1 && regionMatches(prefix, prefix.length - count, text, 0, count - 1) && prefix.charCodeAt(prefix.length - 1) !== text.charCodeAt(count - 1),
    );
    return typed !== undefined;
  }

  /** The part of the shown completion not yet typed; undefined when the user left it or typed all but blanks. */
  remainder(uri: string, prefix: string, suffix: string): string | undefined {
    const shown = this.shown;
    if (!shown || shown.uri !== uri || !sameSuffixHead(shown.suffixHead, suffix)) return undefined;
    const { text } = shown;
    const typed = typedSinceAnchor(shown.anchor, prefix, text.length - 1, (count) =>
      regionMatches(prefix, prefix.length - count, text, 0, count),
    );
    if (typed === undefined) return undefined;
    const rest = text.slice(typed);
    // Ghost text of only spaces or line breaks shows nothing; a new request can do better.
    return rest.trim() === '' ? undefined : rest;
  }
}

/** True when `suffix` starts with `head` and `head` was all of it or as much as is kept. */
export function sameSuffixHead(head: string, suffix: string): boolean {
  if (!suffix.startsWith(head)) return false;
  return head.length === SUFFIX_KEY_CHARS || suffix.length === head.length;
}

export function suffixHeadOf(suffix: string): string {
  return suffix.slice(0, SUFFIX_KEY_CHARS);
}
