import assert from 'node:assert/strict';
import { formatUsd } from '../../src/core/cost';
import type { LedgerRecord } from '../../src/core/ledger';
import {
  clearNotifications,
  fakes,
  hoverStatusBarItem,
  notificationToast,
  quickPickRows,
  readLedger,
  runCommandWithInput,
  statusBarItem,
  useWorkbenchOnFakes,
  waitForEditorText,
  waitForLedgerRecord,
  waitForStatusBarText,
  workbench,
} from './harness';

const STATUS = { id: 'switchboard.status' };
const ANSWER = 'A status bar shows the state of the window at a glance.';

/** Issue 3: the status-bar readout, its tooltip and its quick pick, as a user sees them after asking something. */
describe('Status bar readout in the workbench', () => {
  let firstAnswer: LedgerRecord;

  useWorkbenchOnFakes(
    {
      userSettings: {
        // The first entry is a typo a user could make; the rest of the route must still work.
        'switchboard.routes.chat': ['not a model', 'openai:gpt-5.4', 'anthropic:claude-sonnet-5'],
        // Routes as listed here; Auto's tiers have their own scenarios (autoRouting.e2e.ts).
        'switchboard.auto.enabled': false,
      },
    },
    // Its first test reads the warning before the status bar is ready.
    { waitForReady: false },
  );

  it('warns about an invalid route entry, naming its setting, and still starts', async () => {
    const { page } = workbench;
    const toast = notificationToast(page, 'switchboard.routes.chat[0]');
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /"not a model" is not a model reference/);
    await toast.getByRole('button', { name: 'Open Settings' }).waitFor({ state: 'visible' });
    // Ready, with credentials from the environment: not "no API key", not an error.
    assert.equal(await waitForStatusBarText(page, STATUS, /Switchboard · today/), 'Switchboard · today $0.00');
    await clearNotifications(page);
  });

  it('shows the model, the cost and today\'s total after a question asked from the palette', async () => {
    const { page, server } = workbench;
    fakes.openai.scriptModel('gpt-5.4', { text: ANSWER, usage: { inputTokens: 1200, outputTokens: 300 } });

    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'What does a status bar show?');
    const document = await waitForEditorText(page, /Answered by openai:gpt-5\.4/);
    assert.match(document, /> What does a status bar show\?/);
    assert.ok(document.includes(ANSWER), `the answer document holds the model's answer:\n${document}`);

    firstAnswer = await waitForLedgerRecord(server.ledgerPath, (r) => r.task === 'chat' && r.outcome === 'ok', 'the chat answer');
    assert.equal(firstAnswer.model, 'gpt-5.4', 'the invalid first entry was skipped, the next model asked');
    assert.deepEqual([firstAnswer.usage.inputTokens, firstAnswer.usage.outputTokens], [1200, 300]);
    assert.ok(firstAnswer.costUsd! > 0);
    const cost = formatUsd(firstAnswer.costUsd);
    // The same cost in the document's signature and in the status bar.
    assert.ok(document.includes(`· ${cost} · 1200 in / 300 out`), `the signature states ${cost}:\n${document}`);
    const text = await waitForStatusBarText(page, STATUS, /^gpt-5\.4 · /);
    assert.equal(text, `gpt-5.4 · ${cost} · today ${cost}`);
    assert.equal(await statusBarItem(page, STATUS).locator('.codicon-check').count(), 1);
  });

  it('breaks today\'s spend down by task and by model, with request counts, in the tooltip', async () => {
    const { page } = workbench;
    const hover = await hoverStatusBarItem(page, STATUS);
    const cost = formatUsd(firstAnswer.costUsd);
    const tooltip = await hover.innerText();
    assert.match(tooltip, /Last: openai:gpt-5\.4 \(chat\)/);
    assert.match(tooltip, new RegExp(`Today \\(\\d{4}-\\d\\d-\\d\\d\\): ${escapeRegExp(cost)} over 1 request`));

    const tables = await hover.locator('table').evaluateAll((elements) =>
      elements.map((table) => Array.from(table.querySelectorAll('tr'), (row) => Array.from(row.cells, (cell) => cell.textContent?.trim() ?? ''))),
    );
    const byTask = tables.find((rows) => rows[0]?.[0] === 'task');
    const byModel = tables.find((rows) => rows[0]?.[0] === 'model');
    assert.deepEqual(byTask, [['task', 'requests', 'cost'], ['chat', '1', cost]]);
    assert.deepEqual(byModel, [['model', 'requests', 'cost'], ['openai:gpt-5.4', '1', cost]]);

    await page.mouse.move(10, 10);
    await hover.waitFor({ state: 'hidden' });
  });

  it('lists the recent request and the actions when clicked, and an action runs', async () => {
    const { page } = workbench;
    await statusBarItem(page, STATUS).click();
    const rows = quickPickRows(page);
    const request = rows.filter({ hasText: 'gpt-5.4 ·' });
    await request.waitFor({ state: 'visible' });
    const r = firstAnswer;
    const line = await request.innerText();
    // Model, task, tokens, cost, latency.
    assert.match(line, new RegExp(`gpt-5\\.4 · ${escapeRegExp(formatUsd(r.costUsd))}`));
    assert.ok(line.includes(`chat · 1200→300 tok · ${r.latencyMs} ms`), line);
    assert.ok(line.includes('openai:gpt-5.4'), line);
    for (const action of ['Open Settings', 'Set API Key…', 'Open Log']) {
      await rows.filter({ hasText: action }).waitFor({ state: 'visible' });
    }

    await rows.filter({ hasText: 'Open Log' }).click();
    const channel = page.locator('[id="workbench.parts.panel"] select[aria-label="Switch Output"]').filter({ visible: true }).first();
    await channel.waitFor({ state: 'visible' });
    assert.equal(await channel.inputValue(), 'Switchboard');
    // The log takes the keyboard a moment after it shows; the next step must not race it.
    await page.locator('[id="workbench.parts.panel"] .monaco-editor.focused').waitFor({ state: 'visible' });
  });

  it('shows a recent request\'s details when picked (model, route, why, fallbacks, tokens, cost, latency) and its line in the log', async () => {
    const { page } = workbench;
    const r = firstAnswer;
    await statusBarItem(page, STATUS).click();
    const rows = quickPickRows(page);
    await rows.filter({ hasText: 'gpt-5.4 ·' }).click();
    const title = page.locator('.quick-input-widget:not(.quick-input-widget-closing) .quick-input-title');
    await title.filter({ hasText: /Switchboard · request #\d+ · chat · gpt-5\.4/ }).waitFor({ state: 'visible' });
    const requestId = /#(\d+)/.exec(await title.innerText())![1];

    await rows.filter({ hasText: 'Show in Log' }).waitFor({ state: 'visible' });
    const facts = new Map(
      await rows.evaluateAll((elements) =>
        elements.map((row) => [row.querySelector('.label-name')?.textContent?.trim() ?? '', row.querySelector('.label-description')?.textContent?.trim() ?? ''] as const),
      ),
    );
    assert.equal(facts.get('Model'), 'openai:gpt-5.4', JSON.stringify([...facts]));
    assert.equal(facts.get('Route (chat)'), 'openai:gpt-5.4 → anthropic:claude-sonnet-5');
    assert.match(facts.get('Why this model') ?? '', /route/);
    assert.equal(facts.get('Fallbacks'), 'none');
    assert.equal(facts.get('Tokens'), '1,200 in (0 cache read, 0 cache write) / 300 out');
    assert.equal(facts.get('Cost'), formatUsd(r.costUsd));
    assert.match(facts.get('Latency') ?? '', /^(\d+ ms|\d+\.\d s) in all(, first token after (\d+ ms|\d+\.\d s))?$/);
    assert.equal(facts.get('Outcome'), 'answered');

    await rows.filter({ hasText: 'Show in Log' }).click();
    await page.locator('.tab.active').filter({ hasText: 'Switchboard.log' }).waitFor({ state: 'visible' });
    const selected = page.locator('[id="workbench.parts.editor"] .editor-group-container.active .monaco-editor .selected-text');
    await selected.first().waitFor({ state: 'visible' });
    const log = await waitForEditorText(page, new RegExp(`#${requestId} chat ok: openai:gpt-5\\.4`));
    assert.ok(log.includes(formatUsd(r.costUsd)), log);
  });

  it('turns the item warning-coloured and names the model that failed when the route falls back', async () => {
    const { page, server } = workbench;
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'Answered after a fallback.' });
    const openaiBefore = fakes.openai.requests.length;
    fakes.openai.script({ status: 429, retryAfter: '1', errorMessage: 'Rate limit reached for gpt-5.4' });

    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Still there?');
    const document = await waitForEditorText(page, /Answered by anthropic:claude-sonnet-5/);
    assert.match(document, /Answered after a fallback\./);
    assert.match(document, /route's first choice: openai:gpt-5\.4/);
    assert.equal(fakes.openai.requests.length, openaiBefore + 1, 'gpt-5.4 was asked first');

    const record = await waitForLedgerRecord(server.ledgerPath, (r) => r.model === 'claude-sonnet-5', 'the fallback answer');
    assert.equal(record.attempts[0]?.model, 'gpt-5.4');
    const today = readLedger(server.ledgerPath).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    const text = await waitForStatusBarText(page, STATUS, /^claude-sonnet-5 · /);
    assert.equal(text, `claude-sonnet-5 · ${formatUsd(record.costUsd)} · today ${formatUsd(today)} (gpt-5.4 failed)`);

    const item = statusBarItem(page, STATUS);
    assert.match((await item.getAttribute('class')) ?? '', /\bwarning-kind\b/);
    assert.equal(await item.locator('.codicon-warning').count(), 1);
    const background = await item.evaluate((element) => getComputedStyle(element).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the item has a background colour of its own');

    const hover = await hoverStatusBarItem(page, STATUS);
    assert.match(await hover.innerText(), /Fell back to anthropic:claude-sonnet-5 after:\s*openai:gpt-5\.4: openai is rate-limiting requests \(429\)/);
  });

  it('shows a server\'s error text in the tooltip as written: its web and email addresses no links, its $(icon) no icon', async () => {
    const { page, server } = workbench;
    fakes.anthropic.scriptModel('claude-sonnet-5', { text: 'Answered after a refusal.' });
    // What a compromised OpenAI-compatible server can say in its error body.
    const said = '$(check) verified: sign in again at https://evil.example/login or www.evil.example, or mail admin@evil.example';
    fakes.openai.script({ status: 400, errorMessage: said });

    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'And now?');
    await waitForEditorText(page, /Answered after a refusal\./);
    await waitForLedgerRecord(server.ledgerPath, (r) => r.model === 'claude-sonnet-5' && r.attempts[0]?.error.includes('evil.example') === true, 'the answer after the refusal');
    await waitForStatusBarText(page, STATUS, /^claude-sonnet-5 · .*\(gpt-5\.4 failed\)$/);

    await hoverStatusBarItem(page, STATUS);
    // Another hover (an editor tab's) may still be fading out: the status bar's is the one naming the refusal.
    const hover = page.locator('.monaco-hover.workbench-hover').filter({ visible: true, hasText: 'openai rejected the request (400)' }).first();
    await hover.waitFor({ state: 'visible' });
    const text = await hover.innerText();
    assert.ok(text.includes(`openai rejected the request (400): ${said}`), text);
    assert.equal(await hover.locator('a').count(), 0, 'no link in the tooltip');
    assert.equal(await hover.locator('.codicon-check').count(), 0, 'no icon drawn from the server\'s text');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
