/**
 * A chat answer from a server that leaves a thinking model's `<think>…</think>` in `content` (older Ollama,
 * llama.cpp `--reasoning-format none`, LM Studio and vLLM without a reasoning parser), through the router and its
 * ledger: the reader sees only the answer, the first-token time starts at the answer, and the reasoning is still
 * output the request is recorded with.
 */
import assert from 'node:assert/strict';
import { startFakeOpenAI } from '../fakes/index';
import { routerHarness } from './routerHarness';

const THOUGHT = '<think>\nThe user asks which model; I say it plainly.\n</think>';
const ANSWER = 'A local Qwen3 answered.';
const USAGE = { inputTokens: 40, outputTokens: 30, cacheReadTokens: 0, cacheWriteTokens: 0 };
const PIECE_DELAY_MS = 150;

describe('Router with a <think> block in content', function () {
  this.timeout(20_000);
  const h = routerHarness('router-think-block');
  const route = () => h.open({ routes: { chat: ['openai:qwen3:8b'] } });

  it('shows only the answer, times the first token from it, and records the usage the server reported', async () => {
    // Four pieces of thought, then the answer: the answer's first character comes at least three delays in.
    h.fakes.openai.script({ text: `${THOUGHT}\n\n${ANSWER}`, chunks: 5, chunkDelayMs: PIECE_DELAY_MS, usage: USAGE });
    const harness = await route();

    const result = await harness.run('chat');

    assert.equal(result.text, ANSWER);
    assert.equal(result.chunks.join(''), ANSWER, 'no reasoning reached the reader');
    assert.equal(result.record.outcome, 'ok');
    assert.ok((result.record.firstTokenMs ?? 0) >= 3 * PIECE_DELAY_MS, `first token at ${result.record.firstTokenMs} ms, before the answer began`);
    assert.deepEqual(result.record.usage, USAGE);
    assert.equal(result.record.usageEstimated, false);
  });

  it('estimates a request without usage with its reasoning as output, as it does for reasoning_content', async () => {
    // llama-cpp-python and older vLLM send no usage at all.
    const server = await startFakeOpenAI({ wire: { usage: 'none' } });
    try {
      const harness = await h.open({
        providers: { custom: { local: { type: 'openai', baseUrl: `${server.url}/v1` } } },
        routes: { chat: ['local:qwen3:8b'] },
      });
      server.script({ text: `${THOUGHT}\n\n${ANSWER}`, chunks: 7 });
      const inContent = await harness.run('chat');
      server.script({ reasoning: { text: THOUGHT, chunks: 3, field: 'reasoning_content' }, text: ANSWER });
      const inItsField = await harness.run('chat');

      assert.equal(inContent.text, ANSWER);
      assert.equal(inContent.record.usageEstimated, true);
      assert.deepEqual(inContent.record.usage, inItsField.record.usage);
    } finally {
      await server.close();
    }
  });
});
