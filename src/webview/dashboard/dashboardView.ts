/**
 * The cost dashboard page: range and filters, summary figures, four charts
 * each with its text table, and the costliest requests. Everything shown
 * arrives as a validated `view` message; the page only asks (query, export).
 * Views may arrive many times a second while requests stream in: the newest
 * one is drawn, in parts over a few animation frames (see scheduleFrame).
 */
import { formatUsd } from '../../core/cost';
import { RANGE_DESCRIPTIONS, RANGE_IDS, RANGE_LABELS, type RangeId } from '../../core/costs/dayRange';
import { handedOverNote } from '../../core/costs/handedOverNote';
import { savingFigures } from '../../core/costs/savingFigures';
import { SAVING_SCOPE, savingState } from '../../core/costs/savingScope';
import { unpricedNote } from '../../core/costs/unpricedNote';
import type { Task } from '../../core/types';
import { parseDashboardHostMessage, type DashboardHostMessage, type DashboardQuery } from '../../shared/dashboardProtocol';
import { button, el } from '../chat/dom';
import { formatLatency, formatTokens } from '../chat/format';
import { CostChart } from './charts';
import { periodsOf, type Periods } from './periods';
import { dataTable, type Cell } from './tables';
import type { DashboardChannel } from './vscodeApi';

type ViewMessage = Extract<DashboardHostMessage, { type: 'view' }>;

/** A part of the page drawn from a view: `shown` is the sequence number of the view it shows (0: none yet). */
interface DrawPart {
  draw(message: ViewMessage): void;
  /** What the part reads of a view, as a string: the part is not drawn again while it stays the same. */
  key?: (message: ViewMessage) => string;
  drawnKey?: string;
  shown: number;
}

interface ChartPanel {
  chart: CostChart;
  tableHolder: HTMLElement;
  heading: HTMLElement;
  canvas: HTMLCanvasElement;
  summary: HTMLElement;
}

export class DashboardView {
  private query: DashboardQuery;
  /** The newest view, and how many views have arrived (its sequence number). */
  private latest: ViewMessage | undefined;
  private received = 0;
  private frame = 0;
  /** The figures, and the parts drawn one per animation frame; each knows which view it shows. */
  private readonly figuresPart: DrawPart;
  private readonly parts: DrawPart[];
  /** Where the next frame looks for a part still showing an older view. */
  private cursor = 0;
  private readonly rangeButtons = new Map<RangeId, HTMLButtonElement>();
  private readonly selects: Record<'providers' | 'models' | 'tasks', HTMLSelectElement>;
  private readonly figures: Record<'cost' | 'requests' | 'unpriced' | 'saved' | 'served' | 'tokens', HTMLElement>;
  /** Under the request count, when any failed, were refused or cancelled: how many were answered. */
  private readonly requestsDetail = el('span', { class: 'figure-detail', id: 'requests-detail', hidden: true });
  /** Under the spend, when some of it bought no answer (failed attempts a provider billed, streams cut mid-answer): how much. */
  private readonly costDetail = el('span', { class: 'figure-detail', id: 'cost-detail', hidden: true });
  private readonly budgets: HTMLElement;
  /** While the host is still reading the ledger's older files: the figures are those read so far. */
  private readonly readingNote = el('p', { class: 'note', id: 'reading', hidden: true });
  private readonly empty: HTMLElement;
  /** The ways to a provider, shown only while none is usable: with one set, "No provider yet?" would read as a fault. */
  private readonly noProvider: HTMLElement;
  private readonly emptyTitle = el('h2', {}, 'No requests yet');
  /** The requests recorded before any answer (refusals are records too), said rather than charted. */
  private readonly unanswered = el('p', { id: 'unanswered', hidden: true });
  private readonly content: HTMLElement;
  private readonly status: HTMLElement;
  /**
   * What the foot line says: the ledger's path; a problem, until a view shows the ledger read again (one whose
   * read stopped at a file keeps it: the note above the figures points to it); or what an export wrote, until the
   * user does something else on the page (a live update's redraw put the ledger's line over it within a second).
   */
  private statusKind: 'ledger' | 'problem' | 'exported' = 'ledger';
  private readonly topHolder: HTMLElement;
  private readonly top: HTMLElement;
  private readonly charts: Record<'daily' | 'task' | 'tokens' | 'savings', ChartPanel>;
  private readonly savingsNote: HTMLElement;
  /** Which requests the spend leaves out, and why: without it "Unpriced requests: 3" reads as a puzzle. */
  private readonly unpricedNote = el('p', { class: 'note', id: 'unpriced-note', hidden: true });

