import assert from 'node:assert/strict';
import type { CDPSession } from 'playwright-core';
import { FOOTER, INIT, type ChatPage } from './chatHarness';
import { useChatHarness } from './chatPanelSuite';

/**
 * The panel compiles its renderer (marked, DOMPurify, highlight.js grammars) in idle periods after it loads, not
 * in the first frames of the first answer, where it made the panel's longest task in the streaming benchmark.
 * Measured as bytes V8 allocates (compiling a grammar builds its modes and regular expressions), not as time.
 */
describe('chat panel warm-up', function () {
  this.timeout(60_000);
  const harness = useChatHarness();

  /** The first answer's first frames: a paragraph, then a TypeScript block's first lines. */
  const FIRST_ANSWER = "Here is the fix.\n\n```ts\nexport type Status = 'open' | 'held';\nexport const LIMIT = 232; // per request\n";

  /** Bytes allocated while the page shows the start of its first answer, a frame after each of a few chunks. */
  async function bytesForFirstAnswer(chat: ChatPage): Promise<number> {
    const cdp: CDPSession = await chat.page.context().newCDPSession(chat.page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await chat.fromHost({ type: 'start', id: 'a1', requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'question' });
    for (let at = 0, seq = 0; at < FIRST_ANSWER.length; at += 20, seq++) {
      await chat.fromHost({ type: 'chunk', id: 'a1', seq, text: FIRST_ANSWER.slice(at, at + 20) });
      await chat.settle();
    }
    const { profile } = (await cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { samples: Array<{ size: number }> } };
    await cdp.detach();
    return profile.samples.reduce((sum, sample) => sum + sample.size, 0);
  }

  async function openLoaded(): Promise<ChatPage> {
    const chat = await harness().open({ idle: 'manual' });
    await chat.fromHost(INIT, { type: 'history', messages: [], totalCostUsd: 0 });
    await chat.settle();
    return chat;
  }

  it('asks for idle work once loaded, and the first answer then allocates a fraction of what it does on a page never idle', async () => {
    const cold = await openLoaded();
    assert.ok((await cold.idlePending()) > 0, 'the loaded page asked for idle work');
    const coldBytes = await bytesForFirstAnswer(cold);

    const warm = await openLoaded();
    const callbacks = await warm.drainIdle();
    assert.ok(callbacks >= 3, `the warm-up took ${callbacks} idle callbacks: a step each, not one long task`);
    const warmBytes = await bytesForFirstAnswer(warm);

    assert.ok(warmBytes * 3 < coldBytes, `the first answer allocated ${warmBytes} B after the warm-up against ${coldBytes} B without`);
    // The same answer on screen either way.
    const shown = (chat: ChatPage) => chat.page.locator('.message.assistant .markdown').innerHTML();
    assert.equal(await shown(warm), await shown(cold));
    assert.ok((await warm.page.locator('.code-block code .hljs-keyword').allTextContents()).includes('export'));
    await warm.fromHost({ type: 'done', id: 'a1', footer: FOOTER, totalCostUsd: 0.01 });
    assert.deepEqual(warm.errors, []);
    assert.deepEqual(cold.errors, []);
  });
});
