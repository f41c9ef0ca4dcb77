import { costAtTier, roundUsd } from '../cost';
import type { ModelPrice } from '../prices/priceTable';
import { TASKS, type Task } from '../types';
import { countsInFigures, type LedgerCell } from '../ledger/totals';
import { daysBetween, inRange, type DayRange } from './dayRange';

/** Which requests a report covers; an empty list means every value. */
export interface CostFilters {
  providers?: readonly string[];
  /** `provider:model` */
  models?: readonly string[];
  tasks?: readonly Task[];
}

export interface CostLine {
  requests: number;
  costUsd: number;
  /** Requests of which nothing has a known price: not in costUsd, not $0 either. */
  unpriced: number;
}

export interface ModelLine extends CostLine {
  /** `provider:model` */
  model: string;
  provider: string;
  /** Every prompt token (uncached, cache reads and writes). */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Average over its requests. */
  latencyMs: number;
  /** Of its requests, those recorded as served on this machine that nobody priced (LedgerCell.local). Absent when none. */
  local?: number;
  /** Of its requests, those charged at the vendor's rate on a server on this machine (LedgerCell.tableRate). Absent when none. */
  tableRate?: number;
}

export interface Series {
  label: string;
  /** One value a day, in the order of `CostView.days`. */
  values: number[];
  /**
   * Requests with a recorded cost a day: a $0 with some is a model that costs nothing (a local server's, said
   * "local, $0"), one with none is no request at all.
   */
  priced: number[];
}

export interface CostView {
  /** The days the view covers, first to last, every day included (the x-axis). */
  days: string[];
  /**
   * With `failed` (of `requests`: failed, or refused before any model was
   * asked, as by a budget) and `cancelled` (of `requests`: stopped before the
   * answer ended): a count of requests read as a count of answers otherwise.
   * `failedUsd`: of costUsd, what was billed for no answer (failed attempts a
   * provider billed, streams cut mid-answer), so the spend is explained.
   */
  totals: CostLine & { failed: number; cancelled: number; served: number; inputTokens: number; outputTokens: number; failedUsd: number };
  /** Spend a day by model: the costliest models each have a series, the rest share one ("other models"). */
  dailyByModel: Series[];
  /** With `served`: the task's suggestions served without a request (only completion has any), counted, never priced. */
  byTask: (CostLine & { task: Task; served: number })[];
  byModel: ModelLine[];
  byProvider: (CostLine & { provider: string })[];
  savings: Savings;
  /** What the filters can choose from: every provider, model and task in the range, filters aside. */
  available: { providers: string[]; models: string[]; tasks: Task[] };
}

export interface Savings {
  /** What the same requests cost a day… */
  actual: number[];
  /**
   * …and would have cost on their route's strong tier. Only the answers
   * routing sent to a cheaper tier on purpose (Auto's cheap tier, and their
   * retries: LedgerCell.chosen) are priced there; every other request (a
   * plain route, a fallback after a failure, a model picked by hand, a
   * budget's downgrade, an unpriced model or strong tier) counts at what it
   * cost, so the two lines differ by what routing saved.
   */
  strong: number[];
  actualUsd: number;
  strongUsd: number;
  /** strongUsd - actualUsd; negative when routing cost more (cheap answers retried on the strong tier). */
  savedUsd: number;
  /**
   * Requests priced at the strong tier (routing's priced choices); the rest
   * are counted at their own cost. Requests that used no token (refused
   * before any model was asked) compare nothing and are not counted.
   */
  comparedRequests: number;
  /**
   * Answers routing sent to a cheaper tier on purpose, priced or not: none
   * means routing saved nothing ($0.00, Auto off or never choosing the cheap
   * tier); some with none compared means the saving is unknown.
   */
  chosenRequests: number;
  /**
   * Auto's hand-overs from a failed strong tier to the cheap tier: counted at
   * what they cost on both lines (routing did not choose the cheap tier, a
   * failure did), and what they cost less than the strong tier, shown apart.
   */
  handedOverRequests: number;
  handedOverUsd: number;
}

export interface CostViewOptions {
  range: DayRange;
  filters?: CostFilters;
  /** A task's strong-tier price (see strongTier.ts); undefined: not compared. */
  strongPrice: (task: Task) => ModelPrice | undefined;
  /** Stacked series shown apart before the rest become "other models". */
  maxSeries?: number;
}

export const OTHER_MODELS = 'other models';

