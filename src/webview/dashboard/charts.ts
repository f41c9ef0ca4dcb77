/**
 * The dashboard's charts: Chart.js with only the parts used registered, so
 * the bundle carries bars, lines and their scales and nothing else. Colours
 * come from VS Code's theme variables (read at draw time, and again when the
 * theme changes). Chart.js sizes its canvas through the CSSOM (element.style),
 * which a CSP without 'unsafe-inline' allows; it injects no stylesheet.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import { formatUsd } from '../../core/cost';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** VS Code's chart colours, in the order series take them. */
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-red', '--vscode-charts-foreground'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#cca700', '#f14c4c', '#cccccc'];

export interface ThemeColours {
  series: string[];
  text: string;
  grid: string;
  font: string;
}

function themeColours(): ThemeColours {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: PALETTE.map((name, index) => read(name, FALLBACK[index]!)),
    text: read('--vscode-foreground', '#cccccc'),
    grid: read('--vscode-charts-lines', 'rgba(128, 128, 128, 0.3)'),
    font: read('--vscode-font-family', 'sans-serif'),
  };
}

export type Money = 'usd' | 'tokens';

/** A bar or line chart whose data is replaced in place (no animation) as new views arrive. */
export class CostChart {
  private readonly chart: Chart;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly kind: 'bar' | 'line',
    private readonly unit: Money,
    options: { stacked?: boolean; horizontal?: boolean } = {},
  ) {
    const colours = themeColours();
    const config: ChartConfiguration = {
      type: kind,
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: options.horizontal ? 'y' : 'x',
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { labels: { color: colours.text, boxWidth: 12, font: { family: colours.font } } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${this.format(Number(item.raw))}` } },
        },
        scales: {
          // Day labels all have one width: a few measured tell how many fit (measuring all 365 of a year took most of the layout).
          x: { stacked: options.stacked ?? false, ticks: { color: colours.text, ...(options.horizontal ? { callback: (value) => this.format(Number(value)) } : { sampleSize: 8 }) }, grid: { color: colours.grid } },
          y: { stacked: options.stacked ?? false, beginAtZero: true, ticks: { color: colours.text, ...(options.horizontal ? {} : { callback: (value) => this.format(Number(value)) }) }, grid: { color: colours.grid } },
        },
      },
    };
    this.chart = new Chart(canvas, config);
  }

  /** Replaces labels and series; draws once, without animation. */
  update(labels: string[], series: { label: string; values: number[]; dashed?: boolean }[]): void {
    const colours = themeColours();
    this.chart.data.labels = labels;
    // The datasets are changed in place, not replaced: Chart.js keeps their controllers and elements.
    const datasets = this.chart.data.datasets;
    series.forEach((entry, index) => {
      const colour = colours.series[index % colours.series.length]!;
      datasets[index] = Object.assign(datasets[index] ?? ({} as ChartDataset), {
        label: entry.label,
        data: entry.values,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: this.kind === 'line' ? 2 : 0,
        pointRadius: labels.length > 60 ? 0 : 2,
        borderDash: entry.dashed ? [6, 4] : [],
      });
    });
    datasets.length = series.length;
    this.chart.update('none');
  }

  /** Re-reads the theme's colours (after a theme change) and redraws. */
  retheme(): void {
    const colours = themeColours();
    const { scales, plugins } = this.chart.options;
    for (const axis of ['x', 'y'] as const) {
      const scale = scales?.[axis];
      if (scale?.ticks) scale.ticks.color = colours.text;
      if (scale && 'grid' in scale && scale.grid) scale.grid.color = colours.grid;
    }
    if (plugins?.legend?.labels) plugins.legend.labels.color = colours.text;
    this.chart.data.datasets.forEach((dataset, index) => {
      const colour = colours.series[index % colours.series.length]!;
      dataset.backgroundColor = colour;
      dataset.borderColor = colour;
    });
    this.chart.update('none');
  }

  private format(value: number): string {
    return this.unit === 'usd' ? formatUsd(value) : Math.round(value).toLocaleString('en-US');
  }
}
