/**
 * The little the completion core needs to know about languages: how to write
 * a comment, and which ones end blocks by indentation or by keywords.
 */

import { isCaseArmAfter } from './shellCase';

export interface CommentSyntax {
  /** Starts a comment that runs to the end of the line. */
  line?: string;
  /** Wraps a comment, for languages without line comments. */
  block?: [open: string, close: string];
}

const HASH: CommentSyntax = { line: '#' };
const SLASHES: CommentSyntax = { line: '//' };
const DASHES: CommentSyntax = { line: '--' };
const SEMICOLON: CommentSyntax = { line: ';' };
const PERCENT: CommentSyntax = { line: '%' };
const MARKUP: CommentSyntax = { block: ['<!--', '-->'] };
const SLASH_STAR: CommentSyntax = { block: ['/*', '*/'] };
const NONE: CommentSyntax = {};

const COMMENTS: Record<string, CommentSyntax> = {
  python: HASH,
  shellscript: HASH,
  ruby: HASH,
  perl: HASH,
  r: HASH,
  yaml: HASH,
  toml: HASH,
  dockerfile: HASH,
  makefile: HASH,
  powershell: HASH,
  elixir: HASH,
  julia: HASH,
  nim: HASH,
  crystal: HASH,
  coffeescript: HASH,
  cmake: HASH,
  graphql: HASH,
  sql: DASHES,
  lua: DASHES,
  haskell: DASHES,
  elm: DASHES,
  ada: DASHES,
  clojure: SEMICOLON,
  lisp: SEMICOLON,
  scheme: SEMICOLON,
  racket: SEMICOLON,
  ini: SEMICOLON,
  latex: PERCENT,
  tex: PERCENT,
  erlang: PERCENT,
  matlab: PERCENT,
  html: MARKUP,
  xml: MARKUP,
  markdown: MARKUP,
  vue: MARKUP,
  svelte: MARKUP,
  css: SLASH_STAR,
  json: NONE,
  plaintext: NONE,
};

/** Comment syntax for a VS Code language id; C-style `//` when unknown, as most code languages use it. */
export function commentSyntax(languageId: string): CommentSyntax {
  // Own entries only: a language id such as "constructor" must not find Object.prototype's.
  return Object.hasOwn(COMMENTS, languageId) ? COMMENTS[languageId]! : SLASHES;
}

/** Writes `text` as a comment, one comment per line; undefined for languages without comments. */
export function asComment(text: string, syntax: CommentSyntax): string | undefined {
  if (syntax.line) {
    const marker = syntax.line;
    return text
      .split('\n')
      .map((line) => (line ? `${marker} ${line}` : marker))
      .join('\n');
  }
  if (syntax.block) {
    const [open, close] = syntax.block;
    // A closing marker inside the text would end the comment early.
    return text
      .split('\n')
      .map((line) => `${open} ${line.replaceAll(close, '')} ${close}`)
      .join('\n');
  }
  return undefined;
}

/** Languages whose blocks are opened by a trailing `:` and closed by dedenting. */
const COLON_BLOCKS = new Set(['python', 'cython', 'starlark', 'mojo', 'gdscript', 'nim']);

export function colonOpensBlocks(languageId: string): boolean {
  return COLON_BLOCKS.has(languageId);
}

/**
 * Languages whose blocks end where the indentation does: those of COLON_BLOCKS
 * and a few whose openers are brackets or arrows (CoffeeScript's `->`). A
 * dedented line there leaves the block; elsewhere only a closer does.
 */
const DEDENT_BLOCKS = new Set([...COLON_BLOCKS, 'coffeescript', 'yaml', 'haml', 'pug', 'sass', 'fsharp', 'haskell', 'elm']);

export function dedentEndsBlocks(languageId: string): boolean {
  return DEDENT_BLOCKS.has(languageId);
}

/** Languages whose blocks are opened by a keyword at the line start and closed by `end`. */
const KEYWORD_BLOCKS = new Set(['ruby', 'lua', 'elixir', 'julia', 'crystal']);

