import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { formatUsd } from '../../src/core/cost';
import {
  fakes,
  ghostTextDecorations,
  goToLineEnd,
  goToPosition,
  openFile,
  page,
  QUIET_EDITOR_SETTINGS,
  readLedger,
  runCommand,
  waitForGhostText,
  waitForLedgerRecord,
  useWorkbenchOnFakes,
  waitForStatusBarText,
  waitUntil,
  webviewFrame,
  workbench,
} from './harness';

const STATUS = { id: 'switchboard.status' };
const FILE = 'src/geometry.ts';
// Excluded by the default switchboard.exclude (its .env pattern).
const SECRETS = '.env.local';
/** A shell script whose line 2 ends with a joining backslash: the command goes on below it. */
const SHELL_SCRIPT = 'scripts/serve.sh';
const SHELL_SOURCE = 'serve() {\n  docker run \\\n}\n';
/** One function per scenario, so each types at a place of its own; line numbers below are 1-based. */
const SOURCE = [
  'export function area(width: number, height: number): number {',
  '  return width', // 2: accept with Tab
  '}',
  '',
  'export function perimeter(width: number, height: number): number {',
  '  return', // 6: type into the suggestion
  '}',
  '',
  'export function diagonal(width: number, height: number): number {',
  '  return', // 10: the model answers only fences
  '}',
  '',
  'export function label(width: number, height: number): string {',
  '  const text = `${width} x ${height}`;', // 14: Enter here, and the model repeats the line below
  '  return text;',
  '}',
  '',
  'export function ratio(width: number, height: number): number {',
  '  return', // 19, 20 by then (the Enter on line 14 adds a line): the first model is rate-limited
  '}',
  '',
  'export function midpoint(from: number, to: number): number {',
  '  return', // 23, before the Enter on line 14: a thinking model's <think> block comes before the code
  '}',
  '',
].join('\n');