/**
 * Everything the dashboard draws, from the ledger's cells: one pass over the
 * cells (a few thousand for a year), never over records.
 */
export function costView(cells: Iterable<LedgerCell>, options: CostViewOptions): CostView {
  const { range, strongPrice } = options;
  const filter = compileFilters(options.filters ?? {});
  const providers = new Set<string>();
  const models = new Set<string>();
  const tasks = new Set<Task>();
  const chosen: LedgerCell[] = [];
  let firstDay: string | undefined;
  for (const cell of cells) {
    // Requests never sent (no setup yet) are in no figure, so no filter names a model, provider or task of theirs
    // alone (choosing it showed nothing at all), and they start no range.
    if (!inRange(cell.day, range) || !countsInFigures(cell)) continue;
    if (firstDay === undefined || cell.day < firstDay) firstDay = cell.day;
    providers.add(cell.provider);
    models.add(`${cell.provider}:${cell.model}`);
    tasks.add(cell.task);
    if (filter(cell)) chosen.push(cell);
  }

  const days = daysBetween(range.from ?? firstDay ?? range.to, range.to);
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const totals = { requests: 0, failed: 0, cancelled: 0, costUsd: 0, unpriced: 0, served: 0, inputTokens: 0, outputTokens: 0, failedUsd: 0 };
  const byTask = new Map<Task, CostLine & { task: Task; served: number }>();
  const taskLine = (task: Task) => byTask.get(task) ?? set(byTask, task, { task, ...emptyLine(), served: 0 });
  const byProvider = new Map<string, CostLine & { provider: string }>();
  const byModel = new Map<string, ModelLine & { daily: number[]; dailyPriced: number[] }>();
  const actual = new Array<number>(days.length).fill(0);
  const strong = new Array<number>(days.length).fill(0);
  let comparedRequests = 0;
  let chosenRequests = 0;
  let handedOverRequests = 0;
  let handedOverUsd = 0;

  for (const cell of chosen) {
    const index = dayIndex.get(cell.day)!;
    const key = `${cell.provider}:${cell.model}`;
    const prompt = promptOf(cell);
    totals.served += cell.served;
    totals.requests += cell.requests;
    totals.failed += cell.errors;
    totals.cancelled += cell.cancelled;
    totals.costUsd += cell.costUsd;
    totals.failedUsd += cell.failedUsd ?? 0;
    totals.unpriced += cell.unpriced;
    totals.inputTokens += prompt;
    totals.outputTokens += cell.usage.outputTokens + cell.longUsage.outputTokens;
    if (cell.served > 0) taskLine(cell.task).served += cell.served;
    if (cell.requests === 0 && cell.billedAttempts === 0) continue;

    addTo(taskLine(cell.task), cell);
    addTo((byProvider.get(cell.provider) ?? set(byProvider, cell.provider, { provider: cell.provider, ...emptyLine() })), cell);
    const model = byModel.get(key) ?? set(byModel, key, { model: key, provider: cell.provider, ...emptyModelLine(days.length) });
    addTo(model, cell);
    model.inputTokens += prompt;
    model.outputTokens += cell.usage.outputTokens + cell.longUsage.outputTokens;
    model.cacheReadTokens += cell.usage.cacheReadTokens + cell.longUsage.cacheReadTokens;
    model.cacheWriteTokens += cell.usage.cacheWriteTokens + cell.longUsage.cacheWriteTokens;
    model.latencyMs += cell.latencyMs;
    if (cell.local) model.local = (model.local ?? 0) + cell.local;
    if (cell.tableRate) model.tableRate = (model.tableRate ?? 0) + cell.tableRate;
    model.daily[index]! += cell.costUsd;
    model.dailyPriced[index]! += cell.requests - cell.unpriced;

    actual[index]! += cell.costUsd;
    // Every request counts at what it cost on both lines, but for those routing chose cheaper on purpose, which
    // count at the strong tier's price: a plain route's fallback after a failure, a model picked by hand or a
    // budget's downgrade is no saving of routing's (nor a loss when the fallback is dearer).
    strong[index]! += cell.costUsd;
    const price = strongPrice(cell.task);
    const chosen = cell.chosen;
    if (chosen) chosenRequests += chosen.requests + chosen.unpriced;
    if (!price) continue;
    if (chosen && chosen.requests > 0) {
      strong[index]! += costAtTier(chosen.usage, price, false) + costAtTier(chosen.longUsage, price, true) - chosen.costUsd;
      comparedRequests += chosen.requests;
    }
    // Auto's hand-overs from a failed strong tier: at their cost on both lines, what they cost less said apart.
    const handed = cell.handedOver;
    if (handed && handed.requests > 0) {
      handedOverUsd += costAtTier(handed.usage, price, false) + costAtTier(handed.longUsage, price, true) - handed.costUsd;
      handedOverRequests += handed.requests;
    }
  }

  const modelLines = [...byModel.values()].sort((a, b) => b.costUsd - a.costUsd || b.requests - a.requests || a.model.localeCompare(b.model));
  const actualUsd = sum(actual);
  const strongUsd = sum(strong);
  return {
    days,
    totals: { ...totals, costUsd: roundUsd(totals.costUsd), failedUsd: roundUsd(totals.failedUsd) },
    dailyByModel: stackedSeries(modelLines, days.length, options.maxSeries ?? 7),
    byTask: TASKS.flatMap((task) => (byTask.has(task) ? [rounded(byTask.get(task)!)] : [])),
    byModel: modelLines.map(({ daily: _daily, dailyPriced: _dailyPriced, ...line }) => rounded({ ...line, latencyMs: line.requests ? Math.round(line.latencyMs / line.requests) : 0 })),
    byProvider: [...byProvider.values()].sort((a, b) => b.costUsd - a.costUsd || a.provider.localeCompare(b.provider)).map(rounded),
    savings: {
      actual: actual.map(roundUsd),
      strong: strong.map(roundUsd),
      actualUsd: roundUsd(actualUsd),
      strongUsd: roundUsd(strongUsd),
      savedUsd: roundUsd(strongUsd - actualUsd),
      comparedRequests,
      chosenRequests,
      handedOverRequests,
      handedOverUsd: roundUsd(handedOverUsd),
    },
    available: {
      providers: [...providers].sort(),
      models: [...models].sort(),
      tasks: TASKS.filter((task) => tasks.has(task)),
    },
  };
}

