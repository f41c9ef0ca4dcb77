/**
 * highlight.js core with only the languages answers usually contain, to keep
 * the webview bundle small. Unknown languages are shown unhighlighted rather
 * than auto-detected: detection runs every grammar and is too slow per frame.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml };
for (const [name, definition] of Object.entries(languages)) hljs.registerLanguage(name, definition);
// Names models write in fences that the grammars above do not list themselves.
hljs.registerAliases(['shell', 'console', 'terminal'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['golang'], { languageName: 'go' });
hljs.registerAliases(['vue', 'svelte'], { languageName: 'xml' });

/**
 * A code block up to this size is highlighted whole in one go (well under a
 * millisecond); a longer one a piece at a time in idle periods (pieceHighlight.ts).
 */
export const WHOLE_BLOCK_CHARS = 1_000;

/** The language name from a fence's info string (`ts title="x"` -> `ts`), safe to use in a class name. */
export function fenceLanguage(info: string): string {
  return (info.trim().split(/\s+/)[0] ?? '').toLowerCase().replace(/[^a-z0-9_+#-]/g, '');
}

/** The bundled grammars' names (aliases left out). */
export function bundledLanguages(): string[] {
  return hljs.listLanguages();
}

/** Whether `language` has a bundled grammar: without one, code is shown as plain text. */
export function hasGrammar(language: string): boolean {
  return language !== '' && hljs.getLanguage(language) !== undefined;
}

/** Highlighted HTML for `code`, or undefined when the language is not bundled. */
export function highlightCode(code: string, language: string): string | undefined {
  return highlightPiece(code, language)?.html;
}

export interface HighlightedPiece {
  html: string;
  /**
   * Nothing (comment, string, template) is left open at the end of the piece,
   * so highlighting the code after it on its own colours it as the whole
   * block would.
   */
  closed: boolean;
}

/** Like highlightCode, and whether the piece ends outside any construct. */
export function highlightPiece(code: string, language: string): HighlightedPiece | undefined {
  const grammar = language ? hljs.getLanguage(language) : undefined;
  if (!grammar) return undefined;
  const result = hljs.highlight(code, { language, ignoreIllegals: true });
  // `_top` is the mode highlight.js was in when the text ran out; the grammar itself means none was open.
  // Not in its typings: should a version drop it, every piece counts as open and only grows longer.
  const top = (result as { _top?: unknown })._top;
  return { html: result.value, closed: top === grammar };
}
