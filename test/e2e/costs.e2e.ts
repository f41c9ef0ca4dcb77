import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { costOf, formatUsd, roundUsd } from '../../src/core/cost';
import { PriceTable } from '../../src/core/prices/priceTable';
import { CSV_COLUMNS } from '../../src/core/costs/costCsv';
import type { LedgerRecord } from '../../src/core/ledger';
import { DASHBOARD_ROOT_ID } from '../../src/shared/dashboardProtocol';
import { record } from '../core/costs/cells';
import { parseCsv } from '../core/costs/csvReader';
import {
  askInChat,
  clearNotifications,
  fakes,
  hoverStatusBarItem,
  notificationToast,
  openChatPanel,
  page,
  quickPickRows,
  readUserSettings,
  runCommand,
  runCommandWithInput,
  statusBarItem,
  useWorkbenchOnFakes,
  waitForLedgerRecord,
  waitUntil,
  webviewFrame,
  workbench,
} from './harness';

/** A request `daysAgo` local days before today, at 10:00 local time. */
function request(daysAgo: number, fields: Partial<LedgerRecord>): LedgerRecord {
  const time = new Date();
  time.setHours(10, 0, 0, 0);
  time.setDate(time.getDate() - daysAgo);
  return record({ time: time.toISOString(), provider: 'openai', model: 'gpt-5.4', requestedModel: 'openai:gpt-5.4', costUsd: 0.01, source: 'cli', ...fields });
}

const SEED: LedgerRecord[] = [
  request(0, { costUsd: 0.25 }),
  request(0, { task: 'completion', provider: 'anthropic', model: 'claude-haiku-4-5', requestedModel: 'anthropic:claude-haiku-4-5', costUsd: 0.0125 }),
  request(3, { costUsd: 1.5, model: 'gpt-5.4-pro', requestedModel: 'openai:gpt-5.4-pro' }),
  request(10, { task: 'plan', provider: 'anthropic', model: 'claude-opus-5', requestedModel: 'anthropic:claude-opus-5', costUsd: 0.75 }),
  request(45, { costUsd: 4 }),
];

function total(records: readonly LedgerRecord[]): number {
  return roundUsd(records.reduce((sum, record) => sum + (record.costUsd ?? 0), 0));
}

function appendRecords(ledgerPath: string, records: readonly LedgerRecord[]): void {
  appendFileSync(ledgerPath, records.map((record) => JSON.stringify(record) + '\n').join(''));
}

