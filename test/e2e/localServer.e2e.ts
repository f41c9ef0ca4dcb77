import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { closedPort } from '../fakes/closedPort';
import type { FakeServer } from '../fakes/fakeServer';
import { startFakeOpenAI } from '../fakes/openaiFake';
import {
  closeSettings,
  fakes,
  inputRefusal,
  notificationToast,
  page,
  quickPickRows,
  readUserSettings,
  runCommand,
  runCommandReplacingInput,
  runCommandWithInput,
  waitForEditorText,
  waitForSwitchboardReady,
  setLocalServer,
  useWorkbenchOnFakes,
  waitUntil,
  workbench,
} from './harness';

/** Edits switchboard.providers.openai.baseUrl in the Settings editor, as a user would, leaving the editor open. */
async function editBaseUrlIn(page: Page, url: string): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings');
  await page.locator('.settings-editor .search-container').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('switchboard.providers.openai.baseUrl');
  await setLocalServer(page, url);
}

/**
 * The first hour with Ollama, LM Studio or vLLM: the default routes name OpenAI's models, which a local server
 * answers "model not found". Once the server is set, Switchboard asks it for its models and offers to route to them,
 * writing the User settings the user picks and keeping the routes that already name one of its models.
 */
describe('A local server set up from Switchboard', () => {
  let lmStudio: FakeServer;
  /** The user's own plan route: it names a model the first server lists, so it is theirs to keep. */
  const OWN_PLAN = ['anthropic:claude-opus-5', 'openai:llama3.1:8b'];
  /** The user's own chat route: its Anthropic fallback can still work, its OpenAI model is not on the server. */
  const OWN_CHAT = ['openai:gpt-5.4', 'anthropic:claude-sonnet-5'];

  const userSettings = (): Promise<Record<string, unknown>> => readUserSettings(workbench);

  /** The first server, Ollama's models: the fake OpenAI, which the workbench is not pointed at. */
  const ollama = () => fakes.openai;

  // No key and no server: what a new user has. Auto off, so Ask goes to the chat route's first model.
  useWorkbenchOnFakes(
    { userSettings: { 'switchboard.routes.plan': OWN_PLAN, 'switchboard.routes.chat': OWN_CHAT, 'switchboard.auto.enabled': false } },
    { fakeProviders: { openai: { models: ['nomic-embed-text:latest', 'bge-m3:latest', 'llama3.1:8b', 'qwen2.5-coder:1.5b'] } }, pointAtFakes: false, waitForReady: false },
  );

  // The second server, LM Studio's models; closed after the workbench and the fakes.
  before(async () => {
    lmStudio = await startFakeOpenAI({ models: ['mistral:7b', 'llama3.1:8b'] });
  });
  after(async () => {
    await lmStudio?.close();
  });

  const editBaseUrl = (url: string) => editBaseUrlIn(page, url);

  it('refuses an address pasted with /v1/chat/completions on it, naming the address to write, and writes nothing', async () => {
    const said = await inputRefusal(page, 'Switchboard: Use a Local Server…', 'Switchboard: Local server address', `${ollama().url}/v1/chat/completions`, /ends in \/chat\/completions/);
    assert.ok(said.includes(`This address ends in /chat/completions, the path of one request: the OpenAI SDK adds it to each request itself, so write the address before it, "${ollama().url}/v1"`), said);
    assert.equal((await userSettings())['switchboard.providers.openai.baseUrl'], undefined);
  });

  it("asks for the server's address, lists its models and writes the suggested routes to User settings, the user's own plan route kept", async () => {
    await runCommandReplacingInput(page, 'Switchboard: Use a Local Server…', 'Switchboard: Local server address', 'http://localhost:11434/v1', `${ollama().url}/v1`);
    const suggested = 'Route inline completions to qwen2.5-coder:1.5b, chat to llama3.1:8b';
    const rows = quickPickRows(page);
    await rows.filter({ hasText: suggested }).first().waitFor({ state: 'visible' });
    const labels = await rows.allInnerTexts();
    assert.ok(labels[0]?.includes('suggested'), `the suggestion comes first: ${labels.join(' | ')}`);
    assert.ok(labels.some((label) => label.includes('Route inline completions / chat to llama3.1:8b')), labels.join(' | '));
    assert.ok(!labels.some((label) => label.includes('nomic-embed-text') || label.includes('bge-m3')), 'an embedding model is not offered, one whose name says no "embed" either');
    assert.ok(labels.some((label) => label.includes('Keep my routes')), labels.join(' | '));
    assert.ok(!labels.some((label) => label.includes('plan')), 'the plan route already names one of its models');
    assert.match(labels[0]!, /then your fallback anthropic:claude-sonnet-5; openai:gpt-5\.4 dropped \(not on this server\)/, 'the pick says what happens to the fallbacks');
    assert.ok(labels.some((label) => label.includes(`${suggested}, no fallbacks`)), `the choice to keep nothing else: ${labels.join(' | ')}`);
    await rows.filter({ hasText: suggested }).first().click();

    const toast = notificationToast(page, 'Written to switchboard.routes.completion, switchboard.routes.chat in your User settings');
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /then your fallback anthropic:claude-sonnet-5; openai:gpt-5\.4 dropped \(not on this server\)/);
    const written = await userSettings();
    assert.equal(written['switchboard.providers.openai.baseUrl'], `${ollama().url}/v1`);
    assert.deepEqual(written['switchboard.routes.completion'], ['openai:qwen2.5-coder:1.5b'], 'a default route: its cloud models were nobody\'s choice to keep');
    assert.deepEqual(written['switchboard.routes.chat'], ['openai:llama3.1:8b', 'anthropic:claude-sonnet-5'], "the user's fallback that can still work kept after the server's model");
    assert.deepEqual(written['switchboard.routes.plan'], OWN_PLAN);
    assert.ok(ollama().requests.some((request) => request.method === 'GET' && request.path === '/v1/models'), 'the server was asked for its models');
  });

  it('then answers from the model it routed to', async () => {
    await waitForSwitchboardReady(page);
    ollama().scriptModel('llama3.1:8b', { text: 'Answered locally.' });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Hello?');
    await waitForEditorText(page, /Answered by openai:llama3\.1:8b/);
  });

  it('says which URL did not answer when the setting is edited to a server that is not running', async () => {
    const port = await closedPort();
    await editBaseUrl(`http://127.0.0.1:${port}/v1`);
    const toast = notificationToast(page, `http://127.0.0.1:${port}/v1/models could not be reached`);
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /is the server running\?/);
    await toast.getByRole('button', { name: 'Retry' }).waitFor({ state: 'visible' });
    await closeSettings(page);
  });

  it('offers, when the setting is edited to another server, only the routes that name none of its models, and writes the one picked', async () => {
    await editBaseUrl(`${lmStudio.url}/v1`);
    const offer = `the server at ${lmStudio.url}/v1 serves 2 models, but your routes for inline completions name none of them`;
    const toast = notificationToast(page, offer);
    await toast.waitFor({ state: 'visible' });
    // From the toast, over the Settings editor: the notification center's own commands would type into the pick.
    await toast.getByRole('button', { name: 'Choose Models…' }).click();
    const row = quickPickRows(page).filter({ hasText: 'Route inline completions to llama3.1:8b' });
    await row.waitFor({ state: 'visible' });
    await row.click();
    await waitUntil(async () => JSON.stringify((await userSettings())['switchboard.routes.completion']) === JSON.stringify(['openai:llama3.1:8b']), 'the completion route written');
    const written = await userSettings();
    assert.deepEqual(written['switchboard.routes.chat'], ['openai:llama3.1:8b', 'anthropic:claude-sonnet-5'], 'chat already named one of its models');
    assert.deepEqual(written['switchboard.routes.plan'], OWN_PLAN);
  });
});

