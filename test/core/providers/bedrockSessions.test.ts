/**
 * Which requests sharingHttp2Sessions lets share a pooled HTTP/2 session: ConverseStream's, told to the AWS SDK's real
 * NodeHttp2Handler as no event stream; any other event-stream request keeps the session of its own the SDK gives it
 * (a bidirectional stream's request body lasts the whole exchange). Played against a real HTTP/2 server on 127.0.0.1
 * that counts the connections (sessions) opened.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { sharingHttp2Sessions } from '../../../src/core/providers/bedrockSessions';

type Request = Parameters<NodeHttp2Handler['handle']>[0];

describe('bedrock HTTP/2 sessions: which requests share one', () => {
  let server: http2.Http2Server;
  let port: number;
  let opened = 0;
  let handler: NodeHttp2Handler;

  before(async () => {
    server = http2.createServer();
    server.on('session', () => opened++);
    server.on('stream', (stream) => {
      stream.on('error', () => undefined);
      stream.resume();
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
        stream.end('ok');
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((closed) => server.close(() => closed()));
  });
  beforeEach(() => (handler = sharingHttp2Sessions(new NodeHttp2Handler())));
  afterEach(() => handler.destroy());

  /** Sends a request as an event stream (as the SDK does for ConverseStream's) and reads its answer to the end. */
  async function send(path: string): Promise<string> {
    const request = { protocol: 'http:', hostname: '127.0.0.1', port, method: 'POST', path, query: {}, headers: { 'content-type': 'application/json' }, body: '{}' };
    // The fields the handler reads of the SDK's HttpRequest (its class is not a dependency of ours).
    const { response } = await handler.handle(request as unknown as Request, { isEventStream: true });
    assert.equal(response.statusCode, 200);
    let text = '';
    for await (const chunk of response.body as AsyncIterable<Buffer>) text += chunk.toString('utf8');
    return text;
  }

  it('three ConverseStream requests go on one session (the model id URL-encoded, as the SDK sends it)', async () => {
    const before = opened;
    for (let i = 0; i < 3; i++) assert.equal(await send('/model/amazon.nova-lite-v1%3A0/converse-stream'), 'ok');
    assert.equal(opened - before, 1);
  });

  it('another event-stream request keeps a session of its own each time: not shared, not pooled', async () => {
    const before = opened;
    for (let i = 0; i < 2; i++) assert.equal(await send('/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream'), 'ok');
    assert.equal(opened - before, 2);
    // And a ConverseStream request after them does not go on either.
    assert.equal(await send('/model/amazon.nova-lite-v1%3A0/converse-stream'), 'ok');
    assert.equal(opened - before, 3);
  });
});
