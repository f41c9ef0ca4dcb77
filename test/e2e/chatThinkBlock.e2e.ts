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
