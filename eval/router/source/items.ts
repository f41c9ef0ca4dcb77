/**
 * The evaluation set's requests as written by hand, before
 * scripts/router/buildEvalSet.ts renders them into requests.jsonl exactly as
 * the extension would send them (attachments as the chat panel writes them,
 * Plan requests through buildPlanRequest). The labels follow the rubric in
 * eval/router/README.md.
 */

/**
 * 0: any cheap model does it as well as a strong one; 1: a cheap model
 * usually does it well; 2: a cheap model often falls short; 3: needs a strong
 * model (a cheap one usually fails or misleads).
 */
export type Level = 0 | 1 | 2 | 3;

export type Family = 'coding' | 'math' | 'knowledge' | 'programming' | 'multilingual' | 'tryout' | 'notation' | 'textbook';

export type Kind =
  | 'lookup'
  | 'explain'
  | 'edit'
  | 'convert'
  | 'write'
  | 'test'
  | 'debug'
  | 'concurrency'
  | 'perf'
  | 'review'
  | 'refactor'
  | 'design'
  | 'plan'
  | 'proof'
  | 'security'
  | 'devops'
  | 'arithmetic'
  | 'competition'
  | 'fact'
  | 'reasoning'
  | 'task';

/** Code attached to a request: a snippet of source/snippets.txt, a generated file, or a file of this repository at a fixed commit. */
export type Attachment =
  | { snippet: string; label?: string }
  | { generated: { seed: number; lines: number }; label: string }
  | { repoFile: string; label?: string; lang: string };

export interface SourceItem {
  level: Level;
  kind: Kind;
  /** The words the user typed. */
  prompt: string;
  attach?: Attachment[];
  /** Earlier turns, alternating user and assistant, starting with the user. */
  history?: string[];
  /** Plan requests carry the code in focus and the workspace layout. */
  plan?: { code?: Attachment; workspace: 'small' | 'service' | 'monorepo'; openEditors?: string[] };
  /** Why the label differs from what the kind alone would suggest. */
  why?: string;
  /**
   * The level first written, when a label was corrected: the split keeps the
   * request in that level's stratum, so a correction moves no request between
   * the training and the held-out part.
   */
  relabelledFrom?: Level;
}

export interface SourceGroup {
  family: Family;
  /** The id prefix of this group's items. */
  prefix: string;
  items: SourceItem[];
}

export function q(level: Level, kind: Kind, prompt: string, extra: Omit<SourceItem, 'level' | 'kind' | 'prompt'> = {}): SourceItem {
  return { level, kind, prompt, ...extra };
}

export const snip = (snippet: string, label?: string): Attachment => ({ snippet, ...(label ? { label } : {}) });
export const generated = (seed: number, lines: number, label: string): Attachment => ({ generated: { seed, lines }, label });
export const repoFile = (path: string, lang: string, label?: string): Attachment => ({ repoFile: path, lang, ...(label ? { label } : {}) });
