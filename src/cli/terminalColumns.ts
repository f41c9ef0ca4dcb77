/**
 * How many terminal columns `text` takes, for lining up a table: a character is one column, an East Asian wide or
 * fullwidth one (CJK ideographs, kana, Hangul, fullwidth forms) and an emoji shown as a picture are two, a mark that
 * combines with the character before it (an accent, a variation selector) and a format character none. Counted by
 * grapheme, as a terminal draws them, so an emoji sequence (👩‍💻) is one picture of two columns, not four; and by
 * code point, not UTF-16 unit (String.length counts a character outside the Basic Multilingual Plane as two).
 * Ambiguous-width characters (Greek, Cyrillic, box drawing) are one column, as terminals outside East Asian
 * locales draw them.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Unicode's East Asian Wide and Fullwidth blocks (EastAsianWidth.txt), the ones a model id or task name could use. */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x231a, 0x231b], // watch, hourglass
  [0x2329, 0x232a], // angle brackets
  [0x2e80, 0x303e], // CJK radicals, Kangxi radicals, ideographic description, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed CJK, CJK compatibility
  [0x3400, 0x4dbf], // CJK unified ideographs extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x18cff], // ideographic symbols, Tangut
  [0x1b000, 0x1b2ff], // kana supplement and extended, Nushu
  [0x1f200, 0x1f2ff], // enclosed ideographic supplement
  [0x20000, 0x3fffd], // CJK unified ideographs extensions B and later, compatibility supplement
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI_PICTURE = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

function isWide(codePoint: number): boolean {
  return WIDE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** Columns one grapheme takes: its first code point decides, marks and joiners after it take none. */
function graphemeColumns(grapheme: string): number {
  const first = String.fromCodePoint(grapheme.codePointAt(0)!);
  if (ZERO_WIDTH.test(first)) return 0;
  if (EMOJI_PICTURE.test(grapheme) || isWide(first.codePointAt(0)!)) return 2;
  return 1;
}

export function terminalColumns(text: string): number {
  // Most cells are plain ASCII: counted without segmenting.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let columns = 0;
  for (const { segment } of segmenter.segment(text)) columns += graphemeColumns(segment);
  return columns;
}

/** `text` followed (`end`) or preceded (`start`) by spaces up to `width` columns. */
export function padColumns(text: string, width: number, side: 'start' | 'end'): string {
  const spaces = ' '.repeat(Math.max(0, width - terminalColumns(text)));
  return side === 'end' ? text + spaces : spaces + text;
}
