import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger';
import { record } from '../core/costs/cells';
import { clearNotifications, fakes, notificationToast, runCommand, runCommandWithInput, useWorkbenchOnFakes, waitForEditorText, waitForLedgerRecord, waitForStatusBarText, workbench } from './harness';

const STATUS = { id: 'switchboard.status' };

/** A ledger that already holds $1.00 spent today, as another window or the CLI would have left it. */
function spentLedger(): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-budget-e2e-'));
  const file = path.join(dir, 'ledger.jsonl');
  const spent: LedgerRecord = record({ time: new Date().toISOString(), costUsd: 1, source: 'cli' });
  writeFileSync(file, JSON.stringify(spent) + '\n');
  return { dir, file };
}

/** Issue 11: budgets in the real workbench, with today's spend above the daily limit. */
for (const action of ['block', 'downgrade'] as const) {
  describe(`Budget reached with action "${action}"`, () => {
    let ledger: { dir: string; file: string };

    useWorkbenchOnFakes(
      () => {
        ledger = spentLedger();
        return {
          env: { SWITCHBOARD_LEDGER: ledger.file },
          userSettings: {
            'switchboard.routes.chat': ['openai:gpt-5.4', 'openai:gpt-5.4-nano'],
            'switchboard.budget.dailyUsd': 0.5,
            'switchboard.budget.action': action,
          },
        };
      },
      { waitForReady: false },
    );
    after(() => {
      if (ledger) rmSync(ledger.dir, { recursive: true, force: true });
    });

    if (action === 'block') {
      it('shows the blocked state and refuses a question with the budget named and the ways out', async () => {
        const { page } = workbench;
        assert.match(await waitForStatusBarText(page, STATUS, /budget reached/), /budget reached · today \$1\.00/);
        // The crossing, found spent at start and claimed by no other window: told once (from the center, which keeps it whatever the toast's timeout).
        await runCommand(page, 'Notifications: Show Notifications');
        const crossing = page.locator('.notifications-center .notification-list-item').filter({ hasText: 'the daily budget is used up' });
        await crossing.first().waitFor({ state: 'visible' });
        assert.match(await crossing.first().innerText(), /\$1\.00 spent of \$0\.50; requests are refused until it resets/);
        assert.equal(await crossing.count(), 1);
        await runCommand(page, 'Notifications: Hide Notifications');
        await clearNotifications(page);
        const before = fakes.openai.requests.length;
        await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Is anyone there?');
        const toast = notificationToast(page, 'daily budget reached');
        await toast.waitFor({ state: 'visible' });
        assert.match(await toast.innerText(), /\$1\.00 spent of \$0\.50; it resets/);
        await toast.getByRole('button', { name: 'Raise Budget…' }).waitFor({ state: 'visible' });
        await toast.getByRole('button', { name: 'Allow Once' }).waitFor({ state: 'visible' });
        const refused = await waitForLedgerRecord(ledger.file, (r) => r.outcome === 'error' && r.task === 'chat', 'the refused question');
        assert.match(refused.error ?? '', /daily budget reached/);
        assert.equal(fakes.openai.requests.length, before, 'no model was asked');
        // One toast says it, the one with the ways out: no second, generic error toast
        // (it would have been shown once the answer's editor says so).
        await waitForEditorText(page, /Switchboard could not answer:/);
        assert.equal(await notificationToast(page, 'daily budget reached').count(), 1, 'one toast for the refusal');
      });

      it('lets the next question through after Allow Once, recorded as such, and opens the budget settings on Raise Budget', async () => {
        const { page } = workbench;
        await clearNotifications(page);
        fakes.openai.scriptModel('gpt-5.4', { text: 'Let through once.' });
        await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Once more?');
        await notificationToast(page, 'daily budget reached').getByRole('button', { name: 'Allow Once' }).click();
        await notificationToast(page, 'the next request may go past the budget once').waitFor({ state: 'visible' });
        const before = fakes.openai.requests.length;
        await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Once more, please?');
        await waitForEditorText(page, /Let through once\./);
        const allowed = await waitForLedgerRecord(ledger.file, (r) => r.outcome === 'ok' && r.task === 'chat', 'the question let through');
        assert.equal(allowed.model, 'gpt-5.4');
        assert.equal(allowed.budgetAction, 'allow-once');
        assert.equal(fakes.openai.requests.length, before + 1);

        // Once only: the next question is refused again, and Raise Budget shows the budget settings.
        await clearNotifications(page);
        await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'And again?');
        await notificationToast(page, 'daily budget reached').getByRole('button', { name: 'Raise Budget…' }).click();
        const settings = page.locator('.settings-editor');
        await settings.waitFor({ state: 'visible' });
        await settings.locator('.setting-item-contents').filter({ hasText: 'Daily Usd' }).first().waitFor({ state: 'visible' });
        assert.equal(fakes.openai.requests.length, before + 1, 'no model was asked after the allowance was spent');
      });
    } else {
      it('says only the cheapest models are used, and answers from the cheap model', async () => {
        const { page } = workbench;
        await waitForStatusBarText(page, STATUS, /cheapest models only/);
        fakes.openai.scriptModel('gpt-5.4-nano', { text: 'A cheap answer.' });
        await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Is anyone there?');
        await waitForEditorText(page, /A cheap answer\./);
        const answered = await waitForLedgerRecord(ledger.file, (r) => r.outcome === 'ok' && r.task === 'chat', 'the answer');
        assert.equal(answered.model, 'gpt-5.4-nano');
        assert.equal((answered as LedgerRecord & { budgetAction?: string }).budgetAction, 'downgrade');
      });
    }
  });
}