/** Whether a cell passes the filters; compiled once per view. */
export function compileFilters(filters: CostFilters): (cell: Pick<LedgerCell, 'provider' | 'model' | 'task'>) => boolean {
  const providers = filters.providers?.length ? new Set(filters.providers) : undefined;
  const models = filters.models?.length ? new Set(filters.models) : undefined;
  const tasks = filters.tasks?.length ? new Set(filters.tasks) : undefined;
  return (cell) =>
    (!providers || providers.has(cell.provider)) && (!models || models.has(`${cell.provider}:${cell.model}`)) && (!tasks || tasks.has(cell.task));
}

function stackedSeries(lines: readonly (ModelLine & { daily: number[]; dailyPriced: number[] })[], length: number, maxSeries: number): Series[] {
  const shown = lines.length > maxSeries ? lines.slice(0, maxSeries - 1) : lines;
  const series = shown.map((line) => ({ label: line.model, values: line.daily.map(roundUsd), priced: line.dailyPriced }));
  if (shown.length < lines.length) {
    const other = new Array<number>(length).fill(0);
    const priced = new Array<number>(length).fill(0);
    for (const line of lines.slice(shown.length)) {
      line.daily.forEach((value, index) => (other[index]! += value));
      line.dailyPriced.forEach((value, index) => (priced[index]! += value));
    }
    series.push({ label: OTHER_MODELS, values: other.map(roundUsd), priced });
  }
  return series;
}

function promptOf(cell: LedgerCell): number {
  const { usage, longUsage } = cell;
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + longUsage.inputTokens + longUsage.cacheReadTokens + longUsage.cacheWriteTokens;
}

function addTo(line: CostLine, cell: LedgerCell): void {
  line.requests += cell.requests;
  line.costUsd += cell.costUsd;
  line.unpriced += cell.unpriced;
}

function rounded<T extends CostLine>(line: T): T {
  return { ...line, costUsd: roundUsd(line.costUsd) };
}

function emptyLine(): CostLine {
  return { requests: 0, costUsd: 0, unpriced: 0 };
}

function emptyModelLine(days: number) {
  return { ...emptyLine(), inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, latencyMs: 0, daily: new Array<number>(days).fill(0), dailyPriced: new Array<number>(days).fill(0) };
}

function set<K, V>(map: Map<K, V>, key: K, value: V): V {
  map.set(key, value);
  return value;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
