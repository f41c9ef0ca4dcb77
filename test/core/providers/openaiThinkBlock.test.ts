/**
 * A thinking model's `<think>…</think>` left in `content` by a server without a reasoning parser (older Ollama,
 * llama.cpp `--reasoning-format none`, LM Studio, vLLM), read through the real OpenAI SDK from the fake: cut into
 * chunks of every size down to one character, so a tag split anywhere is still found.
 */
import assert from 'node:assert/strict';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Sum a list' }], maxTokens: 256 };

describe('OpenAI provider: a <think> block in content', () => {
  let fake: FakeServer;
  before(async () => (fake = await startFakeOpenAI({ wire: { comment: 'keep-alive' } })));
  after(() => fake.close());

  /** What the adapter streams for `text` cut into each chunk count from 1 to its length (every chunk size). */
  async function everyCut(model: string, text: string, check: (answer: string, reasoningChars: number, cut: number) => void): Promise<void> {
    const provider = createOpenAIProvider({ id: 'openai', kind: 'openai', baseUrl: `${fake.url}/v1` });
    for (let chunks = 1; chunks <= text.length; chunks++) {
      fake.script({ text, chunks });
      const result = await collectStream(provider.stream(model, REQUEST, new AbortController().signal));
      assert.equal(result.error, undefined, String(result.error));
      check(result.text, result.reasoningChars, chunks);
    }
  }

  it('keeps an opening block out of the answer, counting its length as reasoning, at every chunk size', async () => {
    const thought = '<think>\nThe user wants a sum; reduce.\n</think>';
    await everyCut('qwen3:8b', `${thought}\n\nUse \`xs.reduce((a, b) => a + b, 0)\`.`, (answer, reasoningChars, cut) => {
      assert.equal(answer, 'Use `xs.reduce((a, b) => a + b, 0)`.', `cut into ${cut}`);
      assert.equal(reasoningChars, thought.length, `cut into ${cut}`);
    });
  });

  it('keeps out the reasoning before a bare </think> where the template opened the block (DeepSeek-R1)', async () => {
    await everyCut('deepseek-r1:7b', 'Sum them with reduce.\n</think>\n\nreturn xs.reduce(add, 0);', (answer, reasoningChars, cut) => {
      assert.equal(answer, 'return xs.reduce(add, 0);', `cut into ${cut}`);
      assert.equal(reasoningChars, 'Sum them with reduce.\n</think>'.length, `cut into ${cut}`);
    });
  });

  it('leaves a <think> later in the answer, as in a code fence, untouched', async () => {
    const text = 'Tags:\n```xml\n<think>x</think>\n```';
    for (const model of ['qwen3:8b', 'deepseek-r1:7b']) {
      await everyCut(model, text, (answer, reasoningChars, cut) => {
        assert.equal(answer, text, `${model} cut into ${cut}`);
        assert.equal(reasoningChars, 0);
      });
    }
  });

  it('leaves an answer that only begins like the tag, or is white space, as it came', async () => {
    for (const text of ['<thin client', '<th', '  \n', '<b>bold</b>']) {
      await everyCut('qwen3:8b', text, (answer, _reasoning, cut) => assert.equal(answer, text, `${JSON.stringify(text)} cut into ${cut}`));
    }
  });

  it("streams a DeepSeek-R1 answer as it comes where the server sends the reasoning in its own field (OpenRouter's, a reasoning parser's)", async () => {
    const provider = createOpenAIProvider({ id: 'openai', kind: 'openai', baseUrl: `${fake.url}/v1` });
    for (const field of ['reasoning_content', 'reasoning'] as const) {
      fake.script({ reasoning: { text: 'Sum them with reduce.', chunks: 3, field }, text: 'return xs.reduce(add, 0);', chunks: 5 });
      const result = await collectStream(provider.stream('deepseek/deepseek-r1', REQUEST, new AbortController().signal));
      assert.equal(result.error, undefined, String(result.error));
      assert.equal(result.text, 'return xs.reduce(add, 0);', field);
      assert.equal(result.reasoningChars, 'Sum them with reduce.'.length, field);
      // Not held to the end as one piece: each chunk is passed on as it arrives.
      assert.equal(result.textEvents, 5, field);
    }
  });

  it('gives a DeepSeek-R1 answer that never closes a block whole at the end, as the answer it was', async () => {
    await everyCut('deepseek-r1:7b', 'A plain answer.', (answer, reasoningChars, cut) => {
      assert.equal(answer, 'A plain answer.', `cut into ${cut}`);
      assert.equal(reasoningChars, 0);
    });
  });

  it('keeps the block out of a native fill-in-the-middle answer (/v1/completions), at every chunk size', async () => {
    // A custom provider with `fim: true` (llama-server, Ollama) serving a thinking model: its reasoning came as ghost text.
    const provider = createOpenAIProvider({ id: 'box', kind: 'openai', baseUrl: `${fake.url}/v1`, fim: true });
    const fill: ModelRequest = { ...REQUEST, fim: { prefix: 'const total = ', suffix: ';\n' } };
    const cases = [
      { model: 'qwen3:8b', text: '<think>\nA sum of xs.\n</think>\n\nxs.reduce(add, 0)', thought: '<think>\nA sum of xs.\n</think>' },
      { model: 'deepseek-r1-distill-qwen-7b', text: 'A sum of xs.\n</think>\n\nxs.reduce(add, 0)', thought: 'A sum of xs.\n</think>' },
    ];
    for (const { model, text, thought } of cases) {
      for (let chunks = 1; chunks <= text.length; chunks++) {
        fake.script({ text, chunks });
        const result = await collectStream(provider.stream(model, fill, new AbortController().signal));
        assert.equal(result.error, undefined, String(result.error));
        assert.equal(result.text, 'xs.reduce(add, 0)', `${model} cut into ${chunks}`);
        assert.equal(result.reasoningChars, thought.length, `${model} cut into ${chunks}`);
      }
      // It went the FIM way: the completions path with the suffix, not a chat.
      const asked = fake.requests.at(-1)!;
      assert.equal(asked.path, '/v1/completions');
    }
  });
});
