import * as vscode from 'vscode';
import { leadingBox, looksLikePlan, taskItems, toggleTaskItem } from '../core/planChecklist';
import type { AnswerDocuments } from './answerDocuments';
import { guardAnswerPreviews, OWN_CHECKBOX, type MarkdownIt } from './answerPreview';

export const TOGGLE_STEP_COMMAND = 'switchboard.toggleStep';

/**
 * A plan's steps are Markdown task items (`- [ ]`). VS Code's Markdown preview
 * cannot report a click on a check box back to an extension (its preview
 * scripts talk only to the built-in Markdown extension), so ticking happens in
 * the editor: a "Mark done" code lens above each step, or the command on the
 * cursor's line. The preview, open beside it, shows the boxes (see
 * `markdownTaskLists`) and follows every edit at once.
 */
export class PlanStepLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[];
  private readonly changed = new vscode.EventEmitter<void>();
  /**
   * Fired once a plan is written: VS Code asks for lenses again after each edit, but a request that
   * races the last streamed edits can leave the finished plan without its lenses until the next edit.
   */
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly documents: AnswerDocuments) {
    this.disposables = [
      this.changed,
      documents.onDidRemember(() => this.changed.fire()),
      vscode.languages.registerCodeLensProvider({ language: 'markdown' }, this),
      vscode.commands.registerCommand(TOGGLE_STEP_COMMAND, (uri?: unknown, line?: unknown) => this.toggle(uri, line)),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.isPlan(document)) return [];
    return taskItems(document.getText()).map(
      (item) =>
        new vscode.CodeLens(new vscode.Range(item.line, 0, item.line, 0), {
          title: item.ticked ? '$(pass-filled) Done · mark not done' : '$(circle-large-outline) Mark done',
          tooltip: item.ticked ? `Untick: ${item.text}` : `Tick: ${item.text}`,
          command: TOGGLE_STEP_COMMAND,
          arguments: [document.uri, item.line],
        }),
    );
  }

  /**
   * Switchboard's own plan: one Plan wrote in this window, or an untitled document that reads as one (a plan
   * restored after a reload, which this window did not write). Never a file: a file is the user's or the
   * workspace's, and the lenses and the command edit only what Switchboard wrote.
   */
  private isPlan(document: vscode.TextDocument): boolean {
    return this.documents.isPlan(document) || (document.uri.scheme === 'untitled' && looksLikePlan(document.getText(new vscode.Range(0, 0, 2, 0))));
  }

  /**
   * Ticks or unticks the step on `line` of `uri`, or on the cursor's line of the active editor. The command can be
   * run by anyone with any arguments (another extension, a `command:` link): only an open plan of Switchboard's is
   * edited, and no document is opened for it.
   */
  private async toggle(uri: unknown, line: unknown): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const target = uri === undefined ? editor?.document.uri : uri instanceof vscode.Uri ? uri : undefined;
    const row = line === undefined ? editor?.selection.active.line : typeof line === 'number' && Number.isInteger(line) && line >= 0 ? line : undefined;
    if (!target || row === undefined) return;
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === target.toString());
    if (!document || !this.isPlan(document)) {
      void vscode.window.showInformationMessage("Switchboard: steps are ticked only in Switchboard's own plans (the documents Plan writes).");
      return;
    }
    if (row >= document.lineCount) return;
    const current = document.lineAt(row);
    const toggled = toggleTaskItem(current.text);
    if (toggled === undefined) {
      void vscode.window.showInformationMessage('Switchboard: put the cursor on a step ("- [ ] …") to tick it off.');
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, current.range, toggled);
    await vscode.workspace.applyEdit(edit);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/**
 * A markdown-it plugin for VS Code's Markdown preview (`extendMarkdownIt`):
 * a list item starting `[ ]` or `[x]` shows a check box, ticked or not, as on
 * GitHub. The box is read-only; the editor's code lenses tick it.
 */
export function markdownTaskLists(md: MarkdownIt): MarkdownIt {
  md.core.ruler.push('switchboard_task_lists', (state) => {
    const tokens = state.tokens;
    for (let i = 2; i < tokens.length; i++) {
      const inline = tokens[i]!;
      if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open' || tokens[i - 2]!.type !== 'list_item_open') continue;
      const first = inline.children?.[0];
      const box = first?.type === 'text' ? leadingBox(first.content) : undefined;
      if (!first || !box) continue;
      first.content = box.rest;
      const checkbox = new state.Token('html_inline', '', 0);
      checkbox.meta = OWN_CHECKBOX;
      checkbox.content = `<input type="checkbox" class="task-list-item-checkbox" disabled${box.ticked ? ' checked' : ''}> `;
      inline.children!.unshift(checkbox);
      tokens[i - 2]!.attrJoin?.('class', 'task-list-item');
    }
  });
  guardAnswerPreviews(md, (uri) => vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri)?.getText());
  return md;
}