export function keywordOpensBlocks(languageId: string): boolean {
  return KEYWORD_BLOCKS.has(languageId);
}

const KEYWORD_OPENER = /^\s*(?:def|class|module|function|local\s+function|if|elsif|elseif|unless|while|until|for|case|begin)\b/;
/**
 * In YAML a key that ends its line (`web:`, `- name:`) or a block scalar's
 * header (`run: |`, `script: >-`) is followed by its value on the indented
 * lines below. Without this, the cursor after `web:` asked for the rest of
 * that line, and an answer on the next line was joined onto it (`web:    image: nginx`).
 */
const YAML_OPENER = /:(?:\s*[|>][+-]?\d*)?$/;
const TRAILING_OPENER = /(?:[{([]|=>|->|\bdo(?:\s*\|[^|]*\|)?|\bthen|\belse)\s*$/;

/** Languages where `'` starts a string only as a character literal (`'a'`, `'\\n'`): elsewhere it is Rust's lifetime (`&'a str`) or Lisp's quote (`'(a b)`). */
const APOSTROPHE_NOT_QUOTE = new Set(['rust', 'clojure', 'lisp', 'scheme', 'racket', 'ocaml']);

/**
 * Where a line comment after code (or alone) starts on `line`, in the language's own marker: `if x:  # why` at
 * the `#`; -1 when there is none. Quotes pair on the line (strings end at its end), so a `#` or `//` in a string is
 * not one. A marker other than `//` counts only at the line's start or after a blank: `$#` and `${#a}` in shell,
 * `\%` in LaTeX are not comments.
 */
export function lineCommentStart(line: string, languageId: string): number {
  const marker = commentSyntax(languageId).line;
  if (!marker) return -1;
  const first = marker.charCodeAt(0);
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === '`' || (c === "'" && (!APOSTROPHE_NOT_QUOTE.has(languageId) || line[i + 1] === '\\' || line[i + 2] === "'"))) quote = c;
    else if (line.charCodeAt(i) === first && line.startsWith(marker, i) && (marker === '//' || i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
  }
  return -1;
}

/**
 * `line` without a line comment at its end, and without trailing blanks: the code whose last character says how the
 * line ends (`if x:` of `if x:  # why`, `foo();` of `foo(); // call`).
 */
export function codeOfLine(line: string, languageId: string): string {
  const comment = lineCommentStart(line, languageId);
  return (comment === -1 ? line : line.slice(0, comment)).trimEnd();
}

/**
 * Languages whose `switch` has `case x:` and `default:` labels, each heading the statements below it. A label
 * ending its line is where the next lines (its body) go: glued on, `case 1:print(x)`.
 */
const CASE_LABEL_LANGUAGES = new Set([
  'c', 'cpp', 'csharp', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'php', 'swift', 'dart', 'objective-c', 'objective-cpp', 'go',
]);
const CASE_LABEL = /^\s*(?:case\b.*|default\s*):$/;

/**
 * A shell `case` arm's pattern ending its line (`start)`, `start|begin)`, `*)`, `(stop)`), whose commands go below
 * it up to `;;`. Not a call or a subshell that closes there (`greet()`, `(cd x; make)`, `$(date)`), nor an array
 * (`list=(a b)`): no `(` inside the pattern, no `;`, `=`, `$` or backtick. Nor `esac)`, which ends a case (in a
 * `$(` … `)`), never starts an arm.
 */
const SHELL_CASE_ARM = /^\s*(?!esac\))\(?[^\s();=$`][^();=$`]*\)$/;

/**
 * Whether `line` is a shell `case` arm's pattern. The line alone reads an array's last item closing it (`  b)`
 * below `arr=(`) as an arm too; given `textBefore`, the document's text before the line, it is one only inside a
 * `case … in` with no bracket left open between (see shellCase.ts).
 */
export function isShellCaseArm(line: string, languageId: string, textBefore?: string): boolean {
  if (languageId !== 'shellscript' || !SHELL_CASE_ARM.test(codeOfLine(line, languageId))) return false;
  return textBefore === undefined || isCaseArmAfter(textBefore);
}

/**
 * True when `line` opens a block whose body follows on the next lines (a comment at its end is read past).
 * `textBefore`, the document's text before the line, when the caller has it, tells what the line alone cannot (a
 * shell arm's `)` from an array's).
 */
export function opensBlock(line: string, languageId: string, textBefore?: string): boolean {
  const code = codeOfLine(line, languageId);
  if (!code) return false;
  if (TRAILING_OPENER.test(code)) return true;
  if (CASE_LABEL_LANGUAGES.has(languageId) && CASE_LABEL.test(code)) return true;
  if (isShellCaseArm(code, languageId, textBefore)) return true;
  if (COLON_BLOCKS.has(languageId) && code.endsWith(':')) return true;
  if (languageId === 'yaml' && YAML_OPENER.test(code)) return true;
  if (KEYWORD_BLOCKS.has(languageId) && KEYWORD_OPENER.test(code) && !/\bend\s*$/.test(code)) return true;
  return false;
}

/**
 * In a language whose blocks open with `:`, the clauses that go on a compound
 * statement at its own indentation (Python's `if` with `elif` and `else`, `try`
 * with `except`, `else` and `finally`, `match`'s `case` after `case`), by the
 * keyword that starts the statement's last header. A block ends at a dedent to
 * its header's level unless that line is one of these: cut there, an answer
 * after `try:` would be a `try` with no `except`.
 */
const CLAUSES_AFTER: Record<string, readonly string[]> = {
  if: ['elif', 'else'],
  elif: ['elif', 'else'],
  for: ['else'],
  while: ['else'],
  try: ['except', 'else', 'finally'],
  except: ['except', 'else', 'finally'],
  case: ['case'],
};

const HEADER_KEYWORD = /^\s*(?:async\s+)?([a-z]+)\b/;

/**
 * True when `line` is a clause (ending its header with `:`) that goes on the
 * compound statement whose header is `header`: `else:` after `if x:`.
 */
export function continuesStatement(header: string, line: string, languageId: string): boolean {
  if (!COLON_BLOCKS.has(languageId)) return false;
  const opener = HEADER_KEYWORD.exec(header)?.[1];
  const clause = HEADER_KEYWORD.exec(line)?.[1];
  if (opener === undefined || clause === undefined || !Object.hasOwn(CLAUSES_AFTER, opener)) return false;
  return CLAUSES_AFTER[opener]!.includes(clause) && line.includes(':');
}

const CLOSER_LINE = /^\s*(?:[}\])]|<\/|(?:end|fi|done|esac|endif|endfor|endwhile|endfunction)\b)/;

