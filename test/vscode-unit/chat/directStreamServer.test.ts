import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { DirectStreamServer, pageMayRead, type DirectAnswerStream } from '../../../src/vscode/chat/directStreamServer';

/** A GET (or `method`) to the server with the headers a test chooses, the Host header among them. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function bodyOf(response: IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const part of response) text += part as string;
  return text;
}

function framesOf(body: string): unknown[] {
  return body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** A desktop window's chat page, as its fetch names itself. */
const PANEL = 'vscode-webview://0f1e2d3c4b5a';

describe('the chat direct stream server (switchboard.chat.directStream)', () => {
  let server: DirectStreamServer;
  let port: number;
  const host = () => `127.0.0.1:${port}`;

  beforeEach(async () => {
    server = new DirectStreamServer({ idleCloseMs: 50 });
    port = await server.open();
  });
  afterEach(() => server.close());

  it('listens on 127.0.0.1 at a port the system picks, once however often it is opened', async () => {
    assert.ok(port > 0);
    assert.equal(await server.open(), port);
    assert.equal(server.origin, `http://127.0.0.1:${port}`);
  });

  it('serves an answer at its token: the proof first, the chunks in order, then the end', async () => {
    const stream = server.offer() as DirectAnswerStream;
    assert.match(stream.url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/answer/[A-Za-z0-9_-]{43}$`), '256 random bits in the path');
    stream.write(0, 'Hello');
    const response = await get(stream.url, { host: host(), origin: 'vscode-webview://panel' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['access-control-allow-origin'], 'vscode-webview://panel');
    stream.write(1, ', "world"\n');
    stream.end(1);
    assert.deepEqual(framesOf(await bodyOf(response)), [{ proof: stream.proof }, [0, 'Hello'], [1, ', "world"\n'], { end: 1 }]);
    assert.equal(stream.writtenSeq, 1);
  });

  it('answers nothing, and no CORS header, to a wrong token, a used token or another path', async () => {
    const stream = server.offer() as DirectAnswerStream;
    const wrong = stream.url.replace(/answer\/.*/, `answer/${'A'.repeat(43)}`);
    for (const url of [wrong, `http://127.0.0.1:${port}/`, `http://127.0.0.1:${port}/answer/`]) {
      const response = await get(url, { host: host(), origin: 'https://evil.example' });
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.headers['access-control-allow-origin'], undefined, url);
      await bodyOf(response);
    }
    const first = await get(stream.url, { host: host(), origin: PANEL });
    assert.equal(first.statusCode, 200);
    const second = await get(stream.url, { host: host(), origin: 'https://evil.example' });
    assert.equal(second.statusCode, 404, 'a token is read once');
    assert.equal(second.headers['access-control-allow-origin'], undefined);
    await bodyOf(second);
    stream.end(-1);
    await bodyOf(first);
  });

  it('refuses a request whose Host header is not 127.0.0.1 and its port (DNS rebinding), even with the token', async () => {
    const stream = server.offer() as DirectAnswerStream;
    for (const name of [`evil.example:${port}`, `localhost:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`]) {
      const response = await get(stream.url, { host: name, origin: 'http://evil.example' });
      assert.equal(response.statusCode, 421, name);
      assert.equal(response.headers['access-control-allow-origin'], undefined, name);
      await bodyOf(response);
    }
    // Still unread: the refused requests did not use it up.
    const response = await get(stream.url, { host: host(), origin: PANEL });
    assert.equal(response.statusCode, 200);
    stream.end(-1);
    await bodyOf(response);
  });

  it('in a desktop window, serves only a vscode-webview: page: no website, no request without an Origin, even with the token', async () => {
    const stream = server.offer() as DirectAnswerStream;
    for (const origin of ['https://evil.example', 'http://127.0.0.1:8080', 'null', 'vscode-webview://x/evil', undefined]) {
      for (const method of ['GET', 'OPTIONS']) {
        const response = await get(stream.url, { host: host(), ...(origin !== undefined && { origin }) }, method);
        assert.equal(response.statusCode, 403, `${method} from ${origin ?? 'no Origin'}`);
        assert.equal(response.headers['access-control-allow-origin'], undefined);
        await bodyOf(response);
      }
    }
    // Still unread: the page reads it whole.
    const response = await get(stream.url, { host: host(), origin: PANEL });
    assert.equal(response.statusCode, 200);
    stream.end(-1);
    assert.deepEqual(framesOf(await bodyOf(response)), [{ proof: stream.proof }, { end: -1 }]);
  });

  it('in a browser workbench, serves a page of any origin that has the token, and still no request without an Origin', async () => {
    const web = new DirectStreamServer({ pages: 'any' });
    const webPort = await web.open();
    try {
      const stream = web.offer() as DirectAnswerStream;
      const bare = await get(stream.url, { host: `127.0.0.1:${webPort}` });
      assert.equal(bare.statusCode, 403);
      await bodyOf(bare);
      const response = await get(stream.url, { host: `127.0.0.1:${webPort}`, origin: 'https://x.vscode-cdn.net' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['access-control-allow-origin'], 'https://x.vscode-cdn.net');
      stream.end(-1);
      await bodyOf(response);
    } finally {
      await web.close();
    }
  });

  it('checks the pages a desktop window allows by their Origin alone', () => {
    assert.equal(pageMayRead('vscode-webview://1a2b3c', 'webview'), true);
    for (const origin of ['https://1a2b3c.vscode-cdn.net', 'vscode-webview://a/b', 'vscode-file://vscode-app', 'null', '', undefined]) {
      assert.equal(pageMayRead(origin, 'webview'), false, String(origin));
    }
    assert.equal(pageMayRead('https://1a2b3c.vscode-cdn.net', 'any'), true);
    assert.equal(pageMayRead('null', 'any'), false);
  });

  it("answers Chromium's private-network preflight for the token's path only", async () => {
    await server.close();
    server = new DirectStreamServer({ idleCloseMs: 50, pages: 'any' });
    port = await server.open();
    const stream = server.offer() as DirectAnswerStream;
    const preflight = { host: host(), origin: 'https://x.vscode-cdn.net', 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' };
    const ok = await get(stream.url, preflight, 'OPTIONS');
    assert.equal(ok.statusCode, 204);
    assert.equal(ok.headers['access-control-allow-private-network'], 'true');
    assert.equal(ok.headers['access-control-allow-origin'], 'https://x.vscode-cdn.net');
    const other = await get(`http://127.0.0.1:${port}/answer/nope`, preflight, 'OPTIONS');
    assert.equal(other.statusCode, 404);
    assert.equal(other.headers['access-control-allow-private-network'], undefined);
    stream.abandon();
  });

  it('holds chunks back while the page does not read (TCP back-pressure), and delivers all of them in order once it does', async () => {
    const stream = server.offer() as DirectAnswerStream;
    const response = await get(stream.url, { host: host(), origin: PANEL });
    response.pause();
    const piece = 'x'.repeat(64 * 1024);
    let seq = 0;
    // Written until the socket's buffers are full: the rest waits in the stream, not in Node's queue.
    while (stream.pendingLength === 0 && seq < 2_000) stream.write(seq++, piece);
    assert.ok(stream.pendingLength > 0, `back-pressure after ${seq} chunks of 64 KB`);
    const heldAt = stream.writtenSeq;
    assert.ok(heldAt < seq - 1, 'the last chunks were not handed to the socket');
    for (let i = 0; i < 3; i++) stream.write(seq++, piece);
    assert.equal(stream.writtenSeq, heldAt, 'nothing more is written while the page does not read');
    stream.end(seq - 1);
    response.resume();
    const frames = framesOf(await bodyOf(response));
    assert.deepEqual(
      frames.slice(1, -1).map((frame) => (frame as [number, string])[0]),
      Array.from({ length: seq }, (_, i) => i),
    );
    assert.deepEqual(frames.at(-1), { end: seq - 1 });
  });

  it('tells the answer when the page goes away mid-answer, and writes nothing more', async () => {
    const stream = server.offer() as DirectAnswerStream;
    const response = await get(stream.url, { host: host(), origin: PANEL });
    const broken = new Promise<void>((resolve) => (stream.onBroken = resolve));
    stream.write(0, 'a');
    response.destroy();
    await broken;
    stream.write(1, 'b');
    assert.equal(server.openAnswers, 0);
  });

  it('closes after an idle spell with no page holding it and no answer, and opens again on a new port when asked', async () => {
    const release = server.hold();
    const stream = server.offer() as DirectAnswerStream;
    stream.abandon();
    release();
    const before = port;
    // The idle close (50 ms here): polled, not slept for a fixed time.
    while (server.listeningPort !== undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    await assert.rejects(get(`http://127.0.0.1:${before}/`, { host: `127.0.0.1:${before}` }), /ECONNREFUSED/);
    port = await server.open();
    assert.ok(port > 0);
  });

  it('stays open while a page holds its port, and close() ends every answer and the listener', async () => {
    const release = server.hold();
    const stream = server.offer() as DirectAnswerStream;
    const response = await get(stream.url, { host: host(), origin: PANEL });
    stream.write(0, 'a');
    const aborted = once(response, 'error');
    await server.close();
    assert.match(String((await aborted)[0]), /aborted/, 'the response was cut, not ended');
    assert.equal(server.listeningPort, undefined);
    assert.equal(server.openAnswers, 0);
    release();
  });
});
