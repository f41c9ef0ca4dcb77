import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { collectLogs } from '../../scripts/vscode/server.mjs';
import { fakeKeys } from '../fakes/fakeKeys';
import { presentedKey } from '../fakes/httpFake';
import {
  fakes,
  goToLineEnd,
  notificationToast,
  openFile,
  page,
  QUIET_EDITOR_SETTINGS,
  runCommand,
  runCommandAndPick,
  runCommandWithInput,
  quickPickRows,
  useWorkbenchOnFakes,
  waitForGhostText,
  waitForEditorText,
  webviewFrame,
  workbench,
} from './harness';

const WALKTHROUGH = 'Get Started with Switchboard';
const STEPS = ['Set a key or a local server', 'Try ghost text', 'Ask in the chat panel', 'Plan a change', 'Read the status bar'];

/** Issue 14: the Get Started walkthrough lists its steps and ticks each off as the user does it. */
describe('Getting started walkthrough in the workbench', () => {
  useWorkbenchOnFakes({
    files: { 'src/app.ts': 'export const answer = 42;\nexport const double = answer\n' },
    userSettings: {
      'switchboard.routes.completion': ['openai:gpt-5.4-nano'],
      'switchboard.routes.chat': ['openai:gpt-5.4'],
      'switchboard.routes.plan': ['anthropic:claude-opus-5'],
      ...QUIET_EDITOR_SETTINGS,
    },
  });

  /** The step's row in the open walkthrough. */
  const step = (title: string): Locator => page.locator('button.getting-started-step').filter({ hasText: title });
  const done = (title: string): Locator => step(title).locator('.codicon.complete');

  it('lists its five steps, none done yet', async () => {
    await runCommandAndPick(page, 'Welcome: Open Walkthrough...', WALKTHROUGH);
    await step(STEPS[0]!).waitFor({ state: 'visible' });
    for (const title of STEPS) await step(title).waitFor({ state: 'visible' });
    assert.equal(await page.locator('button.getting-started-step').count(), STEPS.length);
    for (const title of ['Try ghost text', 'Ask in the chat panel', 'Plan a change', 'Read the status bar']) {
      assert.equal(await done(title).count(), 0, `"${title}" is not done before the user did it`);
    }
  });

  it('ticks off Plan and the status bar when the user plans and reads recent requests', async () => {
    fakes.anthropic.scriptModel('claude-opus-5', { text: '- [ ] Do it.' });
    await runCommandWithInput(page, 'Switchboard: Plan…', 'Switchboard: Plan', 'Rename answer');
    await waitForEditorText(page, /Answered by anthropic:claude-opus-5/);
    await runCommandAndPick(page, 'Switchboard: Show Recent Requests and Costs', 'Open Log');
    await runCommandAndPick(page, 'Welcome: Open Walkthrough...', WALKTHROUGH);
    await done('Plan a change').waitFor({ state: 'attached' });
    await done('Read the status bar').waitFor({ state: 'attached' });
  });

  it('ticks off the chat step once the chat panel has answered', async () => {
    fakes.openai.scriptModel('gpt-5.4', { text: 'It is 42.' });
    await runCommand(page, 'Switchboard: Focus on Chat View');
    const chat = await webviewFrame(page, '#prompt');
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').pressSequentially('What is the answer?');
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.assistant .answer-footer').waitFor({ state: 'visible' });
    await runCommandAndPick(page, 'Welcome: Open Walkthrough...', WALKTHROUGH);
    await done('Ask in the chat panel').waitFor({ state: 'attached' });
  });

  it('ticks off ghost text once a suggestion shows in the editor', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: '* 2;' });
    await openFile(page, 'src/app.ts');
    await goToLineEnd(page, 2);
    await page.keyboard.type(' ', { delay: 20 });
    await waitForGhostText(page, '* 2;');
    await page.keyboard.press('Escape');
    await runCommandAndPick(page, 'Welcome: Open Walkthrough...', WALKTHROUGH);
    await done('Try ghost text').waitFor({ state: 'attached' });
  });
});

/** The walkthrough's first step on a machine with no key yet: its button opens Set API Key, and the key entered there is used. */
describe('Getting started walkthrough: the "Set a key" step', () => {
  /** Distinctive per run, so that a hit can only come from this session. */
  const KEY = fakeKeys.openai(`walk${process.pid}`);
  // The fake providers' addresses, but no key: neither in the environment nor in secret storage. The fakes
  // listen on 127.0.0.1, which counts as a local server (no key needed), so a key, once stored, is still sent.
  useWorkbenchOnFakes({ files: { 'README.md': '# Project\n' }, userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4'] } }, { keysInEnvironment: false });

  const step = (title: string): Locator => page.locator('button.getting-started-step').filter({ hasText: title });
  const switchboardLogs = async () => (await collectLogs(workbench.server.logDir)).filter(({ file }) => file.includes('switchboard-dev.switchboard'));

  it('opens Set API Key from the step, as a password input, and stores the key entered', async () => {
    await runCommandAndPick(page, 'Welcome: Open Walkthrough...', WALKTHROUGH);
    const connect = step(STEPS[0]!);
    await connect.click();
    await connect.getByRole('button', { name: 'Set API Key…', exact: true }).click();

    await quickPickRows(page).filter({ hasText: 'OpenAI' }).first().click();
    const box = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
    await box.locator('.quick-input-title').getByText('Switchboard: OpenAI API key', { exact: true }).waitFor({ state: 'visible' });
    const input = box.locator('input.input');
    assert.equal(await input.getAttribute('type'), 'password', 'the key is not shown as it is typed');
    await input.pressSequentially(KEY);
    await page.keyboard.press('Enter');
    // Shown once the providers use the new key: the next test's request goes right after it, as a user's would.
    await notificationToast(page, 'Switchboard: OpenAI API key stored in secret storage.').waitFor({ state: 'visible' });
  });

  it('sends the stored key with the next request, and writes it in no log', async () => {
    fakes.openai.scriptModel('gpt-5.4', { text: 'Add a LICENSE file.' });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'What is missing from this project?');
    await waitForEditorText(page, /Answered by openai:gpt-5\.4/);
    assert.equal(presentedKey(fakes.openai.requests.at(-1)!), KEY, 'the stored key went to OpenAI');

    // Every log of the session, Switchboard's among them (it noted the new key, so the search sees into it).
    const logs = await collectLogs(workbench.server.logDir);
    assert.ok((await switchboardLogs()).length > 0, "Switchboard's log is among them");
    for (const { file, text } of logs) assert.ok(!text.includes(KEY), `the key is written in ${file}`);
  });
});
