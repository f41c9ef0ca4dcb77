/**
 * Starts the three fake providers and prints their URLs as one JSON line on
 * stdout, then stays up until SIGTERM or SIGINT, or, when started with an IPC
 * channel, until that channel closes (the process that started it is gone,
 * however it ended). Spawned by the sandbox; optional latency:
 * `serve.ts --first-byte-ms 300 --chunk-ms 25`; `--showcase` answers with the
 * showcase replies (see showcase/) instead of the tests' short deterministic ones.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ROUTES } from '../../src/core/config/defaults';
import { startFakeProviders } from './index';
import { createShowcaseAnswerer } from './showcase';

const { values } = parseArgs({
  options: {
    'first-byte-ms': { type: 'string' },
    'chunk-ms': { type: 'string' },
    showcase: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const fakes = await startFakeProviders({
    defaults: {
      firstByteDelayMs: Number(values['first-byte-ms'] ?? 0),
      chunkDelayMs: Number(values['chunk-ms'] ?? 0),
    },
    ...(values.showcase ? { answerer: createShowcaseAnswerer() } : {}),
    // The fake answers any model; it lists the default routes' OpenAI models too, so Check Setup and doctor, which
    // flag a route model the server does not list, find the sandbox's routes served.
    openai: { models: [...new Set([...Object.values(DEFAULT_ROUTES).flat().filter((ref) => ref.startsWith('openai:')).map((ref) => ref.slice('openai:'.length)), 'gpt-5-mini', 'gpt-4.1-mini', 'qwen2.5-coder:7b'])] },
  });
  process.stdout.write(`${JSON.stringify(fakes.urls)}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    fakes.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // A parent that dies without a word (SIGKILL, a crash) closes the channel: nobody is left to use the fakes.
  if (process.connected) process.once('disconnect', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake providers failed to start: ${String(error)}\n`);
  process.exit(1);
});
