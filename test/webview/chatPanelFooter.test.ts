import assert from 'node:assert/strict';
import { FOOTER, type ChatPage } from './chatHarness';
import { useChatPanel } from './chatPanelSuite';

describe('chat panel in the browser', function () {
  this.timeout(30_000);
  let chat: ChatPage;
  const { openReady, text } = useChatPanel(() => chat, (opened) => (chat = opened));

  describe('footer and cost', () => {
    it('shows the model, tokens, cost and latency, and the conversation total', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Done.', { totalCostUsd: 0.0456 });
      assert.equal(await text('.footer-model'), 'gpt-5.4');
      assert.equal(await text('.footer-tokens'), '1,234 in / 56 out');
      assert.equal(await text('.footer-cost'), '$0.012');
      assert.equal(await text('.footer-latency'), '2.3 s');
      assert.equal(await text('#conversation-cost'), '$0.046');
    });

    it('names the first choice when a fallback answered, and says unpriced and estimated', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Done.', {
        footer: {
          ...FOOTER,
          model: 'claude-sonnet-5',
          requestedModel: 'gpt-5.4',
          fellBack: true,
          costUsd: null,
          estimated: true,
          latencyMs: 850,
        },
      });
      assert.equal(await text('.footer-model'), 'claude-sonnet-5 (fallback from gpt-5.4)');
      assert.equal(await text('.footer-cost'), 'unpriced');
      assert.equal(await text('.footer-tokens'), '~1,234 in / ~56 out');
      assert.equal(await text('.footer-latency'), '850 ms');
    });

    it("says in the model's tooltip why each model asked before the fallback gave no answer", async () => {
      await openReady();
      const why = 'openai:gpt-5.4: openai could not be reached in time: the TLS handshake with 127.0.0.1 took over 1990 ms, within the 2000 ms of switchboard.timeouts.firstTokenMs; the request never reached the model';
      await chat.streamAnswer('r1', 'Done.', { footer: { ...FOOTER, model: 'claude-sonnet-5', requestedModel: 'gpt-5.4', fellBack: true, fellBackBecause: [why] } });
      await chat.streamAnswer('r2', 'Done.');
      const models = chat.page.locator('.footer-model');
      assert.equal(await models.nth(0).getAttribute('title'), `Model that answered, after:\n• ${why}`);
      assert.equal(await models.nth(1).getAttribute('title'), 'Model that answered');
    });

    it('says in the footer how many earlier messages were not sent, with what to do in its tooltip, and nothing when all were', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Without the start.', { footer: { ...FOOTER, omittedMessages: 4 } });
      await chat.streamAnswer('r2', 'With everything.');
      const notes = chat.page.locator('.footer-omitted');
      assert.equal(await notes.count(), 1);
      assert.equal(await notes.innerText(), '4 earlier messages not sent');
      assert.match((await notes.getAttribute('title')) ?? '', /4 oldest messages .* were not sent with this question\. Start a new chat/);
    });

    it('marks a cost priced at a bound beside it, the note as its tooltip, and nothing on an answer priced as reported', async () => {
      await openReady();
      const note = 'the provider reported 1,000,000,000,000 output tokens, more than the request could produce (4,096); priced at 4,096';
      await chat.streamAnswer('r1', 'Bounded.', { footer: { ...FOOTER, pricedAtBound: note } });
      await chat.streamAnswer('r2', 'As reported.');
      const marks = chat.page.locator('.footer-bound');
      assert.equal(await marks.count(), 1);
      assert.equal(await marks.innerText(), 'priced at a bound');
      assert.equal(await marks.getAttribute('title'), note);
      // Right after the cost it qualifies, in the first answer's footer.
      assert.equal(await chat.page.locator('.footer-cost + .footer-bound').count(), 1);
    });

    it("marks a simulated answer's cost as not billed, as the sandbox's status bar says Simulated, and nothing on a real one", async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Simulated answer.', { footer: { ...FOOTER, simulated: true } });
      await chat.streamAnswer('r2', 'A real one.');
      const marks = chat.page.locator('.footer-simulated');
      assert.equal(await marks.count(), 1);
      assert.equal(await marks.innerText(), 'simulated, not billed');
      assert.match((await marks.getAttribute('title')) ?? '', /fake provider answered \(npm start with no keys\)\. The cost is what this model would have charged; nothing was billed\./);
      // Right after the cost it qualifies.
      assert.equal(await chat.page.locator('.footer-cost + .footer-simulated').count(), 1);
    });

    it('says in the footer that an answer was cut at its max output, the setting in its tooltip', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'The first half', { footer: { ...FOOTER, maxTokensReached: 4096 } });
      await chat.streamAnswer('r2', 'Whole.');
      const marks = chat.page.locator('.footer-cut');
      assert.equal(await marks.count(), 1);
      assert.equal(await marks.innerText(), 'cut at 4,096 tokens');
      assert.match((await marks.getAttribute('title')) ?? '', /switchboard\.chat\.maxTokens/);
    });

    it('shows a failed request with the models tried, keeping text that had streamed', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'Half an answ', { footer: null });
      await chat.fromHost({
        type: 'error',
        id: 'r1',
        message: 'Every model on the chat route failed.',
        attempts: [
          { provider: 'openai', model: 'gpt-5.4', error: 'rate limited (429)' },
          { provider: 'anthropic', model: 'claude-sonnet-5', error: 'overloaded (529)' },
        ],
        partial: true,
      });
      await chat.page.locator('.answer-error').waitFor();
      assert.equal(await text('.error-message'), 'Every model on the chat route failed.');
      assert.deepEqual(await chat.page.locator('.error-attempts li').allInnerTexts(), [
        'openai:gpt-5.4 — rate limited (429)',
        'anthropic:claude-sonnet-5 — overloaded (529)',
      ]);
      assert.equal(await text('.message.assistant .markdown p'), 'Half an answ');
      assert.equal(await chat.page.locator('#send').isVisible(), true);
    });

    it('keeps the error, the text and the cost of an answer that broke off', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'The first half', { footer: null });
      await chat.fromHost(
        { type: 'error', id: 'r1', message: 'The stream broke off.', attempts: [], partial: true },
        { type: 'done', id: 'r1', footer: FOOTER, totalCostUsd: 0.25 },
      );
      await chat.page.locator('.answer-footer').waitFor();
      assert.equal(await text('.message.assistant .markdown p'), 'The first half');
      assert.equal(await text('.error-message'), 'The stream broke off.');
      assert.equal(await text('.footer-cost'), '$0.012');
      assert.equal(await text('#conversation-cost'), '$0.25');
    });
    it('offers Ask again on a failed last answer that may pass: it asks once, keeps the keyboard in the prompt and goes when the new answer starts', async () => {
      await openReady();
      await chat.streamAnswer('r1', 'The first half', { footer: null });
      await chat.fromHost(
        { type: 'error', id: 'r1', message: 'openai:gpt-5.4 failed mid-answer: the connection was reset', attempts: [], partial: true, retryable: true },
        { type: 'done', id: 'r1', footer: FOOTER, totalCostUsd: 0.25 },
      );
      const askAgain = chat.page.getByRole('button', { name: 'Ask again' });
      assert.match((await askAgain.getAttribute('title')) ?? '', /on the model picked below \(pick another first to switch\)/, 'says which model it asks');
      await askAgain.click();
      assert.deepEqual(await chat.postedOfType('askAgain'), [{ type: 'askAgain' }]);
      assert.equal(await askAgain.isDisabled(), true, 'asked once');
      assert.equal(await chat.page.locator('#stop').isVisible(), true, 'Stop while the question is asked again');
      assert.equal(await chat.page.evaluate(() => document.activeElement?.id), 'prompt');
      await chat.page.getByRole('textbox', { name: 'Message' }).press('Escape');
      assert.deepEqual(await chat.postedOfType('stop'), [{ type: 'stop' }]);

      await chat.streamAnswer('r2', 'The whole answer.', { userText: 'question' });
      assert.equal(await chat.page.locator('.ask-again').count(), 0, 'only the last answer can be asked again');
      assert.deepEqual(await chat.page.locator('.message.assistant .markdown p').allInnerTexts(), ['The first half', 'The whole answer.'], 'the broken-off answer stays');

      // A refusal that asking again cannot mend (too long, no key, the budget) has no button.
      await chat.streamAnswer('r3', '', { footer: null });
      await chat.fromHost({ type: 'error', id: 'r3', message: 'This message is about 150,000 tokens', attempts: [], partial: false });
      await chat.page.locator('.message.assistant .answer-error').nth(1).waitFor();
      assert.equal(await chat.page.locator('.ask-again').count(), 0);
    });

    it('offers Ask again after a reload on the last answer only, when it failed in a way that may pass', async () => {
      await openReady();
      const failed = { role: 'assistant' as const, text: '', error: { message: 'openai had a server error (500)', attempts: [], retryable: true } };
      await chat.fromHost({
        type: 'history',
        messages: [{ role: 'user', text: 'one', attachments: [] }, failed, { role: 'user', text: 'two', attachments: [] }, failed],
        totalCostUsd: 0,
      });
      await chat.settle();
      assert.equal(await chat.page.locator('.answer-error').count(), 2);
      assert.equal(await chat.page.locator('.message.assistant').last().locator('.ask-again').count(), 1);
      assert.equal(await chat.page.locator('.ask-again').count(), 1);
    });
  });
});
