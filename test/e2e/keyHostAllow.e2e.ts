import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { fakeKeys } from '../fakes/fakeKeys';
import { presentedKey } from '../fakes/httpFake';
import { askInChat, fakes, openChatPanel, page, readUserSettings, runCommand, useWorkbenchOnFakes, visibleDocumentLines, waitForEditorText, waitForLedgerRecord, workbench, type Workbench } from './harness';

const KEY = fakeKeys.openai(`allowhost${process.pid}`);
const HOST = '127.0.0.1';
const SEND_KEY_TO = 'switchboard.providers.openai.sendKeyTo';

/** What the user's settings.json holds for `key` now (the workbench writes it there). */
async function userSetting(workbench: Workbench, key: string): Promise<unknown> {
  return (await readUserSettings(workbench))[key];
}

/** The open report's lines, a page at a time down to the routes (wrapped rows joined back into their line). */
async function reportLines(on: Page): Promise<string[]> {
  await on.keyboard.press('Control+Home');
  const byNumber = new Map<number, string>();
  for (let pages = 0; pages < 10 && ![...byNumber.values()].includes('routes:'); pages++) {
    for (const [number, text] of (await visibleDocumentLines(on)).lines) if ((byNumber.get(number)?.length ?? -1) < text.length) byNumber.set(number, text);
    await on.keyboard.press('PageDown');
  }
  return [...byNumber.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
}

/**
 * The chat panel's "Allow for HOST" button, through the real workbench. The panel is a webview that renders model
 * answers, so its button is not proof the user asked: the host asks in a modal naming the key and the host, and only
 * the modal's Allow writes the host to the user's sendKeyTo. The workbench is a remote window, where the loopback
 * server is the remote machine: the key is kept from it until allowed (core/remoteWindow.ts), so the fake, which
 * wants the key, refuses the first question.
 */
describe("The chat panel's Allow for HOST button", () => {
  const KEPT = 'Which index does the loop start at?';
  let chat: Frame;

  useWorkbenchOnFakes(
    (started) => ({
      env: { OPENAI_API_KEY: KEY },
      // OpenAI alone, on the fake; no host allowed yet (the default). No Anthropic or Bedrock credentials, so once
      // OpenAI is out the panel has no provider left and shows its notice.
      userSettings: { 'switchboard.providers.openai.baseUrl': started.urls.openai.baseUrl, 'switchboard.routes.chat': ['openai:gpt-5.4'], 'switchboard.auto.enabled': false },
    }),
    { fakeProviders: { openai: { apiKey: KEY } }, pointAtFakes: false },
  );

  before(async () => {
    chat = await openChatPanel(page, 'palette');
  });

  it('Check Setup says the server answered 401 without the key, which was not sent, not that it rejected the key', async () => {
    await runCommand(page, 'Switchboard: Check Setup');
    await waitForEditorText(page, /^Switchboard setup check/m);
    const lines = await reportLines(page);
    const answers = lines.find((line) => line.startsWith('  answers:     no: openai '));
    assert.ok(answers, lines.join('\n'));
    assert.doesNotMatch(answers, /rejected its API key/);
    assert.match(answers, /^ {2}answers: {5}no: openai answered 401 without the key, which was not sent: Switchboard did not send your OpenAI key to 127\.0\.0\.1: it goes only to api\.openai\.com unless you allow that host; run "Switchboard: Allow Key for Host…" or add "127\.0\.0\.1" to switchboard\.providers\.openai\.sendKeyTo in your User settings \(\d+ ms\)$/);
    for (const request of fakes.openai.requests) assert.notEqual(presentedKey(request), KEY, "no key went to the remote window's loopback");
  });

  it('asks the kept-back server without the key; its refusal leaves the panel offering Allow for the host alone', async () => {
    // Check Setup's free call came first: counted from here.
    const before = fakes.openai.requests.length;
    await askInChat(chat, 'Where does the loop start?');
    await chat.locator('.message.assistant .answer-error', { hasText: 'answered 401 without the key' }).waitFor({ state: 'visible' });
    assert.equal(fakes.openai.requests.length, before + 1);
    // The SDK needs some key: a placeholder goes instead (providers/openai.ts), never the user's.
    assert.notEqual(presentedKey(fakes.openai.requests.at(-1)!), KEY, "no key went to the remote window's loopback");

    // The next question finds no provider: refused in the panel, kept in the box, the way out offered above it.
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').pressSequentially(KEPT);
    await chat.locator('#prompt').press('Enter');
    await chat.locator('#composer-hint', { hasText: 'Not sent: Switchboard has no provider to ask yet' }).waitFor({ state: 'visible' });
    const notice = chat.locator('#no-key');
    await notice.waitFor({ state: 'visible' });
    assert.match(await notice.innerText(), /did not send your OpenAI key to 127\.0\.0\.1/);
    assert.deepEqual(await notice.locator('button').allInnerTexts(), [`Allow for ${HOST}`]);
    assert.equal(fakes.openai.requests.length, before + 1, 'the refused question was not sent');
  });

  it('asks in a modal before allowing; Cancel writes nothing', async () => {
    await chat.locator('#no-key').getByRole('button', { name: `Allow for ${HOST}` }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText(`Send your OpenAI API key to ${HOST}?`).waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /Allow adds "127\.0\.0\.1" to switchboard\.providers\.openai\.sendKeyTo in your User settings/);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await userSetting(workbench, SEND_KEY_TO), undefined, 'nothing written');
    await chat.locator('#no-key').waitFor({ state: 'visible' });
  });

  it("allows the host on the modal's Allow: written to User settings, and the kept question then goes with the key", async () => {
    await chat.locator('#no-key').getByRole('button', { name: `Allow for ${HOST}` }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText(`Send your OpenAI API key to ${HOST}?`).waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Settings applied: the panel has a provider again, without a reload.
    await chat.locator('#no-key').waitFor({ state: 'hidden' });
    assert.deepEqual(await userSetting(workbench, SEND_KEY_TO), [HOST]);

    fakes.openai.scriptModel('gpt-5.4', { text: 'It starts at index 0.' });
    assert.equal(await chat.locator('#prompt').inputValue(), KEPT, 'the refused question stayed in the box');
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.assistant', { hasText: 'It starts at index 0.' }).locator('.answer-footer').waitFor({ state: 'visible' });
    await waitForLedgerRecord(workbench.server.ledgerPath, (record) => record.task === 'chat' && record.outcome === 'ok', 'the answer with the key');
    const asked = fakes.openai.requests.at(-1)!;
    assert.equal(presentedKey(asked), KEY, 'the key went to the allowed host');
    assert.ok(JSON.stringify(asked.body).includes(KEPT));
  });
});
