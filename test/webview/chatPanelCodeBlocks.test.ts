import assert from 'node:assert/strict';
import type { HostToWebview } from '../../src/shared/chatProtocol';
import { FOOTER, INIT, type ChatPage } from './chatHarness';
import { useChatPanel } from './chatPanelSuite';

describe('chat panel in the browser', function () {
  this.timeout(30_000);
  let chat: ChatPage;
  const { openReady, text } = useChatPanel(() => chat, (opened) => (chat = opened));

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
});