/** Issue 11: the cost dashboard in the real workbench, over a seeded shared ledger. */
describe('Cost dashboard in the workbench', () => {
  let dashboard: Frame;

  useWorkbenchOnFakes(
    {
      userSettings: {
        'switchboard.routes.chat': ['openai:gpt-5.4-pro', 'openai:gpt-5.4'],
        // The strong tier has no price in the table: this one makes a chat it answers cost a figure the test can add up.
        'switchboard.prices': { 'openai:gpt-5.4-pro': { input: 10, output: 40 } },
      },
    },
    { waitForReady: false },
  );

  async function figure(id: string): Promise<string> {
    return dashboard.locator(`#${id}`).innerText();
  }

  /**
   * Waits until the page has drawn every part (figures, charts, tables) of the newest view it received
   * and `#id` reads `expected`: what the test reads next comes from that view, not a part still to come.
   */
  async function waitForFigure(id: string, expected: string): Promise<void> {
    let seen = '';
    let parts = '';
    await waitUntil(
      async () => {
        // One reading of the page: a view may arrive between two.
        const state = await dashboard.locator(`#${DASHBOARD_ROOT_ID}`).evaluate((root: HTMLElement, figureId) => ({ received: root.dataset.received, drawn: root.dataset.drawn, text: document.getElementById(figureId)?.innerText ?? '' }), id);
        parts = `view ${state.drawn ?? 'none'} of ${state.received ?? 'none'} drawn`;
        seen = state.text;
        return state.received !== undefined && state.drawn === state.received && seen === expected;
      },
      () => `#${id} to read ${expected} with every part drawn (it reads ${seen}, ${parts})`,
    );
  }

  it('opens from the status-bar quick pick with an empty state, without the ways to a provider once one is set up', async () => {
    await statusBarItem(page, { id: 'switchboard.status' }).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    dashboard = await webviewFrame(page, '#switchboard-costs #empty');
    await dashboard.locator('#empty').waitFor({ state: 'visible' });
    assert.equal(await dashboard.locator('#content').isVisible(), false);
    // The fakes' keys are set: "No provider yet? Set API Key…" shows only while no provider is usable
    // (its link opening the key pick is tested in the page, test/webview/dashboard.test.ts).
    let state = { received: undefined as string | undefined, hidden: false };
    await waitUntil(
      async () => {
        state = await dashboard.locator(`#${DASHBOARD_ROOT_ID}`).evaluate((root: HTMLElement) => ({ received: root.dataset.received, hidden: document.getElementById('no-provider')?.hidden === true }));
        return state.received !== undefined;
      },
      () => 'the dashboard to receive its first view',
    );
    assert.equal(state.hidden, true, 'no "No provider yet?" with a provider set up');
  });

  it('updates live when another process appends to the ledger, and draws every chart with its table', async () => {
    appendRecords(workbench.server.ledgerPath, SEED);
    await dashboard.locator('#content').waitFor({ state: 'visible' });
    // Default range: the last 30 days (the 45-day-old request is outside it).
    const last30 = SEED.slice(0, 4);
    await waitForFigure('total-cost', formatUsd(total(last30)));
    assert.equal(await figure('total-requests'), '4');
    assert.equal(await dashboard.locator('#empty').isVisible(), false);
    assert.equal(await dashboard.locator('.chart-panel canvas').count(), 4);
    for (const id of ['chart-daily', 'chart-task', 'chart-tokens', 'chart-savings']) {
      const box = await dashboard.locator(`#${id} canvas`).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} is drawn at a visible size`);
      assert.ok((await dashboard.locator(`#${id} table tbody tr`).count()) > 0, `${id} has its text table`);
    }
    // Savings: the chat route's strong tier is gpt-5.4-pro, so gpt-5.4's chats would have cost more there.
    assert.match(await dashboard.locator('#savings-note').innerText(), /chat: openai:gpt-5\.4-pro/);
    const top = dashboard.locator('#top-requests tbody tr');
    assert.equal(await top.count(), 4);
    assert.match(await top.first().innerText(), /gpt-5\.4-pro[\s\S]*\$1\.50/);

    const later = request(0, { costUsd: 0.5 });
    appendRecords(workbench.server.ledgerPath, [later]);
    await waitForFigure('total-cost', formatUsd(total([...last30, later])));
    SEED.push(later);
  });

  it('changes every figure with the range and the filters', async () => {
    await dashboard.getByRole('radio', { name: 'Today' }).click();
    const today = SEED.filter((record) => new Date(record.time).toDateString() === new Date().toDateString());
    await waitForFigure('total-cost', formatUsd(total(today)));
    assert.equal(await figure('total-requests'), String(today.length));

    await dashboard.getByRole('radio', { name: 'All' }).click();
    await waitForFigure('total-cost', formatUsd(total(SEED)));

    await dashboard.locator('#filter-provider').selectOption('anthropic');
    const anthropic = SEED.filter((record) => record.provider === 'anthropic');
    await waitForFigure('total-cost', formatUsd(total(anthropic)));
    assert.equal(await dashboard.locator('#top-requests tbody tr').count(), anthropic.length);
    await dashboard.locator('#filter-provider').selectOption('');
    await waitForFigure('total-cost', formatUsd(total(SEED)));
  });

  it('exports the range as CSV through the save dialog, with totals that match the dashboard', async () => {
    await dashboard.getByRole('radio', { name: 'Last 7 days' }).click();
    const week = SEED.filter((record) => Date.now() - Date.parse(record.time) < 6.5 * 86_400_000);
    const shown = formatUsd(total(week));
    await waitForFigure('total-cost', shown);

    await dashboard.locator('#export').click();
    const target = path.join(workbench.workspace, 'week.csv');
    const dialog = page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
    const input = dialog.locator('input.input');
    await input.waitFor({ state: 'visible' });
    // The simple file dialog fills in its proposed path a moment after it shows: typing earlier lands in front of it.
    await waitUntil(async () => (await input.inputValue()).endsWith('.csv'), 'the save dialog to propose a file');
    await input.fill(target);
    let typed = '';
    await waitUntil(async () => (typed = await input.inputValue()) === target, () => `the save dialog to hold ${target} (it holds ${typed})`);
    await page.keyboard.press('Enter');
    await waitUntil(() => existsSync(target), `the CSV at ${target}`);
    await dashboard.locator('#status').filter({ hasText: 'Exported' }).waitFor({ state: 'visible' });
    assert.match(await dashboard.locator('#status').innerText(), new RegExp(`Exported ${week.length} requests \\(${shown.replace('$', '\\$')}\\)`));

    const [header, ...rows] = parseCsv(readFileSync(target, 'utf8'));
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const cost = CSV_COLUMNS.indexOf('costUsd');
    assert.equal(rows.length, week.length);
    assert.equal(formatUsd(roundUsd(rows.reduce((sum, row) => sum + Number(row[cost]), 0))), shown);
  });

  it('updates live as a chat of this window finishes, by what it cost', async () => {
    await dashboard.getByRole('radio', { name: 'Last 7 days' }).click();
    const week = SEED.filter((record) => Date.now() - Date.parse(record.time) < 6.5 * 86_400_000);
    await waitForFigure('total-cost', formatUsd(total(week)));
    // Output within chat.maxTokens (4,096 by default): a count above it would be priced at the bound.
    fakes.openai.scriptModel('gpt-5.4-pro', { text: 'Counted.', usage: { inputTokens: 100_000, outputTokens: 4_000 } });
    // The chat view opens in the side bar: the dashboard stays in view in the editor area.
    const chat = await openChatPanel(page, 'activity bar');
    await askInChat(chat, 'What does this cost?');
    await chat.locator('.message.assistant', { hasText: 'Counted.' }).waitFor({ state: 'visible' });
    const answered = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.outcome === 'ok' && r.source === 'vscode', 'the chat');
    assert.equal(answered.costUsd, 1.16, '100,000 tokens in at $10/M and 4,000 out at $40/M');
    await waitForFigure('total-cost', formatUsd(total([...week, answered])));
    assert.equal(await figure('total-requests'), String(week.length + 1));
    assert.equal(await dashboard.locator('#top-requests tbody tr').filter({ hasText: '$1.16' }).count(), 1);
  });
});

