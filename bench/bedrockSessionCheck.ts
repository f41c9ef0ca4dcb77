/**
 * What the check of idle Bedrock HTTP/2 sessions (src/core/providers/bedrockSessions.ts, `sessionCheck`) costs.
 * Alone: `npx tsx bench/bedrockSessionCheck.ts [--requests 2000]`.
 *
 * 1. The warm path: ConverseStream requests through the real AWS SDK to the fake Bedrock on loopback, each on the
 *    session kept from the one before (well inside the idle spell: never pinged), two handlers interleaved request by
 *    request so a shared machine's load falls on both alike: the SDK's handler told only that the request is no event
 *    stream (the shared session as it was before the check), and `sharingHttp2Sessions` with the check. Call to the
 *    stream's end, medians and p99.
 * 2. The check's own time on the warm path, without network: the wrapped `handle` around an original that returns at
 *    once, against that original called bare.
 * 3. A request after an idle spell on a live session: the PING's round trip before it (loopback's, here; a region's
 *    round trip in use), `sessionCheck.idleMs` set to 0 so every request is one.
 */
import { performance } from 'node:perf_hooks';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { sessionCheck, sharingHttp2Sessions } from '../src/core/providers/bedrockSessions';
import { benchClient, interleaved, startInstantBedrock, timedAsk } from './bedrockBench';
import { rounded, summarize } from './stats';

const requests = Number(process.argv[process.argv.indexOf('--requests') + 1]) || 2000;

async function main(): Promise<void> {
  const fake = await startInstantBedrock();
  const before = new NodeHttp2Handler();
  const handleBefore = before.handle.bind(before);
  before.handle = (request, options = {}) => handleBefore(request, { ...options, isEventStream: false });
  const clients = { before: benchClient(fake.url, before), checked: benchClient(fake.url, sharingHttp2Sessions(new NodeHttp2Handler())) };
  const ask = (name: keyof typeof clients) => timedAsk(clients[name]);
  for (let i = 0; i < 50; i++) await Promise.all([ask('before'), ask('checked')]);
  const times = await interleaved(requests, ask);
  console.log('1. warm path, call to end of stream (ms):');
  console.table({ before: rounded(summarize(times.before)), checked: rounded(summarize(times.checked)) });

  // The check's whole warm-path work: a session leased for the endpoint (to the fake: kept busy, never released), so
  // each call looks it up and finds it in use, as a request in the idle spell finds its session.
  const bare = { handle: async () => ({ response: undefined }) } as unknown as NodeHttp2Handler;
  const manager = (new NodeHttp2Handler() as unknown as { connectionManager: { lease(context: object, configuration: object): unknown; destroy(): void } }).connectionManager;
  const wrapped = sharingHttp2Sessions({ handle: bare.handle, connectionManager: manager } as unknown as NodeHttp2Handler);
  const endpoint = new URL(fake.url);
  manager.lease({ destination: new URL(`${endpoint.protocol}//${endpoint.host}`) }, {});
  const request = { protocol: endpoint.protocol, hostname: endpoint.hostname, port: Number(endpoint.port), path: '/', method: 'POST', headers: {}, query: {} };
  const own = { bare: [] as number[], wrapped: [] as number[] };
  for (let round = 0; round < 200; round++) {
    for (const [name, handler] of [['bare', bare], ['wrapped', wrapped]] as const) {
      const start = performance.now();
      for (let i = 0; i < 1000; i++) await handler.handle(request as never);
      own[name].push(((performance.now() - start) / 1000) * 1000);
    }
  }
  console.log('2. handle() alone, per call (µs), 200 rounds of 1,000:');
  console.table({ bare: rounded(summarize(own.bare)), wrapped: rounded(summarize(own.wrapped)) });

  sessionCheck.idleMs = 0;
  const pinged: number[] = [];
  const pings = fake.http2.pings;
  for (let i = 0; i < Math.min(requests, 500); i++) {
    // The last stream's close (which makes the session idle) comes a turn after its end was read.
    await new Promise((resolve) => setImmediate(resolve));
    pinged.push(await ask('checked'));
  }
  console.log(`3. every request after an idle spell (a PING first; ${fake.http2.pings - pings} PINGs), call to end of stream (ms):`);
  console.table({ pinged: rounded(summarize(pinged)) });
  for (const c of Object.values(clients)) c.destroy();
  manager.destroy();
  await fake.close();
}

void main();
