import assert from 'node:assert/strict';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { KEYS, routerHarness } from './routerHarness';

/**
 * A server on this machine is asked without a key when none is set (Ollama needs none). One that wants a key
 * answers 401: said as a key that is missing, naming the variable to set, not as "rejected its API key", which
 * would send the user to replace a key that does not exist.
 */
describe('a local server that wants a key when none is set', () => {
  const h = routerHarness('keyless-auth');
  let guarded: FakeServer;

  before(async () => {
    guarded = await startFakeOpenAI({ apiKey: 'the-server-key' });
  });
  after(async () => {
    await guarded.close();
  });

  it('says no key was set and which variable to set, falls back, and passes the provider over after', async () => {
    const { OPENAI_API_KEY: _none, ...withoutOpenAI } = KEYS;
    const harness = await h.open(
      { providers: { openai: { baseUrl: `${guarded.url}/v1` }, anthropic: h.fakes.urls.anthropic }, routes: { chat: ['openai:llama3.1', 'anthropic:claude-haiku-4-5'] } },
      { env: withoutOpenAI },
    );
    h.fakes.anthropic.script({ text: 'Answered.' }, { text: 'Answered again.' });
    const first = await harness.run('chat');
    assert.equal(first.record.provider, 'anthropic');
    assert.deepEqual(first.record.attempts, [{ provider: 'openai', model: 'llama3.1', error: 'openai answered 401 without a key: the server wants one and none is set; set OPENAI_API_KEY' }]);
    assert.doesNotMatch(JSON.stringify(first.record), /rejected its API key/);

    const second = await harness.run('chat');
    assert.deepEqual(second.record.attempts, [{ provider: 'openai', model: 'llama3.1', error: 'openai answered 401 without a key: the server wants one and none is set; set OPENAI_API_KEY', skipped: true }]);
    assert.equal(guarded.requests.length, 1, 'not asked again without a key');
  });

  it('names a key that was not sent for its shape (in quotes) rather than saying none is set', async () => {
    const harness = await h.open(
      { providers: { openai: { baseUrl: `${guarded.url}/v1` }, anthropic: h.fakes.urls.anthropic }, routes: { chat: ['openai:llama3.1', 'anthropic:claude-haiku-4-5'] } },
      { env: { ...KEYS, OPENAI_API_KEY: '"the-server-key"' } },
    );
    h.fakes.anthropic.script({ text: 'Answered.' });
    const before = guarded.requests.length;
    const first = await harness.run('chat');
    assert.equal(first.record.provider, 'anthropic');
    assert.deepEqual(first.record.attempts, [
      {
        provider: 'openai',
        model: 'llama3.1',
        error: 'openai answered 401 without a key: the openai API key in OPENAI_API_KEY is wrapped in quotes (as a .env file writes it; docker --env-file and systemd keep them), so it is not sent; set OPENAI_API_KEY to the key alone, without the quotes',
      },
    ]);
    const asked = guarded.requests.slice(before);
    assert.equal(asked.length, 1);
    assert.doesNotMatch(String(asked[0]!.headers.authorization), /the-server-key/, 'asked without the key in quotes');
  });
});
