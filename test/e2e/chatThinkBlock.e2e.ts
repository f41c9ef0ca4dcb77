import assert from 'node:assert/strict';
import { askInChat as ask, fakes, openChatPanel, page, useWorkbenchOnFakes } from './harness';

const THOUGHT = '<think>\nThe user wants a sort; a one-liner with a comparator will do.\n</think>';
const ANSWER = 'Sort a copy: `[...xs].sort((a, b) => a - b)`.';

/**
 * A local server without a reasoning parser (older Ollama, llama.cpp with --reasoning-format none, LM Studio, vLLM)
 * streams a thinking model's `<think>…</think>` in the answer's text: the chat panel shows only the answer.
 */
describe('Chat panel with a <think> block in the answer', () => {
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false } });

  it('shows only the answer, never the reasoning before it, with its footer', async () => {
    // Thirty pieces: the tags arrive split across chunks.
    fakes.openai.scriptModel('gpt-5.4', { text: `${THOUGHT}\n\n${ANSWER}`, chunks: 30, chunkDelayMs: 20 });
    const chat = await openChatPanel(page, 'activity bar');
    await ask(chat, 'How do I sort numbers?');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.markdown').innerText(), 'Sort a copy: [...xs].sort((a, b) => a - b).');
    assert.doesNotMatch(await answer.innerText(), /think|one-liner/);
  });
});

/**
 * DeepSeek-R1 through a server that sends its reasoning apart (OpenRouter's `reasoning`, a reasoning parser's
 * `reasoning_content`): the answer's text has no `</think>` to wait for, and streams into the panel as it comes.
 */
describe('Chat panel with DeepSeek-R1 whose reasoning comes in its own field', () => {
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:deepseek-r1'], 'switchboard.auto.enabled': false } });

  it('streams a DeepSeek-R1 answer as it comes when the server sends the reasoning in its own field (OpenRouter, a reasoning parser)', async () => {
    // Held after the reasoning's two pieces and the answer's first: the panel must show that piece while it waits.
    let resume: () => void = () => undefined;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    fakes.openai.scriptModel('deepseek-r1', {
      reasoning: { text: 'The user wants a sort.', chunks: 2, field: 'reasoning' },
      text: 'Sort a copy with a comparator, then read it back.',
      chunks: 4,
      pauseAfterChunks: 3,
      resumeWhen: resumed,
    });
    const chat = await openChatPanel(page, 'activity bar');
    await ask(chat, 'How do I sort numbers?');
    const answer = chat.locator('.message.assistant').last();
    try {
      await answer.locator('.markdown', { hasText: 'Sort' }).waitFor({ state: 'visible' });
      assert.equal(await answer.locator('.answer-footer').count(), 0, 'the first piece shown while the answer is still held');
    } finally {
      resume();
    }
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.markdown').innerText(), 'Sort a copy with a comparator, then read it back.');
  });
});
