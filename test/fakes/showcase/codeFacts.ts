/**
 * What the showcase answers draw from the user's own code: the names of its
 * functions and types, the fields of each type, and function signatures. A
 * few regular expressions per language family, enough for small files like
 * the sample workspace's; anything they do not recognise is simply not used.
 */

export type LanguageFamily = 'ts' | 'py' | 'other';

export interface Field {
  name: string;
  type: string;
}

export interface Param {
  name: string;
  type: string;
}

export interface Signature {
  name: string;
  params: Param[];
  /** The declared return type, trimmed; '' when none is written. */
  returns: string;
}

const TS_LANGUAGES = new Set(['typescript', 'javascript', 'typescriptreact', 'javascriptreact']);
const EXTENSIONS: Record<string, LanguageFamily> = { ts: 'ts', tsx: 'ts', js: 'ts', jsx: 'ts', mjs: 'ts', cjs: 'ts', mts: 'ts', cts: 'ts', py: 'py' };

export function familyOf(languageIdOrPath: string): LanguageFamily {
  if (TS_LANGUAGES.has(languageIdOrPath)) return 'ts';
  if (languageIdOrPath === 'python') return 'py';
  const extension = /\.(\w+)$/.exec(languageIdOrPath)?.[1]?.toLowerCase();
  return (extension && EXTENSIONS[extension]) || 'other';
}

/** The language id a Markdown fence would use for a file of this family. */
export function fenceLanguage(family: LanguageFamily, languageId: string): string {
  if (family === 'ts' && !TS_LANGUAGES.has(languageId)) return 'typescript';
  if (family === 'py') return 'python';
  return languageId || 'text';
}

/** Types declared in `code` (TS interfaces and classes, Python dataclasses) with their fields. */
export function typesIn(code: string, family: LanguageFamily): Map<string, Field[]> {
  const types = new Map<string, Field[]>();
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header =
      family === 'ts'
        ? /^\s*(?:export\s+)?(?:interface|class)\s+(\w+)[^{]*\{\s*$/.exec(line)
        : family === 'py'
          ? /^\s*class\s+(\w+)\s*(?:\([^)]*\))?\s*:\s*$/.exec(line)
          : null;
    if (!header) continue;
    const fields = family === 'ts' ? tsFields(lines, i + 1) : pyFields(lines, i + 1);
    if (fields.length > 0 || !types.has(header[1]!)) types.set(header[1]!, fields);
  }
  return types;
}

/** Names worth mentioning in an answer: types first, then functions and methods, each once. */
export function namesIn(code: string, family: LanguageFamily): { types: string[]; functions: string[] } {
  const types = new Set<string>();
  const functions = new Set<string>();
  for (const line of code.split('\n')) {
    if (family === 'py') {
      const type = /^\s*class\s+(\w+)/.exec(line)?.[1];
      const fn = /^\s*(?:async\s+)?def\s+(\w+)/.exec(line)?.[1];
      if (type) types.add(type);
      if (fn && !fn.startsWith('__')) functions.add(fn);
      continue;
    }
    const type = /^\s*(?:export\s+)?(?:interface|class|type|enum)\s+(\w+)/.exec(line)?.[1];
    if (type) types.add(type);
    const signature = signatureOf(line, family);
    if (signature && signature.name !== 'constructor') functions.add(signature.name);
  }
  return { types: [...types], functions: [...functions] };
}

const CONTROL_WORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'function', 'else', 'do', 'try']);

