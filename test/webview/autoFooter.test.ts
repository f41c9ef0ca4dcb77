import assert from 'node:assert/strict';
import { FOOTER, type ChatPage } from './chatHarness';
import { useChatHarness } from './chatPanelSuite';

const CHEAP = {
  ...FOOTER,
  model: 'anthropic:claude-haiku-4-5',
  routing: { mode: 'auto' as const, tier: 'cheap' as const, score: 0.08, reasons: ['short request (8 words)', 'no code attached', 'lookup question ("syntax")'] },
  recordId: 'rec-1',
};

describe('chat panel: what Auto decided, and Retry with the strong model', function () {
  this.timeout(30_000);
  const harness = useChatHarness();
  let chat: ChatPage;

  async function openReady(): Promise<ChatPage> {
    chat = await harness().openReady();
    return chat;
  }

  it('names the tier and the main reasons in the footer, every reason and the score in its tooltip', async () => {
    await openReady();
    await chat.streamAnswer('r1', 'Use `reversed()`.', { footer: CHEAP });
    const routing = chat.page.locator('.footer-routing');
    assert.equal(await routing.innerText(), 'cheap tier: short request (8 words), no code attached');
    assert.equal(
      await routing.getAttribute('title'),
      'Auto sent this to the cheap tier (score 0.08) because:\n• short request (8 words)\n• no code attached\n• lookup question ("syntax")',
    );
  });

  it('says when Auto handed the question over to the other tier, and offers the strong tier after a hand-over to the cheap one', async () => {
    await openReady();
    const note = 'handed over from the strong tier: its models failed before answering';
    const handedOver = { ...CHEAP, routing: { mode: 'auto' as const, tier: 'cheap' as const, handedOverFrom: 'strong' as const, score: 0.71, reasons: [note, 'design question ("architecture")'] } };
    await chat.streamAnswer('r1', 'A design, from the cheap tier.', { footer: handedOver });
    const routing = chat.page.locator('.footer-routing');
    assert.equal(await routing.innerText(), `cheap tier: ${note}, design question ("architecture")`);
    assert.equal(
      await routing.getAttribute('title'),
      'Auto picked the strong tier (score 0.71), which could not answer (its models failed before answering), so it handed this to the cheap tier. It picked the strong tier because:\n• design question ("architecture")',
    );
    await chat.page.getByRole('button', { name: 'Retry with the strong model' }).waitFor({ state: 'visible' });
  });

  it('asks the host to retry a cheap answer on the strong tier, once, by its ledger id', async () => {
    await openReady();
    await chat.streamAnswer('r1', 'Use `reversed()`.', { footer: CHEAP });
    const retry = chat.page.getByRole('button', { name: 'Retry with the strong model' });
    await retry.click();
    assert.deepEqual(await chat.waitForPosted('retry'), { type: 'retry', recordId: 'rec-1' });
    assert.equal(await retry.isDisabled(), true);
    await retry.click({ force: true });
    assert.equal((await chat.postedOfType('retry')).length, 1, 'a second click sends nothing');
    // While the retry is on its way the composer is busy, as after Send.
    await chat.page.locator('#stop').waitFor({ state: 'visible' });
  });

  it('offers no retry where there is nothing stronger to ask: strong tier, a retry, a picked model', async () => {
    await openReady();
    await chat.streamAnswer('r1', 'A design.', { footer: { ...CHEAP, routing: { mode: 'auto', tier: 'strong', score: 0.7, reasons: ['design question ("architecture")'] } } });
    await chat.streamAnswer('r2', 'Again.', { footer: { ...CHEAP, routing: { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] } } });
    await chat.streamAnswer('r3', 'Picked.', { footer: { ...CHEAP, routing: { mode: 'manual', reasons: ['model picked by you'] } } });
    assert.deepEqual(await chat.page.locator('.footer-routing').allInnerTexts(), ['strong tier: design question ("architecture")', 'strong tier (retry)', 'model picked by you']);
    assert.equal(await chat.page.locator('.retry-strong').count(), 0);
  });

  it('keeps the retry on a cheap answer restored after a reload: the question is kept with the conversation', async () => {
    await openReady();
    await chat.fromHost({
      type: 'history',
      messages: [
        { role: 'user', text: 'How do I reverse a list?', attachments: [] },
        { role: 'assistant', text: 'Use reversed().', footer: CHEAP },
      ],
      totalCostUsd: 0.01,
    });
    await chat.page.getByRole('button', { name: 'Retry with the strong model' }).click();
    assert.deepEqual(await chat.waitForPosted('retry'), { type: 'retry', recordId: 'rec-1' });
  });
});
