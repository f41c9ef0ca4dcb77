import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { startFakeProxy, type FakeProxy } from '../fakes/connectProxy';
import { KEYS, NOVA, REQUEST, routerHarness } from './routerHarness';

/**
 * The waits connectionPhases.ts does not see on Node's socket channel, said by their phase too, not as the model's
 * silence: behind a proxy (Bedrock's CONNECT tunnels, proxyTunnel.ts), a proxy that takes the connection and never
 * answers the CONNECT, and a target that never finishes the TLS handshake inside the tunnel; and Bedrock's shared
 * HTTP/2 session (bedrockSessions.ts), a request put on a session another request opened and is still connecting.
 * Played for real: a server that accepts TCP connections and says nothing (a proxy or middlebox holding them, a port
 * that is not TLS), the fake CONNECT proxy, the real router, registry, adapter and AWS SDK.
 */
describe('a first-token limit that runs out in a wait the socket channel does not show', function () {
  this.timeout(20_000);
  const h = routerHarness('proxy-connection-phases');
  const LIMIT_MS = 300;
  let silent: Server;
  const held: Socket[] = [];
  let accepted: () => Promise<void>;
  let port = 0;
  let proxy: FakeProxy;

  before(async () => {
    const waiting: (() => void)[] = [];
    silent = createServer((socket) => {
      held.push(socket.on('error', () => undefined));
      waiting.splice(0).forEach((resolve) => resolve());
    });
    accepted = () => new Promise((resolve) => waiting.push(resolve));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
    proxy = await startFakeProxy();
  });
  after(async () => {
    held.forEach((socket) => socket.destroy());
    await proxy.close();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const routes = { completion: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'], chat: [`bedrock:${NOVA}`] };
  const silentBedrock = () => ({ ...h.fakes.urls, bedrock: { endpoint: `https://127.0.0.1:${port}`, region: 'us-east-1' } });

  async function failsOverSaying(harness: Awaited<ReturnType<typeof h.open>>, said: RegExp): Promise<void> {
    const first = await harness.run('completion');
    const second = await harness.run('completion');
    assert.equal(first.record.provider, 'anthropic');
    assert.equal(first.record.attempts.length, 1);
    const error = first.record.attempts[0]!.error;
    assert.match(error, said);
    // The host rests, not only the model: the next request passes it over, saying why.
    assert.equal(second.record.provider, 'anthropic');
    assert.deepEqual(second.record.attempts.map((attempt) => attempt.error.replace(/\(\ds left\)/, '(…)')), [`cooling down (…) after: ${error}`]);
  }

  const within = `within the ${LIMIT_MS} ms of switchboard\\.timeouts\\.completionFirstTokenMs; the request never reached the model$`;

  it('bedrock behind a proxy, the TLS handshake inside the tunnel never finishing: said as the handshake, the host rests, the route goes on', async () => {
    const harness = await h.open(
      { routes, providers: silentBedrock(), timeouts: { completionFirstTokenMs: LIMIT_MS } },
      { env: { ...KEYS, NODE_USE_ENV_PROXY: '1', HTTPS_PROXY: proxy.url } },
    );
    await failsOverSaying(harness, new RegExp(`^bedrock could not be reached in time: the TLS handshake with 127\\.0\\.0\\.1 took over \\d+ ms, ${within}`));
    assert.deepEqual(proxy.asked.slice(-1), [`CONNECT 127.0.0.1:${port}`], 'the tunnel was opened; the handshake in it is what hung');
  });

  it('bedrock behind a proxy that never answers the CONNECT: said as the proxy\'s, naming it and the tunnel\'s end', async () => {
    const harness = await h.open(
      { routes, providers: { ...h.fakes.urls }, timeouts: { completionFirstTokenMs: LIMIT_MS } },
      { env: { ...KEYS, NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${port}` } },
    );
    const target = new URL(h.fakes.urls.bedrock.endpoint).host;
    await failsOverSaying(
      harness,
      new RegExp(`^bedrock could not be reached in time: the proxy 127\\.0\\.0\\.1:${port} opening a tunnel \\(CONNECT\\) to ${target.replaceAll('.', '\\.')} took over \\d+ ms, ${within}`),
    );
  });

  it("bedrock's HTTP/2: a request put on the session another request is still opening is said as that session's handshake", async () => {
    const harness = await h.open({ routes, providers: silentBedrock(), timeouts: { completionFirstTokenMs: LIMIT_MS, firstTokenMs: 10_000 } });
    // A chat request opens the endpoint's session, whose handshake never ends; ghost text then asks on the same endpoint.
    const stop = new AbortController();
    const opening = accepted();
    const chat = harness.switchboard.router.run('chat', REQUEST, { signal: stop.signal });
    await opening;
    const completion = await harness.run('completion');
    stop.abort();
    await chat;

    assert.equal(held.length > 0, true);
    assert.equal(completion.record.provider, 'anthropic');
    assert.match(completion.record.attempts[0]!.error, new RegExp(`^bedrock could not be reached in time: the TLS handshake with 127\\.0\\.0\\.1 took over \\d+ ms, ${within}`));
  });
});
