/**
 * Code blocks in a prompt, read back with where they came from: what the
 * chat panel attached ("Attached src/app.ts:3-7:" then a fence, as
 * core/prompts/attachments.ts writes it) and the plan's code in focus.
 */

export interface CodeBlock {
  /** The attachment's label or the plan's path, e.g. `src/app.ts:3-7`. */
  label: string;
  /** The file the label names, without a line range. */
  path: string;
  languageId: string;
  code: string;
}

const FENCED = /(?<fence>`{3,})(?<language>[^\n`]*)\n(?<code>[\s\S]*?)\n\k<fence>/;

/** Every attachment in `text`, in order, and the question written after them. */
export function attachmentsIn(text: string): { blocks: CodeBlock[]; question: string } {
  const blocks: CodeBlock[] = [];
  let end = 0;
  const pattern = new RegExp(`Attached ([^\\n]+?):\\n${FENCED.source}`, 'g');
  for (const match of text.matchAll(pattern)) {
    blocks.push(codeBlock(match[1]!, match.groups!.language!, match.groups!.code!));
    end = match.index + match[0].length;
  }
  return { blocks, question: text.slice(end).trim() };
}

/** The first fenced block after `heading` in `text` (the plan's "Code in focus — path:"). */
export function blockAfter(text: string, heading: RegExp): CodeBlock | undefined {
  const match = heading.exec(text);
  if (!match) return undefined;
  const fence = FENCED.exec(text.slice(match.index + match[0].length));
  return fence ? codeBlock(match[1] ?? '', fence.groups!.language!, fence.groups!.code!) : undefined;
}

function codeBlock(label: string, languageId: string, code: string): CodeBlock {
  return { label, path: label.replace(/:\d+-\d+.*$/, '').replace(/ \(.*\)$/, ''), languageId: languageId.trim(), code };
}
