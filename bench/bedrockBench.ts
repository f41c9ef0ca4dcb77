/**
 * What the Bedrock connection benches (bedrockSessionCheck.ts, bedrockTunnelReuse.ts) share: the fake Bedrock
 * answering at once, a client of it through a given request handler, and a ConverseStream call timed to the stream's end.
 */
import { performance } from 'node:perf_hooks';
import { BedrockRuntimeClient, ConverseStreamCommand, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { startFakeBedrock } from '../test/fakes/index';

/** One chunk and no delays: what is timed is the connection's work, not the fake's pacing. */
export function startInstantBedrock(): ReturnType<typeof startFakeBedrock> {
  return startFakeBedrock({ defaults: { text: 'ok', chunks: 1, firstByteDelayMs: 0, chunkDelayMs: 0 } });
}

/** A client of the fake at `endpoint` through `requestHandler`; one attempt, so a retry never hides in a time. */
export function benchClient(endpoint: string, requestHandler: BedrockRuntimeClientConfig['requestHandler']): BedrockRuntimeClient {
  const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
  return new BedrockRuntimeClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1, requestHandler });
}

const input = { modelId: 'us.amazon.nova-micro-v1:0', messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] };

/** One ConverseStream request, from the call to the stream's end (ms). */
export async function timedAsk(client: BedrockRuntimeClient): Promise<number> {
  const start = performance.now();
  const response = await client.send(new ConverseStreamCommand(input));
  for await (const _event of response.stream ?? []) void _event;
  return performance.now() - start;
}

/**
 * `requests` timed requests on each side, interleaved request by request (which side goes first alternating), so a
 * shared machine's load falls on both alike.
 */
export async function interleaved(requests: number, ask: (name: 'before' | 'checked') => Promise<number>): Promise<{ before: number[]; checked: number[] }> {
  const times = { before: [] as number[], checked: [] as number[] };
  for (let i = 0; i < requests; i++) {
    const order = i % 2 === 0 ? (['before', 'checked'] as const) : (['checked', 'before'] as const);
    for (const name of order) times[name].push(await ask(name));
  }
  return times;
}
