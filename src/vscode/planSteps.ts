import * as vscode from 'vscode';
import { leadingBox, looksLikePlan, taskItems, toggleTaskItem } from '../core/planChecklist';
import { findHiddenCharacters, hasHiddenCharacters } from '../shared/hiddenCharacters';
import type { AnswerDocuments } from './answerDocuments';
import { carriesAnswerSignature } from './answerSignature';

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
  core: { ruler: { push(name: string, rule: (state: CoreState) => void): void } };
  renderer: { rules: Record<string, RenderRule | undefined>; render(tokens: MarkdownToken[], options: unknown, env: unknown): string };
}
interface CoreState {
  src: string;
  tokens: MarkdownToken[];
  Token: new (type: string, tag: string, nesting: number) => MarkdownToken;
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
interface Renderer {
  renderToken(tokens: MarkdownToken[], index: number, options: unknown): string;
}

/** Marks the check boxes this plugin adds, the only HTML an answer's preview keeps. */
const OWN_CHECKBOX = 'switchboard-task-box';
/** The class of a marked hidden character in a preview; media/answerPreview.css boxes it and shows its code point. */
export const PREVIEW_HIDDEN_CHAR_CLASS = 'switchboard-hidden-char';
/** The class of an answer's link to a scheme that is not opened from a preview (see guardAnswerPreviews). */
const UNOPENED_LINK_CLASS = 'switchboard-unopened-link';
/** The class of a diagram an answer preview shows as its source (see asDiagramSource). */
const DIAGRAM_SOURCE_CLASS = 'switchboard-diagram-source';

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
  guardAnswerPreviews(md);
  return md;
}

/**
 * The preview of an answer loads nothing the text names and shows its hidden characters. VS Code's preview
 * loads https images and renders raw HTML (`<img>`, `<video>`, inline styles with `url(…)`), so an answer
 * steered by a file the model read could put the code it was shown into an image's address and send it to
 * whoever owns it the moment the preview opens: as in the chat panel, an image becomes a link to it and raw
 * HTML is shown as text. Bidi controls and zero-width characters become boxed code points, as in the chat
 * panel (the document's text is left as it is). A diagram shows its source, a link to a scheme other than the
 * web's or mail's its text.
 *
 * An answer is an untitled document (where Ask and Plan write it, and offer "Open Preview"), or one that
 * carries Switchboard's signature line wherever it is saved: saving an answer must not undo its protection,
 * and a file keeps its text across windows and machines where a list of written documents would not. A
 * forged signature only makes a preview safer. The user's own documents preview as VS Code renders them.
 *
 * The signature is read when parsing (`state.src`); whether the document is untitled is known only when
 * rendering (`env.currentDocument`, unset while parsing). VS Code caches the parsed tokens of a document
 * version and renders them with a fresh env each time, so the signed token lists are remembered by identity.
 */
