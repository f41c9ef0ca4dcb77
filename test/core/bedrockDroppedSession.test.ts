/**
 * Bedrock's kept HTTP/2 session (bedrockSessions.ts) dropped silently on the way: a NAT or firewall that forgot the
 * connection while it sat idle sends no FIN and no GOAWAY, its packets just vanish. Played for real: a TCP relay
 * between the AWS SDK and the fake Bedrock (test/fakes/droppingProxy.ts) that stops carrying the connections it had,
 * telling neither side. Before, the next request went out on the dead session and waited for the first-token limit:
 * "no first token", the model rested and the route fell back. Now a session idle for `sessionCheck.idleMs` is pinged
 * (HTTP/2 PING) before a request goes on it; no answer within `sessionCheck.pingDeadlineMs` and it is closed, and the
 * request opens a fresh one.
 */
import assert from 'node:assert/strict';
import { sessionCheck } from '../../src/core/providers/bedrockSessions';
import { startDroppingProxy, type DroppingProxy } from '../fakes/droppingProxy';
import { NOVA, routerHarness } from './routerHarness';

describe('bedrock: a kept HTTP/2 session dropped silently (no FIN, no GOAWAY)', function () {
  this.timeout(20_000);
  const h = routerHarness('bedrock-dropped-session');
  const FIRST_TOKEN_MS = 4000;
  const saved = { ...sessionCheck };
  let relay: DroppingProxy;
  beforeEach(async () => {
    await h.fakes.bedrock.http2.closeAll();
    h.fakes.bedrock.reset();
    relay = await startDroppingProxy(Number(new URL(h.fakes.urls.bedrock.endpoint).port));
  });
  afterEach(async () => {
    Object.assign(sessionCheck, saved);
    await relay.close();
  });

  const open = () =>
    h.open({
      routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] },
      providers: { ...h.fakes.urls, bedrock: { endpoint: `http://127.0.0.1:${relay.port}`, region: 'us-east-1' } },
      timeouts: { firstTokenMs: FIRST_TOKEN_MS },
    });

  it('the next request after an idle spell finds it dead (no PING answer) and goes on a fresh session: answered by the same model, at once, no rest', async () => {
    // Every session that has sat idle at all is checked: the test need not wait out the default idle spell.
    sessionCheck.idleMs = 0;
    const { run } = await open();
    const fake = h.fakes.bedrock;
    assert.equal((await run('chat')).record.provider, 'bedrock');
    const opened = fake.http2.opened;

    relay.drop();
    const result = await run('chat');

    assert.deepEqual([result.record.outcome, result.record.provider, result.record.model, result.record.attempts], ['ok', 'bedrock', NOVA, []]);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback');
    assert.ok(relay.swallowed > 0, 'the PING went into the dropped connection');
    assert.equal(fake.http2.opened - opened, 1, 'a fresh session');
    assert.deepEqual([fake.requests.length, fake.bills.length], [2, 2], 'the request was sent once, on the fresh session');
    const waited = result.record.latencyMs;
    assert.ok(waited < sessionCheck.pingDeadlineMs + 1000, `the PING's deadline and a new connection, not the first-token limit (${waited} ms)`);

    const after = await run('chat');
    assert.deepEqual([after.record.provider, after.record.attempts], ['bedrock', []], 'not rested');
    assert.equal(fake.http2.opened - opened, 1, 'the fresh session is kept');
  });

  it('a live session that sat idle answers the PING and is kept; one used within the idle spell is not pinged', async () => {
    const { run } = await open();
    const fake = h.fakes.bedrock;
    await run('chat');
    const opened = fake.http2.opened;
    const pings = fake.http2.pings;
    await run('chat');
    assert.equal(fake.http2.pings - pings, 0, `reused within ${sessionCheck.idleMs} ms: no PING, nothing added to the request`);

    sessionCheck.idleMs = 0;
    const result = await run('chat');
    assert.deepEqual([result.record.provider, result.record.attempts], ['bedrock', []]);
    assert.equal(fake.http2.pings - pings, 1, 'checked once');
    assert.equal(fake.http2.opened - opened, 0, 'and kept');
  });

  it('a session idle over a suspend is pinged: the wall clock counts the sleep the monotonic clock does not', async () => {
    const { run } = await open();
    const fake = h.fakes.bedrock;
    await run('chat');
    const pings = fake.http2.pings;
    // The machine slept an hour: the wall clock moved on, performance.now (CLOCK_MONOTONIC) did not.
    const woke = Date.now() + 60 * 60_000;
    sessionCheck.wallClock = () => woke;
    const result = await run('chat');
    assert.deepEqual([result.record.provider, result.record.attempts], ['bedrock', []]);
    assert.equal(fake.http2.pings - pings, 1, `idle ${sessionCheck.idleMs} ms by the wall clock: checked before reuse`);
  });
});
