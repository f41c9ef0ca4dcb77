import { hasHiddenCharacters } from '../../shared/hiddenCharacters';
import { cutAtSpecialTokens, dropChatter, extractFromFences, insideFencedBlock, looksLikeRefusal } from './answerWrapping';
import { cutAtBlockEnd } from './blockEnd';
import { BRACKET_SCAN_CHARS, cutDuplicateClosers, firstNonBlankChar, scanBrackets, trimRestOfLineOverlap } from './closers';
import { FILL_MARKER } from './completionPrompt';
import { stripEcho } from './echo';
import { codeOfLine, colonOpensBlocks, commentSyntax, fencesAreContent, keywordOpensBlocks, lineCommentStart, opensBlock } from './languages';
import { endsFinishedLine } from './multiline';
import { indentRelativeLines, matchTabIndentation, startBodyBelowHeader } from './reindent';
import { continuesOnNextLine } from './shellContinuation';
import { heredocOpenedOn } from './shellHeredoc';
import { cursorIn, leadsIntoNextLines, type OpenAt } from './stringAtCursor';
import { isBlank, type CursorContext, type EditorIndent } from './textWindow';

/*
 * The pipeline that turns a model's answer into ghost text. Its steps live beside it: answerWrapping.ts (tokens,
 * fences, chatter), echo.ts (what the answer repeats from before the cursor), reindent.ts (indentation),
 * blockEnd.ts (where a multi-line answer leaves the cursor's block), closers.ts (brackets the suffix already closes).
 */

export interface PostprocessContext {
  prefix: string;
  suffix: string;
  multiline: boolean;
  languageId: string;
  /**
   * True when the text came from a native fill-in-the-middle model, which
   * continues exactly at the cursor; chat models tend to restate the line's
   * indentation, which is then removed.
   */
  fim?: boolean;
  /**
   * The request asked for the lines after the cursor's finished line (see
   * `asksForNextLines`): the answer's leading line break belongs to it.
   */
  nextLine?: boolean;
  /** The document's line break, when known; else guessed from the text around the cursor. */
  eol?: '\n' | '\r\n';
  /** What is open where `prefix` starts, when the editor knows (see `CompletionInput.openAtStart`). */
  openAtStart?: OpenAt;
  /** Where in `prefix` `openAtStart` holds (see `CompletionInput.openFrom`). */
  openFrom?: number;
  /** How the editor indents the document, when it says (see `EditorIndent`). */
  indent?: EditorIndent;
}

/** Longer answers are cut first: nothing useful as ghost text is this long. */
const MAX_COMPLETION_CHARS = 8_000;


/**
 * Turns what a model said into ghost text, or undefined when nothing useful
 * is left. Works on the answer and a few lines around the cursor only.
 */
export function postprocessCompletion(raw: string, context: PostprocessContext): string | undefined {
  const cursor = withEditorIndent(cursorIn(context.prefix, context.suffix, context.languageId, undefined, context.openAtStart, context.openFrom), context);
  let text = cleanStart(raw, context, cursor);
  if (text === undefined) return undefined;
  // One line can hold nothing after a block header but a statement the model set apart with a space (`if x: return 0`).
  if (!context.multiline && !context.fim && endsWithBlockHeader(cursor, context) && (!/^ \S/.test(text) || endsInComment(cursor, context.languageId))) {
    // After a comment, not even that: it would go into the comment.
    if (!isYamlScalarAfterKey(text, cursor, context.languageId) || endsInComment(cursor, context.languageId)) return undefined;
    text = ` ${text}`;
  }

  // A template literal's lines are its content: as the model wrote them. So are those of a heredoc the answer opens.
  const textCursor = context.multiline ? withHeredocOpened(text, cursor, context.languageId) : cursor;
  if (!context.fim && !textCursor.inString?.verbatim) {
    text = matchTabIndentation(text, cursor, context.languageId);
    if (context.multiline) text = indentRelativeLines(text, cursor, context.languageId);
  }
  text = context.multiline ? cutAtBlockEnd(text, textCursor, context.languageId) : firstLine(text);
  text = cutDuplicateClosers(text, context, cursor);
  text = trimRestOfLineOverlap(text, cursor.lineSuffix);
  text = trimEnd(text, cursor);
  text = dropJsonCommaBeforeClose(text, context);

  if (isBlank(text.replaceAll('\n', ''))) return undefined;
  if (repeatsSuffix(text, context.suffix)) return undefined;
  // Ghost text cannot show a bidi override, a zero-width or a control character, and Tab accepts it unseen: an
  // answer carrying one (Trojan Source; a raw ESC sequence for a terminal to obey when the file is printed) is not
  // offered at all rather than offered with parts the user cannot see.
  if (hasHiddenCharacters(text)) return undefined;
  return (context.eol ?? cursor.eol) === '\r\n' ? text.replaceAll('\n', '\r\n') : text;
}

