/**
 * Where each key of a --config file is, by line, so a problem found in its values can be reported as
 * `file:line: key: …` (as compilers do, and editors turn into a link). The text has already parsed as JSON.
 */
export function keyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let at = 0;
  let line = 1;
  // Strings hold no raw line break in valid JSON: only the space between tokens counts lines.
  const space = () => {
    while (at < text.length && /\s/.test(text[at]!)) {
      if (text[at] === '\n') line++;
      at++;
    }
  };
  const string = (): string => {
    const start = at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  // Keys as the settings name them: `routes.chat` (nested or dotted alike), `routes.chat[1]`.
  const value = (path: string): void => {
    space();
    const open = text[at];
    if (open === '{' || open === '[') {
      at++;
      space();
      const close = open === '{' ? '}' : ']';
      for (let index = 0; text[at] !== close; index++) {
        let member = `${path}[${index}]`;
        if (open === '{') {
          space();
          const keyLine = line;
          const key = string();
          member = path ? `${path}.${key}` : key;
          if (!lines.has(member)) lines.set(member, keyLine);
          space();
          at++; // the colon
        } else if (!lines.has(member)) {
          space();
          lines.set(member, line);
        }
        value(member);
        space();
        if (text[at] === ',') at++;
        space();
      }
      at++;
      return;
    }
    if (open === '"') string();
    else while (at < text.length && !/[\s,\]}]/.test(text[at]!)) at++;
  };
  value('');
  return lines;
}

/**
 * The line of `key` as a config problem names it (`routes.chat[1]`, `prices["openai:gpt-x"]`), or of the
 * nearest key that holds it; undefined when none is in the file (a default, a key never written).
 */
export function lineOfKey(lines: Map<string, number>, key: string): number | undefined {
  let path = key.replace(/\["((?:[^"\\]|\\.)*)"\]/g, '.$1');
  for (;;) {
    const line = lines.get(path);
    if (line !== undefined) return line;
    const shorter = path.replace(/(\[\d+\]|\.[^.[]*)$/, '');
    if (shorter === path || shorter === '') return undefined;
    path = shorter;
  }
}
