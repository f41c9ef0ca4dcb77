import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import {
  captureFailuresAndCloseAfterSuite,
  notificationToast,
  openWorkbench,
  runCommand,
  runCommandWithInput,
  visibleDocumentLines,
  waitForEditorText,
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
 * A first setup gone wrong in three ways Check Setup must name: an Anthropic key set in the environment as a .env line
 * that kept its quotes (docker --env-file, systemd), an Anthropic key in OPENAI_API_KEY that the OpenAI-compatible
 * server refuses, and an AWS profile whose own region is not the one used. Each line says what is wrong and what to set.
 */
describe('Check Setup with a key in quotes, a misplaced key and an AWS profile region', () => {
  let workbench: Workbench;
  let server: FakeServer;
  const awsDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-check-setup-e2e-'));

  before(async () => {
    server = await startFakeOpenAI({ apiKey: fakeKeys.openai('right') });
    const awsConfig = path.join(awsDir, 'config');
    writeFileSync(awsConfig, '[profile work]\nregion = eu-west-1\n');
    workbench = await openWorkbench({
      env: {
        ANTHROPIC_API_KEY: `"${fakeKeys.anthropic('quoted')}"`,
        OPENAI_API_KEY: fakeKeys.anthropic('misplaced'),
        AWS_CONFIG_FILE: awsConfig,
        AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
        AWS_PROFILE: 'work',
      },
      // The workbench's extension host is a remote one, where a loopback server gets the key only once allowed.
      userSettings: { 'switchboard.providers.openai.baseUrl': `${server.url}/v1`, 'switchboard.providers.openai.sendKeyTo': ['127.0.0.1'] },
    });
  });

  captureFailuresAndCloseAfterSuite(() => workbench);
  after(async () => {
    await server?.close();
    rmSync(awsDir, { recursive: true, force: true });
  });

  it('names each: the key in quotes, the Anthropic key in OPENAI_API_KEY, the profile region not used', async () => {
    const { page } = workbench;
    await runCommand(page, 'Switchboard: Check Setup');
    await waitForEditorText(page, /^Switchboard setup check/m);
    // The providers' lines, a page at a time down to the routes (wrapped rows joined back into their line).
    await page.keyboard.press('Control+Home');
    const byNumber = new Map<number, string>();
    for (let pages = 0; pages < 10 && ![...byNumber.values()].includes('routes:'); pages++) {
      for (const [number, text] of (await visibleDocumentLines(page)).lines) if ((byNumber.get(number)?.length ?? -1) < text.length) byNumber.set(number, text);
      await page.keyboard.press('PageDown');
    }
    const lines = [...byNumber.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
    assert.ok(
      lines.includes(
        '  credentials: the anthropic API key in ANTHROPIC_API_KEY is wrapped in quotes (as a .env file writes it; docker --env-file and systemd keep them), so it is not sent; set ANTHROPIC_API_KEY to the key alone, without the quotes',
      ),
      lines.join('\n'),
    );
    const answers = lines.find((line) => line.startsWith('  answers:     no: openai rejected its API key (401)'));
    assert.ok(answers, lines.join('\n'));
    assert.ok(
      answers.includes('; the key in OPENAI_API_KEY looks like an Anthropic key (sk-ant-…): store it with "Switchboard: Set Anthropic API Key" or set ANTHROPIC_API_KEY'),
      answers,
    );
    assert.ok(
      lines.some((line) =>
        line.startsWith(`  region:      us-east-1 (default; the region of profile "work" in ${path.join(awsDir, 'config')} is eu-west-1, not used: to use it, set switchboard.providers.bedrock.region or AWS_REGION to eu-west-1,`),
      ),
      lines.join('\n'),
    );
    for (const key of [fakeKeys.anthropic('quoted'), fakeKeys.anthropic('misplaced')]) assert.ok(!lines.some((line) => line.includes(key.slice(-12))), 'no key is shown');
  });
});