/**
 * The start of an answer cleaned the way the final text will be (special
 * tokens, fences, chatter, an echo of the line), without cutting its end: for
 * judging a streamed answer before it is complete.
 */
export function previewCompletion(raw: string, context: PostprocessContext): string {
  return cleanStart(raw, context, withEditorIndent(cursorIn(context.prefix, context.suffix, context.languageId, 3, context.openAtStart, context.openFrom), context), true) ?? '';
}

/**
 * `cursor` as the answer's lines after the first stand: in the text of the heredoc the cursor's line opens
 * (`cat <<EOF` and the answer's first line), when it opens one and the cursor is in code. Its first line is still
 * the cursor's line of code.
 */
function withHeredocOpened(text: string, cursor: CursorContext, languageId: string): CursorContext {
  if (languageId !== 'shellscript' || cursor.inString) return cursor;
  const newline = text.indexOf('\n');
  if (newline === -1) return cursor;
  const heredoc = heredocOpenedOn(cursor.linePrefix + text.slice(0, newline));
  return heredoc ? { ...cursor, inString: { verbatim: true, heredoc } } : cursor;
}

function withEditorIndent(cursor: CursorContext, context: PostprocessContext): CursorContext {
  return context.indent ? { ...cursor, editorIndent: context.indent } : cursor;
}

/**
 * The first line of a streaming answer as soon as it is complete (a line
 * break has followed it), cleaned as the whole answer will be; undefined
 * until then. For an answer that starts on the next line, the line break and
 * that line.
 */
export function completedFirstLine(raw: string, context: PostprocessContext): string | undefined {
  const preview = previewCompletion(raw, context);
  if (!/^(?:[ \t]*\n)*[ \t]*\S[^\n]*\n/.test(preview)) return undefined;
  const text = postprocessCompletion(raw, context);
  if (text === undefined) return undefined;
  const first = /^(?:[ \t]*\r?\n)*[^\r\n]*/.exec(text)?.[0] ?? '';
  return first.trim() === '' ? undefined : first;
}

