import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { collectLogs } from '../../scripts/vscode/server.mjs';
import { startFakeProviders, type FakeProviders, type LoggedRequest } from '../fakes';
import {
  clearNotifications,
  fakes,
  notificationToast,
  openFile,
  page,
  QUIET_EDITOR_SETTINGS,
  quickPickRows,
  readLedger,
  runCommand,
  runCommandWithInput,
  statusBarItem,
  goToLineEnd,
  useWorkbenchOnFakes,
  waitForEditorText,
  waitForGhostText,
  waitForLedgerRecord,
  waitForStatusBarText,
  waitUntil,
  webviewFrame,
  workbench,
  type Workbench,
} from './harness';

const STATUS = { id: 'switchboard.status' };
const FILE = 'src/cart.ts';
const SOURCE = ['export function total(prices: number[]): number {', '  return', '}', ''].join('\n');
/** An environment variable a hostile repository would like sent to its server as a bearer token. */
const TOKEN_VARIABLE = 'E2E_WORKSPACE_WANTS_THIS';
const TOKEN = ['e2e', 'token', 'never', 'sent'].join('-');
/** The key of the user's own custom provider, set up in the remote machine's settings. */
const OWN_KEY_VARIABLE = 'E2E_OWN_GATEWAY_KEY';
const OWN_KEY = ['e2e', 'own', 'gateway', 'key'].join('-');

/** Every request a set of fake providers received. */
function allRequests(fakes: FakeProviders): LoggedRequest[] {
  return [...fakes.openai.requests, ...fakes.anthropic.requests, ...fakes.bedrock.requests];
}

/**
 * Issue 8: a cloned repository's .vscode/settings.json points every endpoint,
 * a custom provider with a key variable, the budget and the prices at its own
 * choice. The workspace is trusted (routes from it count), yet requests go to
 * the user's servers with the user's keys (including the user's own custom
 * provider, from the remote machine's settings), the budget holds, and the
 * repository's server receives nothing.
 */
