import type { ModelRequest } from '../types';
import { plural } from '../words';
import { fencedCode } from './attachments';
import { PLAN_SYSTEM } from './taskPrompts';

export interface PlanContext {
  goal: string;
  /**
   * The selection, or else the active file, with where it comes from. `ofChars`: the whole file's characters when
   * `text` is only its start (a file is read no further than the code budget needs).
   */
  code?: { path: string; languageId: string; text: string; startLine?: number; ofChars?: number };
  /** Workspace-relative file paths. */
  files: string[];
  openEditors: string[];
}

/** Bounds on what a plan request carries; the model needs the shape of the project, not all of it. */
export const PLAN_BUDGETS = { codeChars: 24_000, treeChars: 6_000, editorsChars: 1_500 };

/**
 * The plan request: the goal, then the code in focus, the open editors and
 * the workspace's file list, each cut to its budget with a note when cut.
 */
export function buildPlanRequest(context: PlanContext, maxTokens: number, budgets = PLAN_BUDGETS): ModelRequest {
  const parts = [`Goal: ${context.goal.trim()}`];
  if (context.code) {
    const { path, languageId, text, startLine, ofChars } = context.code;
    const cut = Math.max(text.length, ofChars ?? 0) > budgets.codeChars;
    const where = startLine !== undefined ? `${path} (selection from line ${startLine + 1})` : path;
    parts.push(`Code in focus — ${where}${cut ? ` (first ${budgets.codeChars} characters)` : ''}:\n${fencedCode(languageId, text.slice(0, budgets.codeChars))}`);
  }
  if (context.openEditors.length) parts.push(`Open editors:\n${fitLines(context.openEditors, budgets.editorsChars)}`);
  if (context.files.length) parts.push(`Files in the workspace:\n${fitLines(context.files, budgets.treeChars)}`);
  return { system: PLAN_SYSTEM, messages: [{ role: 'user', content: parts.join('\n\n') }], maxTokens };
}

function fitLines(lines: string[], budget: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) {
      kept.push(`… and ${lines.length - kept.length} more`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join('\n');
}

/**
 * The plan document's context line: "_Context: src/app.ts (selection), 12 workspace files, 1 open editor._", or
 * what was left out. A selection or file past the code budget says how much of it went, so a plan of a huge
 * selection does not read as if the model had seen all of it.
 */
export function planContextLine(context: PlanContext, left: string | undefined, budgets = PLAN_BUDGETS): string {
  if (!context.code) return left ? `\n_Context: not ${left}._\n` : '';
  const { path, startLine, text, ofChars } = context.code;
  const kind = startLine !== undefined ? 'selection' : '';
  const sent = Math.min(text.length, budgets.codeChars);
  const whole = Math.max(text.length, ofChars ?? 0);
  const cut = whole > sent ? `first ${sent.toLocaleString('en-US')} of ${whole.toLocaleString('en-US')} characters` : '';
  const notes = [kind, cut].filter(Boolean).join(', ');
  return `\n_Context: ${path}${notes ? ` (${notes})` : ''}, ${plural(context.files.length, 'workspace file')}, ${plural(context.openEditors.length, 'open editor')}._\n`;
}