function cleanStart(raw: string, context: PostprocessContext, cursor: CursorContext, partial = false): string | undefined {
  let text = raw.length > MAX_COMPLETION_CHARS ? raw.slice(0, MAX_COMPLETION_CHARS) : raw;
  text = text.replace(/\r\n?/g, '\n');
  text = cutAtSpecialTokens(text);
  const marker = text.indexOf(FILL_MARKER);
  // The model reproduced the file around the marker: keep what precedes it.
  if (marker !== -1) text = text.slice(0, marker);

  // In Markdown a fence is content, unless the cursor is already inside a fenced block: a fence around the answer is then the model's wrapper.
  if (!fencesAreContent(context.languageId) || insideFencedBlock(context.prefix)) {
    const unfenced = extractFromFences(text, partial);
    if (unfenced === undefined) return undefined;
    text = unfenced;
  }
  text = dropChatter(text, partial, context.fim === true);
  let joinsWords = false;
  if (context.fim) {
    // A FIM model that starts with a line break is saying the current line is done.
    if (!context.multiline) text = text.replace(/^\n+/, '\n');
  } else if (!(context.multiline && (context.nextLine || leadsIntoNextLines(cursor.linePrefix, cursor, context.languageId)))) {
    // At the end of a finished line, a one-line answer that starts on the next line says this line is done: shown
    // here it would be glued onto it (`x = load()print(x)`).
    // Nor after a comment that ends the line (`if x:  # why`), where the next line would go into the comment.
    if (!context.multiline && /^[ \t]*\n/.test(text) && (endsFinishedLine(cursor, context.languageId) || endsInComment(cursor, context.languageId))) return undefined;
    // Chat models often open with a blank line that the file does not want.
    const startsBelow = /^[ \t]*\n/.test(text);
    text = text.replace(/^(?:[ \t]*\n)+/, '');
    joinsWords = startsBelow && endsWithNameChar(cursor.linePrefix);
    // Glued after a colon that ends the line mid-expression (`key:`, `ready ? a :`, `(x:`), the next line's
    // indentation becomes the one space such a colon takes: `key: compute()`, not `key:    compute()`. Not where a
    // colon opens a block or a YAML value, whose answers are placed below it.
    if (startsBelow && cursor.linePrefix.endsWith(':') && !colonOpensBlocks(context.languageId) && context.languageId !== 'yaml') {
      text = text.replace(/^[ \t]*/, ' ');
    }
  }
  if (looksLikeRefusal(text)) return undefined;
  const unechoed = stripEcho(text, cursor, context);
  if (joinsWords && unechoed === text && /^[\p{L}\p{N}_$]/u.test(text)) {
    // The line ends with a word and the answer, given below it, starts with one that repeats nothing of the line:
    // joined, the two would read as one word (`FROM usersWHERE`, `## InstallRun`). The answer is the next line's:
    // kept below where lines were asked for, else nothing.
    if (!context.multiline) return undefined;
    text = `\n${text}`;
  } else {
    text = unechoed;
  }
  if (!context.fim && context.multiline && leadsIntoNextLines(cursor.linePrefix, cursor, context.languageId)) {
    if (/^(?:\t| {2,})\S/.test(text)) {
      // A chat model started the body without the line break that must follow the opener.
      text = `\n${text}`;
    } else if (/^\S/.test(text) && context.languageId === 'shellscript' && continuesOnNextLine(cursor.linePrefix) && isBlank(cursor.lineSuffix)) {
      // Nor the one after a joining backslash: glued on, `docker run \` + `--rm` would escape the `-` instead. A
      // backslash with text after the cursor joins nothing: it starts an escape (`echo "a\` before the closing `"`).
      text = `\n${text}`;
    } else if (/^\S/.test(text) && endsWithBlockHeader(cursor, context)) {
      // Nor the indentation: glued on, `return 0` after `if x:` would read `if x:return 0`, and YAML's `image: nginx`
      // after `web:` `web:image: nginx`; a YAML scalar goes on the key's line, after the space it needs.
      text = isYamlScalarAfterKey(text, cursor, context.languageId) ? ` ${text}` : startBodyBelowHeader(text, cursor, context.languageId);
    } else if (/^[^\s{}\])]/.test(text) && gluesBodyOntoOpener(cursor, context.languageId) && !closesOnFirstLine(text)) {
      // Nor after a block's opening keyword or brace: `if x then` + `print(x)` would read `thenprint(x)`, and
      // `greet() {` + `echo hi` a shell error. A brace (`} else{`) or a closer (an empty `{}`) stays on the line, and
      // so does a block closed on the answer's first line (Kotlin's `items.map {it.name }`).
      text = startBodyBelowHeader(text, cursor, context.languageId);
    } else if (/^[ \t]?\S/.test(text) && endsInComment(cursor, context.languageId)) {
      // After a comment that ends the opener's line (`if (x) { // why`, `if x:  # why`), the body glued on would be
      // part of the comment.
      text = startBodyBelowHeader(text.trimStart(), cursor, context.languageId);
    }
  }
  if (!context.fim && /^[^\s,;)\]}]/.test(text) && endsWithArrow(cursor, context.languageId)) text = ` ${text}`;
  if (!context.fim && /[ \t]$/.test(cursor.linePrefix) && !isBlank(cursor.linePrefix) && /^[ \t]/.test(text)) {
    // After `= ` or `return `, a chat model that starts with its line's indentation (writing the rest as a line of
    // its own) would leave a run of blanks in the middle of the line: `total =     items.length`.
    text = text.replace(/^[ \t]+/, '');
  }
  return text;
}

