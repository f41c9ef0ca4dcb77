import assert from 'node:assert/strict';
import { FOOTER, INIT, type ChatPage } from './chatHarness';
import { useChatPanel } from './chatPanelSuite';

describe('chat panel in the browser', function () {
  this.timeout(30_000);
  let chat: ChatPage;
  const { harness, openReady, text, count } = useChatPanel(() => chat, (opened) => (chat = opened));

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