/**
 * The first open after an upgrade over a large ledger: no caches beside its files, so every line is read. An open
 * slower than 300 ms shows the figures of the files read so far, newest first, with a note, until the last is read.
 */
describe('Cost dashboard while it reads a large ledger', () => {
  // Newer archive: its read alone takes well over 300 ms, so its end brings a partial view. Older archive: twice
  // the size, read last, so the partial view stays on the page for a while. The months are long past so that the
  // status bar's and the budget's reads (this month and the one before) leave them to the dashboard.
  const NEWER = { month: '2025-02', records: 150_000 };
  const OLDER = { month: '2025-01', records: 300_000 };
  const EACH_USD = 0.0001;

  useWorkbenchOnFakes({}, { waitForReady: false });

  before(() => {
    const dir = path.dirname(workbench.server.ledgerPath);
    // Dated today, so the default range (the last 30 days) shows them whatever file holds them.
    for (const { month, records } of [NEWER, OLDER]) {
      writeFileSync(path.join(dir, `ledger.${month}.jsonl`), `${JSON.stringify(request(0, { costUsd: EACH_USD }))}\n`.repeat(records));
    }
    appendRecords(workbench.server.ledgerPath, [request(0, { costUsd: 0.25 })]);
  });

  it('shows the newer files\' figures with "Still reading the ledger" while the older are read, then the whole ledger without it', async () => {
    const { page } = workbench;
    await statusBarItem(page, { id: 'switchboard.status' }).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const partialCost = formatUsd(roundUsd(0.25 + NEWER.records * EACH_USD));
    const wholeCost = formatUsd(roundUsd(0.25 + (NEWER.records + OLDER.records) * EACH_USD));
    // Note and figure read together: the whole ledger's view may arrive between two readings.
    const snapshot = () =>
      dashboard.locator(`#${DASHBOARD_ROOT_ID}`).evaluate((root: HTMLElement) => {
        const note = document.getElementById('reading')!;
        return { reading: note.hidden ? '' : note.innerText, cost: document.getElementById('total-cost')?.innerText ?? '', drawn: root.dataset.drawn === root.dataset.received };
      });
    let seen = { reading: '', cost: '', drawn: false };
    await waitUntil(
      async () => {
        seen = await snapshot();
        // "1 of 3" too, should the live file's read alone outlast 300 ms on a loaded machine: the newer archive's is awaited.
        return seen.reading.includes(' 2 of 3 ') || seen.cost === wholeCost;
      },
      () => `a view of the ledger (the page shows ${JSON.stringify(seen)})`,
      60_000,
    );
    assert.equal(seen.reading, 'Still reading the ledger: 2 of 3 files read, newest first. Older days fill in as the rest are read; until then the figures are short of them.', `a partial view before the whole ledger's (the page showed ${JSON.stringify(seen)})`);
    assert.equal(seen.cost, partialCost, 'the live file and the newer archive, not yet the older');
    await waitUntil(
      async () => {
        seen = await snapshot();
        return seen.drawn && seen.reading === '' && seen.cost === wholeCost;
      },
      () => `the whole ledger, ${wholeCost}, without the note (the page shows ${JSON.stringify(seen)})`,
      120_000,
    );
    assert.equal(await dashboard.locator('#reading').isVisible(), false);
  });
});

