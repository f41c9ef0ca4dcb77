import assert from 'node:assert/strict';
import type { ModelRequest } from '../../src/core/types';
import type { RouteResult } from '../../src/core/router';
import { routerHarness } from './routerHarness';

const COMPLETIONS = 50;
const CHATS = 5;

/**
 * A window closes (Switchboard.dispose) with many requests under way at once, as typing with several chats open
 * leaves it: each is ended and recorded exactly once, with what it had streamed, before the ledger's last write;
 * nothing is written after.
 */
describe('a window closing with many requests under way', function () {
  this.timeout(30_000);
  const h = routerHarness('shutdown-load');

  it(`records each of ${COMPLETIONS} completions and ${CHATS} chats once, as cancelled with what streamed`, async () => {
    const harness = await h.open({ routes: { completion: ['openai:gpt-5.4-nano'], chat: ['anthropic:claude-haiku-4-5'] } });
    // Every answer sends its first piece and then holds until the client leaves.
    const never = new Promise<never>(() => undefined);
    h.fakes.openai.scriptModel('gpt-5.4-nano', { text: 'abcdefgh', chunks: 4, pauseAfterChunks: 1, resumeWhen: never });
    h.fakes.anthropic.scriptModel('claude-haiku-4-5', { text: 'abcdefgh', chunks: 4, pauseAfterChunks: 1, resumeWhen: never });

    let streaming = 0;
    let allStreaming!: () => void;
    const everyoneStreams = new Promise<void>((resolve) => (allStreaming = resolve));
    const start = (task: 'completion' | 'chat', index: number): Promise<RouteResult> => {
      const request: ModelRequest = { messages: [{ role: 'user', content: `${task} ${index}` }], maxTokens: 64 };
      let counted = false;
      return harness.switchboard.router.run(task, request, {
        onText: () => {
          if (counted) return;
          counted = true;
          if (++streaming === COMPLETIONS + CHATS) allStreaming();
        },
      });
    };
    const running = [
      ...Array.from({ length: COMPLETIONS }, (_, index) => start('completion', index)),
      ...Array.from({ length: CHATS }, (_, index) => start('chat', index)),
    ];
    await everyoneStreams;

    await harness.switchboard.dispose();
    const results = await Promise.all(running);
    const written = await h.readLedger(harness.ledgerPath);

    // One record each, by id, equal to what its caller got; each cancelled with the piece that streamed.
    assert.equal(written.length, COMPLETIONS + CHATS);
    assert.deepEqual(new Set(written.map((record) => record.id)), new Set(results.map((result) => result.record.id)));
    for (const result of results) {
      assert.equal(result.record.outcome, 'cancelled');
      assert.equal(result.text, 'ab');
    }
    assert.deepEqual(
      written.map((record) => record.task).sort(),
      [...Array<string>(CHATS).fill('chat'), ...Array<string>(COMPLETIONS).fill('completion')],
    );
    // Billed, as the providers bill a stream that began: the day's spend is what the ledger holds.
    const ledgerUsd = written.reduce((sum, record) => sum + (record.costUsd ?? 0), 0);
    assert.ok(ledgerUsd > 0);
    // Every connection was closed by the client, none left open.
    await h.fakes.openai.waitForClosedEarly(COMPLETIONS);
    await h.fakes.anthropic.waitForClosedEarly(CHATS);
    assert.deepEqual(harness.switchboard.ledger.unwrittenLines(), []);
  });
});
