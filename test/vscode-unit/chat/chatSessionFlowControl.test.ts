import assert from 'node:assert/strict';
import { resolveConfig } from '../../../src/core/config';
import { useChatSessionFixture } from './chatSessionFixture';
import { NOW_MS, TARGET_SLACK_MS } from '../../../src/vscode/chat/chunkPacer';

describe('chat session (the panel host without VS Code), against the fake OpenAI server', () => {
  const fixture = useChatSessionFixture();

  describe('flow control (switchboard.chat.flowControl)', () => {
    const ANSWER = 'one two three four five six seven eight';
    const chunkMessages = () => fixture.posted.flatMap((message) => (message.type === 'chunk' ? [message] : []));

    it('sends each chunk at once while the webview acknowledges it', async () => {
      fixture.fake.script({ text: ANSWER, chunks: 8 });
      // A webview that applies each message before the next chunk arrives.
      const { session: chat } = fixture.session((message, chat) => {
        if (message.type === 'chunk' && message.ack) chat.acknowledge(message.id, message.seq);
      });
      await chat.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER);
      assert.ok(chunks.length >= 2, `${chunks.length} chunk messages`);
      assert.ok(chunks.every((chunk) => chunk.ack === true), 'each asking for an acknowledgement');
      // One chunk a message, so `firstSeq` (which defaults to `seq`) is not serialised and relayed with each.
      assert.ok(chunks.every((chunk) => !('firstSeq' in chunk)), 'one chunk a message, with no firstSeq');
      assert.equal(fixture.posted.at(-1)?.type, 'done');
    });

    it('never waits for acknowledgements that do not come: the last chunk message carries the rest, then the footer', async () => {
      fixture.fake.script({ text: ANSWER, chunks: 8 });
      const { session: chat, transcript } = fixture.session();
      await chat.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER, 'nothing lost');
      // Two went at once; the rest waited (a second without an acknowledgement would free one more) and went last.
      assert.ok(chunks.length >= 3 && chunks.length < 8, `${chunks.length} chunk messages for 8 chunks`);
      assert.ok(chunks.slice(0, -1).every((chunk) => chunk.ack === true));
      assert.equal(chunks.at(-1)?.ack, undefined, 'the final message asks for no acknowledgement');
      assert.equal(fixture.posted.at(-1)?.type, 'done', 'the footer did not wait');
      assert.equal(transcript.turns().at(-1)?.text, ANSWER);
    });

    it('gives a page that announces itself mid-answer the question and the answer so far, then the rest', async () => {
      fixture.fake.script({ text: ANSWER, chunks: 8 });
      let newPageAt = -1;
      // The page applies each message; after the second chunk message a new page says it is ready
      // (the panel first shown, or reloaded, while the answer streams).
      const { session: chat, transcript } = fixture.session((message, chat) => {
        if (message.type !== 'chunk' || !message.ack) return;
        chat.acknowledge(message.id, message.seq);
        if (newPageAt < 0 && fixture.posted.filter((m) => m.type === 'chunk').length === 2) {
          newPageAt = fixture.posted.length;
          chat.pageReady(transcript.historyMessage());
        }
      });
      await chat.send('Count to eight', []);
      assert.ok(newPageAt > 0, 'the answer streamed in more than two chunk messages');
      const forNewPage = fixture.posted.slice(newPageAt);
      const [history, start, soFar] = forNewPage;
      assert.equal(history?.type, 'history');
      assert.deepEqual(history.type === 'history' && history.messages, [], 'the question being answered is not in the history: the start below shows it');
      assert.equal(start?.type, 'start');
      assert.equal(start.type === 'start' && start.userText, 'Count to eight');
      const id = start.type === 'start' ? start.id : '';
      const before = fixture.posted.slice(0, newPageAt).flatMap((m) => (m.type === 'chunk' ? [m.text] : [])).join('');
      assert.equal(soFar?.type === 'chunk' && soFar.text, before, 'the answer so far, in one message');
      const rest = forNewPage.slice(3).flatMap((m) => (m.type === 'chunk' && m.id === id ? [m.text] : [])).join('');
      assert.equal(before + rest, ANSWER, 'the new page gets the whole answer, once');
      assert.equal(fixture.posted.at(-1)?.type, 'done');
    });

    it('with frame pacing (switchboard.chat.framePacing): once the page has said where its frames fall, chunks wait for the time that lands them just before one', async () => {
      const { config } = resolveConfig({ providers: { openai: { baseUrl: `${fixture.fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, chat: { framePacing: true } });
      fixture.switchboard = await fixture.openSwitchboard(config);
      // Eight chunks, 2 ms apart: 500 tokens a second.
      fixture.fake.script({ text: ANSWER, chunks: 8, chunkDelayMs: 2 });
      const postedAt: number[] = [];
      // A page that applies each message at once, and says its next frame is due 16.6 ms later: the message could
      // have been sent 12.6 ms later and still made that frame (chunkPacer.ts's 4 ms margin).
      const { session: chat } = fixture.session((message, chat) => {
        if (message.type !== 'chunk') return;
        postedAt.push(performance.now());
        if (message.ack) chat.acknowledge(message.id, message.seq, { slackMs: 16.6, frameMs: 1000 / 60 });
      });
      await chat.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER, 'nothing lost');
      assert.ok(chunks.length >= 2, `${chunks.length} chunk messages`);
      // The first goes at once (no frame known yet); the next waits for its send time, 12.6 ms on, however soon its chunk
      // came. The pacer sends what is due within NOW_MS (Node's timers count whole milliseconds and can fire that early
      // by performance.now), and the page's clock read for the first message comes a little after its send time.
      const gap = (postedAt[1] ?? Number.NaN) - (postedAt[0] ?? Number.NaN);
      const sendTime = 16.6 - TARGET_SLACK_MS;
      assert.ok(gap >= sendTime - NOW_MS - 0.5, `the second chunk message followed the first after ${gap.toFixed(1)} ms`);
      assert.equal(fixture.posted.at(-1)?.type, 'done');
    });

    it('off: chunks paced by the clock alone, no acknowledgement asked for', async () => {
      const { config } = resolveConfig({ providers: { openai: { baseUrl: `${fixture.fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, chat: { flowControl: false } });
      fixture.switchboard = await fixture.openSwitchboard(config);
      fixture.fake.script({ text: ANSWER, chunks: 8 });
      await fixture.session().session.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER);
      assert.ok(chunks.every((chunk) => chunk.ack === undefined));
    });
  });
});
