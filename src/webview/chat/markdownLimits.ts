/**
 * Bounds on what one parse of a model's answer may cost. The answer is
 * untrusted, and marked's worst cases are within reach of any answer:
 *
 * - Nesting recurses: a line of 5,000 `>` (10 KB) or 2,000 `- > ` overflows
 *   the stack (RangeError), and 2,000 nested list markers take half a second.
 *   So blockquotes and lists nest at most MAX_NESTING deep; a deeper marker
 *   is read as the text of the paragraph it is in.
 * - A long run of the characters an email address may hold, with no space,
 *   is read again from each token that starts inside it: the inline rules look
 *   ahead through the whole run for an `@` (an email autolink), and `_`, `*`
 *   and `~` start a token each. So `__a` 3,000 times (9 KB) took 0.2–1 s and
 *   10,000 times (30 KB) 8–10 s, `**a` 30,000 times 11–25 s; the open block of
 *   a streaming answer is parsed again at every frame, so the panel froze for
 *   good. A run of LONG_RUN such characters or more that no `@` follows (so no
 *   email can be in it) is one text token, shown as written, read once.
 *
 * Real answers come nowhere near either (a chat answer nests a few levels; a
 * word, an identifier or a path is far shorter than LONG_RUN, and a link
 * starts with `[` or breaks its run at `:`), so they render as before.
 */
import { Tokenizer, type MarkedExtension } from 'marked';

/** Blockquotes and lists inside one another, at most. */
export const MAX_NESTING = 32;
/** Characters without a break from which a run is read as plain text. */
export const LONG_RUN = 256;

/** What marked's email lookahead reads through (its `[a-zA-Z0-9.!#$%&'*+/=?_`{|}~-]`). */
const RUN_CHARACTERS = "a-zA-Z0-9.!#$%&'*+/=?_`{|}~-";
const LONG_RUN_START = new RegExp(`^[${RUN_CHARACTERS}]{${LONG_RUN}}`);
const RUN = new RegExp(`^[${RUN_CHARACTERS}]+`);

let nesting = 0;

/** Called before each parse, so a parse that threw leaves no depth behind. */
export function startParse(): void {
  nesting = 0;
}

function nested<T>(tokenize: () => T | undefined): T | undefined {
  // Undefined (not false, which would ask marked's own tokenizer): the lexer goes on to the paragraph rule.
  if (nesting >= MAX_NESTING) return undefined;
  nesting += 1;
  try {
    return tokenize();
  } finally {
    nesting -= 1;
  }
}

const original = Tokenizer.prototype;

export const MARKDOWN_LIMITS: MarkedExtension = {
  tokenizer: {
    blockquote(src) {
      return nested(() => original.blockquote.call(this, src));
    },
    list(src) {
      return nested(() => original.list.call(this, src));
    },
  },
  extensions: [
    {
      name: 'longRun',
      level: 'inline',
      tokenizer(src) {
        // A backtick is left to the code span rule, so a long code span still is one; the run after it is not.
        if (src.charCodeAt(0) === 96 || !LONG_RUN_START.test(src)) return undefined;
        const run = RUN.exec(src)![0];
        if (src.charAt(run.length) === '@') return undefined;
        // A text token without inner tokens: the renderer escapes it.
        return { type: 'text', raw: run, text: run };
      },
    },
  ],
};
