/**
 * Bedrock's kept-alive connection closed by the server as it is reused. Only Bedrock's HTTP/1.1 way keeps one: behind a
 * proxy, the AWS SDK's NodeHttpHandler over Switchboard's tunnel agents (keep-alive). Its default HTTP/2 way opens a
 * session of its own for every ConverseStream request (the SDK's isolated sessions, for event streams and under
 * disableConcurrentStreams), which nothing reuses. Played through the real router, registry (the proxy from
 * NODE_USE_ENV_PROXY and HTTP_PROXY, as in the CLI), adapter and SDK, a fake CONNECT proxy and the fake Bedrock that
 * drops a request arriving on a connection that carried one before, unread.
 */
import assert from 'node:assert/strict';
import { startFakeProxy, type FakeProxy } from '../fakes/connectProxy';
import { KEYS, NOVA, routerHarness } from './routerHarness';

describe('bedrock: a kept-alive connection closed by the server as it is reused', function () {
  this.timeout(20_000);
  const h = routerHarness('bedrock-stale-connection');
  let proxy: FakeProxy;
  before(async () => (proxy = await startFakeProxy()));
  after(async () => proxy.close());

  const open = () =>
    h.open({ routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] } }, { env: { ...KEYS, NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxy.url } });

  for (const how of ['close', 'reset'] as const) {
    it(`a request that meets it (${how === 'close' ? 'FIN' : 'RST'}) is asked again on another connection, once: the same model answers, one record, one bill, no rest`, async () => {
      const { run } = await open();
      const fake = h.fakes.bedrock;
      const first = await run('chat');
      assert.equal(first.record.provider, 'bedrock');
      assert.equal(fake.requests[0]!.httpVersion, '1.1', 'through the proxy, over HTTP/1.1');

      fake.dropOnReuse(1, how);
      const result = await run('chat');

      assert.equal(fake.droppedOnReuse, 1, 'the request went on the kept-alive tunnel, which the server closed');
      assert.equal(result.error, undefined);
      assert.deepEqual([result.record.outcome, result.record.provider, result.record.model, result.record.attempts], ['ok', 'bedrock', NOVA, []]);
      assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback');
      assert.deepEqual([fake.requests.length, fake.bills.length], [2, 2], 'the dropped request was never read, and is billed nowhere');
      // One charge in the ledger: the retried request's record (one line, checked by run) costs what the first did, the same answer's.
      assert.ok((first.record.costUsd ?? 0) > 0, 'a priced model');
      assert.deepEqual([result.record.costUsd, result.record.usage], [first.record.costUsd, first.record.usage]);

      const after = await run('chat');
      assert.deepEqual([after.record.provider, after.record.attempts], ['bedrock', []], 'not rested');
    });
  }

  it('a request dropped again on the fresh connection is a failure, and the route falls back', async () => {
    const { run } = await open();
    const fake = h.fakes.bedrock;
    await run('chat');
    fake.dropOnReuse(1, 'reset');
    fake.script({ resetBeforeResponse: true });
    const result = await run('chat');

    assert.equal(fake.droppedOnReuse, 1);
    assert.deepEqual([result.record.outcome, result.record.provider], ['ok', 'anthropic']);
    assert.equal(result.record.attempts.length, 1);
    assert.match(result.record.attempts[0]!.error, /^bedrock dropped the connection/);
  });
});

describe("bedrock's HTTP/2 way: one session per endpoint, kept across requests", function () {
  this.timeout(20_000);
  const h = routerHarness('bedrock-http2-sessions');
  const open = () => h.open({ routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] } });
  beforeEach(async () => {
    // Each test counts the connections it opens: none left from the one before (nor from the harness's warm-up).
    await h.fakes.bedrock.http2.closeAll();
    h.fakes.bedrock.reset();
  });

  it('three ConverseStream requests, one TCP connection (was one each: a TLS handshake at every pause in typing)', async () => {
    const { run } = await open();
    const opened = h.fakes.bedrock.http2.opened;
    for (let i = 0; i < 3; i++) assert.equal((await run('chat')).record.provider, 'bedrock');
    assert.equal(h.fakes.bedrock.requests.every((request) => request.httpVersion === '2.0'), true);
    assert.equal(h.fakes.bedrock.http2.opened - opened, 1);
  });

  it('a session the server closed while idle (GOAWAY) is left: the next request opens another, with no failure', async () => {
    const { run } = await open();
    const fake = h.fakes.bedrock;
    const opened = fake.http2.opened;
    await run('chat');
    // Resolves once the client closed the session in answer to the GOAWAY: it has read it, the pool has let it go.
    await fake.http2.goAwayAll();
    // Were the session still pooled, the request would go on it and be refused (a stream above the GOAWAY's last id).
    fake.http2.refuseOnReusedSession(1);
    const refusedBefore = fake.http2.refused;
    const result = await run('chat');
    assert.deepEqual([result.record.provider, result.record.attempts], ['bedrock', []]);
    assert.equal(fake.http2.refused - refusedBefore, 0, 'no request went on the closed session: the next one opened a new session straight away');
    assert.equal(fake.http2.opened - opened, 2);
    assert.equal(fake.requests.length, 2);
  });

  it('a stream the server refuses on the kept session (REFUSED_STREAM: not processed) is asked again once: one record, one bill, no rest', async () => {
    const { run } = await open();
    const fake = h.fakes.bedrock;
    const first = await run('chat');
    const refusedBefore = fake.http2.refused;
    fake.http2.refuseOnReusedSession(1);
    const result = await run('chat');

    assert.equal(fake.http2.refused - refusedBefore, 1, 'the request went on the kept session, and was refused');
    assert.deepEqual([result.record.outcome, result.record.provider, result.record.attempts], ['ok', 'bedrock', []]);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback');
    assert.deepEqual([fake.requests.length, fake.bills.length], [2, 2], 'the refused request was never read, and is billed nowhere');
    assert.deepEqual([result.record.costUsd, result.record.usage], [first.record.costUsd, first.record.usage]);
    const after = await run('chat');
    assert.deepEqual([after.record.provider, after.record.attempts], ['bedrock', []], 'not rested');
  });

  it('refused again on the retry: a failure, and the route falls back (one retry only)', async () => {
    const { run } = await open();
    const fake = h.fakes.bedrock;
    await run('chat');
    const refusedBefore = fake.http2.refused;
    fake.http2.refuseOnReusedSession(2);
    const result = await run('chat');

    assert.equal(fake.http2.refused - refusedBefore, 2);
    assert.deepEqual([result.record.outcome, result.record.provider], ['ok', 'anthropic']);
    assert.equal(result.record.attempts.length, 1);
    assert.deepEqual([fake.requests.length, fake.bills.length], [1, 1], 'neither refused request was read or billed');
  });
});
