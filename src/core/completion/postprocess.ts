import { hasHiddenCharacters } from '../../shared/hiddenCharacters';
import { FILL_MARKER } from './completionPrompt';
import { closesBlock, colonOpensBlocks, commentSyntax, continuesStatement, fencesAreContent, opensBlock } from './languages';
import { endsFinishedLine } from './multiline';
import { indentRelativeLines, matchTabIndentation, startBodyBelowHeader, statementStart } from './reindent';
import { cursorIn, leadsIntoNextLines, opensBlockAtCursor, type OpenAt } from './stringAtCursor';
import { indentWidth, isBlank, leadingWhitespace, type CursorContext } from './textWindow';

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
}

/** Longer answers are cut first: nothing useful as ghost text is this long. */
const MAX_COMPLETION_CHARS = 8_000;

/** How much of the prefix is read to find the brackets still open at the cursor. */
const BRACKET_SCAN_CHARS = 3_000;

/**
 * Turns what a model said into ghost text, or undefined when nothing useful
 * is left. Works on the answer and a few lines around the cursor only.
 */
export function postprocessCompletion(raw: string, context: PostprocessContext): string | undefined {
  const cursor = cursorIn(context.prefix, context.suffix, context.languageId, undefined, context.openAtStart, context.openFrom);
  let text = cleanStart(raw, context, cursor);
  if (text === undefined) return undefined;
  // One line can hold nothing after a block header but a statement the model set apart with a space (`if x: return 0`).
  if (!context.multiline && !context.fim && endsWithBlockHeader(cursor, context) && !/^ \S/.test(text)) {
    if (!isYamlScalarAfterKey(text, cursor, context.languageId)) return undefined;
    text = ` ${text}`;
  }

  // A template literal's lines are its content: as the model wrote them.
  if (!context.fim && !cursor.inString?.verbatim) {
    text = matchTabIndentation(text, cursor, context.languageId);
    if (context.multiline) text = indentRelativeLines(text, cursor, context.languageId);
  }
  text = context.multiline ? cutAtBlockEnd(text, cursor, context.languageId) : firstLine(text);
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
  return cleanStart(raw, context, cursorIn(context.prefix, context.suffix, context.languageId, 3, context.openAtStart, context.openFrom), true) ?? '';
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
  if (context.fim) {
    // A FIM model that starts with a line break is saying the current line is done.
    if (!context.multiline) text = text.replace(/^\n+/, '\n');
  } else if (!(context.multiline && (context.nextLine || leadsIntoNextLines(cursor.linePrefix, cursor, context.languageId)))) {
    // At the end of a finished line, a one-line answer that starts on the next line says this line is done: shown
    // here it would be glued onto it (`x = load()print(x)`).
    if (!context.multiline && /^[ \t]*\n/.test(text) && endsFinishedLine(cursor, context.languageId)) return undefined;
    // Chat models often open with a blank line that the file does not want.
    const startsBelow = /^[ \t]*\n/.test(text);
    text = text.replace(/^(?:[ \t]*\n)+/, '');
    // Glued after a colon that ends the line mid-expression (`key:`, `ready ? a :`, `(x:`), the next line's
    // indentation becomes the one space such a colon takes: `key: compute()`, not `key:    compute()`. Not where a
    // colon opens a block or a YAML value, whose answers are placed below it.
    if (startsBelow && cursor.linePrefix.endsWith(':') && !colonOpensBlocks(context.languageId) && context.languageId !== 'yaml') {
      text = text.replace(/^[ \t]*/, ' ');
    }
  }
  if (looksLikeRefusal(text)) return undefined;
  text = stripEcho(text, cursor, context);
  if (!context.fim && context.multiline && leadsIntoNextLines(cursor.linePrefix, cursor, context.languageId)) {
    if (/^(?:\t| {2,})\S/.test(text)) {
      // A chat model started the body without the line break that must follow the opener.
      text = `\n${text}`;
    } else if (/^\S/.test(text) && endsWithBlockHeader(cursor, context)) {
      // Nor the indentation: glued on, `return 0` after `if x:` would read `if x:return 0`, and YAML's `image: nginx`
      // after `web:` `web:image: nginx`; a YAML scalar goes on the key's line, after the space it needs.
      text = isYamlScalarAfterKey(text, cursor, context.languageId) ? ` ${text}` : startBodyBelowHeader(text, cursor, context.languageId);
    }
  }
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
  const line = cursor.linePrefix;
  const header = colonOpensBlocks(context.languageId)
    ? line.endsWith(':') && !/\blambda\b/.test(line)
    : context.languageId === 'yaml' && opensBlock(line, 'yaml') && !/\s$/.test(line);
  if (!header || cursor.inString || !isBlank(cursor.lineSuffix)) return false;
  const window = context.prefix.length > BRACKET_SCAN_CHARS ? context.prefix.slice(-BRACKET_SCAN_CHARS) : context.prefix;
  return scanBrackets(window, commentSyntax(context.languageId).line).stack.length === 0;
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

const SPECIAL_TOKENS = /<\|(?:endoftext|fim_\w+|file_sep|im_end|im_start|eot_id|end)\|>|<fim_\w+>|<\/s>|<EOT>|<(?:PRE|SUF|MID)>|\[(?:PREFIX|SUFFIX|MIDDLE)\]/;

/** Model control tokens sometimes leak into the text; nothing after one is meant for the file. */
function cutAtSpecialTokens(text: string): string {
  const match = SPECIAL_TOKENS.exec(text);
  return match ? text.slice(0, match.index) : text;
}

/**
 * Keeps the code inside the first fenced block when all that precedes the
 * fence is chatter; keeps the code before a fence that follows code. A fence
 * still waiting for its line break (`partial`) yields '' until it arrives.
 * Both of CommonMark's fences count: backticks, and `~~~` (which chat models
 * use to wrap an answer holding backtick fences). As in CommonMark, only a
 * run of the opening fence's character at least as long closes it, so a
 * ``` inside a `~~~` block (or a longer backtick fence) is code.
 */
function extractFromFences(text: string, partial: boolean): string | undefined {
  const opening = findOpeningFence(text);
  if (opening === undefined) return text;
  const before = text.slice(0, opening.index);
  if (!isOnlyChatter(before)) return before;
  const lineEnd = text.indexOf('\n', opening.index);
  if (lineEnd === -1) return partial ? '' : undefined;
  const body = text.slice(lineEnd + 1);
  const close = findClosingFence(body, opening.marker);
  return close === -1 ? body : body.slice(0, close).replace(/\n$/, '');
}

/** A CommonMark fence line: up to three spaces, then ``` or ~~~ (or longer), then the rest of the line. */
const FENCE_LINE = /^[ \t]{0,3}(`{3,}|~{3,})(.*)$/;

/**
 * True when the finished lines of `prefix` (the text before the cursor, its
 * own line left out) leave a fenced code block open, as CommonMark reads one:
 * closed only by a run of the opening character at least as long, with
 * nothing after it; a backtick fence's info string holds no backtick.
 */
function insideFencedBlock(prefix: string): boolean {
  let open: string | undefined;
  const lines = prefix.split('\n');
  lines.pop();
  for (const line of lines) {
    const fence = FENCE_LINE.exec(line);
    if (!fence) continue;
    const marker = fence[1] as string;
    const rest = fence[2] as string;
    if (open === undefined) {
      if (!(marker.startsWith('`') && rest.includes('`'))) open = marker;
    } else if (marker.charAt(0) === open.charAt(0) && marker.length >= open.length && rest.trim() === '') {
      open = undefined;
    }
  }
  return open !== undefined;
}

/**
 * Backticks open a fence wherever they stand (models put ``` after code on the
 * same line). Tildes only on a line of their own with at most a language
 * after them: `~~~x` at the start of a line could be JavaScript (`~` is
 * bitwise not), which a language name rarely follows on the same line.
 */
const TILDE_FENCE = /^[ \t]{0,3}(~{3,})[ \t]*[\w+#.-]*[ \t]*$/m;

function findOpeningFence(text: string): { index: number; marker: string } | undefined {
  const backticks = text.indexOf('```');
  const tilde = TILDE_FENCE.exec(text);
  const tildeIndex = tilde ? tilde.index + tilde[0].indexOf('~') : -1;
  if (tilde && (backticks === -1 || tildeIndex < backticks)) return { index: tildeIndex, marker: tilde[1] as string };
  if (backticks === -1) return undefined;
  let end = backticks + 3;
  while (text.charAt(end) === '`') end++;
  return { index: backticks, marker: text.slice(backticks, end) };
}

/** Where the line that closes a fence opened with `marker` starts in `body`, or -1. */
function findClosingFence(body: string, marker: string): number {
  const fenceChar = marker.charAt(0);
  for (let start = 0; start < body.length; ) {
    const lineEnd = body.indexOf('\n', start);
    const line = body.slice(start, lineEnd === -1 ? body.length : lineEnd);
    let run = 0;
    while (line.charAt(run) === fenceChar) run++;
    if (run >= marker.length) return start;
    if (lineEnd === -1) break;
    start = lineEnd + 1;
  }
  return -1;
}

const CHATTER_START =
  /^(?:sure|certainly|okay|ok|of course|absolutely|great|here(?:'s| is| are)|below|the (?:completed?|missing|code|completion|following|rest)|completion|output|answer|to (?:complete|fill)|i(?:'ll| will| would| have|'ve)|this (?:completes|code|will)|you can)\b/i;
const CODE_CHARACTERS = /[=;{}[\]]/;

/** A sentence introducing the answer: starts like one and has none of the characters code needs. */
function isChatterLine(line: string): boolean {
  const trimmed = line.trim();
  if (!CHATTER_START.test(trimmed)) return false;
  return !CODE_CHARACTERS.test(trimmed.replace(/`[^`]*`/g, ''));
}

function isOnlyChatter(text: string): boolean {
  return text.split('\n').every((line) => isBlank(line) || isChatterLine(line));
}

const EXPLANATION_START = /^(?:this|these|the above|explanation|note|in this|here,|it |i |we |that )/i;
const CODE_LINE_START = /^\s*(?:"""|'''|#|\/\/|\/\*|\*|--|<)/;

/** A line of prose, as chat models write after their code: unindented, none of the characters code needs. */
function isProseLine(line: string): boolean {
  return !/^\s/.test(line) && !CODE_LINE_START.test(line) && !CODE_CHARACTERS.test(line.replace(/`[^`]*`/g, ''));
}

/**
 * Removes a leading "Here is the code:" line (with the blank lines after it)
 * and, in a finished chat answer, a closing paragraph of explanation: after a
 * blank line, prose to the end that starts like an explanation.
 */
function dropChatter(text: string, partial: boolean, fim: boolean): string {
  const firstBreak = text.indexOf('\n');
  if (firstBreak === -1 ? !partial && isChatterLine(text) : isChatterLine(text.slice(0, firstBreak))) {
    text = firstBreak === -1 ? '' : text.slice(firstBreak + 1).replace(/^(?:[ \t]*\n)+/, '');
  }
  if (partial || fim) return text;
  const blankLine = /\n[ \t]*\n/g;
  for (let match = blankLine.exec(text); match; match = blankLine.exec(text)) {
    const rest = text.slice(match.index + match[0].length).replace(/^(?:[ \t]*\n)+/, '');
    const lines = rest.split('\n');
    if (EXPLANATION_START.test(lines[0] ?? '') && lines.every((line) => isBlank(line) || isProseLine(line))) {
      return text.slice(0, match.index);
    }
  }
  return text;
}

const REFUSAL = /^(?:i'm sorry|i am sorry|sorry,|i cannot|i can't|as an ai)\b/i;

function looksLikeRefusal(text: string): boolean {
  return REFUSAL.test(text.trimStart());
}

/**
 * Removes what the model repeated from before the cursor: up to three previous
 * lines plus the cursor's line, or the cursor's line alone, or (chat models
 * only) the end of the cursor's line. A FIM model that starts with the line's
 * first characters is probably continuing, not repeating, so for FIM short
 * lines and bare indentation are left alone.
 */
function stripEcho(text: string, cursor: CursorContext, context: PostprocessContext): string {
  const fim = context.fim === true;
  const { linePrefix, previousLines } = cursor;
  for (let count = Math.min(3, previousLines.length); count >= 1; count--) {
    const block = [...previousLines.slice(previousLines.length - count), linePrefix].join('\n');
    if (isBlank(block.replaceAll('\n', ''))) continue;
    if (text.startsWith(block)) return text.slice(block.length);
    const unindented = block.trimStart();
    if (unindented.includes('\n') && text.startsWith(unindented)) return text.slice(unindented.length);
  }
  const content = linePrefix.trimStart();
  if (content === '') {
    return !fim && linePrefix && text.startsWith(linePrefix) ? text.slice(linePrefix.length) : text;
  }
  if (fim && content.length < 3) return text;
  if (text.startsWith(linePrefix)) return text.slice(linePrefix.length);
  if (fim) return text.startsWith(content) ? text.slice(content.length) : text;
  // A line holding one name (`co`) is judged as a name at the end of a line is, which may keep `coa` whole.
  if (text.startsWith(content) && !isDottedName(content)) return text.slice(content.length);
  return stripTailEcho(text, linePrefix) ?? stripNameEcho(text, linePrefix, context);
}

/** How far back on the cursor's line a restated tail is looked for. */
const TAIL_ECHO_CHARS = 200;

/**
 * A chat model asked to go on from `const total = ` often restates the end of
 * the line first (`total = items.reduce(…)`), which inserted as it is reads
 * `const total = total = …`. The longest end of the line the answer starts
 * with goes when it is clearly a repeat, not code that happens to begin the
 * same way:
 * - it starts where a name starts (never at `=`, `(` or in a word's middle),
 *   and that name has two characters or more (`i = ` could be meant again);
 * - it goes on past the name, with more than commas (`string, ` before
 *   `string, number]` is as likely a second element as a repeat), and its
 *   brackets close (`Math.max(` before `Math.max(a, b), c)` is a nested call).
 * An end of the line that is a name alone is left to `stripNameEcho`.
 * Undefined when nothing is found.
 */
function stripTailEcho(text: string, linePrefix: string): string | undefined {
  const from = Math.max(0, linePrefix.length - TAIL_ECHO_CHARS);
  for (let start = from; start < linePrefix.length; start++) {
    const code = linePrefix.charCodeAt(start);
    if (!isNameCharacter(code) || isDigit(code)) continue;
    if (start > 0 && isNameCharacter(linePrefix.charCodeAt(start - 1))) continue;
    let nameEnd = start;
    while (nameEnd < linePrefix.length && isNameCharacter(linePrefix.charCodeAt(nameEnd))) nameEnd++;
    if (nameEnd === linePrefix.length) break;
    const tail = linePrefix.slice(start);
    if (!text.startsWith(tail)) continue;
    const beyondName = linePrefix.slice(nameEnd);
    if (nameEnd - start < 2 || (beyondName.includes(',') && /^[\s,]*$/.test(beyondName)) || !bracketsBalanced(tail)) continue;
    return text.slice(tail.length);
  }
  return undefined;
}

/**
 * With the cursor right after a name (`const total = it`), a chat model often
 * answers with the whole name (`items.length`) rather than its rest: inserted
 * as it is, that reads `ititems.length`. When the answer starts with the name
 * before the cursor (with the member accesses before it: `items.le`), the
 * repeat goes, so an answer that is the name and no more (`items` after
 * `items`) leaves nothing to show, and `items;` leaves `;`. A name written
 * twice with nothing between is rarely meant, but can be: after `co`, `coa`
 * may be the rest of `cocoa`, after `re`, `render()` the rest of `rerender()`;
 * so when the name kept whole is a word the file already has, and the
 * shorter one is not, the answer stays as it is. A FIM model continues
 * exactly at the cursor, so its answer never comes here.
 */
function stripNameEcho(text: string, linePrefix: string, document: { prefix: string; suffix: string }): string {
  // Read backwards by hand: a regex anchored at the end would try every start in a long minified line.
  let start = linePrefix.length;
  while (start > 0 && isNameOrDot(linePrefix.charCodeAt(start - 1))) start--;
  while (start < linePrefix.length && linePrefix.charCodeAt(start) === DOT) start++;
  const name = linePrefix.slice(start);
  // `this.re` answered with `render()`: the repeat is of the last member only.
  const member = name.slice(name.lastIndexOf('.') + 1);
  const repeated = name && text.startsWith(name) ? name : member && text.startsWith(member) ? member : '';
  if (!repeated) return text;
  return keepsNameWhole(text, linePrefix, document) ? text : text.slice(repeated.length);
}

/**
 * True when the name that ends `linePrefix` followed by the name that starts
 * `text` (`co` + `coa`) is a word of the document, and the one `text` starts
 * with (`coa`) is not: then the answer completes a longer name rather than
 * repeating the one typed. Read only when an answer repeats a name, so the
 * search through the document is rare.
 */
function keepsNameWhole(text: string, linePrefix: string, document: { prefix: string; suffix: string }): boolean {
  let typedStart = linePrefix.length;
  while (typedStart > 0 && isNameCharacter(linePrefix.charCodeAt(typedStart - 1))) typedStart--;
  let answeredEnd = 0;
  while (answeredEnd < text.length && isNameCharacter(text.charCodeAt(answeredEnd))) answeredEnd++;
  // After `items.` the answer starts a new member: nothing is joined. A name longer than any written by hand is
  // not looked for, so an answer cannot make the search through the document long.
  if (typedStart === linePrefix.length || answeredEnd === 0 || answeredEnd > MAX_NAME_LOOKUP_CHARS) return false;
  const answered = text.slice(0, answeredEnd);
  const joined = linePrefix.slice(typedStart) + answered;
  // The name the cursor is in is left out: it is a word of the document only as typed so far.
  const before = document.prefix.slice(0, document.prefix.length - (linePrefix.length - typedStart));
  let afterStart = 0;
  while (afterStart < document.suffix.length && isNameCharacter(document.suffix.charCodeAt(afterStart))) afterStart++;
  const after = document.suffix.slice(afterStart);
  const known = (word: string) => hasWord(before, word) || hasWord(after, word);
  return known(joined) && !known(answered);
}

const MAX_NAME_LOOKUP_CHARS = 100;

/** True when `word` stands in `text` with no name character against either end. */
function hasWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const end = at + word.length;
    if ((at === 0 || !isNameCharacter(text.charCodeAt(at - 1))) && (end === text.length || !isNameCharacter(text.charCodeAt(end)))) return true;
  }
  return false;
}

function isDottedName(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isNameOrDot(text.charCodeAt(i))) return false;
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const DOT = 46;

/** Letters, digits, `_` and `$`; any character past ASCII counts, as letters of other scripts do. */
function isNameCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127;
}

function isNameOrDot(code: number): boolean {
  return code === DOT || isNameCharacter(code);
}

function firstLine(text: string): string {
  const lineEnd = text.indexOf('\n');
  return lineEnd === -1 ? text : text.slice(0, lineEnd);
}

/**
 * Keeps a multi-line answer inside the cursor's block. Stops at the first line
 * that: repeats the first line after the cursor (the model ran into existing
 * code), is indented less than the cursor's line (it belongs to an enclosing
 * block), or follows the close of the block opened on the cursor's line (the
 * closing line itself is kept, unless the text after the cursor closes it).
 * Where `:` opens blocks, a clause that goes on the statement whose body the
 * answer starts (`else:` after `if x:`) is no such line: it and its body stay.
 */
function cutAtBlockEnd(text: string, cursor: CursorContext, languageId: string): string {
  const lines = text.split('\n');
  if (cursor.inString?.verbatim) return cutInVerbatimString(lines, cursor);
  const first = lines[0] ?? '';
  const fillsBody = opensBlockAtCursor(cursor.linePrefix + first, cursor, languageId) && !isBlank(cursor.linePrefix + first);
  // The block of a header written over several lines is at the indentation of its first line.
  const base = indentWidth(fillsBody ? statementStart(cursor.linePrefix + first, cursor) : cursor.linePrefix);
  const restOfLine = cursor.lineSuffix.trim();
  const nextCode = cursor.nextLines.find((line) => !isBlank(line));
  const header = fillsBody ? cursor.linePrefix + first : headerAbove(cursor, languageId);
  const headerIndent = header === undefined ? base : indentWidth(header);
  let clauseTaken = false;

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isBlank(line)) continue;
    if (restOfLine && line.trim() === restOfLine) {
      // The text after the cursor closes this block: end with the line break and indentation it needs.
      return [...lines.slice(0, i), leadingWhitespace(line)].join('\n');
    }
    if (!restOfLine && nextCode !== undefined && line.trimEnd() === nextCode.trimEnd()) return lines.slice(0, i).join('\n');
    const indent = indentWidth(line);
    if (header !== undefined && indent === headerIndent && continuesStatement(header, line, languageId)) {
      clauseTaken = true;
      continue;
    }
    // A clause's body below a header above the cursor stands deeper than that header, not than the cursor.
    if (indent < base && !(clauseTaken && indent > headerIndent)) return lines.slice(0, i).join('\n');
    if (indent === base && fillsBody) {
      return closesBlock(line) ? lines.slice(0, i + 1).join('\n') : lines.slice(0, i).join('\n');
    }
  }
  return text;
}

