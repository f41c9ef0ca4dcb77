import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { fakeKeys } from '../fakes/fakeKeys';
import { presentedKey } from '../fakes/httpFake';
import {
  OUTPUT_DIR,
  fakes,
  goToLineEnd,
  openFile,
  page,
  QUIET_EDITOR_SETTINGS,
  runCommand,
  runCommandWithInput,
  useWorkbenchOnFakes,
  waitForEditorText,
  waitForGhostText,
  waitForLedgerRecord,
  waitForWorkbench,
  waitUntil,
  webviewFrame,
  workbench,
} from './harness';

/** Distinctive per run, so that a hit can only come from this session. */
const RUN = `sweep${process.pid}`;
const KEYS = {
  'OpenAI key (environment)': fakeKeys.openai(`${RUN}env`),
  'Anthropic key (SecretStorage)': fakeKeys.anthropic(`${RUN}stored`),
  'AWS access key id (environment)': fakeKeys.awsAccessKeyId(`${RUN}aws`),
  'AWS secret access key (environment)': fakeKeys.awsSecretAccessKey(`${RUN}awssecret`),
  'GitHub token (environment)': fakeKeys.github(`${RUN}gh`),
  'key in a source file': fakeKeys.openai(`${RUN}source`),
  'token in an excluded .env file': fakeKeys.slack(`${RUN}dotenv`),
};
const CHAT_QUESTION = `Why does this config not load ${RUN}?`;
const PLAN_GOAL = `Add a discount to invoices ${RUN}`;

const BILLING = [
  'export function invoiceTotal(invoice: Invoice, taxRate: number): number {',
  '  const subtotal = invoice.lines.reduce((sum, line) => sum + line.amount, 0);',
  `  const paymentKey = "${KEYS['key in a source file']}";`,
  '  return subtotal + subtotal * taxRate;',
  '}',
  '',
].join('\n');
const DOTENV = ['DATABASE_URL=postgres://localhost/invoices', `SLACK_TOKEN=${KEYS['token in an excluded .env file']}`, ''].join('\n');
const APP = ['export function invoiceWithTax(invoice: Invoice, taxRate: number): number {', '  const subtotal = invoice.lines.reduce((sum, line) => sum + line.amount, 0);', '  return', '}', ''].join('\n');

