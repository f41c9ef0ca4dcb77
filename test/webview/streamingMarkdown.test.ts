/**
 * The streamed answer must end up as the same DOM as rendering its whole text
 * at once, however the text was cut into chunks and frames: the incremental
 * path (frozen blocks, the open block redrawn, code streamed by appending) is
 * an optimisation, never a different rendering. Runs the real modules in
 * headless Chromium (they need a DOM).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { generateChatAnswer } from '../../bench/chatAnswer';
import { launchTestChromium } from './chatHarness';

const REPO = join(import.meta.dirname, '..', '..');

/** Exposes the two renderers to the page. */
const ENTRY = `
import { renderMarkdown } from './src/webview/chat/markdown';
import { StreamingMarkdown } from './src/webview/chat/streamingMarkdown';
Object.assign(window, { renderMarkdown, StreamingMarkdown });
`;

interface Renderers {
  renderMarkdown(source: string): DocumentFragment;
  StreamingMarkdown: new () => { element: HTMLElement; append(text: string): void; render(): boolean; finish(): void };
}

interface Comparison {
  whole: string;
  wholeText: string;
  streamed: string;
  /** What the streamed DOM looked like before the page was idle (closed long code blocks not yet re-highlighted). */
  streamedText: string;
}

const LONG_CODE = [
  // Past the first 1,000 characters, which are highlighted whole while they stream.
  ...Array.from({ length: 20 }, (_, i) => `export const limit${i} = ${i * 10};`),
  '/*',
  ' * A comment that spans more lines than one highlighted slice,',
  ' * so highlighting slice by slice colours its tail as code.',
  ...Array.from({ length: 12 }, (_, i) => ` * line ${i} of the comment: const x = "not code";`),
  ' */',
  ...Array.from({ length: 40 }, (_, i) => `export function step${i}(value: number): number {\n  return value + ${i}; // step ${i}\n}`),
].join('\n');

const CASES: Record<string, string> = {
  'paragraphs, links, emphasis and inline code': [
    'See [the docs](https://example.com/docs/a_b?x=1&y=2) and `flush()` before **the lock** is _released_.',
    '',
    'A second paragraph with a [link that breaks](https://example.com/a) across chunks, and ~~struck~~ text.',
    'It continues on a second line.',
    '',
    'Autolinked https://example.com/plain and an image ![chart](https://example.com/c.png).',
  ].join('\n'),
  'code fences of every kind': [
    'Intro:',
    '```ts',
    'const answer: number = 42;',
    '',
    'function twice(n: number) {',
    '  return n * 2;',
    '}',
    '```',
    'Between.',
    '',
    '~~~python',
    'def f(x):',
    '    return "```"  # a fence inside the code',
    '~~~',
    '',
    '````md',
    '```js',
    'inner',
    '```',
    '````',
    '',
    '```nosuchlanguage',
    'plain <text> & more',
    '```',
    '',
    '```',
    'no language at all',
    '```',
    '',
    '```sh',
    'ends with an empty line',
    '',
    '```',
    '',
    '```',
    '```',
    'After the code.',
  ].join('\n'),
  'a long code block streamed in slices': `Here:\n\n\`\`\`ts\n${LONG_CODE}\n\`\`\`\n\nThat is all.\n`,
  'lists, tight and loose': [
    '- one with `code`',
    '- two with a [link](https://example.com/two)',
    '  - nested item',
    '  - another',
    '- three',
    '',
    'Then steps:',
    '',
    '1. First step',
    '2. Second step',
    '   continues indented',
    '3. Third',
    '',
    '- [x] done',
    '- [ ] to do',
    '',
    'A loose list:',
    '',
    '* first',
    '',
    '* second, same bullet: the same list',
    '+ a new bullet: a new list',
    '',
    '4) ordered with a parenthesis',
    '',
    '5) still the same list',
    '',
    'Closing words.',
  ].join('\n'),
  'headings, quotes, tables and rules': [
    '# Title',
    'Text right under it.',
    '## Next section',
    '> **Note:** quoted',
    '> on two lines',
    '',
    '| Setting | Typical | Needed |',
    '|:--|--:|:--|',
    '| `ttlMs` | 300 ms | yes |',
    '| `maxRetries` | 3 | only on retry |',
    '',
    '---',
    '',
    'The end.',
  ].join('\n'),
  'hostile markup shown as text': [
    '<img src=x onerror="alert(1)">',
    '',
    'Inline <script>alert(2)</script> and [bad](javascript:alert(3)).',
    '',
    '<div onclick="x()">block html</div>',
  ].join('\n'),
  "the benchmark's answer": generateChatAnswer(7, 4_000),
};

