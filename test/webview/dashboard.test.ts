import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { budgetEstimateNote } from '../../src/core/budget/budgetEstimates';
import { formatUsd } from '../../src/core/cost';
import { CostIndex } from '../../src/core/costs/costIndex';
import { localModelsOf, strongTierLabels, unpricedModels } from '../../src/core/costs/unpricedModels';
import { resolveConfig } from '../../src/core/config';
import { PriceTable } from '../../src/core/prices/priceTable';
import { DEFAULT_QUERY, type DashboardHostMessage, type DashboardQuery } from '../../src/shared/dashboardProtocol';
import { record } from '../core/costs/cells';
import { launchTestChromium } from './chatHarness';
import { serveDashboardPage } from './dashboardServer';

const RANGE = { from: '2026-07-01', to: '2026-07-30' };
/** Auto sent the request to the cheap tier: the only kind of answer "Saved by routing" compares. */
const CHEAP = { routing: { mode: 'auto' as const, tier: 'cheap' as const, score: 0.1, reasons: [] } };

/** The view of three requests (none when `empty`), and one more costing `extraUsd` when given. */
function viewMessage(query: DashboardQuery, empty = false, extraUsd?: number, noProvider?: true): DashboardHostMessage {
  const index = new CostIndex();
  if (!empty) {
    index.add(record({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.25, ...CHEAP }));
    index.add(record({ time: '2026-07-26T10:00:00.000Z', costUsd: 1.5, provider: 'openai', model: 'gpt-5.4', task: 'plan', ...CHEAP }));
    index.add(record({ time: '2026-07-27T10:00:00.000Z', costUsd: 0.125, task: 'completion', model: 'claude-haiku-4-5', ...CHEAP }));
  }
  if (extraUsd !== undefined) index.add(record({ time: '2026-07-28T10:00:00.000Z', costUsd: extraUsd, model: 'claude-opus-5', ...CHEAP }));
  const report = index.report({ range: RANGE, filters: query, strongPrice: () => ({ input: 15, output: 75 }) as never });
  return { type: 'view', query, view: report.view, top: report.top, strongModels: { chat: 'anthropic:claude-opus-5' }, empty, ledgerPath: '/tmp/ledger.jsonl', ...(noProvider ? { noProvider } : {}) };
}

