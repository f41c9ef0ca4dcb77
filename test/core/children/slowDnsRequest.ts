/**
 * Requests to a provider whose host name takes long to look up, for real: run in a network and mount namespace of its
 * own (slowDns.test.ts), where /etc/resolv.conf names a fake DNS server on this namespace's 127.0.0.1:53 that answers
 * `slow-dns.test` after DELAY ms (or never, with DELAY -1). The system's resolver (getaddrinfo, which Node's fetch
 * and so the OpenAI SDK use) asks it as it would any DNS server. argv: DELAY TASKS (comma-separated, asked in turn,
 * each of one Switchboard of its own) [ROUTE: `fallback`, each route's OpenAI model then Anthropic's on 127.0.0.1,
 * asked twice in a row on one Switchboard]. Prints, as JSON, each task's error, outcome, latency, the model that
 * answered and the failed or passed-over attempts (of the second run too, with `fallback`).
 */
import dgram from 'node:dgram';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import type { Task } from '../../../src/core/types';
import { startFakeAnthropic, startFakeOpenAI } from '../../fakes/index';

const delay = Number(process.argv[2]);
const tasks = (process.argv[3] ?? 'chat').split(',') as Task[];
const fallback = process.argv[4] === 'fallback';

/** A DNS answer to `query`: 127.0.0.1 for an A question, no address for any other; the question copied back. */
function answer(query: Buffer): Buffer {
  let end = 12;
  while (query[end] !== 0) end += (query[end] ?? 0) + 1;
  const question = query.subarray(12, end + 5);
  const type = query.readUInt16BE(end + 1);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8180, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(type === 1 ? 1 : 0, 6);
  const record = type === 1 ? Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1]) : Buffer.alloc(0);
  return Buffer.concat([header, question, record]);
}

async function main(): Promise<void> {
  const dns = dgram.createSocket('udp4');
  const held: NodeJS.Timeout[] = [];
  dns.on('message', (query, from) => {
    if (delay < 0) return;
    held.push(setTimeout(() => dns.send(answer(query), from.port, from.address), delay));
  });
  await new Promise<void>((resolve) => dns.bind(53, '127.0.0.1', resolve));
  const openai = await startFakeOpenAI();
  const anthropic = await startFakeAnthropic();
  const second = fallback ? ['anthropic:claude-haiku-4-5'] : [];
  const { config, problems } = resolveConfig({
    providers: { openai: { baseUrl: `http://slow-dns.test:${openai.port}/v1`, sendKeyTo: ['slow-dns.test'] }, anthropic: { baseUrl: anthropic.url } },
    auto: { enabled: false },
    routes: { chat: ['openai:gpt-5.4-nano', ...second], completion: ['openai:gpt-5.4-nano', ...second] },
  });
  if (problems.length) throw new Error(JSON.stringify(problems));
  const results: Record<string, unknown> = {};
  for (const task of tasks) {
    const switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'fake-anthropic-key' } });
    // Both SDKs loaded first (a first load takes a second under tsx), so the latencies are the requests'.
    await Promise.all(['openai', ...(fallback ? ['anthropic'] : [])].map((id) => switchboard.registry.adapter(id)));
    const runs = [];
    for (let run = 0; run < (fallback ? 2 : 1); run++) {
      const result = await switchboard.router.run(task, { messages: [{ role: 'user', content: 'Hello?' }], maxTokens: 64 });
      const { outcome, latencyMs, provider, attempts } = result.record;
      runs.push({ outcome, error: result.error ?? null, latencyMs, answeredBy: provider, attempts: attempts.map((attempt) => `${attempt.provider}:${attempt.model}: ${attempt.error}`) });
    }
    results[task] = fallback ? runs : runs[0];
    await switchboard.dispose().catch(() => undefined);
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
  held.forEach(clearTimeout);
  dns.close();
  await openai.close();
  await anthropic.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