/**
 * The block header the cursor's empty line is the first of the body of (the
 * line above, less indented, opens a block), or undefined.
 */
function headerAbove(cursor: CursorContext, languageId: string): string | undefined {
  if (!isBlank(cursor.linePrefix) || !isBlank(cursor.lineSuffix)) return undefined;
  const above = cursor.previousLines.findLast((line) => !isBlank(line));
  if (above === undefined || indentWidth(above) >= indentWidth(cursor.linePrefix)) return undefined;
  return opensBlockAtCursor(above, cursor, languageId) ? above : undefined;
}

/**
 * `cutAtBlockEnd` inside a template literal or a Go raw string, whose
 * indentation is its text (SQL's `FROM` at column 0 below `  SELECT id,`), not
 * a block's: no line is cut for its indentation. The answer stops before a
 * repeat of what follows the cursor, and after the line that closes the
 * string (a backtick without a backslash before it); what comes after that
 * line is code whose block this cut cannot read from inside the string.
 */
function cutInVerbatimString(lines: string[], cursor: CursorContext): string {
  const restOfLine = cursor.lineSuffix.trim();
  const nextCode = cursor.nextLines.find((line) => !isBlank(line));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (i > 0 && !isBlank(line)) {
      if (restOfLine && line.trim() === restOfLine) return [...lines.slice(0, i), leadingWhitespace(line)].join('\n');
      if (!restOfLine && nextCode !== undefined && line.trimEnd() === nextCode.trimEnd()) return lines.slice(0, i).join('\n');
    }
    if (/(?:^|[^\\])`/.test(line)) return lines.slice(0, i + 1).join('\n');
  }
  return lines.join('\n');
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/**
 * Cuts the answer where it closes something the text after the cursor
 * already closes: the string the cursor is in, when the rest of the line
 * starts with its quote; or a bracket (opened before the cursor, or not opened
 * at all) that the suffix closes next. A closer on the cursor's line always
 * counts; one on a later line only when the answer's closer starts a line at
 * the same indentation (otherwise it closes a different block). Brackets in
 * strings and line comments do not count; strings end at line ends.
 */
function cutDuplicateClosers(text: string, context: PostprocessContext, cursor: CursorContext): string {
  const nextChar = firstNonBlankChar(context.suffix);
  const nextOnLine = cursor.lineSuffix.trimStart().charAt(0);
  const lineComment = commentSyntax(context.languageId).line;
  const window = context.prefix.length > BRACKET_SCAN_CHARS ? context.prefix.slice(-BRACKET_SCAN_CHARS) : context.prefix;
  const atCursor = scanBrackets(window, lineComment);
  const closesString = atCursor.quote !== '' && nextOnLine === atCursor.quote;
  if (!closesString && (nextChar === undefined || !CLOSERS.has(nextChar))) return text;
  const closerIndent = nextOnLine ? undefined : indentWidth(cursor.nextLines.find((line) => !isBlank(line)) ?? '');

  const stack = atCursor.stack.map((closer) => ({ closer, fromPrefix: true }));
  const scanner = new CodeScanner(text, lineComment, true, atCursor.quote);
  let quoteFromPrefix = atCursor.quote !== '';
  let lineIndent = indentWidth(cursor.linePrefix);
  let onlyBlanksSoFar = isBlank(cursor.linePrefix);
  for (let c = scanner.next(); c !== ''; c = scanner.next()) {
    if (c === '\n') {
      quoteFromPrefix = false;
      lineIndent = 0;
      onlyBlanksSoFar = true;
      continue;
    }
    if (onlyBlanksSoFar && (c === ' ' || c === '\t')) {
      lineIndent += c === '\t' ? 4 : 1;
      continue;
    }
    const startsLine = onlyBlanksSoFar;
    onlyBlanksSoFar = false;
    if (c === '"' || c === "'" || c === '`') {
      // A quote that leaves the scanner outside a string closed one.
      if (scanner.quote === '') {
        if (quoteFromPrefix && closesString) return text.slice(0, scanner.index);
        quoteFromPrefix = false;
      }
      continue;
    }
    const closer = OPENERS[c];
    if (closer) {
      stack.push({ closer, fromPrefix: false });
      continue;
    }
    if (!CLOSERS.has(c)) continue;
    const top = stack[stack.length - 1];
    const duplicate = c === nextChar && (closerIndent === undefined || (startsLine && lineIndent === closerIndent));
    if (top?.closer === c && !top.fromPrefix) stack.pop();
    else if (duplicate) return text.slice(0, scanner.index);
    else if (top?.closer === c) stack.pop();
  }
  return text;
}

