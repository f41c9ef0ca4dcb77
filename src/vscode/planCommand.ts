import * as vscode from 'vscode';
import { planTitle, taskItems } from '../core/planChecklist';
import { plural } from '../core/words';
import { buildPlanRequest, PLAN_BUDGETS, planContextLine, type PlanContext } from '../core/prompts/planPrompt';
import type { Switchboard } from '../core/switchboard';
import { redactSecrets } from '../core/redact';
import type { AnswerDocuments } from './answerDocuments';
import { answerFooter } from './chat/answerFooter';
import { exclusionOf, isExcluded } from './exclusions';
import { streamIntoNewDocument } from './streamDocument';

const MAX_LISTED_FILES = 500;
const EXCLUDED = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/build/**,**/.cache/**,**/coverage/**}';

/** `Switchboard: Plan…`: a goal, the code in focus and the project's shape, on the plan route, into a new editor. */
export async function runPlanCommand(
  c: { switchboard: Switchboard; log: vscode.LogOutputChannel; documents: AnswerDocuments; simulated?: () => boolean },
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
  // Read before the progress notification takes focus, while the user's editor is still the active one.
  const editor = vscode.window.activeTextEditor;
  const outcome = await streamIntoNewDocument(c, {
    title: 'Plan',
    task: 'plan',
    prepare: async () => {
      const { context, left } = await gatherPlanContext(goal, editor);
      return { heading: `${planTitle(goal)}${planContextLine(context, left)}\n`, request: buildPlanRequest(context, c.switchboard.currentConfig.plan.maxTokens) };
    },
    finish: ({ document, result }) => {
      c.documents.remember(document, answerFooter(result), true);
      void offerPreview(document);
    },
  });
  return outcome?.document;
}

/** Once the plan is written: read it as rendered Markdown, its steps as check boxes ticked from the editor. */
async function offerPreview(document: vscode.TextDocument): Promise<void> {
  const steps = taskItems(document.getText()).length;
  const choice = await vscode.window.showInformationMessage(
    `Switchboard: the plan is ready${steps ? `, with ${plural(steps, 'step')} to tick off ("Mark done" above each step)` : ''}.`,
    'Open Preview',
    'Continue in Chat',
  );
  if (choice === 'Open Preview') await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
  if (choice === 'Continue in Chat') {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('switchboard.sendToChat');
  }
}

/**
 * A file's start, as much as the code budget takes and a margin, masked whole: a key or a private-key block across
 * the budget's edge is still one match. `ofChars` says how long the file is, so the plan's context line can say
 * how much of it went (it once took the first 1,500 lines and said nothing of the rest).
 */
function fileStart(path: string, document: vscode.TextDocument): NonNullable<PlanContext['code']> {
  const end = document.lineAt(document.lineCount - 1).range.end;
  const whole = document.offsetAt(end);
  const read = document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(PLAN_BUDGETS.codeChars + REDACTION_MARGIN_CHARS)));
  return { path, languageId: document.languageId, text: redactSecrets(read), ...(whole > read.length ? { ofChars: whole } : {}) };
}

/** Read past the code budget so that redaction sees a whole key block (a 4096-bit PEM key is about 3,300 characters). */
const REDACTION_MARGIN_CHARS = 8_000;

/**
 * Excluded files (switchboard.exclude) give no code and are not even named: a
 * name such as `secrets/stripe-live.key` says something, and a plan needs none.
 * Key-shaped strings in the code are masked. `left` says why the active file was left out.
 */
async function gatherPlanContext(goal: string, editor: vscode.TextEditor | undefined): Promise<{ context: PlanContext; left?: string }> {
  let code: PlanContext['code'];
  const usable = editor && editor.document.uri.scheme !== 'output' && !editor.document.isClosed ? editor : undefined;
  const left = usable && exclusionOf(usable.document.uri);
  if (usable && !left) {
    const { document, selection } = usable;
    const path = vscode.workspace.asRelativePath(document.uri);
    code = selection.isEmpty ? fileStart(path, document) : { path, languageId: document.languageId, text: redactSecrets(document.getText(selection)), startLine: selection.start.line };
  }
  const uris = vscode.workspace.workspaceFolders ? await vscode.workspace.findFiles('**/*', EXCLUDED, MAX_LISTED_FILES) : [];
  const files = uris.filter((uri) => !isExcluded(uri)).map((uri) => vscode.workspace.asRelativePath(uri)).sort();
  const openEditors = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .map((tab) => (tab.input instanceof vscode.TabInputText && !isExcluded(tab.input.uri) ? vscode.workspace.asRelativePath(tab.input.uri) : undefined))
    .filter((path): path is string => path !== undefined);
  const context = { goal, ...(code ? { code } : {}), files, openEditors: [...new Set(openEditors)] };
  return usable && left ? { context, left: `the active file, ${vscode.workspace.asRelativePath(usable.document.uri)} (${left})` } : { context };
}