/**
 * A model with no price under a daily budget: its worst case counts at budget.unpricedEstimate, which can be more
 * than the limit. The refusal says how to price it, and its first button opens that setting.
 */
describe('Budget refusing a model with no price', () => {
  let ledger: { dir: string; file: string };

  useWorkbenchOnFakes(
    () => {
      ledger = { dir: mkdtempSync(path.join(os.tmpdir(), 'switchboard-budget-e2e-')), file: '' };
      ledger.file = path.join(ledger.dir, 'ledger.jsonl');
      return {
        env: { SWITCHBOARD_LEDGER: ledger.file },
        userSettings: {
          // Not in the price table; the fake is in this remote window's loopback, not the user's machine, so not "local".
          'switchboard.routes.chat': ['openai:gpt-5.4-pro'],
          'switchboard.budget.dailyUsd': 0.01,
          'switchboard.budget.action': 'block',
        },
      };
    },
    { waitForReady: false },
  );
  after(() => {
    if (ledger) rmSync(ledger.dir, { recursive: true, force: true });
  });

  it('offers Set a Price…, which opens switchboard.prices in the Settings editor', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    const before = fakes.openai.requests.length;
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'What does this cost?');
    const toast = notificationToast(page, 'openai:gpt-5.4-pro has no known price');
    await toast.waitFor({ state: 'visible' });
    // Not "for a local model that costs nothing": gpt-5.4-pro is billed, so the hint names both kinds of price.
    assert.match(
      await toast.innerText(),
      /give it its price in switchboard\.prices, in USD per million tokens: "openai:gpt-5\.4-pro": \{ "input": 0, "output": 0 \} if nothing bills you for it \(a server of your own\), else its provider's rates/,
    );
    await toast.getByRole('button', { name: 'Raise Budget…' }).waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Set a Price…' }).click();
    const settings = page.locator('.settings-editor');
    await settings.waitFor({ state: 'visible' });
    await settings.locator('.setting-item-contents').filter({ hasText: 'Override or add prices' }).first().waitFor({ state: 'visible' });
    assert.equal(fakes.openai.requests.length, before, 'no model was asked');
  });
});
