/** "1 request", "3 requests": a count and its noun, for messages people read. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
