/**
 * Fetch (the OpenAI and Anthropic SDKs) through Node's own proxy support (NODE_USE_ENV_PROXY=1, HTTPS_PROXY): a
 * first-token limit that runs out while the proxy has not opened the tunnel, or while the TLS handshake inside it
 * has not finished, is said as the connection's, not as the model's silence (connectionPhases.ts, from undici's
 * connection channels). A child process: Node reads the variables when it starts. Played for real: a server that
 * accepts TCP connections and says nothing, as the target behind the fake CONNECT proxy, or as the proxy itself.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeProxy, type FakeProxy } from '../fakes/connectProxy';

const CHILD = path.join(__dirname, 'children', 'proxiedSlowConnection.ts');

describe('fetch behind a proxy: a first-token limit that runs out before the connection is up', function () {
  this.timeout(60_000);
  // The target, and a proxy that never answers: both take TCP connections and say nothing.
  const silent: Server[] = [];
  const held: Socket[] = [];
  let port = 0;
  let silentProxyPort = 0;
  let proxy: FakeProxy;
  before(async () => {
    for (let i = 0; i < 2; i++) {
      const server = createServer((socket) => held.push(socket.on('error', () => undefined)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      silent.push(server);
    }
    [port, silentProxyPort] = silent.map((server) => (server.address() as { port: number }).port) as [number, number];
    proxy = await startFakeProxy();
  });
  after(async () => {
    held.forEach((socket) => socket.destroy());
    await proxy.close();
    await Promise.all(silent.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });

  async function ask(proxyUrl: string): Promise<{ answeredBy: string; attempts: string[] }[]> {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, `https://127.0.0.1:${port}/v1`], {
      env: { ...process.env, NODE_USE_ENV_PROXY: '1', HTTPS_PROXY: proxyUrl, HTTP_PROXY: '', NO_PROXY: '' },
      timeout: 50_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as { answeredBy: string; attempts: string[] }[];
  }

  for (const [what, proxyUrl, proxyAt] of [
    ['the TLS handshake inside the tunnel never finishing', () => proxy.url, () => new URL(proxy.url).host],
    ['a proxy that never answers the CONNECT', () => `http://127.0.0.1:${silentProxyPort}`, () => `127.0.0.1:${silentProxyPort}`],
  ] as const) {
    it(`${what}: said as the connection's, the host rests, the route goes on`, async () => {
      const [first, second] = await ask(proxyUrl());
      assert.equal(first!.answeredBy, 'anthropic');
      assert.equal(first!.attempts.length, 1);
      const said = first!.attempts[0]!;
      const escaped = (text: string) => text.replace(/[.()]/g, '\\$&');
      assert.match(
        said,
        new RegExp(`^openai could not be reached in time: ${escaped(`reaching 127.0.0.1:${port} through the proxy ${proxyAt()} (its CONNECT, or the TLS handshake in its tunnel)`)} took over \\d+ ms, within the 500 ms of switchboard\\.timeouts\\.completionFirstTokenMs; the request never reached the model$`),
      );
      assert.equal(second!.answeredBy, 'anthropic');
      assert.match(second!.attempts[0]!, /^cooling down \(\ds left\) after: openai could not be reached in time: reaching/);
    });
  }
});
