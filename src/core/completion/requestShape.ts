/**
 * What a request asks for, decided before it is made: one line or several, and the text the rules judge the
 * cursor's place by. Pure functions of the input and the settings, kept out of completionEngine.ts so the engine
 * reads as the order in which a call is answered (cache, typed-through, the running request, a new one).
 */
import type { CompletionInput, CompletionSettings } from './completionContract';
import { fencedCodeAt } from './fencedCode';
import { asksForNextLines, decideMultiline } from './multiline';
import type { CursorContext } from './textWindow';

/**
 * Single-line, multi-line, or the lines after a finished line: decided from
 * the lines around the cursor and the settings.
 */
export interface RequestShape {
  multiline: boolean;
  nextLine: boolean;
}

/**
 * `eager`: a request the user is waiting on (speculative, or asked for), where
 * the next lines are wanted at the end of a finished line: for the speculative
 * request only with `speculateNextLine`, for an explicit one always (the rest
 * of a finished line holds nothing to suggest).
 */
export function requestShape(cursor: CursorContext, languageId: string, settings: CompletionSettings, eager: false | 'speculative' | 'explicit'): RequestShape {
  const multiline = decideMultiline(cursor, languageId, settings.multiline);
  const wantsNextLines = settings.nextLine === true || eager === 'explicit' || (eager === 'speculative' && settings.speculateNextLine === true);
  const nextLine = !multiline && settings.multiline === 'auto' && wantsNextLines && asksForNextLines(cursor, languageId);
  return { multiline: multiline || nextLine, nextLine };
}

/** The text around the cursor and the language whose rules judge it (see `judgedText`). */
export type JudgedText = Pick<CompletionInput, 'languageId' | 'prefix' | 'suffix' | 'openAtStart' | 'openFrom'>;

/**
 * What the rules read the cursor's place and the answer by: the input, or in a Markdown document's fenced block
 * that names its language, the block's lines in that language (see fencedCode.ts). The block starts with nothing
 * open (Markdown has no strings to carry into it). The prompt still holds the whole document.
 */
export function judgedText(input: CompletionInput): JudgedText {
  return fencedCodeAt(input.languageId, input.prefix, input.suffix) ?? input;
}
