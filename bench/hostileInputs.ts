/**
 * Large and hostile documents for the own-code A/B (ownCodeAB.ts `--input`), and cursors at their start, middle
 * or end (`--at`). What each stresses on the completion path:
 *
 * - `ts5000`: a 5,000-line TypeScript module (realistic, big).
 * - `minified`: a 1 MB JavaScript file on one line (the editor window, `cursorIn`'s long-line reading, snippets).
 * - `urls`: 5,000 lines of `://` URLs, with user names and query parameters (redactSecrets' URL scan).
 * - `runs`: long runs of `_`, `*`, `-`, a number run such as an SVG path's (`1.5-2.…`),
 *   and `a.b-c+…` (a run of a URL scheme's characters with a word start every other character, a `://` further on), each line 2,000 characters.
 *
 * The same text is also open in another editor of the same language whose version changes before every completion
 * (`--reread`), so the snippet collector re-reads it (and redacts it) each time: the worst case, every completion
 * right after an edit in that other file.
 */
import type { BenchDocument, Position } from './benchDocument';
import type { Case } from './benchCases';
import { generateTypeScript } from './sourceGenerator';
import { seededRandom } from './stats';

export const HOSTILE_INPUTS = ['ts5000', 'minified', 'urls', 'runs'] as const;
export type HostileInput = (typeof HOSTILE_INPUTS)[number];
export const CURSOR_PLACES = ['start', 'middle', 'end'] as const;
export type CursorPlace = (typeof CURSOR_PLACES)[number];

export function hostileText(input: HostileInput, seed: number): { text: string; languageId: string; extension: string } {
  switch (input) {
    case 'ts5000':
      return { text: generateTypeScript(seed, 5000), languageId: 'typescript', extension: 'ts' };
    case 'minified': {
      // Whole modules squeezed onto one line, as a bundler's minified output.
      let text = '';
      for (let part = 0; text.length < 1_000_000; part++) {
        text += generateTypeScript(seed + part, 800)
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line && !line.startsWith('//') && !line.startsWith('*') && !line.startsWith('/*'))
          .join('');
      }
      return { text: text.slice(0, 1_000_000), languageId: 'javascript', extension: 'js' };
    }
    case 'urls': {
      const random = seededRandom(seed);
      const lines: string[] = ['export const endpoints = ['];
      for (let i = 0; i < 5000; i++) {
        const host = `svc${Math.floor(random() * 500)}.example.com`;
        switch (i % 4) {
          case 0:
            lines.push(`  'https://${host}/v1/orders/${i}?page=${i % 7}&limit=50&sort=createdAt',`);
            break;
          case 1:
            lines.push(`  'postgres://app:pw${i}@${host}:5432/orders_${i}',`);
            break;
          case 2:
            lines.push(`  fetch(\`https://${host}/items/\${id}?api_key=\${key}&q=${i}\`),`);
            break;
          default:
            lines.push(`  // see http://${host}/docs/${i}#section-${i % 9} and git+ssh://git@${host}/repo.git`);
        }
      }
      lines.push('];');
      return { text: lines.join('\n'), languageId: 'typescript', extension: 'ts' };
    }
    case 'runs': {
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++) {
        switch (i % 5) {
          case 0:
            lines.push(`/${'*'.repeat(1998)}/`);
            break;
          case 1:
            lines.push(`const ${'_'.repeat(1980)} = 1;`);
            break;
          case 2:
            lines.push(`const d = 'M${'1.5-2.'.repeat(330)}';`);
            break;
          case 3:
            lines.push(`// ${'a.b-c+'.repeat(330)} then https://example.com/x?key=1`);
            break;
          default:
            lines.push(`const rule = '${'-'.repeat(1980)}';`);
        }
      }
      return { text: lines.join('\n'), languageId: 'typescript', extension: 'ts' };
    }
  }
}

/**
 * `count` completions near one place of the document: at its start (the first lines), middle or end (the last
 * lines), each at the end of a line's first half (or, on one line, at offsets spread over 2,000 characters).
 * The document itself is left as it is; the model answers a short fixed piece of code.
 */
export function casesAt(document: BenchDocument, place: CursorPlace, count: number): Case[] {
  const cases: Case[] = [];
  const spread = Math.min(count, document.lineCount);
  for (let i = 0; i < count; i++) {
    let position: Position;
    if (document.lineCount === 1) {
      const length = document.lineAt(0).length;
      const base = place === 'start' ? 0 : place === 'middle' ? Math.floor(length / 2) : Math.max(0, length - 2000);
      position = { line: 0, character: Math.min(length, base + Math.floor((i * 2000) / count)) };
    } else {
      const first = place === 'start' ? 0 : place === 'middle' ? Math.floor(document.lineCount / 2) : document.lineCount - spread;
      const line = first + (i % spread);
      position = { line, character: Math.floor(document.lineAt(line).length / 2) };
    }
    cases.push({ document, position, answer: 'value + 1);' });
  }
  return cases;
}
