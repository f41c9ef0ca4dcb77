/**
 * A kept-alive connection the server closes (its idle timeout, a proxy's, a local server restarted) just as the
 * client reuses it: played deterministically by a fake that drops a request arriving on a connection that carried
 * one before, unread, as that server's close would. Through the real router, adapters and SDKs.
 */
import assert from 'node:assert/strict';
import { routerHarness } from './routerHarness';

type SseProvider = 'openai' | 'anthropic';
const MODEL: Record<SseProvider, string> = { openai: 'gpt-5.4-nano', anthropic: 'claude-haiku-4-5' };
const NEXT: Record<SseProvider, SseProvider> = { openai: 'anthropic', anthropic: 'openai' };

describe('a kept-alive connection closed by the server as it is reused', function () {
  this.timeout(20_000);
  const h = routerHarness('stale-connection');

  for (const provider of ['openai', 'anthropic'] as const) {
    for (const how of ['close', 'reset'] as const) {
      it(`${provider}: a request that meets it (${how === 'close' ? 'FIN' : 'RST'}) is asked again on another connection, once: the same model answers, one record, one bill, no rest`, async () => {
        const next = NEXT[provider];
        const { run } = await h.open({ routes: { chat: [`${provider}:${MODEL[provider]}`, `${next}:${MODEL[next]}`] } });
        const fake = h.fakes[provider];
        // A first answer leaves its connection idle in the pool, as a minute of reading it would.
        const first = await run('chat');
        assert.equal(first.record.provider, provider);

        fake.dropOnReuse(1, how);
        const result = await run('chat');

        assert.equal(fake.droppedOnReuse, 1, 'the request went on the kept-alive connection, which the server closed');
        assert.equal(result.error, undefined);
        assert.deepEqual([result.record.outcome, result.record.provider, result.record.model], ['ok', provider, MODEL[provider]]);
        assert.deepEqual(result.record.attempts, [], 'not the model failing: nothing is listed');
        assert.equal(h.fakes[next].requests.length, 0, 'no fallback');
        // Read by the server twice in all (the first answer and the retry): the dropped request never was, and is billed nowhere.
        assert.deepEqual([fake.requests.length, fake.bills.length], [2, 2]);

        // Nor does the model rest: the next request goes to it.
        const after = await run('chat');
        assert.deepEqual([after.record.provider, after.record.attempts], [provider, []]);
      });
    }

    it(`${provider}: a server that closes the connection again on the retry is a failure, and the route falls back`, async () => {
      const next = NEXT[provider];
      const { run } = await h.open({ routes: { chat: [`${provider}:${MODEL[provider]}`, `${next}:${MODEL[next]}`] } });
      const fake = h.fakes[provider];
      await run('chat');
      // The first dropped as the server closes its idle connection; the retry read and then reset before a byte.
      fake.dropOnReuse(1, 'reset');
      fake.script({ resetBeforeResponse: true });
      const result = await run('chat');

      assert.equal(fake.droppedOnReuse, 1);
      assert.deepEqual([result.record.outcome, result.record.provider], ['ok', next]);
      assert.equal(result.record.attempts.length, 1);
      assert.match(result.record.attempts[0]!.error, new RegExp(`^${provider} dropped the connection`));
    });
  }
});