  constructor(
    private readonly root: HTMLElement,
    private readonly host: DashboardChannel,
  ) {
    this.query = host.savedQuery();
    const header = el('header', { class: 'toolbar' });
    const ranges = el('div', { class: 'ranges', role: 'radiogroup', 'aria-label': 'Range' });
    for (const id of RANGE_IDS) {
      const choice = button(RANGE_LABELS[id], { role: 'radio', 'data-range': id, 'aria-checked': 'false', title: RANGE_DESCRIPTIONS[id] });
      choice.addEventListener('click', () => this.ask({ ...this.query, range: id }));
      this.rangeButtons.set(id, choice);
      ranges.append(choice);
    }
    this.selects = {
      providers: this.filter('Provider', 'All providers', 'filter-provider'),
      models: this.filter('Model', 'All models', 'filter-model'),
      tasks: this.filter('Task', 'All tasks', 'filter-task'),
    };
    const exportButton = button('Export CSV…', { id: 'export', title: 'Save the requests of this range and these filters as CSV, one row per request' });
    exportButton.addEventListener('click', () => {
      this.userActed();
      this.host.post({ type: 'export', query: this.query });
    });
    header.append(el('h1', {}, 'Costs'), ranges, ...Object.values(this.selects).map((select) => select.parentElement!), exportButton);

    const setKey = el('a', { href: '#', id: 'set-key' }, 'Set API Key…');
    setKey.addEventListener('click', (event) => {
      event.preventDefault();
      this.userActed();
      this.host.post({ type: 'setKey' });
    });
    this.noProvider = el('p', { id: 'no-provider', hidden: true }, 'No provider yet? ', setKey, ', set up AWS credentials for Bedrock, or a local server (Switchboard: Use a Local Server…).');
    this.empty = el(
      'section',
      { id: 'empty', hidden: true },
      this.emptyTitle,
      this.unanswered,
      el('p', {}, 'Every request Switchboard makes, from this window, other windows and the switchboard CLI, is recorded with what it cost. Once there are some, this page shows where the money goes.'),
      // Opened before the first request, with a key or without: the first step either way.
      el('p', {}, 'Ask in the chat panel, or pause while typing code for ghost text.'),
      this.noProvider,
    );

    const figure = (id: string, label: string) => {
      const value = el('span', { class: 'figure-value', id });
      return { box: el('div', { class: 'figure' }, el('span', { class: 'figure-label' }, label), value), value };
    };
    const cost = figure('total-cost', 'Spent');
    cost.box.append(this.costDetail);
    const requests = figure('total-requests', 'Requests');
    requests.box.append(this.requestsDetail);
    const unpriced = figure('total-unpriced', 'Unpriced requests');
    const saved = figure('saved', 'Saved by routing');
    // Next to what routing saved: the other thing Switchboard spares the user, requests never made. A count, not
    // dollars: how many of them would have become a request (rather than been debounced away) is not known.
    const served = figure('total-served', 'Ghost text served without a request');
    served.box.title = 'Inline suggestions shown from the cache, while typing through one already shown, or from a request already under way: no model was asked, nothing was spent.';
    const tokens = figure('tokens', 'Tokens in / out');
    this.figures = { cost: cost.value, requests: requests.value, unpriced: unpriced.value, saved: saved.value, served: served.value, tokens: tokens.value };
    const summary = el('section', { id: 'summary', 'aria-label': 'Summary', 'aria-live': 'polite' }, cost.box, requests.box, saved.box, served.box, tokens.box, unpriced.box);
    // Budgets are today's and this month's whatever the range shown: what the next requests may still spend.
    this.budgets = el('section', { id: 'budgets', 'aria-label': 'Budgets' });
    this.budgets.hidden = true;

    this.savingsNote = el('p', { class: 'note', id: 'savings-note' });
    const panels = el('div', { class: 'charts' });
    const panel = (id: string, title: string, make: (canvas: HTMLCanvasElement) => CostChart, after?: HTMLElement): ChartPanel => {
      const canvas = el('canvas');
      const tableHolder = el('div', { class: 'table-holder' });
      const heading = el('h2');
      const summary = el('summary');
      panels.append(el('section', { class: 'chart-panel', id }, heading, el('div', { class: 'canvas-box' }, canvas), ...(after ? [after] : []), el('details', {}, summary, tableHolder)));
      const chartPanel = { chart: make(canvas), tableHolder, heading, canvas, summary };
      this.title(chartPanel, title);
      return chartPanel;
    };
    this.content = el('div', { id: 'content' }, this.readingNote, summary, this.unpricedNote, this.budgets, panels);
    this.topHolder = el('div', { class: 'table-holder', id: 'top-requests' });
    this.status = el('p', { id: 'status', role: 'status' });
    this.top = el('section', { id: 'top' }, el('h2', {}, 'Most expensive requests'), this.topHolder);
    root.append(header, this.empty, this.content, this.top, this.status);
    this.charts = {
      daily: panel('chart-daily', 'Spend per day by model', (canvas) => new CostChart(canvas, 'bar', 'usd', { stacked: true })),
      task: panel('chart-task', 'Spend by task', (canvas) => new CostChart(canvas, 'bar', 'usd', { horizontal: true })),
      tokens: panel('chart-tokens', 'Tokens in and out by model', (canvas) => new CostChart(canvas, 'bar', 'tokens', { horizontal: true })),
      savings: panel('chart-savings', 'What routing saved', (canvas) => new CostChart(canvas, 'line', 'usd'), this.savingsNote),
    };

    const part = (draw: (message: ViewMessage) => void, key?: (message: ViewMessage) => string): DrawPart => ({ draw, key, shown: 0 });
    // What each chart and its table read of the view: one that did not change is not drawn again.
    const dailyKey = ({ view }: ViewMessage) => JSON.stringify([view.days, view.dailyByModel, view.savings.actual]);
    const tasksKey = ({ view }: ViewMessage) => JSON.stringify(view.byTask);
    const tokensKey = ({ view }: ViewMessage) => JSON.stringify(view.byModel);
    const savingsKey = ({ view }: ViewMessage) => JSON.stringify([view.days, view.savings]);
    this.figuresPart = part((message) => this.drawFigures(message));
    this.parts = [
      part((message) => this.chartDaily(message), dailyKey),
      part((message) => this.tableDaily(message), dailyKey),
      part((message) => this.chartTasks(message), tasksKey),
      part((message) => this.tableTasks(message), tasksKey),
      part((message) => this.chartTokens(message), tokensKey),
      part((message) => this.tableTokens(message), tokensKey),
      part((message) => this.chartSavings(message), savingsKey),
      part((message) => this.tableSavings(message), savingsKey),
      part((message) => this.drawTop(message), ({ top, ledgerPath }) => JSON.stringify([top, ledgerPath])),
    ];

    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    // A theme change swaps the CSS variables the charts were drawn with.
    new MutationObserver(() => Object.values(this.charts).forEach((panel) => panel.chart.retheme())).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.showQuery();
    host.post({ type: 'ready', query: this.query });
  }