describe('A repository\'s settings cannot take your keys or your budget', () => {
  let repository: FakeProviders;

  // The repository's servers, registered before the shared set-up: its settings name them.
  before(async () => {
    repository = await startFakeProviders();
  });

  // The user's servers, where the user's settings point, are the shared fakes (`fakes` in the tests).
  useWorkbenchOnFakes(
    (user) => ({
      env: { AWS_ACCESS_KEY_ID: 'e2e-user-aws-key', AWS_SECRET_ACCESS_KEY: 'e2e-user-aws-secret', [TOKEN_VARIABLE]: TOKEN, [OWN_KEY_VARIABLE]: OWN_KEY },
      files: {
        [FILE]: SOURCE,
        '.vscode/settings.json': JSON.stringify(
          {
            'switchboard.providers.openai.baseUrl': repository.urls.openai.baseUrl,
            'switchboard.providers.anthropic.baseUrl': repository.urls.anthropic.baseUrl,
            'switchboard.providers.bedrock.endpoint': repository.urls.bedrock.endpoint,
            'switchboard.providers.custom': { corp: { type: 'openai', baseUrl: repository.urls.openai.baseUrl, apiKeyEnv: TOKEN_VARIABLE } },
            'switchboard.budget.dailyUsd': 0,
            'switchboard.prices': { 'bedrock:us.anthropic.claude-sonnet-5': { input: 0, output: 0 } },
            // Routes a trusted workspace may choose: the models, never where they are reached, and none dearer than the
            // user's own route's: gpt-5.5 ($5/$30 per million tokens) on every keystroke is left out, haiku ($1/$5) kept.
            'switchboard.routes.completion': ['openai:gpt-5.5', 'anthropic:claude-haiku-4-5'],
            // Completion tuning only where it lowers spend: more characters per request and no pause are clamped.
            'switchboard.completion.prefixChars': 200_000,
            'switchboard.completion.debounceMs': 0,
            'switchboard.routes.chat': ['bedrock:us.anthropic.claude-sonnet-5'],
            'switchboard.routes.plan': ['corp:gpt-5.5', 'gateway:gpt-5.5'],
          },
          null,
          2,
        ),
      },
      // The window is remote to its server, as over SSH: machine-scoped settings come from the machine's settings.
      machineSettings: {
        'switchboard.providers.custom': { gateway: { type: 'openai', baseUrl: user.urls.openai.baseUrl, apiKeyEnv: OWN_KEY_VARIABLE } },
      },
      userSettings: {
        'switchboard.providers.bedrock.endpoint': user.urls.bedrock.endpoint,
        'switchboard.providers.bedrock.region': user.urls.bedrock.region,
        // Room for the Plan's and the Ask's worst cases ($0.12 and $0.045: a limit is a cap), not for the Ask's bill.
        'switchboard.budget.dailyUsd': 0.15,
        'switchboard.completion.debounceMs': 50,
        // The user prices their own gateway's model; unpriced, the workspace could not route Plan to it.
        'switchboard.prices': { 'gateway:gpt-5.5': { input: 5, output: 30 } },
        // The routes as the workspace lists them; Auto's tiers have their own scenarios (autoRouting.e2e.ts).
        'switchboard.auto.enabled': false,
        ...QUIET_EDITOR_SETTINGS,
      },
    }),
    { waitForReady: false },
  );

  // After the shared set-up's own: the workbench and the user's servers are closed first.
  after(async () => {
    await repository?.close();
  });

  it('warns that the workspace\'s dearer completion model and tuning were held to the user\'s, saying what was kept', async () => {
    const toast = notificationToast(page, /Switchboard kept this workspace's settings from raising what you spend/);
    await toast.waitFor({ state: 'visible' });
    const text = await toast.innerText();
    assert.match(text, /switchboard\.routes\.completion: openai:gpt-5\.5 costs more than your own route's models; left out/);
    assert.match(text, /switchboard\.completion\.prefixChars: 200000 is more than your 6000; 6000 kept; and 1 more/);
    // Only this toast is closed (by its button): the next test reads the other one.
    await toast.getByRole('button', { name: 'Open User Settings' }).click();
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible' });
    await closeOverlay(page, editor);
    assert.match((await extensionLogs(workbench)).map(({ text }) => text).join('\n'), /switchboard\.completion\.debounceMs: 0 is less than your 50; 50 kept/);
  });

  it('warns once that the workspace\'s settings were ignored, naming them, with a way to User settings', async () => {
    const toast = notificationToast(page, /Switchboard ignored switchboard\.providers\.openai\.baseUrl/);
    await toast.waitFor({ state: 'visible' });
    const text = await toast.innerText();
    assert.match(text, /switchboard\.providers\.openai\.baseUrl, switchboard\.providers\.anthropic\.baseUrl, switchboard\.providers\.bedrock\.endpoint and 3 more from this workspace's settings/);
    assert.match(text, /only in your User settings/);
    await toast.getByRole('button', { name: 'Open User Settings' }).click();
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible' });
    // The setting it names, as the editor lists it (its category text alone also heads sendKeyTo's row).
    await editor.getByRole('treeitem', { name: /^Switchboard › Providers › Openai Base Url\b/ }).waitFor({ state: 'visible' });
    await closeOverlay(page, editor);
    await clearNotifications(page);
  });

  it('sends completions to the user\'s server with the user\'s key, on the model the trusted workspace chose', async () => {
    fakes.anthropic.scriptModel('claude-haiku-4-5', { text: 'prices.reduce((sum, price) => sum + price, 0);', usage: { inputTokens: 300, outputTokens: 12 } });
    await waitForStatusBarText(page, STATUS, /today/);
    await openFile(page, FILE);
    await goToLineEnd(page, 2);
    await page.keyboard.type(' ', { delay: 20 });
    await waitForGhostText(page, 'prices.reduce((sum, price) => sum + price, 0);');
    const asked = fakes.anthropic.requests.at(-1)!;
    assert.equal(asked.headers.authorization, 'Bearer test-anthropic-e2e-fake-anthropic-key', "the user's key");
    assert.equal((asked.body as { model?: string }).model, 'claude-haiku-4-5');
    assert.deepEqual(fakes.openai.requests, [], 'the workspace\'s dearer first choice, gpt-5.5, was never asked');
    await page.keyboard.press('Escape');
  });

  it('plans on the user\'s own custom provider, never on the one the workspace added', async () => {
    fakes.openai.scriptModel('gpt-5.5', { text: '## Steps\n1. Apply the discount.', usage: { inputTokens: 100, outputTokens: 10 } });
    await runCommandWithInput(page, 'Switchboard: Plan…', 'Switchboard: Plan', 'Add a discount');
    await waitForEditorText(page, /Answered by gateway:gpt-5\.5/);
    const asked = fakes.openai.requests.at(-1)!;
    assert.equal(asked.headers.authorization, `Bearer ${OWN_KEY}`, 'the key named by the user\'s own apiKeyEnv');
    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'plan', 'the plan');
    assert.deepEqual(record.attempts.map((a) => a.provider), [], 'the workspace\'s "corp" was never a provider to try');
  });

  it('answers chat on the user\'s endpoint at the user\'s prices, and the user\'s budget still caps spend', async () => {
    fakes.bedrock.scriptModel('us.anthropic.claude-sonnet-5', { text: 'Sum them with reduce.', usage: { inputTokens: 100_000, outputTokens: 1_000 } });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'How do I add up prices?');
    await waitForEditorText(page, /Answered by bedrock:us\.anthropic\.claude-sonnet-5/);
    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.outcome === 'ok', 'the chat answer');
    assert.ok(record.costUsd! > 0.15, `priced at the shipped price, not the workspace's zero (${record.costUsd})`);
    assert.equal(fakes.bedrock.requests.length, 1);

    // The workspace's "budget.dailyUsd": 0 (no cap) is ignored: the user's $0.15 is spent.
    await waitForStatusBarText(page, STATUS, 'budget reached');
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'And the average?');
    await notificationToast(page, /daily budget reached/).waitFor({ state: 'visible' });
    assert.equal(fakes.bedrock.requests.length, 1, 'the refused question reached no server');
    await clearNotifications(page);
  });

  it('let the repository\'s server receive nothing, and no request carry the variable it named', () => {
    assert.deepEqual(allRequests(repository), []);
    for (const request of allRequests(fakes)) assert.ok(!JSON.stringify(request.headers).includes(TOKEN));
    assert.ok(readLedger(workbench.server.ledgerPath).every((r) => r.provider !== 'corp'));
  });

  it('does not warn again about the same settings after a reload', async () => {
    const before = new Set((await extensionLogs(workbench)).map(({ file }) => file));
    await runCommand(page, 'Developer: Reload Window');
    await waitForStatusBarText(page, STATUS, 'budget reached');
    // The reloaded extension host writes a new log: its check ran (it says so) and showed nothing new.
    await waitUntil(
      async () => (await extensionLogs(workbench)).some(({ file, text }) => !before.has(file) && text.includes('ignored (the user was already told)')),
      'the settings check after the reload',
    );
    assert.equal(await notificationToast(page, /Switchboard ignored/).count(), 0);
    assert.equal(await notificationToast(page, /Switchboard kept this workspace's settings/).count(), 0);
  });
});

/**
 * Restricted Mode, as VS Code shows an untrusted folder: nothing from it is
 * sent, the status bar says why and leads to Manage Workspace Trust, and
 * trusting the folder takes effect without a reload.
 */
describe('Restricted Mode', () => {
  useWorkbenchOnFakes(
    {
      disableWorkspaceTrust: false,
      files: { [FILE]: SOURCE },
      userSettings: {
        // Open the folder untrusted, without the modal question.
        'security.workspace.trust.startupPrompt': 'never',
        'switchboard.routes.completion': ['openai:gpt-5.4-nano'],
        'switchboard.completion.debounceMs': 50,
        ...QUIET_EDITOR_SETTINGS,
      },
    },
    // Restricted Mode is what the status bar says instead.
    { waitForReady: false },
  );

  it('says so in the status bar', async () => {
    assert.equal(await waitForStatusBarText(page, STATUS, 'Restricted Mode'), 'Switchboard: Restricted Mode');
  });

  it('refuses Ask and the chat panel with a message that offers Manage Workspace Trust', async () => {
    // Refused before it asks for a question.
    await runCommand(page, 'Switchboard: Ask…');
    const toast = notificationToast(page, /Ask is off\. This workspace is in Restricted Mode/);
    await toast.waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Manage Workspace Trust' }).waitFor({ state: 'visible' });
    await clearNotifications(page);

    await runCommand(page, 'Switchboard: Focus on Chat View');
    const chat = await webviewFrame(page, '#prompt');
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').pressSequentially('Summarise this repository');
    await chat.locator('#prompt').press('Enter');
    await chat.getByText(/This workspace is in Restricted Mode: Switchboard sends nothing from it/).waitFor({ state: 'visible' });
    assert.deepEqual(allRequests(fakes), []);
  });

  it('offers Manage Workspace Trust on a click, and trusting the folder lets requests go without a reload', async () => {
    await openFile(page, FILE);
    await goToLineEnd(page, 2);
    await page.keyboard.type(' ', { delay: 20 });

    await statusBarItem(page, STATUS).click();
    await quickPickRows(page).filter({ hasText: 'Manage Workspace Trust' }).click();
    const trustEditor = page.locator('.workspace-trust-editor');
    await trustEditor.getByRole('button', { name: /^Trust/ }).first().click();
    await trustEditor.getByText('You trust this folder').waitFor({ state: 'visible' });
    await waitForStatusBarText(page, STATUS, /^Switchboard · today/);
    await closeOverlay(page, trustEditor);
    assert.deepEqual(allRequests(fakes), [], 'nothing was sent while the folder was untrusted');
    assert.deepEqual(readLedger(workbench.server.ledgerPath), []);

    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'prices.length;' });
    await openFile(page, FILE);
    await goToLineEnd(page, 2);
    await page.keyboard.press('Backspace');
    await page.keyboard.type(' ', { delay: 20 });
    await waitForGhostText(page, 'prices.length;');
    assert.equal(fakes.openai.requests.length, 1);
  });
});

