import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resolveConfig } from '../../src/core/config';
import type { LedgerRecord } from '../../src/core/ledger';
import type { RouteResult } from '../../src/core/router';
import { Switchboard } from '../../src/core/switchboard';
import type { ModelRequest, Task } from '../../src/core/types';
import { startFakeProviders, type FakeProviders, type FakeReply } from '../fakes/index';
import { seeded } from '../fakes/seeded';

const CHATS = 20;
const COMPLETIONS = 50;
const ROUNDS = 4;

/** The heap in use after a full collection, in bytes. */
function heapAfterCollection(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Many requests at once through the real router, SDKs and ledger writer against fakes that answer after 0–300 ms,
 * one in ten with a server error: every request is recorded exactly once, nothing rejects unhandled, and the
 * process's heap comes back to what it was after the first round (nothing kept per request once it is written).
 */
describe('the router under load: 20 chats and 50 completions at once, random latency, 10 % server errors', function () {
  this.timeout(120_000);
  let fakes: FakeProviders;
  let dir = '';
  const random = seeded(20261203);
  const replyFor = (): FakeReply => (random() < 0.1 ? { status: 500 } : { firstByteDelayMs: Math.floor(random() * 300), chunks: 3 });

  before(async () => {
    fakes = await startFakeProviders({ openai: { replyFor }, anthropic: { replyFor } });
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-under-load-'));
  });
  after(async () => {
    await fakes.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records each request once, rejects nothing unhandled, and the heap returns to its size after the first round', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const { config, problems } = resolveConfig({
      providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic },
      auto: { enabled: false },
      routes: { chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-5.4-mini'], completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] },
    });
    assert.deepEqual(problems, []);
    const ledgerPath = path.join(dir, 'ledger.jsonl');
    const switchboard = await Switchboard.create({
      config,
      source: 'vscode',
      env: { OPENAI_API_KEY: 'test', ANTHROPIC_API_KEY: 'test', AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') },
      ledgerPath,
    });
    const heaps: number[] = [];
    try {
      // As the editor does: follows the file for today's total.
      await switchboard.loadToday({ watch: true });
      const allIds: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const start = (task: Task, index: number): Promise<RouteResult> => {
          // Each its own prompt: no completion is served from the cache or joined to another.
          const request: ModelRequest = { messages: [{ role: 'user', content: `round ${round}, ${task} ${index}` }], maxTokens: 64 };
          return switchboard.router.run(task, request);
        };
        const results = await Promise.all([
          ...Array.from({ length: CHATS }, (_, index) => start('chat', index)),
          ...Array.from({ length: COMPLETIONS }, (_, index) => start('completion', index)),
        ]);
        await switchboard.ledger.flush();
        for (const { record } of results) {
          assert.ok(record.id, 'each record has an id');
          allIds.push(record.id);
        }
        const written = (await readFile(ledgerPath, 'utf8'))
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line) as LedgerRecord);
        // Exactly once: as many lines as requests so far, each a request's own record.
        assert.equal(written.length, allIds.length, `round ${round}: one line per request`);
        assert.deepEqual(written.map((record) => record.id).sort(), [...allIds].sort());
        assert.equal(new Set(allIds).size, allIds.length, 'no two requests share an id');
        for (const result of results) {
          assert.ok(['ok', 'error'].includes(result.record.outcome), result.record.outcome);
          if (result.record.outcome === 'error') assert.ok(result.error, 'a failed request says why');
        }
        assert.equal(switchboard.spend.today().total.requests, allIds.length, "today's total counts each once");
        // What the test side keeps (the fakes' logs of requests) is let go; the window has read its records back.
        fakes.openai.reset();
        fakes.anthropic.reset();
        await switchboard.spend.catchUp();
        heaps.push(heapAfterCollection());
      }
      // Both kinds happened: answers, and fallbacks after a 500.
      const written = await readFile(ledgerPath, 'utf8');
      assert.match(written, /"outcome":"ok"/);
      assert.match(written, /had a server error \(500\)/);
      // The heap after the later rounds: within 4 MiB of its size after the first (which loaded the SDKs and made
      // the connections), not growing with every 70 requests.
      const [first, ...later] = heaps;
      for (const heap of later) assert.ok(heap - first! < 4 * 1024 * 1024, `heap after each round (MiB): ${heaps.map((bytes) => (bytes / 2 ** 20).toFixed(1)).join(', ')}`);
    } finally {
      await switchboard.dispose();
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });
});
