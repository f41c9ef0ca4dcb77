import assert from 'node:assert/strict';
import { closedPort } from '../fakes/closedPort';
import { routerHarness } from './routerHarness';

/**
 * What a failure rests, across tasks. A 429 (or a 5xx) is its model's: completion's cheap model throttled leaves
 * chat's model of the same provider alone. A host that cannot be reached is the whole provider's: chat does not
 * connect again to the host completion just found refusing, for the few seconds of the rest.
 */
describe('cooldowns: a model rests for its own failure, a provider for an unreachable host', () => {
  const h = routerHarness('cooldown-scope');
  // The elapsed clock stands still: a rest lasts for the whole test however slow the machine.
  const elapsed = () => 1_000;
  const ROUTES = { completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'], chat: ['openai:gpt-5.4', 'anthropic:claude-haiku-4-5'] };

  it("a 429 from completion's model does not rest chat's model of the same provider", async () => {
    const harness = await h.open({ routes: ROUTES }, { elapsed });
    h.fakes.openai.script({ status: 429 }, { text: 'Chat answer.' });
    h.fakes.anthropic.script({ text: 'Completion fallback.' }, { text: 'Completion fallback again.' });
    const completion = await harness.run('completion');
    assert.equal(completion.record.provider, 'anthropic');
    assert.match(completion.record.attempts[0]!.error, /rate-limiting/);

    const chat = await harness.run('chat');
    assert.equal(chat.record.provider, 'openai');
    assert.equal(chat.record.model, 'gpt-5.4');
    assert.deepEqual(chat.record.attempts, [], "chat's model was asked: the 429 was another model's");

    const again = await harness.run('completion');
    assert.equal(again.record.provider, 'anthropic');
    assert.match(again.record.attempts[0]!.error, /^cooling down \(\d+s left\) after: openai is rate-limiting requests \(429\)/, 'the throttled model itself still rests');
  });

  it("an unreachable host rests every model of its provider: chat does not try the host completion found refusing", async () => {
    const port = await closedPort();
    const harness = await h.open({ providers: { openai: { baseUrl: `http://127.0.0.1:${port}/v1` }, anthropic: h.fakes.urls.anthropic }, routes: ROUTES }, { elapsed });
    h.fakes.anthropic.script({ text: 'Completion fallback.' }, { text: 'Chat fallback.' });
    const completion = await harness.run('completion');
    assert.equal(completion.record.provider, 'anthropic');
    assert.match(completion.record.attempts[0]!.error, /^openai could not be reached: connection refused/);

    const chat = await harness.run('chat');
    assert.equal(chat.record.provider, 'anthropic');
    assert.deepEqual(chat.record.attempts.map((attempt) => attempt.model), ['gpt-5.4']);
    assert.match(chat.record.attempts[0]!.error, /^cooling down \(5s left\) after: openai could not be reached: connection refused/);
  });
});
