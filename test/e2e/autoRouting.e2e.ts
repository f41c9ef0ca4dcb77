import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { LedgerRecord } from '../../src/core/ledger';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { askInChat, fakeProviderSetup, openChatPanel, openWorkbench, readLedger, waitForLedgerRecord, waitForStatusBarText, waitUntil, type Workbench } from './harness';

const STATUS = { id: 'switchboard.status' };
const SIMPLE = 'How do I exit vim?';
const PLANNING =
  'Plan the migration of our user store from MongoDB to Postgres across all services without downtime: phases, dual writes, backfill, rollback.';

/** Issue 9: Auto in the real workbench, turned on, with its default tiers and dial. */
describe('Auto routing in the chat panel', () => {
  let fakes: FakeProviders;
  let workbench: Workbench;
  let page: Page;
  let chat: Frame;
  let cheapRecord: LedgerRecord;

  before(async () => {
    fakes = await startFakeProviders();
    const setup = fakeProviderSetup(fakes.urls);
    workbench = await openWorkbench({
      env: setup.env,
      files: { 'README.md': '# Project\n' },
      // Only the strong tier is set: the cheap tier is Auto's default, narrowed to Anthropic.
      userSettings: { ...setup.userSettings, 'switchboard.auto.enabled': true, 'switchboard.routes.chat': ['anthropic:claude-sonnet-5'] },
    });
    page = workbench.page;
    await waitForStatusBarText(page, STATUS, /Switchboard · today/);
    fakes.anthropic.scriptModel('claude-haiku-4-5', { text: 'Press `Esc`, then type `:q` and Enter.', usage: { inputTokens: 60, outputTokens: 14 } });
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'A careful answer from the strong tier.', usage: { inputTokens: 80, outputTokens: 30 } });
    chat = await openChatPanel(page, 'activity bar');
  });

  afterEach(async function () {
    await workbench?.captureFailure(this);
  });

  after(async () => {
    await workbench?.close();
    await fakes?.close();
  });

  it('answers a simple question on the cheap tier, the footer naming the tier and why', async () => {
    await askInChat(chat, SIMPLE);
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-haiku-4-5');
    const routing = answer.locator('.footer-routing');
    assert.match(await routing.innerText(), /^cheap tier: .*(short request|no code attached)/);
    assert.match((await routing.getAttribute('title')) ?? '', /^Auto sent this to the cheap tier \(score 0\.\d\d\) because:\n• /);

    cheapRecord = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.routing?.tier === 'cheap', 'the cheap-tier answer');
    assert.equal(cheapRecord.model, 'claude-haiku-4-5');
    assert.equal(cheapRecord.routing?.mode, 'auto');
    assert.ok(cheapRecord.routing!.reasons.length > 0);
    assert.ok(!JSON.stringify(cheapRecord).includes('vim'), 'the ledger holds no prompt text, reasons included');
  });

  it('answers a planning request on the strong tier, the footer naming the tier and why', async () => {
    await askInChat(chat, PLANNING);
    const answer = chat.locator('.message.assistant').last();
    await answer.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await answer.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5');
    assert.match(await answer.locator('.footer-routing').innerText(), /^strong tier: .+/);
    assert.equal(await answer.locator('.retry-strong').count(), 0, 'a strong-tier answer has nothing stronger to retry on');
    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.routing?.tier === 'strong', 'the strong-tier answer');
    assert.ok(record.routing!.score! > cheapRecord.routing!.score!);
  });

  it('"Retry with the strong model" asks the cheap answer\'s question again on the strong tier, linked in the ledger', async () => {
    const first = chat.locator('.message.assistant').first();
    await first.getByRole('button', { name: 'Retry with the strong model' }).click();

    const retried = chat.locator('.message.assistant').nth(2);
    await retried.locator('.answer-footer').waitFor({ state: 'visible' });
    assert.equal(await retried.locator('.footer-model').innerText(), 'anthropic:claude-sonnet-5');
    assert.equal(await retried.locator('.footer-routing').innerText(), 'strong tier (retry)');
    assert.equal(await retried.locator('.markdown').innerText(), 'A careful answer from the strong tier.');
    const question = chat.locator('.message.user').last();
    assert.equal(await question.locator('.user-text').innerText(), SIMPLE);
    await question.locator('.chip', { hasText: 'Retry with the strong model' }).waitFor({ state: 'visible' });

    const retry = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.retryOf === cheapRecord.id, 'the retry');
    assert.equal(retry.model, 'claude-sonnet-5');
    assert.deepEqual(retry.routing, { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] });
    // The same question went to the strong model, with the conversation as it was before it.
    const sent = fakes.anthropic.requests.at(-1)!.body as { model: string; messages: Array<{ content: unknown }> };
    assert.equal(sent.model, 'claude-sonnet-5');
    assert.equal(sent.messages.length, 1);
    assert.match(JSON.stringify(sent.messages[0]), /How do I exit vim\?/);
    await waitUntil(() => readLedger(workbench.server.ledgerPath).length === 3, 'three records, one per answer');
  });
});
