/**
 * The four chart panels: spend per day by model, spend by task, tokens by model, and what routing saved. Each is a
 * chart with its text table (the chart's accessible alternative) under a disclosure; the chart and the table are
 * drawn as separate parts, so that no frame draws more than one of them.
 */
import { formatUsd, LOCAL_COST_TEXT } from '../../core/cost';
import { savingFigures } from '../../core/costs/savingFigures';
import { el } from '../dom';
import { formatLatency, formatTokens } from '../format';
import { CostChart } from './charts';
import { drawPart, type DrawPart } from './frameDrawer';
import { periodsOf, type Periods } from './periods';
import { dataTable, type Cell } from './tables';
import type { ViewMessage } from './viewMessage';

interface ChartPanel {
  chart: CostChart;
  tableHolder: HTMLElement;
  heading: HTMLElement;
  canvas: HTMLCanvasElement;
  summary: HTMLElement;
}

export class ChartPanels {
  private readonly charts: Record<'daily' | 'task' | 'tokens' | 'savings', ChartPanel>;

  /**
   * Adds the panels to `holder`, which must be in the page already: Chart.js sizes a chart from its canvas's box when
   * it is made. `savingsNote` goes under the savings chart.
   */
  constructor(holder: HTMLElement, savingsNote: HTMLElement) {
    const panel = (id: string, title: string, make: (canvas: HTMLCanvasElement) => CostChart, after?: HTMLElement): ChartPanel => {
      const canvas = el('canvas');
      const tableHolder = el('div', { class: 'table-holder' });
      const heading = el('h2');
      const summary = el('summary');
      holder.append(el('section', { class: 'chart-panel', id }, heading, el('div', { class: 'canvas-box' }, canvas), ...(after ? [after] : []), el('details', {}, summary, tableHolder)));
      const chartPanel = { chart: make(canvas), tableHolder, heading, canvas, summary };
      nameChart(chartPanel, title);
      return chartPanel;
    };
    this.charts = {
      daily: panel('chart-daily', 'Spend per day by model', (canvas) => new CostChart(canvas, 'bar', 'usd', { stacked: true })),
      task: panel('chart-task', 'Spend by task', (canvas) => new CostChart(canvas, 'bar', 'usd', { horizontal: true })),
      tokens: panel('chart-tokens', 'Tokens in and out by model', (canvas) => new CostChart(canvas, 'bar', 'tokens', { horizontal: true })),
      savings: panel('chart-savings', 'What routing saved', (canvas) => new CostChart(canvas, 'line', 'usd'), savingsNote),
    };
  }

  /** Each chart and then its table, in the order they take turns; the two read the same of a view. */
  parts(): DrawPart<ViewMessage>[] {
    const dailyKey = ({ view }: ViewMessage) => JSON.stringify([view.days, view.dailyByModel, view.savings.actual]);
    const tasksKey = ({ view }: ViewMessage) => JSON.stringify(view.byTask);
    const tokensKey = ({ view, localModels }: ViewMessage) => JSON.stringify([view.byModel, localModels]);
    const savingsKey = ({ view }: ViewMessage) => JSON.stringify([view.days, view.savings]);
    return [
      drawPart((message) => this.chartDaily(message), dailyKey),
      drawPart((message) => this.tableDaily(message), dailyKey),
      drawPart((message) => this.chartTasks(message), tasksKey),
      drawPart((message) => this.tableTasks(message), tasksKey),
      drawPart((message) => this.chartTokens(message), tokensKey),
      drawPart((message) => this.tableTokens(message), tokensKey),
      drawPart((message) => this.chartSavings(message), savingsKey),
      drawPart((message) => this.tableSavings(message), savingsKey),
    ];
  }

  /** A theme change swaps the CSS variables the charts were drawn with. */
  retheme(): void {
    for (const panel of Object.values(this.charts)) panel.chart.retheme();
  }

  private chartDaily({ view }: ViewMessage): void {
    const periods = periodsOf(view.days);
    nameChart(this.charts.daily, `Spend per ${periods.unit} by model`);
    this.charts.daily.chart.update(periods.labels, view.dailyByModel.map((series) => ({ label: series.label, values: periods.sum(series.values) })));
  }

  private tableDaily({ view, localModels }: ViewMessage): void {
    const periods = periodsOf(view.days);
    const local = new Set(localModels);
    const columns = view.dailyByModel.map((series) => ({ usd: periods.sum(series.values), priced: periods.sum(series.priced), local: local.has(series.label) }));
    const total = periods.sum(view.savings.actual);
    // A day of only local requests cost $0 as a price nobody set: "local, $0", as the model's line says (a bare
    // $0.00 read as nothing done, or as free by mistake). A local model's $0 beside paid models' spend is plain.
    const cellText = (usd: number, localPriced: number, priced: number) => (usd === 0 && localPriced > 0 && localPriced === priced ? LOCAL_COST_TEXT : formatUsd(usd));
    const rows = periods.labels.map((label, index) => {
      const priced = columns.reduce((count, column) => count + column.priced[index]!, 0);
      const localPriced = columns.reduce((count, column) => count + (column.local ? column.priced[index]! : 0), 0);
      return [
        label,
        ...columns.map((column) => cellText(column.usd[index]!, column.local ? column.priced[index]! : 0, column.priced[index]!)),
        cellText(total[index]!, localPriced, priced),
      ];
    });
    this.charts.daily.tableHolder.replaceChildren(dataTable(`Spend per ${periods.unit} by model (USD)`, [periodColumn(periods), ...view.dailyByModel.map((s) => s.label), 'Total'], rows));
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

  private tableTokens({ view, localModels }: ViewMessage): void {
    const local = new Set(localModels);
    // A local model's $0 is no price anyone set: "local, $0"; its requests recorded before, unpriced, are said apart (the unpriced note).
    const spend = (line: ViewMessage['view']['byModel'][number]) =>
      line.unpriced === line.requests ? 'unpriced' : local.has(line.model) && line.costUsd === 0 ? LOCAL_COST_TEXT : formatUsd(line.costUsd);
    this.charts.tokens.tableHolder.replaceChildren(
      dataTable('Tokens and spend by model', ['Model', 'Requests', 'Tokens in', 'Tokens out', 'Spend', 'Average latency'], view.byModel.map((line): Cell[] => [line.model, formatTokens(line.requests), formatTokens(line.inputTokens), formatTokens(line.outputTokens), spend(line), formatLatency(line.latencyMs)])),
    );
  }

  private chartSavings({ view }: ViewMessage): void {
    const periods = periodsOf(view.days);
    nameChart(this.charts.savings, periods.unit === 'day' ? 'What routing saved' : 'What routing saved, per week');
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
}

/** Names a chart panel: its heading, its canvas's label and its table's disclosure. */
function nameChart(panel: ChartPanel, title: string): void {
  if (panel.heading.textContent === title) return;
  panel.heading.textContent = title;
  panel.canvas.setAttribute('role', 'img');
  panel.canvas.setAttribute('aria-label', `${title}: chart; the same figures are in the table below it`);
  panel.summary.textContent = `${title} as a table`;
}

/** The first column of a per-period table. */
function periodColumn(periods: Periods): string {
  return periods.unit === 'day' ? 'Day' : 'Week from';
}
