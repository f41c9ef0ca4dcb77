import * as vscode from 'vscode';
import { buildPlanRequest, type PlanContext } from '../core/prompts/planPrompt';
import type { Switchboard } from '../core/switchboard';
import { redactSecrets } from '../core/redact';
import { exclusionOf, isExcluded } from './exclusions';
import { streamIntoNewDocument } from './streamDocument';

const MAX_LISTED_FILES = 500;
const EXCLUDED = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/build/**,**/.cache/**,**/coverage/**}';

/** `Switchboard: Plan…`: a goal, the code in focus and the project's shape, on the plan route, into a new editor. */
export async function runPlanCommand(
  c: { switchboard: Switchboard; log: vscode.LogOutputChannel },
  goalArgument?: unknown,
): Promise<vscode.TextDocument | undefined> {
  const goal =
    typeof goalArgument === 'string'
      ? goalArgument
      : await vscode.window.showInputBox({
          title: 'Switchboard: Plan',
          prompt: 'What do you want to change? The plan uses the selection (or the active file), open editors and the workspace layout.',
          placeHolder: 'e.g. Add a low-stock report with a CSV export',
          ignoreFocusOut: true,
        });
  if (!goal?.trim()) return undefined;
  const { context, left } = await gatherPlanContext(goal);
  const request = buildPlanRequest(context, c.switchboard.currentConfig.plan.maxTokens);
  const focus = context.code
    ? `\n\n_Context: ${context.code.path}${context.code.startLine !== undefined ? ' (selection)' : ''}, ${context.files.length} workspace files, ${context.openEditors.length} open editors._`
    : left
      ? `\n\n_Context: not ${left}._`
      : '';
  const outcome = await streamIntoNewDocument(c, { title: 'Plan', heading: `# Plan: ${goal.trim()}${focus}\n\n`, task: 'plan', request });
  return outcome?.document;
}

/**
 * Excluded files (switchboard.exclude) give no code and are not even named: a
 * name such as `secrets/stripe-live.key` says something, and a plan needs none.
 * Key-shaped strings in the code are masked. `left` says why the active file was left out.
 */
async function gatherPlanContext(goal: string): Promise<{ context: PlanContext; left?: string }> {
  const editor = vscode.window.activeTextEditor;
  let code: PlanContext['code'];
  const left = editor && exclusionOf(editor.document.uri);
  if (editor && editor.document.uri.scheme !== 'output' && !left) {
    const { document, selection } = editor;
    const path = vscode.workspace.asRelativePath(document.uri);
    code = selection.isEmpty
      ? { path, languageId: document.languageId, text: redactSecrets(document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 1500), 0))) }
      : { path, languageId: document.languageId, text: redactSecrets(document.getText(selection)), startLine: selection.start.line };
  }
  const uris = vscode.workspace.workspaceFolders ? await vscode.workspace.findFiles('**/*', EXCLUDED, MAX_LISTED_FILES) : [];
  const files = uris.filter((uri) => !isExcluded(uri)).map((uri) => vscode.workspace.asRelativePath(uri)).sort();
  const openEditors = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .map((tab) => (tab.input instanceof vscode.TabInputText && !isExcluded(tab.input.uri) ? vscode.workspace.asRelativePath(tab.input.uri) : undefined))
    .filter((path): path is string => path !== undefined);
  const context = { goal, ...(code ? { code } : {}), files, openEditors: [...new Set(openEditors)] };
  return left ? { context, left: `the active file, ${vscode.workspace.asRelativePath(editor.document.uri)} (${left})` } : { context };
}
