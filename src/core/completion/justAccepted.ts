import { makeAnchor, typedSinceAnchor, type PrefixAnchor } from './prefixAnchor';
import { sameSuffixHead, suffixHeadOf } from './typedThrough';

/** Letters or digits: a suggestion of only brackets and punctuation (`}`, `);`) may well come twice in a row. */
const HAS_WORD = /[\p{L}\p{N}]/u;

/**
 * The suggestion the user just took in full (Tab, or typed to its end), so
 * that the same text is not offered again right after it. Models asked at the
 * end of what they proposed often propose it again (a chat model restating the
 * line, a canned answer), and ghost text repeating what was just accepted
 * invites a second Tab that duplicates the code.
 */
export class JustAccepted {
  private accepted: { uri: string; anchor: PrefixAnchor; suffixHead: string; text: string } | undefined;

  /** The user took `text` and the cursor is now after it: `prefix` ends with it. */
  note(uri: string, prefix: string, suffix: string, text: string): void {
    this.accepted = { uri, anchor: makeAnchor(prefix), suffixHead: suffixHeadOf(suffix), text: text.trim() };
  }

  /** True when `text`, offered exactly where the accepted suggestion ended, starts by repeating it. */
  repeats(uri: string, prefix: string, suffix: string, text: string): boolean {
    const accepted = this.accepted;
    if (!accepted || accepted.uri !== uri || !HAS_WORD.test(accepted.text) || !sameSuffixHead(accepted.suffixHead, suffix)) return false;
    if (typedSinceAnchor(accepted.anchor, prefix, 0, () => true) !== 0) return false;
    return text.trimStart().startsWith(accepted.text);
  }
}
