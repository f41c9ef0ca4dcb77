/**
 * Model output to DOM. Model text is untrusted (a prompt injection can make
 * it say anything), so two independent layers stand between it and the page:
 * marked is told to show raw HTML as text, and DOMPurify then keeps only the
 * handful of tags and attributes marked itself produces. Links survive only
 * for http(s); images become links, because loading a remote image would
 * leak data to whoever chose its URL.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { isHttpUrl } from '../../core/urls';
import { withCodePointsShown } from '../../shared/hiddenCharacters';
import { decorateCodeBlocks } from './codeBlocks';
import { markHiddenCharacters } from './hiddenMarks';
import { MARKDOWN_LIMITS, startParse } from './markdownLimits';
import { fenceLanguage, hasGrammar, highlightCode, highlightPiece, WHOLE_BLOCK_CHARS } from './highlight';

const marked = new Marked({ gfm: true, breaks: false, async: false }, MARKDOWN_LIMITS);

/** Marks a long code block left unhighlighted by renderMarkdown's `longCode: 'plain'` (see deferredCode.ts). */
export const UNHIGHLIGHTED_CLASS = 'code-unhighlighted';
/** Set for the length of one (synchronous) parse. */
let longCodePlain = false;

marked.use({
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      return block ? `<p class="raw-html">${escapeHtml(text.trimEnd())}</p>\n` : escapeHtml(text);
    },
    code({ text, lang }: Tokens.Code): string {
      const language = fenceLanguage(lang ?? '');
      const languageClass = language ? ` language-${language}` : '';
      if (longCodePlain && text.length > WHOLE_BLOCK_CHARS && hasGrammar(language)) {
        return `<pre><code class="hljs${languageClass} ${UNHIGHLIGHTED_CLASS}">${escapeHtml(text)}</code></pre>\n`;
      }
      const highlighted = highlightCode(text, language);
      return `<pre><code class="hljs${languageClass}">${highlighted ?? escapeHtml(text)}</code></pre>\n`;
    },
    image({ href, text }: Tokens.Image): string {
      const label = `[image: ${escapeHtml(text || href)}]`;
      return isHttpUrl(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
    },
  },
});

const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'input', 'li',
  'ol', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['align', 'checked', 'class', 'disabled', 'href', 'start', 'title', 'type'];

/**
 * The panel's own sanitiser, configured once: the open block is sanitised at
 * every frame while an answer streams, and a configuration passed per call is
 * parsed again per call (its allow-lists rebuilt, about 0.6 KB of garbage a
 * streamed chunk, bench/chatGarbage.ts). An instance of its own, so no other
 * code sharing DOMPurify's default instance can change what this one allows.
 */
const purify = DOMPurify(window);
purify.setConfig({ ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false, RETURN_DOM_FRAGMENT: true });

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href');
    if (href !== null && isHttpUrl(href)) {
      node.setAttribute('rel', 'noopener noreferrer');
      // Where the link goes, on hover, before a click: the URL as the browser reads it (a host written as one
      // decimal number or in another script spelt out), in place of any title the answer gave, which could name another.
      node.setAttribute('title', linkDestination(href));
    } else {
      node.removeAttribute('href');
    }
  } else if (node.tagName === 'INPUT') {
    // marked renders task-list items as checkboxes; nothing else may be an input, or editable.
    node.setAttribute('type', 'checkbox');
    node.setAttribute('disabled', '');
  }
});

/** A link's destination for its tooltip: the parsed URL (percent-encoded, punycode host), hidden characters by code point. */
export function linkDestination(href: string): string {
  let url = href;
  try {
    url = new URL(href).href;
  } catch {
    // isHttpUrl accepted it; shown as written.
  }
  return withCodePointsShown(url);
}

export interface RenderOptions {
  /**
   * 'plain': a code block over WHOLE_BLOCK_CHARS with a grammar is left as
   * plain text, its <code> marked with UNHIGHLIGHTED_CLASS, for the caller to
   * highlight in idle periods (deferredCode.ts): highlighting it here would be
   * one long task. Default 'whole': every block highlighted now.
   */
  longCode?: 'whole' | 'plain';
}

/** Renders markdown to sanitised nodes, code blocks with their Copy/Insert toolbar. */
export function renderMarkdown(source: string, options: RenderOptions = {}): DocumentFragment {
  if (source.trim() === '') return document.createDocumentFragment();
  longCodePlain = options.longCode === 'plain';
  startParse();
  let html: string;
  try {
    html = marked.parse(source, { async: false });
  } catch {
    // A case markdownLimits.ts does not bound (marked gave up, or overflowed the stack): the answer is still
    // shown, as the text it is, rather than nothing, or an exception at every frame while it streams.
    html = `<p class="raw-html">${escapeHtml(source.trimEnd())}</p>\n`;
  } finally {
    longCodePlain = false;
  }
  // The configuration set above: the allowed tags and attributes, no data- or aria- attributes, a fragment back.
  const fragment = purify.sanitize(html) as unknown as DocumentFragment;
  decorateCodeBlocks(fragment);
  markHiddenCharacters(fragment);
  return fragment;
}

/**
 * Code as highlighted nodes, for streamed code blocks, where this runs every
 * few frames. highlight.js escapes the code and adds only class-bearing spans,
 * so instead of a full DOMPurify pass its output is parsed inert and checked
 * to be exactly that; anything else falls back to plain text.
 */
export function highlightedCode(code: string, language: string): Node {
  return highlightedCodePiece(code, language).nodes;
}

/** highlightedCode, and whether the piece ends outside any comment or string (see highlightPiece). */
export function highlightedCodePiece(code: string, language: string): { nodes: Node; closed: boolean } {
  const piece = highlightPiece(code, language);
  if (piece === undefined) return { nodes: plainCode(code), closed: true };
  const template = document.createElement('template');
  template.innerHTML = piece.html;
  const onlySpans = Array.from(template.content.querySelectorAll('*')).every(
    (element) => element.tagName === 'SPAN' && element.attributes.length === 1 && element.hasAttribute('class'),
  );
  if (!onlySpans) return { nodes: plainCode(code), closed: true };
  markHiddenCharacters(template.content);
  return { nodes: template.content, closed: piece.closed };
}

function plainCode(code: string): Node {
  const fragment = document.createDocumentFragment();
  fragment.append(code);
  markHiddenCharacters(fragment);
  return fragment;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
