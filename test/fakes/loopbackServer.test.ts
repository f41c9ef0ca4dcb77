import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import { startFakeBedrock } from './bedrockFake';
import { startFakeOpenAI } from './openaiFake';

/** Far more than the socket buffers of loopback hold, so most of it is still in the fake's hands when the close comes. */
const LONG_ANSWER = 'x'.repeat(8 * 1024 * 1024);

/** Reads a response to its end, failing when it breaks off before its JSON does. */
function readWhole(body: NodeJS.ReadableStream): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    body.on('error', reject);
    body.on('aborted', () => reject(new Error('the answer was cut off')));
  }).then((text) => {
    if (!text.endsWith('}')) throw new Error(`the answer ended after ${text.length} characters`);
    return text;
  });
}

/**
 * A fake's close races none of its writes: handlers stop first, what they
 * have written goes out whole, and only then are connections dropped.
 */
describe('a fake server closing with exchanges in flight', () => {
  it('lets an HTTP/1.1 answer already written reach its client whole before it drops the connection', async () => {
    const fake = await startFakeOpenAI();
    fake.script({ text: LONG_ANSWER });
    const body = JSON.stringify({ model: 'gpt-5-mini', stream: false, messages: [{ role: 'user', content: 'long' }] });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(`${fake.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
      request.on('error', reject);
      request.end(body);
    });
    // The client has read nothing past the headers when the fake is asked to close.
    const closing = fake.close();
    const text = await readWhole(response);
    await closing;
    const answer = JSON.parse(text) as { choices: Array<{ message: { content: string } }> };
    assert.equal(answer.choices[0]?.message.content.length, LONG_ANSWER.length);
  });

  it('lets an HTTP/2 answer already written reach its client whole before it drops the connection', async () => {
    const fake = await startFakeBedrock();
    fake.script({ text: LONG_ANSWER });
    const session = http2.connect(fake.url);
    // The fake drops the idle connection as its close ends; that is no failure of the client's.
    session.on('error', () => {});
    const stream = session.request({ ':method': 'POST', ':path': '/model/anthropic.claude-haiku/converse', 'content-type': 'application/json' });
    stream.end(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'long' }] }] }));
    await new Promise<void>((resolve, reject) => {
      stream.on('response', () => resolve());
      stream.on('error', reject);
    });
    // The client has read nothing past the headers when the fake is asked to close.
    const closing = fake.close();
    const text = await readWhole(stream);
    session.close();
    await closing;
    const answer = JSON.parse(text) as { output: { message: { content: Array<{ text: string }> } } };
    assert.equal(answer.output.message.content[0]?.text.length, LONG_ANSWER.length);
  });

  it('ends a stalled exchange as the server going away, not as its client leaving, and resolves', async () => {
    const fake = await startFakeOpenAI();
    fake.script({ stall: true });
    const asked = fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5-mini', stream: true, messages: [{ role: 'user', content: 'wait' }] }),
    });
    await fake.waitForRequests(1);
    await fake.close();
    await assert.rejects(asked);
    assert.equal(fake.closedEarly, 0);
    assert.notEqual(fake.requests[0]?.respondedAt, undefined);
    assert.equal(fake.bills.length, 0);
  });
});
