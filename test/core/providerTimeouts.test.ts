import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { routerHarness } from './routerHarness';

/**
 * A provider's own first-token limit (its settings' `timeouts`): a local server that loads a model before its first
 * token gets the time it needs, while the route's other providers still fail over at the general limit. Played
 * against the fakes: a first byte held back (a model loading), a stream that never starts, one that stalls midway.
 */
describe('a provider\'s own first-token limit', function () {
  this.timeout(20_000);
  const h = routerHarness('provider-timeouts');
  /** The general limit, short: a cloud model that sends nothing for this long is left for the next. */
  const GENERAL_MS = 200;
  /** The local server's first byte: past the general limit, well inside its own. */
  const LOADING_MS = 700;

  /** `local`, an OpenAI-compatible server (the OpenAI fake) given its own limit, beside the built-ins. */
  function providers(localTimeouts: Record<string, unknown>): Record<string, unknown> {
    const urls = h.fakes.urls;
    return { ...urls, custom: { local: { type: 'openai', baseUrl: urls.openai.baseUrl, timeouts: localTimeouts } } };
  }

  it('waits for a local server loading its model, past the general limit, and records its first token', async () => {
    const harness = await h.open({
      routes: { chat: ['local:llama3.1', 'anthropic:claude-haiku-4-5'] },
      providers: providers({ firstTokenMs: 30_000 }),
      timeouts: { firstTokenMs: GENERAL_MS },
    });
    h.fakes.openai.scriptModel('llama3.1', { text: 'Loaded.', firstByteDelayMs: LOADING_MS });

    const result = await harness.run('chat');

    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.record.provider, 'local');
    assert.equal(result.text, 'Loaded.');
    assert.deepEqual(result.record.attempts, []);
    assert.ok((result.record.firstTokenMs ?? 0) >= LOADING_MS, `first token after ${result.record.firstTokenMs} ms`);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'the next model was never asked');
  });

  it('still fails over from a cloud model at the general limit, naming that setting, before the patient local one', async () => {
    const harness = await h.open({
      routes: { chat: ['anthropic:claude-haiku-4-5', 'local:llama3.1'] },
      providers: providers({ firstTokenMs: 30_000 }),
      timeouts: { firstTokenMs: GENERAL_MS },
    });
    h.fakes.anthropic.script({ stall: true });
    h.fakes.openai.scriptModel('llama3.1', { text: 'Loaded.', firstByteDelayMs: LOADING_MS });

    const result = await harness.run('chat');

    assert.equal(result.record.provider, 'local');
    assert.deepEqual(result.record.attempts, [
      { provider: 'anthropic', model: 'claude-haiku-4-5', error: `no first token within ${GENERAL_MS} ms (switchboard.timeouts.firstTokenMs)` },
    ]);
    await h.fakes.anthropic.waitForClosedEarly(1);
  });

  it('gives up on the provider at its own limit, shorter than the general one, naming its own setting', async () => {
    const harness = await h.open({
      routes: { chat: ['local:llama3.1', 'anthropic:claude-haiku-4-5'] },
      providers: providers({ firstTokenMs: 300 }),
      timeouts: { firstTokenMs: 60_000 },
    });
    h.fakes.openai.scriptModel('llama3.1', { stall: true });

    const result = await harness.run('chat');

    assert.equal(result.record.provider, 'anthropic');
    assert.deepEqual(result.record.attempts, [
      { provider: 'local', model: 'llama3.1', error: 'no first token within 300 ms (switchboard.providers.custom.local.timeouts.firstTokenMs)' },
    ]);
    await h.fakes.openai.waitForClosedEarly(1);
  });

  it('holds its own limit for a stream that stalls midway too: the answer so far kept, the setting named', async () => {
    const harness = await h.open({
      routes: { chat: ['local:llama3.1', 'anthropic:claude-haiku-4-5'] },
      providers: providers({ firstTokenMs: 300 }),
      timeouts: { firstTokenMs: 60_000 },
    });
    h.fakes.openai.scriptModel('llama3.1', { text: 'The first half', chunks: 2, stallAfterChunks: 1 });

    const result = await harness.run('chat');

    assert.equal(result.record.provider, 'local');
    assert.equal(result.record.outcome, 'error');
    assert.match(result.error ?? '', /^local:llama3\.1 failed mid-answer: the stream stalled: nothing for 300 ms \(switchboard\.providers\.custom\.local\.timeouts\.firstTokenMs\)$/);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'text was shown: not asked again of another model');
  });

  it('a built-in provider (openai at a local server) takes its own from providers.openai.timeouts, completions too', async () => {
    const harness = await h.open({
      routes: { completion: ['openai:qwen2.5-coder', 'anthropic:claude-haiku-4-5'], chat: ['openai:qwen2.5-coder', 'anthropic:claude-haiku-4-5'] },
      providers: { ...h.fakes.urls, openai: { ...h.fakes.urls.openai, timeouts: { completionFirstTokenMs: 250, firstTokenMs: 30_000 } } },
      timeouts: { firstTokenMs: GENERAL_MS, completionFirstTokenMs: 60_000 },
    });
    // Chat first: a completion's timeout puts openai in its cooldown, and chat would skip it.
    h.fakes.openai.script({ text: 'Loaded.', firstByteDelayMs: LOADING_MS }, { stall: true });

    const chat = await harness.run('chat');
    const completion = await harness.run('completion');

    assert.deepEqual(completion.record.attempts, [
      { provider: 'openai', model: 'qwen2.5-coder', error: 'no first token within 250 ms (switchboard.providers.openai.timeouts.completionFirstTokenMs)' },
    ]);
    assert.equal(chat.record.provider, 'openai');
    assert.deepEqual(chat.record.attempts, []);
  });

  it('refuses a value that is not one, naming the setting, and keeps the provider at the general limit', () => {
    const { config, problems } = resolveConfig({
      providers: {
        openai: { timeouts: { firstTokenMs: 'slow', firstTokenMS: 90_000 } },
        bedrock: { timeouts: 120_000 },
        custom: { local: { type: 'openai', baseUrl: 'http://localhost:11434/v1', timeouts: { completionFirstTokenMs: 90_000, firstTokenMs: 120_000 } } },
      },
    });
    assert.deepEqual(
      problems.map((p) => `${p.key}: ${p.message}`),
      [
        'switchboard.providers.custom.local.timeouts.completionFirstTokenMs: must be a number from 100 to 60000, not 90000; ignored (the general limit applies)',
        'switchboard.providers.openai.timeouts.firstTokenMs: must be a number from 100 to 600000, not "slow"; ignored (the general limit applies)',
        'switchboard.providers.openai.timeouts.firstTokenMS: is not a timeout (firstTokenMs, completionFirstTokenMs); ignored',
        'switchboard.providers.bedrock.timeouts: must be an object {firstTokenMs, completionFirstTokenMs} in milliseconds; ignored (the general limits apply)',
      ],
    );
    assert.deepEqual({ ...config.timeouts.providers }, { local: { firstTokenMs: 120_000 } });
    assert.equal(config.providers.custom.local?.baseUrl, 'http://localhost:11434/v1', 'the provider itself is kept');
  });
});
