import assert from 'node:assert/strict';
import type { HostToWebview } from '../../src/shared/chatProtocol';
import { FOOTER, INIT, useChatHarness, type ChatPage, type OpenOptions } from './chatHarness';

describe('chat panel in the browser', function () {
  this.timeout(30_000);
  const harness = useChatHarness();
  let chat: ChatPage;

  async function openReady(options?: OpenOptions): Promise<ChatPage> {
    chat = await harness().openReady(options);
    return chat;
  }

  const text = (selector: string) => chat.page.locator(selector).innerText();
  /** What tells an attach toggle's state apart on screen: the box's mark, the border, the label's weight. */
  const toggleLook = (toggle: ReturnType<ChatPage['page']['locator']>) =>
    toggle.evaluate((element) => ({
      box: getComputedStyle(element.querySelector('.toggle-box')!, '::before').content,
      border: getComputedStyle(element).borderStyle + ' ' + getComputedStyle(element).borderColor,
      weight: Number(getComputedStyle(element.querySelector('.toggle-label')!).fontWeight),
    }));
  const count = (selector: string) => chat.page.locator(selector).count();

  describe('streaming', () => {
    it('tells the host it is ready, then renders streamed markdown with highlighted code', async () => {
      await openReady();
      assert.deepEqual(await chat.waitForPosted('ready'), { type: 'ready' });

      const code = 'const answer: number = 42;\nfunction twice(n: number) {\n  return n * 2;\n}';
      const answer = [
        '## Plan\n\nUse **bold** and `inline` code.\n\n```ts\n',
        code,
        '\n```\n\n- one\n- two\n\n| Step | Cost |\n|:--|--:|\n| plan | $1 |\n\n- [x] done\n',
      ].join('');
      await chat.streamAnswer('r1', answer, { chunkSize: 3, footer: null });

      assert.equal(await text('.message.assistant h2'), 'Plan');
      assert.equal(await text('.message.assistant strong'), 'bold');
      assert.equal(await text('.message.assistant p code'), 'inline');
      assert.equal(await chat.page.locator('.code-block pre code').textContent(), code);
      assert.equal(await text('.code-block .code-language'), 'ts');
      const keywords = await chat.page.locator('.code-block code .hljs-keyword').allTextContents();
      assert.ok(keywords.includes('const') && keywords.includes('function'), `keywords: ${keywords.join(',')}`);
      assert.deepEqual(await chat.page.locator('.message.assistant li').allInnerTexts(), ['one', 'two', ' done']);
      assert.deepEqual(await chat.page.locator('.message.assistant td').allInnerTexts(), ['plan', '$1']);
      assert.equal(await chat.page.getByRole('checkbox').isChecked(), true);
      assert.equal(await chat.page.getByRole('checkbox').isDisabled(), true);
      assert.deepEqual(await chat.violations(), []);
      assert.deepEqual(chat.errors, []);
    });

    it('acknowledges each chunk message that asks for it once applied, also one for an answer it does not show', async () => {
      await openReady();
      await chat.fromHost(
        { type: 'start', id: 'r1', requestedModel: 'gpt-5.4', attachments: [], userText: 'hi' },
        { type: 'chunk', id: 'r1', seq: 0, text: 'One, ', ack: true },
        { type: 'chunk', id: 'r1', seq: 3, firstSeq: 1, text: 'two, three, ', ack: true },
        { type: 'chunk', id: 'r1', seq: 4, text: 'four.' },
        // A page reloaded mid-answer gets chunks of an answer it never started: the host must not wait for them.
        { type: 'chunk', id: 'r0', seq: 7, text: 'lost page', ack: true },
      );
      await chat.settle();
      // Which acknowledgements carry the frame clock depends on whether a frame was drawn between these messages
      // (on a busy machine it can be): that is the next test's subject, so only the acknowledged chunks are compared here.
      const acks = (await chat.postedOfType('chunkAck')) as { type: string; id: string; seq: number }[];
      assert.deepEqual(acks.map(({ type, id, seq }) => ({ type, id, seq })), [
        { type: 'chunkAck', id: 'r1', seq: 0 },
        { type: 'chunkAck', id: 'r1', seq: 3 },
        { type: 'chunkAck', id: 'r0', seq: 7 },
      ]);
      assert.equal(await text('.message.assistant .markdown p'), 'One, two, three, four.');
      assert.deepEqual(chat.errors, []);
    });

    it('once it has drawn streamed text in a frame, says in each acknowledgement when its next frame is due (for frame pacing)', async () => {
      await openReady();
      await chat.fromHost({ type: 'start', id: 'r1', requestedModel: 'gpt-5.4', attachments: [], userText: 'hi' });
      for (let seq = 0; seq < 6; seq++) {
        await chat.fromHost({ type: 'chunk', id: 'r1', seq, text: `word${seq} `, ack: true });
        await chat.settle();
      }
      const acks = await chat.postedOfType('chunkAck');
      assert.equal(acks.length, 6);
      assert.deepEqual(acks[0], { type: 'chunkAck', id: 'r1', seq: 0 }, 'before its first frame the page knows no frame to say');
      for (const ack of acks.slice(1)) {
        const { slackMs, frameMs } = ack as { slackMs?: number; frameMs?: number };
        assert.ok(typeof frameMs === 'number' && frameMs >= 4 && frameMs <= 100, `frameMs ${frameMs}`);
        assert.ok(typeof slackMs === 'number' && slackMs > 0 && slackMs <= frameMs, `slackMs ${slackMs} of ${frameMs}`);
      }
      assert.equal(await text('.message.assistant .markdown p'), 'word0 word1 word2 word3 word4 word5');
      assert.deepEqual(chat.errors, []);
    });

    it('shows each chunk as it arrives, before the answer is done', async () => {
      await openReady();
      await chat.fromHost({ type: 'start', id: 'r1', requestedModel: 'gpt-5.4', attachments: [], userText: 'hi' });
      await chat.settle();
      assert.equal(await text('.answer-status'), 'Waiting for gpt-5.4…');

      await chat.fromHost({ type: 'chunk', id: 'r1', seq: 0, text: 'First para' });
      await chat.page.getByText('First para').waitFor();
      await chat.fromHost({ type: 'chunk', id: 'r1', seq: 1, text: 'graph.\n\nSecond' });
      await chat.page.getByText('Second').waitFor();
      assert.deepEqual(await chat.page.locator('.markdown p').allTextContents(), ['First paragraph.', 'Second']);
      assert.equal(await chat.page.locator('.answer-status').isVisible(), false);
    });

    it('draws streamed text in the next animation frame, not in the task that brought it, and acknowledges it at once', async () => {
      await openReady();
      await chat.fromHost({ type: 'start', id: 'r1', requestedModel: 'gpt-5.4', attachments: [], userText: 'hi' });
      // Quiet frames pass: the chunk comes after them, as the first text of an answer does.
      await chat.settle();
      await chat.settle();
      const seen = await chat.page.evaluate(
        () =>
          new Promise<{ inItsTask: string; acked: boolean; inTheFrame: string }>((resolve) => {
            const body = () => document.querySelector('.message.assistant .markdown')?.textContent ?? '';
            // Added after the panel's own listener, so it runs right after the panel handled the message, in the same task.
            window.addEventListener(
              'message',
              () => {
                const inItsTask = body();
                const acked = (window as unknown as { __test: { posted: Array<{ type: string }> } }).__test.posted.some((message) => message.type === 'chunkAck');
                requestAnimationFrame(() => requestAnimationFrame(() => resolve({ inItsTask, acked, inTheFrame: body() })));
              },
              { once: true },
            );
            window.postMessage({ type: 'chunk', id: 'r1', seq: 0, text: 'First words', ack: true }, '*');
          }),
      );
      assert.deepEqual({ ...seen, inTheFrame: seen.inTheFrame.trim() }, { inItsTask: '', acked: true, inTheFrame: 'First words' });
    });

    it('leaves finished paragraphs alone while later text streams, so a selection in them survives', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'A finished paragraph.\n\nThe next one', { footer: null });
      await chat.page.evaluate(() => {
        const first = document.querySelector('.markdown p');
        if (first) window.getSelection()?.selectAllChildren(first);
      });
      await chat.fromHost({ type: 'chunk', id: 'r1', seq: 99, text: ' keeps going.\n\nAnd a third.' });
      await chat.page.getByText('And a third.').waitFor();
      assert.equal(await chat.page.evaluate(() => window.getSelection()?.toString()), 'A finished paragraph.');
    });

    it('streams a long code block line by line, highlighted, with the exact code to copy', async () => {
      await openReady();
      const code = Array.from({ length: 120 }, (_, i) => `def step_${i}(x):\n    return x + ${i}  # step ${i}`).join('\n');
      const answer = `Here is the module:\n\n\`\`\`python\n${code}\n\`\`\`\nThat is all.\n`;
      const halfway = answer.indexOf('def step_60');
      await chat.streamAnswer('r1', answer.slice(0, halfway), { footer: null });
      const partial = await chat.page.locator('.code-block pre code').textContent();
      assert.ok(partial?.startsWith('def step_0(x):') && partial.includes('return x + 59'), 'the streamed half is on screen');

      await chat.fromHost({ type: 'chunk', id: 'r1', seq: 1000, text: answer.slice(halfway) });
      await chat.fromHost({ type: 'done', id: 'r1', footer: FOOTER, totalCostUsd: 0.01 });
      await chat.page.locator('.answer-footer').waitFor();
      assert.equal(await count('.code-block'), 1);
      assert.equal(await chat.page.locator('.code-block pre code').textContent(), code);
      assert.ok((await count('.code-block .hljs-keyword')) >= 240, 'every def and return is highlighted');
      assert.equal(await chat.page.locator('.message.assistant .markdown p').last().innerText(), 'That is all.');
      await chat.page.getByRole('button', { name: 'Insert code at cursor' }).click();
      assert.deepEqual(await chat.waitForPosted('insertCode'), { type: 'insertCode', code });
    });

    it('shows code the model left in an unclosed fence once the answer ends', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Try:\n```js\nconsole.log("hi")\n', { chunkSize: 4 });
      assert.equal(await chat.page.locator('.code-block pre code').textContent(), 'console.log("hi")');
      assert.equal(await text('.code-block .code-language'), 'js');
    });

    it('Stop replaces Send while an answer streams and posts stop', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Partial', { footer: null });
      assert.equal(await chat.page.locator('#send').isVisible(), false);
      await chat.page.getByRole('textbox', { name: 'Message' }).press('Escape');
      assert.deepEqual(await chat.postedOfType('stop'), [{ type: 'stop' }], 'Escape in the prompt stops too');
      await chat.page.getByRole('button', { name: 'Stop generating' }).click();
      assert.deepEqual(await chat.postedOfType('stop'), [{ type: 'stop' }, { type: 'stop' }]);

      await chat.fromHost({ type: 'done', id: 'r1', footer: { ...FOOTER, stopped: true }, totalCostUsd: 0.01 });
      await chat.page.locator('#send').waitFor();
      assert.equal(await chat.page.locator('#stop').isVisible(), false);
      assert.equal(await text('.footer-stopped'), 'stopped');
    });

    it('stops the answer on Escape wherever the focus is in the panel, not only in the prompt', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Run this:\n\n```python\nprint(1)\n```\n\nand then', { footer: null });
      await chat.page.getByRole('button', { name: 'Copy code' }).focus();
      await chat.page.keyboard.press('Escape');
      assert.deepEqual(await chat.postedOfType('stop'), [{ type: 'stop' }]);
      // Once the answer has ended, Escape stops nothing.
      await chat.fromHost({ type: 'done', id: 'r1', footer: { ...FOOTER, stopped: true }, totalCostUsd: 0.01 });
      await chat.page.locator('#send').waitFor();
      await chat.page.getByRole('button', { name: 'Copy code' }).focus();
      await chat.page.keyboard.press('Escape');
      assert.deepEqual(await chat.postedOfType('stop'), [{ type: 'stop' }]);
    });

    it('says why Enter did not send while an answer streams, keeps the question, and sends it once the answer ended', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Partial', { footer: null });
      const prompt = chat.page.getByRole('textbox', { name: 'Message' });
      await prompt.fill('And the other file?');
      await prompt.press('Enter');
      const hint = chat.page.getByRole('status').filter({ hasText: 'An answer is still coming' });
      await hint.waitFor({ state: 'visible' });
      assert.equal(await prompt.inputValue(), 'And the other file?', 'the question is kept');
      assert.deepEqual(await chat.postedOfType('send'), [], 'nothing sent while the answer streams');

      await chat.fromHost({ type: 'done', id: 'r1', footer: FOOTER, totalCostUsd: 0.01 });
      await hint.waitFor({ state: 'hidden' });
      await prompt.press('Enter');
      const sent = await chat.waitForPosted('send');
      assert.equal(sent.text, 'And the other file?');
    });
  });

  describe('code blocks', () => {
    const code = 'print("hello")\nprint("world")';
    const answer = `Run this:\n\n\`\`\`python\n${code}\n\`\`\`\n`;

    it('Copy puts the code on the clipboard', async () => {
      await openReady({ clipboard: 'granted' });
      await chat.streamAnswer('r1', answer);
      await chat.page.getByRole('button', { name: 'Copy code' }).click();
      await chat.page.getByRole('button', { name: 'Copy code' }).getByText('Copied').waitFor();
      await chat.page.getByRole('status').getByText('Code copied').waitFor();
      assert.equal(await chat.page.evaluate(() => navigator.clipboard.readText()), code);
      assert.deepEqual(await chat.postedOfType('copy'), []);
    });

    it('Copy asks the host to copy when the webview has no clipboard', async () => {
      await openReady({ clipboard: 'missing' });
      await chat.streamAnswer('r1', answer);
      await chat.page.getByRole('button', { name: 'Copy code' }).click();
      assert.deepEqual(await chat.waitForPosted('copy'), { type: 'copy', text: code });
    });

    it('Insert at cursor posts the code to the host, and says Inserted only once the host has inserted it', async () => {
      await openReady();
      await chat.streamAnswer('r1', answer);
      const insert = chat.page.getByRole('button', { name: 'Insert code at cursor' });
      await insert.click();
      assert.deepEqual(await chat.waitForPosted('insertCode'), { type: 'insertCode', code });
      await chat.settle();
      assert.equal(await insert.innerText(), 'Insert at cursor', 'nothing claimed before the host answers');
      await chat.fromHost({ type: 'codeInserted', inserted: false });
      await insert.getByText('Not inserted').waitFor();
      // The button's name stays "Insert code at cursor": a polite status says what happened.
      const status = chat.page.getByRole('status');
      await status.getByText('Code not inserted: no editor to insert into').waitFor();

      await insert.click();
      await chat.fromHost({ type: 'codeInserted', inserted: true });
      await insert.getByText('Inserted', { exact: true }).waitFor();
      await status.getByText('Code inserted at the cursor').waitFor();
    });
  });

  describe('long code blocks after the answer', () => {
    const COMMENT = ['/*', ...Array.from({ length: 30 }, (_, i) => ` * note ${i}: const x = "not code";`), ' */'].join('\n');
    /** About 6,000 characters, with a comment longer than a streamed slice. */
    const code = [
      ...Array.from({ length: 30 }, (_, i) => `export const limit${i} = ${i * 10};`),
      COMMENT,
      ...Array.from({ length: 50 }, (_, i) => `export function step${i}(value: number): number {\n  return value + ${i}; // step ${i}\n}`),
    ].join('\n');
    const answer = (intro: string) => `${intro}\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all.\n`;

    /** Streams `text` eight lines a frame, so the block is drawn in many slices, as a model's answer is. */
    async function streamInFrames(id: string, text: string, end: 'done' | 'open'): Promise<void> {
      await chat.fromHost({ type: 'start', id, requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'question' });
      const lines = text.split(/(?<=\n)/);
      for (let at = 0, seq = 0; at < lines.length; at += 8, seq++) {
        await chat.fromHost({ type: 'chunk', id, seq, text: lines.slice(at, at + 8).join('') });
        await chat.settle();
      }
      if (end === 'done') await chat.fromHost({ type: 'done', id, footer: FOOTER, totalCostUsd: 0.01 });
      await chat.settle();
    }

    /** How an answer's code block looks: the comment in one piece or split, and its string coloured as code. */
    const look = (id: string) =>
      chat.page.evaluate(
        ({ id, comment }) => {
          const block = document.querySelector(`.message.assistant[data-id="${id}"] .code-block code`) ?? document.querySelector('.code-block code');
          return {
            commentWhole: Array.from(block?.querySelectorAll('.hljs-comment') ?? []).some((span) => span.textContent === comment),
            commentAsCode: Array.from(block?.querySelectorAll('.hljs-string') ?? []).some((span) => span.textContent === '"not code"'),
            text: block?.textContent,
          };
        },
        { id, comment: COMMENT },
      );

    it('re-highlights a long block in idle periods once the answer has ended: the colours of a whole render, the same code to copy', async () => {
      await openReady({ idle: 'manual', clipboard: 'missing' });
      await streamInFrames('r1', answer('Here:'), 'done');
      assert.deepEqual(await look('r1'), { commentWhole: false, commentAsCode: true, text: code }, 'in slices, a comment split across two is coloured as code');
      assert.equal(await chat.idlePending(), 1);

      const callbacks = await chat.drainIdle();
      assert.ok(callbacks >= 1);
      assert.deepEqual(await look('r1'), { commentWhole: true, commentAsCode: false, text: code });
      assert.equal(await chat.idlePending(), 0, 'nothing more asked for');
      await chat.page.getByRole('button', { name: 'Copy code' }).click();
      assert.deepEqual(await chat.waitForPosted('copy'), { type: 'copy', text: code });
      assert.deepEqual(chat.errors, []);
    });

    it('a new answer that starts before the last one is re-highlighted: each is, once it has ended', async () => {
      await openReady({ idle: 'manual' });
      await streamInFrames('r1', answer('First:'), 'done');
      await streamInFrames('r2', answer('Second:'), 'open');
      assert.equal(await chat.idlePending(), 1, 'only the first answer asked for idle work');

      await chat.drainIdle();
      assert.deepEqual(await look('r1'), { commentWhole: true, commentAsCode: false, text: code }, 'the first answer, while the second streams');
      assert.equal((await look('r2')).commentWhole, false, 'the second still in slices while it streams');

      await chat.fromHost({ type: 'done', id: 'r2', footer: FOOTER, totalCostUsd: 0.02 });
      await chat.settle();
      await chat.drainIdle();
      assert.deepEqual(await look('r2'), { commentWhole: true, commentAsCode: false, text: code });
      assert.deepEqual(chat.errors, []);
    });

    /** A long block drawn at once: all its code as text, none of it coloured yet. */
    const PLAIN = { commentWhole: false, commentAsCode: false, text: code };
    const WHOLE = { commentWhole: true, commentAsCode: false, text: code };
    /** A conversation of one question and its answer, as the host restores it. */
    const oneExchange = (intro: string): HostToWebview => ({
      type: 'history',
      totalCostUsd: 0.01,
      messages: [
        { role: 'user', text: 'question', attachments: [] },
        { role: 'assistant', text: answer(intro), footer: FOOTER },
      ],
    });

    it('a conversation shown while re-highlighting waits: the old block is left alone, the new one is highlighted when idle', async () => {
      await openReady({ idle: 'manual' });
      await streamInFrames('r1', answer('Here:'), 'done');
      await chat.page.evaluate(() => Object.assign(window, { oldBlock: document.querySelector('.code-block code') }));
      const slicesBefore = await chat.page.evaluate(() => (window as unknown as { oldBlock: Element }).oldBlock.querySelectorAll('.code-slice').length);

      await chat.fromHost(oneExchange('Restored:'));
      await chat.settle();
      assert.deepEqual(await look(''), PLAIN, 'drawn as plain text in the task that showed the conversation');
      assert.equal(await chat.idlePending(), 1);
      assert.ok((await chat.drainIdle()) >= 1);
      const slicesAfter = await chat.page.evaluate(() => (window as unknown as { oldBlock: Element }).oldBlock.querySelectorAll('.code-slice').length);
      assert.equal(slicesAfter, slicesBefore, 'no work done on the block that left the page');
      assert.deepEqual(await look(''), WHOLE, 'the shown block, as a whole render colours it');
      assert.equal(await chat.idlePending(), 0);
      assert.deepEqual(chat.errors, []);
    });

    it('a page reloaded while re-highlighting waits shows the answer from its history, highlighted when idle', async () => {
      await openReady({ idle: 'manual' });
      await streamInFrames('r1', answer('Here:'), 'done');
      assert.equal(await chat.idlePending(), 1);
      await chat.page.reload();
      await chat.page.locator('#composer').waitFor();
      await chat.fromHost(INIT, oneExchange('Here:'));
      await chat.settle();
      assert.deepEqual(await look(''), PLAIN);
      assert.equal(await chat.idlePending(), 1, 'the new page asked for its own idle work only');
      await chat.drainIdle();
      assert.deepEqual(await look(''), WHOLE);
      assert.equal(await chat.idlePending(), 0);
      assert.deepEqual(chat.errors, []);
    });

    /** Every long block's code on the page: its text, and whether any of it is coloured. */
    const blocks = () =>
      chat.page.evaluate(() =>
        Array.from(document.querySelectorAll('.code-block code')).map((block) => ({
          text: block.textContent,
          coloured: block.querySelector('[class^="hljs-"]') !== null,
          commentWhole: Array.from(block.querySelectorAll('.hljs-comment')).some((span) => (span.textContent ?? '').startsWith('/*\n * note 0') && (span.textContent ?? '').endsWith('*/')),
        })),
      );

    it('a restored conversation with several long blocks draws them plain at once, copies exact code, then colours them when idle', async () => {
      await openReady({ idle: 'manual', clipboard: 'missing' });
      const messages = ['One:', 'Two:', 'Three:'].flatMap((intro) => [
        { role: 'user' as const, text: intro, attachments: [] },
        { role: 'assistant' as const, text: answer(intro), footer: FOOTER },
      ]);
      await chat.fromHost({ type: 'history', totalCostUsd: 0.03, messages });
      await chat.settle();
      assert.deepEqual(await blocks(), Array(3).fill({ text: code, coloured: false, commentWhole: false }), 'no block highlighted in the first task');
      assert.equal(await chat.idlePending(), 1);

      await chat.page.getByRole('button', { name: 'Copy code' }).nth(1).click();
      assert.deepEqual(await chat.waitForPosted('copy'), { type: 'copy', text: code }, 'the exact code before it is highlighted');

      await chat.drainIdle();
      assert.deepEqual(await blocks(), Array(3).fill({ text: code, coloured: true, commentWhole: true }));
      assert.equal(await chat.idlePending(), 0);
      await chat.page.getByRole('button', { name: 'Insert code at cursor' }).nth(2).click();
      assert.deepEqual(await chat.waitForPosted('insertCode'), { type: 'insertCode', code });
      assert.deepEqual(chat.errors, []);
    });

    it('a page reloaded mid-answer gets the text so far at once: its long blocks plain, then coloured when idle while the rest streams', async () => {
      await openReady({ idle: 'manual', clipboard: 'missing' });
      // What the host sends a page that announced itself mid-answer (ChatSession.pageReady).
      await chat.fromHost({ type: 'history', totalCostUsd: 0, messages: [] });
      await chat.fromHost({ type: 'start', id: 'r9', requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'question' });
      const soFar = `${answer('First:')}
${answer('Second:')}
And now`;
      await chat.fromHost({ type: 'chunk', id: 'r9', seq: 40, firstSeq: 0, text: soFar });
      await chat.settle();
      assert.deepEqual(await blocks(), Array(2).fill({ text: code, coloured: false, commentWhole: false }), 'not highlighted in the task that drew them');
      await chat.page.getByRole('button', { name: 'Copy code' }).first().click();
      assert.deepEqual(await chat.waitForPosted('copy'), { type: 'copy', text: code });

      await chat.drainIdle();
      assert.deepEqual(await blocks(), Array(2).fill({ text: code, coloured: true, commentWhole: true }));
      await chat.fromHost({ type: 'chunk', id: 'r9', seq: 41, text: ' the end.\n' });
      await chat.fromHost({ type: 'done', id: 'r9', footer: FOOTER, totalCostUsd: 0.01 });
      await chat.settle();
      assert.match(await text('.message.assistant .markdown'), /And now the end\.$/);
      assert.equal(await chat.idlePending(), 0);
      assert.deepEqual(chat.errors, []);
    });
  });

  describe('footer and cost', () => {
    it('shows the model, tokens, cost and latency, and the conversation total', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Done.', { totalCostUsd: 0.0456 });
      assert.equal(await text('.footer-model'), 'gpt-5.4');
      assert.equal(await text('.footer-tokens'), '1,234 in / 56 out');
      assert.equal(await text('.footer-cost'), '$0.012');
      assert.equal(await text('.footer-latency'), '2.3 s');
      assert.equal(await text('#conversation-cost'), '$0.046');
    });

    it('names the first choice when a fallback answered, and says unpriced and estimated', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Done.', {
        footer: {
          ...FOOTER,
          model: 'claude-sonnet-5',
          requestedModel: 'gpt-5.4',
          fellBack: true,
          costUsd: null,
          estimated: true,
          latencyMs: 850,
        },
      });
      assert.equal(await text('.footer-model'), 'claude-sonnet-5 (fallback from gpt-5.4)');
      assert.equal(await text('.footer-cost'), 'unpriced');
      assert.equal(await text('.footer-tokens'), '~1,234 in / ~56 out');
      assert.equal(await text('.footer-latency'), '850 ms');
    });

    it('says in the footer how many earlier messages were not sent, with what to do in its tooltip, and nothing when all were', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Without the start.', { footer: { ...FOOTER, omittedMessages: 4 } });
      await chat.streamAnswer('r2', 'With everything.');
      const notes = chat.page.locator('.footer-omitted');
      assert.equal(await notes.count(), 1);
      assert.equal(await notes.innerText(), '4 earlier messages not sent');
      assert.match((await notes.getAttribute('title')) ?? '', /4 oldest messages .* were not sent with this question\. Start a new chat/);
    });

    it('marks a cost priced at a bound beside it, the note as its tooltip, and nothing on an answer priced as reported', async () => {
      await openReady();
      const note = 'the provider reported 1,000,000,000,000 output tokens, more than the request could produce (4,096); priced at 4,096';
      await chat.streamAnswer('r1', 'Bounded.', { footer: { ...FOOTER, pricedAtBound: note } });
      await chat.streamAnswer('r2', 'As reported.');
      const marks = chat.page.locator('.footer-bound');
      assert.equal(await marks.count(), 1);
      assert.equal(await marks.innerText(), 'priced at a bound');
      assert.equal(await marks.getAttribute('title'), note);
      // Right after the cost it qualifies, in the first answer's footer.
      assert.equal(await chat.page.locator('.footer-cost + .footer-bound').count(), 1);
    });

    it("marks a simulated answer's cost as not billed, as the sandbox's status bar says Simulated, and nothing on a real one", async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Simulated answer.', { footer: { ...FOOTER, simulated: true } });
      await chat.streamAnswer('r2', 'A real one.');
      const marks = chat.page.locator('.footer-simulated');
      assert.equal(await marks.count(), 1);
      assert.equal(await marks.innerText(), 'simulated, not billed');
      assert.match((await marks.getAttribute('title')) ?? '', /fake provider answered \(npm start with no keys\)\. The cost is what this model would have charged; nothing was billed\./);
      // Right after the cost it qualifies.
      assert.equal(await chat.page.locator('.footer-cost + .footer-simulated').count(), 1);
    });

    it('says in the footer that an answer was cut at its max output, the setting in its tooltip', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'The first half', { footer: { ...FOOTER, maxTokensReached: 4096 } });
      await chat.streamAnswer('r2', 'Whole.');
      const marks = chat.page.locator('.footer-cut');
      assert.equal(await marks.count(), 1);
      assert.equal(await marks.innerText(), 'cut at 4,096 tokens');
      assert.match((await marks.getAttribute('title')) ?? '', /switchboard\.chat\.maxTokens/);
    });

    it('shows a failed request with the models tried, keeping text that had streamed', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Half an answ', { footer: null });
      await chat.fromHost({
        type: 'error',
        id: 'r1',
        message: 'Every model on the chat route failed.',
        attempts: [
          { provider: 'openai', model: 'gpt-5.4', error: 'rate limited (429)' },
          { provider: 'anthropic', model: 'claude-sonnet-5', error: 'overloaded (529)' },
        ],
        partial: true,
      });
      await chat.page.locator('.answer-error').waitFor();
      assert.equal(await text('.error-message'), 'Every model on the chat route failed.');
      assert.deepEqual(await chat.page.locator('.error-attempts li').allInnerTexts(), [
        'openai:gpt-5.4 — rate limited (429)',
        'anthropic:claude-sonnet-5 — overloaded (529)',
      ]);
      assert.equal(await text('.message.assistant .markdown p'), 'Half an answ');
      assert.equal(await chat.page.locator('#send').isVisible(), true);
    });

    it('keeps the error, the text and the cost of an answer that broke off', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'The first half', { footer: null });
      await chat.fromHost(
        { type: 'error', id: 'r1', message: 'The stream broke off.', attempts: [], partial: true },
        { type: 'done', id: 'r1', footer: FOOTER, totalCostUsd: 0.25 },
      );
      await chat.page.locator('.answer-footer').waitFor();
      assert.equal(await text('.message.assistant .markdown p'), 'The first half');
      assert.equal(await text('.error-message'), 'The stream broke off.');
      assert.equal(await text('.footer-cost'), '$0.012');
      assert.equal(await text('#conversation-cost'), '$0.25');
    });
    it('offers Ask again on a failed last answer that may pass: it asks once, keeps the keyboard in the prompt and goes when the new answer starts', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'The first half', { footer: null });
      await chat.fromHost(
        { type: 'error', id: 'r1', message: 'openai:gpt-5.4 failed mid-answer: the connection was reset', attempts: [], partial: true, retryable: true },
        { type: 'done', id: 'r1', footer: FOOTER, totalCostUsd: 0.25 },
      );
      const askAgain = chat.page.getByRole('button', { name: 'Ask again' });
      assert.match((await askAgain.getAttribute('title')) ?? '', /on the model picked below \(pick another first to switch\)/, 'says which model it asks');
      await askAgain.click();
      assert.deepEqual(await chat.postedOfType('askAgain'), [{ type: 'askAgain' }]);
      assert.equal(await askAgain.isDisabled(), true, 'asked once');
      assert.equal(await chat.page.locator('#stop').isVisible(), true, 'Stop while the question is asked again');
      assert.equal(await chat.page.evaluate(() => document.activeElement?.id), 'prompt');
      await chat.page.getByRole('textbox', { name: 'Message' }).press('Escape');
      assert.deepEqual(await chat.postedOfType('stop'), [{ type: 'stop' }]);

      await chat.streamAnswer('r2', 'The whole answer.', { userText: 'question' });
      assert.equal(await chat.page.locator('.ask-again').count(), 0, 'only the last answer can be asked again');
      assert.deepEqual(await chat.page.locator('.message.assistant .markdown p').allInnerTexts(), ['The first half', 'The whole answer.'], 'the broken-off answer stays');

      // A refusal that asking again cannot mend (too long, no key, the budget) has no button.
      await chat.streamAnswer('r3', '', { footer: null });
      await chat.fromHost({ type: 'error', id: 'r3', message: 'This message is about 150,000 tokens', attempts: [], partial: false });
      await chat.page.locator('.message.assistant .answer-error').nth(1).waitFor();
      assert.equal(await chat.page.locator('.ask-again').count(), 0);
    });

    it('offers Ask again after a reload on the last answer only, when it failed in a way that may pass', async () => {
      await openReady();
      const failed = { role: 'assistant' as const, text: '', error: { message: 'openai had a server error (500)', attempts: [], retryable: true } };
      await chat.fromHost({
        type: 'history',
        messages: [{ role: 'user', text: 'one', attachments: [] }, failed, { role: 'user', text: 'two', attachments: [] }, failed],
        totalCostUsd: 0,
      });
      await chat.settle();
      assert.equal(await chat.page.locator('.answer-error').count(), 2);
      assert.equal(await chat.page.locator('.message.assistant').last().locator('.ask-again').count(), 1);
      assert.equal(await chat.page.locator('.ask-again').count(), 1);
    });
  });

  describe('hostile model output', () => {
    const payload = [
      'Here is <script>window.__pwned = "script"</script> inline.',
      '',
      '<img src="x" onerror="window.__pwned = \'img\'">',
      '',
      '<iframe src="javascript:parent.__pwned = \'iframe\'"></iframe>',
      '',
      '<iframe srcdoc="<script>parent.__pwned = 1</script>"></iframe>',
      '',
      '<svg onload="window.__pwned = \'svg\'"><script>window.__pwned = "svg-script"</script></svg>',
      '',
      '<style>body { display: none }</style>',
      '',
      '<a href="javascript:window.__pwned = \'raw-link\'">raw link</a> <b style="color:red">styled</b>',
      '',
      '[markdown link](javascript:window.__pwned=\'md-link\') and [data link](data:text/html,<script>alert(1)</script>)',
      '',
      '![tracker](/pwned-image.png) ![remote](https://tracker.example/pwned.png) <object data="/pwned-object"></object>',
      '',
      '<form action="/pwned-form"><button>Submit</button></form>',
    ].join('\n');

    it('never runs it, never fetches from it, and shows it as text', async () => {
      await openReady();
      await chat.streamAnswer('r1', payload, { chunkSize: 5 });
      for (const link of await chat.page.locator('.message.assistant a:not([href])').all()) {
        await link.click();
      }
      await chat.settle();

      assert.equal(await chat.page.evaluate(() => (window as { __pwned?: unknown }).__pwned), undefined);
      assert.deepEqual(await chat.violations(), []);
      assert.deepEqual(chat.errors, []);
      assert.deepEqual(harness().requests.filter((path) => path.includes('pwned')), []);
      assert.deepEqual(await chat.postedOfType('openLink'), []);
      assert.equal(chat.page.url().includes('panel.html'), true, 'the page did not navigate');

      const dangerous = await chat.page.evaluate(() => {
        const answer = document.querySelector('.message.assistant .markdown');
        if (!answer) return ['no answer'];
        const found: string[] = [];
        for (const element of Array.from(answer.querySelectorAll('*'))) {
          const tag = element.tagName.toLowerCase();
          if (['script', 'img', 'iframe', 'svg', 'style', 'object', 'form', 'b'].includes(tag)) found.push(tag);
          for (const attribute of Array.from(element.attributes)) {
            if (attribute.name.startsWith('on') || attribute.name === 'style' || attribute.name === 'srcdoc') {
              found.push(`${tag}[${attribute.name}]`);
            }
            if (attribute.name === 'href' && !/^https?:/i.test(attribute.value)) found.push(`href=${attribute.value}`);
          }
        }
        return found;
      });
      assert.deepEqual(dangerous, []);

      const shown = await text('.message.assistant .markdown');
      assert.match(shown, /<script>window\.__pwned = "script"<\/script>/);
      assert.match(shown, /<img src="x" onerror=/);
      assert.match(shown, /<iframe srcdoc=/);
      assert.match(shown, /markdown link/);
      assert.match(shown, /\[image: tracker\]/);
      assert.equal(await chat.page.getByRole('link', { name: '[image: remote]' }).getAttribute('href'), 'https://tracker.example/pwned.png');
    });

    // Trojan Source (CVE-2021-42574): the code reads as a comment but the override makes `return` run.
    const trojan = 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {\n  grant();\u200B\n}';
    const marksOf = () =>
      chat.page.locator('.message.assistant .hidden-char').evaluateAll((marks) =>
        marks.map((mark) => ({
          shown: getComputedStyle(mark, '::before').content,
          title: mark.getAttribute('title'),
          box: `${getComputedStyle(mark).display} ${getComputedStyle(mark).unicodeBidi}`,
          inCode: mark.closest('pre code') !== null,
        })),
      );
    const expectedMarks = (inCode: boolean) => [
      { shown: '"U+202E"', title: 'Hidden character in the answer: U+202E RIGHT-TO-LEFT OVERRIDE', box: 'inline-block isolate', inCode },
      { shown: '"U+2066"', title: 'Hidden character in the answer: U+2066 LEFT-TO-RIGHT ISOLATE', box: 'inline-block isolate', inCode },
      { shown: '"U+2069"', title: 'Hidden character in the answer: U+2069 POP DIRECTIONAL ISOLATE', box: 'inline-block isolate', inCode },
      { shown: '"U+2066"', title: 'Hidden character in the answer: U+2066 LEFT-TO-RIGHT ISOLATE', box: 'inline-block isolate', inCode },
      { shown: '"U+200B"', title: 'Hidden character in the answer: U+200B ZERO WIDTH SPACE', box: 'inline-block isolate', inCode },
    ];

    it('shows bidi controls and zero-width characters in code as marked code points, and Insert still posts the exact code', async () => {
      await openReady();
      await chat.streamAnswer('r1', `Check:\n\n\`\`\`js\n${trojan}\n\`\`\`\n\nPlus prose with a \u202Ehidden override and an emoji \u{1F469}\u200D\u{1F4BB}.`, { chunkSize: 7 });
      await chat.settle();
      const marks = await marksOf();
      assert.deepEqual(marks.slice(0, 5), expectedMarks(true));
      assert.deepEqual(marks.slice(5), [{ ...expectedMarks(false)[0] }], "the prose's override is marked; the emoji's joiner is not");
      await chat.page.getByRole('button', { name: 'Insert code at cursor' }).click();
      assert.deepEqual(await chat.waitForPosted('insertCode'), { type: 'insertCode', code: trojan }, 'the host is given the code as it is, to judge');
    });

    it('marks a raw ESC sequence in code, which the page would draw as nothing and a terminal would obey once the code is in a file', async () => {
      await openReady();
      // OSC 52: a terminal printing this line puts "rm -rf ~" on the clipboard.
      const code = 'console.log("done"); // \u001b]52;c;cm0gLXJmIH4=\u0007';
      await chat.streamAnswer('r1', `Run:\n\n\`\`\`js\n${code}\n\`\`\`\n`, { chunkSize: 9 });
      await chat.settle();
      const marks = await marksOf();
      assert.deepEqual(
        marks.map(({ title, inCode }) => ({ title, inCode })),
        [
          { title: 'Hidden character in the answer: U+001B ESCAPE', inCode: true },
          { title: 'Hidden character in the answer: U+0007', inCode: true },
        ],
      );
    });

    /** Streams `chunks` of one answer, each drawn in its own frame, and returns the code points marked after each. */
    async function marksWhileStreaming(chunks: string[]): Promise<string[][]> {
      await chat.fromHost({ type: 'start', id: 'r1', requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'question' });
      const seen: string[][] = [];
      for (const [seq, text] of chunks.entries()) {
        await chat.fromHost({ type: 'chunk', id: 'r1', seq, text });
        await chat.settle();
        seen.push((await marksOf()).filter((mark) => mark.inCode).map((mark) => mark.title!.replace(/^Hidden character in the answer: (U\+\w+).*$/, '$1')));
      }
      return seen;
    }

    it("marks a hidden character in a streaming code block's unfinished last line as soon as it is shown", async () => {
      await openReady();
      const seen = await marksWhileStreaming(['Check:\n\n```js\nconst a = 1;\nif (accessLevel != "user\u202E', ' \u2066// Check if admin\u2069 \u2066") {\n  grant();', '\u200B\n}\n']);
      assert.deepEqual(seen, [['U+202E'], ['U+202E', 'U+2066', 'U+2069', 'U+2066'], ['U+202E', 'U+2066', 'U+2069', 'U+2066', 'U+200B']]);
      assert.equal(await chat.page.locator('.message.assistant pre code').textContent(), `const a = 1;\n${trojan}\n`, 'the code reads as it came');
    });

    it('marks them in the lines of a long streaming code block still waiting for their slice', async () => {
      await openReady();
      // Past WHOLE_BLOCK_CHARS finished lines wait as plain text until eight of them make a slice.
      const long = Array.from({ length: 60 }, (_, i) => `const line${i} = ${i};`).join('\n');
      const seen = await marksWhileStreaming([`\`\`\`ts\n${long}\n`, 'const a = "\u202E";\nconst b', ' = "\u200B";\n']);
      assert.deepEqual(seen, [[], ['U+202E'], ['U+202E', 'U+200B']]);
    });

    it('marks them in a long code block of a restored conversation, drawn plain and coloured when idle', async () => {
      const long = Array.from({ length: 300 }, (_, i) => `const line${i} = ${i};`).join('\n');
      const code = `${long}\n${trojan}`;
      await openReady({ idle: 'manual', clipboard: 'missing' });
      await chat.fromHost({
        type: 'history',
        messages: [
          { role: 'user', text: 'Show me', attachments: [] },
          { role: 'assistant', text: `\`\`\`ts\n${code}\n\`\`\`\n`, footer: FOOTER },
        ],
        totalCostUsd: 0,
      });
      await chat.settle();
      const coloured = () => chat.page.locator('.message.assistant code .hljs-keyword').count();
      assert.equal(await coloured(), 0, 'drawn plain first');
      assert.deepEqual(await marksOf(), expectedMarks(true));
      await chat.drainIdle();
      assert.ok((await coloured()) > 0, 'coloured when idle');
      assert.deepEqual(await marksOf(), expectedMarks(true));
      await chat.page.getByRole('button', { name: 'Copy code' }).click();
      assert.deepEqual(await chat.waitForPosted('copy'), { type: 'copy', text: code }, 'Copy takes the exact code');
    });

    it('opens only http(s) links, through the host, without navigating the panel', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'See [the docs](https://example.com/docs?a=1&b=2), <https://example.org>, [mail](mailto:a@b.c) and [rel](./local.md).');
      const docs = chat.page.getByRole('link', { name: 'the docs' });
      assert.equal(await docs.getAttribute('rel'), 'noopener noreferrer');
      await docs.click();
      assert.deepEqual(await chat.waitForPosted('openLink'), { type: 'openLink', href: 'https://example.com/docs?a=1&b=2' });

      await chat.page.getByText('mail', { exact: true }).click();
      await chat.page.getByText('rel', { exact: true }).click();
      await chat.settle();
      assert.deepEqual(
        (await chat.postedOfType('openLink')).map((message) => message.href),
        ['https://example.com/docs?a=1&b=2'],
      );
      assert.equal(await chat.page.getByRole('link').count(), 2, 'mailto and relative links are plain text');
      assert.ok(chat.page.url().includes('panel.html'));
    });
  });

  describe('composer', () => {
    it('Enter sends the prompt with the chosen model and attachments; Shift+Enter adds a line', async () => {
      await openReady();
      const prompt = chat.page.getByRole('textbox', { name: 'Message' });
      await prompt.click();
      await chat.page.keyboard.type('first line');
      await chat.page.keyboard.press('Shift+Enter');
      await chat.page.keyboard.type('second line');
      assert.deepEqual(await chat.postedOfType('send'), []);

      await chat.page.getByRole('button', { name: 'Active file' }).click();
      await chat.page.getByRole('combobox', { name: 'Model' }).selectOption('anthropic:claude-sonnet-5');
      await prompt.press('Enter');

      assert.deepEqual(await chat.waitForPosted('send'), {
        type: 'send',
        text: 'first line\nsecond line',
        model: 'anthropic:claude-sonnet-5',
        attachSelection: false,
        attachFile: true,
      });
      assert.equal(await prompt.inputValue(), '');
      assert.equal(await chat.page.locator('#stop').isVisible(), true, 'Stop shows while the request starts');
    });

    it('ignores an empty or blank prompt', async () => {
      await openReady();
      const prompt = chat.page.getByRole('textbox', { name: 'Message' });
      await prompt.press('Enter');
      await prompt.fill('   \n  ');
      await prompt.press('Enter');
      await chat.page.locator('#send').click();
      assert.deepEqual(await chat.postedOfType('send'), []);
    });

    it('lists Auto plus the configured models, preselects the host choice, and reports changes', async () => {
      chat = await harness().open();
      await chat.fromHost({ ...INIT, selectedModel: 'openai:gpt-5.4' });
      await chat.settle();
      const picker = chat.page.getByRole('combobox', { name: 'Model' });
      assert.deepEqual(await picker.locator('option').allTextContents(), [
        'Auto (chat route)',
        'GPT-5.4 (OpenAI)',
        'Claude Sonnet 5 (Anthropic)',
      ]);
      assert.equal(await picker.inputValue(), 'openai:gpt-5.4');
      await picker.selectOption('auto');
      assert.deepEqual(await chat.waitForPosted('selectModel'), { type: 'selectModel', model: 'auto' });
    });

    it('shows what the toggles would attach and the chips of what was attached', async () => {
      await openReady();
      const selection = chat.page.locator('#attach-selection');
      const file = chat.page.locator('#attach-file');
      assert.equal(await file.locator('.toggle-detail').textContent(), 'no active file');
      assert.equal(await selection.locator('.toggle-detail').textContent(), 'no selection');

      await chat.fromHost({ type: 'attachmentsPreview', selection: { label: 'src/app.ts:10-24' }, file: { label: 'src/app.ts' } });
      // The toggle shows the file's name; its tooltip names the whole path and says what a click does.
      await chat.page.getByRole('button', { name: 'Selection app.ts:10-24' }).waitFor();
      assert.equal(await file.locator('.toggle-detail').textContent(), 'app.ts');
      assert.equal(await file.getAttribute('aria-pressed'), 'false');
      assert.equal(await file.getAttribute('title'), 'Off. Click to attach the active file (src/app.ts) to each message.');
      const off = await toggleLook(file);

      await file.click();
      assert.equal(await file.getAttribute('aria-pressed'), 'true');
      assert.equal(await file.getAttribute('title'), 'On: attaches the active file (src/app.ts) to each message. Click to stop.');
      const on = await toggleLook(file);
      assert.notEqual(on.box, off.box, 'the box is ticked when on');
      assert.notEqual(on.border, off.border, 'the border differs, not only the colour');
      assert.ok(on.weight > off.weight, `the label is bolder when on (${on.weight} vs ${off.weight})`);
      assert.equal(await selection.getAttribute('aria-pressed'), 'false', 'each toggle keeps its own state');

      await file.click();
      assert.equal(await file.getAttribute('aria-pressed'), 'false');
      assert.deepEqual(await toggleLook(file), off);

      await chat.streamAnswer('r1', 'ok', {
        userText: 'Explain this',
        attachments: [{ label: 'src/app.ts:10-24' }, { label: 'src/util.ts' }],
      });
      assert.deepEqual(await chat.page.locator('.message.user .chip').allTextContents(), ['src/app.ts:10-24', 'src/util.ts']);
      assert.equal(await text('.message.user .user-text'), 'Explain this');
    });

    it('says about how many tokens the selection and the whole file would be, before sending, and how much of a long file is sent', async () => {
      await openReady();
      await chat.fromHost({
        type: 'attachmentsPreview',
        selection: { label: 'src/app.ts:10-24', chars: 600 },
        file: { label: 'src/app.ts', chars: 60_000, ofChars: 250_000 },
      });
      const file = chat.page.locator('#attach-file');
      await chat.page.getByRole('button', { name: 'Active file app.ts · ~15,000 tokens' }).waitFor();
      assert.equal(await chat.page.locator('#attach-selection .toggle-detail').textContent(), 'app.ts:10-24 · ~150 tokens');
      assert.equal(
        await file.getAttribute('title'),
        'Off. Click to attach the active file (src/app.ts, its first 60,000 of 250,000 characters, ~15,000 tokens) to each message.',
      );
      assert.equal(
        await chat.page.locator('#attach-selection').getAttribute('title'),
        'Off. Click to attach the selection (src/app.ts:10-24, 600 characters, ~150 tokens) to each message.',
      );
    });

    it('says so when a file the user attached is excluded, before and after sending', async () => {
      await openReady();
      const excluded = 'excluded by switchboard.exclude';
      await chat.fromHost({ type: 'attachmentsPreview', selection: null, file: { label: 'config/.env', excluded } });
      await chat.page.getByRole('button', { name: `Active file .env (${excluded})` }).waitFor();
      assert.equal(
        await chat.page.locator('#attach-file').getAttribute('title'),
        `Off. Click to attach the active file (config/.env) to each message. It is not sent: ${excluded}.`,
      );
      await chat.streamAnswer('r1', 'ok', { userText: 'Why does this not load?', attachments: [{ label: 'config/.env', excluded }] });
      const chip = chat.page.locator('.message.user .chip.excluded');
      assert.equal(await chip.textContent(), `config/.env: not attached, ${excluded}`);
    });
  });

  describe('conversation state', () => {
    it('restores the transcript from history, and New chat asks the host to start over', async () => {
      chat = await harness().open();
      await chat.fromHost(INIT, {
        type: 'history',
        totalCostUsd: 0.5,
        messages: [
          { role: 'user', text: 'What is **this**?', attachments: [{ label: 'src/a.ts:1-3' }] },
          { role: 'assistant', text: 'It is `code`.', footer: { ...FOOTER, model: 'claude-sonnet-5' } },
          { role: 'user', text: 'And now?', attachments: [] },
          { role: 'assistant', text: '', error: { message: 'No model answered.', attempts: [] } },
          { role: 'user', text: 'Once more', attachments: [] },
          {
            role: 'assistant',
            text: 'Broke off mid',
            error: { message: 'The stream broke off.', attempts: [] },
            footer: { ...FOOTER, latencyMs: 900 },
          },
        ],
      });
      await chat.page.locator('.answer-error').first().waitFor();
      assert.deepEqual(await chat.page.locator('.message.user .user-text').allTextContents(), [
        'What is **this**?',
        'And now?',
        'Once more',
      ]);
      assert.equal(await text('.message.assistant p code'), 'code');
      assert.deepEqual(await chat.page.locator('.footer-model').allInnerTexts(), ['claude-sonnet-5', 'gpt-5.4']);
      assert.deepEqual(await chat.page.locator('.error-message').allInnerTexts(), ['No model answered.', 'The stream broke off.']);
      assert.equal(await chat.page.locator('.footer-latency').last().innerText(), '900 ms');
      assert.equal(await text('.message.user .chip'), 'src/a.ts:1-3');
      assert.equal(await text('#conversation-cost'), '$0.50');
      assert.equal(await chat.page.locator('#welcome').isVisible(), false);

      await chat.page.getByRole('button', { name: 'New Chat' }).click();
      assert.deepEqual(await chat.waitForPosted('newChat'), { type: 'newChat' });
      await chat.fromHost({ type: 'history', messages: [], totalCostUsd: 0 });
      await chat.page.locator('#welcome').waitFor();
      assert.equal(await count('.message'), 0);
      assert.equal(await text('#conversation-cost'), '$0.00');
    });

    it('says above a conversation how many of its oldest messages were removed to keep it within its stored size, and nothing when none were', async () => {
      await openReady();
      const messages = [
        { role: 'user' as const, text: 'question 7', attachments: [] },
        { role: 'assistant' as const, text: 'answer 7', footer: FOOTER },
      ];
      await chat.fromHost({ type: 'history', totalCostUsd: 1.75, removedMessages: 12, messages });
      const note = chat.page.getByRole('note');
      await note.waitFor();
      assert.equal(
        await note.innerText(),
        'The oldest 12 messages were removed: a conversation keeps about its latest 500,000 characters in this workspace. Their cost still counts in the total. For a new subject, start a new chat (+).',
      );
      assert.equal(await chat.page.locator('#messages > *').first().getAttribute('role'), 'note', 'above the conversation');
      assert.equal(await text('#conversation-cost'), '$1.75');
      assert.equal(await chat.page.locator('#welcome').isVisible(), false);

      await chat.fromHost({ type: 'history', totalCostUsd: 0.25, messages });
      await chat.page.locator('.message.user').waitFor();
      assert.equal(await count('[role="note"]'), 0);
      assert.deepEqual(await chat.violations(), []);
    });

    it('keeps the header on one line in a narrow side bar, cutting a long title with an ellipsis', async () => {
      for (const title of ['How do I sort numbers?', 'Why does the reorder report count items twice when the warehouse has two bins?']) {
        chat = await harness().open();
        await chat.page.setViewportSize({ width: 300, height: 500 });
        await chat.fromHost(INIT, { type: 'history', messages: [], totalCostUsd: 0.0123, title });
        await chat.page.locator('.conversation-title', { hasText: title }).waitFor();
        const lines = await chat.page.locator('.chat-header').evaluate((header) =>
          Array.from(header.querySelectorAll('.conversation-title, #conversation-cost, #new-chat'), (element) => {
            const range = document.createRange();
            range.selectNodeContents(element);
            // The lines the text takes: a cut title has two boxes (the text and what shows of it) on one line.
            return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
          }),
        );
        assert.deepEqual(lines, [1, 1, 1], `one line each for "${title}"`);
        const header = await chat.page.locator('.chat-header').boundingBox();
        const cost = await chat.page.locator('#conversation-cost').boundingBox();
        assert.ok(cost!.x + cost!.width <= header!.x + header!.width, 'the cost stays in view');
        await chat.close();
      }
    });

    it('keeps the scroll position VS Code saved for the view', async () => {
      const longHistory = Array.from({ length: 40 }, (_, i) => ({
        role: 'user' as const,
        text: `message ${i}`,
        attachments: [],
      }));
      chat = await harness().open({ savedState: { scrollTop: 120, pinnedToBottom: false } });
      await chat.fromHost(INIT, { type: 'history', messages: longHistory, totalCostUsd: 0 });
      await chat.settle();
      assert.equal(await chat.page.locator('#messages').evaluate((list) => list.scrollTop), 120);
    });

    it('without a provider key shows how to add one, and hides it once there is one', async () => {
      chat = await harness().open();
      await chat.fromHost({ ...INIT, hasCredentials: false });
      await chat.page.locator('#no-key').waitFor();
      // A key is one way; someone with only a local server (Ollama, LM Studio) is told where it goes.
      assert.match(await chat.page.locator('#no-key').innerText(), /AWS credentials for Bedrock, or a local server such as Ollama \(switchboard\.providers\.openai\.baseUrl in your User settings\)/);
      // The same ways, under the same labels, as Ask and Plan's notification.
      assert.deepEqual(await chat.page.locator('#no-key button').allInnerTexts(), ['Set API Key…', 'Use a Local Server…']);
      await chat.page.getByRole('button', { name: 'Set API Key…' }).click();
      assert.deepEqual(await chat.waitForPosted('setUpProvider'), { type: 'setUpProvider', way: 'setKey' });
      await chat.page.getByRole('button', { name: 'Use a Local Server…' }).click();
      await chat.page.waitForFunction(() => (window as unknown as { __test: { posted: { type: string }[] } }).__test.posted.filter((m) => m.type === 'setUpProvider').length === 2);
      assert.deepEqual((await chat.postedOfType('setUpProvider'))[1], { type: 'setUpProvider', way: 'localServer' });

      await chat.fromHost(INIT);
      await chat.page.locator('#no-key').waitFor({ state: 'hidden' });
    });

    it("with the only provider out because its key was kept back from a host, offers Allow for that host alone, not a new key", async () => {
      chat = await harness().open();
      const reason = 'Switchboard did not send your OpenAI key to gpu-box: it goes only to api.openai.com unless you allow that host; run "Switchboard: Allow Key for Host…" or add "gpu-box" to switchboard.providers.openai.sendKeyTo in your User settings';
      await chat.fromHost({ ...INIT, hasCredentials: false, withheldKeys: [{ host: 'gpu-box', reason }] });
      await chat.page.locator('#no-key').waitFor();
      assert.equal(await chat.page.locator('#no-key p').innerText(), `Switchboard has no provider to ask: ${reason}.`);
      assert.deepEqual(await chat.page.locator('#no-key button').allInnerTexts(), ['Allow for gpu-box']);
      await chat.page.getByRole('button', { name: 'Allow for gpu-box' }).click();
      assert.deepEqual(await chat.waitForPosted('setUpProvider'), { type: 'setUpProvider', way: 'allowKeyHost' });
      assert.deepEqual(chat.errors, []);
    });

    it('without a provider refuses a question before sending it, keeps it in the box, and sends it once a provider is set up', async () => {
      chat = await harness().open();
      await chat.fromHost({ ...INIT, hasCredentials: false }, { type: 'history', messages: [], totalCostUsd: 0 });
      await chat.page.locator('#no-key').waitFor();
      await chat.page.locator('#prompt').fill('How do I sort numbers?');
      await chat.page.locator('#prompt').press('Enter');
      const hint = chat.page.locator('#composer-hint');
      await hint.waitFor({ state: 'visible' });
      assert.match(await hint.innerText(), /^Not sent: Switchboard has no provider to ask yet \(see above\)\. Your question stays here/);
      assert.equal(await chat.page.locator('#prompt').inputValue(), 'How do I sort numbers?', 'nothing typed is lost');
      assert.deepEqual(await chat.postedOfType('send'), [], 'nothing was sent');
      assert.equal(await chat.page.locator('.message').count(), 0, 'no question shown, no error listing the route');
      assert.equal(await chat.page.locator('#send').isVisible(), true, 'not waiting for an answer');

      // A key stored (or a server set): the host's next init. No reload; Enter sends the question kept.
      await chat.fromHost(INIT);
      await chat.page.locator('#no-key').waitFor({ state: 'hidden' });
      assert.equal(await hint.isVisible(), false, 'the refusal is no longer said');
      await chat.page.locator('#prompt').press('Enter');
      const sent = await chat.waitForPosted('send');
      assert.equal(sent.text, 'How do I sort numbers?');
      assert.equal(await chat.page.locator('#prompt').inputValue(), '');
    });

    it('gives back a question the host refused for want of a provider, and names an invalid endpoint setting with Open Settings', async () => {
      chat = await harness().open();
      await chat.fromHost(INIT, { type: 'history', messages: [], totalCostUsd: 0 });
      await chat.page.locator('#prompt').fill('Why is this slow?');
      await chat.page.locator('#prompt').press('Enter');
      await chat.waitForPosted('send');
      assert.equal(await chat.page.locator('#stop').isVisible(), true, 'waiting for the answer to start');
      // The provider went away before the host read the question (its settings changed): refused there.
      const reason = 'switchboard.providers.openai.baseUrl is not an http(s) URL: nothing goes to openai until it is fixed';
      await chat.fromHost({ ...INIT, hasCredentials: false, invalidSettings: [reason] }, { type: 'notSent', text: 'Why is this slow?' });
      await chat.page.locator('#no-key').waitFor();
      assert.equal(await chat.page.locator('#prompt').inputValue(), 'Why is this slow?');
      assert.equal(await chat.page.locator('#send').isVisible(), true, 'no longer waiting');
      assert.equal(await chat.page.locator('#composer-hint').isVisible(), true);
      assert.equal(await chat.page.locator('#no-key p').innerText(), `Switchboard has no provider to ask: ${reason}.`);
      assert.deepEqual(await chat.page.locator('#no-key button').allInnerTexts(), ['Open Settings', 'Set API Key…']);
      await chat.page.getByRole('button', { name: 'Open Settings' }).click();
      assert.deepEqual(await chat.waitForPosted('setUpProvider'), { type: 'setUpProvider', way: 'openSettings' });

      // Typed again meanwhile: a late refusal does not overwrite it.
      await chat.page.locator('#prompt').fill('Something else');
      await chat.fromHost({ type: 'notSent', text: 'Why is this slow?' });
      await chat.settle();
      assert.equal(await chat.page.locator('#prompt').inputValue(), 'Something else');
      assert.deepEqual(chat.errors, []);
    });

    it('ignores malformed host messages and keeps working', async () => {
      await openReady();
      await chat.fromHost(
        null,
        'chunk',
        42,
        [],
        { type: 'nonsense' },
        { type: 'chunk' },
        { type: 'chunk', id: 'nobody', seq: 0, text: 'orphan' },
        { type: 'start', id: 7 },
        { type: 'done', id: 'r0', footer: null },
        { type: 'init', models: 'all of them' },
        { type: 'history', messages: [null, { role: 'system', text: 'x' }, { role: 'user' }] },
        { type: 'error', id: 'r0', message: 'x', attempts: [{ provider: 1 }] },
      );
      await chat.settle();
      assert.deepEqual(
        chat.errors.filter((error) => error.startsWith('pageerror')),
        [],
      );
      await chat.streamAnswer('r1', 'Still **works**.');
      assert.equal(await text('.message.assistant strong'), 'works');
      assert.equal(await text('.footer-model'), 'gpt-5.4');
    });
  });

  describe('accessibility', () => {
    it('announces the conversation politely and labels every control', async () => {
      await openReady();
      await chat.streamAnswer('r1', '```js\nx()\n```');
      const log = chat.page.getByRole('log', { name: 'Conversation' });
      assert.equal(await log.getAttribute('aria-live'), 'polite');
      const unlabelled = await chat.page.evaluate(() => {
        const fakeButtons = Array.from(document.querySelectorAll('[role="button"]'));
        const nameless = Array.from(document.querySelectorAll('button, select, textarea')).filter(
          (control) => !(control.getAttribute('aria-label') || control.textContent?.trim()),
        );
        return [...fakeButtons, ...nameless].map((control) => control.outerHTML);
      });
      assert.deepEqual(unlabelled, []);

      await chat.page.getByRole('textbox', { name: 'Message' }).focus();
      await chat.page.keyboard.press('Shift+Tab');
      await chat.page.keyboard.press('Shift+Tab');
      assert.equal(await chat.page.evaluate(() => document.activeElement?.id), 'attach-selection');
    });
  });

  describe('benchmark hook', () => {
    it('records when each chunk was painted, only when the host asks for it', async () => {
      chat = await harness().open();
      await chat.fromHost({ ...INIT, benchmark: true });
      await chat.streamAnswer('r1', 'x'.repeat(70), { chunkSize: 7 });
      const records = await chat.page.evaluate(() => window.__switchboardPaints?.entries() ?? []);
      assert.deepEqual(
        records.map((record) => record.seq),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      assert.ok(records.every((record, i) => i === 0 || record.paintedAt >= (records[i - 1]?.paintedAt ?? 0)));
      assert.ok(records.every((record) => record.receivedAt <= record.paintedAt && record.renderMs >= 0 && record.renderMs <= record.paintedAt));
      assert.ok(records.every((record) => record.presentedAt >= record.paintedAt), 'every chunk drawn has been shown by a frame');
      // Chromium reports main-thread tasks of 50 ms or more; the benchmark reads them from here.
      assert.ok((await chat.page.evaluate(() => window.__switchboardLongTasks?.observed ?? [])).includes('longtask'));
      // The relay baseline: the bench asks the host for pings through the page, and the page stamps each on receipt.
      await chat.page.evaluate(() => window.__switchboardBenchmark?.requestPings(3, 20));
      assert.deepEqual(await chat.waitForPosted('benchmarkPings'), { type: 'benchmarkPings', count: 3, intervalMs: 20 });
      const before = await chat.page.evaluate(() => performance.now());
      await chat.fromHost({ type: 'ping', seq: 0, sentAt: 1_000 }, { type: 'ping', seq: 1, sentAt: 1_020 });
      const pings = await chat.page.evaluate(() => window.__switchboardBenchmark?.pings() ?? []);
      assert.deepEqual(pings.map((ping) => [ping.seq, ping.sentAt]), [[0, 1_000], [1, 1_020]]);
      assert.ok(pings.every((ping) => ping.receivedAt >= before));
      await chat.close();

      await openReady();
      await chat.streamAnswer('r1', 'no benchmark');
      assert.equal(await chat.page.evaluate(() => window.__switchboardPaints), undefined);
      assert.equal(await chat.page.evaluate(() => window.__switchboardLongTasks), undefined);
      assert.equal(await chat.page.evaluate(() => window.__switchboardBenchmark), undefined);
    });
  });
});
