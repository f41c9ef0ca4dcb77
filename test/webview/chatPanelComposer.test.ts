import assert from 'node:assert/strict';
import { INIT, type ChatPage } from './chatHarness';
import { useChatPanel } from './chatPanelSuite';

describe('chat panel in the browser', function () {
  this.timeout(30_000);
  let chat: ChatPage;
  const { harness, openReady, text, toggleLook } = useChatPanel(() => chat, (opened) => (chat = opened));

  describe('composer', () => {
    it('Enter sends the prompt with the chosen model and attachments; Shift+Enter adds a line', async () => {
      await openReady();
      const prompt = chat.page.getByRole('textbox', { name: 'Message' });
      await prompt.click();
      await chat.page.keyboard.type('first line');
      await chat.page.keyboard.press('Shift+Enter');
      await chat.page.keyboard.type('second line');
      assert.deepEqual(await chat.postedOfType('send'), []);

      await chat.page.getByRole('button', { name: 'Active file' }).click();
      await chat.page.getByRole('combobox', { name: 'Model' }).selectOption('anthropic:claude-sonnet-5');
      await prompt.press('Enter');

      assert.deepEqual(await chat.waitForPosted('send'), {
        type: 'send',
        text: 'first line\nsecond line',
        model: 'anthropic:claude-sonnet-5',
        attachSelection: false,
        attachFile: true,
      });
      assert.equal(await prompt.inputValue(), '');
      assert.equal(await chat.page.locator('#stop').isVisible(), true, 'Stop shows while the request starts');
    });

    it('ignores an empty or blank prompt', async () => {
      await openReady();
      const prompt = chat.page.getByRole('textbox', { name: 'Message' });
      await prompt.press('Enter');
      await prompt.fill('   \n  ');
      await prompt.press('Enter');
      await chat.page.locator('#send').click();
      assert.deepEqual(await chat.postedOfType('send'), []);
    });

    it('lists Auto plus the configured models, preselects the host choice, and reports changes', async () => {
      chat = await harness().open();
      await chat.fromHost({ ...INIT, selectedModel: 'openai:gpt-5.4' });
      await chat.settle();
      const picker = chat.page.getByRole('combobox', { name: 'Model' });
      assert.deepEqual(await picker.locator('option').allTextContents(), [
        'Auto (chat route)',
        'GPT-5.4 (OpenAI)',
        'Claude Sonnet 5 (Anthropic)',
      ]);
      assert.equal(await picker.inputValue(), 'openai:gpt-5.4');
      await picker.selectOption('auto');
      assert.deepEqual(await chat.waitForPosted('selectModel'), { type: 'selectModel', model: 'auto' });
    });

    it('shows what the toggles would attach and the chips of what was attached', async () => {
      await openReady();
      const selection = chat.page.locator('#attach-selection');
      const file = chat.page.locator('#attach-file');
      assert.equal(await file.locator('.toggle-detail').textContent(), 'no active file');
      assert.equal(await selection.locator('.toggle-detail').textContent(), 'no selection');

      await chat.fromHost({ type: 'attachmentsPreview', selection: { label: 'src/app.ts:10-24' }, file: { label: 'src/app.ts' } });
      // The toggle shows the file's name; its tooltip names the whole path and says what a click does.
      await chat.page.getByRole('button', { name: 'Selection app.ts:10-24' }).waitFor();
      assert.equal(await file.locator('.toggle-detail').textContent(), 'app.ts');
      assert.equal(await file.getAttribute('aria-pressed'), 'false');
      assert.equal(await file.getAttribute('title'), 'Off. Click to attach the active file (src/app.ts) to each message.');
      const off = await toggleLook(file);

      await file.click();
      assert.equal(await file.getAttribute('aria-pressed'), 'true');
      assert.equal(await file.getAttribute('title'), 'On: attaches the active file (src/app.ts) to each message. Click to stop.');
      const on = await toggleLook(file);
      assert.notEqual(on.box, off.box, 'the box is ticked when on');
      assert.notEqual(on.border, off.border, 'the border differs, not only the colour');
      assert.ok(on.weight > off.weight, `the label is bolder when on (${on.weight} vs ${off.weight})`);
      assert.equal(await selection.getAttribute('aria-pressed'), 'false', 'each toggle keeps its own state');

      await file.click();
      assert.equal(await file.getAttribute('aria-pressed'), 'false');
      assert.deepEqual(await toggleLook(file), off);

      await chat.streamAnswer('r1', 'ok', {
        userText: 'Explain this',
        attachments: [{ label: 'src/app.ts:10-24' }, { label: 'src/util.ts' }],
      });
      assert.deepEqual(await chat.page.locator('.message.user .chip').allTextContents(), ['src/app.ts:10-24', 'src/util.ts']);
      assert.equal(await text('.message.user .user-text'), 'Explain this');
    });

    it('says about how many tokens the selection and the whole file would be, before sending, and how much of a long file is sent', async () => {
      await openReady();
      await chat.fromHost({
        type: 'attachmentsPreview',
        selection: { label: 'src/app.ts:10-24', chars: 600 },
        file: { label: 'src/app.ts', chars: 60_000, ofChars: 250_000 },
      });
      const file = chat.page.locator('#attach-file');
      await chat.page.getByRole('button', { name: 'Active file app.ts · ~15,000 tokens' }).waitFor();
      assert.equal(await chat.page.locator('#attach-selection .toggle-detail').textContent(), 'app.ts:10-24 · ~150 tokens');
      assert.equal(
        await file.getAttribute('title'),
        'Off. Click to attach the active file (src/app.ts, its first 60,000 of 250,000 characters, ~15,000 tokens) to each message.',
      );
      assert.equal(
        await chat.page.locator('#attach-selection').getAttribute('title'),
        'Off. Click to attach the selection (src/app.ts:10-24, 600 characters, ~150 tokens) to each message.',
      );
    });

    it('says so when a file the user attached is excluded, before and after sending', async () => {
      await openReady();
      const excluded = 'excluded by switchboard.exclude';
      await chat.fromHost({ type: 'attachmentsPreview', selection: null, file: { label: 'config/.env', excluded } });
      await chat.page.getByRole('button', { name: `Active file .env (${excluded})` }).waitFor();
      assert.equal(
        await chat.page.locator('#attach-file').getAttribute('title'),
        `Off. Click to attach the active file (config/.env) to each message. It is not sent: ${excluded}.`,
      );
      await chat.streamAnswer('r1', 'ok', { userText: 'Why does this not load?', attachments: [{ label: 'config/.env', excluded }] });
      const chip = chat.page.locator('.message.user .chip.excluded');
      assert.equal(await chip.textContent(), `config/.env: not attached, ${excluded}`);
    });
  });

  describe('accessibility', () => {
    it('announces the conversation politely and labels every control', async () => {
      await openReady();
      await chat.streamAnswer('r1', '```js\nx()\n```');
      const log = chat.page.getByRole('log', { name: 'Conversation' });
      assert.equal(await log.getAttribute('aria-live'), 'polite');
      const unlabelled = await chat.page.evaluate(() => {
        const fakeButtons = Array.from(document.querySelectorAll('[role="button"]'));
        const nameless = Array.from(document.querySelectorAll('button, select, textarea')).filter(
          (control) => !(control.getAttribute('aria-label') || control.textContent?.trim()),
        );
        return [...fakeButtons, ...nameless].map((control) => control.outerHTML);
      });
      assert.deepEqual(unlabelled, []);

      await chat.page.getByRole('textbox', { name: 'Message' }).focus();
      await chat.page.keyboard.press('Shift+Tab');
      await chat.page.keyboard.press('Shift+Tab');
      assert.equal(await chat.page.evaluate(() => document.activeElement?.id), 'attach-selection');
    });
  });
});
