/**
 * A prompt a model refuses as longer than its context window, each provider's refusal as its vendor sends it (the
 * fakes' `contextWindow`, or the vendor's exact error scripted): the model is healthy and does not rest; the route
 * goes on only to a model whose known window (the price table's) is larger; where none is, the request stops with the
 * sizes and what to do. Through the real router, adapters and SDKs.
 */
import assert from 'node:assert/strict';
import { promptTooLongIn } from '../../src/core/providers/promptTooLong';
import { NOVA, routerHarness } from './routerHarness';

describe('a prompt too long for the model', function () {
  this.timeout(20_000);
  const h = routerHarness('prompt-too-long');

  it("openai's context_length_exceeded: not rested, a model the price table does not size is passed over, the larger one answers", async () => {
    const { run } = await h.open({
      routes: { chat: ['openai:gpt-4o-mini', 'openai:my-own-finetune', 'anthropic:claude-haiku-4-5'] },
    });
    h.fakes.openai.scriptModel('gpt-4o-mini', { contextWindow: 5 });
    const result = await run('chat');

    assert.equal(result.error, undefined);
    assert.deepEqual([result.record.outcome, result.record.provider, result.record.model], ['ok', 'anthropic', 'claude-haiku-4-5']);
    const [refused, passed] = result.record.attempts;
    assert.match(refused!.error, /^openai refused the prompt as too long \(400\): This model's maximum context length is 5 tokens/);
    assert.equal(refused!.costUsd, undefined, 'refused unread: nothing billed');
    assert.deepEqual([passed!.model, passed!.skipped], ['my-own-finetune', true]);
    assert.match(passed!.error, /not asked: the prompt was too long for openai:gpt-4o-mini, and its context window is not known/);
    assert.equal(h.fakes.openai.requests.filter((r) => (r.body as { model?: string }).model === 'my-own-finetune').length, 0);

    // Healthy: a shorter prompt next goes to it, not to the route's next model.
    h.fakes.openai.scriptModel('gpt-4o-mini', {});
    const after = await run('chat');
    assert.deepEqual([after.record.provider, after.record.model, after.record.attempts], ['openai', 'gpt-4o-mini', []]);
  });

  it("bedrock's ValidationException (no sizes): its window from the price table; a model with the same window is passed over", async () => {
    const { run } = await h.open({
      routes: { chat: [`bedrock:${NOVA}`, 'openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5'] },
    });
    h.fakes.bedrock.scriptModel(NOVA, { contextWindow: 5 });
    const result = await run('chat');

    assert.deepEqual([result.record.outcome, result.record.provider], ['ok', 'anthropic']);
    assert.match(result.record.attempts[0]!.error, /^bedrock refused the prompt for us\.amazon\.nova-micro-v1:0 in us-east-1 as too long \(ValidationException, 400\): Input is too long for requested model\./);
    assert.deepEqual([result.record.attempts[1]!.model, result.record.attempts[1]!.skipped], ['gpt-4o-mini', true]);
    assert.match(result.record.attempts[1]!.error, /its context window \(128,000 tokens\) is not larger/);
    assert.equal(h.fakes.openai.requests.length, 0, 'the same 128,000-token window would refuse it too');

    h.fakes.bedrock.scriptModel(NOVA, {});
    const after = await run('chat');
    assert.deepEqual([after.record.provider, after.record.attempts], ['bedrock', []], 'not rested');
  });

  it("anthropic's 'prompt is too long: N tokens > W maximum' with no larger model left: stops, naming the sizes and what to do", async () => {
    const { run } = await h.open({ routes: { chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-4o-mini', `bedrock:${NOVA}`] } });
    h.fakes.anthropic.script({ status: 400, errorMessage: 'prompt is too long: 208310 tokens > 200000 maximum' });
    const result = await run('chat');

    assert.equal(result.record.outcome, 'error');
    assert.equal(
      result.error,
      'the prompt is too long for anthropic:claude-haiku-4-5: 208,310 tokens (anthropic\'s count), more than its context window of 200,000 tokens; ' +
        'no other model of the chat route is known to have a larger window. Shorten the selection, attach fewer files or start a new conversation, ' +
        'or use a model with a larger context window (switchboard.routes.chat)',
    );
    assert.deepEqual(result.record.attempts.map((a) => [a.provider, a.skipped ?? false]), [['anthropic', false], ['openai', true], ['bedrock', true]]);
    assert.equal(h.fakes.openai.requests.length + h.fakes.bedrock.requests.length, 0);
    assert.equal(h.fakes.anthropic.bills.length, 0);

    const after = await run('chat');
    assert.deepEqual([after.record.provider, after.record.attempts], ['anthropic', []], 'not rested');
  });

  it("anthropic's own refusal, sized from the request: the model with the larger window answers", async () => {
    const { run } = await h.open({ routes: { chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-4.1'] } });
    h.fakes.anthropic.scriptModel('claude-haiku-4-5', { contextWindow: 5 });
    const result = await run('chat');
    assert.deepEqual([result.record.outcome, result.record.provider], ['ok', 'openai']);
    assert.match(result.record.attempts[0]!.error, /^anthropic refused the prompt as too long \(400\): prompt is too long: \d+ tokens > 5 maximum$/);
  });

  it("bedrock's validationException as the stream's exception event: the same, and nothing billed", async () => {
    const { run } = await h.open({ routes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] } });
    h.fakes.bedrock.script({ streamErrorAfterChunks: 0, errorCode: 'ValidationException', errorMessage: 'Input is too long for requested model.' });
    const result = await run('chat');
    assert.deepEqual([result.record.outcome, result.record.provider], ['ok', 'anthropic']);
    assert.match(result.record.attempts[0]!.error, /as too long \(ValidationException\): Input is too long/);
    assert.equal(result.record.attempts[0]!.costUsd, undefined);
  });

  it('a model asked by name: no route to go on with, and the message says so', async () => {
    const { run } = await h.open({ routes: { chat: ['openai:gpt-4o-mini', 'anthropic:claude-haiku-4-5'] } });
    h.fakes.openai.script({ status: 400, errorCode: 'context_length_exceeded', errorMessage: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130021 tokens. Please reduce the length of the messages." });
    const result = await run('chat', { model: { provider: 'openai', model: 'gpt-4o-mini' } });
    assert.equal(
      result.error,
      "the prompt is too long for openai:gpt-4o-mini: 130,021 tokens (openai's count), more than its context window of 128,000 tokens. " +
        'Shorten the selection, attach fewer files or start a new conversation, or use a model with a larger context window (switchboard.routes.chat)',
    );
  });
});

describe('promptTooLongIn: the vendors\' words', () => {
  it('reads the sizes each vendor states, and nothing from other bad requests', () => {
    assert.deepEqual(promptTooLongIn('prompt is too long: 208310 tokens > 200000 maximum'), { promptTokens: 208310, limitTokens: 200000 });
    assert.deepEqual(promptTooLongIn('input length and `max_tokens` exceed context limit: 199759 + 8192 > 200000, decrease input length or `max_tokens` and try again'), { promptTokens: 199759, limitTokens: 200000 });
    assert.deepEqual(promptTooLongIn('Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 289650 tokens. Please reduce the length of the messages.'), { promptTokens: 289650, limitTokens: 272000 });
    assert.deepEqual(promptTooLongIn("This model's maximum context length is 4097 tokens. However, you requested 4128 tokens (2128 in the messages, 2000 in the completion)."), { promptTokens: 2128, limitTokens: 4097 });
    assert.deepEqual(promptTooLongIn('The model returned the following errors: Input is too long for requested model.'), {});
    assert.deepEqual(promptTooLongIn('Request exceeds the maximum allowed number of bytes.', 'request_too_large', 413), {});
    assert.equal(promptTooLongIn('max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5'), undefined);
    assert.equal(promptTooLongIn('messages: roles must alternate between "user" and "assistant"'), undefined);
  });
});
