/**
 * What a model repeats from before the cursor at the start of its answer:
 * lines above and the cursor's line, the end of that line, the name being typed.
 */
import { bracketsBalanced } from './closers';
import { isBlank, type CursorContext } from './textWindow';

/** What `stripEcho` reads of the request: the text around the cursor, and whether the model fills in the middle. */
export interface EchoContext {
  prefix: string;
  suffix: string;
  fim?: boolean;
}

/**
 * Removes what the model repeated from before the cursor: up to three previous
 * lines plus the cursor's line, or the cursor's line alone, or (chat models
 * only) the end of the cursor's line. A FIM model that starts with the line's
 * first characters is probably continuing, not repeating, so for FIM short
 * lines and bare indentation are left alone.
 */
export function stripEcho(text: string, cursor: CursorContext, context: EchoContext): string {
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
