/**
 * What a model wraps around the code it was asked for: control tokens,
 * Markdown fences, a sentence introducing the answer or a paragraph
 * explaining it, a refusal. Read from the answer alone, without the cursor.
 */
import { isBlank } from './textWindow';

const SPECIAL_TOKENS = /<\|(?:endoftext|fim_\w+|file_sep|im_end|im_start|eot_id|end)\|>|<fim_\w+>|<\/s>|<EOT>|<(?:PRE|SUF|MID)>|\[(?:PREFIX|SUFFIX|MIDDLE)\]/;

/** Model control tokens sometimes leak into the text; nothing after one is meant for the file. */
export function cutAtSpecialTokens(text: string): string {
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
export function extractFromFences(text: string, partial: boolean): string | undefined {
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

/** The fenced code block left open by a prefix: its fence, its info string and where its body starts in the prefix. */
export interface OpenFence {
  /** The run of backticks or tildes that opened it; a run of the same character at least as long closes it. */
  marker: string;
  /** What follows the fence on its line, trimmed: the block's language first (```python), or ''. */
  info: string;
  /** Where the line after the fence's starts in the prefix. */
  bodyStart: number;
}

/**
 * The fenced code block the finished lines of `prefix` (the text before the cursor, its own line left out) leave
 * open, as CommonMark reads one: closed only by a run of the opening character at least as long, with nothing after
 * it; a backtick fence's info string holds no backtick. Undefined when none is open.
 */
export function openFence(prefix: string): OpenFence | undefined {
  let open: OpenFence | undefined;
  let start = 0;
  for (let end = prefix.indexOf('\n'); end !== -1; end = prefix.indexOf('\n', start)) {
    const fence = FENCE_LINE.exec(prefix.slice(start, end));
    start = end + 1;
    if (!fence) continue;
    const marker = fence[1] as string;
    const rest = fence[2] as string;
    if (open === undefined) {
      if (!(marker.startsWith('`') && rest.includes('`'))) open = { marker, info: rest.trim(), bodyStart: start };
    } else if (marker.charAt(0) === open.marker.charAt(0) && marker.length >= open.marker.length && rest.trim() === '') {
      open = undefined;
    }
  }
  return open;
}

/** True when the finished lines of `prefix` leave a fenced code block open (see `openFence`). */
export function insideFencedBlock(prefix: string): boolean {
  return openFence(prefix) !== undefined;
}

/**
 * Where the line that closes a block opened with `marker` starts in `suffix` (the text after the cursor), the
 * cursor's own line left out; the suffix's length when no line closes it.
 */
export function closingFenceIn(suffix: string, marker: string): number {
  for (let start = suffix.indexOf('\n') + 1; start > 0; ) {
    const end = suffix.indexOf('\n', start);
    const fence = FENCE_LINE.exec(suffix.slice(start, end === -1 ? suffix.length : end));
    const run = fence?.[1];
    if (run && run.charAt(0) === marker.charAt(0) && run.length >= marker.length && fence[2]!.trim() === '') return start;
    start = end + 1;
  }
  return suffix.length;
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
export function dropChatter(text: string, partial: boolean, fim: boolean): string {
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

export function looksLikeRefusal(text: string): boolean {
  return REFUSAL.test(text.trimStart());
}
