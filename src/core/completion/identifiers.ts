/*
 * How context snippets read code: the identifiers of a line or a window, the words the collector compares between
 * the code at the cursor and code elsewhere (see SnippetCollector).
 */

/** Words every file shares; counting them would make unrelated code look alike. */
const COMMON_WORDS = new Set([
  'const', 'let', 'var', 'function', 'return', 'if', 'else', 'for', 'while', 'do', 'in', 'of', 'new', 'this',
  'self', 'def', 'class', 'import', 'from', 'export', 'default', 'true', 'false', 'null', 'undefined', 'None',
  'True', 'False', 'public', 'private', 'protected', 'static', 'void', 'int', 'string', 'number', 'boolean',
  'async', 'await', 'try', 'catch', 'finally', 'throw', 'type', 'interface', 'extends', 'implements', 'and',
  'or', 'not', 'is', 'as', 'the', 'to', 'a', 'an', 'fn', 'pub', 'mut', 'use', 'package', 'func', 'end', 'then',
]);

/**
 * The identifiers of `text` (`[A-Za-z_$][A-Za-z0-9_$]*`) of two characters or more, common words left out, in order.
 * Read by character codes: `matchAll` would allocate a match array for every identifier, on every request and
 * every keystroke's edit, and the garbage collector's pauses are what the slowest requests wait on.
 */
export function identifiersOf(text: string): string[] {
  const found: string[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    if (!startsIdentifier(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < length && continuesIdentifier(text.charCodeAt(end))) end++;
    if (end - i > 1) {
      const word = text.slice(i, end);
      if (!COMMON_WORDS.has(word)) found.push(word);
    }
    i = end;
  }
  return found;
}

/** `[A-Za-z_$]` */
function startsIdentifier(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
}

/** `[A-Za-z0-9_$]` */
function continuesIdentifier(code: number): boolean {
  return startsIdentifier(code) || (code >= 48 && code <= 57);
}

/** The distinct identifiers of `text`, as identifiersOf reads them, in order of first appearance. */
export function identifierSet(text: string): Set<string> {
  return new Set(identifiersOf(text));
}
