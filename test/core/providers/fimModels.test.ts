import assert from 'node:assert/strict';
import { isNativeFimModel } from '../../../src/core/providers/fimModels';

describe('isNativeFimModel', () => {
  it('recognises FIM code models on OpenAI-compatible endpoints by name', () => {
    for (const model of [
      'codestral-latest',
      'deepseek-coder-6.7b-base',
      'qwen2.5-coder:7b',
      'Qwen/Qwen2.5-Coder-32B',
      'qwen3-coder-30b-a3b',
      'bigcode/starcoder2-15b',
      'codellama:13b-code',
      'codegemma-7b',
      'ibm-granite/granite-code-8b',
    ]) {
      assert.equal(isNativeFimModel('openai', model), true, model);
    }
    assert.equal(isNativeFimModel('openrouter', 'mistralai/codestral-2501'), true);
  });

  it('never treats Claude, GPT, Nova or Titan as FIM, whatever the provider says', () => {
    assert.equal(isNativeFimModel('openai', 'gpt-4.1-mini', true), false);
    assert.equal(isNativeFimModel('openai', 'o4-mini', true), false);
    assert.equal(isNativeFimModel('anthropic', 'claude-haiku-4-5'), false);
    assert.equal(isNativeFimModel('bedrock', 'amazon.nova-micro-v1:0'), false);
    assert.equal(isNativeFimModel('bedrock', 'amazon.titan-text-express-v1'), false);
    assert.equal(isNativeFimModel('bedrock', 'codestral-latest'), false, 'Bedrock has no FIM endpoint');
  });

  it('follows the provider fim setting for models it does not know', () => {
    assert.equal(isNativeFimModel('local', 'my-tuned-model', true), true);
    assert.equal(isNativeFimModel('local', 'my-tuned-model'), false);
    assert.equal(isNativeFimModel('local', 'codestral-latest', false), false, 'an explicit false wins over the name');
  });
});
