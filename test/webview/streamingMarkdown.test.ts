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
import { generateTypeScript } from '../../bench/sourceGenerator';
import { installManualIdle, launchTestChromium, type ManualIdle } from './chatHarness';

const REPO = join(import.meta.dirname, '..', '..');

/**
 * Exposes the two renderers to the page, and how they are compared: left out
 * are the wrappers the streaming path adds for itself (a box-less part, a
 * slice of streamed code), and the line breaks marked writes between blocks,
 * which show nothing.
 */
const ENTRY = `
import { renderMarkdown } from './src/webview/chat/markdown';
import { StreamingMarkdown } from './src/webview/chat/streamingMarkdown';
function normalized(root) {
  const copy = root.cloneNode(true);
  for (const wrapper of Array.from(copy.querySelectorAll('.md-part, .code-slice'))) wrapper.replaceWith(...Array.from(wrapper.childNodes));
  copy.normalize();
  for (const node of Array.from(copy.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() === '') node.remove();
  }
  return copy.innerHTML;
}
Object.assign(window, { renderMarkdown, StreamingMarkdown, normalized });
`;

interface Renderers {
  renderMarkdown(source: string): DocumentFragment;
  StreamingMarkdown: new (initialText?: string) => { element: HTMLElement; append(text: string): void; render(): boolean; finish(): void };
  normalized(root: HTMLElement): string;
}

/** The page's idle callbacks, run by the test (installManualIdle). */
type IdleGlobals = { __idle: ManualIdle };

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

/** About 20,000 characters of TypeScript with doc comments, and a comment of 60 lines across several slices. */
const BIG_CODE = [
  generateTypeScript(7, 280),
  '/*',
  ...Array.from({ length: 60 }, (_, i) => ` * note ${i}: const x = "not code";`),
  ' */',
  generateTypeScript(8, 280),
].join('\n');