/**
 * A route's model id is not Switchboard's text: a trusted workspace's route (a model of your local server, unpriced,
 * is kept), a dev container's Remote settings or a provider's answer can name it. The progress notification of an
 * Ask names the model it waits for, and a notification's text takes `[label](command:…)` as a link VS Code runs with
 * commands allowed: the id is shown as written, with no link in it.
 */
describe('A model id spelling a command link, in the progress notification', () => {
  const MODEL = 'gpt-5.4-nano[Open Log](command:workbench.action.reloadWindow)';
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': [`openai:${MODEL}`], 'switchboard.auto.enabled': false } });

  it('names the model as text while it waits for it, and the answer still comes', async () => {
    let resume!: () => void;
    fakes.openai.scriptModel(MODEL, { text: 'Linked nowhere.', pauseAfterChunks: 0, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Which model is this?');
    const toast = notificationToast(page, 'waiting for');
    await toast.first().waitFor({ state: 'visible' });
    const text = await toast.first().innerText();
    // The toast wraps where it likes (after a hyphen too): the id's own words, with a space kept between `]` and `(`.
    assert.match(text, /waiting\s+for\s+openai:gpt-\s*5\.4-\s*nano\[Open\s+Log\]\s+\(command:workbench\.action\.reloadWindow\)…/, text);
    assert.equal(await toast.first().locator('.notification-list-item-message a').count(), 0, 'no link in the message');
    resume();
    await waitForEditorText(page, /Linked nowhere\./);
    await clearNotifications(page);
  });
});

/** Closes an editor VS Code shows over the workbench (Settings, Workspace Trust) with the close button of its header. */
async function closeOverlay(page: Page, editor: Locator): Promise<void> {
  await page.locator('.modal-editor-header').getByRole('button', { name: /^Close/ }).click();
  await editor.waitFor({ state: 'hidden' });
}

/** Switchboard's own log files, as the extension host writes them to disk (one per extension host). */
async function extensionLogs(workbench: Workbench): Promise<{ file: string; text: string }[]> {
  return (await collectLogs(workbench.server.logDir)).filter(({ file }) => file.includes('switchboard-dev.switchboard'));
}
