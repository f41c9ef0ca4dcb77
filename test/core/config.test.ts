import assert from 'node:assert/strict';
import { DEFAULT_ROUTES, resolveConfig, SETTING_DEFAULTS } from '../../src/core/config';
import { formatModelRef, parseModelRef, shortModelName } from '../../src/core/modelRef';
import { PriceTable } from '../../src/core/prices/priceTable';

describe('model references', () => {
  it('split at the first colon, so Bedrock ids keep theirs', () => {
    assert.deepEqual(parseModelRef('bedrock:us.amazon.nova-micro-v1:0'), { provider: 'bedrock', model: 'us.amazon.nova-micro-v1:0' });
    assert.deepEqual(parseModelRef('bedrock:arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1'), {
      provider: 'bedrock',
      model: 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1',
    });
    assert.equal(formatModelRef({ provider: 'ollama', model: 'qwen2.5-coder:7b' }), 'ollama:qwen2.5-coder:7b');
  });

  it('reject text without a provider or a model', () => {
    for (const bad of ['gpt-5.4', ':gpt', 'openai:', '', 'open ai:gpt']) assert.equal(parseModelRef(bad), undefined, bad);
  });

  it('read short in the status bar', () => {
    assert.equal(shortModelName('us.anthropic.claude-haiku-4-5-20251001-v1:0'), 'claude-haiku-4-5');
    assert.equal(shortModelName('gpt-5.4-mini-2026-03-17'), 'gpt-5.4-mini');
    assert.equal(shortModelName('arn:aws:bedrock:us-east-1:1:inference-profile/us.amazon.nova-micro-v1:0'), 'nova-micro');
  });
});

describe('settings', () => {
  it('default to one model of each provider per task, all priced and none deprecated', () => {
    const { config, problems } = resolveConfig({});
    assert.deepEqual(problems, []);
    const prices = new PriceTable();
    for (const [task, refs] of Object.entries(config.routes)) {
      assert.deepEqual(refs.map((r) => r.provider).sort(), ['anthropic', 'bedrock', 'openai'], task);
      for (const ref of refs) {
        const price = prices.lookup(ref.provider, ref.model);
        assert.ok(price, `${formatModelRef(ref)} has a price`);
        assert.equal(price.deprecationDate, undefined, `${formatModelRef(ref)} is not deprecated`);
        assert.doesNotMatch(ref.model, /^(gpt-5(-mini|-nano)?|gpt-4o.*|gpt-4\.1.*)$/, 'no model OpenAI has announced to shut down');
      }
    }
    const completion = prices.lookup('openai', 'gpt-5.4-nano')!;
    const chat = prices.lookup('anthropic', 'claude-sonnet-5')!;
    assert.ok(completion.output < chat.output, 'the completion route is the cheaper one');
  });

  it('accept nested objects (VS Code) and dotted keys alike', () => {
    const nested = resolveConfig({ providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, completion: { debounceMs: 80 } });
    const dotted = resolveConfig({ 'providers.openai.baseUrl': 'http://localhost:11434/v1', 'completion.debounceMs': 80 });
    assert.deepEqual(nested, dotted);
    assert.equal(nested.config.providers.openai.baseUrl, 'http://localhost:11434/v1');
    assert.equal(nested.config.completion.debounceMs, 80);
  });

  it('name the setting that is wrong and keep the valid rest', () => {
    const { config, problems } = resolveConfig({
      routes: { chat: ['anthropic:claude-sonnet-5', 'gpt5', 'mystery:model-x'] },
      completion: { debounceMs: 'fast', multiline: 'sometimes' },
      providers: { openai: { baseUrl: 'ftp://example' } },
    });
    assert.deepEqual(config.routes.chat, [{ provider: 'anthropic', model: 'claude-sonnet-5' }]);
    assert.equal(config.completion.debounceMs, SETTING_DEFAULTS['completion.debounceMs']);
    assert.equal(config.completion.multiline, 'auto');
    assert.equal(config.providers.openai.baseUrl, '');
    const keys = problems.map((p) => p.key);
    assert.deepEqual(keys.sort(), [
      'switchboard.completion.debounceMs',
      'switchboard.completion.multiline',
      'switchboard.providers.openai.baseUrl',
      'switchboard.routes.chat[1]',
      'switchboard.routes.chat[2]',
    ]);
    assert.match(problems.find((p) => p.key.endsWith('[2]'))!.message, /unknown provider "mystery"/);
    assert.match(problems.find((p) => p.key.endsWith('[1]'))!.message, /not a model reference/);
  });

  it('let custom OpenAI-compatible providers into routes', () => {
    const { config, problems } = resolveConfig(
      {
        providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1', fim: true }, bad: { type: 'grpc', baseUrl: 'x' } } },
        routes: { completion: ['ollama:qwen2.5-coder:7b'] },
      },
      'config.json: ',
    );
    assert.deepEqual(config.routes.completion, [{ provider: 'ollama', model: 'qwen2.5-coder:7b' }]);
    assert.deepEqual(config.providers.custom.ollama, { type: 'openai', baseUrl: 'http://localhost:11434/v1', fim: true });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.key, 'config.json: providers.custom.bad.type');
  });

  it('keep a route empty, never the cloud defaults, when none of its entries is usable, and name the setting', () => {
    const { config, problems } = resolveConfig({
      providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } } },
      routes: { completion: ['olama:qwen2.5-coder'], plan: 'ollama:llama3.1' },
    });
    assert.deepEqual(config.routes.completion, []);
    assert.deepEqual(config.routes.plan, []);
    assert.equal(config.routes.chat.length, DEFAULT_ROUTES.chat.length, 'a route left unset keeps its default');
    const completion = problems.find((p) => p.key === 'switchboard.routes.completion');
    assert.match(completion!.message, /no valid model reference; no completion requests are made until it lists one/);
    const plan = problems.find((p) => p.key === 'switchboard.routes.plan');
    assert.match(plan!.message, /must be a list of model references; no plan requests are made/);
  });

  it('take an explicitly empty route as no model, without a problem', () => {
    const { config, problems } = resolveConfig({ routes: { completion: [] } });
    assert.deepEqual(config.routes.completion, []);
    assert.deepEqual(problems, []);
  });

  it('reject price overrides that are not numbers, naming the field', () => {
    const { config, problems } = resolveConfig({ prices: { 'openai:gpt-5.4': { input: -1 }, 'ollama:llama3': { input: 0, output: 0 } } });
    assert.deepEqual(Object.keys(config.prices), ['ollama:llama3']);
    assert.equal(problems[0]!.key, 'switchboard.prices["openai:gpt-5.4"].input');
  });
});
