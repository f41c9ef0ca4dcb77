import { findHiddenCharacters, hasHiddenCharacters } from '../shared/hiddenCharacters';
import { carriesAnswerSignature } from './answerSignature';

/** The parts of markdown-it the task-list plugin (planSteps.ts) and the guard below touch. */
export interface MarkdownIt {
  core: { ruler: { push(name: string, rule: (state: CoreState) => void): void; before(before: string, name: string, rule: (state: CoreState) => void): void } };
  renderer: { rules: Record<string, RenderRule | undefined>; render(tokens: MarkdownToken[], options: unknown, env: unknown): string };
  parse(src: string, env: unknown): MarkdownToken[];
}
interface CoreState {
  src: string;
  tokens: MarkdownToken[];
  Token: new (type: string, tag: string, nesting: number) => MarkdownToken;
}
export interface MarkdownToken {
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

/** Marks the check boxes planSteps.ts's task-list plugin adds, the only HTML an answer's preview keeps. */
export const OWN_CHECKBOX = 'switchboard-task-box';
/** The class of a marked hidden character in a preview; media/answerPreview.css boxes it and shows its code point. */
const PREVIEW_HIDDEN_CHAR_CLASS = 'switchboard-hidden-char';
/** The class of an answer's link to a scheme that is not opened from a preview (see guardAnswerPreviews). */
const UNOPENED_LINK_CLASS = 'switchboard-unopened-link';
/** The class of a diagram an answer preview shows as its source (see asDiagramSource). */
const DIAGRAM_SOURCE_CLASS = 'switchboard-diagram-source';

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
 *
 * That cache is keyed by the document's address and version alone, and untitled names are given again: a new
 * Untitled-1 at the version a closed Untitled-1 was rendered at would be shown the closed one's tokens (another
 * answer, in the user's new document). `openText` gives the text of the open document at an address; tokens
 * parsed from other text than the document now holds are parsed again from its text.
 */
export function guardAnswerPreviews(md: MarkdownIt, openText: (uri: string) => string | undefined = () => undefined): void {
  const signed = new WeakSet<MarkdownToken[]>();
  const sources = new WeakMap<MarkdownToken[], string>();
  const answerRenders = new WeakSet<object>();
  // Before markdown-it's own first rule rewrites line ends: the text as the document holds it, CRLF included.
  md.core.ruler.before('normalize', 'switchboard_answer_source', (state) => {
    sources.set(state.tokens, state.src);
  });
  md.core.ruler.push('switchboard_answer_signature', (state) => {
    if (carriesAnswerSignature(state.src)) signed.add(state.tokens);
  });

  /** The tokens of the text the document holds: `tokens` if parsed from it, else a new parse (see above). */
  const current = (tokens: MarkdownToken[], env: unknown): MarkdownToken[] => {
    const source = sources.get(tokens);
    const uri = documentOf(env);
    if (source === undefined || uri === undefined) return tokens;
    const text = openText(uri);
    return text === undefined || text === source ? tokens : md.parse(text, { ...(env as object) });
  };

  const renderer = md.renderer;
  const render = renderer.render.bind(renderer);
  renderer.render = (parsed, options, env) => {
    const tokens = current(parsed, env);
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

/** The address of the document being rendered (a vscode.Uri in `env.currentDocument`), as a string. */
function documentOf(env: unknown): string | undefined {
  const uri = (env as { currentDocument?: unknown } | undefined)?.currentDocument;
  return typeof uri === 'object' && uri !== null ? String(uri) : undefined;
}

/**
 * An answer's rendered HTML, made safe to show: each hidden character of the text wrapped in a marked span, and
 * each diagram left as its source. The renderers escape `<` and `>` in text and in attribute values alike (and
 * an answer's raw HTML is shown as text), so every `<` in the output opens a tag and the next `>` closes it:
 * characters are marked in text only, never inside a tag, where a span would break the tag open. The character
 * stays inside its span, so what the reader copies is the answer's text.
 */
function answerPreviewHtml(html: string): string {
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