/**
 * The cursor ends a block header of a language whose blocks open with `:`
 * (Python's `if x:`, `def f():`, `else:`), right after its colon, with
 * nothing after it on the line: the body goes on the lines below, or after a
 * space on the same line. Not a colon inside brackets (a dict's, a slice's, an
 * argument's, on this line or opened above), not a `lambda`'s (its body stays
 * on its line), not one in a docstring. In YAML, a key ending its line (`web:`)
 * or a block scalar's header (`run: |`), outside a flow mapping or list.
 */
function endsWithBlockHeader(cursor: CursorContext, context: PostprocessContext): boolean {
  const line = codeOfLine(cursor.linePrefix, context.languageId);
  const header = colonOpensBlocks(context.languageId)
    ? line.endsWith(':') && !/\blambda\b/.test(line)
    : context.languageId === 'yaml' && opensBlock(line, 'yaml') && !/\s$/.test(line);
  if (!header || cursor.inString || !isBlank(cursor.lineSuffix)) return false;
  const window = context.prefix.length > BRACKET_SCAN_CHARS ? context.prefix.slice(-BRACKET_SCAN_CHARS) : context.prefix;
  return scanBrackets(window, commentSyntax(context.languageId).line).stack.length === 0;
}

/** `line` ends with a letter, a digit, `_` or `$`: what follows it glued on would lengthen that word. */
function endsWithNameChar(line: string): boolean {
  return /[\p{L}\p{N}_$]$/u.test(line);
}

/**
 * Languages where `->` at a line's end is a member access (C's `node->`, PHP's `$this->`), not an arrow whose
 * expression follows.
 */
const ARROW_IS_MEMBER_ACCESS = new Set(['c', 'cpp', 'objective-c', 'objective-cpp', 'php', 'perl']);

/**
 * The cursor ends a line with an arrow whose expression follows on that line: a Rust or PHP `=>`, a Kotlin `when`
 * branch's or a lambda's `->`, a JavaScript arrow function's `=>`. A chat model's answer glued on read
 * `1 =>println!("one")`; the space such an arrow takes goes before it (`1 => println!("one")`, `-> {`).
 */
function endsWithArrow(cursor: CursorContext, languageId: string): boolean {
  if (cursor.inString || !isBlank(cursor.lineSuffix)) return false;
  const code = codeOfLine(cursor.linePrefix, languageId);
  return code === cursor.linePrefix && (code.endsWith('=>') || (code.endsWith('->') && !ARROW_IS_MEMBER_ACCESS.has(languageId)));
}

/** A line's code ending with a keyword that opens a block: `then`, `do` (Ruby's with its `|item|`), `else`. */
const KEYWORD_OPENER_END = /(?:^|[^\w$])(?:then|do|else)$|(?:^|[^\w$])do\s*\|[^|]*\|$/;

