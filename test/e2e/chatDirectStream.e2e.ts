import assert from 'node:assert/strict';
import { askInChat as ask, fakes, openChatPanel, page, useWorkbenchOnFakes } from './harness';

/** Every word numbered and a few characters JSON and HTML treat specially, so a chunk lost, doubled or moved shows. */
const ANSWER = Array.from({ length: 120 }, (_, index) => `w${index + 1}${index % 17 === 0 ? ' "quoted" \\ back' : ''}`).join(' ');

/** Issue 12: switchboard.chat.directStream through the real workbench (VS Code's serve-web in Chromium). */
describe('Chat panel direct stream in the workbench', () => {
  useWorkbenchOnFakes({
    userSettings: {
      'switchboard.routes.chat': ['openai:gpt-5.4'],
      'switchboard.auto.enabled': false,
      'switchboard.chat.directStream': true,
    },
  });

  it('streams an answer to the panel over the loopback response and shows exactly its text, then the footer', async () => {
    fakes.openai.scriptModel('gpt-5.4', { text: ANSWER, chunks: 40, chunkDelayMs: 20 });
    const chat = await openChatPanel(page, 'activity bar');
    await ask(chat, 'Count for me');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.markdown').innerText(), ANSWER);
    // It came by the direct stream, not by VS Code's relay: the panel fetched the answer's response from 127.0.0.1.
    const fetched = await chat.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => name.includes('/answer/')));
    assert.equal(fetched.length, 1, `the panel fetched: ${fetched.join(', ')}`);
    assert.match(fetched[0] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/answer\/[A-Za-z0-9_-]{43}$/);
  });
});
