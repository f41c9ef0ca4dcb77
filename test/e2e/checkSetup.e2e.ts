import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import {
  captureFailuresAndCloseAfterSuite,
  notificationToast,
  openWorkbench,
  runCommand,
  runCommandWithInput,
  visibleDocumentLines,
  waitForEditorText,
  waitUntil,
  type Workbench,
} from './harness';

/**
 * Switchboard: Check Setup on a first run that does not work yet: its closing line says what to do next, and names
 * a provider that is set up but did not answer (a local server not started) before the ways to set one up. The
 * report wraps its long lines, and says each provider's reason once. An Ask that fails on that server offers Check
 * Setup beside Open Log.
 */
describe('Check Setup in the workbench', () => {
  let workbench: Workbench;
  let serverUrl: string;
  /** A key in the server's query, as some gateways take it: the report shows the parameter, never its value. */
  const queryKey = 'qk-9Xy4mT';

  before(async () => {
    // A local server set in User settings, as "Use a Local Server…" writes it, whose address nothing listens on.
    serverUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    workbench = await openWorkbench({ userSettings: { 'switchboard.providers.openai.baseUrl': `${serverUrl}?api-key=${queryKey}` } });
  });

  captureFailuresAndCloseAfterSuite(() => workbench);

  /** The whole report, read a page at a time down to its closing line; every row must fit the editor's width. */
  async function readReport(page: Page): Promise<{ lines: string[]; wrappedRows: number }> {
    await waitForEditorText(page, /^Switchboard setup check/m);
    await page.keyboard.press('Control+Home');
    const byNumber = new Map<number, string>();
    let wrappedRows = 0;
    for (let pages = 0; pages < 20 && ![...byNumber.values()].some((line) => line.startsWith('Nothing can answer: ')); pages++) {
      const seen = await visibleDocumentLines(page);
      assert.equal(seen.overflowing, 0, 'no row runs past the editor\'s right edge');
      wrappedRows += seen.wrappedRows;
      for (const [number, text] of seen.lines) if (!byNumber.has(number) || byNumber.get(number)!.length < text.length) byNumber.set(number, text);
      await page.keyboard.press('PageDown');
    }
    return { lines: [...byNumber.entries()].sort(([a], [b]) => a - b).map(([, text]) => text), wrappedRows };
  }

  it('names the local server that did not answer, and that it should be started, rather than only "Set API Key…"', async () => {
    const { page } = workbench;
    await runCommand(page, 'Switchboard: Check Setup');
    const { lines, wrappedRows } = await readReport(page);
    const closing = lines.find((line) => line.startsWith('Nothing can answer: '));
    assert.ok(closing, lines.join('\n'));
    assert.ok(closing.startsWith(`Nothing can answer: openai did not answer (openai could not be reached: connection refused (ECONNREFUSED); its baseUrl is ${serverUrl}: is a server running there?;`), closing);
    assert.match(closing, /Mend that and run "Switchboard: Check Setup" again, or run "Switchboard: Set API Key…"/);
    assert.ok(lines.includes(`  server:      ${serverUrl}?api-key=*** (from switchboard.providers.openai.baseUrl)`), lines.join('\n'));
    assert.ok(!lines.some((line) => line.includes(queryKey)), 'the key in the server\'s query is shown');
    // The closing line alone is longer than any window: read without scrolling sideways, it is wrapped.
    assert.ok(wrappedRows > 0, 'the long lines wrap');

    // Each provider's reason once, the route entries it takes out under it.
    const section = lines.slice(lines.indexOf('routes naming a provider that cannot answer:') + 1);
    assert.equal(section.filter((line) => line.startsWith('  anthropic cannot be used: ')).length, 1, section.join('\n'));
    assert.equal(section.filter((line) => line.startsWith('  openai did not answer: ')).length, 1, section.join('\n'));
    assert.equal(section.filter((line) => /^ {4}(completion|chat|plan): [a-z]+:/.test(line)).length, 9, 'a line per task and provider: 3 tasks, 3 providers');
  });

  it('offers Check Setup beside Open Log when an Ask fails on the server that is not running, and it opens the report', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Close All Editors');
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Is the server up?');
    const toast = notificationToast(page, /openai/).filter({ has: page.getByRole('button', { name: 'Check Setup' }) });
    await toast.waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Open Log' }).waitFor({ state: 'visible' });
    await toast.getByRole('button', { name: 'Check Setup' }).click();
    const { lines } = await readReport(page);
    assert.ok(lines.some((line) => line.startsWith('Nothing can answer: openai did not answer')), lines.join('\n'));
  });
});

/**
 * A key set in the environment as a .env line that kept its quotes (docker --env-file, systemd): Check Setup says the
 * key is in quotes, names the variable and what to set it to, rather than "check the key" after a 401.
 */
describe('Check Setup with a key in quotes', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ env: { ANTHROPIC_API_KEY: `"${fakeKeys.anthropic('quoted')}"` } });
  });

  captureFailuresAndCloseAfterSuite(() => workbench);

  it('says the key in ANTHROPIC_API_KEY is in quotes and is not sent, and how to set it', async () => {
    const { page } = workbench;
    await runCommand(page, 'Switchboard: Check Setup');
    await waitForEditorText(page, /^Switchboard setup check/m);
    // The anthropic lines come near the top: on the first page, wrapped rows joined back into their line.
    let lines: string[] = [];
    await waitUntil(
      async () => {
        lines = (await visibleDocumentLines(page)).lines.map(([, text]) => text);
        return lines.some((line) => line.startsWith('  credentials: the anthropic API key'));
      },
      () => `the report's anthropic credentials line (it shows: ${lines.join('\n')})`,
    );
    const credentials = lines.find((line) => line.startsWith('  credentials: the anthropic API key'))!;
    assert.equal(
      credentials,
      '  credentials: the anthropic API key in ANTHROPIC_API_KEY is wrapped in quotes (as a .env file writes it; docker --env-file and systemd keep them), so it is not sent; set ANTHROPIC_API_KEY to the key alone, without the quotes',
    );
    assert.ok(!lines.some((line) => line.includes(fakeKeys.anthropic('quoted'))), 'the key is not shown');
  });
});