/**
 * The cursor ends a line that opens a block, with nothing after it on the line, and what a chat model glues on
 * there is the block's first line: after a keyword (`then`, `do`, `else`), a `{`, or the `)` of a keyword-opened
 * header (Lua's `function add(a, b)`, Ruby's `def total(items)`). Not after `(` or `[`, which a list or call's
 * first item continues, nor after a name, which may be one still being typed (`def tot`).
 */
function gluesBodyOntoOpener(cursor: CursorContext, languageId: string): boolean {
  if (cursor.inString || !isBlank(cursor.lineSuffix)) return false;
  const code = codeOfLine(cursor.linePrefix, languageId);
  if (code.endsWith('{') || KEYWORD_OPENER_END.test(code)) return true;
  // A `case 1:` label or a shell arm's `start)`: its statements go below it (`case 1:print(x)` read as one line).
  if ((code.endsWith(':') || code.endsWith(')')) && !colonOpensBlocks(languageId) && opensBlock(code, languageId, cursor.textBefore)) return true;
  return code.endsWith(')') && keywordOpensBlocks(languageId) && opensBlock(code, languageId, cursor.textBefore);
}

/** The answer's first line closes more braces than it opens: a one-line block after the cursor's `{`. */
function closesOnFirstLine(text: string): boolean {
  const lineEnd = text.indexOf('\n');
  const first = lineEnd === -1 ? text : text.slice(0, lineEnd);
  let net = 0;
  for (const c of first) {
    if (c === '{') net++;
    else if (c === '}') net--;
  }
  return net < 0;
}

/** The cursor's line ends in a line comment (outside a multi-line string, whose `#` is text): the cursor is in it. */
function endsInComment(cursor: CursorContext, languageId: string): boolean {
  return !cursor.inString && lineCommentStart(cursor.linePrefix, languageId) !== -1;
}

/** A YAML line that is a node of its own: a list item (`- run: make`) or a mapping entry (`image: nginx`, `ports:`). */
const YAML_NODE_LINE = /^(?:-(?:\s|$)|[^\s#][^#]*?:(?:\s|$))/;

/**
 * A one-line answer after a YAML key (`image:`) that is its value (`nginx`),
 * not a node below it: it goes on the key's line, after a space. Not after a
 * block scalar's header (`run: |`), whose text is always below.
 */
function isYamlScalarAfterKey(text: string, cursor: CursorContext, languageId: string): boolean {
  return languageId === 'yaml' && cursor.linePrefix.endsWith(':') && !text.trimEnd().includes('\n') && !YAML_NODE_LINE.test(text);
}

function firstLine(text: string): string {
  const lineEnd = text.indexOf('\n');
  return lineEnd === -1 ? text : text.slice(0, lineEnd);
}

/**
 * Trailing blanks are dropped, except a final line break plus indentation
 * when the cursor's line continues with a closer: that is where the closer goes.
 */
function trimEnd(text: string, cursor: CursorContext): string {
  if (cursor.lineSuffix.trim() && /\n[ \t]*$/.test(text)) {
    const lastBreak = text.lastIndexOf('\n');
    return text.slice(0, lastBreak).trimEnd() + text.slice(lastBreak);
  }
  return text.trimEnd();
}

/**
 * JSON allows no comma before `}` or `]`. A model adding a member to an
 * object writes it as a member of a list goes, with its comma; where the text
 * after the cursor closes the object, that comma breaks the file.
 */
function dropJsonCommaBeforeClose(text: string, context: PostprocessContext): string {
  if (context.languageId !== 'json' || !text.endsWith(',')) return text;
  const next = firstNonBlankChar(context.suffix);
  return next === '}' || next === ']' ? text.slice(0, -1) : text;
}

/** True when the answer is what already follows the cursor (ignoring surrounding blanks). */
function repeatsSuffix(text: string, suffix: string): boolean {
  const answer = text.trim();
  if (!answer) return true;
  const head = suffix.slice(0, answer.length + 1_000).trimStart();
  return head.startsWith(answer);
}
