import { closingFenceIn, openFence } from './answerWrapping';
import { languageIdForFence } from './languageIds';
import { fencesAreContent, languageOn } from './languages';

/**
 * In Markdown, the code of a fenced block (```python … ```) is judged by the fence's language, not by Markdown's:
 * the body of `def f(x):` goes below it as in a Python file, and a `{` glued body below its brace. Read here from
 * the text around the cursor alone.
 */

/** The text around the cursor as a file of the fence's language: the block's lines only. */
export interface FencedCode {
  languageId: string;
  /** From the line after the opening fence to the cursor. */
  prefix: string;
  /** From the cursor to the line that closes the block (left out), or to the end of the text when none does. */
  suffix: string;
}

/**
 * The fenced block the cursor stands in, in a Markdown (or MDX) document, when its fence names a language the
 * rules know; undefined elsewhere (outside a block, a fence with no language or an unknown one, which keep
 * Markdown's rules), or where the opening fence is above the text sent.
 */
export function fencedCodeAt(languageId: string, prefix: string, suffix: string): FencedCode | undefined {
  if (!fencesAreContent(languageId)) return undefined;
  const fence = openFence(prefix);
  if (!fence) return undefined;
  const fenced = languageIdForFence(fence.info);
  // A fence of Markdown in Markdown is Markdown still.
  if (fenced === undefined || fencesAreContent(fenced)) return undefined;
  return { languageId: fenced, prefix: prefix.slice(fence.bodyStart), suffix: suffix.slice(0, closingFenceIn(suffix, fence.marker)) };
}

/**
 * The language of the fenced block the cursor stands in (see `fencedCodeAt`) when `completion.languages` turns it
 * off, else undefined. A ```` ```python ```` block of a README is Python: a user who turned ghost text off for
 * Python (its cost, its quality, a rule about that code) gets none there either, as the block is already judged by
 * Python's rules. The document's own language must be on as well: that is checked first, for the whole file.
 */
export function fenceLanguageOff(languages: Readonly<Record<string, boolean>>, languageId: string, prefix: string): string | undefined {
  const fenced = fencedCodeAt(languageId, prefix, '');
  return fenced && !languageOn(languages, fenced.languageId) ? fenced.languageId : undefined;
}
