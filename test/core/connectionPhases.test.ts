import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { ConnectionWatch, describeSlowConnection, readWatchingConnections } from '../../src/core/providers/connectionPhases';
import { routerHarness } from './routerHarness';

/**
 * A first-token limit that runs out before the connection is made is said by the phase that took the time, not as the
 * model's silence (src/core/providers/connectionPhases.ts). Played for real: a server that accepts the TCP connection
 * and never answers the TLS handshake (a middlebox holding it, a port that is not TLS), reached over https by the
 * OpenAI SDK's fetch and by the AWS SDK's HTTP/2 handler. The slow DNS lookup is played in slowDns.test.ts; a server
 * that takes the request and sends nothing is still "no first token" (providerTimeouts.test.ts).
 */
describe('a first-token limit that runs out during the TLS handshake', function () {
  this.timeout(20_000);
  const h = routerHarness('connection-phases');
  const LIMIT_MS = 300;
  let silent: Server;
  const held: Socket[] = [];
  let port = 0;

  before(async () => {
    silent = createServer((socket) => held.push(socket.on('error', () => undefined)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  after(async () => {
    held.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  for (const [provider, model, providers] of [
    ['openai', 'gpt-5.4-nano', () => ({ openai: { baseUrl: `https://127.0.0.1:${port}/v1` } })],
    ['bedrock', 'us.amazon.nova-micro-v1:0', () => ({ bedrock: { endpoint: `https://127.0.0.1:${port}`, region: 'us-east-1' } })],
  ] as const) {
    it(`${provider}: said as the handshake's slowness; the host rests, the route goes on to the next provider`, async () => {
      const harness = await h.open({
        routes: { completion: [`${provider}:${model}`, 'anthropic:claude-haiku-4-5'] },
        providers: { ...h.fakes.urls, ...providers() },
        timeouts: { completionFirstTokenMs: LIMIT_MS },
      });

      const first = await harness.run('completion');
      const second = await harness.run('completion');

      assert.equal(first.record.provider, 'anthropic');
      assert.equal(first.record.attempts.length, 1);
      const said = first.record.attempts[0]!.error;
      assert.match(
        said,
        new RegExp(`^${provider} could not be reached in time: the TLS handshake with 127\\.0\\.0\\.1 took over \\d+ ms, within the ${LIMIT_MS} ms of switchboard\\.timeouts\\.completionFirstTokenMs; the request never reached the model$`),
      );
      // Resting the host, not only the model: the next request passes it over, saying why.
      assert.equal(second.record.provider, 'anthropic');
      assert.deepEqual(second.record.attempts.map((attempt) => attempt.error.replace(/\(\ds left\)/, '(…)')), [`cooling down (…) after: ${said}`]);
    });
  }
});

describe('the host a connecting socket is said by, before it names one', () => {
  /**
   * A socket asked for an address is not looked up, so Node keeps no name for it, and it has no remote address until
   * it connects: read in the same tick as net.connect, under the attempt's watch (as its SDK's would be), it is said by
   * the host the attempt dialled, and as connecting (an address has no lookup), not as "its host" in a DNS lookup.
   */
  it('is the host the attempt dialled, in the connect phase', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const watch = new ConnectionWatch('127.0.0.1');
    let said: string | undefined;
    async function* connecting() {
      const socket = connect(port, '127.0.0.1').on('error', () => undefined);
      const slow = watch.stillConnecting();
      said = slow && describeSlowConnection(slow);
      socket.destroy();
      yield 'done';
    }
    try {
      for await (const step of readWatchingConnections(watch, connecting())) assert.equal(step, 'done');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.match(said ?? 'nothing still connecting', /^connecting to 127\.0\.0\.1 took over \d+ ms$/);
  });
});
