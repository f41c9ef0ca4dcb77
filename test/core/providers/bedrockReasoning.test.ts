/**
 * Thinking models through Bedrock's ConverseStream, from the fake's binary event stream through the real AWS SDK:
 * Claude's extended thinking (reasoningContent text, then its signature), Claude's redacted thinking (encrypted
 * bytes), and an imported model's `<think>…</think>` in the answer's text (thinkBlock.ts). Reasoning never reaches the
 * answer, is counted as reasoning, and the usage Bedrock reports (its thinking in the output count) is what is billed.
 */
import assert from 'node:assert/strict';
import { createBedrockProvider } from '../../../src/core/providers/bedrock';
import type { ModelRequest } from '../../../src/core/types';
import { setTestAwsKeys, type TestAwsEnvironment } from '../../fakes/awsEnv';
import { collectStream } from '../../fakes/collectStream';
import { startFakeBedrock, type FakeServer } from '../../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Sum a list' }], maxTokens: 2000 };
const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const IMPORTED = 'arn:aws:bedrock:us-east-1:123456789012:imported-model/k2c8fz3vq9xa';
const THOUGHT = 'The user wants a sum of a list; reduce with an accumulator starting at zero.';
const ANSWER = 'Use `xs.reduce((a, b) => a + b, 0)`.';

describe('Bedrock provider: thinking models', () => {
  let fake: FakeServer;
  let awsEnv: TestAwsEnvironment;
  const stream = (model: string) =>
    collectStream(createBedrockProvider({ id: 'bedrock', kind: 'bedrock', region: 'us-east-1', endpoint: fake.url }).stream(model, REQUEST, new AbortController().signal));

  before(async () => {
    fake = await startFakeBedrock();
    awsEnv = await setTestAwsKeys();
  });
  afterEach(() => fake.reset());
  after(async () => {
    await fake.close();
    await awsEnv.restore();
  });

  it("Claude's extended thinking: its text and signature are reasoning, the answer alone is text, Bedrock's output count is billed", async () => {
    fake.script({ reasoning: { text: THOUGHT, chunks: 4, bedrock: 'signed' }, text: ANSWER, chunks: 3 });
    const result = await stream(CLAUDE);
    assert.equal(result.error, undefined, String(result.error));
    assert.equal(result.text, ANSWER);
    assert.equal(result.reasoningChars, THOUGHT.length);
    assert.deepEqual(result.usage, { ...fake.bills[0]?.usage });
    assert.ok((result.usage.outputTokens ?? 0) > Math.ceil(ANSWER.length / 4), 'the thinking is in the output billed');
  });

  it("Claude's redacted thinking: encrypted bytes, counted as reasoning by their length, none of it in the answer", async () => {
    fake.script({ reasoning: { text: THOUGHT, chunks: 3, bedrock: 'redacted' }, text: ANSWER, chunks: 2 });
    const result = await stream(CLAUDE);
    assert.equal(result.error, undefined, String(result.error));
    assert.equal(result.text, ANSWER);
    assert.equal(result.reasoningChars, THOUGHT.length);
    assert.deepEqual(result.usage, { ...fake.bills[0]?.usage });
  });

  it("an imported model's <think> block in the text is kept out of the answer and counted as reasoning, at every chunk size", async () => {
    const block = `<think>\n${THOUGHT}\n</think>`;
    const text = `${block}\n\n${ANSWER}`;
    for (const chunks of [1, 2, 5, 17, text.length]) {
      fake.script({ text, chunks });
      const result = await stream(IMPORTED);
      assert.equal(result.error, undefined, String(result.error));
      assert.equal(result.text, ANSWER, `cut into ${chunks}`);
      assert.equal(result.reasoningChars, block.length, `cut into ${chunks}`);
    }
  });

  it("DeepSeek-R1's answer after its reasoningContent streams as it comes (not held for a </think> it never sends)", async () => {
    fake.script({ reasoning: { text: THOUGHT, chunks: 2 }, text: ANSWER, chunks: 3 });
    const result = await stream('us.deepseek.r1-v1:0');
    assert.equal(result.text, ANSWER);
    assert.equal(result.textEvents, 3);
    assert.equal(result.reasoningChars, THOUGHT.length);
  });

  it('a <think> later in the answer is the answer’s', async () => {
    fake.script({ text: 'Write `<think>` tags around the reasoning.', chunks: 4 });
    assert.equal((await stream(IMPORTED)).text, 'Write `<think>` tags around the reasoning.');
  });
});
