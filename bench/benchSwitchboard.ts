/**
 * A real Switchboard whose completion route is one OpenAI-compatible model on
 * a fake server: the real registry, router, OpenAI adapter and SDK, a ledger
 * in a temporary directory, and an environment that holds no real keys.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../src/core/config';
import type { RouterEvent } from '../src/core/router';
import { Switchboard } from '../src/core/switchboard';
import { startFakeOpenAI, type FakeReply, type FakeServer } from '../test/fakes/index';

/** An OpenAI chat model: it gets the chat form of the completion prompt, as the default route's first model does. */
export const BENCH_MODEL = 'gpt-5.4-nano';

export interface BenchStack {
  fake: FakeServer;
  switchboard: Switchboard;
  close(): Promise<void>;
}

export interface BenchStackOptions {
  /** Every reply's timing (latency and streaming) unless a script says otherwise. */
  replyDefaults: FakeReply;
  debounceMs: number;
  completionFirstTokenMs?: number;
  onEvent?: (event: RouterEvent) => void;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const fake = await startFakeOpenAI({ defaults: options.replyDefaults });
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-'));
  const { config, problems } = resolveConfig({
    routes: { completion: [`openai:${BENCH_MODEL}`] },
    providers: { openai: { baseUrl: `${fake.url}/v1` } },
    completion: { debounceMs: options.debounceMs },
    timeouts: { completionFirstTokenMs: Math.max(100, Math.round(options.completionFirstTokenMs ?? 3000)) },
  });
  if (problems.length > 0) throw new Error(`bench config: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  const switchboard = await Switchboard.create({
    config,
    source: 'bench',
    env: { OPENAI_API_KEY: 'bench-not-a-key', HOME: dir },
    ledgerPath: path.join(dir, 'ledger.jsonl'),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  return {
    fake,
    switchboard,
    async close() {
      await switchboard.ledger.flush();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
