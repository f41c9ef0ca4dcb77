// Help text laid out for a terminal: prose and usage lines wrapped at HELP_WIDTH columns, so `--help` reads in an
// 80-column window without the terminal breaking words (a line of 270 characters did).

/** The widest line `--help` prints. */
export const HELP_WIDTH = 80;

/**
 * Each line of `text` wrapped at word boundaries to `width`; a line that starts with white space is preformatted
 * (an example to copy, such as JSON) and kept as it is. A word longer than the width stays whole on its own line.
 */
export function wrapProse(text: string, width = HELP_WIDTH): string {
  return text
    .split('\n')
    .map((line) => (/^\s/.test(line) ? line : fill(line.split(' ').filter(Boolean), width, '', '').join('\n')))
    .join('\n');
}

/**
 * A usage form ("switchboard costs [--since YYYY-MM-DD] … [--ledger FILE]") indented by two, wrapped to `width`
 * with its continuation lines indented further, never inside a bracketed option: "[--csv | --json]" stays whole.
 */
export function wrapForm(form: string, width = HELP_WIDTH): string {
  const words: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of form) {
    if (char === ' ' && depth === 0) {
      if (current) words.push(current);
      current = '';
      continue;
    }
    if (char === '[') depth++;
    if (char === ']') depth = Math.max(0, depth - 1);
    current += char;
  }
  if (current) words.push(current);
  return fill(words, width, '  ', '      ').join('\n');
}

/** Greedy fill: as many words on each line as fit in `width`, the first line after `first`, the others after `rest`. */
function fill(words: readonly string[], width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}
