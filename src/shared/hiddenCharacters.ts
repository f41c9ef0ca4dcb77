/**
 * Characters that change how text reads without being seen (Trojan Source, CVE-2021-42574): bidirectional
 * controls reorder what is shown while the compiler reads the stored order, and zero-width or tag characters
 * hide text inside text. A model's answer is untrusted (a prompt injection in a file it read can steer it), so
 * every surface that shows or applies an answer's code looks for them here. Browser-safe: the chat webview
 * imports it too.
 */

/** Bidi embeddings, overrides and isolates, the Arabic letter mark and the left-to-right / right-to-left marks. */
const BIDI = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
/**
 * Zero-width and invisible characters: soft hyphen, grapheme joiner, Hangul fillers, Mongolian vowel separator,
 * zero-width space / non-joiner / joiner, line and paragraph separators, word joiner and invisible operators,
 * deprecated format characters, byte-order mark, interlinear annotation marks, tag characters and the
 * variation selectors supplement (both can carry a whole hidden message).
 */
const INVISIBLE =
  '\\u00AD\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180E\\u200B-\\u200D\\u2028\\u2029\\u2060-\\u2064\\u206A-\\u206F' +
  '\\u3164\\uFEFF\\uFFA0\\uFFF9-\\uFFFB\\u{E0000}-\\u{E007F}\\u{E0100}-\\u{E01EF}';

/**
 * Emoji are built from two of those: a zero-width joiner between pictographs (👩‍💻), and tag characters after a
 * black flag (the flags of England, Scotland, Wales). Those sequences are what the user sees, so they are kept.
 */
const EMOJI_SEQUENCE = '\\p{Extended_Pictographic}[\\u{1F3FB}-\\u{1F3FF}\\uFE0F]?(?:\\u200D\\p{Extended_Pictographic}[\\u{1F3FB}-\\u{1F3FF}\\uFE0F]?)+|\\u{1F3F4}[\\u{E0020}-\\u{E007E}]+\\u{E007F}';

/**
 * Control characters but tab and line ends: C0 (ESC, backspace, NUL, form feed…), DEL and C1 (CSI). A page draws
 * them as nothing, and taken into a file they wait for a terminal to obey them when it is printed (`cat`, a build
 * log): an ESC sequence sets the clipboard (OSC 52) or rewrites what was shown. A model writes `\x1b` in a string,
 * never the raw character.
 */
const CONTROL = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';

// The classes list single code points on purpose, joiners and a combining character among them.
// eslint-disable-next-line no-misleading-character-class
const ANY_HIDDEN = new RegExp(`[${BIDI}${INVISIBLE}${CONTROL}]`, 'u');
/** Group 1: an emoji sequence to keep whole; group 2: a hidden character. */
// eslint-disable-next-line no-misleading-character-class
const SCAN = new RegExp(`(${EMOJI_SEQUENCE})|([${BIDI}${INVISIBLE}${CONTROL}])`, 'gu');

const NAMES: Record<number, string> = {
  0x0008: 'BACKSPACE',
  0x001b: 'ESCAPE',
  0x007f: 'DELETE',
  0x009b: 'CONTROL SEQUENCE INTRODUCER',
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

export interface HiddenCharacter {
  /** Offset in the text (UTF-16 units). */
  index: number;
  char: string;
  /** "U+202E", as editors show it. */
  codePoint: string;
  /** "U+202E RIGHT-TO-LEFT OVERRIDE", or the code point alone for the rarer ones. */
  label: string;
}

/** Cheap check for the common case (no such character), for hot paths such as ghost text. */
export function hasHiddenCharacters(text: string): boolean {
  return ANY_HIDDEN.test(text) && findHiddenCharacters(text).length > 0;
}

/** Every hidden character of `text`, in order, except the joiners and tags inside an emoji. */
export function findHiddenCharacters(text: string): HiddenCharacter[] {
  if (!ANY_HIDDEN.test(text)) return [];
  const found: HiddenCharacter[] = [];
  for (const match of text.matchAll(SCAN)) {
    const char = match[2];
    if (char === undefined) continue;
    const value = char.codePointAt(0) ?? 0;
    const codePoint = `U+${value.toString(16).toUpperCase().padStart(4, '0')}`;
    const name = NAMES[value];
    found.push({ index: match.index, char, codePoint, label: name ? `${codePoint} ${name}` : codePoint });
  }
  return found;
}

/** `text` without its hidden characters (emoji sequences kept). */
export function withoutHiddenCharacters(text: string): string {
  if (!ANY_HIDDEN.test(text)) return text;
  return text.replace(SCAN, (whole: string, emoji: string | undefined) => emoji ?? '');
}

/** `text` with each hidden character replaced by `shown(it)` (emoji sequences kept): a terminal has no span to box one in. */
export function replaceHiddenCharacters(text: string, shown: (hidden: HiddenCharacter) => string): string {
  if (!ANY_HIDDEN.test(text)) return text;
  let at = 0;
  let result = '';
  for (const hidden of findHiddenCharacters(text)) {
    result += text.slice(at, hidden.index) + shown(hidden);
    at = hidden.index + hidden.char.length;
  }
  return result + text.slice(at);
}

/**
 * `text` with each hidden character written as its code point, `<U+202E>`: for where no span can box one in (a
 * tooltip) and for the model, which should read a file's name as the user is shown it, not reordered.
 */
export function withCodePointsShown(text: string): string {
  return replaceHiddenCharacters(text, (hidden) => `<${hidden.codePoint}>`);
}

/**
 * The end of `text` that could still grow into an emoji sequence with what comes next (a pictograph, a joiner
 * after one, a black flag and its tags): a stream split inside one would otherwise show its joiner as hidden.
 */
// eslint-disable-next-line no-misleading-character-class
const OPEN_EMOJI_END = /(?:\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?(?:\u200D(?:\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)?)*|\u{1F3F4}[\u{E0020}-\u{E007E}]*)$/u;

/** Where the part of `text` that may be an unfinished emoji sequence starts (text.length when none). */
export function openEmojiStart(text: string): number {
  return OPEN_EMOJI_END.exec(text)?.index ?? text.length;
}

/** "U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE": each kind once, in order of first appearance. */
export function describeHiddenCharacters(found: HiddenCharacter[]): string {
  return [...new Set(found.map((hidden) => hidden.label))].join(', ');
}