/** Brackets still open at the end of `text` (as the closers they need) and the quote still open on its last line. */
function scanBrackets(text: string, lineComment: string | undefined): { stack: string[]; quote: string } {
  const stack: string[] = [];
  const scanner = new CodeScanner(text, lineComment, false);
  for (let c = scanner.next(); c !== ''; c = scanner.next()) {
    const closer = OPENERS[c];
    if (closer) stack.push(closer);
    else if (CLOSERS.has(c) && stack[stack.length - 1] === c) stack.pop();
  }
  return { stack, quote: scanner.quote };
}

/** Openers and closers: what the prefix scan stops at. */
const BRACKETS = new Set(['(', ')', '[', ']', '{', '}']);

/**
 * Reads code the way both bracket passes need it: strings (which end at a
 * line end; a backslash escapes the next character) and line comments are
 * skipped, except the quotes that open and close a string. `next()` returns
 * line breaks, those quotes and brackets, and with `everyChar` every other
 * character outside strings and comments too. The prefix scan, which reads up
 * to BRACKET_SCAN_CHARS on every completion, asks for brackets only, so the
 * loop here passes over the rest without a call per character.
 */
class CodeScanner {
  /** The quote of the string open after the last character returned; '' outside strings. */
  quote: string;
  /** Where the last character returned stands in the text. */
  index = -1;

