/**
 * Claude's redacted thinking through Bedrock (encrypted `reasoningContent.redactedContent` deltas), through the router
 * and its ledger: the reasoning keeps the first-token watchdog from giving up on a model that is answering, the reader
 * sees only the answer, and the request is recorded with Bedrock's usage, its thinking in the output.
 */
import assert from 'node:assert/strict';
import { routerHarness } from './routerHarness';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const THOUGHT = 'The user asks which model answered; the first of the route, through Bedrock. ';
const ANSWER = 'Claude on Bedrock answered.';
const USAGE = { inputTokens: 40, outputTokens: 120, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('Router with Claude’s redacted thinking on Bedrock', function () {
  this.timeout(20_000);
  const h = routerHarness('router-bedrock-thinking');

  it('waits through the thinking past the first-token limit, shows only the answer, and records Bedrock’s usage', async () => {
    const harness = await h.open({ routes: { chat: [`bedrock:${CLAUDE}`, 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: 300 } });
    // Eight pieces of thinking 100 ms apart: the answer comes 800 ms in, well past the limit.
    h.fakes.bedrock.script({ reasoning: { text: THOUGHT, chunks: 8, bedrock: 'redacted' }, text: ANSWER, chunks: 1, chunkDelayMs: 100, usage: USAGE });

    const result = await harness.run('chat');

    assert.equal(result.record.outcome, 'ok', JSON.stringify(result.record.attempts));
    assert.equal(result.record.provider, 'bedrock');
    assert.equal(result.text, ANSWER);
    assert.equal(result.chunks.join(''), ANSWER, 'no reasoning reached the reader');
    assert.deepEqual(result.record.attempts, []);
    assert.ok((result.record.firstTokenMs ?? 0) >= 300, 'the time to the first token is to the answer, past the thinking');
    assert.deepEqual(result.record.usage, USAGE);
    assert.equal(result.record.usageEstimated, false);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback paid for the thinking twice');
  });
});