function guardAnswerPreviews(md: MarkdownIt): void {
  const signed = new WeakSet<MarkdownToken[]>();
  const answerRenders = new WeakSet<object>();
  md.core.ruler.push('switchboard_answer_signature', (state) => {
    if (carriesAnswerSignature(state.src)) signed.add(state.tokens);
  });

  const renderer = md.renderer;
  const render = renderer.render.bind(renderer);
  renderer.render = (tokens, options, env) => {
    if (!signed.has(tokens) && !untitled(env)) return render(tokens, options, env);
    const answerEnv = typeof env === 'object' && env !== null ? env : {};
    answerRenders.add(answerEnv);
    return answerPreviewHtml(render(tokens, options, answerEnv));
  };

  const rules = renderer.rules;
  /** Replaces rule `name` in an answer's render; elsewhere, and for what `guarded` lets through, the rule as it was. */
  const guard = (name: string, guarded: (tokens: MarkdownToken[], index: number, asBefore: () => string) => string) => {
    const original = rules[name];
    rules[name] = (tokens, index, options, env, self) => {
      const asBefore = () => (original ? original(tokens, index, options, env, self) : (self as Renderer).renderToken(tokens, index, options));
      return typeof env === 'object' && env !== null && answerRenders.has(env) ? guarded(tokens, index, asBefore) : asBefore();
    };
  };
  guard('image', (tokens, index) => {
    const token = tokens[index]!;
    const src = token.attrGet?.('src') ?? '';
    const label = `[image: ${escapeHtml(token.content || src)}]`;
    return /^https?:\/\//i.test(src) ? `<a href="${escapeHtml(src)}">${label}</a>` : label;
  });
  // A link opens only on a click, but an answer's link should not run anything: a `command:` link would run a
  // command if a preview ever enabled them, a `vscode:` one hands its query to an extension's URI handler, a
  // `data:` one opens what the answer wrote. Web and mail links, in-page anchors and relative paths stay links;
  // any other scheme keeps its text, without an address, its target named in the title.
  guard('link_open', (tokens, index, asBefore) => {
    const href = tokens[index]!.attrGet?.('href') ?? '';
    if (!/^[a-z][a-z0-9+.-]*:/i.test(href) || /^(?:https?|mailto):/i.test(href)) return asBefore();
    return `<a class="${UNOPENED_LINK_CLASS}" title="${escapeHtml(`Not a link in an answer: ${href}`)}">`;
  });
  const asText = (block: boolean) => (tokens: MarkdownToken[], index: number) => {
    const token = tokens[index]!;
    if (token.meta === OWN_CHECKBOX) return token.content;
    const text = escapeHtml(token.content);
    return block ? `<p>${text}</p>\n` : text;
  };
  guard('html_block', asText(true));
  guard('html_inline', asText(false));
}

function untitled(env: unknown): boolean {
  return (env as { currentDocument?: { scheme?: unknown } } | undefined)?.currentDocument?.scheme === 'untitled';
}

/**
 * An answer's rendered HTML, made safe to show: each hidden character of the text wrapped in a marked span, and
 * each diagram left as its source. The renderers escape `<` and `>` in text and in attribute values alike (and
 * an answer's raw HTML is shown as text), so every `<` in the output opens a tag and the next `>` closes it:
 * characters are marked in text only, never inside a tag, where a span would break the tag open. The character
 * stays inside its span, so what the reader copies is the answer's text.
 */
export function answerPreviewHtml(html: string): string {
  const marking = hasHiddenCharacters(html);
  if (!marking && !html.includes(DIAGRAM_CLASS)) return html;
  return html
    .split(/(<[^>]*>)/)
    .map((piece, index) => (index % 2 === 1 ? asDiagramSource(piece) : marking ? markInText(piece) : piece))
    .join('');
}

/**
 * VS Code's built-in Mermaid extension draws every element of class `mermaid` in the preview (a ```mermaid
 * fence, a `::: mermaid` block), and a diagram can name a remote image to load as it is drawn (a node's
 * `img:`). In an answer, the diagram is shown as its source, which the element holds as text already.
 */
const DIAGRAM_CLASS = 'mermaid';
function asDiagramSource(tag: string): string {
  const diagram = /^<(pre|div)\b[^>]*\bclass="(?:[^"]*\s)?mermaid(?:\s[^"]*)?"[^>]*>$/.exec(tag);
  return diagram ? `<${diagram[1]} class="${DIAGRAM_SOURCE_CLASS}">` : tag;
}

function markInText(text: string): string {
  let marked = '';
  let at = 0;
  for (const hidden of findHiddenCharacters(text)) {
    marked += text.slice(at, hidden.index);
    marked += `<span class="${PREVIEW_HIDDEN_CHAR_CLASS}" title="Hidden character in the answer: ${hidden.label}" data-code-point="${hidden.codePoint}">${hidden.char}</span>`;
    at = hidden.index + hidden.char.length;
  }
  return marked + text.slice(at);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