const CASES: Record<string, string> = {
  // Models often end on the closing fence: with no line break after it, it must still close the block (Copy and
  // Insert took the ``` as code).
  'an answer that ends on its closing fence, with no line break after it': ['Use this:', '', '```ts', 'const total = items.length;', '```'].join('\n'),
  'an answer that ends on a closing tilde fence, with no line break after it': ['~~~~python', 'print("hi")', '~~~~'].join('\n'),
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
  'a 20,000-character code block, re-highlighted in pieces': `Here:\n\n\`\`\`ts\n${BIG_CODE}\n\`\`\`\n\nThat is all.\n`,
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
    // Idle callbacks are the test's to run: when the page is idle, and for how long, is not left to the machine.
    await page.setContent(
      `<!doctype html><html><head><script>var __name = (fn) => fn;(${installManualIdle.toString()})();</script></head><body></body></html>`,
    );
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' });
  });

  after(async () => {
    await browser?.close();
  });

  async function compare(text: string, chunk: number, perFrame: number): Promise<Comparison> {
    return page.evaluate(
      async ({ text, chunk, perFrame }) => {
        const { renderMarkdown, StreamingMarkdown, normalized } = window as unknown as Renderers;
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
        (window as unknown as IdleGlobals).__idle.drain();
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

  /** What a test sees of one long block streamed in 64-character chunks, a render each, then finished. */
  interface Finished {
    /** Idle callbacks the page asked for while the answer streamed. */
    askedWhileStreaming: number;
  }

  /**
   * Streams `text` (one long code block) into a StreamingMarkdown on the page and finishes it; the page then holds
   * `window.block` with its code element, and every slice on screen at the end is marked `data-streamed`, so what
   * the idle work has replaced can be told apart.
   */
  async function streamLongBlock(text: string): Promise<Finished> {
    return page.evaluate((text) => {
      const { StreamingMarkdown } = window as unknown as Renderers;
      const idle = (window as unknown as IdleGlobals).__idle;
      const streaming = new StreamingMarkdown();
      document.body.replaceChildren(streaming.element);
      let askedWhileStreaming = 0;
      for (let offset = 0; offset < text.length; offset += 64) {
        streaming.append(text.slice(offset, offset + 64));
        streaming.render();
        askedWhileStreaming = Math.max(askedWhileStreaming, idle.pending());
      }
      streaming.finish();
      const code = streaming.element.querySelector('pre code');
      for (const slice of Array.from(code?.querySelectorAll('.code-slice') ?? [])) slice.setAttribute('data-streamed', '');
      Object.assign(window, { block: { streaming, code } });
      return { askedWhileStreaming };
    }, text);
  }

  /** Characters of the block no longer in a streamed slice (re-highlighted), and all of its text. */
  const blockState = () =>
    page.evaluate(() => {
      const { code } = (window as unknown as { block: { code: HTMLElement } }).block;
      const streamed = Array.from(code.querySelectorAll('[data-streamed]')).reduce((sum, slice) => sum + (slice.textContent ?? '').length, 0);
      return { rehighlighted: (code.textContent ?? '').length - streamed, text: code.textContent ?? '', streamedSlices: code.querySelectorAll('[data-streamed]').length };
    });

  const idleRun = (deadline: { remaining: number[]; didTimeout?: boolean }) =>
    page.evaluate((deadline) => (window as unknown as IdleGlobals).__idle.run(deadline), deadline);
  const idlePending = () => page.evaluate(() => (window as unknown as IdleGlobals).__idle.pending());

  it('asks for no idle work while the answer streams, then re-highlights a long block a bounded piece per idle callback', async () => {
    const text = `Here:\n\n\`\`\`ts\n${BIG_CODE}\n\`\`\`\n\nAfter the block.\n`;
    assert.ok(BIG_CODE.length > 19_000, `a block of ${BIG_CODE.length} characters`);
    const { askedWhileStreaming } = await streamLongBlock(text);
    assert.equal(askedWhileStreaming, 0, 'no idle work asked for while the answer streamed');
    const longestSlice = await page.evaluate(() =>
      Math.max(...Array.from((window as unknown as { block: { code: HTMLElement } }).block.code.querySelectorAll('.code-slice')).map((slice) => (slice.textContent ?? '').length)),
    );
    const atFinish = await blockState();
    assert.equal(atFinish.rehighlighted, 0, 'nothing re-highlighted in the task that ended the answer');
    assert.equal(await idlePending(), 1, 'one idle callback asked for');

    const grown: number[] = [];
    for (let last = atFinish.rehighlighted; (await idlePending()) > 0 && grown.length < 1_000; ) {
      // Room for one step: the deadline's first answer is 20 ms, every later one 0.
      await idleRun({ remaining: [20, 0] });
      const now = await blockState();
      assert.equal(now.text, atFinish.text, 'the code on screen is the same text at every step');
      grown.push(now.rehighlighted - last);
      last = now.rehighlighted;
    }
    const done = await blockState();
    assert.equal(done.streamedSlices, 0, 'every streamed slice replaced');
    assert.ok(grown.length >= 3, `split over ${grown.length} idle callbacks`);
    const largest = Math.max(...grown);
    assert.ok(largest <= 8_000 + longestSlice, `at most 8,000 characters and one slice a callback (largest ${largest})`);
    const [streamed, whole] = await page.evaluate((text) => {
      const { renderMarkdown, normalized } = window as unknown as Renderers;
      const whole = document.createElement('div');
      whole.append(renderMarkdown(text));
      const { streaming } = (window as unknown as { block: { streaming: { element: HTMLElement } } }).block;
      return [normalized(streaming.element), normalized(whole)];
    }, text);
    assert.equal(streamed, whole, 'the same DOM as a whole render');
  });

  it('an idle callback without room for a step changes nothing and asks again; one that timed out does one step', async () => {
    await streamLongBlock(`\`\`\`ts\n${BIG_CODE}\n\`\`\`\n`);
    assert.ok(await idleRun({ remaining: [3] }));
    assert.equal((await blockState()).rehighlighted, 0, 'no step with 3 ms left');
    assert.equal(await idlePending(), 1, 'and the next idle period asked for');

    let timedOut = 0;
    while ((await blockState()).rehighlighted === 0 && timedOut < 5) {
      await idleRun({ remaining: [0], didTimeout: true });
      timedOut++;
    }
    const after = await blockState();
    assert.ok(after.rehighlighted > 0 && after.rehighlighted <= 8_000 + 2_000, `one piece after ${timedOut} timed-out callbacks (${after.rehighlighted} characters)`);
    assert.ok(after.streamedSlices > 0, 'the rest still as streamed');
    assert.equal(await idlePending(), 1);
    await page.evaluate(() => (window as unknown as IdleGlobals).__idle.drain());
    assert.equal((await blockState()).streamedSlices, 0);
  });

  it('keeps every step bounded when a comment is longer than a piece may grow (8,000 characters)', async () => {
    const comment = ['/*', ...Array.from({ length: 300 }, (_, i) => ` * line ${i} of a very long comment: const x = "not code";`), ' */'].join('\n');
    const code = [generateTypeScript(3, 60), comment, generateTypeScript(4, 60)].join('\n');
    assert.ok(comment.length > 12_000, `a comment of ${comment.length} characters`);
    await streamLongBlock(`\`\`\`ts\n${code}\n\`\`\`\n`);
    const atFinish = await blockState();
    const longestSlice = await page.evaluate(() =>
      Math.max(...Array.from((window as unknown as { block: { code: HTMLElement } }).block.code.querySelectorAll('.code-slice')).map((slice) => (slice.textContent ?? '').length)),
    );
    const grown: number[] = [];
    for (let last = 0; (await idlePending()) > 0 && grown.length < 1_000; ) {
      await idleRun({ remaining: [20, 0] });
      const now = await blockState();
      assert.equal(now.text, atFinish.text, 'the same text at every step');
      grown.push(now.rehighlighted - last);
      last = now.rehighlighted;
    }
    assert.equal((await blockState()).streamedSlices, 0, 'finished');
    const largest = Math.max(...grown);
    assert.ok(largest <= 8_000 + longestSlice, `at most 8,000 characters and one slice a callback (largest ${largest})`);
  });

  it('drops the idle work of a block that has left the page (the conversation was replaced)', async () => {
    await streamLongBlock(`\`\`\`ts\n${BIG_CODE}\n\`\`\`\n`);
    const before = await blockState();
    await page.evaluate(() => document.body.replaceChildren());
    const ran = await page.evaluate(() => (window as unknown as IdleGlobals).__idle.drain());
    const after = await blockState();
    assert.equal(ran, 1, 'one callback, which found nothing on the page to work on');
    assert.equal(after.rehighlighted, 0, 'the detached block was not touched');
    assert.equal(after.streamedSlices, before.streamedSlices);
    assert.equal(await idlePending(), 0, 'and no more idle periods asked for');
  });

  it('a short code block: lines already shown stay as drawn, only the piece a comment keeps open is redrawn, in whole-render colours', async () => {
    // Line by line, as a short block streams; after each, which of the block's pieces are the ones drawn before.
    const lines = ['const a = 1;\n', '/* a comment\n', 'still open */ const b = `x\n', 'y`;\n', 'let c = a + b;\n'];
    const steps = await page.evaluate((lines) => {
      const { StreamingMarkdown, renderMarkdown } = window as unknown as Renderers;
      const streaming = new StreamingMarkdown();
      document.body.replaceChildren(streaming.element);
      let text = 'Intro.\n\n```ts\n';
      streaming.append(text);
      const seen: Array<{ kept: boolean[]; colours: string; whole: string }> = [];
      for (const line of lines) {
        const before = Array.from(streaming.element.querySelectorAll('pre code > .code-slice'));
        streaming.append(line);
        text += line;
        streaming.render();
        // Each character's colour: the classes of the spans around it, innermost last (slices left out).
        const colours = (root: Element | null | undefined): string[] => {
          const out: string[] = [];
          const walker = document.createTreeWalker(root ?? document.createElement('code'), NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const classes: string[] = [];
            for (let at = node.parentElement; at && at.tagName !== 'CODE'; at = at.parentElement) {
              if (!at.classList.contains('code-slice')) classes.unshift(at.className);
            }
            for (const _ of node.textContent ?? '') out.push(classes.join('>'));
          }
          return out;
        };
        const whole = document.createElement('div');
        whole.append(renderMarkdown(`${text}\`\`\`\n`));
        const streamed = colours(streaming.element.querySelector('pre code'));
        // The whole render's code has no last line break; the streamed one shows it.
        seen.push({ kept: before.map((slice) => slice.isConnected), colours: streamed.slice(0, -1).join(' '), whole: colours(whole.querySelector('pre code')).join(' ') });
      }
      return seen;
    }, lines);
    // Each step's colours are what a whole render of the lines so far gives.
    for (const [i, step] of steps.entries()) assert.equal(step.colours, step.whole, `after line ${i + 1}`);
    // Line 1 closed: kept from then on. Line 2 opened a comment: its piece is redrawn with line 3, which opens
    // a template string, so again with line 4, which closes it; line 5 leaves every earlier piece as drawn.
    assert.deepEqual(
      steps.map((step) => step.kept),
      [[], [true], [true, false], [true, false], [true, true]],
    );
  });

  it('allocates per chunk what the chunk needs, however long the answer so far (bytes counted by V8, not timed)', async () => {
    // One part of an answer, whole in itself: prose, a list, a short and a long code block, all closed.
    const part = [
      '## A part\n\nThe cache keeps `every entry` before the lock is released, which is why it grows.\n',
      '- one point about **the queue**\n- another, with [a link](https://example.com)\n\n',
      '```ts\nconst a = 1;\n/* a comment */\nexport function f(x: number): number {\n  return x * 2;\n}\n```\n\n',
      `\`\`\`ts\n${BIG_CODE.slice(0, 5_000)}\n\`\`\`\n\n`,
      'And a closing paragraph that says what changed and why it matters.\n\n',
    ].join('');
    const cdp = await page.context().newCDPSession(page);
    /** Bytes allocated (kept or collected) while `part` streams into an answer that already has `before` copies of it. */
    const bytesPerChunk = async (before: number): Promise<number> => {
      await page.evaluate(
        ({ part, before }) => {
          const { StreamingMarkdown } = window as unknown as Renderers;
          const streaming = new StreamingMarkdown();
          document.body.replaceChildren(streaming.element);
          for (let i = 0; i < before; i++) {
            for (let at = 0; at < part.length; at += 4_000) streaming.append(part.slice(at, at + 4_000));
            streaming.render();
          }
          Object.assign(window, { measured: streaming });
        },
        { part, before },
      );
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      const chunks = await page.evaluate((part) => {
        const { measured } = window as unknown as { measured: { append(text: string): void; render(): boolean } };
        let count = 0;
        // Four characters a chunk (a token), a render every eight: 500 tokens/s at 60 frames/s.
        for (let at = 0; at < part.length; at += 4) {
          measured.append(part.slice(at, at + 4));
          if (++count % 8 === 0) measured.render();
        }
        measured.render();
        return count;
      }, part);
      const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { samples: Array<{ size: number }> } };
      return profile.samples.reduce((sum, sample) => sum + sample.size, 0) / chunks;
    };
    await bytesPerChunk(0); // warm-up: the first run compiles what the others reuse
    const fresh = await bytesPerChunk(0);
    const late = await bytesPerChunk(12);
    await cdp.detach();
    // Twelve parts before (about 90,000 characters) must not make a chunk dearer: whole-answer work per frame did.
    assert.ok(late < fresh * 1.3, `a chunk costs ${Math.round(late)} B after 12 parts against ${Math.round(fresh)} B in the first`);
    // And each chunk's own cost stays small: re-reading or re-highlighting a whole open block per frame did not
    // (4,100 B before; 1,900 B since).
    assert.ok(fresh < 3_000, `a chunk costs ${Math.round(fresh)} B`);
  });

  it('sanitises the open block without rebuilding its configuration at every frame (bytes counted by V8)', async () => {
    // What the open block is while prose streams: a paragraph, rendered again at every frame.
    const paragraph = 'The cache keeps `every entry` before the lock is released, so **it grows**; see [the notes](https://example.com).';
    const cdp = await page.context().newCDPSession(page);
    const renderAll = () =>
      page.evaluate((paragraph) => {
        const { renderMarkdown } = window as unknown as Renderers;
        for (let i = 0; i < 200; i++) renderMarkdown(paragraph);
      }, paragraph);
    await renderAll(); // warm-up
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await renderAll();
    const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { samples: Array<{ size: number }> } };
    await cdp.detach();
    const perRender = profile.samples.reduce((sum, sample) => sum + sample.size, 0) / 200;
    // Passing DOMPurify its configuration per call rebuilt its allow-lists per call: 40,000 B a render against 27,300 B.
    assert.ok(perRender < 33_000, `a render of one paragraph allocates ${Math.round(perRender)} B`);
  });

  describe('text drawn at once (a restored conversation, a reloaded page catching up)', () => {
    /** Three long blocks, one of them with a comment across many slices, and a short one, between paragraphs. */
    const text = [
      'Restored:',
      `\`\`\`ts\n${BIG_CODE}\n\`\`\``,
      'Then:',
      `\`\`\`ts\n${LONG_CODE}\n\`\`\``,
      'A short one:',
      '```ts\nconst short = "coloured at once";\n```',
      `\`\`\`python\n${Array.from({ length: 60 }, (_, i) => `def f${i}(x):\n    return x + ${i}  # "${i}"`).join('\n')}\n\`\`\``,
      'The end.\n',
    ].join('\n\n');

    interface Drawn {
      whole: string;
      wholeText: string;
      /** Per code block, at once: its text and whether any of it is coloured. */
      blocksAtOnce: Array<{ text: string; coloured: boolean }>;
      wholeBlocks: string[];
      textAtOnce: string;
      pendingAtOnce: number;
    }

    /** Draws `text` as `how`, on the page as `window.drawn`; returns what was on screen before any idle callback. */
    const drawAtOnce = (how: 'restored' | 'caught up') =>
      page.evaluate(
        ({ text, how }) => {
          const { renderMarkdown, StreamingMarkdown, normalized } = window as unknown as Renderers;
          const idle = (window as unknown as IdleGlobals).__idle;
          const whole = document.createElement('div');
          whole.append(renderMarkdown(text));
          const wholeText = whole.textContent ?? '';
          let drawn;
          if (how === 'restored') {
            drawn = new StreamingMarkdown(text);
            document.body.replaceChildren(drawn.element);
          } else {
            // A reloaded page: the text so far in one chunk, drawn in one frame while the answer still streams.
            drawn = new StreamingMarkdown();
            document.body.replaceChildren(drawn.element);
            drawn.append(text.slice(0, -'The end.\n'.length));
            drawn.render();
          }
          Object.assign(window, { drawn });
          return {
            whole: normalized(whole),
            wholeText,
            wholeBlocks: Array.from(whole.querySelectorAll('pre code')).map((code) => code.textContent ?? ''),
            blocksAtOnce: Array.from(drawn.element.querySelectorAll('pre code')).map((code) => ({
              text: code.textContent ?? '',
              coloured: code.querySelector('[class^="hljs-"]') !== null,
            })),
            textAtOnce: drawn.element.textContent ?? '',
            pendingAtOnce: idle.pending(),
          } satisfies Drawn;
        },
        { text, how },
      );
    const drawnNow = () => page.evaluate(() => {
      const { normalized } = window as unknown as Renderers;
      const { element } = (window as unknown as { drawn: { element: HTMLElement } }).drawn;
      return { dom: normalized(element), text: element.textContent ?? '', plain: Array.from(element.querySelectorAll('pre code .code-slice:not(:has(*))')).reduce((sum, slice) => sum + (slice.textContent ?? '').length, 0) };
    });

    /** Runs idle callbacks with room for one step each; checks the text never changes and each step is bounded; returns how many. */
    async function stepThrough(expectedText: string): Promise<number> {
      let callbacks = 0;
      while ((await idlePending()) > 0 && callbacks < 1_000) {
        const before = (await drawnNow()).plain;
        await idleRun({ remaining: [20, 0] });
        const now = await drawnNow();
        assert.equal(now.text, expectedText, 'the same text at every step');
        // A piece takes whole plain slices of 8 lines (here under 1,000 characters) until it has 2,000 (8,000 inside a comment).
        assert.ok(before - now.plain <= 8_000 + 1_000, `a bounded piece per callback (${before - now.plain} characters)`);
        callbacks++;
      }
      return callbacks;
    }

    it('a restored answer draws long blocks plain in its first task, and after the idle steps equals a whole render', async () => {
      const atOnce = await drawAtOnce('restored');
      assert.deepEqual(
        atOnce.blocksAtOnce.map((block) => block.coloured),
        [false, false, true, false],
        'only the short block highlighted at once',
      );
      assert.equal(atOnce.textAtOnce, atOnce.wholeText, 'all the text, exact, before any highlighting');
      assert.deepEqual(atOnce.blocksAtOnce.map((block) => block.text), atOnce.wholeBlocks);
      assert.equal(atOnce.pendingAtOnce, 1, 'one idle callback asked for');
      const callbacks = await stepThrough(atOnce.wholeText);
      assert.ok(callbacks >= 10, `spread over ${callbacks} idle callbacks`);
      assert.equal((await drawnNow()).dom, atOnce.whole, 'the same DOM as a whole render');
    });

    it('a reloaded page catching up draws long blocks plain, colours them when idle, and ends as a whole render', async () => {
      const atOnce = await drawAtOnce('caught up');
      assert.deepEqual(atOnce.blocksAtOnce.map((block) => block.coloured), [false, false, true, false]);
      assert.deepEqual(atOnce.blocksAtOnce.map((block) => block.text), atOnce.wholeBlocks, 'the code of every block, exact');
      // Drawn in parts (frozen blocks, the open one), the line breaks marked writes between blocks differ, not the text.
      const words = (text: string) => text.replace(/\s+/g, ' ').trim();
      assert.ok(words(atOnce.textAtOnce) === words(atOnce.wholeText.slice(0, atOnce.wholeText.lastIndexOf('The end.'))), 'the text so far');
      assert.equal(atOnce.pendingAtOnce, 1);
      await stepThrough(atOnce.textAtOnce);
      const rest = await page.evaluate(() => {
        const { drawn } = window as unknown as { drawn: { append(text: string): void; finish(): void } };
        drawn.append('The end.\n');
        drawn.finish();
        return (window as unknown as IdleGlobals).__idle.pending();
      });
      assert.equal(rest, 0, 'nothing left to highlight');
      assert.equal((await drawnNow()).dom, atOnce.whole, 'the same DOM as a whole render');
    });

    it('a reloaded page catching up inside a long open code block shows it plain, and colours it with the rest once the answer ends', async () => {
      const full = `Here:\n\n\`\`\`ts\n${BIG_CODE}\n\`\`\`\n\nAfter.\n`;
      const cut = full.indexOf('\n', full.length / 2) + 20;
      const result = await page.evaluate(
        ({ full, cut }) => {
          const { renderMarkdown, StreamingMarkdown, normalized } = window as unknown as Renderers;
          const idle = (window as unknown as IdleGlobals).__idle;
          const drawn = new StreamingMarkdown();
          document.body.replaceChildren(drawn.element);
          drawn.append(full.slice(0, cut));
          drawn.render();
          const code = drawn.element.querySelector('pre code');
          const atOnce = { text: code?.textContent ?? '', coloured: code?.querySelector('[class^="hljs-"]') !== null, pending: idle.pending() };
          // The rest streams in as usual, 64 characters a frame.
          for (let offset = cut; offset < full.length; offset += 64) {
            drawn.append(full.slice(offset, offset + 64));
            drawn.render();
          }
          drawn.finish();
          const ended = { coloured: code?.querySelector('[class^="hljs-"]') !== null, pending: idle.pending() };
          idle.drain();
          const whole = document.createElement('div');
          whole.append(renderMarkdown(full));
          return { atOnce, ended, streamed: normalized(drawn.element), whole: normalized(whole) };
        },
        { full, cut },
      );
      const soFar = full.slice(full.indexOf('```ts\n') + 6, cut);
      assert.deepEqual(result.atOnce, { text: soFar, coloured: false, pending: 0 }, 'the text so far, exact, nothing highlighted at once');
      assert.deepEqual(result.ended, { coloured: true, pending: 1 }, 'the lines streamed after are highlighted; the rest waits for the idle queue');
      assert.equal(result.streamed, result.whole, 'the same DOM as a whole render');
    });
  });
});
