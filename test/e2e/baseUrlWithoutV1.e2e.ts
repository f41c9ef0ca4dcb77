import assert from 'node:assert/strict';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { captureFailuresAndCloseAfterSuite, notificationToast, openWorkbench, runCommand, runCommandWithInput, waitForEditorText, type Workbench } from './harness';

const HINT = "check its baseUrl (an OpenAI-compatible API's ends in /v1)";

/**
 * LM Studio set up with its address but without `/v1` (http://localhost:1234), as a new user types it: LM Studio
 * answers every path it does not serve with a 200 and `{"error":"Unexpected endpoint or method. (…)"}`. Check Setup
 * read that as a server listing no models; an Ask said only LM Studio's words. Both now say to check the baseUrl.
 */
describe('A local server set up without /v1 in its address', () => {
  let workbench: Workbench;
  let lmStudio: FakeServer;

  before(async () => {
    lmStudio = await startFakeOpenAI({ unknownPath: 'lmstudio' });
    workbench = await openWorkbench({ userSettings: { 'switchboard.providers.openai.baseUrl': lmStudio.url } });
  });

  captureFailuresAndCloseAfterSuite(() => workbench);
  after(() => lmStudio.close());

  it("says in Check Setup that the server's answer is LM Studio's for a path it does not serve, and to check the baseUrl", async () => {
    const { page } = workbench;
    await runCommand(page, 'Switchboard: Check Setup');
    await waitForEditorText(page, /^Switchboard setup check/m);
    // A long line wraps in the report: any run of spaces may be a row's end.
    await waitForEditorText(page, /Unexpected\s+endpoint\s+or\s+method\.\s+\(GET\s+\/models\):\s+check\s+its\s+baseUrl/);
  });

  it('says to check the baseUrl when an Ask fails on it', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Close All Editors');
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Is the server up?');
    // The failure's toast, not the progress toast ("Switchboard: Ask: waiting for openai:gpt-5.4…") shown before it.
    const toast = notificationToast(page, /openai rejected the request/);
    await toast.first().waitFor({ state: 'visible' });
    // The toast wraps its text where it likes, after a hyphen too ("OpenAI-" / "compatible"): compare without white space.
    const text = await toast.first().innerText();
    assert.ok(text.replace(/\s+/g, '').includes(HINT.replace(/\s+/g, '')), text);
  });
});