/**
 * An archive that cannot be read (a named pipe in the ledger's folder, which the reader never waits on): the page
 * shows the files read before it, newest first, with a note that the read stopped, and names the file. Unlike the
 * partial view of a slow read above, nothing here depends on how long a read takes.
 */
describe('Cost dashboard over a ledger with an archive it cannot read', () => {
  const EACH_USD = 0.01;
  let fifo = '';

  useWorkbenchOnFakes({}, { waitForReady: false });

  before(() => {
    const dir = path.dirname(workbench.server.ledgerPath);
    // Long past, so the status bar's and the budget's reads (this month and the one before) leave them alone.
    writeFileSync(path.join(dir, 'ledger.2025-02.jsonl'), `${JSON.stringify(request(0, { costUsd: EACH_USD }))}\n`.repeat(20));
    fifo = path.join(dir, 'ledger.2025-01.jsonl');
    execFileSync('mkfifo', [fifo]);
    appendRecords(workbench.server.ledgerPath, [request(0, { costUsd: 0.25 })]);
  });

  it('shows the figures of the files read before it, says the read stopped there, and names the file', async () => {
    const { page } = workbench;
    await statusBarItem(page, { id: 'switchboard.status' }).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const snapshot = () =>
      dashboard.locator(`#${DASHBOARD_ROOT_ID}`).evaluate((root: HTMLElement) => {
        const note = document.getElementById('reading')!;
        const status = document.getElementById('status')!;
        return {
          reading: note.hidden ? '' : note.innerText,
          cost: document.getElementById('total-cost')?.innerText ?? '',
          problem: status.classList.contains('problem') ? status.innerText : '',
          drawn: root.dataset.drawn !== undefined && root.dataset.drawn === root.dataset.received,
        };
      });
    let seen = { reading: '', cost: '', problem: '', drawn: false };
    await waitUntil(
      async () => {
        seen = await snapshot();
        return seen.drawn && seen.problem !== '' && seen.reading !== '';
      },
      () => `the files read and the problem (the page shows ${JSON.stringify(seen)})`,
    );
    assert.equal(seen.reading, 'Stopped reading the ledger: 2 of 3 files read, newest first, then one could not be read (said at the foot of the page). The figures leave out the files not read.');
    assert.equal(seen.cost, formatUsd(roundUsd(0.25 + 20 * EACH_USD)), 'the live file and the readable archive');
    assert.equal(seen.problem, `Cannot read the ledger ${workbench.server.ledgerPath}: ${fifo}: the ledger path is a named pipe (FIFO), not a regular file`);

    // A request made after the read stopped (here by another process): the live file is still followed.
    appendRecords(workbench.server.ledgerPath, [request(0, { costUsd: 0.5 })]);
    const followed = formatUsd(roundUsd(0.75 + 20 * EACH_USD));
    await waitUntil(
      async () => {
        seen = await snapshot();
        return seen.drawn && seen.cost === followed;
      },
      () => `the appended request, ${followed} (the page shows ${JSON.stringify(seen)})`,
    );
    assert.match(seen.reading, /^Stopped reading the ledger: 2 of 3 files read/, 'the archive is still left out, and said');
    assert.equal(seen.problem, `Cannot read the ledger ${workbench.server.ledgerPath}: ${fifo}: the ledger path is a named pipe (FIFO), not a regular file`);
  });
});

