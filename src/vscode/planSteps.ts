import * as vscode from 'vscode';
import { leadingBox, looksLikePlan, taskItems, toggleTaskItem } from '../core/planChecklist';
import type { AnswerDocuments } from './answerDocuments';

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

  private isPlan(document: vscode.TextDocument): boolean {
    return this.documents.isPlan(document) || looksLikePlan(document.getText(new vscode.Range(0, 0, 2, 0)));
  }

  /** Ticks or unticks the step on `line` of `uri`, or on the cursor's line of the active editor. */
  private async toggle(uri: unknown, line: unknown): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const target = uri instanceof vscode.Uri ? uri : editor?.document.uri;
    const row = typeof line === 'number' ? line : editor?.selection.active.line;
    if (!target || row === undefined) return;
    const document = await vscode.workspace.openTextDocument(target);
    if (row >= document.lineCount) return;
    const current = document.lineAt(row);
    const toggled = toggleTaskItem(current.text);
    if (toggled === undefined) {
      void vscode.window.showInformationMessage('Switchboard: put the cursor on a step ("- [ ] …") to tick it off.');
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(target, current.range, toggled);
    await vscode.workspace.applyEdit(edit);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The parts of markdown-it the plugin below touches. */
interface MarkdownIt {
  core: { ruler: { push(name: string, rule: (state: { tokens: MarkdownToken[]; Token: new (type: string, tag: string, nesting: number) => MarkdownToken }) => void): void } };
  renderer: { rules: Record<string, RenderRule | undefined> };
}
interface MarkdownToken {
  type: string;
  content: string;
  children: MarkdownToken[] | null;
  meta?: unknown;
  attrJoin?(name: string, value: string): void;
  attrGet?(name: string): string | null;
}
type RenderRule = (tokens: MarkdownToken[], index: number, options: unknown, env: unknown, self: unknown) => string;

/** Marks the check boxes this plugin adds, the only HTML an answer's preview keeps. */
const OWN_CHECKBOX = 'switchboard-task-box';

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
  guardUntitledPreviews(md);
  return md;
}

/**
 * The preview of an untitled document (where Ask and Plan write the model's answer, and offer "Open Preview")
 * loads nothing the text names. VS Code's preview loads https images and renders raw HTML (`<img>`, `<video>`,
 * inline styles with `url(…)`), so an answer steered by a file the model read could put the code it was shown
 * into an image's address and send it to whoever owns it the moment the preview opens: as in the chat panel, an
 * image becomes a link to it and raw HTML is shown as text. Saved files and the user's own documents preview as
 * VS Code renders them. The document is known only when rendering (`env.currentDocument`), not when parsing.
 */
function guardUntitledPreviews(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  const untitled = (env: unknown) => (env as { currentDocument?: { scheme?: unknown } } | undefined)?.currentDocument?.scheme === 'untitled';
  const guard = (name: string, guarded: RenderRule) => {
    const original = rules[name];
    rules[name] = (tokens, index, options, env, self) =>
      untitled(env) || !original ? guarded(tokens, index, options, env, self) : original(tokens, index, options, env, self);
  };
  guard('image', (tokens, index) => {
    const token = tokens[index]!;
    const src = token.attrGet?.('src') ?? '';
    const label = `[image: ${escapeHtml(token.content || src)}]`;
    return /^https?:\/\//i.test(src) ? `<a href="${escapeHtml(src)}">${label}</a>` : label;
  });
  const asText = (block: boolean): RenderRule => (tokens, index) => {
    const token = tokens[index]!;
    if (token.meta === OWN_CHECKBOX) return token.content;
    const text = escapeHtml(token.content);
    return block ? `<p>${text}</p>\n` : text;
  };
  guard('html_block', asText(true));
  guard('html_inline', asText(false));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
