import assert from 'node:assert/strict';
import { closedPort } from '../fakes/closedPort';
import { captureFailuresAndCloseAfterSuite, openWorkbench, runCommand, waitForEditorText, type Workbench } from './harness';

/**
 * Switchboard: Check Setup on a first run that does not work yet: its closing line says what to do next, and names
 * a provider that is set up but did not answer (a local server not started) before the ways to set one up.
 */
describe('Check Setup in the workbench', () => {
  let workbench: Workbench;
  let serverUrl: string;

  before(async () => {
    // A local server set in User settings, as "Use a Local Server…" writes it, whose address nothing listens on.
    serverUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    workbench = await openWorkbench({ userSettings: { 'switchboard.providers.openai.baseUrl': serverUrl } });
  });

  captureFailuresAndCloseAfterSuite(() => workbench);

  it('names the local server that did not answer, and that it should be started, rather than only "Set API Key…"', async () => {
    const { page } = workbench;
    await runCommand(page, 'Switchboard: Check Setup');
    const text = await waitForEditorText(page, /^Nothing can answer: /m);
    const closing = text.split('\n').find((line) => line.startsWith('Nothing can answer: '))!;
    assert.ok(closing.startsWith(`Nothing can answer: openai did not answer (openai could not be reached: connection refused (ECONNREFUSED); its baseUrl is ${serverUrl}: is a server running there?;`), closing);
    assert.match(closing, /Mend that and run "Switchboard: Check Setup" again, or run "Switchboard: Set API Key…"/);
  });
});