  private filter(label: string, all: string, id: string): HTMLSelectElement {
    const select = el('select', { id });
    select.append(el('option', { value: '' }, all));
    select.addEventListener('change', () => {
      const value = select.value;
      const key = id === 'filter-provider' ? 'providers' : id === 'filter-model' ? 'models' : 'tasks';
      this.ask({ ...this.query, [key]: value ? [value] : [] });
    });
    el('label', { class: 'filter' }, el('span', {}, label), select);
    return select;
  }

  private ask(query: DashboardQuery): void {
    this.userActed();
    this.query = query;
    this.host.saveQuery(query);
    this.showQuery();
    this.host.post({ type: 'query', query });
  }

  private showQuery(): void {
    for (const [id, choice] of this.rangeButtons) choice.setAttribute('aria-checked', String(id === this.query.range));
  }

  private receive(raw: unknown): void {
    const message = parseDashboardHostMessage(raw);
    if (!message) {
      console.warn('Switchboard costs: dropped a malformed message from the host');
      return;
    }
    if (message.type === 'problem') {
      this.showStatus('problem', message.message);
      return;
    }
    if (message.type === 'exported') {
      const served = message.served ? `, and ${formatTokens(message.served)} ${suggestions(message.served)} served without a request,` : '';
      this.showStatus('exported', `Exported ${formatTokens(message.requests)} requests (${formatUsd(message.totalUsd)})${served} to ${message.file}.`);
      return;
    }
    // Read again: the problem is over, even if the view draws nothing new. A read that stopped at a file it could
    // not read is not over: its views (the live file is still followed) keep the problem that names the file.
    if (this.statusKind === 'problem' && !message.reading?.stopped) this.showStatus('ledger', ledgerLine(message.ledgerPath));
    this.latest = message;
    this.received++;
    this.root.dataset.received = String(this.received);
    this.scheduleFrame();
  }

