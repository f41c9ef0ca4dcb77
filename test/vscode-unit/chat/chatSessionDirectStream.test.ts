import assert from 'node:assert/strict';
import type { HostToWebview } from '../../../src/shared/chatProtocol';
import { DirectStreamServer } from '../../../src/vscode/chat/directStreamServer';
import { useChatSessionFixture } from './chatSessionFixture';

type Start = Extract<HostToWebview, { type: 'start' }>;

/** Reads an answer's direct stream as the page does (fetch): its frames, until it ends or `stopAfter` chunks came. */
async function readStream(start: Start, stopAfter = Infinity): Promise<{ chunks: Array<[number, string]>; ended: boolean }> {
  const direct = start.direct;
  assert.ok(direct, 'the start carries the direct stream');
  const controller = new AbortController();
  const response = await fetch(direct.url, { signal: controller.signal, headers: { origin: 'vscode-webview://0f1e2d3c4b5a' } });
  const chunks: Array<[number, string]> = [];
  let buffered = '';
  const decoder = new TextDecoder();
  try {
    for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(part, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const frame = JSON.parse(line) as unknown;
        if (Array.isArray(frame)) chunks.push(frame as [number, string]);
        else if ('end' in (frame as object)) return { chunks, ended: true };
        else assert.deepEqual(frame, { proof: direct.proof });
        if (chunks.length >= stopAfter) {
          controller.abort();
          return { chunks, ended: false };
        }
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return { chunks, ended: false };
}

describe('chat session with the direct stream (switchboard.chat.directStream), against the fake OpenAI server', () => {
  const fixture = useChatSessionFixture();
  const ANSWER = 'one two three four five six seven eight';
  let server: DirectStreamServer;

  beforeEach(async () => {
    server = new DirectStreamServer();
    await server.open();
  });
  afterEach(() => server.close());

  it('sends every chunk by the loopback response, none by postMessage, and says where the answer ended before its footer', async () => {
    fixture.fake.script({ text: ANSWER, chunks: 8 });
    let reading: Promise<{ chunks: Array<[number, string]>; ended: boolean }> | undefined;
    const { session: chat } = fixture.session(
      (message) => {
        if (message.type === 'start') reading = readStream(message);
      },
      { directStream: () => server.offer() },
    );
    await chat.send('Count to eight', []);
    const read = await (reading as NonNullable<typeof reading>);
    assert.equal(read.ended, true);
    assert.equal(read.chunks.map(([, text]) => text).join(''), ANSWER);
    assert.deepEqual(read.chunks.map(([seq]) => seq), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(fixture.posted.filter((message) => message.type === 'chunk').length, 0, 'no chunk message');
    const types = fixture.posted.map((message) => message.type);
    assert.deepEqual(types.slice(-2), ['directEnd', 'done']);
    const end = fixture.posted.at(-2);
    assert.equal(end?.type === 'directEnd' && end.seq, 7);
    assert.equal(server.openAnswers, 0, 'the answer left the server');
  });

  it('after the page says the stream failed, sends the chunks it missed by postMessage, then the rest, each once', async () => {
    fixture.fake.script({ text: ANSWER, chunks: 8, chunkDelayMs: 5 });
    let failedAt = -2;
    let reading: Promise<void> | undefined;
    const { session: chat } = fixture.session(
      (message, chat) => {
        if (message.type === 'start') {
          // A page that applied three chunks, then lost its stream.
          reading = readStream(message, 3).then(({ chunks }) => {
            failedAt = chunks.at(-1)?.[0] ?? -1;
            chat.directFailed(message.id, failedAt, 'TypeError: network error');
            pageText = chunks.map(([, text]) => text).join('');
          });
        }
        if (message.type === 'chunk' && message.ack) chat.acknowledge(message.id, message.seq);
      },
      { directStream: () => server.offer() },
    );
    let pageText = '';
    await chat.send('Count to eight', []);
    await reading;
    assert.equal(failedAt, 2);
    const posted = fixture.posted.flatMap((message) => (message.type === 'chunk' ? [message] : []));
    assert.equal(posted[0]?.firstSeq ?? posted[0]?.seq, 3, 'the resend starts after the last chunk the page applied');
    assert.equal(pageText + posted.map((chunk) => chunk.text).join(''), ANSWER, 'the whole answer, nothing twice');
    assert.deepEqual(fixture.warnings, ['direct stream failed: TypeError: network error']);
    // The resend may come before the end or after it (the page then still holds the footer): both end the answer.
    assert.ok(fixture.posted.some((message) => message.type === 'directEnd') && fixture.posted.some((message) => message.type === 'done'));
  });
});