/** The signature a line opens (ending in `{` for TS, `:` for Python), if it opens one. */
export function signatureOf(line: string, family: LanguageFamily): Signature | undefined {
  if (family === 'py') {
    const match = /^\s*(?:async\s+)?def\s+(\w+)\s*\((.*)\)\s*(?:->\s*(.+?))?\s*:\s*$/.exec(line);
    if (!match) return undefined;
    return { name: match[1]!, params: params(match[2]!, ':').filter((p) => p.name !== 'self' && p.name !== 'cls'), returns: (match[3] ?? '').trim() };
  }
  if (family !== 'ts') return undefined;
  const method =
    /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*)?(?:(?:public|private|protected|static|readonly|override|abstract)\s+)*(\w+)\s*(?:<[^>]*>)?\s*\((.*)\)\s*(?::\s*(.+?))?\s*\{\s*$/.exec(line);
  const arrow = /^\s*(?:export\s+)?(?:const|let)\s+(\w+)\s*=\s*(?:async\s*)?\((.*)\)\s*(?::\s*(.+?))?\s*=>\s*\{\s*$/.exec(line);
  const match = method ?? arrow;
  if (!match || CONTROL_WORDS.has(match[1]!)) return undefined;
  return { name: match[1]!, params: params(match[2]!, ':'), returns: (match[3] ?? '').trim() };
}

/** `a: number, b: string = 'x'` → params; a parameter without a type gets ''. */
function params(list: string, separator: string): Param[] {
  return splitTopLevel(list)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const withoutDefault = part.split('=')[0]!.trim();
      const at = withoutDefault.indexOf(separator);
      const name = (at === -1 ? withoutDefault : withoutDefault.slice(0, at)).replace(/[?*]/g, '').trim();
      return { name, type: at === -1 ? '' : withoutDefault.slice(at + 1).trim() };
    });
}

/** Splits on commas outside brackets: `a: Map<K, V>, b` → two parts. */
export function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if ('<([{'.includes(char)) depth++;
    else if ('>)]}'.includes(char)) depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function tsFields(lines: string[], from: number): Field[] {
  const fields: Field[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*\}/.test(line)) break;
    const declared = /^\s*(?:(?:public|private|protected|readonly|static)\s+)*(\w+)\??\s*:\s*([^=;]+?)\s*(?:=.*)?;\s*$/.exec(line);
    const constructed = /^\s*(?:(?:public|private|protected|readonly|static)\s+)*(\w+)\s*=\s*new\s+(\w+\s*<.+>)\s*\(\s*\)\s*;\s*$/.exec(line);
    const field = declared ?? constructed;
    if (field) fields.push({ name: field[1]!, type: field[2]!.replace(/\s+</, '<').trim() });
  }
  return fields;
}

function pyFields(lines: string[], from: number): Field[] {
  const fields: Field[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (!/^\s+/.test(line)) break;
    const field = /^\s+(\w+)\s*:\s*([^=]+?)\s*(?:=.*)?$/.exec(line);
    if (field) fields.push({ name: field[1]!, type: field[2]! });
  }
  return fields;
}

/** The element type of a list type (`Item[]`, `readonly Item[]`, `Array<Item>`, `list[Item]`), if it is one. */
export function elementType(type: string): string | undefined {
  const trimmed = type.replace(/^readonly\s+/, '').trim();
  return (
    /^(\w+)\[\]$/.exec(trimmed)?.[1] ??
    /^(?:Readonly)?Array<(\w+)>$/.exec(trimmed)?.[1] ??
    /^(?:list|List|Sequence|Iterable)\[(\w+)\]$/.exec(trimmed)?.[1]
  );
}

/** The value type of a map type (`Map<string, Item>`, `dict[str, Item]`), if it is one. */
export function mapValueType(type: string): string | undefined {
  const match = /^(?:ReadonlyMap|Map|dict|Dict)\s*[<[](.+)[>\]]$/.exec(type.trim());
  if (!match) return undefined;
  return splitTopLevel(match[1]!).at(-1)?.trim();
}

export const isNumberType = (type: string): boolean => /^(?:number|bigint|int|float)$/.test(type.trim());
export const isStringType = (type: string): boolean => /^(?:string|str)$/.test(type.trim());
export const isBooleanType = (type: string): boolean => /^(?:boolean|bool)$/.test(type.trim());

/** `sales` → `sale`, `items` → `item`; anything else → `item`. */
export function singular(name: string): string {
  const bare = name.replace(/^this\./, '');
  if (/ies$/.test(bare) && bare.length > 4) return `${bare.slice(0, -3)}y`;
  if (/[^s]s$/.test(bare) && bare.length > 3) return bare.slice(0, -1);
  return 'item';
}