/** Issue 11: the dashboard page, the real bundle under the host's CSP in headless Chromium. */
describe('cost dashboard page in the browser', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveDashboardPage>>;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    server = await serveDashboardPage();
    browser = await launchTestChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    await page.goto(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const posted = () => page.evaluate(() => (window as unknown as { __test: { posted: { type: string; query?: DashboardQuery }[] } }).__test.posted);
  const violations = () => page.evaluate(() => (window as unknown as { __test: { violations: string[] } }).__test.violations);
  const send = (message: DashboardHostMessage) => page.evaluate((m) => window.postMessage(m, '*'), message);
  /** Waits until every part of the newest view is drawn and the total cost reads `cost`. */
  const drawnWithCost = (cost: string) =>
    page.waitForFunction((expected) => {
      const root = document.getElementById('switchboard-costs')!;
      return root.dataset.received !== undefined && root.dataset.drawn === root.dataset.received && document.querySelector('#total-cost')?.textContent === expected;
    }, cost);

  it('asks for its saved range when ready, and shows the empty state with the way to a key while no provider is usable', async () => {
    await page.waitForFunction(() => (window as unknown as { __test: { posted: unknown[] } }).__test.posted.length > 0);
    assert.deepEqual(await posted(), [{ type: 'ready', query: DEFAULT_QUERY }]);
    await send(viewMessage(DEFAULT_QUERY, true, undefined, true));
    await page.locator('#empty').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#content').isVisible(), false);
    assert.equal(await page.locator('#top').isVisible(), false, 'no empty table of the costliest requests under it');
    assert.match(await page.locator('#empty').innerText(), /Ask in the chat panel, or pause while typing code for ghost text\.\s+No provider yet\? Set API Key…, set up AWS credentials for Bedrock, or a local server/);
    await page.locator('#set-key').click();
    assert.deepEqual((await posted()).at(-1), { type: 'setKey' });
  });

  it('leaves "No provider yet?" out of the empty state once a provider is usable', async () => {
    await send(viewMessage(DEFAULT_QUERY, true));
    await page.locator('#no-provider').waitFor({ state: 'hidden' });
    const text = await page.locator('#empty').innerText();
    assert.match(text, /Ask in the chat panel, or pause while typing code for ghost text\./);
    assert.doesNotMatch(text, /No provider yet|Set API Key/);
  });

  it('keeps the first-run guidance while the only requests were refused, and says how many', async () => {
    const index = new CostIndex();
    const refused = { outcome: 'error' as const, costUsd: 0, error: 'no usable credentials for any model of the chat route (…)' };
    index.add(record({ ...refused, time: '2026-07-25T10:00:00.000Z' }));
    index.add(record({ ...refused, time: '2026-07-25T10:01:00.000Z' }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => undefined });
    const unanswered = index.unansweredOnly;
    assert.equal(unanswered, 2);
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: {}, empty: true, unanswered, ledgerPath: '/tmp/ledger.jsonl', noProvider: true });
    await page.locator('#unanswered').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#empty h2').innerText(), 'No answers yet');
    assert.equal(await page.locator('#unanswered').innerText(), '2 requests so far, none answered: refused before any model was asked (no provider yet) or failed. Switchboard: Show Log says why.');
    assert.equal(await page.locator('#content').isVisible(), false, 'no "2 requests, $0.00" over empty charts');
    assert.equal(await page.locator('#set-key').isVisible(), true);

    // The first answer: the charts.
    await send(viewMessage(DEFAULT_QUERY));
    await page.locator('#content').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#empty').isVisible(), false);
  });

  it('draws four charts under the strict CSP, each with its table, and the figures of the view', async () => {
    await send(viewMessage(DEFAULT_QUERY));
    await page.locator('#content').waitFor({ state: 'visible' });
    await drawnWithCost('$1.88');
    assert.equal(await page.locator('#total-requests').innerText(), '3');
    assert.equal(await page.locator('#total-served').innerText(), '0');
    assert.doesNotMatch(await page.locator('#savings-note').innerText(), /served without a request/, 'no note about what did not happen');
    for (const id of ['chart-daily', 'chart-task', 'chart-tokens', 'chart-savings']) {
      const box = await page.locator(`#${id} canvas`).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} is drawn`);
      // Chart.js drew pixels: the canvas is not blank.
      const inked = await page.locator(`#${id} canvas`).evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
        return false;
      });
      assert.ok(inked, `${id} has ink`);
      assert.ok((await page.locator(`#${id} table tbody tr`).count()) > 0, `${id} has its text table`);
    }
    assert.match(await page.locator('#top-requests tbody tr').first().innerText(), /openai:gpt-5\.4[\s\S]*\$1\.50/);
    assert.match(await page.locator('#savings-note').innerText(), /chat: anthropic:claude-opus-5/);
    assert.deepEqual(await violations(), []);
    assert.deepEqual(errors, []);
  });

  it('lists each budget with what is left, in the warning or error colour near or at its limit, as text; none without a budget', async () => {
    assert.equal(await page.locator('#budgets').isHidden(), true, 'no budget set: no budget section');
    const budgets = [
      { text: 'Daily budget: $0.40 left of $5.00 ($4.60 spent); resets on 2026-07-31 at 00:00 (switchboard.budget.dailyUsd)', level: 'warning' as const },
      { text: 'Monthly openai budget <b>reached</b>: $20.50 spent of $20.00; resets on 2026-08-01 at 00:00 (switchboard.budget.providers.openai.monthlyUsd)', level: 'reached' as const },
    ];
    await send({ ...(viewMessage(DEFAULT_QUERY, false, 0.5) as Extract<DashboardHostMessage, { type: 'view' }>), budgets });
    await drawnWithCost('$2.38');
    assert.deepEqual(await page.locator('#budgets p').allInnerTexts(), budgets.map((budget) => budget.text), 'as text, never markup');
    // The theme's warning and error colours (media/dashboard.css) by the line's level.
    assert.deepEqual(await page.locator('#budgets p').evaluateAll((lines) => lines.map((line) => line.className)), ['budget budget-warning', 'budget budget-reached']);
    // Past its warning or used up: the notice's words under the line (core/budget/budgetAlert.ts), as text too.
    const alert = 'the daily budget is used up: <i>$5.10</i> spent of $5.00; requests are refused until it resets on 2026-07-31 at 00:00 (switchboard.budget.dailyUsd, switchboard.budget.action)';
    await send({ ...(viewMessage(DEFAULT_QUERY, false, 0.5) as Extract<DashboardHostMessage, { type: 'view' }>), budgets: [{ ...budgets[0]!, level: 'reached', alert }, budgets[1]!] });
    await page.locator('#budgets .budget-alert').waitFor({ state: 'visible' });
    assert.deepEqual(await page.locator('#budgets p').evaluateAll((lines) => lines.map((line) => [line.className, (line as HTMLElement).innerText])), [
      ['budget budget-reached', budgets[0]!.text],
      ['budget-alert', alert],
      ['budget budget-reached', budgets[1]!.text],
    ]);
    await send(viewMessage(DEFAULT_QUERY));
    await drawnWithCost('$1.88');
    assert.equal(await page.locator('#budgets').isHidden(), true);
    assert.deepEqual(errors, []);
  });

  it('says under the budgets which requests they count at the estimate, with Set a Price…, which asks the host to open the setting', async () => {
    const budgets = [{ text: 'Monthly budget: $4.10 left of $5.00 ($0.90 spent, $0.90 of it requests to unpriced models counted at switchboard.budget.unpricedEstimate); resets on 2026-08-01 at 00:00 (switchboard.budget.monthlyUsd)', level: 'ok' as const }];
    const budgetEstimate = budgetEstimateNote([{ model: 'openai:llama-lan', requests: 2, usd: 0.9 }], 'switchboard.budget.unpricedEstimate', 'in switchboard.prices')!;
    await send({ ...(viewMessage(DEFAULT_QUERY, false, 0.5) as Extract<DashboardHostMessage, { type: 'view' }>), budgets, budgetEstimate });
    await drawnWithCost('$2.38');
    await page.locator('#budget-estimate').waitFor({ state: 'visible' });
    assert.equal(
      await page.locator('#budget-estimate').innerText(),
      `This month's budgets count 2 requests to openai:llama-lan at $0.90 (switchboard.budget.unpricedEstimate), because no price is known for it: give it its price in switchboard.prices ("openai:llama-lan": { "input": …, "output": … } in USD per million tokens, 0 and 0 if nothing bills you for it) and the budgets count those requests at it, not at the estimate. Set a Price…`,
    );
    await page.locator('#set-price').click();
    assert.deepEqual((await posted()).at(-1), { type: 'setPrice' });
    await send({ ...(viewMessage(DEFAULT_QUERY) as Extract<DashboardHostMessage, { type: 'view' }>), budgets });
    await drawnWithCost('$1.88');
    assert.equal(await page.locator('#budget-estimate').isHidden(), true, 'nothing estimated: no note');
    assert.deepEqual(errors, []);
  });

  it('says which requests are unpriced and why, and a strong tier with no price, as the host words them', async () => {
    // openai:gpt-5.4-pro is in neither the shipped table nor its LiteLLM extract: the host's own helpers word it.
    const index = new CostIndex();
    index.add(record({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.25, ...CHEAP }));
    index.add(record({ time: '2026-07-26T10:00:00.000Z', costUsd: null, provider: 'openai', model: 'gpt-5.4-pro', requestedModel: 'openai:gpt-5.4-pro', ...CHEAP }));
    const prices = new PriceTable();
    const { config } = resolveConfig({ routes: { chat: ['openai:gpt-5.4-pro', 'anthropic:claude-sonnet-5'] } });
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => undefined });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: strongTierLabels(config, prices), unpriced: unpricedModels(report.view.byModel, prices), empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.25');
    assert.equal(await page.locator('#total-unpriced').innerText(), '1');
    assert.match(
      await page.locator('#unpriced-note').innerText(),
      /^Unpriced, not in the total: openai:gpt-5\.4-pro \(1 request\): not in the price table \(of 2026-07-24\) or switchboard\.prices \(give it a price there, input and output in USD per million tokens: its requests from then on are priced, and the budgets count these at it too\)\.$/,
    );
    assert.match(await page.locator('#savings-note').innerText(), /chat: openai:gpt-5\.4-pro \(unpriced: chat requests not compared\)/);
    // Nothing compared is no saving of $0.00, nor "would have cost $0.25 on the strong tier": it is not known.
    assert.equal(await page.locator('#saved').innerText(), 'unknown');
    assert.match(await page.locator('#savings-note').innerText(), /^Routing's saving unknown: no answer routing sent to the cheap tier has both a price and a priced strong tier to compare with \(/);
    await send(viewMessage(DEFAULT_QUERY));
    await drawnWithCost('$1.88');
    assert.equal(await page.locator('#unpriced-note').isHidden(), true, 'nothing unpriced: no note');
    // These requests cost more than the strong tier's price of their tokens: why that can be, not only fallbacks.
    assert.match(await page.locator('#savings-note').innerText(), /Routing cost more: cheap-tier answers retried on the strong tier, or a cheap tier dearer than its strong tier\./);
    assert.deepEqual(errors, []);
  });

  it('asks the host again when the range or a filter changes, and asks to export what it shows', async () => {
    await page.getByRole('radio', { name: 'Last 7 days' }).click();
    assert.deepEqual((await posted()).at(-1), { type: 'query', query: { ...DEFAULT_QUERY, range: '7d' } });
    assert.equal(await page.getByRole('radio', { name: 'Last 7 days' }).getAttribute('aria-checked'), 'true');
    await page.locator('#filter-provider').selectOption('openai');
    const query = { ...DEFAULT_QUERY, range: '7d' as const, providers: ['openai'] };
    assert.deepEqual((await posted()).at(-1), { type: 'query', query });
    await send(viewMessage(query));
    await drawnWithCost('$1.50');
    await page.locator('#export').click();
    assert.deepEqual((await posted()).at(-1), { type: 'export', query });
    await send({ type: 'exported', file: '/tmp/x.csv', requests: 1, served: 0, totalUsd: 1.5 });
    await page.locator('#status').filter({ hasText: `Exported 1 requests (${formatUsd(1.5)}) to /tmp/x.csv.` }).waitFor();
    await send({ type: 'exported', file: '/tmp/y.csv', requests: 2, served: 1234, totalUsd: 1.5 });
    const exported = `Exported 2 requests (${formatUsd(1.5)}), and 1,234 ghost-text suggestions served without a request, to /tmp/y.csv.`;
    await page.locator('#status').filter({ hasText: exported }).waitFor();
    // A live update redraws the costliest requests (a new one): the export's result stays, the user has not moved on.
    // (The view's figures are all providers', so that the new request is among the costliest whatever the filter.)
    await send({ ...viewMessage(DEFAULT_QUERY, false, 3), query } as DashboardHostMessage);
    await drawnWithCost(formatUsd(1.875 + 3));
    assert.match(await page.locator('#top-requests tbody tr').first().innerText(), /claude-opus-5/, 'the costliest requests were redrawn');
    assert.equal(await page.locator('#status').innerText(), exported);
    // The user does something else: the ledger's line comes back.
    await page.getByRole('radio', { name: 'Last 30 days' }).click();
    assert.equal(await page.locator('#status').innerText(), 'Ledger: /tmp/ledger.jsonl (shared with other windows and the switchboard CLI)');
  });

  it('draws every part while a new view arrives every frame, and ends on the newest', async () => {
    const costs = Array.from({ length: 24 }, (_, index) => 2 + index);
    const views = costs.map((cost) => viewMessage(DEFAULT_QUERY, false, cost));
    // A view per animation frame, never letting the page finish one: the costliest-requests table (the
    // last part) must still show one of these views before they stop.
    const topWhileStreaming = await page.evaluate(async (messages) => {
      const before = document.querySelector('#top-requests tbody tr')?.textContent ?? '';
      let changed = false;
      for (const message of messages) {
        window.postMessage(message, '*');
        await new Promise((resolve) => requestAnimationFrame(resolve));
        changed ||= (document.querySelector('#top-requests tbody tr')?.textContent ?? '') !== before;
      }
      return changed;
    }, views);
    assert.ok(topWhileStreaming, 'the costliest requests were redrawn while views kept arriving');
    await drawnWithCost(formatUsd(1.875 + costs.at(-1)!));
    assert.match(await page.locator('#top-requests tbody tr').first().innerText(), new RegExp(`claude-opus-5[\\s\\S]*\\$${costs.at(-1)}\\.00`));
    // The text table is in a closed <details>: its text, not what is rendered.
    assert.match((await page.locator('#chart-task table tbody').textContent()) ?? '', new RegExp(formatUsd(0.25 + costs.at(-1)!).replace('$', '\\$')));
  });

  it('says on the page when the host cannot read the ledger, as text, until a view arrives', async () => {
    const message = 'Cannot read the ledger /tmp/<b id="injected">x</b>: the ledger path is a directory, not a file';
    await send({ type: 'problem', message });
    await page.waitForFunction(() => document.getElementById('status')?.classList.contains('problem'));
    assert.equal(await page.locator('#status').textContent(), message);
    assert.equal(await page.locator('#injected').count(), 0, 'shown as text, not HTML');
    assert.equal(await page.locator('#status').getAttribute('role'), 'status', 'read out by screen readers');

    await send(viewMessage(DEFAULT_QUERY, false, 25));
    await page.waitForFunction(() => !document.getElementById('status')?.classList.contains('problem'));
    // Drawn to the end before the next test reads what was drawn.
    await drawnWithCost(formatUsd(1.875 + 25));
    assert.equal(await page.locator('#status').textContent(), 'Ledger: /tmp/ledger.jsonl (shared with other windows and the switchboard CLI)');
  });

  it('says the ledger\'s first read stopped, not "Still reading" for good, when a file could not be read', async () => {
    await send({ ...viewMessage(DEFAULT_QUERY, false, 7), reading: { read: 2, files: 3 } } as DashboardHostMessage);
    await drawnWithCost(formatUsd(1.875 + 7));
    assert.match(await page.locator('#reading').innerText(), /^Still reading the ledger: 2 of 3 files read/);
    // The host's view of the files read before the one it could not read, then the problem, in one go as the host
    // posts them: the view is drawn in a frame after the problem arrived.
    const stopped = { ...viewMessage(DEFAULT_QUERY, false, 8), reading: { read: 2, files: 3, stopped: true } } as DashboardHostMessage;
    const problem = 'Cannot read the ledger /tmp/ledger.jsonl: /tmp/ledger.2025-01.jsonl: the ledger path is a named pipe (FIFO), not a regular file';
    await page.evaluate(([view, text]) => {
      window.postMessage(view, '*');
      window.postMessage({ type: 'problem', message: text }, '*');
    }, [stopped, problem] as const);
    await page.waitForFunction(() => document.getElementById('status')?.classList.contains('problem'));
    await drawnWithCost(formatUsd(1.875 + 8));
    // The view sent just before the problem is drawn a frame later: it must not put the ledger's line over the problem.
    assert.equal(await page.locator('#status').innerText(), problem);
    // Before, it kept saying "Older days fill in as the rest are read", which they never would.
    assert.equal(
      await page.locator('#reading').innerText(),
      'Stopped reading the ledger: 2 of 3 files read, newest first, then one could not be read (said at the foot of the page). The figures leave out the files not read.',
    );
    assert.equal(await page.locator('#total-cost').innerText(), formatUsd(1.875 + 8), 'the figures read stay');
    // The live file is still followed: its views keep the note and the problem it points to, with the new figures.
    await send({ ...viewMessage(DEFAULT_QUERY, false, 9), reading: { read: 2, files: 3, stopped: true } } as DashboardHostMessage);
    await drawnWithCost(formatUsd(1.875 + 9));
    assert.equal(await page.locator('#status').innerText(), problem);
    assert.match(await page.locator('#reading').innerText(), /^Stopped reading the ledger: 2 of 3 files read/);
    // The next whole view (the ledger read again, say after its path changed) clears it.
    await send(viewMessage(DEFAULT_QUERY, false, 25));
    await drawnWithCost(formatUsd(1.875 + 25));
    assert.equal(await page.locator('#reading').isVisible(), false);
  });

  it('drops a malformed message from the host', async () => {
    const drawn = await page.locator('#switchboard-costs').getAttribute('data-drawn');
    await send({ type: 'view', query: DEFAULT_QUERY } as never);
    assert.equal(await page.locator('#total-cost').innerText(), formatUsd(1.875 + 25));
    assert.equal(await page.locator('#switchboard-costs').getAttribute('data-received'), drawn);
  });

  it('charts a range longer than 92 days a week per bar, and says so, with the same total', async () => {
    const index = new CostIndex();
    index.add(record({ time: '2026-01-01T10:00:00.000Z', costUsd: 0.5 }));
    index.add(record({ time: '2026-03-04T10:00:00.000Z', costUsd: 0.25, model: 'claude-haiku-4-5' }));
    index.add(record({ time: '2026-03-06T10:00:00.000Z', costUsd: 0.125 }));
    const query = { ...DEFAULT_QUERY, range: 'all' as const };
    const report = index.report({ range: { from: '2026-01-01', to: '2026-07-30' }, filters: query, strongPrice: () => ({ input: 15, output: 75 }) as never });
    await send({ type: 'view', query, view: report.view, top: report.top, strongModels: {}, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.88');
    assert.equal(await page.locator('#chart-daily h2').innerText(), 'Spend per week by model');
    assert.equal(await page.locator('#chart-savings h2').innerText(), 'What routing saved, per week');
    assert.equal(await page.locator('#chart-daily canvas').getAttribute('aria-label'), 'Spend per week by model: chart; the same figures are in the table below it');
    const rows = await page.locator('#chart-daily table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    // 2026-01-01 is a Thursday: that week, then one from each Monday to 2026-07-27.
    assert.equal(rows.length, 31);
    assert.equal(await page.locator('#chart-daily table thead th').first().textContent(), 'Week from');
    assert.deepEqual(rows[0]!.slice(0, 1).concat(rows[0]!.at(-1)!), ['2026-01-01', '$0.50']);
    assert.deepEqual([rows[9]![0], rows[9]!.at(-1)], ['2026-03-02', '$0.38']);
    assert.equal(rows.filter((row) => row.at(-1) !== '$0.00').length, 2);
  });

  it('shows the ghost text served without a request for the range and filters, and says the savings leave it out', async () => {
    const index = new CostIndex();
    index.add(record({ time: '2026-07-26T10:00:00.000Z', costUsd: 0.5 }));
    index.add(record({ time: '2026-07-26T10:01:00.000Z', task: 'completion', model: 'claude-haiku-4-5', costUsd: 0.001 }));
    // Served completions as the ledger holds them: one record a minute, model and kind, with a count; nothing spent.
    const served = { task: 'completion' as const, model: 'claude-haiku-4-5', costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, latencyMs: 0, firstTokenMs: null };
    index.add(record({ ...served, time: '2026-07-26T10:02:00.000Z', servedFrom: 'typed-through', count: 1200 }));
    index.add(record({ ...served, time: '2026-07-27T10:03:00.000Z', servedFrom: 'cache', count: 33 }));
    index.add(record({ ...served, time: '2026-07-27T10:04:00.000Z', servedFrom: 'inflight' }));
    const viewOf = (query: DashboardQuery): DashboardHostMessage => {
      const report = index.report({ range: RANGE, filters: query, strongPrice: () => ({ input: 15, output: 75 }) as never });
      return { type: 'view', query, view: report.view, top: report.top, strongModels: { chat: 'anthropic:claude-opus-5' }, empty: false, ledgerPath: '/tmp/ledger.jsonl' };
    };

    /** Sends a view and waits until the page has drawn it, whatever it shows. */
    const sendAndDraw = async (message: DashboardHostMessage) => {
      const before = Number(await page.locator('#switchboard-costs').getAttribute('data-received'));
      await send(message);
      await page.waitForFunction((sequence) => {
        const root = document.getElementById('switchboard-costs')!;
        return root.dataset.received === String(sequence) && root.dataset.drawn === root.dataset.received;
      }, before + 1);
    };

    await sendAndDraw(viewOf(DEFAULT_QUERY));
    assert.equal(await page.locator('#total-cost').innerText(), '$0.50');
    assert.equal(await page.locator('#total-served').innerText(), '1,234');
    assert.equal(await page.locator('#total-requests').innerText(), '2', 'served completions are not requests');
    assert.equal(await page.locator('#total-served').locator('xpath=..').locator('.figure-label').innerText(), 'Ghost text served without a request');
    assert.match(await page.locator('#savings-note').innerText(), /Not in this comparison: 1,234 ghost-text suggestions served without a request \(from the cache, typed through, or from a request already under way\), counted but not priced/);
    // The per-task table counts them on the completion row, beside its requests; other tasks have none to serve.
    const taskTable = () => page.locator('#chart-task table').evaluate((table) => [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    assert.deepEqual(await taskTable(), [
      ['Task', 'Requests', 'Spend', 'Unpriced', 'Served without a request'],
      ['completion', '1', formatUsd(0.001), '0', '1,234'],
      ['chat', '1', '$0.50', '0', '—'],
    ]);

    // A filter that leaves out completions leaves out what was served for them.
    await sendAndDraw(viewOf({ ...DEFAULT_QUERY, tasks: ['chat'] }));
    assert.equal(await page.locator('#total-served').innerText(), '0');
    assert.doesNotMatch(await page.locator('#savings-note').innerText(), /served without a request/);

    const oneServed = new CostIndex();
    oneServed.add(record({ ...served, time: '2026-07-27T10:04:00.000Z', servedFrom: 'cache' }));
    // The host shows the empty state only for a ledger with nothing in it: served completions are something.
    assert.equal(oneServed.records, 1);
    const report = oneServed.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => undefined });
    await sendAndDraw({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: {}, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    assert.equal(await page.locator('#total-served').innerText(), '1');
    assert.equal(await page.locator('#total-requests').innerText(), '0');
    // A range with nothing but served ghost text still has its completion row.
    assert.deepEqual((await taskTable()).slice(1), [['completion', '0', '$0.00', '0', '1']]);
    assert.match(await page.locator('#savings-note').innerText(), /Not in this comparison: 1 ghost-text suggestion served without a request \(/);

    // The count is checked like every other figure: a view with a malformed one is dropped, the next one drawn.
    const valid = viewOf(DEFAULT_QUERY) as Extract<DashboardHostMessage, { type: 'view' }>;
    const before = Number(await page.locator('#switchboard-costs').getAttribute('data-received'));
    await send({ ...valid, view: { ...valid.view, totals: { ...valid.view.totals, served: '<b>9</b>' } } } as never);
    await sendAndDraw(valid);
    assert.equal(await page.locator('#switchboard-costs').getAttribute('data-received'), String(before + 1), 'only the valid view was taken');
    assert.equal(await page.locator('#total-served').innerText(), '1,234');
    assert.deepEqual(await violations(), []);
    assert.deepEqual(errors, []);
  });

  it('leaves a hand-over from a failed strong tier out of "Saved by routing" and says what it cost less in the savings note', async () => {
    const index = new CostIndex();
    const cheap = { costUsd: 0.001, model: 'claude-haiku-4-5' };
    index.add(record({ ...cheap, time: '2026-07-25T10:00:00.000Z', routing: { mode: 'auto', tier: 'cheap', score: 0.1, reasons: [] } }));
    index.add(record({ ...cheap, time: '2026-07-25T11:00:00.000Z', routing: { mode: 'auto', tier: 'cheap', score: 0.9, handedOverFrom: 'strong', reasons: ['handed over from the strong tier: its models failed before answering'] } }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => ({ input: 15, output: 75 }) as never });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: { chat: 'anthropic:claude-opus-5' }, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.002');
    // Each answer, 100 in and 50 out, would have cost $0.00525 on the strong tier, against its $0.001: only the chosen one is routing's.
    // Shown rounded as the note's two costs are ($0.0020 and $0.0063, the hand-over at its cost on both): they add up.
    assert.equal(await page.locator('#saved').innerText(), '$0.0043', 'before, the hand-over doubled it');
    assert.match(await page.locator('#savings-note').innerText(), /These requests cost \$0\.0020, and would have cost \$0\.0063 on each route's strong tier/);
    assert.match(
      await page.locator('#savings-note').innerText(),
      new RegExp(`Not in the saving: 1 request Auto sent to the strong tier and handed over to the cheap tier because the strong tier failed \\(${formatUsd(0.00525 - 0.001).replace(/[$.]/g, '\\$&')} less than on the strong tier\\)`),
    );
    // A view without hand-overs says nothing of them.
    await send(viewMessage(DEFAULT_QUERY));
    await drawnWithCost('$1.88');
    assert.doesNotMatch(await page.locator('#savings-note').innerText(), /handed over/);
    assert.deepEqual(errors, []);
  });

  it('says how many of the requests were answered, failed or were refused, or cancelled', async () => {
    const index = new CostIndex();
    const nothing = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    index.add(record({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.25, ...CHEAP }));
    index.add(record({ time: '2026-07-25T11:00:00.000Z', costUsd: 0.25 }));
    // A budget refusal and a failure: records of requests no model answered.
    index.add(record({ time: '2026-07-25T12:00:00.000Z', costUsd: 0, usage: nothing, outcome: 'error', error: 'daily budget reached' }));
    index.add(record({ time: '2026-07-26T12:00:00.000Z', costUsd: 0, usage: nothing, outcome: 'error', error: 'HTTP 500' }));
    index.add(record({ time: '2026-07-26T13:00:00.000Z', costUsd: 0.01, outcome: 'cancelled' }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => undefined });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: {}, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.51');
    assert.equal(await page.locator('#total-requests').innerText(), '5', 'the count switchboard costs gives');
    assert.equal(await page.locator('#requests-detail').innerText(), '2 answered, 2 failed or refused, 1 cancelled');
    // All answered: nothing under the count.
    await send(viewMessage(DEFAULT_QUERY));
    await drawnWithCost('$1.88');
    assert.equal(await page.locator('#requests-detail').isVisible(), false);
    assert.deepEqual(errors, []);
  });

  it('says on each range button which days it covers: calendar days in local time, not the last 7×24 hours', async () => {
    assert.equal(await page.locator('[data-range="7d"]').getAttribute('title'), 'Today and the 6 calendar days before it, in local time (not the last 7×24 hours)');
    assert.equal(await page.locator('[data-range="today"]').getAttribute('title'), 'Today, from local midnight');
  });

  it('says how much of the spend was billed for no answer (a fallback\'s failed first try, a cut stream)', async () => {
    const index = new CostIndex();
    const used = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
    index.add(record({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.3, attempts: [{ provider: 'openai', model: 'gpt-5.4', error: 'stream cut', usage: used, costUsd: 0.1 }] }));
    index.add(record({ time: '2026-07-25T11:00:00.000Z', costUsd: 0.02, usage: used, outcome: 'error', error: 'stream cut' }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => undefined });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: {}, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.32');
    assert.equal(await page.locator('#cost-detail').innerText(), 'of which $0.12 billed for failed attempts and cut streams');
    await send(viewMessage(DEFAULT_QUERY));
    await drawnWithCost('$1.88');
    assert.equal(await page.locator('#cost-detail').isVisible(), false, 'nothing under the spend when all of it bought answers');
    assert.deepEqual(errors, []);
  });

  it('says while the host is still reading older files that the figures are short of them, and not once it is done', async () => {
    await send({ ...viewMessage(DEFAULT_QUERY), reading: { read: 1, files: 13 } } as DashboardHostMessage);
    await drawnWithCost('$1.88');
    assert.equal(await page.locator('#reading').innerText(), 'Still reading the ledger: 1 of 13 files read, newest first. Older days fill in as the rest are read; until then the figures are short of them.');
    await send(viewMessage(DEFAULT_QUERY, false, 0.5));
    await drawnWithCost('$2.38');
    assert.equal(await page.locator('#reading').isVisible(), false);
    assert.deepEqual(errors, []);
  });

  it('says routing saved $0.00, not "unknown" nor a fallback\'s difference, when it chose no cheaper model', async () => {
    const index = new CostIndex();
    // A plain route (no Auto): its first model failed and the second, cheaper, answered. A failure chose it.
    index.add(record({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.005, model: 'claude-haiku-4-5', attempts: [{ provider: 'anthropic', model: 'claude-opus-5', error: 'anthropic overloaded (529)' }] }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => ({ input: 15, output: 75 }) as never });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: { chat: 'anthropic:claude-opus-5' }, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.005');
    // Before, it read "$0.00025" saved: the fallback's lower price counted as routing's saving.
    // At the decimals the $0.005 spent is shown with, as every saving is (savingFigures).
    assert.equal(await page.locator('#saved').innerText(), '$0.000');
    assert.match(await page.locator('#savings-note').innerText(), /^Routing chose no cheaper model than each route's strong tier \(chat: anthropic:claude-opus-5\) for these requests\. Only Auto's choices of the cheap tier are compared .*a fallback after a failure.* counts at what it cost\./);
  });

  it('rounds the saving and the two costs it is the difference of alike, in the figure, the note and the table', async () => {
    const index = new CostIndex();
    // 100 in and 50 out cost $0.00525 on the strong tier, against $0.005: formatUsd alone read "$0.005, $0.0053, saved $0.00025".
    index.add(record({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.005, model: 'claude-haiku-4-5', ...CHEAP }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => ({ input: 15, output: 75 }) as never });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: { chat: 'anthropic:claude-opus-5' }, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.005');
    assert.equal(await page.locator('#saved').innerText(), '$0.00025');
    assert.match(await page.locator('#savings-note').innerText(), /^These requests cost \$0\.00500, and would have cost \$0\.00525 on each route's strong tier \(chat: anthropic:claude-opus-5\)\./);
    const row = await page.locator('#chart-savings table tbody tr', { hasText: '2026-07-25' }).evaluate((tr) => [...tr.querySelectorAll('td, th')].map((cell) => cell.textContent));
    assert.deepEqual(row, ['2026-07-25', '$0.00500', '$0.00525', '$0.00025']);
    assert.deepEqual(errors, []);
  });

  it('says "local, $0" for a model of a server on this machine nobody priced, in the costliest requests and the spend by model', async () => {
    // As the records say (costSource "local"), with no settings naming the server.
    const index = new CostIndex();
    index.add(record({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.5 }));
    index.add(record({ time: '2026-07-26T10:00:00.000Z', provider: 'ollama', model: 'llama3.1:8b', costUsd: 0, costSource: 'local' }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => ({ input: 15, output: 75 }) as never });
    const localModels = localModelsOf(report.view.byModel);
    assert.deepEqual(localModels, ['ollama:llama3.1:8b']);
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: {}, localModels, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$0.50');
    await page.waitForFunction(() => document.querySelectorAll('#top-requests tbody tr').length === 2);
    const header = await page.locator('#top-requests thead th').allInnerTexts();
    const costs = await page.locator('#top-requests tbody tr').evaluateAll((rows, column) => rows.map((row) => row.querySelectorAll('td')[column]?.textContent), header.indexOf('Cost') - 1);
    assert.deepEqual(costs, ['$0.50', 'local, $0']);
    // The chart's text table (folded under the chart, so read as text).
    const byModel = page.locator('table').filter({ hasText: 'Average latency' });
    assert.match((await byModel.locator('tr').filter({ hasText: 'llama3.1:8b' }).textContent()) ?? '', /local, \$0/);
    assert.doesNotMatch((await byModel.locator('tr').filter({ hasText: 'claude' }).textContent()) ?? '', /local/);
    // Spend per day: the day of only the local request says so in its model's cell and its total, not a bare $0.00;
    // the paid day's local column had no request, so $0.00.
    const daily = page.locator('table').filter({ hasText: 'Spend per day by model' });
    const texts = (cells: Element[]) => cells.map((cell) => cell.textContent ?? '');
    const headers = await daily.locator('thead th').evaluateAll(texts);
    const row = async (day: string) => (await daily.locator('tbody tr').filter({ hasText: day }).locator('th, td').evaluateAll(texts)).map((text, index) => [headers[index], text]);
    assert.deepEqual(await row('2026-07-26'), [[headers[0], '2026-07-26'], ['anthropic:claude-sonnet-5', '$0.00'], ['ollama:llama3.1:8b', 'local, $0'], ['Total', 'local, $0']]);
    assert.deepEqual(await row('2026-07-25'), [[headers[0], '2026-07-25'], ['anthropic:claude-sonnet-5', '$0.50'], ['ollama:llama3.1:8b', '$0.00'], ['Total', '$0.50']]);
    assert.deepEqual(await row('2026-07-24'), [[headers[0], '2026-07-24'], ['anthropic:claude-sonnet-5', '$0.00'], ['ollama:llama3.1:8b', '$0.00'], ['Total', '$0.00']], 'no request: $0.00');
    assert.deepEqual(errors, []);
  });

  it('marks a cost priced at a bound in the costliest requests, with what was reported as its tooltip', async () => {
    const index = new CostIndex();
    index.add(
      record({
        time: '2026-07-25T10:00:00.000Z',
        costUsd: 2.5,
        usage: { inputTokens: 10, outputTokens: 4096, cacheReadTokens: 0, cacheWriteTokens: 0 },
        reportedUsage: { inputTokens: 10, outputTokens: 2e9 },
        usageBound: { outputTokens: 4096 },
      }),
    );
    index.add(record({ time: '2026-07-26T10:00:00.000Z', costUsd: 0.5 }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => ({ input: 15, output: 75 }) as never });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: {}, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$3.00');
    const rows = page.locator('#top-requests tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('#top-requests tbody tr').length === 2);
    const header = await page.locator('#top-requests thead th').allInnerTexts();
    const cost = rows.first().locator('td').nth(header.indexOf('Cost') - 1);
    assert.equal(await cost.locator('.bound-mark').innerText(), 'priced at a bound');
    assert.equal(
      await cost.locator('.bound-mark').getAttribute('title'),
      'the provider reported 2,000,000,000 output tokens, more than the request could produce (4,096); priced at 4,096',
    );
    assert.match(await cost.innerText(), /^\$2\.50\s*priced at a bound$/);
    assert.equal(await rows.first().locator('td').last().innerText(), 'first model of the route', 'the reason column says only why this model');
    assert.equal(await rows.nth(1).locator('.bound-mark').count(), 0);
    assert.deepEqual(errors, []);
  });
  it("marks a vendor-named model's cost charged at its rate on a server on this machine, with It's Free (Local Server), which asks the host", async () => {
    const index = new CostIndex();
    const nano = { provider: 'openai', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costSource: 'price-table' as const };
    index.add(record({ time: '2026-07-25T10:00:00.000Z', ...nano, costUsd: 0.9, tableRateOnLocalServer: true }));
    index.add(record({ time: '2026-07-26T10:00:00.000Z', ...nano, costUsd: 0.5 }));
    const report = index.report({ range: RANGE, filters: DEFAULT_QUERY, strongPrice: () => ({ input: 15, output: 75 }) as never });
    await send({ type: 'view', query: DEFAULT_QUERY, view: report.view, top: report.top, strongModels: {}, empty: false, ledgerPath: '/tmp/ledger.jsonl' });
    await drawnWithCost('$1.40');
    await page.waitForFunction(() => document.querySelectorAll('#top-requests tbody tr').length === 2);
    const rows = page.locator('#top-requests tbody tr');
    const header = await page.locator('#top-requests thead th').allInnerTexts();
    const cost = rows.first().locator('td').nth(header.indexOf('Cost') - 1);
    assert.equal(await cost.locator('.table-rate-mark').innerText(), "vendor's rate, local server");
    assert.match((await cost.locator('.table-rate-mark').getAttribute('title')) ?? '', /^priced at OpenAI's rate from the price table, though its server was on this machine/);
    await cost.locator('button.free-local').click();
    assert.deepEqual((await posted()).at(-1), { type: 'freeOnLocalServer', model: 'openai:gpt-5.4-nano' });
    // The same model at OpenAI's own API: its cost alone.
    assert.equal(await rows.nth(1).locator('.table-rate-mark, button').count(), 0);
    // Named above the costliest requests too, which a small model's requests rarely reach.
    const note = page.locator('#table-rate-note');
    await note.waitFor({ state: 'visible' });
    assert.match(await note.innerText(), /^Charged at a vendor's rate though served on this machine:\s*openai:gpt-5\.4-nano \(1 request\): priced at OpenAI's rate/);
    await note.locator('button.free-local').click();
    assert.deepEqual((await posted()).at(-1), { type: 'freeOnLocalServer', model: 'openai:gpt-5.4-nano' });
    assert.deepEqual(errors, []);
  });
});