  /**
   * A view is drawn over a few animation frames: each frame redraws the
   * figures if they show an older view (they are cheap, and what a click on a
   * range should change at once), and one chart, or one text table, or the
   * costliest requests, that shows an older view, taking the parts in turn
   * (a part whose data did not change is passed over without drawing).
   * Redrawing all four charts and tables in one task took longer than a frame
   * (up to 87 ms p99 on a live update in headless Chromium), so the page
   * stuttered while requests streamed in. Every part is drawn from the newest
   * view, and the turn goes on from the last part drawn rather than starting
   * over when a view arrives mid-draw: views arriving every frame cannot keep
   * the later charts from being drawn. Once every part shows the newest view,
   * the root's `data-drawn` says which one (its `data-received` sequence
   * number): tests and the benchmark wait on that.
   */
  private scheduleFrame(): void {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      const message = this.latest;
      if (!message) return;
      if (this.figuresPart.shown < this.received) this.drawPart(this.figuresPart, message);
      // Parts whose data did not change cost nothing: go on to one that must be drawn.
      for (let next = this.nextStale(); next !== undefined; next = this.nextStale()) {
        this.cursor = (next + 1) % this.parts.length;
        if (this.drawPart(this.parts[next]!, message)) break;
      }
      if (this.nextStale() === undefined) this.root.dataset.drawn = String(this.received);
      else this.scheduleFrame();
    });
  }

  /** Brings the part to the newest view; false when what it shows did not change, so nothing was drawn. */
  private drawPart(part: DrawPart, message: ViewMessage): boolean {
    part.shown = this.received;
    const key = part.key?.(message);
    if (key !== undefined && key === part.drawnKey) return false;
    part.draw(message);
    part.drawnKey = key;
    return true;
  }

  /** The first part from the cursor on that shows an older view than the newest. */
  private nextStale(): number | undefined {
    for (let offset = 0; offset < this.parts.length; offset++) {
      const index = (this.cursor + offset) % this.parts.length;
      if (this.parts[index]!.shown < this.received) return index;
    }
    return undefined;
  }

  private drawFigures(message: ViewMessage): void {
    const { view } = message;
    this.empty.hidden = !message.empty;
    this.noProvider.hidden = message.noProvider !== true;
    const unanswered = message.empty ? (message.unanswered ?? 0) : 0;
    this.emptyTitle.textContent = unanswered > 0 ? 'No answers yet' : 'No requests yet';
    this.unanswered.hidden = unanswered === 0;
    this.unanswered.textContent =
      unanswered === 1
        ? '1 request so far, not answered: refused before any model was asked (no provider yet) or failed. Switchboard: Show Log says why.'
        : `${unanswered.toLocaleString('en-US')} requests so far, none answered: refused before any model was asked (no provider yet) or failed. Switchboard: Show Log says why.`;
    this.content.hidden = message.empty;
    // With nothing recorded, "no priced request in this range" under the empty state only repeats it.
    this.top.hidden = message.empty;
    this.root.dataset.range = message.query.range;
    this.fillFilter(this.selects.providers, view.available.providers, message.query.providers);
    this.fillFilter(this.selects.models, view.available.models, message.query.models);
    this.fillFilter(this.selects.tasks, view.available.tasks, message.query.tasks);

    const { totals, savings } = view;
    const reading = message.reading;
    this.readingNote.hidden = reading === undefined;
    if (!reading) this.readingNote.textContent = '';
    // The figures stay (they are what could be read), but no more files are coming.
    else if (reading.stopped) this.readingNote.textContent = `Stopped reading the ledger: ${reading.read} of ${reading.files} files read, newest first, then one could not be read (said at the foot of the page). The figures leave out the files not read.`;
    else this.readingNote.textContent = `Still reading the ledger: ${reading.read} of ${reading.files} files read, newest first. Older days fill in as the rest are read; until then the figures are short of them.`;
    this.figures.cost.textContent = formatUsd(totals.costUsd);
    // Billed for no answer is still spent: said, so a spend above what the answers cost is explained.
    this.costDetail.hidden = !(totals.failedUsd > 0);
    this.costDetail.textContent = totals.failedUsd > 0 ? `of which ${formatUsd(totals.failedUsd)} billed for failed attempts and cut streams` : '';
    this.costDetail.title = 'A model tried first that failed after its provider had billed it (then another answered), or an answer whose stream was cut: billed, nothing usable came back.';
    this.figures.requests.textContent = formatTokens(totals.requests);
    // Refusals (a budget, no provider) and failures are records too: said, so the count is not read as answers.
    const notAnswered = [
      ...(totals.failed > 0 ? [`${formatTokens(totals.failed)} failed or refused`] : []),
      ...(totals.cancelled > 0 ? [`${formatTokens(totals.cancelled)} cancelled`] : []),
    ];
    this.requestsDetail.hidden = notAnswered.length === 0;
    this.requestsDetail.textContent = notAnswered.length ? `${formatTokens(totals.requests - totals.failed - totals.cancelled)} answered, ${notAnswered.join(', ')}` : '';
    this.figures.unpriced.textContent = formatTokens(totals.unpriced);
    // Rounded as the note's two costs are, so the three add up.
    const shown = savingFigures(savings.actualUsd, savings.strongUsd);
    // Cheap-tier answers none of which could be compared (no price) are no saving of $0.00: it is not known.
    // No cheap-tier answer at all (Auto off) is: routing chose nothing cheaper.
    const state = savingState(savings, totals.requests);
    const unknown = state === 'unknown';
    this.figures.saved.textContent = unknown ? 'unknown' : `${shown.sign < 0 ? '−' : ''}${shown.saved}`;
    this.figures.served.textContent = formatTokens(totals.served);
    this.figures.tokens.textContent = `${formatTokens(totals.inputTokens)} / ${formatTokens(totals.outputTokens)}`;
    const unpriced = totals.unpriced > 0 ? unpricedNote(message.unpriced ?? []) : undefined;
    this.unpricedNote.hidden = unpriced === undefined;
    this.unpricedNote.textContent = unpriced ? `${unpriced}.` : '';
    const budgets = message.budgets ?? [];
    this.budgets.hidden = budgets.length === 0;
    this.budgets.replaceChildren(...budgets.map((budget) => el('p', { class: `budget budget-${budget.level}` }, budget.text)));
    const strong = Object.entries(message.strongModels).map(([task, model]) => `${task}: ${model}`).join('; ');
    this.savingsNote.textContent =
      (unknown
        ? `Routing's saving unknown: no answer routing sent to the cheap tier has both a price and a priced strong tier to compare with (${strong || 'none priced'}).`
        : state === 'none'
          ? `Routing chose no cheaper model than each route's strong tier (${strong || 'none priced'}) for these requests.`
          : `These requests cost ${shown.actual}, and would have cost ${shown.strong} on each route's strong tier (${strong || 'none priced'}).`) +
      ` ${SAVING_SCOPE}.` +
      // Only routing's own choices are compared, so only a retry on the strong tier can make it cost more.
      (shown.sign < 0 ? ' Routing cost more: cheap-tier answers retried on the strong tier, or a cheap tier dearer than its strong tier.' : '') +
      (savings.handedOverRequests > 0 ? ` ${handedOverNote(savings)}` : '') +
      servedNote(totals.served);
  }

  /** Names a chart panel: its heading, its canvas's label and its table's disclosure. */
  private title(panel: ChartPanel, title: string): void {
    if (panel.heading.textContent === title) return;
    panel.heading.textContent = title;
    panel.canvas.setAttribute('role', 'img');
    panel.canvas.setAttribute('aria-label', `${title}: chart; the same figures are in the table below it`);
    panel.summary.textContent = `${title} as a table`;
  }

  private chartDaily({ view }: ViewMessage): void {
    const periods = periodsOf(view.days);
    this.title(this.charts.daily, `Spend per ${periods.unit} by model`);
    this.charts.daily.chart.update(periods.labels, view.dailyByModel.map((series) => ({ label: series.label, values: periods.sum(series.values) })));
  }

  private tableDaily({ view }: ViewMessage): void {
    const periods = periodsOf(view.days);
    const columns = view.dailyByModel.map((series) => periods.sum(series.values));
    const total = periods.sum(view.savings.actual);
    this.charts.daily.tableHolder.replaceChildren(
      dataTable(`Spend per ${periods.unit} by model (USD)`, [periodColumn(periods), ...view.dailyByModel.map((s) => s.label), 'Total'], periods.labels.map((label, index) => [label, ...columns.map((values) => formatUsd(values[index]!)), formatUsd(total[index]!)])),
    );
  }

  private chartTasks({ view }: ViewMessage): void {
    this.charts.task.chart.update(view.byTask.map((line) => line.task), [{ label: 'Spend', values: view.byTask.map((line) => line.costUsd) }]);
  }

  private tableTasks({ view }: ViewMessage): void {
    // Ghost text served without a request is counted beside the requests, never priced; only completions have any.
    this.charts.task.tableHolder.replaceChildren(
      dataTable(
        'Spend by task',
        ['Task', 'Requests', 'Spend', 'Unpriced', 'Served without a request'],
        view.byTask.map((line) => [line.task, formatTokens(line.requests), formatUsd(line.costUsd), formatTokens(line.unpriced), line.task === 'completion' ? formatTokens(line.served) : '—']),
      ),
    );
  }

  private chartTokens({ view }: ViewMessage): void {
    const models = view.byModel;
    this.charts.tokens.chart.update(models.map((line) => line.model), [
      { label: 'Tokens in', values: models.map((line) => line.inputTokens) },
      { label: 'Tokens out', values: models.map((line) => line.outputTokens) },
    ]);
  }

  private tableTokens({ view }: ViewMessage): void {
    this.charts.tokens.tableHolder.replaceChildren(
      dataTable('Tokens and spend by model', ['Model', 'Requests', 'Tokens in', 'Tokens out', 'Spend', 'Average latency'], view.byModel.map((line): Cell[] => [line.model, formatTokens(line.requests), formatTokens(line.inputTokens), formatTokens(line.outputTokens), line.unpriced === line.requests ? 'unpriced' : formatUsd(line.costUsd), formatLatency(line.latencyMs)])),
    );
  }

  private chartSavings({ view }: ViewMessage): void {
    const periods = periodsOf(view.days);
    this.title(this.charts.savings, periods.unit === 'day' ? 'What routing saved' : 'What routing saved, per week');
    this.charts.savings.chart.update(periods.labels, [
      { label: 'Cost', values: periods.sum(view.savings.actual) },
      { label: 'On the strong tier', values: periods.sum(view.savings.strong), dashed: true },
    ]);
  }

  private tableSavings({ view }: ViewMessage): void {
    const periods = periodsOf(view.days);
    const [actual, strong] = [periods.sum(view.savings.actual), periods.sum(view.savings.strong)];
    this.charts.savings.tableHolder.replaceChildren(
      dataTable(
        `What routing saved per ${periods.unit} (USD)`,
        [periodColumn(periods), 'Cost', 'On the strong tier', 'Saved'],
        periods.labels.map((label, index) => {
          // Each row's three figures rounded alike, so its saving is the difference of the two costs beside it.
          const shown = savingFigures(actual[index]!, strong[index]!);
          return [label, shown.actual, shown.strong, `${shown.sign < 0 ? '−' : ''}${shown.saved}`];
        }),
      ),
    );
  }

  private drawTop({ top, ledgerPath }: ViewMessage): void {
    this.topHolder.replaceChildren(
      top.length === 0
        ? el('p', { class: 'note' }, 'No priced request in this range.')
        : dataTable(
            'The costliest requests of the range',
            ['Time', 'Task', 'Model', 'Tokens in', 'Tokens out', 'Cost', 'Latency', 'Why this model'],
            top.map((row) => [new Date(row.time).toLocaleString(), row.task, `${row.provider}:${row.model}`, formatTokens(row.inputTokens), formatTokens(row.outputTokens), costCell(row), formatLatency(row.latencyMs), row.reason]),
            'data-table top-table',
          ),
    );
    // A problem said after this view arrived (the host sends the files it could read, then why it stopped) stays
    // until the next view, and an export's result until the user acts: drawing this view a frame later must not
    // put the ledger's line over either.
    if (this.statusKind === 'ledger') this.status.textContent = ledgerLine(ledgerPath);
  }

  private showStatus(kind: 'ledger' | 'problem' | 'exported', text: string): void {
    this.statusKind = kind;
    this.status.textContent = text;
    this.status.classList.toggle('problem', kind === 'problem');
  }

  /** The user did something else: an export's result gives way to the ledger's line (a problem stays). */
  private userActed(): void {
    if (this.statusKind === 'exported') this.showStatus('ledger', this.latest ? ledgerLine(this.latest.ledgerPath) : '');
  }

  /** Options from what the range holds; the chosen one is kept even when the range has none of it. */
  private fillFilter(select: HTMLSelectElement, values: readonly (string | Task)[], chosen: readonly string[]): void {
    const current = chosen[0] ?? '';
    const wanted = [...new Set([...values, ...(current ? [current] : [])])];
    const existing = [...select.options].slice(1).map((option) => option.value);
    if (existing.join('\n') !== wanted.join('\n')) {
      select.replaceChildren(select.options[0]!, ...wanted.map((value) => el('option', { value }, value)));
    }
    select.value = current;
  }
}

function ledgerLine(ledgerPath: string): string {
  return `Ledger: ${ledgerPath} (shared with other windows and the switchboard CLI)`;
}

/** What the savings figure leaves out: completions served without a request are counted, never priced. */
type TopRow = ViewMessage['top'][number];

/** The cost, marked when it was priced at a bound (the note, what was reported, as its tooltip). */
function costCell(row: TopRow): Cell {
  if (!row.pricedAtBound) return formatUsd(row.costUsd);
  return el('span', {}, formatUsd(row.costUsd), el('span', { class: 'bound-mark', title: row.pricedAtBound }, 'priced at a bound'));
}

function servedNote(served: number): string {
  if (served === 0) return '';
  return ` Not in this comparison: ${formatTokens(served)} ${suggestions(served)} served without a request (from the cache, typed through, or from a request already under way), counted but not priced, since no request was made.`;
}

function suggestions(count: number): string {
  return count === 1 ? 'ghost-text suggestion' : 'ghost-text suggestions';
}

/** The first column of a per-period table. */
function periodColumn(periods: Periods): string {
  return periods.unit === 'day' ? 'Day' : 'Week from';
}
