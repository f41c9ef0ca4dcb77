import assert from 'node:assert/strict';
import { costOf } from '../../src/core/cost';
import { PriceTable } from '../../src/core/prices/priceTable';
import { estimateRequestUsage, estimateTokens, estimateUsage, promptTextOf } from '../../src/core/usageEstimate';

describe('usage estimates', () => {
  it('count about four characters per token, rounded up', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('x'.repeat(400)), 100);
  });

  it('estimate a whole request from the text sent and received, with no cache', () => {
    assert.deepEqual(estimateUsage('p'.repeat(40), 'o'.repeat(9)), {
      inputTokens: 10,
      outputTokens: 3,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('keep the prompt counts a provider reported when the stream started', () => {
    // Anthropic's message_start reports exact input and cache counts and 1 output token.
    const usage = estimateUsage('p'.repeat(40_000), 'o'.repeat(400), { inputTokens: 12, cacheReadTokens: 3000, outputTokens: 1 });
    assert.deepEqual(usage, { inputTokens: 12, outputTokens: 100, cacheReadTokens: 3000, cacheWriteTokens: 0 });
  });

  it('keep a reported output count larger than the estimate', () => {
    assert.equal(estimateUsage('', 'o'.repeat(40), { outputTokens: 25 }).outputTokens, 25);
  });

  it('count the system prompt and every message of a chat request', () => {
    const request = {
      system: 's'.repeat(39),
      messages: [
        { role: 'user' as const, content: 'u'.repeat(40) },
        { role: 'assistant' as const, content: 'a'.repeat(40) },
      ],
      maxTokens: 100,
    };
    // 39 + 40 + 40 characters and two separators: 121 characters.
    assert.equal(estimateRequestUsage(request, '').inputTokens, 31);
  });

  it('count prefix and suffix, not messages, of a fill-in-the-middle request', () => {
    const request = { messages: [{ role: 'user' as const, content: 'ignored' }], maxTokens: 64, fim: { prefix: 'def f(', suffix: '):' } };
    assert.equal(promptTextOf(request), 'def f(\n):');
  });

  it("hold an estimated output to the request's max output where the provider's API stops there (reasoning included), and only there", () => {
    const request = { messages: [{ role: 'user' as const, content: 'Think hard.' }], maxTokens: 200 };
    // 1,120 characters of reasoning and 40 of text: 290 tokens at four characters a token, past the max of 200.
    assert.equal(estimateRequestUsage(request, 'o'.repeat(40), undefined, 1120, true).outputTokens, 200, 'OpenAI, Anthropic, Bedrock: never past the max');
    assert.equal(estimateRequestUsage(request, 'o'.repeat(40), undefined, 400, true).outputTokens, 110, 'under it, as estimated');
    assert.equal(estimateRequestUsage(request, 'o'.repeat(40), undefined, 1120).outputTokens, 290, 'another server may ignore the max and bill what it sent');
    assert.equal(estimateRequestUsage({ ...request, maxTokens: 0 }, 'o'.repeat(40), undefined, 1120, true).outputTokens, 290, 'no max of its own: none to hold it to');
  });

  it('give a cancelled request a cost rather than none', () => {
    const usage = estimateUsage('p'.repeat(4000), 'o'.repeat(2000));
    assert.equal(costOf(usage, new PriceTable().lookup('openai', 'gpt-4o')), 0.0075);
  });
});
