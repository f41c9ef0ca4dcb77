import assert from 'node:assert/strict';
import { FOOTER, INIT, type ChatPage } from './chatHarness';
import { useChatPanel } from './chatPanelSuite';

describe('chat panel in the browser', function () {
  this.timeout(30_000);
  let chat: ChatPage;
  const { harness, openReady, text, count } = useChatPanel(() => chat, (opened) => (chat = opened));

  describe('conversation state', () => {
    it('restores the transcript from history, and New chat asks the host to start over', async () => {
      chat = await harness().open();
      await chat.fromHost(INIT, {
        type: 'history',
        totalCostUsd: 0.5,
        messages: [
          { role: 'user', text: 'What is **this**?', attachments: [{ label: 'src/a.ts:1-3' }] },
          { role: 'assistant', text: 'It is `code`.', footer: { ...FOOTER, model: 'claude-sonnet-5' } },
          { role: 'user', text: 'And now?', attachments: [] },
          { role: 'assistant', text: '', error: { message: 'No model answered.', attempts: [] } },
          { role: 'user', text: 'Once more', attachments: [] },
          {
            role: 'assistant',
            text: 'Broke off mid',
            error: { message: 'The stream broke off.', attempts: [] },
            footer: { ...FOOTER, latencyMs: 900 },
          },
        ],
      });
      await chat.page.locator('.answer-error').first().waitFor();
      assert.deepEqual(await chat.page.locator('.message.user .user-text').allTextContents(), [
        'What is **this**?',
        'And now?',
        'Once more',
      ]);
      assert.equal(await text('.message.assistant p code'), 'code');
      assert.deepEqual(await chat.page.locator('.footer-model').allInnerTexts(), ['claude-sonnet-5', 'gpt-5.4']);
      assert.deepEqual(await chat.page.locator('.error-message').allInnerTexts(), ['No model answered.', 'The stream broke off.']);
      assert.equal(await chat.page.locator('.footer-latency').last().innerText(), '900 ms');
      assert.equal(await text('.message.user .chip'), 'src/a.ts:1-3');
      assert.equal(await text('#conversation-cost'), '$0.50');
      assert.equal(await chat.page.locator('#welcome').isVisible(), false);

      await chat.page.getByRole('button', { name: 'New Chat' }).click();
      assert.deepEqual(await chat.waitForPosted('newChat'), { type: 'newChat' });
      await chat.fromHost({ type: 'history', messages: [], totalCostUsd: 0 });
      await chat.page.locator('#welcome').waitFor();
      assert.equal(await count('.message'), 0);
      assert.equal(await text('#conversation-cost'), '$0.00');
    });

    it('says above a conversation how many of its oldest messages were removed to keep it within its stored size, and nothing when none were', async () => {
      await openReady();
      const messages = [
        { role: 'user' as const, text: 'question 7', attachments: [] },
        { role: 'assistant' as const, text: 'answer 7', footer: FOOTER },
      ];
      await chat.fromHost({ type: 'history', totalCostUsd: 1.75, removedMessages: 12, messages });
      const note = chat.page.getByRole('note');
      await note.waitFor();
      assert.equal(
        await note.innerText(),
        'The oldest 12 messages were removed: a conversation keeps about its latest 500,000 characters in this workspace. Their cost still counts in the total. For a new subject, start a new chat (+).',
      );
      assert.equal(await chat.page.locator('#messages > *').first().getAttribute('role'), 'note', 'above the conversation');
      assert.equal(await text('#conversation-cost'), '$1.75');
      assert.equal(await chat.page.locator('#welcome').isVisible(), false);

      await chat.fromHost({ type: 'history', totalCostUsd: 0.25, messages });
      await chat.page.locator('.message.user').waitFor();
      assert.equal(await count('[role="note"]'), 0);
      assert.deepEqual(await chat.violations(), []);
    });

    it('keeps the header on one line in a narrow side bar, cutting a long title with an ellipsis', async () => {
      for (const title of ['How do I sort numbers?', 'Why does the reorder report count items twice when the warehouse has two bins?']) {
        chat = await harness().open();
        await chat.page.setViewportSize({ width: 300, height: 500 });
        await chat.fromHost(INIT, { type: 'history', messages: [], totalCostUsd: 0.0123, title });
        await chat.page.locator('.conversation-title', { hasText: title }).waitFor();
        const lines = await chat.page.locator('.chat-header').evaluate((header) =>
          Array.from(header.querySelectorAll('.conversation-title, #conversation-cost, #new-chat'), (element) => {
            const range = document.createRange();
            range.selectNodeContents(element);
            // The lines the text takes: a cut title has two boxes (the text and what shows of it) on one line.
            return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
          }),
        );
        assert.deepEqual(lines, [1, 1, 1], `one line each for "${title}"`);
        const header = await chat.page.locator('.chat-header').boundingBox();
        const cost = await chat.page.locator('#conversation-cost').boundingBox();
        assert.ok(cost!.x + cost!.width <= header!.x + header!.width, 'the cost stays in view');
        await chat.close();
      }
    });

    it('keeps the scroll position VS Code saved for the view', async () => {
      const longHistory = Array.from({ length: 40 }, (_, i) => ({
        role: 'user' as const,
        text: `message ${i}`,
        attachments: [],
      }));
      chat = await harness().open({ savedState: { scrollTop: 120, pinnedToBottom: false } });
      await chat.fromHost(INIT, { type: 'history', messages: longHistory, totalCostUsd: 0 });
      await chat.settle();
      assert.equal(await chat.page.locator('#messages').evaluate((list) => list.scrollTop), 120);
    });

    it('without a provider key shows how to add one, and hides it once there is one', async () => {
      chat = await harness().open();
      await chat.fromHost({ ...INIT, hasCredentials: false });
      await chat.page.locator('#no-key').waitFor();
      // A key is one way; someone with only a local server (Ollama, LM Studio) is told where it goes.
      assert.match(await chat.page.locator('#no-key').innerText(), /AWS credentials for Bedrock, or a local server such as Ollama \(switchboard\.providers\.openai\.baseUrl in your User settings\)/);
      // The same ways, under the same labels, as Ask and Plan's notification.
      assert.deepEqual(await chat.page.locator('#no-key button').allInnerTexts(), ['Set API Key…', 'Use a Local Server…']);
      await chat.page.getByRole('button', { name: 'Set API Key…' }).click();
      assert.deepEqual(await chat.waitForPosted('setUpProvider'), { type: 'setUpProvider', way: 'setKey' });
      await chat.page.getByRole('button', { name: 'Use a Local Server…' }).click();
      await chat.page.waitForFunction(() => (window as unknown as { __test: { posted: { type: string }[] } }).__test.posted.filter((m) => m.type === 'setUpProvider').length === 2);
      assert.deepEqual((await chat.postedOfType('setUpProvider'))[1], { type: 'setUpProvider', way: 'localServer' });

      await chat.fromHost(INIT);
      await chat.page.locator('#no-key').waitFor({ state: 'hidden' });
    });

    it("with the only provider out because its key was kept back from a host, offers Allow for that host alone, not a new key", async () => {
      chat = await harness().open();
      const reason = 'Switchboard did not send your OpenAI key to gpu-box: it goes only to api.openai.com unless you allow that host; run "Switchboard: Allow Key for Host…" or add "gpu-box" to switchboard.providers.openai.sendKeyTo in your User settings';
      await chat.fromHost({ ...INIT, hasCredentials: false, withheldKeys: [{ host: 'gpu-box', reason }] });
      await chat.page.locator('#no-key').waitFor();
      assert.equal(await chat.page.locator('#no-key p').innerText(), `Switchboard has no provider to ask: ${reason}.`);
      assert.deepEqual(await chat.page.locator('#no-key button').allInnerTexts(), ['Allow for gpu-box']);
      await chat.page.getByRole('button', { name: 'Allow for gpu-box' }).click();
      assert.deepEqual(await chat.waitForPosted('setUpProvider'), { type: 'setUpProvider', way: 'allowKeyHost' });
      assert.deepEqual(chat.errors, []);
    });

    it('without a provider refuses a question before sending it, keeps it in the box, and sends it once a provider is set up', async () => {
      chat = await harness().open();
      await chat.fromHost({ ...INIT, hasCredentials: false }, { type: 'history', messages: [], totalCostUsd: 0 });
      await chat.page.locator('#no-key').waitFor();
      await chat.page.locator('#prompt').fill('How do I sort numbers?');
      await chat.page.locator('#prompt').press('Enter');
      const hint = chat.page.locator('#composer-hint');
      await hint.waitFor({ state: 'visible' });
      assert.match(await hint.innerText(), /^Not sent: Switchboard has no provider to ask yet \(see above\)\. Your question stays here/);
      assert.equal(await chat.page.locator('#prompt').inputValue(), 'How do I sort numbers?', 'nothing typed is lost');
      assert.deepEqual(await chat.postedOfType('send'), [], 'nothing was sent');
      assert.equal(await chat.page.locator('.message').count(), 0, 'no question shown, no error listing the route');
      assert.equal(await chat.page.locator('#send').isVisible(), true, 'not waiting for an answer');

      // A key stored (or a server set): the host's next init. No reload; Enter sends the question kept.
      await chat.fromHost(INIT);
      await chat.page.locator('#no-key').waitFor({ state: 'hidden' });
      assert.equal(await hint.isVisible(), false, 'the refusal is no longer said');
      await chat.page.locator('#prompt').press('Enter');
      const sent = await chat.waitForPosted('send');
      assert.equal(sent.text, 'How do I sort numbers?');
      assert.equal(await chat.page.locator('#prompt').inputValue(), '');
    });

    it('gives back a question the host refused for want of a provider, and names an invalid endpoint setting with Open Settings', async () => {
      chat = await harness().open();
      await chat.fromHost(INIT, { type: 'history', messages: [], totalCostUsd: 0 });
      await chat.page.locator('#prompt').fill('Why is this slow?');
      await chat.page.locator('#prompt').press('Enter');
      await chat.waitForPosted('send');
      assert.equal(await chat.page.locator('#stop').isVisible(), true, 'waiting for the answer to start');
      // The provider went away before the host read the question (its settings changed): refused there.
      const reason = 'switchboard.providers.openai.baseUrl is not an http(s) URL: nothing goes to openai until it is fixed';
      await chat.fromHost({ ...INIT, hasCredentials: false, invalidSettings: [reason] }, { type: 'notSent', text: 'Why is this slow?' });
      await chat.page.locator('#no-key').waitFor();
      assert.equal(await chat.page.locator('#prompt').inputValue(), 'Why is this slow?');
      assert.equal(await chat.page.locator('#send').isVisible(), true, 'no longer waiting');
      assert.equal(await chat.page.locator('#composer-hint').isVisible(), true);
      assert.equal(await chat.page.locator('#no-key p').innerText(), `Switchboard has no provider to ask: ${reason}.`);
      assert.deepEqual(await chat.page.locator('#no-key button').allInnerTexts(), ['Open Settings', 'Set API Key…']);
      await chat.page.getByRole('button', { name: 'Open Settings' }).click();
      assert.deepEqual(await chat.waitForPosted('setUpProvider'), { type: 'setUpProvider', way: 'openSettings' });

      // Typed again meanwhile: a late refusal does not overwrite it.
      await chat.page.locator('#prompt').fill('Something else');
      await chat.fromHost({ type: 'notSent', text: 'Why is this slow?' });
      await chat.settle();
      assert.equal(await chat.page.locator('#prompt').inputValue(), 'Something else');
      assert.deepEqual(chat.errors, []);
    });

    it('ignores malformed host messages and keeps working', async () => {
      await openReady();
      await chat.fromHost(
        null,
        'chunk',
        42,
        [],
        { type: 'nonsense' },
        { type: 'chunk' },
        { type: 'chunk', id: 'nobody', seq: 0, text: 'orphan' },
        { type: 'start', id: 7 },
        { type: 'done', id: 'r0', footer: null },
        { type: 'init', models: 'all of them' },
        { type: 'history', messages: [null, { role: 'system', text: 'x' }, { role: 'user' }] },
        { type: 'error', id: 'r0', message: 'x', attempts: [{ provider: 1 }] },
      );
      await chat.settle();
      assert.deepEqual(
        chat.errors.filter((error) => error.startsWith('pageerror')),
        [],
      );
      await chat.streamAnswer('r1', 'Still **works**.');
      assert.equal(await text('.message.assistant strong'), 'works');
      assert.equal(await text('.footer-model'), 'gpt-5.4');
    });
  });
});