/**
 * A line of the ledger with a cost no request could have cost (hand-edited or corrupted: 1e20) is not believed: the
 * dashboard counts it at its tokens × the price table's rates, in the total and in the costliest requests, rather
 * than a total of $100,000,000,000,000,000,000.00.
 */
describe('Cost dashboard over a ledger with an implausible recorded cost', () => {
  const fine = request(0, { costUsd: 0.25 });
  const corrupted = request(0, { costUsd: 1e20 });

  useWorkbenchOnFakes({}, { waitForReady: false });

  before(() => {
    appendRecords(workbench.server.ledgerPath, [fine, corrupted]);
  });

  it('counts it at its tokens × the table\'s rates in the total and the costliest requests', async () => {
    const { page } = workbench;
    const repriced = costOf(corrupted.usage, new PriceTable().lookup('openai', 'gpt-5.4'));
    assert.ok(repriced !== null && repriced > 0 && repriced < 0.25);
    await statusBarItem(page, { id: 'switchboard.status' }).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const expected = formatUsd(roundUsd(0.25 + repriced));
    let seen = '';
    await waitUntil(
      async () => {
        seen = await dashboard.locator('#total-cost').innerText().catch(() => '');
        return seen === expected;
      },
      () => `the total to read ${expected} (it reads ${seen})`,
    );
    let rows: string[] = [];
    await waitUntil(
      async () => {
        rows = await dashboard.locator('#top-requests tbody tr').allInnerTexts();
        return rows.length === 2;
      },
      () => `the costliest requests to list both (they list ${JSON.stringify(rows)})`,
    );
    assert.match(rows[1]!, new RegExp(formatUsd(repriced).replace(/[$.]/g, '\\$&')));
    assert.doesNotMatch(rows.join('\n'), /100,000,000/);
  });

  it('believes a cost of a model priced in switchboard.prices above the table, once it is priced in the User settings.json, and reads the ledger again', async () => {
    const { page } = workbench;
    const repriced = costOf(corrupted.usage, new PriceTable().lookup('openai', 'gpt-5.4'))!;
    // $60 for 10,000 tokens in and 10,000 out: more than those tokens at 16 × the table's dearest rate ($24), so with
    // the table alone it is not believed (and, the table having no price for the model, counted as unpriced).
    const usage = { inputTokens: 10_000, outputTokens: 10_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
    appendRecords(workbench.server.ledgerPath, [request(0, { provider: 'custom', model: 'big', requestedModel: 'custom:big', usage, costUsd: 60 })]);
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const total = async (expected: string) => {
      let seen = '';
      await waitUntil(
        async () => (seen = await dashboard.locator('#total-cost').innerText().catch(() => '')) === expected,
        () => `the total to read ${expected} (it reads ${seen})`,
      );
    };
    await total(formatUsd(roundUsd(0.25 + repriced)));
    // As a user does: the User settings.json opened in the workbench's editor, the price written there ($1,000 and
    // $5,000 a million) and saved. Not a write of the file from outside the workbench: serve-web applied one only
    // now and then (workbench.statusBar.visible: once in 7 s, twice not in 40 s; switchboard.prices never reached
    // the extension, whose log said no "settings re-applied").
    const prices = { 'custom:big': { input: 1000, output: 5000 } };
    await runCommand(page, 'Preferences: Open User Settings (JSON)');
    // The editor opened (VS Code may show it as a modal, with no tab: known by its breadcrumbs) has the focus.
    await page.locator('.monaco-breadcrumbs').filter({ hasText: 'settings.json' }).first().waitFor({ state: 'visible' });
    await page.locator('.monaco-editor.focused').waitFor({ state: 'visible' });
    // A line of its own after the opening brace. Typed as one insertion on one line: key by key, or over several
    // lines, the editor would close brackets and indent on its own.
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText(`"switchboard.prices": ${JSON.stringify(prices)},`);
    await page.keyboard.press('ControlOrMeta+S');
    await waitUntil(
      async () => JSON.stringify((await readUserSettings(workbench))['switchboard.prices']) === JSON.stringify(prices),
      'switchboard.prices saved in the User settings.json',
    );
    await total(formatUsd(roundUsd(0.25 + repriced + 60)));
  });

  it("marks a request whose gateway reported less than the table's price as priced at a bound, its tooltip saying why", async () => {
    const { page } = workbench;
    // A LiteLLM proxy's $0.000001 for what the tokens it counted cost at the table's rates: counted at that price.
    const usage = { inputTokens: 1000, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const tablePrice = costOf(usage, new PriceTable().lookup('openai', 'gpt-5.4'))!;
    const under = request(0, { id: 'gateway-under-table', usage, costUsd: tablePrice, costSource: 'price-table', gateway: 'litellm', gatewayCostUsd: 0.000001, gatewayCostBoundUsd: tablePrice, gatewayCostUnderTable: true });
    appendRecords(workbench.server.ledgerPath, [under]);
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const note = `LiteLLM reported a cost of $0.000001, less than the tokens it counted cost at the price table's rates (${formatUsd(tablePrice)}); counted at ${formatUsd(tablePrice)}, as a gateway's figure never lowers what the budgets count`;
    let titles: (string | null)[] = [];
    await waitUntil(
      async () => {
        titles = await dashboard.locator('#top-requests tbody tr .bound-mark').evaluateAll((marks) => marks.map((mark) => mark.getAttribute('title')));
        return titles.includes(note);
      },
      () => `a costliest request marked with the gateway's note (the marks say ${JSON.stringify(titles)})`,
    );
    const row = dashboard.locator('#top-requests tbody tr').filter({ has: dashboard.locator(`.bound-mark[title="${note.replace(/"/g, '\\"')}"]`) });
    assert.match(await row.innerText(), new RegExp(`${formatUsd(tablePrice).replace(/[$.]/g, '\\$&')}\\s*priced at a bound`));
  });
});

/**
 * Budgets near and past their limit on the dashboard: each says so under its line in the words of the notice of the
 * crossing and what happens next, as `switchboard costs` says it (test/cli/costsBudgetAlerts.test.ts); before, the
 * dashboard said only what was left.
 */
describe('Cost dashboard with budgets near and past their limit', () => {
  useWorkbenchOnFakes({ userSettings: { 'switchboard.budget.dailyUsd': 0.5, 'switchboard.budget.monthlyUsd': 1.2, 'switchboard.budget.action': 'block' } }, { waitForReady: false });

  before(() => {
    appendRecords(workbench.server.ledgerPath, [request(0, { costUsd: 0.6 }), request(0, { costUsd: 0.4 })]);
  });

  it('says the daily budget is used up and the monthly one past its warning, with what happens next', async () => {
    const { page } = workbench;
    const now = new Date();
    const day = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    const tomorrow = day(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));
    const nextMonth = day(new Date(now.getFullYear(), now.getMonth() + 1, 1));
    await statusBarItem(page, { id: 'switchboard.status' }).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const expected = [
      `the daily budget is used up: $1.00 spent of $0.50; requests are refused until it resets on ${tomorrow} at 00:00 (switchboard.budget.dailyUsd, switchboard.budget.action)`,
      `$1.00 of the monthly budget ($1.20) spent, past the warning at 80%; it resets on ${nextMonth} at 00:00 (switchboard.budget.monthlyUsd, switchboard.budget.warnAt); at $1.20 requests are refused until it resets (switchboard.budget.action)`,
    ];
    let alerts: string[] = [];
    await waitUntil(
      async () => {
        alerts = await dashboard.locator('#budgets .budget-alert').allInnerTexts();
        return JSON.stringify(alerts) === JSON.stringify(expected);
      },
      () => `the budgets to say ${JSON.stringify(expected)} (they say ${JSON.stringify(alerts)})`,
    );
    // Each under its budget's own line, which is styled by its level.
    const lines = await dashboard.locator('#budgets p').evaluateAll((nodes) => nodes.map((node) => `${node.className}: ${(node as HTMLElement).innerText}`));
    assert.match(lines[0]!, /^budget budget-reached: Daily budget reached: \$1\.00 spent of \$0\.50/);
    assert.match(lines[1]!, /^budget-alert: the daily budget is used up/);
    assert.match(lines[2]!, /^budget budget-warning: Monthly budget: \$0\.20 left of \$1\.20/);
    assert.match(lines[3]!, /^budget-alert: \$1\.00 of the monthly budget/);
  });
});

/**
 * A vendor-named model served on this machine (LM Studio or vLLM serving `gpt-5.4-nano` at localhost) is charged at
 * OpenAI's rate by default, and said to be. This workbench is VS Code's server in a browser, a remote window: its
 * `localhost` is the remote machine, so the fake at 127.0.0.1 is no server of this machine, its requests are not
 * marked, and It's Free (Local Server) refuses there; a record a desktop window made is still named, with the button.
 */
describe('Cost of a vendor-named model on a server on this machine', () => {
  useWorkbenchOnFakes({ userSettings: { 'switchboard.routes.chat': ['openai:gpt-5.4-nano'], 'switchboard.auto.enabled': false } });
  const STATUS = { id: 'switchboard.status' };

  it("does not mark a request to a remote window's loopback server: it may be billed, and is charged at OpenAI's rate", async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'Served there.', usage: { inputTokens: 1000, outputTokens: 200 } });
    await runCommandWithInput(page, 'Switchboard: Ask…', 'Switchboard: Ask', 'Who serves this?');
    const charged = await waitForLedgerRecord(workbench.server.ledgerPath, (r) => r.task === 'chat' && r.outcome === 'ok', 'the answer');
    assert.ok(charged.costUsd! > 0, "OpenAI's table rate");
    assert.equal(charged.tableRateOnLocalServer, undefined);
    const hover = await hoverStatusBarItem(page, STATUS);
    assert.match(await hover.innerText(), /Last: openai:gpt-5\.4-nano \(chat\)/);
    assert.doesNotMatch(await hover.innerText(), /Vendor's rate|It's Free/);
    await page.mouse.move(10, 10);
    await hover.waitFor({ state: 'hidden' });
  });

  it("names a model a desktop window recorded at its vendor's rate on its machine, with It's Free (Local Server), which refuses in this remote window", async () => {
    appendRecords(workbench.server.ledgerPath, [request(0, { task: 'completion', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costUsd: 0.00012, costSource: 'price-table', tableRateOnLocalServer: true, source: 'vscode' })]);
    await statusBarItem(page, STATUS).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const note = dashboard.locator('#table-rate-note');
    await note.waitFor({ state: 'visible' });
    assert.match(await note.innerText(), /Charged at a vendor's rate though served on this machine:\s*openai:gpt-5\.4-nano \(1 request\): priced at OpenAI's rate from the price table, though its server was on this machine/);
    const row = dashboard.locator('#top-requests tbody tr').filter({ hasText: "vendor's rate, local server" });
    await row.waitFor({ state: 'visible' });
    assert.equal(await row.locator('button.free-local').innerText(), "It's Free (Local Server)");
    await note.locator('button.free-local').click();
    await notificationToast(page, 'was not made free').waitFor({ state: 'visible' });
    assert.match(await notificationToast(page, 'was not made free').innerText(), /this is a remote window, whose localhost is the remote machine/);
    assert.equal((await readUserSettings(workbench))['switchboard.freeOnLocalServer'], undefined, 'nothing made free');
    await clearNotifications(page);
  });

  it("shows a ledger's model id spelling a command link as text in It's Free's answer, not as a link", async () => {
    // A dev container's ledger is the repository's file (its HOME): a record there names whatever model it likes.
    const model = 'gpt-5.4-nano[Open Log](command:workbench.action.reloadWindow)';
    appendRecords(workbench.server.ledgerPath, [request(0, { task: 'completion', model, requestedModel: `openai:${model}`, costUsd: 0.00012, costSource: 'price-table', tableRateOnLocalServer: true, source: 'vscode' })]);
    await statusBarItem(page, STATUS).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const line = dashboard.locator('#table-rate-note p').filter({ hasText: '[Open Log](command:' });
    await line.waitFor({ state: 'visible' });
    await line.locator('button.free-local').click();
    const toast = notificationToast(page, 'was not made free');
    await toast.waitFor({ state: 'visible' });
    assert.ok((await toast.innerText()).includes('openai:gpt-5.4-nano[Open Log] (command:workbench.action.reloadWindow) was not made free'), await toast.innerText());
    assert.equal(await toast.locator('.notification-list-item-message a').count(), 0, 'no link in the message');
    await clearNotifications(page);
  });
});

