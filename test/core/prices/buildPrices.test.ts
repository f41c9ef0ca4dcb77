import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SHIPPED_PRICES } from '../../../src/core/prices/priceTable';

const repoRoot = path.resolve(__dirname, '../../..');
const script = path.join(repoRoot, 'scripts/build-prices.mjs');

const extract = {
  _source:
    'LiteLLM model_prices_and_context_window.json (MIT license), copy stamped last_updated 2026-07-24T18:23:43Z; chat models only. Costs are USD per token.',
  models: {
    'gpt-4o': {
      input_cost_per_token: 2.5e-6,
      output_cost_per_token: 1e-5,
      cache_read_input_token_cost: 1.25e-6,
      litellm_provider: 'openai',
      max_input_tokens: 128000,
      max_output_tokens: 16384,
      mode: 'chat',
    },
    'gpt-3.5-turbo-instruct': {
      input_cost_per_token: 1.5e-6,
      output_cost_per_token: 2e-6,
      litellm_provider: 'text-completion-openai',
      mode: 'completion',
    },
    'claude-3-opus-20240229': {
      input_cost_per_token: 1.5e-5,
      output_cost_per_token: 7.5e-5,
      cache_read_input_token_cost: 1.5e-6,
      cache_creation_input_token_cost: 1.875e-5,
      deprecation_date: '2026-05-01',
      litellm_provider: 'anthropic',
      mode: 'chat',
    },
    'us.amazon.nova-micro-v1:0': {
      input_cost_per_token: 3.5e-8,
      output_cost_per_token: 1.4e-7,
      litellm_provider: 'bedrock_converse',
      mode: 'chat',
    },
    'anthropic.claude-3-haiku-20240307-v1:0': {
      // 3e-7 * 1e6 is 0.30000000000000004 in floating point.
      input_cost_per_token: 3e-7,
      output_cost_per_token: 1.25e-6,
      litellm_provider: 'bedrock',
      mode: 'chat',
    },
    'bedrock/us-east-1/anthropic.claude-3-haiku-20240307-v1:0': {
      input_cost_per_token: 3e-7,
      output_cost_per_token: 1.25e-6,
      litellm_provider: 'bedrock',
      mode: 'chat',
    },
    'claude-sonnet-4-5-20250929-v1:0': {
      input_cost_per_token: 3e-6,
      output_cost_per_token: 1.5e-5,
      litellm_provider: 'bedrock',
      mode: 'chat',
    },
    'anthropic.claude-mythos-preview': {
      input_cost_per_token: 0,
      output_cost_per_token: 0,
      litellm_provider: 'bedrock',
      mode: 'chat',
    },
    'mistral-large-latest': {
      input_cost_per_token: 2e-6,
      output_cost_per_token: 6e-6,
      litellm_provider: 'mistral',
      mode: 'chat',
    },
    'text-embedding-3-small': {
      input_cost_per_token: 2e-8,
      output_cost_per_token: 0,
      litellm_provider: 'openai',
      mode: 'embedding',
    },
  },
};

describe('scripts/build-prices.mjs', () => {
  let dir: string;
  let built: { source: string; sourceDate: string; unit: string; models: Record<string, Record<string, unknown>> };
  let text: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-prices-'));
    await writeFile(path.join(dir, 'extract.json'), JSON.stringify(extract));
    execFileSync(process.execPath, [script, path.join(dir, 'extract.json'), '--out', path.join(dir, 'prices.json')]);
    text = await readFile(path.join(dir, 'prices.json'), 'utf8');
    built = JSON.parse(text);
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it('converts to USD per million tokens without float noise', () => {
    assert.deepEqual(built.models['bedrock:anthropic.claude-3-haiku-20240307-v1:0'], { input: 0.3, output: 1.25 });
    assert.deepEqual(built.models['openai:gpt-4o'], {
      input: 2.5,
      output: 10,
      cacheRead: 1.25,
      maxInputTokens: 128000,
      maxOutputTokens: 16384,
    });
    assert.equal(built.unit, 'USD per million tokens');
  });

  it('keeps cache rates and the deprecation date', () => {
    assert.deepEqual(built.models['anthropic:claude-3-opus-20240229'], {
      input: 15,
      output: 75,
      cacheRead: 1.5,
      cacheWrite: 18.75,
      deprecationDate: '2026-05-01',
    });
  });

  it('names the source and its date once for the whole file', () => {
    assert.equal(built.source, 'LiteLLM model_prices_and_context_window.json (MIT license), copy stamped last_updated 2026-07-24T18:23:43Z');
    assert.equal(built.sourceDate, '2026-07-24');
  });

  it('keeps real model ids of openai, anthropic and bedrock chat and completion models only, sorted', () => {
    assert.deepEqual(Object.keys(built.models), [
      'anthropic:claude-3-opus-20240229',
      'bedrock:anthropic.claude-3-haiku-20240307-v1:0',
      'bedrock:us.amazon.nova-micro-v1:0',
      'openai:gpt-3.5-turbo-instruct',
      'openai:gpt-4o',
    ]);
  });

  it('writes pretty-printed JSON ending in a newline, so updates diff line by line', () => {
    assert.ok(text.startsWith('{\n  "source": '));
    assert.ok(text.endsWith('}\n'));
  });

  it('produced the committed prices.json: sorted keys, plain decimals, both prices on every model', () => {
    const keys = Object.keys(SHIPPED_PRICES.models);
    assert.ok(keys.length > 300);
    assert.deepEqual(keys, [...keys].sort());
    for (const [key, price] of Object.entries(SHIPPED_PRICES.models)) {
      for (const value of [price.input, price.output, price.cacheRead, price.cacheWrite]) {
        if (value === undefined) continue;
        assert.doesNotMatch(String(value), /e|0000000|9999999/, `${key} has float noise: ${value}`);
      }
      assert.ok(price.input > 0 || price.output > 0, `${key} is priced 0`);
    }
  });
});
