/**
 * Starts the three fake providers and prints their URLs as one JSON line on
 * stdout, then stays up until SIGTERM or SIGINT. Spawned with tsx by the
 * sandbox; optional latency: `serve.ts --first-byte-ms 300 --chunk-ms 25`.
 */
import { parseArgs } from 'node:util';
import { startFakeProviders } from './index';

const { values } = parseArgs({
  options: {
    'first-byte-ms': { type: 'string' },
    'chunk-ms': { type: 'string' },
  },
});

async function main(): Promise<void> {
  const fakes = await startFakeProviders({
    defaults: {
      firstByteDelayMs: Number(values['first-byte-ms'] ?? 0),
      chunkDelayMs: Number(values['chunk-ms'] ?? 0),
    },
  });
  process.stdout.write(`${JSON.stringify(fakes.urls)}\n`);
  const stop = () => {
    fakes.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake providers failed to start: ${String(error)}\n`);
  process.exit(1);
});
