import assert from 'node:assert/strict';
import { DirectStreamServer, type DirectAnswerStream } from '../../src/vscode/chat/directStreamServer';
import { FOOTER, type ChatPage } from './chatHarness';
import { useChatPanel } from './chatPanelSuite';

/**
 * The page's side of switchboard.chat.directStream, against the host's real loopback server: chunks by the
 * stream, the end by postMessage (which may overtake them), and the fallback to postMessage when the stream fails.
 */
describe('chat panel in the browser: the direct stream', function () {
  this.timeout(30_000);
  let chat: ChatPage;
  const { openReady, text, count } = useChatPanel(() => chat, (opened) => (chat = opened));
  let server: DirectStreamServer;

  beforeEach(async () => {
    // This page is served over http, as a browser workbench's webview is: a desktop window's server would refuse it.
    server = new DirectStreamServer({ pages: 'any' });
    await server.open();
  });
  afterEach(() => server.close());

  const start = (id: string, stream: DirectAnswerStream) => ({
    type: 'start',
    id,
    requestedModel: 'openai:gpt-5.4',
    attachments: [],
    userText: 'question',
    direct: { url: stream.url, proof: stream.proof },
  });
  const done = (id: string) => ({ type: 'done', id, footer: FOOTER, totalCostUsd: 0.01 });

  /** Until the page has fetched the answer's response (polled: the fetch takes its own time). */
  async function pageReading(stream: DirectAnswerStream): Promise<void> {
    while (!stream.isRead) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('draws the streamed chunks in order, holding the footer that overtook them until the last one came', async () => {
    await openReady({ connectOrigin: server.origin });
    const stream = server.offer() as DirectAnswerStream;
    await chat.fromHost(start('r1', stream));
    await pageReading(stream);
    stream.write(0, 'Hello, ');
    stream.write(1, 'direct ');
    // The end and the footer by postMessage, before the last chunks have even been written.
    await chat.fromHost({ type: 'directEnd', id: 'r1', seq: 3 }, done('r1'));
    await chat.settle();
    assert.equal(await count('.message.assistant .answer-footer'), 0, 'the footer waits for the text');
    stream.write(2, 'world');
    stream.write(3, '.');
    stream.end(3);
    await chat.page.locator('.message.assistant .answer-footer').waitFor();
    assert.equal(await text('.message.assistant .markdown p'), 'Hello, direct world.');
    assert.deepEqual(await chat.postedOfType('directFailed'), []);
    assert.deepEqual(await chat.postedOfType('chunkAck'), [], 'nothing to acknowledge: TCP paces the stream');
    assert.deepEqual(await chat.violations(), []);
    assert.deepEqual(chat.errors, []);
  });

  it('when its policy names no port (fetch refused), asks for the whole answer by postMessage and shows it once', async () => {
    await openReady();
    const stream = server.offer() as DirectAnswerStream;
    await chat.fromHost(start('r1', stream), { type: 'directEnd', id: 'r1', seq: 2 }, done('r1'));
    const failed = await chat.waitForPosted('directFailed');
    assert.equal((failed as { seq?: number }).seq, -1, 'nothing applied');
    assert.ok(!stream.isRead, 'the request never left the page');
    assert.ok((await chat.violations()).some((violation) => violation.startsWith('connect-src')), 'the policy refused it');
    await chat.fromHost({ type: 'chunk', id: 'r1', firstSeq: 0, seq: 2, text: 'All of it, once.' });
    await chat.page.locator('.message.assistant .answer-footer').waitFor();
    assert.equal(await text('.message.assistant .markdown p'), 'All of it, once.');
  });

  it('refused by a desktop window\'s server (this page is not a vscode-webview: one), asks for the whole answer by postMessage', async () => {
    const desktop = new DirectStreamServer();
    await desktop.open();
    try {
      await openReady({ connectOrigin: desktop.origin });
      const stream = desktop.offer() as DirectAnswerStream;
      stream.write(0, 'Never read.');
      await chat.fromHost(start('r1', stream), { type: 'directEnd', id: 'r1', seq: 0 }, done('r1'));
      const failed = await chat.waitForPosted('directFailed');
      assert.equal((failed as { seq?: number }).seq, -1, 'nothing applied');
      assert.ok(!stream.isRead, 'the token was not used up');
      await chat.fromHost({ type: 'chunk', id: 'r1', seq: 0, text: 'All of it, once.' });
      await chat.page.locator('.message.assistant .answer-footer').waitFor();
      assert.equal(await text('.message.assistant .markdown p'), 'All of it, once.');
    } finally {
      await desktop.close();
    }
  });

  it('when the stream drops mid-answer, asks for the rest after the last chunk it drew, and ignores a chunk it already has', async () => {
    await openReady({ connectOrigin: server.origin });
    const stream = server.offer() as DirectAnswerStream;
    await chat.fromHost(start('r1', stream));
    await pageReading(stream);
    stream.write(0, 'First ');
    stream.write(1, 'half, ');
    await chat.page.waitForFunction(() => document.querySelector('.message.assistant .markdown')?.textContent?.includes('First half,') === true);
    stream.abandon();
    const failed = await chat.waitForPosted('directFailed');
    assert.equal((failed as { seq?: number }).seq, 1);
    await chat.fromHost(
      // A chunk the page drew already (the host's resend overlapping it) is not drawn twice.
      { type: 'chunk', id: 'r1', seq: 1, text: 'half, ' },
      { type: 'chunk', id: 'r1', firstSeq: 2, seq: 3, text: 'second half.' },
      { type: 'directEnd', id: 'r1', seq: 3 },
      done('r1'),
    );
    await chat.page.locator('.message.assistant .answer-footer').waitFor();
    assert.equal(await text('.message.assistant .markdown p'), 'First half, second half.');
    // Chromium's own line for the cut response; nothing of the page's.
    assert.deepEqual(chat.errors.filter((error) => !error.includes('ERR_INCOMPLETE_CHUNKED_ENCODING')), []);
  });

  it('asks for chunks still missing once the end has come and they have not, after a wait', async () => {
    await openReady({ connectOrigin: server.origin });
    const stream = server.offer() as DirectAnswerStream;
    await chat.fromHost(start('r1', stream));
    await pageReading(stream);
    stream.write(0, 'Only this');
    await chat.fromHost({ type: 'directEnd', id: 'r1', seq: 1 }, done('r1'));
    const failed = await chat.waitForPosted('directFailed');
    assert.equal((failed as { seq?: number }).seq, 0);
    assert.match(String((failed as { reason?: string }).reason), /missing/);
    await chat.fromHost({ type: 'chunk', id: 'r1', seq: 1, text: ' and this.' });
    await chat.page.locator('.message.assistant .answer-footer').waitFor();
    assert.equal(await text('.message.assistant .markdown p'), 'Only this and this.');
  });
});