/** Issue 4: ghost text from the completion route in a real editor, typed at like a person. */
describe('Inline completions in the editor', () => {
  useWorkbenchOnFakes({
    files: { [FILE]: SOURCE, [SECRETS]: 'API_URL=https://example.test\nTOKEN=', [SHELL_SCRIPT]: SHELL_SOURCE },
    userSettings: {
      'switchboard.routes.completion': ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'],
      'switchboard.completion.debounceMs': 50,
      // The TypeScript suggest list would otherwise take Tab from the ghost text now and then.
      ...QUIET_EDITOR_SETTINGS,
    },
  });
  before(async () => {
    await openFile(page, FILE);
  });

  it('shows ghost text from the completion model while typing, and Tab accepts it', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'height;', usage: { inputTokens: 400, outputTokens: 3 } });
    await goToLineEnd(page, 2);
    await page.keyboard.type(' * ', { delay: 20 });
    await waitForGhostText(page, 'height;');
    const asked = lastRequestBody(fakes.openai.requests);
    assert.equal(asked.model, 'gpt-5.4-nano');
    assert.match(JSON.stringify(asked.messages), /return width \* /, 'the prompt holds the text before the cursor');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+S');
    await waitForFileLine(2, '  return width * height;');

    const record = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'completion' && r.model === 'gpt-5.4-nano' && !r.servedFrom, 'a completion');
    // Tab starts another request at the new cursor position, so the readout may show "waiting" a moment first.
    await waitForStatusBarText(page, STATUS, new RegExp(`^gpt-5\\.4-nano · ${escapeRegExp(formatUsd(record.costUsd))} · today \\$[\\d.]+$`));
  });

  it("shows only the code, never a thinking model's <think> block a local server left in the answer, and Tab inserts only that", async () => {
    // Older Ollama, llama.cpp with --reasoning-format none: the reasoning streams in `content`, a tag split over chunks.
    fakes.openai.scriptModel('gpt-5.4-nano', { text: '<think>\nHalfway between the two.\n</think>\n\n(from + to) / 2;', chunks: 12 });
    await goToLineEnd(page, 23);
    await page.keyboard.type(' ', { delay: 20 });
    await waitForGhostText(page, '(from + to) / 2;');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+S');
    await waitForFileLine(23, '  return (from + to) / 2;');
  });

  it('keeps the suggestion while the user types its first characters, without asking the model again', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: '2 * (width + height);' });
    await goToLineEnd(page, 6);
    await page.keyboard.type(' ');
    await waitForGhostText(page, '2 * (width + height);');
    const requests = fakes.openai.requests.length;

    await page.keyboard.type('2 * ', { delay: 60 });
    await waitForGhostText(page, '(width + height);');
    assert.equal(fakes.openai.requests.length, requests, 'typing what the ghost text says makes no request');
    await page.keyboard.press('Escape');
    await ghostTextDecorations(page).first().waitFor({ state: 'hidden' });

    // Served completions are counted per minute; opening the cost dashboard writes the minute's count so far.
    await runCommand(page, 'Switchboard: Show Costs');
    const served = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.servedFrom === 'typed-through', 'the count of completions served while typing through');
    assert.ok((served.count ?? 1) >= 1);
    assert.equal(fakes.openai.requests.length, requests);
    // The page counts them too: every completion served without a request the ledger holds (this test's and earlier ones').
    const dashboard = await webviewFrame(page, '#switchboard-costs #total-served');
    await dashboard.locator('#total-served').waitFor({ state: 'visible' });
    let shown = '';
    let inLedger = 0;
    await waitUntil(
      async () => {
        inLedger = readLedger(workbench.server.ledgerPath).reduce((sum, r) => sum + (r.servedFrom ? (r.count ?? 1) : 0), 0);
        shown = await dashboard.locator('#total-served').innerText();
        return inLedger >= 1 && Number(shown.replace(/,/g, '')) === inLedger;
      },
      () => `the dashboard to show the ${inLedger} completions served without a request (it shows "${shown}")`,
    );
    assert.match(await dashboard.locator('#savings-note').innerText(), /ghost-text suggestions? served without a request/);
    await runCommand(page, 'View: Close Editor');
    await openFile(page, FILE);
  });

  it('shows nothing, and no error, when the model answers only fences and blank lines', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: '```typescript\n\n```\n' });
    const recorded = completionRecords();
    await goToLineEnd(page, 10);
    await page.keyboard.type(' ');
    await waitUntil(() => completionRecords() > recorded, 'the completion request to finish');
    await assertStaysHidden(ghostTextDecorations(page));
    assert.equal(await page.locator('.notification-toast').count(), 0, 'no notification');
  });

  it('shows nothing when the model only repeats the code after the cursor', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return text;' });
    const recorded = completionRecords();
    await goToLineEnd(page, 14);
    await page.keyboard.press('Enter');
    await waitUntil(() => completionRecords() > recorded, 'the completion request to finish');
    await assertStaysHidden(ghostTextDecorations(page));
    assert.equal(await page.locator('.notification-toast').count(), 0, 'no notification');
  });

  it('falls back to the next model of the route when the first is rate-limited, and still shows ghost text', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { status: 429, retryAfterMs: '1' });
    fakes.anthropic.scriptModel('claude-haiku-4-5', { text: 'width / height;' });
    const openaiBefore = fakes.openai.requests.length;
    const anthropicBefore = fakes.anthropic.requests.length;
    // Line 19 of SOURCE, one lower since the Enter at line 14 (this typed after ratio's `{` before: a body glued on a
    // brace now goes below it, and the suggestion is no longer on the line).
    await goToLineEnd(page, 20);
    await page.keyboard.type(' ');
    await waitForGhostText(page, 'width / height;');
    assert.ok(fakes.openai.requests.length > openaiBefore, 'gpt-5.4-nano was asked first');
    assert.ok(fakes.anthropic.requests.length > anthropicBefore, 'claude-haiku-4-5 answered');
    await waitForStatusBarText(page, STATUS, /^claude-haiku-4-5 · \$[\d.]+ · today \$[\d.]+ \(gpt-5\.4-nano failed\)$/);
    await page.keyboard.press('Escape');
    await ghostTextDecorations(page).first().waitFor({ state: 'hidden' });
  });

  it('says why nothing comes when the user asks for ghost text (Alt+\\) in an excluded file, and asks no model', async () => {
    const requests = fakes.openai.requests.length + fakes.anthropic.requests.length;
    await openFile(page, SECRETS);
    await goToLineEnd(page, 2);
    // The palette's name for Alt+\ (whose keystroke a browser may keep for itself).
    await runCommand(page, 'Trigger Inline Suggestion');
    await page
      .locator('[id="workbench.parts.statusbar"]')
      .getByText('Switchboard: no ghost text here: this file is excluded by switchboard.exclude')
      .waitFor({ state: 'visible' });
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, requests, 'nothing from .env.local was sent');
    await runCommand(page, 'View: Close Editor');
  });

  it('puts a shell command\'s continuation below its backslash, indented as a continuation, and Tab accepts it', async () => {
    // The model glues its answer onto the backslash, from column 0: shown as it came, `docker run \--rm` would escape
    // the `-` and end the command.
    fakes.openai.scriptModel('gpt-5.4-nano', { text: '--rm \\\nnginx' });
    await openFile(page, SHELL_SCRIPT);
    await goToLineEnd(page, 2);
    await runCommand(page, 'Trigger Inline Suggestion');
    // Nothing is suggested on the backslash's line: the suggestion's lines are drawn below it, in a zone of their own
    // (no ghost-text decoration on the line); the file has no `nginx` of its own.
    await page.locator('[id="workbench.parts.editor"] .monaco-editor').getByText('nginx', { exact: true }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+S');
    await waitUntil(
      () => readFileSync(path.join(workbench.workspace, SHELL_SCRIPT), 'utf8') === 'serve() {\n  docker run \\\n    --rm \\\n    nginx\n}\n',
      () => `${SHELL_SCRIPT} to read the continuation below the backslash (it reads ${JSON.stringify(readFileSync(path.join(workbench.workspace, SHELL_SCRIPT), 'utf8'))})`,
    );
    await runCommand(page, 'View: Close Editor');
  });

  it('ends a heredoc\'s text at its delimiter when the model closes it at an empty line; Tab accepts only that', async () => {
    const script = 'scripts/usage.sh';
    writeFileSync(path.join(workbench.workspace, script), 'usage() {\n  cat <<EOF\nUsage: serve [port]\n\n}\n');
    // The model closes the text and goes on with code: that code is not the heredoc's, and is not suggested.
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'EOF\necho "after the usage"' });
    await openFile(page, script);
    await goToLineEnd(page, 4);
    await runCommand(page, 'Trigger Inline Suggestion');
    await waitForGhostText(page, 'EOF');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+S');
    await waitUntil(
      () => readFileSync(path.join(workbench.workspace, script), 'utf8') === 'usage() {\n  cat <<EOF\nUsage: serve [port]\nEOF\n}\n',
      () => `${script} to read the delimiter and nothing after it (it reads ${JSON.stringify(readFileSync(path.join(workbench.workspace, script), 'utf8'))})`,
    );
    await runCommand(page, 'View: Close Editor');
  });

  function completionRecords(): number {
    return readLedger(workbench.server.ledgerPath).filter((r) => r.task === 'completion').length;
  }

  async function waitForFileLine(line: number, expected: string): Promise<void> {
    const file = path.join(workbench.workspace, FILE);
    let actual: string | undefined;
    await waitUntil(
      () => (actual = readFileSync(file, 'utf8').split('\n')[line - 1]) === expected,
      () => `line ${line} of ${FILE} on disk to read ${JSON.stringify(expected)} (it reads ${JSON.stringify(actual)})`,
    );
  }
});

