/**
 * What not reusing a Bedrock CONNECT tunnel idle past `tunnelReuse.idleMs` costs (src/core/providers/proxyTunnel.ts).
 * Alone: `npx tsx bench/bedrockTunnelReuse.ts [--requests 2000]`.
 *
 * 1. The warm path: ConverseStream requests through the real AWS SDK's HTTP/1.1 handler, Switchboard's tunnel agent
 *    and the fake CONNECT proxy to the fake Bedrock on loopback, each on the tunnel kept from the one before (well
 *    inside the idle spell: never closed), two agents interleaved request by request so a shared machine's load falls
 *    on both alike: the agent as it was before the check (its addRequest and keepSocketAlive without it), and as it is.
 *    Call to the stream's end, medians and p99.
 * 2. The check's own time on the warm path, without network: `closeIdleTunnels` over an agent holding one kept tunnel
 *    inside the spell, per call.
 * 3. A request after an idle spell: a fresh tunnel (a connection to the proxy and its CONNECT; on loopback, here), with
 *    `tunnelReuse.idleMs` set to 0 so every request is one.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { closeIdleTunnels, TunnelHttpAgent, tunnelReuse, type TunnelProxy } from '../src/core/providers/proxyTunnel';
import { watchAgentRequest } from '../src/core/providers/staleConnection';
import { startFakeProxy } from '../test/fakes/connectProxy';
import { benchClient, interleaved, startInstantBedrock, timedAsk } from './bedrockBench';
import { rounded, summarize } from './stats';

const requests = Number(process.argv[process.argv.indexOf('--requests') + 1]) || 2000;

/** The tunnel agent without the idle check: its addRequest and keepSocketAlive as they were. */
class AgentBeforeCheck extends TunnelHttpAgent {
  override addRequest(request: http.ClientRequest, options: object): void {
    watchAgentRequest(request);
    (http.Agent.prototype as unknown as { addRequest(request: http.ClientRequest, options: object): void }).addRequest.call(this, request, options);
  }

  override keepSocketAlive(socket: Socket): void {
    return http.Agent.prototype.keepSocketAlive.call(this, socket);
  }
}

async function main(): Promise<void> {
  const fake = await startInstantBedrock();
  const fakeProxy = await startFakeProxy();
  const proxy: TunnelProxy = { url: fakeProxy.url, from: 'HTTP_PROXY' };
  const agents = { before: new AgentBeforeCheck(proxy), checked: new TunnelHttpAgent(proxy) };
  const client = (agent: http.Agent) => benchClient(fake.url, new NodeHttpHandler({ httpAgent: agent }));
  const clients = { before: client(agents.before), checked: client(agents.checked) };
  const ask = (name: keyof typeof clients) => timedAsk(clients[name]);
  const connects = () => fakeProxy.asked.filter((line) => line.startsWith('CONNECT')).length;
  for (let i = 0; i < 50; i++) for (const name of ['before', 'checked'] as const) await ask(name);
  const warmConnects = connects();
  const times = await interleaved(requests, ask);
  console.log(`1. warm path, call to end of stream (ms); new tunnels meanwhile: ${connects() - warmConnects}:`);
  console.table({ before: rounded(summarize(times.before)), checked: rounded(summarize(times.checked)) });

  // The checked agent holds its one kept tunnel, freed a moment ago: each call reads the time and keeps it.
  const own: number[] = [];
  for (let round = 0; round < 200; round++) {
    const start = performance.now();
    for (let i = 0; i < 1000; i++) closeIdleTunnels(agents.checked);
    own.push(((performance.now() - start) / 1000) * 1000);
  }
  console.log(`2. closeIdleTunnels alone, per call (µs), 200 rounds of 1,000, over ${Object.values(agents.checked.freeSockets).flat().length} kept tunnel(s):`);
  console.table({ check: rounded(summarize(own)) });

  tunnelReuse.idleMs = 0;
  const fresh: number[] = [];
  const before = connects();
  for (let i = 0; i < Math.min(requests, 500); i++) fresh.push(await ask('checked'));
  console.log(`3. every request after an idle spell (a fresh tunnel each; ${connects() - before} CONNECTs), call to end of stream (ms):`);
  console.table({ freshTunnel: rounded(summarize(fresh)), warm: rounded(summarize(times.checked)) });
  for (const c of Object.values(clients)) c.destroy();
  for (const agent of Object.values(agents)) agent.destroy();
  await fakeProxy.close();
  await fake.close();
}

void main();
