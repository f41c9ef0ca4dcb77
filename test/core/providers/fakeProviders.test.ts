import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createAnthropicProvider } from '../../../src/core/providers/anthropic';
import { createBedrockProvider } from '../../../src/core/providers/bedrock';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import type { ProviderAdapter } from '../../../src/core/providers/provider';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { startFakeProviders, type FakeProviders, type FakeProviderUrls } from '../../fakes/index';

const QUESTION: ModelRequest = {
  messages: [{ role: 'user', content: 'How do I read a file in Node without blocking the event loop?' }],
  maxTokens: 100,
};

describe('simulated providers', () => {
  let fakes: FakeProviders;
  let savedKey: string | undefined;
  let savedSecret: string | undefined;

  before(async () => {
    fakes = await startFakeProviders();
    savedKey = process.env.AWS_ACCESS_KEY_ID;
    savedSecret = process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_ACCESS_KEY_ID = 'FAKESIMULATEDKEYID01';
    process.env.AWS_SECRET_ACCESS_KEY = 'simulated';
  });
  after(async () => {
    await fakes.close();
    if (savedKey === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = savedKey;
    if (savedSecret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = savedSecret;
  });

  it('give every provider a plausible answer naming the model, with usage from the request size', async () => {
    const adapters: Array<[ProviderAdapter, string]> = [
      [createOpenAIProvider({ id: 'openai', kind: 'openai', ...fakes.urls.openai }), 'gpt-5-mini'],
      [createAnthropicProvider({ id: 'anthropic', kind: 'anthropic', ...fakes.urls.anthropic }), 'claude-haiku-4-5'],
      [createBedrockProvider({ id: 'bedrock', kind: 'bedrock', ...fakes.urls.bedrock }), 'us.amazon.nova-lite-v1:0'],
    ];
    for (const [adapter, model] of adapters) {
      const result = await collectStream(adapter.stream(model, QUESTION, new AbortController().signal));
      assert.equal(result.error, undefined, `${adapter.id}: ${String(result.error)}`);
      assert.match(result.text, new RegExp(`^Simulated answer from ${model.replace(/\./g, '\\.')}: I read your 13-word request\\.`));
      // 61 characters of question at about four characters a token.
      assert.equal(result.usage.inputTokens, 16, adapter.id);
      assert.equal(result.usage.outputTokens, Math.ceil(result.text.length / 4), adapter.id);
    }
  });

  it('list models on the OpenAI-compatible /v1/models, as local servers do', async () => {
    const response = await fetch(`${fakes.urls.openai.baseUrl}/models`);
    const body = (await response.json()) as { data: Array<{ id: string }> };
    assert.ok(body.data.some((model) => model.id === 'gpt-5-mini'));
  });

  it('start from the command line, print their URLs as one JSON line, and stop on SIGTERM', async function () {
    this.timeout(8000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fakes/serve.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const urls = JSON.parse(line) as FakeProviderUrls;
      assert.match(urls.openai.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      assert.match(urls.anthropic.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(urls.bedrock.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      const models = await fetch(`${urls.openai.baseUrl}/models`);
      assert.equal(models.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