/** Issue 8: a whole session with distinctive keys, then every place they could have been written down. */
describe('Secrets never leave the machine', () => {
  useWorkbenchOnFakes(
    {
      env: {
        OPENAI_API_KEY: KEYS['OpenAI key (environment)'],
        AWS_ACCESS_KEY_ID: KEYS['AWS access key id (environment)'],
        AWS_SECRET_ACCESS_KEY: KEYS['AWS secret access key (environment)'],
        GITHUB_TOKEN: KEYS['GitHub token (environment)'],
      },
      files: { 'src/billing.ts': BILLING, 'config/.env': DOTENV, 'src/app.ts': APP },
      userSettings: {
        'switchboard.routes.completion': ['openai:gpt-5.4-nano'],
        'switchboard.routes.chat': ['anthropic:claude-sonnet-5'],
        'switchboard.routes.plan': ['openai:gpt-5.5'],
        'switchboard.completion.debounceMs': 50,
        ...QUIET_EDITOR_SETTINGS,
      },
    },
    // The fakes' addresses, but not fakeProviderSetup's keys: this session's own, above and stored.
    { keysInEnvironment: false },
  );

  it('stores a key through the real SecretStorage and uses it', async () => {
    await runCommandWithInput(page, 'Switchboard: Set Anthropic API Key', 'Switchboard: Anthropic API key', KEYS['Anthropic key (SecretStorage)']);
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'It reads the subtotal, then adds the tax.' });
    await openFile(page, 'src/billing.ts');
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
    // From the Command Palette, which cannot be told from a link: it asks first, saying keys are masked.
    await runCommand(page, 'Switchboard: Explain Selection');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Explain the selection in src/billing.ts with anthropic:claude-sonnet-5?').waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), /key-shaped strings masked/);
    await dialog.getByRole('button', { name: 'Explain Selection', exact: true }).click();
    const chat = await webviewFrame(page, '#prompt');
    await chat.locator('.message.assistant .answer-footer').last().waitFor({ state: 'visible' });
    const request = fakes.anthropic.requests.at(-1)!;
    assert.equal(presentedKey(request), KEYS['Anthropic key (SecretStorage)'], 'the stored key went to its own provider');
    const sent = JSON.stringify(request.body);
    assert.ok(sent.includes('invoice.lines.reduce') && sent.includes('[redacted]'), 'the selection went, its key masked');
  });

  it('offers ghost text with other editors as context, their keys masked and the excluded file left out', async () => {
    await openFile(page, 'config/.env');
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'subtotal + subtotal * taxRate;' });
    await openFile(page, 'src/app.ts');
    await goToLineEnd(page, 3);
    await page.keyboard.type(' ');
    await waitForGhostText(page, 'subtotal + subtotal * taxRate;');
    await page.keyboard.press('Escape');
    const sent = JSON.stringify(fakes.openai.requests.at(-1)!.body);
    assert.ok(sent.includes('invoiceTotal'), 'a snippet of src/billing.ts went with the request');
    assert.ok(!sent.includes('DATABASE_URL'), 'nothing of the excluded file');
  });

  it('writes a plan with the active file masked', async () => {
    fakes.openai.scriptModel('gpt-5.5', { text: '1. Add a discount line.' });
    await showTab(page, 'billing.ts');
    await runCommandWithInput(page, 'Switchboard: Plan…', 'Switchboard: Plan', PLAN_GOAL);
    await waitForEditorText(page, /Answered by openai:gpt-5\.5/);
    const sent = JSON.stringify(fakes.openai.requests.at(-1)!.body);
    assert.ok(sent.includes(PLAN_GOAL) && sent.includes('invoiceTotal') && sent.includes('[redacted]'));
    assert.ok(!sent.includes('.env'), 'the excluded file is not even listed');
  });

  it('refuses an explicitly attached excluded file in the chat, saying why', async () => {
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'Check that the file is loaded before the app starts.' });
    await showTab(page, '.env');
    await runCommand(page, 'Switchboard: Focus on Chat View');
    const chat = await webviewFrame(page, '#prompt');
    const toggle = chat.locator('#attach-file');
    // The toggle shows the file's name; its tooltip, the whole path and that it is not sent.
    await toggle.filter({ hasText: '.env (excluded by switchboard.exclude)' }).waitFor({ state: 'visible' });
    assert.match((await toggle.getAttribute('title')) ?? '', /\(config\/\.env\).* It is not sent: excluded by switchboard\.exclude\.$/);
    await toggle.click();
    await chat.locator('#prompt').click();
    await chat.locator('#prompt').pressSequentially(CHAT_QUESTION);
    await chat.locator('#prompt').press('Enter');
    const chip = chat.locator('.message.user', { hasText: CHAT_QUESTION }).locator('.chip.excluded');
    await chip.waitFor({ state: 'visible' });
    assert.equal(await chip.innerText(), 'config/.env: not attached, excluded by switchboard.exclude');
    await chat.locator('.message.assistant .answer-footer').nth(1).waitFor({ state: 'visible' });
    const sent = JSON.stringify(fakes.anthropic.requests.at(-1)!.body);
    assert.ok(sent.includes(CHAT_QUESTION));
    assert.ok(!sent.includes('DATABASE_URL') && !sent.includes('config/.env'), 'nothing of the file, not even its name, was sent');
  });

  it('sent every key only to its own provider, in its own header, and none in any request body', async () => {
    for (const request of [...fakes.openai.requests, ...fakes.anthropic.requests, ...fakes.bedrock.requests]) {
      const body = JSON.stringify(request.body);
      for (const [what, key] of Object.entries(KEYS)) assert.ok(!body.includes(key), `${what} is in a request body to ${request.path}`);
    }
    for (const request of fakes.openai.requests) assert.equal(presentedKey(request), KEYS['OpenAI key (environment)']);
    for (const request of fakes.anthropic.requests) assert.equal(presentedKey(request), KEYS['Anthropic key (SecretStorage)']);
  });

  it('shows no key anywhere in the workbench or its webviews (DOM text; screenshots saved)', async () => {
    // The panel's own storage (webview state) and workspace state are written when the window goes away.
    const reloaded = page.waitForEvent('domcontentloaded');
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(page);
    await runCommand(page, 'Switchboard: Focus on Chat View');
    const chat = await webviewFrame(page, '#prompt');
    await chat.locator('.message.user', { hasText: CHAT_QUESTION }).waitFor({ state: 'visible' });

    // The files of this workspace hold planted keys, shown as they are in their editors: close them (dirty ones unsaved).
    await runCommand(page, 'View: Close All Editors');
    const dontSave = page.locator('.monaco-dialog-box').getByRole('button', { name: "Don't Save" });
    await waitUntil(async () => {
      if (await dontSave.isVisible()) await dontSave.click();
      return (await page.locator('[id="workbench.parts.editor"] .tab').count()) === 0;
    }, 'every editor to close');
    // Pixels cannot be searched for text; what the screenshots show is the DOM, whose text is searched instead.
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'secrets-workbench.png') });
    const texts = await domTexts(page);
    assert.ok(texts.some((text) => text.includes(CHAT_QUESTION)), 'the search sees the chat webview');
    assert.ok(texts.some((text) => text.includes('Switchboard')), 'the search sees the workbench');
    for (const [what, key] of Object.entries(KEYS)) {
      assert.ok(!texts.some((text) => text.includes(key)), `${what} is shown in the workbench`);
    }
  });

  it('wrote no key in settings, the ledger, the logs, workspace, webview or global state, and no prompt text in any log', async () => {
    const { server } = workbench;
    await waitForLedgerRecord(server.ledgerPath, (record) => record.task === 'plan', 'the plan');
    await waitUntil(() => filesUnder(server.logDir, []).some((file) => readFileSync(file).includes('settings re-applied (API key changed)')), 'the Switchboard log');
    // On disk: settings, ledger, logs, local history, backups, caches (the extension itself is linked in, not searched).
    const onDisk = filesUnder(server.rootDir, [server.extensionsDir]).map((file) => ({ where: path.relative(server.rootDir, file), text: readFileSync(file, 'latin1') }));
    // In the browser: this web workbench keeps workspace state (extensions' workspaceState, webview state), global
    // state and its own logs in IndexedDB, where a desktop VS Code has state.vscdb.
    const inBrowser = await browserStorage(page);
    const at = (entries: StoredEntry[], pattern: RegExp) => entries.filter(({ where }) => pattern.test(where));

    // Each place exists and holds what this session put there, so the search demonstrably sees into it.
    assert.ok(at(onDisk, /User\/settings\.json$/).some(({ text }) => text.includes('switchboard.routes.plan')), 'user settings');
    assert.ok(at(onDisk, /^ledger\.jsonl$/).some(({ text }) => text.includes('gpt-5.5')), 'the ledger');
    const logs = [...at(onDisk, /(^|\/)logs\//), ...at(inBrowser, /vscode-logs-store/)];
    assert.ok(logs.some(({ text }) => text.includes('settings re-applied (API key changed)')), 'the Switchboard log');
    assert.ok(at(inBrowser, /^vscode-web-state-db-[^g].*\/switchboard-dev\.switchboard$/).some(({ text }) => text.includes(CHAT_QUESTION)), 'workspace state holds the chat history');
    assert.equal(at(inBrowser, /webviewView\.switchboard\.chat$/).length, 1, 'the chat webview state');
    assert.ok(at(inBrowser, /^vscode-web-state-db-global\//).length > 10, 'global state');

    const found: string[] = [];
    for (const { where, text } of [...onDisk, ...inBrowser]) {
      for (const [what, key] of Object.entries(KEYS)) if (text.includes(key)) found.push(`${what} in ${where}`);
    }
    for (const { where, text } of logs) {
      for (const prompt of [CHAT_QUESTION, PLAN_GOAL, 'invoice.lines.reduce', 'DATABASE_URL']) if (text.includes(prompt)) found.push(`prompt text "${prompt}" in ${where}`);
    }
    assert.deepEqual(found, [], `searched ${onDisk.length} files under ${server.rootDir} and ${inBrowser.length} IndexedDB entries`);
  });
});

/** Brings an open editor to the front by its tab (Quick Open's first row is another file once several are open). */
async function showTab(page: Page, name: string): Promise<void> {
  await page.locator('.tab', { hasText: name }).first().click();
  await page.locator('.tab.active').filter({ hasText: name }).waitFor({ state: 'visible' });
}

/** Regular files under `dir`, not following links (the extension is linked in from the repository), skipping `skip`. */
function filesUnder(dir: string, skip: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    if (skip.includes(current)) return;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && lstatSync(full).size > 0) files.push(full);
    }
  };
  walk(dir);
  return files;
}

