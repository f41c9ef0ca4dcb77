/**
 * Bedrock behind a proxy (its HTTP/1.1 way, Switchboard's CONNECT tunnels kept alive, proxyTunnel.ts), a kept tunnel
 * dropped silently on the way: a NAT, a firewall or the proxy itself forgetting the connection while it sat idle, no
 * FIN, no reset, its packets just vanish. Played for real: a TCP relay between the AWS SDK and the fake CONNECT proxy
 * (test/fakes/droppingProxy.ts) that stops carrying the connections it had, telling neither side; the real router,
 * registry (the proxy from NODE_USE_ENV_PROXY and HTTP_PROXY, as in the CLI), adapter and SDK, and the fake Bedrock.
 * A request written into the dropped tunnel would wait for the first-token limit ("no first token", the model rested,
 * the route falling back); a tunnel idle for `tunnelReuse.idleMs` is not reused, and the request opens a fresh one.
 */
import assert from 'node:assert/strict';
import { tunnelReuse } from '../../src/core/providers/proxyTunnel';
import { startFakeProxy, type FakeProxy } from '../fakes/connectProxy';
import { startDroppingProxy, type DroppingProxy } from '../fakes/droppingProxy';
import { KEYS, NOVA, routerHarness } from './routerHarness';

describe('bedrock behind a proxy: a kept tunnel dropped silently (no FIN, no reset)', function () {
  this.timeout(20_000);
  const h = routerHarness('bedrock-dropped-tunnel');
  const FIRST_TOKEN_MS = 4000;
  const saved = { ...tunnelReuse };
  let proxy: FakeProxy;
  let relay: DroppingProxy;
  before(async () => (proxy = await startFakeProxy()));
  after(async () => proxy.close());
  beforeEach(async () => (relay = await startDroppingProxy(Number(new URL(proxy.url).port))));
  afterEach(async () => {
    Object.assign(tunnelReuse, saved);
    await relay.close();
  });

  const open = () =>
    h.open(
      { routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: FIRST_TOKEN_MS } },
      { env: { ...KEYS, NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${relay.port}` } },
    );

  it('the next request after an idle spell opens a fresh tunnel: answered by the same model, at once, no rest', async () => {
    // Every tunnel that has sat idle at all is past the spell: the test need not wait out the default one.
    tunnelReuse.idleMs = 0;
    const { run } = await open();
    const fake = h.fakes.bedrock;
    const first = await run('chat');
    assert.equal(first.record.provider, 'bedrock');
    assert.equal(fake.requests.at(-1)!.httpVersion, '1.1', 'through the proxy, over HTTP/1.1');
    assert.equal(relay.accepted, 1);

    relay.drop();
    const result = await run('chat');

    assert.deepEqual([result.record.outcome, result.record.provider, result.record.model, result.record.attempts], ['ok', 'bedrock', NOVA, []]);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback');
    assert.equal(relay.accepted, 2, 'a fresh tunnel');
    assert.equal(relay.swallowed, 0, 'nothing was written into the dropped one');
    assert.ok(result.record.latencyMs < FIRST_TOKEN_MS / 2, `a new tunnel's time, not the first-token limit (${result.record.latencyMs} ms)`);

    const after = await run('chat');
    assert.deepEqual([after.record.provider, after.record.attempts], ['bedrock', []], 'not rested');
  });

  it('a tunnel used within the idle spell is reused as it is', async () => {
    const connects = () => proxy.asked.filter((line) => line.startsWith('CONNECT')).length;
    const { run } = await open();
    const before = connects();
    for (let i = 0; i < 3; i++) assert.deepEqual([(await run('chat')).record.provider, relay.accepted], ['bedrock', 1], `reused within ${tunnelReuse.idleMs} ms: one tunnel`);
    assert.equal(connects() - before, 1, 'one CONNECT for three requests');
  });
});