/**
 * VS Code started with OPENAI_BASE_URL (from the user's shell): no setting was written, so no offer came; the
 * default routes name OpenAI's models. The window is remote (VS Code's server), so the address is used once the
 * user confirmed it; then Switchboard asks that server for its models and offers routes to them, once per address.
 */
describe('A local server named by OPENAI_BASE_URL', () => {
  let other: FakeServer;

  const userSettings = (): Promise<Record<string, unknown>> => readUserSettings(workbench);
  /** The server OPENAI_BASE_URL names: the fake OpenAI, which nothing else points the workbench at. */
  const ollama = () => fakes.openai;

  useWorkbenchOnFakes((started) => ({ env: { OPENAI_BASE_URL: `${started.openai.url}/v1` }, userSettings: { 'switchboard.auto.enabled': false } }), {
    fakeProviders: { openai: { models: ['llama3.1:8b', 'qwen2.5-coder:1.5b'] } },
    pointAtFakes: false,
    waitForReady: false,
  });

  // A second server, set in the setting over the variable's; closed after the workbench and the fakes.
  before(async () => {
    other = await startFakeOpenAI({ models: ['mistral:7b'] });
  });
  after(async () => {
    await other?.close();
  });

  it('asks first whether to use the address (the window is remote), then offers to route to its models, writes the pick, and answers from it', async () => {
    // The workbench is VS Code's server in a browser: a remote window, whose environment a dev container could set.
    const question = notificationToast(page, `the OPENAI_BASE_URL environment variable of this remote window`);
    await question.waitFor({ state: 'visible' });
    assert.match((await question.textContent()) ?? '', new RegExp(`to ${ollama().url.replace(/[.]/g, '\\.')}/v1\\. A repository's dev container configuration can set it\\. Use this server\\?`));
    assert.equal(ollama().requests.length, 0, 'nothing asked of the server before the user confirmed it');
    await question.getByRole('button', { name: 'Use This Server' }).click();
    const toast = notificationToast(page, `the server at ${ollama().url}/v1 (your OPENAI_BASE_URL environment variable) serves 2 models, but your routes for inline completions, chat, plan name none of them`);
    await toast.waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Choose Models…' }).click();
    const row = quickPickRows(page).filter({ hasText: 'Route inline completions to qwen2.5-coder:1.5b, chat to llama3.1:8b, plan to llama3.1:8b' });
    await row.waitFor({ state: 'visible' });
    await row.click();
    await waitUntil(async () => JSON.stringify((await userSettings())['switchboard.routes.chat']) === JSON.stringify(['openai:llama3.1:8b']), 'the chat route written');
    assert.equal((await userSettings())['switchboard.providers.openai.baseUrl'], undefined, 'the server stays the variable’s: no setting is written for it');

    await waitForSwitchboardReady(page);
    ollama().scriptModel('llama3.1:8b', { text: 'Answered by the server the environment names.' });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Hello?');
    await waitForEditorText(page, /Answered by openai:llama3\.1:8b/);
  });

  it('offers its models again when clearing the setting hands requests back to it and the routes name none of them', async () => {
    // Another server in the setting, routed to: the routes now name only its model.
    await editBaseUrlIn(page, `${other.url}/v1`);
    const otherOffer = notificationToast(page, `the server at ${other.url}/v1 serves mistral:7b, but your routes for inline completions, chat, plan name none of them`);
    await otherOffer.waitFor({ state: 'visible' });
    await otherOffer.getByRole('button', { name: 'Choose Models…' }).click();
    await quickPickRows(page).filter({ hasText: 'Route inline completions / chat / plan to mistral:7b' }).first().click();
    await waitUntil(async () => JSON.stringify((await userSettings())['switchboard.routes.chat']) === JSON.stringify(['openai:mistral:7b']), 'the chat route written for the other server');

    // Cleared: OPENAI_BASE_URL's server is used again, offered at the start already, but the routes were written since.
    await setLocalServer(page, '');
    const envOffer = notificationToast(page, `the server at ${ollama().url}/v1 (your OPENAI_BASE_URL environment variable) serves 2 models, but your routes for inline completions, chat, plan name none of them`);
    await envOffer.waitFor({ state: 'visible' });
    assert.equal((await userSettings())['switchboard.providers.openai.baseUrl'] ?? '', '', 'the setting is cleared');
    // The Settings editor first, while it has the focus for Escape; the offer stays until answered.
    await closeSettings(page);
    await envOffer.getByRole('button', { name: 'Keep my routes' }).click();
    await envOffer.waitFor({ state: 'hidden' });
  });
});
