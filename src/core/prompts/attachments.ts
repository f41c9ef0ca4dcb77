/**
 * How attached code goes into a question: one rule for the chat panel and
 * `switchboard ask --attach`, so both send the same prompt for the same code.
 */

import { withCodePointsShown } from '../../shared/hiddenCharacters';

/** Code attached to a question: a selection or a file, and where it comes from. */
export interface Attachment {
  /** What the user sees and the model is told, e.g. `src/app.ts:3-7` or `src/app.ts`. */
  label: string;
  languageId: string;
  text: string;
  /** Why the file may not be sent ("excluded by switchboard.exclude"): the chip says so, the prompt leaves it out. */
  excluded?: string;
}

/** Attached code is cut here; the model's context budget trims further. */
export const MAX_ATTACHED_CHARS = 60_000;

/** An attachment cut to `MAX_ATTACHED_CHARS`; its label says so when it was cut. */
export function attachment(label: string, languageId: string, text: string): Attachment {
  if (text.length <= MAX_ATTACHED_CHARS) return { label, languageId, text };
  return { label: `${label} (first ${MAX_ATTACHED_CHARS} characters)`, languageId, text: text.slice(0, MAX_ATTACHED_CHARS) };
}

/** The message the model receives: each attachment as a fenced block under its label, then the question. */
export function promptWithAttachments(question: string, attachments: readonly Attachment[]): string {
  const sent = attachments.filter((a) => a.excluded === undefined);
  if (sent.length === 0) return question;
  // The label as the chip shows it: a bidi control in a file's name would make the model read another name.
  const blocks = sent.map((a) => `Attached ${withCodePointsShown(a.label)}:\n${fencedCode(a.languageId, a.text)}`);
  return `${blocks.join('\n\n')}\n\n${question}`;
}

/**
 * A Markdown code block. The fence is longer than any run of backticks in the
 * code, so attached Markdown (which has fences of its own) cannot end it early.
 */
export function fencedCode(languageId: string, text: string): string {
  let longest = 0;
  for (const run of text.match(/`{3,}/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${languageId}\n${text}\n${fence}`;
}
