import { regionMatches } from './textWindow';

/**
 * Remembers where a completion was made without keeping (or later comparing)
 * the whole prefix: its last few hundred characters are enough to recognise
 * "the same place, plus what the user typed since".
 */
export interface PrefixAnchor {
  /** The end of the prefix the completion was made for. */
  readonly tail: string;
  /** True when `tail` is the whole prefix, so a later prefix must start with it. */
  readonly whole: boolean;
  /** Length of that prefix: where typing most likely started, when nothing else moved. */
  readonly length: number;
}

export const ANCHOR_CHARS = 256;

export function makeAnchor(prefix: string, tailChars = ANCHOR_CHARS): PrefixAnchor {
  const whole = prefix.length <= tailChars;
  return { tail: whole ? prefix : prefix.slice(-tailChars), whole, length: prefix.length };
}

/**
 * How many characters were typed since `anchor`, when `prefix` is the anchored
 * prefix followed by them: at most `maxTyped`, and only counts that `accept`
 * approves (so callers can insist the typed text matches a completion).
 *
 * Edits above the cursor change the prefix length, so the length is only a
 * first guess; other counts are then tried, longest first. Each try compares
 * at most `tail.length` characters, so the cost does not grow with the file.
 */
export function typedSinceAnchor(
  anchor: PrefixAnchor,
  prefix: string,
  maxTyped: number,
  accept: (typedLength: number) => boolean,
): number | undefined {
  const fits = (typed: number): boolean =>
    typed >= 0 &&
    typed <= maxTyped &&
    regionMatches(prefix, prefix.length - typed - anchor.tail.length, anchor.tail, 0, anchor.tail.length) &&
    accept(typed);

  if (anchor.whole) {
    const typed = prefix.length - anchor.tail.length;
    return fits(typed) ? typed : undefined;
  }
  const guess = prefix.length - anchor.length;
  if (fits(guess)) return guess;
  for (let typed = Math.min(maxTyped, prefix.length - anchor.tail.length); typed >= 0; typed--) {
    if (typed !== guess && fits(typed)) return typed;
  }
  return undefined;
}
