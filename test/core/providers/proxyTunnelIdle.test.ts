/**
 * A kept tunnel idle past `tunnelReuse.idleMs` closed before a request (proxyTunnel.ts's closeIdleTunnels): the agent's
 * own count of its sockets stays true. Real sockets: a plain http server reached through the fake CONNECT proxy.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { closeIdleTunnels, TunnelHttpAgent, tunnelReuse } from '../../../src/core/providers/proxyTunnel';
import { startFakeProxy, type FakeProxy } from '../../fakes/connectProxy';

describe('proxyTunnel: closing an idle kept tunnel', () => {
  const saved = { ...tunnelReuse };
  let proxy: FakeProxy;
  let server: http.Server;
  before(async () => {
    proxy = await startFakeProxy();
    server = http.createServer((_request, response) => response.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  after(async () => {
    Object.assign(tunnelReuse, saved);
    server.close();
    await proxy.close();
  });

  /** A GET through `agent`, resolved once the agent took its tunnel back (kept alive, in freeSockets). */
  async function get(agent: http.Agent): Promise<void> {
    const port = (server.address() as AddressInfo).port;
    const freed = once(agent, 'free');
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port, agent }, resolve).on('error', reject));
    response.resume();
    await once(response, 'end');
    await freed;
  }

  it("counts the closed tunnel out once: the agent's total is the sockets it holds", async () => {
    const agent = new TunnelHttpAgent({ url: proxy.url, from: 'HTTP_PROXY' });
    try {
      await get(agent);
      const kept = Object.values(agent.freeSockets).flat();
      assert.equal(kept.length, 1, 'one tunnel kept');
      tunnelReuse.idleMs = 0;
      const closed = once(kept[0]!, 'close');
      closeIdleTunnels(agent);
      await closed;
      const held = () => Object.values(agent.sockets).flat().length + Object.values(agent.freeSockets).flat().length;
      assert.equal((agent as unknown as { totalSocketCount: number }).totalSocketCount, held(), 'after the idle tunnel closed');
      // And after a fresh tunnel served the next request.
      await get(agent);
      assert.equal((agent as unknown as { totalSocketCount: number }).totalSocketCount, held(), 'after a fresh tunnel');
    } finally {
      agent.destroy();
    }
  });
});
