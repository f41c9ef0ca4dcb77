/**
 * A --config file as VS Code reads settings.json: JSON with `//` and `/* *\/` comments and trailing commas, so a
 * user can copy their settings (comments and all) into a file for the CLI. Written here rather than taken from a
 * package: its errors name the line and column (V8's JSON.parse names neither for most mistakes, and quotes the
 * whole text), and it returns the text with comments and trailing commas blanked out, positions kept, for
 * configLines.ts to find each key's line.
 */

/** A mistake in the text, at a 1-based line and column. */
export class JsoncError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

export interface ParsedJsonc {
  value: unknown;
  /** The text as plain JSON: every comment and trailing comma replaced by spaces, line breaks kept. */
  plain: string;
  /**
   * Keys written twice in one object (`budget` at the top and again further down), by their dotted path: JSON lets
   * the later replace the earlier without a word, so half of what the user wrote would silently do nothing.
   */
  duplicates: DuplicateKey[];
}

export interface DuplicateKey {
  /** Dotted from the top: `budget`, `providers.openai.baseUrl`. */
  key: string;
  line: number;
  column: number;
  firstLine: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonc(text: string): ParsedJsonc {
  const plain = text.split('');
  let at = 0;

  const duplicates: DuplicateKey[] = [];
  const position = (where: number) => {
    const before = text.slice(0, where);
    return { line: before.split('\n').length, column: where - (before.lastIndexOf('\n') + 1) + 1 };
  };
  const fail = (reason: string, where = at): never => {
    const { line, column } = position(where);
    throw new JsoncError(reason, line, column);
  };
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (plain[i] !== '\n' && plain[i] !== '\r') plain[i] = ' ';
  };
  /** Skips white space and comments, blanking the comments. */
  const space = () => {
    for (;;) {
      while (at < text.length && /\s/.test(text[at]!)) at++;
      if (text.startsWith('//', at)) {
        const end = text.indexOf('\n', at);
        const stop = end === -1 ? text.length : end;
        blank(at, stop);
        at = stop;
      } else if (text.startsWith('/*', at)) {
        const end = text.indexOf('*/', at + 2);
        if (end === -1) fail('a /* comment is never closed with */');
        blank(at, end + 2);
        at = end + 2;
      } else return;
    }
  };
  const describe = () => (at >= text.length ? 'the end of the file' : text[at] === '"' ? 'a string' : `"${text[at]}"`);

  const string = (): string => {
    const start = at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\n' || text[at] === '\r') fail('a string runs to the end of the line (a closing " is missing)', start);
      at += text[at] === '\\' ? 2 : 1;
    }
    if (at >= text.length) fail('a string is never closed (a closing " is missing)', start);
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return fail('a string holds an invalid escape or control character', start);
    }
  };

  /** `path`: the dotted key holding the value, for naming a duplicate key inside it. */
  const value = (path = ''): unknown => {
    space();
    const char = text[at];
    if (char === '{') return object(path);
    if (char === '[') return array(path);
    if (char === '"') return string();
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number) {
      at += number[0].length;
      return Number(number[0]);
    }
    return fail(`expected a value, found ${describe()}${char === "'" ? ' (strings take double quotes)' : ''}`);
  };

  /** The members of an object or array up to `close`, a trailing comma allowed (and blanked). */
  const members = (close: '}' | ']', member: () => void, after: string) => {
    at++;
    space();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      member();
      space();
      if (text[at] === ',') {
        const comma = at++;
        space();
        if (text[at] === close) {
          blank(comma, comma + 1);
          at++;
          return;
        }
        continue;
      }
      if (text[at] === close) {
        at++;
        return;
      }
      // The commonest slip: a line added after the last one, without a comma before it.
      const hint = text[at] === '"' || text[at] === '{' || text[at] === '[' ? ' (a comma missing before it?)' : '';
      fail(`expected "," or "${close}" after ${after}, found ${describe()}${hint}`);
    }
  };

  const object = (path: string) => {
    // Defined, not assigned: a key "__proto__" is an own property, as JSON.parse makes it, never the prototype.
    const result: Record<string, unknown> = {};
    const keyStarts = new Map<string, number>();
    members(
      '}',
      () => {
        if (text[at] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        const start = at;
        const key = string();
        const member = path ? `${path}.${key}` : key;
        const first = keyStarts.get(key);
        if (first === undefined) keyStarts.set(key, start);
        else duplicates.push({ key: member, ...position(start), firstLine: position(first).line });
        space();
        if (text[at] !== ':') fail(`expected ":" after the property name "${key}", found ${describe()}`);
        at++;
        Object.defineProperty(result, key, { value: value(member), enumerable: true, writable: true, configurable: true });
      },
      'a property',
    );
    return result;
  };

  const array = (path: string) => {
    const result: unknown[] = [];
    members(']', () => result.push(value(`${path}[${result.length}]`)), 'an array item');
    return result;
  };

  const parsed = value();
  space();
  if (at < text.length) fail(`unexpected ${describe()} after the end of the settings object`);
  return { value: parsed, plain: plain.join(''), duplicates };
}
