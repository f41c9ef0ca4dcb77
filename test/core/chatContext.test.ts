import assert from 'node:assert/strict';
import { planChatRequest } from '../../src/core/prompts/chatContext';

describe('chat context budget', () => {
  it('sends the conversation with the new message last, alternating roles', () => {
    const plan = planChatRequest(
      [
        { role: 'user', text: 'first question' },
        { role: 'assistant', text: '' },
        { role: 'user', text: 'asked again' },
        { role: 'assistant', text: 'an answer' },
      ],
      'next question',
      { maxTokens: 1000, modelLabel: 'claude-sonnet-5' },
    );
    assert.ok(plan.ok);
    assert.deepEqual(
      plan.request.messages.map((m) => [m.role, m.content]),
      [
        ['user', 'first question\n\nasked again'],
        ['assistant', 'an answer'],
        ['user', 'next question'],
      ],
    );
  });

  it('refuses a message over the model\'s context with a clear note', () => {
    const plan = planChatRequest([], 'x'.repeat(400_000), { maxTokens: 4096, contextTokens: 32_000, modelLabel: 'gpt-5.4-nano' });
    assert.equal(plan.ok, false);
    assert.match((plan as { reason: string }).reason, /about 100,000 tokens; gpt-5\.4-nano accepts about [\d,]+ for a question/);
  });

  it('leaves out the oldest turns to fit, never starting with an answer', () => {
    const long = 'y'.repeat(40_000);
    const history = [
      { role: 'user' as const, text: long },
      { role: 'assistant' as const, text: long },
      { role: 'user' as const, text: 'recent question' },
      { role: 'assistant' as const, text: 'recent answer' },
    ];
    const plan = planChatRequest(history, 'now', { maxTokens: 1000, contextTokens: 15_000, modelLabel: 'm' });
    assert.ok(plan.ok);
    assert.equal(plan.droppedTurns, 2);
    assert.equal(plan.request.messages[0]!.content, 'recent question');
  });
});