/** True when `line` starts by closing a block (`}`, `)`, `end`, `fi`…, an HTML or XML element's `</div>`). */
export function closesBlock(line: string): boolean {
  return CLOSER_LINE.test(line);
}

const COMMENT_START = /^\s*(?:\/\/|\/\*|\*|#|--|;|%|<!--|"""|''')/;

/** True when `line` is (the start or a middle line of) a comment. */
export function isCommentLine(line: string): boolean {
  return COMMENT_START.test(line) || line.trimEnd().endsWith('*/');
}

/** Languages whose files mix prose with fenced code, where a fence is content and not chatter. */
export function fencesAreContent(languageId: string): boolean {
  return languageId === 'markdown' || languageId === 'mdx';
}

/**
 * Whether `switchboard.completion.languages` turns ghost text on for a language id: its own entry, else `*`'s, else
 * on. Own entries only, so that an id named like a property every object has ("constructor", "toString",
 * "hasOwnProperty", "__proto__") is decided by its entry or `*`, never by what Object.prototype holds (a function,
 * which would read as on).
 */
export function languageOn(languages: Readonly<Record<string, boolean>>, languageId: string): boolean {
  if (Object.hasOwn(languages, languageId)) return languages[languageId] === true;
  if (Object.hasOwn(languages, '*')) return languages['*'] === true;
  return true;
}
