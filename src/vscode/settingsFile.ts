/**
 * Parses a VS Code settings file: JSON with comments and trailing commas.
 * Returns undefined for a file that is not even that; VS Code's own parser
 * is more forgiving, but what it makes of such a file is ignored anyway (this
 * only finds what to warn about).
 */
export function parseSettingsFile(text: string): unknown {
  let json = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const end = stringEnd(text, index);
      json += text.slice(index, end);
      index = end;
    } else if (isCommentStart(text, index)) {
      index = commentEnd(text, index);
    } else {
      // A trailing comma: the next thing that is not space or a comment closes the object or list.
      const next = char === ',' ? text[significantAfter(text, index + 1)] : undefined;
      if (next !== '}' && next !== ']') json += char;
      index++;
    }
  }
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

function isCommentStart(text: string, index: number): boolean {
  return text[index] === '/' && (text[index + 1] === '/' || text[index + 1] === '*');
}

function commentEnd(text: string, index: number): number {
  if (text[index + 1] === '/') {
    const newline = text.indexOf('\n', index);
    return newline === -1 ? text.length : newline;
  }
  const close = text.indexOf('*/', index + 2);
  return close === -1 ? text.length : close + 2;
}

/** The index of the first character from `index` on that is neither white space nor inside a comment. */
function significantAfter(text: string, index: number): number {
  while (index < text.length) {
    if (isCommentStart(text, index)) index = commentEnd(text, index);
    else if (/\s/.test(text[index]!)) index++;
    else break;
  }
  return index;
}

/** The index just past the string literal that starts at `start` (an unterminated one runs to the end). */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') index += 2;
    else if (char === '"') return index + 1;
    else index++;
  }
  return text.length;
}
