import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { KEYS, NOVA, routerHarness } from './routerHarness';

// Secret-shaped, assembled at run time: it must appear in no record, event or message.
const SECRET = ['passed', 'over', 'secret', 'value', '0123456789'].join('/');

/**
 * A model whose provider cannot be used (its key kept back from the host its baseUrl names, no key at all) is not
 * asked, and the request's record says so: a skipped attempt with the reason, so the ledger, the status bar and
 * `--json` tell why the route's first model did not answer. Nothing of the key is in it.
 */
describe('models passed over because their provider cannot be used', () => {
  const h = routerHarness('passed-over');

  it("a key kept back (a custom provider's apiKeyEnv names an AWS secret): the route's first model listed as skipped with why, no key in it", async () => {
    const harness = await h.open(
      {
        providers: { anthropic: h.fakes.urls.anthropic, custom: { gpu: { type: 'openai', baseUrl: `${h.fakes.openai.url}/v1`, apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' } } },
        routes: { chat: ['gpu:llama3.1', 'anthropic:claude-haiku-4-5', 'gpu:qwen3'] },
      },
      { env: { ...KEYS, AWS_SECRET_ACCESS_KEY: SECRET } },
    );
    h.fakes.anthropic.script({ text: 'Answered.' });
    const result = await harness.run('chat');
    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.record.provider, 'anthropic');
    assert.equal(result.record.requestedModel, 'gpu:llama3.1');
    // The model after the one that answered was never its turn: not listed.
    assert.deepEqual(
      result.record.attempts.map(({ provider, model, skipped }) => ({ provider, model, skipped })),
      [{ provider: 'gpu', model: 'llama3.1', skipped: true }],
    );
    assert.match(result.record.attempts[0]!.error, /apiKeyEnv in your --config file names AWS_SECRET_ACCESS_KEY, a credential that is never an API key/);
    assert.equal(h.fakes.openai.requests.length, 0, 'nothing was sent to the server the key was kept from');
    const ledger = await readFile(harness.ledgerPath, 'utf8');
    assert.match(ledger, /"skipped":true/);
    for (const seen of [ledger, JSON.stringify(harness.events), JSON.stringify(result)]) assert.ok(!seen.includes(SECRET), 'no key anywhere');
  });

  it('no credentials: skipped with the reason; and when every usable model fails, all those passed over are listed', async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutAws } = KEYS;
    const harness = await h.open({ routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5', 'bedrock:amazon.nova-lite-v1:0'] } }, { env: withoutAws });
    h.fakes.anthropic.script({ status: 400, errorMessage: 'bad request' });
    const failed = await harness.run('chat');
    assert.equal(failed.record.outcome, 'error');
    assert.deepEqual(
      failed.record.attempts.map(({ model, skipped }) => ({ model, skipped })),
      [
        { model: NOVA, skipped: true },
        { model: 'amazon.nova-lite-v1:0', skipped: true },
        { model: 'claude-haiku-4-5', skipped: undefined },
      ],
    );
    assert.match(failed.record.attempts[0]!.error, /^no AWS credentials/);
    assert.equal(h.fakes.bedrock.requests.length, 0);
  });

  it('every provider usable: no skipped attempt', async () => {
    const harness = await h.open({ routes: { chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-5.4-nano'] } });
    h.fakes.anthropic.script({ text: 'Answered.' });
    assert.deepEqual((await harness.run('chat')).record.attempts, []);
  });
});