/** switchboard.freeOnLocalServer written by hand as one entry, not a list: ignored with a warning, and It's Free keeps it. */
describe("It's Free (Local Server) over a switchboard.freeOnLocalServer that is not a list", () => {
  useWorkbenchOnFakes({ userSettings: { 'switchboard.auto.enabled': false, 'switchboard.freeOnLocalServer': 'openai:gpt-5.4-nano' } });

  it('changes nothing the user wrote, says why, and opens the User settings JSON at it', async () => {
    appendRecords(workbench.server.ledgerPath, [request(0, { task: 'completion', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costUsd: 0.00012, costSource: 'price-table', tableRateOnLocalServer: true, source: 'vscode' })]);
    await statusBarItem(page, { id: 'switchboard.status' }).click();
    await quickPickRows(page).filter({ hasText: 'Show Costs' }).click();
    const dashboard = await webviewFrame(page, '#switchboard-costs #content');
    const button = dashboard.locator('#table-rate-note button.free-local');
    await button.waitFor({ state: 'visible' });
    await clearNotifications(page);
    await button.click();
    const toast = notificationToast(page, 'was not made free');
    await toast.waitFor({ state: 'visible' });
    assert.match(await toast.innerText(), /switchboard\.freeOnLocalServer in your User settings holds a string, not a list, so it is ignored; nothing was changed/);
    await toast.getByRole('button', { name: 'Open User Settings (JSON)' }).click();
    // The User settings.json, its cursor at the setting (VS Code may show it in a modal editor, with no tab).
    await page.locator('.monaco-breadcrumbs').filter({ hasText: 'settings.json' }).filter({ hasText: 'switchboard.freeOnLocalServer' }).first().waitFor({ state: 'visible' });
    assert.equal((await readUserSettings(workbench))['switchboard.freeOnLocalServer'], 'openai:gpt-5.4-nano', 'what the user wrote is kept');
  });
});
