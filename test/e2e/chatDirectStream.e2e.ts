import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { askInChat as ask, closeSettings, fakes, openChatPanel, page, readUserSettings, runCommand, useWorkbenchOnFakes, waitUntil, workbench } from './harness';

/** Every word numbered and a few characters JSON and HTML treat specially, so a chunk lost, doubled or moved shows. */
const ANSWER = Array.from({ length: 120 }, (_, index) => `w${index + 1}${index % 17 === 0 ? ' "quoted" \\ back' : ''}`).join(' ');

/** The chat page's Content-Security-Policy: with the direct stream, its connect-src names the loopback port. */
function pagePolicy(chat: Frame): Promise<string> {
  return chat.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
}

/** The answer responses the page fetched from the loopback server. */
function answersFetched(chat: Frame): Promise<string[]> {
  return chat.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => name.includes('/answer/')));
}

/**
 * Issue 12: switchboard.chat.directStream through the real workbench (VS Code's serve-web in Chromium): on by
 * default, and with it turned off the answers take VS Code's postMessage, so both paths are run for real.
 */
describe('Chat panel direct stream in the workbench', () => {
  // The direct-stream setting not given: its default.
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false } });

  /** The chat page once one is loaded whose policy does (or does not) name a loopback port. */
  async function chatPage(withPort: boolean): Promise<Frame> {
    let found: Frame | undefined;
    await waitUntil(
      async () => {
        for (const frame of page.frames()) {
          if (frame === page.mainFrame() || (await frame.locator('#prompt').count().catch(() => 0)) === 0) continue;
          const policy = await pagePolicy(frame).catch(() => '');
          if (/connect-src http:\/\/127\.0\.0\.1:\d+/.test(policy) === withPort) found = frame;
        }
        return found !== undefined;
      },
      `a chat page whose policy ${withPort ? 'names' : 'does not name'} the loopback port`,
    );
    return found!;
  }

  /** Sets the user's switchboard.chat.directStream in the Settings editor, as a person would, and closes it. */
  async function setDirectStream(value: boolean): Promise<void> {
    await runCommand(page, 'Preferences: Open User Settings');
    await page.locator('.settings-editor .search-container').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('switchboard.chat.directStream');
    const box = page.locator('.settings-editor .setting-item-contents', { hasText: 'loopback connection' }).first().locator('.setting-value-checkbox');
    await box.waitFor({ state: 'visible' });
    if ((await box.getAttribute('aria-checked')) !== String(value)) await box.click();
    // Set back to its default (on), VS Code takes the key out of settings.json rather than writing it.
    await waitUntil(async () => ((await readUserSettings(workbench))['switchboard.chat.directStream'] ?? true) === value, `switchboard.chat.directStream ${value} in the User settings`);
    await closeSettings(page);
  }

  it('streams an answer over the loopback response by default and shows exactly its text, then the footer', async () => {
    fakes.openai.scriptModel('gpt-5.4', { text: ANSWER, chunks: 40, chunkDelayMs: 20 });
    await openChatPanel(page, 'activity bar');
    const chat = await chatPage(true);
    await ask(chat, 'Count for me');
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.markdown').innerText(), ANSWER);
    // It came by the direct stream, not by VS Code's relay: the panel fetched the answer's response from 127.0.0.1.
    const fetched = await answersFetched(chat);
    assert.equal(fetched.length, 1, `the panel fetched: ${fetched.join(', ')}`);
    assert.match(fetched[0] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/answer\/[A-Za-z0-9_-]{43}$/);
  });

  it('turned off, rebuilds the page without the port and streams by postMessage, the text whole; turned on again, direct again', async () => {
    await setDirectStream(false);
    const off = await chatPage(false);
    assert.doesNotMatch(await pagePolicy(off), /connect-src/, 'the page may fetch nothing');
    fakes.openai.scriptModel('gpt-5.4', { text: ANSWER, chunks: 40, chunkDelayMs: 20 });
    await ask(off, 'Count again');
    const answer = off.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.markdown').innerText(), ANSWER);
    assert.deepEqual(await answersFetched(off), [], 'nothing fetched: every chunk came by postMessage');

    await setDirectStream(true);
    const on = await chatPage(true);
    fakes.openai.scriptModel('gpt-5.4', { text: ANSWER, chunks: 40, chunkDelayMs: 20 });
    await ask(on, 'Once more');
    const again = on.locator('.message.assistant').last();
    await again.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await again.locator('.markdown').innerText(), ANSWER);
    assert.equal((await answersFetched(on)).length, 1);
  });
});
