/**
 * Character classes the request scanner reads by code unit, without regular expressions.
 */

export function isLatinLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x17f && c !== 0xd7 && c !== 0xf7);
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 160;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 ||
    (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0x2000) ||
    isUnspacedScript(c) ||
    (c >= 0xac00 && c <= 0xd7a3) // Hangul syllables (Korean is written with spaces)
  );
}

export function isKatakana(c: number): boolean {
  return c >= 0x30a0 && c <= 0x30ff;
}

/** Hiragana, katakana and CJK ideographs: scripts written without spaces between words. */
export function isUnspacedScript(c: number): boolean {
  return (c >= 0x3041 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

/** 1 for an ideograph, 2 for hiragana, 3 for katakana: where the script changes, a Japanese word usually does. */
export function unspacedKind(c: number): number {
  if (c >= 0x3041 && c <= 0x309f) return 2;
  if (c >= 0x30a0 && c <= 0x30ff) return 3;
  return 1;
}

export const KATAKANA_KIND = 3;

export function isWordStart(c: number): boolean {
  return isWordChar(c);
}

/** What can stand right before an exponent's caret: a letter, a digit, or a closing bracket. */
export function isExponentBase(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 41 || c === 93 || c === 125;
}

export function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
