/**
 * A server's address pasted with a request's path on its end (`…/v1/chat/completions` from a curl line in a server's
 * docs): refused where it is read, with the address to write, instead of a 404 at every request.
 */
import assert from 'node:assert/strict';
import { describeProblem, resolveConfig } from '../../src/core/config';
import { withEnvBaseUrl } from '../../src/core/envBaseUrl';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { requestPathProblem } from '../../src/core/requestPathUrl';

describe('a server address ending in a request path', () => {
  const OLLAMA_CHAT = 'http://localhost:11434/v1/chat/completions';

  it('says the path, and the address before it, for each request path of the OpenAI dialect', () => {
    for (const [pasted, path, base] of [
      [OLLAMA_CHAT, '/chat/completions', 'http://localhost:11434/v1'],
      ['http://localhost:11434/v1/chat/completions/', '/chat/completions', 'http://localhost:11434/v1'],
      ['https://host.example/llm/v1/completions', '/completions', 'https://host.example/llm/v1'],
      ['http://127.0.0.1:1234/v1/models', '/models', 'http://127.0.0.1:1234/v1'],
      ['https://res.openai.azure.com/openai/v1/responses?api-version=preview', '/responses', 'https://res.openai.azure.com/openai/v1?api-version=preview'],
    ]) {
      assert.equal(
        requestPathProblem(pasted!, 'openai'),
        `ends in ${path}, the path of one request: the OpenAI SDK adds it to each request itself, so write the address before it, "${base}"`,
        pasted,
      );
    }
  });

  it("says Anthropic's /v1/messages, whose SDK adds the /v1 too", () => {
    assert.equal(
      requestPathProblem('https://gw.example/anthropic/v1/messages', 'anthropic'),
      `ends in /v1/messages, the path of one request: Anthropic's SDK adds it to each request itself, so write the address before it, "https://gw.example/anthropic"`,
    );
  });

  it('leaves base addresses alone, a path prefix and a gateway path included', () => {
    for (const url of ['http://localhost:11434/v1', 'https://host.example/llm/v1', 'https://router.example/api/v1/', 'https://gateway.ai.cloudflare.com/v1/acct/gw/openai', 'https://x.example/v1/modelsets']) {
      assert.equal(requestPathProblem(url, 'openai'), undefined, url);
    }
    assert.equal(requestPathProblem('https://api.anthropic.com', 'anthropic'), undefined);
  });

  it('keeps the password out of the address it says to write', () => {
    const said = requestPathProblem('http://me:s3cret-Pw@gpu-box:8080/v1/chat/completions', 'openai')!;
    assert.ok(said.endsWith('"http://me:***@gpu-box:8080/v1"'), said);
    assert.ok(!said.includes('s3cret-Pw'));
  });

  it('leaves the provider out with that reason, from its setting, OPENAI_BASE_URL, a custom provider and Anthropic’s setting', async () => {
    const setting = resolveConfig({ providers: { openai: { baseUrl: OLLAMA_CHAT } } });
    assert.deepEqual(setting.problems.map(describeProblem), [
      'switchboard.providers.openai.baseUrl: ends in /chat/completions, the path of one request: the OpenAI SDK adds it to each request itself, so write the address before it, "http://localhost:11434/v1"; no openai requests are made until it is fixed',
    ]);
    const registry = new ProviderRegistry({});
    await registry.configure(setting.config);
    assert.equal(registry.status('openai')?.usable, false);
    assert.match(registry.status('openai')?.reason ?? '', /^switchboard\.providers\.openai\.baseUrl ends in \/chat\/completions, .*"http:\/\/localhost:11434\/v1": nothing goes to openai until it is fixed/);

    const fromEnv = withEnvBaseUrl(resolveConfig({}).config, { OPENAI_BASE_URL: OLLAMA_CHAT }, () => 'use');
    assert.equal(fromEnv.providers.openai.invalidSetting, 'OPENAI_BASE_URL');
    assert.equal(fromEnv.providers.openai.baseUrl, '');

    const custom = resolveConfig({ providers: { custom: { lab: { type: 'openai', baseUrl: 'http://gpu-box:8000/v1/chat/completions' }, relay: { type: 'anthropic', baseUrl: 'https://relay.example/v1/messages' } } } });
    assert.deepEqual(custom.config.providers.custom, {});
    const said = custom.problems.map(describeProblem).join('\n');
    assert.match(said, /providers\.custom\.lab\.baseUrl: ends in \/chat\/completions, .*"http:\/\/gpu-box:8000\/v1"; provider ignored/);
    assert.match(said, /providers\.custom\.relay\.baseUrl: ends in \/v1\/messages, .*"https:\/\/relay\.example"; provider ignored/);

    const anthropic = resolveConfig({ providers: { anthropic: { baseUrl: 'https://relay.example/v1/messages' } } });
    assert.equal(anthropic.config.providers.anthropic.invalidSetting, 'switchboard.providers.anthropic.baseUrl');
  });
});
