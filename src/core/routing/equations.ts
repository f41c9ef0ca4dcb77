/** Reading a line of maths: whether a power is linear or quadratic, and the letters an equation names. */
import { isDigit, isLatinLetter, isWordChar } from './characters';

/** A lower-case letter's bit (a = 1 … z = 1 << 25); 0 for a capital. */
export function letterBit(c: number): number {
  return c >= 97 && c <= 122 ? 1 << (c - 97) : 0;
}

/**
 * Letters that by convention name an integer or a prime: an equation in n, m, k, p or q ("n^2 + 20n is a perfect
 * square", "p^2 - 1 is divisible by 24") is a problem over the integers, not a textbook equation.
 */
export const INTEGER_NAMES = [...'nmkpq'].reduce((bits, letter) => bits | letterBit(letter.charCodeAt(0)), 0);

/**
 * The `^` at `at` raises a letter standing alone or after a coefficient (`x^2`, `5x^2`) or a bracket (`(2x + 3)^2`) to
 * the power 1 or 2: a linear or quadratic term. `3^2024`, `2^n`, `x^3`, `sin^2` and `x^(1/2)` are more.
 */
export function isQuadraticPower(text: string, lineFirst: number, at: number): boolean {
  const exponent = text.charCodeAt(at + 1);
  if ((exponent !== 49 && exponent !== 50) || isWordChar(text.charCodeAt(at + 2)) || text.charCodeAt(at + 2) === 46 && isDigit(text.charCodeAt(at + 3))) return false;
  const base = text.charCodeAt(at - 1);
  if (base === 41) return true;
  if (!isLatinLetter(base)) return false;
  let k = at - 2;
  while (k >= lineFirst && isDigit(text.charCodeAt(k))) k--;
  return k < lineFirst || !isWordChar(text.charCodeAt(k));
}