/** Chunk sizes, and how many chunks arrive between two frames. */
const SCHEDULES = [
  { chunk: 1, perFrame: 1 },
  { chunk: 3, perFrame: 1 },
  { chunk: 4, perFrame: 10 },
  { chunk: 7, perFrame: 3 },
  { chunk: 64, perFrame: 1 },
  { chunk: 1_000_000, perFrame: 1 },
];

describe('streaming markdown renders what a whole render does', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: REPO, loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'error',
    });
    browser = await launchTestChromium();
    page = await browser.newPage();
    // tsx compiles with keepNames: functions serialised into the page call __name (see chatHarness.ts).
    await page.setContent('<!doctype html><html><head><script>var __name = (fn) => fn;</script></head><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' });
  });

  after(async () => {
    await browser?.close();
  });

  async function compare(text: string, chunk: number, perFrame: number): Promise<Comparison> {
    return page.evaluate(
      async ({ text, chunk, perFrame }) => {
        const { renderMarkdown, StreamingMarkdown } = window as unknown as Renderers;
        // Left out of the comparison: the wrappers the streaming path adds for itself (a box-less part,
        // a slice of streamed code), and the line breaks marked writes between blocks, which show nothing.
        const normalized = (root: HTMLElement): string => {
          const copy = root.cloneNode(true) as HTMLElement;
          for (const wrapper of Array.from(copy.querySelectorAll('.md-part, .code-slice'))) wrapper.replaceWith(...Array.from(wrapper.childNodes));
          copy.normalize();
          for (const node of Array.from(copy.childNodes)) {
            if (node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() === '') node.remove();
          }
          return copy.innerHTML;
        };
        const whole = document.createElement('div');
        whole.append(renderMarkdown(text));

        const streaming = new StreamingMarkdown();
        document.body.append(streaming.element);
        let pieces = 0;
        for (let offset = 0; offset < text.length; offset += chunk) {
          streaming.append(text.slice(offset, offset + chunk));
          if (++pieces % perFrame === 0) streaming.render();
        }
        streaming.finish();
        const textOf = (html: string): string => {
          const element = document.createElement('div');
          element.innerHTML = html;
          return element.textContent ?? '';
        };
        const streamedText = textOf(normalized(streaming.element));
        await new Promise((resolve) => requestIdleCallback(resolve));
        const streamed = normalized(streaming.element);
        streaming.element.remove();
        return { whole: normalized(whole), wholeText: textOf(normalized(whole)), streamed, streamedText };
      },
      { text, chunk, perFrame },
    );
  }

  for (const [name, text] of Object.entries(CASES)) {
    it(name, async () => {
      for (const { chunk, perFrame } of SCHEDULES) {
        const result = await compare(text, chunk, perFrame);
        const schedule = `chunks of ${chunk}, ${perFrame} a frame`;
        assert.ok(result.whole.length > 0, 'the whole render is not empty');
        assert.equal(result.streamed, result.whole, schedule);
        assert.equal(result.streamedText, result.wholeText, `${schedule}: the text was there before the page was idle`);
      }
    });
  }

  it('highlights a long closed code block whole only once the answer has ended, when the page is idle', async () => {
    const text = `Here:\n\n\`\`\`ts\n${LONG_CODE}\n\`\`\`\n\nStill streaming after the block`;
    const slices = await page.evaluate(async (text) => {
      const { StreamingMarkdown } = window as unknown as Renderers;
      const streaming = new StreamingMarkdown();
      document.body.append(streaming.element);
      const count = () => streaming.element.querySelectorAll('.code-slice').length;
      for (let offset = 0; offset < text.length; offset += 64) {
        streaming.append(text.slice(offset, offset + 64));
        streaming.render();
      }
      // The block has closed and the answer goes on: idle periods between its frames stay free.
      await new Promise((resolve) => requestIdleCallback(resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => requestIdleCallback(resolve));
      const whileStreaming = count();
      streaming.finish();
      const atFinish = count();
      await new Promise((resolve) => requestIdleCallback(resolve));
      const afterIdle = count();
      streaming.element.remove();
      return { whileStreaming, atFinish, afterIdle };
    }, text);
    assert.ok(slices.whileStreaming > 1, `shown in slices while the answer streams (${slices.whileStreaming})`);
    assert.equal(slices.atFinish, slices.whileStreaming, 'not highlighted in the same task as the end of the answer');
    assert.equal(slices.afterIdle, 0, 'highlighted whole once the page is idle');
  });
});
