/**
 * Showcase ghost text: code that fits the cursor, written from the file's
 * own identifiers, so accepting it leaves the sample workspace compiling.
 *
 *   - In an empty function body (the cursor after its opener, or on a line
 *     inside it), a body built from the signature: its parameters, its return
 *     type, the fields of the types it names and of the enclosing class.
 *   - On a line already started, the rest of that line when the body above
 *     would start with it, else the rest of a longer line of the workspace
 *     (the file, the snippets sent with it) that starts the same way.
 *   - Anywhere else, nothing: a real model may offer something there, but
 *     nothing beats an invented line that does not compile.
 *
 * Once accepted, the body is no longer empty and the line is complete, so the
 * same suggestion is never offered again right after it.
 */
import { FILL_MARKER } from '../../../src/core/completion/completionPrompt';
import { composeBody } from './bodies';
import { familyOf, signatureOf, typesIn, type Field, type LanguageFamily } from './codeFacts';
import { lastUserText, readWireRequest } from './wireRequest';

export interface CompletionSite {
  languageId: string;
  path: string;
  /** Text before the cursor. */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
  /** Code from other files sent with the request. */
  snippets: string[];
}

/** The completion site of a request: the chat form (`{{FILL_HERE}}` in a `<file>`) or native FIM (`prompt` and `suffix`). */
export function completionSiteOf(body: unknown, fim: boolean): CompletionSite | undefined {
  if (fim) {
    const { prompt, suffix } = (body ?? {}) as { prompt?: unknown; suffix?: unknown };
    if (typeof prompt !== 'string') return undefined;
    return {
      languageId: /Language: (\S+)/.exec(prompt)?.[1] ?? '',
      path: /Path: (\S+)/.exec(prompt)?.[1] ?? '',
      prefix: prompt,
      suffix: typeof suffix === 'string' ? suffix : '',
      snippets: [],
    };
  }
  const text = lastUserText(readWireRequest(body));
  const marker = text.indexOf(FILL_MARKER);
  if (marker === -1) return undefined;
  const file = /^File: (\S+) \(([^)]*)\)/.exec(text);
  const open = text.lastIndexOf('">\n', marker);
  const close = text.lastIndexOf('\n</file>');
  if (open === -1 || close < marker) return undefined;
  const snippets = [...text.matchAll(/<snippet path="[^"]*">\n([\s\S]*?)\n<\/snippet>/g)].map((match) => match[1]!);
  return {
    languageId: file?.[2] ?? '',
    path: file?.[1] ?? '',
    prefix: text.slice(open + 3, marker),
    suffix: text.slice(marker + FILL_MARKER.length, close),
    snippets,
  };
}

export function showcaseCompletion(site: CompletionSite): string {
  const family = familyOf(site.languageId) === 'other' ? familyOf(site.path) : familyOf(site.languageId);
  if (family === 'other') return '';
  const before = site.prefix.split('\n');
  const linePrefix = before.pop() ?? '';
  const after = site.suffix.split('\n');
  const lineSuffix = after.shift() ?? '';
  if (lineSuffix.trim() !== '') return '';
  const typed = linePrefix.trim();
  const context = [site.prefix, site.suffix, ...site.snippets].join('\n');

  const body = emptyBodyAt(before, linePrefix, after, family);
  if (body) {
    const types = typesIn(context, family);
    const lines = composeBody(body.signature, { types, classFields: enclosingClassFields(before, body.openerIndent, family) }, family);
    if (lines.length > 0) {
      const unit = indentUnit(context, family);
      const inner = body.openerIndent + unit;
      if (body.atOpener) return `\n${lines.map((line) => inner + line).join('\n')}`;
      if (typed === '') {
        const lead = linePrefix.length < inner.length ? inner.slice(linePrefix.length) : '';
        return lines.map((line, index) => (index === 0 ? lead + line : inner + line)).join('\n');
      }
      if (lines[0]!.startsWith(typed) && lines[0] !== typed) {
        return [lines[0]!.slice(typed.length), ...lines.slice(1).map((line) => inner + line)].join('\n');
      }
    }
  }
  return typed.length >= 3 ? restOfSimilarLine(typed, linePrefix, context) : '';
}

interface EmptyBody {
  signature: NonNullable<ReturnType<typeof signatureOf>>;
  openerIndent: string;
  /** The cursor is at the end of the opener line itself. */
  atOpener: boolean;
}

/** The function whose body is empty where the cursor is, if it is. */
function emptyBodyAt(before: string[], linePrefix: string, after: string[], family: LanguageFamily): EmptyBody | undefined {
  const nextCode = after.find((line) => line.trim() !== '');
  const atOpener = signatureOf(linePrefix, family);
  if (atOpener) {
    const openerIndent = leading(linePrefix);
    return bodyEnds(nextCode, openerIndent, family) ? { signature: atOpener, openerIndent, atOpener: true } : undefined;
  }
  const previous = before.findLast((line) => line.trim() !== '');
  const signature = previous === undefined ? undefined : signatureOf(previous, family);
  if (!signature || previous === undefined) return undefined;
  const openerIndent = leading(previous);
  return bodyEnds(nextCode, openerIndent, family) ? { signature, openerIndent, atOpener: false } : undefined;
}

/** True when the next code after the cursor ends the body just opened, so the body is empty. */
function bodyEnds(nextCode: string | undefined, openerIndent: string, family: LanguageFamily): boolean {
  if (family === 'py') return nextCode === undefined || leading(nextCode).length <= openerIndent.length;
  return nextCode !== undefined && /^\s*\}/.test(nextCode) && leading(nextCode).length <= openerIndent.length;
}

/** Fields of the class around a method opened at `methodIndent`: what `this.` can reach. */
function enclosingClassFields(before: string[], methodIndent: string, family: LanguageFamily): Field[] {
  if (family !== 'ts' || methodIndent === '') return [];
  for (let i = before.length - 1; i >= 0; i--) {
    const line = before[i]!;
    if (line.trim() === '' || leading(line).length >= methodIndent.length) continue;
    if (!/^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+\w+/.test(line)) return [];
    return typesIn(before.slice(i).join('\n'), family).values().next().value ?? [];
  }
  return [];
}

/** The rest of a longer line elsewhere in the file or its snippets that starts with what is typed. */
function restOfSimilarLine(typed: string, linePrefix: string, context: string): string {
  for (const line of context.split('\n').reverse()) {
    const trimmed = line.trim();
    if (trimmed.length > typed.length && trimmed.startsWith(typed) && line !== linePrefix) return trimmed.slice(typed.length);
  }
  return '';
}

/** The file's indentation step: a tab, or the smallest indentation any line has (four spaces for Python by default). */
function indentUnit(code: string, family: LanguageFamily): string {
  let smallest = Infinity;
  for (const line of code.split('\n')) {
    if (line.startsWith('\t')) return '\t';
    const width = leading(line).length;
    if (width > 0 && line.trim() !== '' && !line.trimStart().startsWith('*')) smallest = Math.min(smallest, width);
  }
  return ' '.repeat(Number.isFinite(smallest) ? smallest : family === 'py' ? 4 : 2);
}

function leading(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}