  constructor(
    private readonly text: string,
    private readonly lineComment: string | undefined,
    private readonly everyChar: boolean,
    quote = '',
  ) {
    this.quote = quote;
  }

  /** The next character of interest (see the class), or '' at the end. */
  next(): string {
    const { text, lineComment, everyChar } = this;
    const commentStart = lineComment?.charAt(0);
    let quote = this.quote;
    let i = this.index + 1;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\n') {
        quote = '';
        break;
      }
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) {
          quote = '';
          break;
        }
        continue;
      }
      if (c === '"' || c === "'" || c === '`') {
        quote = c;
        break;
      }
      if (c === commentStart && text.startsWith(lineComment!, i)) {
        const lineEnd = text.indexOf('\n', i);
        i = (lineEnd === -1 ? text.length : lineEnd) - 1;
        continue;
      }
      if (everyChar || BRACKETS.has(c)) break;
    }
    this.quote = quote;
    this.index = i;
    return i < text.length ? (text[i] as string) : '';
  }
}

function firstNonBlankChar(text: string): string | undefined {
  const limit = Math.min(text.length, 1_000);
  for (let i = 0; i < limit; i++) {
    const c = text[i] as string;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return c;
  }
  return undefined;
}

/**
 * When the answer ends with the rest of the cursor's line (`;` after
 * `x = 1`, `"` closing a string), the line already has it. Only when what
 * remains keeps its own brackets balanced, so `foo(x)` before `x;` is not
 * mangled into `foo(`.
 */
function trimRestOfLineOverlap(text: string, lineSuffix: string): string {
  const rest = lineSuffix.trim();
  if (!rest || text.includes('\n')) return text;
  const answer = text.trimEnd();
  for (let length = rest.length; length >= 1; length--) {
    const overlap = rest.slice(0, length);
    if (!answer.endsWith(overlap)) continue;
    const kept = answer.slice(0, answer.length - length);
    if (!kept.trim() || !bracketsBalanced(kept)) continue;
    return kept;
  }
  return text;
}

function bracketsBalanced(text: string): boolean {
  const stack: string[] = [];
  for (const c of text) {
    const closer = OPENERS[c];
    if (closer) stack.push(closer);
    else if (CLOSERS.has(c) && stack.pop() !== c) return false;
  }
  return stack.length === 0;
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
