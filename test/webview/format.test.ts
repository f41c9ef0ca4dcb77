import assert from 'node:assert/strict';
import { formatAnsweredBy, formatApproxTokens, formatLatency, formatRouting, formatRoutingTooltip, formatTokenCounts } from '../../src/webview/format';

describe('chat footer formatting', () => {
  it('names the first choice when a fallback answered', () => {
    assert.equal(formatAnsweredBy({ model: 'claude-sonnet-5', requestedModel: 'gpt-5.4', fellBack: true }), 'claude-sonnet-5 (fallback from gpt-5.4)');
    assert.equal(formatAnsweredBy({ model: 'gpt-5.4', requestedModel: 'gpt-5.4', fellBack: false }), 'gpt-5.4');
  });

  it('shows token counts with separators, marked ~ when estimated', () => {
    assert.equal(formatTokenCounts({ inputTokens: 12345, outputTokens: 678, estimated: false }), '12,345 in / 678 out');
    assert.equal(formatTokenCounts({ inputTokens: 10, outputTokens: 2, estimated: true }), '~10 in / ~2 out');
  });

  it('shows an estimated token count to two significant figures, marked ~', () => {
    assert.equal(formatApproxTokens(1), '~1 token');
    assert.equal(formatApproxTokens(38), '~38 tokens');
    assert.equal(formatApproxTokens(1_096), '~1,100 tokens');
    assert.equal(formatApproxTokens(15_000), '~15,000 tokens');
    assert.equal(formatApproxTokens(62_499), '~62,000 tokens');
  });

  it('says when Auto handed a question to the other tier, and why, before why it picked the first', () => {
    const routing = {
      mode: 'auto' as const,
      tier: 'strong' as const,
      handedOverFrom: 'cheap' as const,
      score: 0.08,
      reasons: ['handed over from the cheap tier: its models failed before answering', 'short request (8 words)', 'no code attached'],
    };
    assert.equal(formatRouting(routing), 'strong tier: handed over from the cheap tier: its models failed before answering, short request (8 words)');
    assert.equal(
      formatRoutingTooltip(routing),
      'Auto picked the cheap tier (score 0.08), which could not answer (its models failed before answering), so it handed this to the strong tier. It picked the cheap tier because:\n• short request (8 words)\n• no code attached',
    );
  });

  it('shows latency in ms, seconds or minutes', () => {
    assert.equal(formatLatency(412.6), '413 ms');
    assert.equal(formatLatency(2345), '2.3 s');
    assert.equal(formatLatency(125_000), '2 min 5 s');
  });
});
