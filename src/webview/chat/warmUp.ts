/**
 * The first markdown render and the first highlight in each language cost
 * far more than any later one: the parser's and the sanitiser's code and
 * regular expressions are compiled on first use, and highlight.js compiles a
 * grammar the first time it highlights in it. Measured in headless Chromium:
 * the first render of one word 42–103 ms (marked's first parse most of it),
 * the first TypeScript line 40–103 ms, against 1–3 ms for the next; four times
 * slowed, 160–560 ms. Paid in the first frame of the first answer (and of its
 * first code block), that was the panel's longest task in the streaming
 * benchmark. So the panel pays it in idle periods once it has loaded, one
 * step an idle callback (idleWork.ts), before any answer needs it. The
 * results are thrown away: only what was compiled is kept.
 */
import { bundledLanguages } from './highlight';
import { runWhenIdle, type IdleJob } from './idleWork';
import { highlightedCodePiece, renderMarkdown } from './markdown';

/** Most answers' code is in these; they go first. The other bundled grammars follow. */
const LIKELY_LANGUAGES = ['typescript', 'javascript', 'python', 'bash', 'json'];

/** A bit of every kind of markdown an answer streams, so each part of the parser and renderer has run once. */
const SAMPLE_MARKDOWN = [
  '## Heading',
  '',
  'A paragraph with **bold**, *emphasis*, `code` and [a link](https://example.com).',
  '',
  '- an item',
  '- another',
  '',
  '1. first',
  '2. second',
  '',
  '> a quote',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
].join('\n');

/** Code with a comment, a string, a number and a keyword: most of a grammar's modes run on it. */
const SAMPLE_CODE = "const value = 'text'; // a comment\nfunction f(x) { return x + 1; }\n";

/** The steps, in order: a first render of one paragraph (most of the cost), the rest of markdown, then each grammar. */
export function warmUpSteps(languages: readonly string[] = bundledLanguages()): Array<() => void> {
  const ordered = [...LIKELY_LANGUAGES.filter((language) => languages.includes(language)), ...languages.filter((language) => !LIKELY_LANGUAGES.includes(language))];
  return [
    () => renderMarkdown('Warming up.'),
    () => renderMarkdown(SAMPLE_MARKDOWN),
    ...ordered.map((language) => () => highlightedCodePiece(SAMPLE_CODE, language)),
  ];
}

class WarmUp implements IdleJob {
  constructor(
    readonly element: Element,
    private readonly steps: Array<() => void>,
  ) {}

  step(): 'more' | 'done' {
    this.steps.shift()?.();
    return this.steps.length > 0 ? 'more' : 'done';
  }
}

/** Queues the warm-up; `element`: the panel's, so a page torn down drops what is left of it. */
export function warmUpRenderingWhenIdle(element: Element): void {
  runWhenIdle(new WarmUp(element, warmUpSteps()));
}