interface StoredEntry {
  /** database / object store / key */
  where: string;
  text: string;
}

/**
 * Everything the workbench keeps in the browser: code-server's web workbench
 * stores workspace state (extensions' workspaceState, webview state), global
 * state and SecretStorage in IndexedDB, where a desktop VS Code has state.vscdb.
 */
async function browserStorage(page: Page): Promise<StoredEntry[]> {
  // Plain JavaScript: a function passed from here would carry the test loader's helpers into the page.
  return page.evaluate<StoredEntry[]>(DUMP_INDEXED_DB);
}

const DUMP_INDEXED_DB = `(async () => {
  const asText = (value) => {
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array || value instanceof ArrayBuffer) return new TextDecoder().decode(value);
    try {
      return JSON.stringify(value, (key, inner) => (inner instanceof Uint8Array ? new TextDecoder().decode(inner) : inner)) ?? String(value);
    } catch {
      return String(value);
    }
  };
  const settle = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const entries = [];
  for (const info of await indexedDB.databases()) {
    const db = await settle(indexedDB.open(info.name));
    for (const storeName of Array.from(db.objectStoreNames)) {
      const store = db.transaction(storeName, 'readonly').objectStore(storeName);
      const [keys, values] = await Promise.all([settle(store.getAllKeys()), settle(store.getAll())]);
      keys.forEach((key, index) => entries.push({ where: info.name + '/' + storeName + '/' + asText(key), text: asText(values[index]) }));
    }
    db.close();
  }
  return entries;
})()`;

/** The text of the page and of every frame in it (webviews sit in nested iframes), inputs' values included. */
async function domTexts(page: Page): Promise<string[]> {
  const texts: string[] = [];
  const read = (frame: Frame) =>
    frame
      .evaluate(() => {
        const values = Array.from(document.querySelectorAll('input, textarea'), (element) => (element as HTMLInputElement).value);
        return [document.body?.innerText ?? '', document.body?.textContent ?? '', ...values].join('\n');
      })
      .catch(() => '');
  for (const frame of page.frames()) texts.push(await read(frame));
  return texts;
}
