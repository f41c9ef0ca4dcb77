/** "1 request", "3 requests": a count and its noun, for messages people read. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The most characters of a user's value a message quotes. */
const QUOTED_CHARS = 60;

/**
 * A value as a message quotes it: as JSON (a string in quotes), cut to QUOTED_CHARS with an
 * ellipsis. A pasted 10,000-character value would otherwise fill the
 * settings warning and hide what is wrong with it.
 */
export function quoted(value: unknown): string {
  const clip = (text: string) => (text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text);
  // A string in quotes; anything else as JSON writes it (42, not "42", which would look like a string).
  return typeof value === 'string' ? JSON.stringify(clip(value)) : clip(JSON.stringify(value) ?? String(value));
}