function lastRequestBody(requests: readonly { body: unknown }[]): { model?: string; messages?: unknown } {
  return (requests.at(-1)?.body ?? {}) as { model?: string; messages?: unknown };
}

/**
 * Absence can only be observed over time: the request has finished (the
 * ledger has it), so a suggestion would appear within a few frames.
 */
async function assertStaysHidden(locator: Locator, forMs = 500): Promise<void> {
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    assert.equal(await locator.count(), 0, 'no ghost text is shown');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** With several lines always asked (switchboard.completion.multiline "always"), in a shell script. */
describe('Inline completions with several lines always asked', () => {
  const script = 'scripts/greet.sh';
  useWorkbenchOnFakes({
    files: { [script]: 'greet() {\n  echo "hello\\"\n}\n' },
    userSettings: {
      'switchboard.routes.completion': ['openai:gpt-5.4-nano'],
      'switchboard.completion.debounceMs': 50,
      'switchboard.completion.multiline': 'always',
      ...QUIET_EDITOR_SETTINGS,
    },
  });

  it('keeps an escape typed before the closing quote on its line (the backslash there joins no line), and Tab accepts it', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'n' });
    await openFile(page, script);
    // After `  echo "hello\`, before the closing quote.
    await goToPosition(page, 2, 15);
    await runCommand(page, 'Trigger Inline Suggestion');
    await waitForGhostText(page, 'n');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+S');
    await waitUntil(
      () => readFileSync(path.join(workbench.workspace, script), 'utf8') === 'greet() {\n  echo "hello\\n"\n}\n',
      () => `${script} to read the escape on its line (it reads ${JSON.stringify(readFileSync(path.join(workbench.workspace, script), 'utf8'))})`,
    );
  });
});
