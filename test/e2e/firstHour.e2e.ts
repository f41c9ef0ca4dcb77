import assert from 'node:assert/strict';
import net from 'node:net';
import type { Frame } from 'playwright-core';
import { closedPort } from '../fakes/closedPort';
import { askInChat, fakes, openChatPanel, page, runCommand, statusBarText, useWorkbenchOnFakes, waitForStatusBarText, waitUntil } from './harness';

const STATUS = { id: 'switchboard.status' };

/**
 * A new user's first hour, where the network is not what they think: Anthropic's address is a port nothing answers
 * on (a machine offline, a host gone), until a relay to the fake starts there (the network back). The user opens the
 * chat panel and asks at once, without waiting for Switchboard to be ready. The question must be asked, not lost;
 * the panel and the status bar must say the provider could not be reached, and where; and once the network is
 * back, asking again must answer, in the same window, without a reload.
 */
describe('The first hour: a question asked at once, offline, and the network back', () => {
  let port: number;
  let network: net.Server | undefined;
  let chat: Frame;
  const QUESTION = 'What does lowStock() return?';

  before(async () => {
    port = await closedPort();
  });
  useWorkbenchOnFakes(
    () => ({
      userSettings: {
        'switchboard.providers.anthropic.baseUrl': `http://127.0.0.1:${port}`,
        'switchboard.routes.chat': ['anthropic:claude-haiku-4-5'],
        // One model written as text, not a list, as a user new to the settings writes it.
        'switchboard.routes.plan': 'anthropic:claude-haiku-4-5',
        'switchboard.auto.enabled': false,
      },
    }),
    // Not waited for: the user opens the panel and asks while Switchboard may still be starting.
    { waitForReady: false },
  );
  after(async () => {
    await new Promise<void>((resolve) => (network ? network.close(() => resolve()) : resolve()));
  });

  it('asks the question sent as soon as the panel opens, and says the provider could not be reached, and where', async () => {
    chat = await openChatPanel(page, 'palette');
    await askInChat(chat, QUESTION);
    const error = chat.locator('.message.assistant .answer-error').last();
    await error.waitFor({ state: 'visible' });
    assert.match(await error.innerText(), new RegExp(`anthropic could not be reached: connection refused \\(ECONNREFUSED\\); its baseUrl is http://127\\.0\\.0\\.1:${port}: is a server running there\\?`));
    // The question stays in the conversation, to be asked again: nothing the user typed is lost.
    assert.equal(await chat.locator('.message.user', { hasText: QUESTION }).count(), 1);
    assert.match(await statusBarText(page, STATUS), /chat failed · today \$0\.00$/);
    assert.equal(fakes.anthropic.requests.length, 0, 'nothing reached the provider');
  });

  it('answers Ask again once the network is back, in the same window, without a reload', async () => {
    // The network back: the port now relays to the fake provider.
    network = net.createServer((client) => {
      const upstream = net.connect(fakes.anthropic.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end);
      upstream.on('error', end);
    });
    await new Promise<void>((resolve, reject) => {
      network!.once('error', reject);
      network!.listen(port, '127.0.0.1', () => resolve());
    });
    fakes.anthropic.scriptModel('claude-haiku-4-5', { text: 'It returns the items below their reorder level.' });
    // A host that could not be reached rests its provider a few seconds (README, Fallback): a question asked then is
    // refused at once, saying until when. The user asks again, as often as it takes, each time the rest said is over.
    const answered = chat.locator('.message.assistant', { hasText: 'It returns the items below their reorder level.' });
    for (let tries = 0; tries < 5 && !(await answered.count()); tries++) {
      const before = await chat.locator('.message.assistant').count();
      await chat.locator('.message.assistant .answer-error .ask-again').last().click();
      await waitUntil(async () => (await chat.locator('.message.assistant').count()) > before && ((await answered.count()) > 0 || (await chat.locator('.message.assistant').last().locator('.answer-error').count()) > 0), 'the answer or its error');
      if (await answered.count()) break;
      const refused = await chat.locator('.message.assistant .answer-error').last().innerText();
      const wait = /free again in (\d+) s/.exec(refused);
      assert.ok(wait, `refused only for the rest after the failure: ${refused}`);
      const until = Date.now() + Number(wait[1]) * 1000;
      await waitUntil(() => Date.now() >= until, 'the rest the refusal named to be over', Number(wait[1]) * 1000 + 5_000);
    }
    await answered.locator('.answer-footer').waitFor({ state: 'visible' });
    await waitForStatusBarText(page, STATUS, /^claude-haiku-4-5 · /);
    assert.ok(fakes.anthropic.requests.some((request) => JSON.stringify(request.body).includes(QUESTION)), 'asked once the network was back');
  });

  it('warns that switchboard.routes.plan written as one text must be a list, with the list to write', async () => {
    // From the notification center: the toast may have gone while the questions above were asked.
    await runCommand(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item').filter({ hasText: 'switchboard.routes.plan' }).first();
    await item.waitFor({ state: 'visible' });
    assert.match(await item.innerText(), /switchboard\.routes\.plan: must be a list of model references, not one text: write it as \["anthropic:claude-haiku-4-5"\]; no plan requests are made until it is one/);
    await runCommand(page, 'Notifications: Hide Notifications');
  });
});
