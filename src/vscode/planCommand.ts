import * as vscode from 'vscode';
import { buildPlanRequest, type PlanContext } from '../core/prompts/planPrompt';
import type { Switchboard } from '../core/switchboard';
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
  const context = await gatherPlanContext(goal);
  const request = buildPlanRequest(context, c.switchboard.currentConfig.plan.maxTokens);
  const focus = context.code ? `\n\n_Context: ${context.code.path}${context.code.startLine !== undefined ? ' (selection)' : ''}, ${context.files.length} workspace files, ${context.openEditors.length} open editors._` : '';
  const outcome = await streamIntoNewDocument(c, { title: 'Plan', heading: `# Plan: ${goal.trim()}${focus}\n\n`, task: 'plan', request });
  return outcome?.document;
}

async function gatherPlanContext(goal: string): Promise<PlanContext> {
  const editor = vscode.window.activeTextEditor;
  let code: PlanContext['code'];
  if (editor && editor.document.uri.scheme !== 'output') {
    const { document, selection } = editor;
    const path = vscode.workspace.asRelativePath(document.uri);
    code = selection.isEmpty
      ? { path, languageId: document.languageId, text: document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 1500), 0)) }
      : { path, languageId: document.languageId, text: document.getText(selection), startLine: selection.start.line };
  }
  const uris = vscode.workspace.workspaceFolders ? await vscode.workspace.findFiles('**/*', EXCLUDED, MAX_LISTED_FILES) : [];
  const files = uris.map((uri) => vscode.workspace.asRelativePath(uri)).sort();
  const openEditors = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .map((tab) => (tab.input instanceof vscode.TabInputText ? vscode.workspace.asRelativePath(tab.input.uri) : undefined))
    .filter((path): path is string => path !== undefined);
  return { goal, ...(code ? { code } : {}), files, openEditors: [...new Set(openEditors)] };
}
