import { lstat } from 'node:fs/promises';
import { formatUsd, LOCAL_COST_TEXT, roundUsd } from '../core/cost';
import { exportCsv } from '../core/costs/costExport';
import { costView } from '../core/costs/costView';
import { dayRange, inRange, parseDay, RANGE_IDS, RANGE_LABELS, type DayRange, type RangeId } from '../core/costs/dayRange';
import { handedOverNote } from '../core/costs/handedOverNote';
import { modelsOnNoRoute, type ModelRequests } from '../core/costs/offRouteModels';
import { SAVING_SCOPE, savingState } from '../core/costs/savingScope';
import { savingFigures } from '../core/costs/savingFigures';
import { countRetries } from '../core/costs/retrySavings';
import { strongTierNames, strongTierPrices } from '../core/costs/strongTier';
import { strongTierLabels, unpricedModels } from '../core/costs/unpricedModels';
import { unpricedNote } from '../core/costs/unpricedNote';
import { Ledger, type LedgerCell } from '../core/ledger';
import { countsInFigures } from '../core/ledger/totals';
import { ledgerPricesOf, type LedgerPrices } from '../core/ledger/costCheck';
import { LedgerReadError } from '../core/ledger/scan';
import { summarize } from '../core/ledgerReport';
import { localDay } from '../core/localDay';
import { plural } from '../core/words';
import { TABLE_RATE_FOOTNOTE_MARK, tableRateFootnote, tableRateModels } from '../core/prices/localServerRate';
import { priceTableFor } from '../core/prices/priceTable';
import { summarizeAutoPart } from '../core/routing/autoReport';
import type { SwitchboardConfig } from '../core/config';
import type { CliOptions } from './cliOptions';
import { closestName } from './didYouMean';
import { shownOnTerminal } from './terminalText';
import { padColumns, terminalColumns } from './terminalColumns';
import { sayLedgerWarnings } from './ledgerWarnings';
import { CliError, cliLedgerPath, cliSettingName, loadConfig, rejectExtraArguments, shellWord, type CliIO } from './cliSupport';
import { budgetEstimateNote, budgetEstimates } from '../core/budget/budgetEstimates';
import { budgetAlertLines, budgetAlerts } from './costsBudgets';
import { budgetLimits } from '../core/budget/budgetLimits';
import { unpricedPriceOf } from '../core/budget/requestCost';
import { settingPlace } from '../core/config/settingNamer';

const GROUPS = ['day', 'model', 'task', 'provider'] as const;
type Group = (typeof GROUPS)[number];

export async function costsCommand(options: CliOptions, rest: string[], io: CliIO): Promise<number> {
  rejectExtraArguments(rest, 'costs');
  const named = rangeFlag(options);
  const from = named ? named.range.from : dayFlag('--since', options.since);
  const to = named ? named.range.to : dayFlag('--until', options.until);
  if (from && to && to < from) throw new CliError(`--until ${to} is before --since ${from}`);
  const today = localDay(new Date());
  // --until is today unless given: a --since after it is a range with nothing in it, not a report of nothing spent.
  if (from && !to && from > today) throw new CliError(`--since ${from} is after today, ${today} (the range ends today unless --until says otherwise)`);
  if (options.by !== undefined && !(GROUPS as readonly string[]).includes(options.by)) {
    throw new CliError(`--by "${options.by}" is not one of ${GROUPS.join(', ')}${meant(closestName(options.by, GROUPS))}`);
  }
  if (options.csv && (options.json || options.by !== undefined)) throw new CliError('--csv writes one row per request: it takes no --json or --by');
  const by = options.by as Group | undefined;
  const config = await loadConfig(options.config, io);
  const file = await cliLedgerPath(options.ledger, config, io);
  const range: DayRange = { ...(from ? { from } : {}), to: to ?? today };
  const since = from ? parseDay(from) : undefined;
  // A recorded cost is judged by the prices of this run's --config (the table alone without one: costCheck.ts).
  const ledgerPrices = ledgerPricesOf(config.prices);

  let totals;
  try {
    if (options.csv) {
      const csv = await exportCsv(file, { range, prices: ledgerPrices });
      sayLedgerWarnings(csv.warnings, io);
      for (const chunk of csv.chunks) io.stdout(chunk);
      return 0;
    }
    const ledger = new Ledger(file);
    // Auto's tiers and the retries come folded with the totals (caches beside the files, ledger/autoFile.ts): never every record.
    totals = await ledger.aggregate({ ...(since ? { since } : {}), prices: ledgerPrices });
  } catch (error) {
    if (error instanceof LedgerReadError) throw new CliError(error.message);
    throw error;
  }
  sayLedgerWarnings(totals.warnings, io);
  const cells = totals.cells.filter((cell) => inRange(cell.day, range));
  const retries = totals.auto.retries.filter((retry) => inRange(localDay(new Date(retry.time)), range));
  const autoPart = {
    cells: totals.auto.cells.filter((cell) => inRange(cell.day, range)),
    retries,
    cheapIds: Object.fromEntries(Object.entries(totals.auto.cheapIds).filter(([day]) => inRange(day, range))),
    unpricedIds: Object.fromEntries(Object.entries(totals.auto.unpricedIds).filter(([day]) => inRange(day, range))),
  };
  const summary = summarize(cells);
  const ahead = to ? undefined : datedAhead(totals.cells, today);
  const prices = priceTableFor(config);
  const groups = by ? groupBy(cells, by) : undefined;
  // What routing saved, one figure for the dashboard, this table and Auto's line:
  // each request priced at its route's strong tier (the route's first model),
  // retries on the strong tier counted as routing's cost.
  const strongPrice = strongTierPrices(config, prices);
  const strongModels = strongTierNames(config);
  const view = costView(cells, { range, strongPrice });
  const { actualUsd, strongUsd, savedUsd, comparedRequests, chosenRequests, handedOverRequests, handedOverUsd } = countRetries(view.savings, view.days, retries, strongPrice);
  // The routes compared with: without --config, the defaults, which a ledger written under other routes never used.
  const onNoRoute = modelsOnNoRoute(config, Object.entries(summary.byModel).map(([model, line]) => ({ model, requests: line.requests })));
  const savings = { actualUsd, strongUsd, savedUsd, comparedRequests, chosenRequests, handedOverRequests, handedOverUsd, strongModels, routes: options.config ? 'config' : 'defaults', modelsOnNoRoute: onNoRoute };
  const auto = summarizeAutoPart(autoPart, strongPrice);
  // Which requests the total leaves out, and why: a model the table does not know, or one priced only since.
  // The CLI's way to a price is its --config file, not the editor's setting.
  const unpriced = unpricedModels(Object.entries(summary.byModel).map(([model, line]) => ({ model, unpriced: line.unpriced })), prices, cliSettingName(options.config));
  // The budgets are of today and this month, whatever the range: read from this month's cells, with a budget set.
  const monthCells = await budgetMonthCells(config, totals.cells, since, today, file, ledgerPrices);
  const estimates = monthCells && budgetEstimates(monthCells, today, unpricedPriceOf(config.budget), (provider, model) => prices.lookup(provider, model));
  const alerts = monthCells && budgetAlerts(config, monthCells, prices, cliSettingName(options.config));
  // A model of a server on this machine charged at its vendor's rate: said, with the --config key that makes it free.
  const tableRate = tableRateModels(cells.filter(countsInFigures));

  if (options.json) {
    io.stdout(`${JSON.stringify({ ...summary, unpricedModels: unpriced, ...(tableRate.length ? { tableRateOnLocalServer: tableRate } : {}), ...(estimates ? { budgetEstimates: estimates } : {}), ...(alerts ? { budgetAlerts: alerts } : {}), ...(ahead ? { datedAhead: ahead } : {}), ...(named ? { range: named.id } : {}), ...(from ? { since: from } : {}), ...(to ? { until: to } : {}), ...(groups ? { by, groups } : {}), savings, auto })}\n`);
    return 0;
  }
  const period = named ? `, ${RANGE_LABELS[named.id].toLowerCase()} (${from ? `${from} to ` : 'until '}${to})` : [from ? ` since ${from}` : '', to ? ` until ${to}` : ''].join('');
  io.stdout(`Ledger: ${file}${period}\n\n`);
  // First, as the editor's notices come first: a budget near or past its limit is what the reader must not miss.
  const alertLines = budgetAlertLines(alerts ?? []);
  if (alertLines.length > 0) io.stdout(`${alertLines.join('\n')}\n\n`);
  const notSent = notSentNote(summary.notSentRequests, options.config);
  if (!cells.some(countsInFigures)) {
    // Empty tables would read as a report of nothing spent; say plainly that nothing is recorded, or only
    // requests that never left this machine (a first `ask` before any key was set).
    if (notSent) io.stdout(`No request sent ${from || to ? 'in this range' : 'yet'}: ${notSent.what}; ${notSent.doctor}.\n`);
    // A mistyped --ledger read as an empty ledger ("No requests recorded…"), with no word that the file is not there.
    else if (totals.cells.length === 0 && !(await exists(file))) io.stdout(`No requests recorded: there is no ledger file at this path yet (the first request writes it; check the path if you meant an existing one).\n`);
    else io.stdout(from || to ? 'No requests recorded in this range.\n' : 'No requests recorded in this ledger yet.\n');
    if (ahead) io.stdout(`${datedAheadNote(ahead, today)}\n`);
    return 0;
  }
  if (groups) {
    // Ghost text served without a request, a count beside the requests (never priced): a column when the range has any.
    const served = Object.values(groups).some((line) => line.served > 0);
    const head = [by!, 'requests', ...(served ? ['served'] : []), 'input', 'output', 'cost'];
    io.stdout(table([head, ...Object.entries(groups).map(([key, line]) => [key, String(line.requests), ...(served ? [String(line.served)] : []), String(line.inputTokens), String(line.outputTokens), costText(line)])], io.stdoutIsTTY === true));
  } else {
    const rows: string[][] = [['model', 'requests', 'input', 'output', 'cache r/w', 'cost']];
    const localByModel = groupBy(cells, 'model');
    const tableRateRefs = new Set(tableRate.map((m) => m.model));
    for (const [model, line] of Object.entries(summary.byModel).sort((a, b) => (b[1].costUsd ?? 0) - (a[1].costUsd ?? 0))) {
      // A line charged at a vendor's rate on a server on this machine gets a mark; the footnote under the table says why.
      const mark = tableRateRefs.has(model) ? ` ${TABLE_RATE_FOOTNOTE_MARK}` : '';
      rows.push([model, String(line.requests), String(line.inputTokens), String(line.outputTokens), `${line.cacheReadTokens}/${line.cacheWriteTokens}`, costText({ ...line, local: localByModel[model]?.local ?? 0 }) + mark]);
    }
    io.stdout(table(rows, io.stdoutIsTTY === true));
    io.stdout('\n');
    const taskRows: string[][] = [['task', 'requests', 'cost']];
    const localByTask = groupBy(cells, 'task');
    for (const [task, line] of Object.entries(summary.byTask)) {
      // A task with no request in the range would read as a $0.00 line of spending; --json keeps every task.
      if (line.requests > 0 || line.costUsd > 0) taskRows.push([task, String(line.requests), costText({ ...line, local: localByTask[task]?.local ?? 0 })]);
    }
    io.stdout(table(taskRows, io.stdoutIsTTY === true));
  }
  io.stdout(`\nTotal: ${formatUsd(summary.totalUsd)} over ${plural(summary.requests, 'request')}`);
  // Failed, refused and cancelled requests are records too (a refusal never reached a model): said as the dashboard
  // says them, so the count is not read as answers; and what the total holds that bought no answer, so it is explained.
  const notAnswered = [
    ...(summary.failedRequests ? [`${summary.failedRequests} failed or refused`] : []),
    ...(summary.cancelledRequests ? [`${summary.cancelledRequests} cancelled`] : []),
  ];
  const notes = [
    ...(notAnswered.length ? [[`${summary.requests - summary.failedRequests - summary.cancelledRequests} answered`, ...notAnswered].join(', ')] : []),
    ...(summary.failedUsd > 0 ? [`${formatUsd(summary.failedUsd)} of it billed for failed attempts and cut streams`] : []),
    ...(summary.unpricedRequests ? [`${summary.unpricedRequests} unpriced, not counted`] : []),
  ];
  io.stdout(notes.length ? ` (${notes.join('; ')})\n` : '\n');
  if (notSent) io.stdout(`Not sent, not in the figures above: ${notSent.what}; ${notSent.doctor}\n`);
  if (ahead) io.stdout(`${datedAheadNote(ahead, today)}\n`);
  const unpricedLine = unpricedNote(unpriced);
  if (unpricedLine) io.stdout(`${unpricedLine}\n`);
  const settingName = cliSettingName(options.config);
  // Said once under the table, whatever the number of models it concerns (each line marked).
  const tableRateLine = tableRateFootnote(tableRate, `"freeOnLocalServer" in ${options.config ?? 'a --config file'}`);
  if (tableRateLine) io.stdout(`${tableRateLine}\n`);
  const estimateLine = estimates && budgetEstimateNote(estimates, settingName('budget.unpricedEstimate'), settingPlace(settingName, 'prices'));
  if (estimateLine) io.stdout(`${estimateLine}\n`);
  const bounded = summary.boundedRequests;
  if (bounded) {
    io.stdout(
      `${plural(bounded, 'request')} priced at a bound: the provider reported more tokens than the request could produce or the model take, ` +
        `or a gateway a cost above what the request could cost at the price table's rates, so each is priced at that most ` +
        `(the ledger keeps the reported figures in reportedUsage and gatewayCostUsd; the log and the dashboard's costliest requests say which)\n`,
    );
  }
  const tiers = Object.entries(strongTierLabels(config, prices)).map(([task, model]) => `${task}: ${model}`).join('; ');
  const state = savingState(savings, summary.requests);
  if (state === 'unknown') {
    // Said, not left out: the question this report answers is what routing saved.
    io.stdout(`Routing's saving unknown: no answer routing sent to the cheap tier has both a price and a priced strong tier to compare with (${tiers})\n`);
  } else if (state === 'none' && summary.requests > 0) {
    io.stdout(`Routing saved $0.00: it chose no cheaper model than each route's strong tier (${tiers}) for these requests. ${SAVING_SCOPE}.\n`);
  } else if (state === 'compared') {
    // The answer first ("what did routing save?"), then what it is measured against, the three figures rounded
    // alike so that they add up ("cost $0.14, would have cost $0.14" beside "saved $0.005" did not).
    const shown = savingFigures(savings.actualUsd, savings.strongUsd);
    io.stdout(
      `Routing ${shown.sign >= 0 ? 'saved' : 'cost an extra'} ${shown.saved}: these requests cost ${shown.actual}, ` +
        `and would have cost ${shown.strong} on each route's strong tier (${tiers})\n`,
    );
    io.stdout(`${SAVING_SCOPE}.\n`);
  }
  if (!options.config && onNoRoute.length > 0 && summary.requests > 0) io.stdout(`${defaultRoutesNote(onNoRoute)}\n`);
  const handedOver = handedOverNote(savings);
  if (handedOver) io.stdout(`${handedOver}\n`);
  // As the dashboard says it: a count beside the saving, never priced, since no request was made.
  const served = summary.servedWithoutRequest;
  if (served) io.stdout(`Ghost text served without a request: ${served} ${served === 1 ? 'suggestion' : 'suggestions'} (from the cache, typed through, or from a request already under way), counted, not priced\n`);
  if (auto.requests > 0) {
    const retried = auto.retriedShare === null ? '' : ` (${(auto.retriedShare * 100).toFixed(1)} %)`;
    const savedText = auto.savedUsd === null ? "Auto's share of the saving unknown: no cheap-tier answer and its strong tier both have a price" : `of that, Auto's cheap tier ${auto.savedUsd >= 0 ? 'saved' : 'cost an extra'} ${formatUsd(Math.abs(auto.savedUsd))}, retries included${savings.handedOverRequests > 0 ? ', hand-overs from the strong tier left out' : ''}`;
    // Shown only when it happened, so the usual line stays as it was.
    const handedOver = auto.handedOver > 0 ? `, ${auto.handedOver} handed over to the other tier when the one picked could not answer` : '';
    io.stdout(
      `Auto: ${plural(auto.requests, 'request')} (${auto.cheap} cheap tier, ${auto.strong} strong tier${handedOver}); ` +
        `${auto.retries} of ${auto.cheap} cheap-tier answers retried on the strong tier${retried}; ${savedText}\n`,
    );
  }
  return 0;
}

/**
 * Said under the saving when no --config was given and the ledger holds models the default routes never name: the
 * strong tiers compared with are the defaults', not the routes those requests used, and --config is the way to give
 * those. "Routing saved $0.41" read alone would be taken for the user's own routes.
 */
function defaultRoutesNote(onNoRoute: readonly ModelRequests[]): string {
  // Names come from the ledger, as the table's do: no terminal sequences, piped or not.
  const shown = onNoRoute.slice(0, 3).map((line) => `${line.model.replace(/\p{Cc}/gu, '?')} (${plural(line.requests, 'request')})`);
  const more = onNoRoute.length > shown.length ? `, and ${onNoRoute.length - shown.length} more` : '';
  const models = onNoRoute.length === 1 ? 'a model' : `${onNoRoute.length} models`;
  return (
    `The strong tiers above are the default routes' (no --config given), and this ledger holds ${models} they do not name: ${shown.join(', ')}${more}; ` +
    `add --config FILE with the routes these requests used to compare against those ("switchboard init" writes a starter file)`
  );
}

/**
 * Requests recorded but never sent, the setup they needed missing: said apart from the total, whose "failed or
 * refused" they are not (no provider was asked), with where to look. Undefined when there are none.
 */
function notSentNote(count: number, configFile: string | undefined): { what: string; doctor: string } | undefined {
  if (count === 0) return undefined;
  const doctor = `"switchboard doctor${configFile ? ` --config ${shellWord(configFile)}` : ''}" says what is missing`;
  return { what: `${plural(count, 'request')} recorded but not sent, as no model of ${count === 1 ? 'its' : 'their'} route had credentials (or the route named none)`, doctor };
}

/**
 * Words a user types for a range that has another name: the dashboard's "this week" is 7d, "last 30 days" 30d. Too
 * far from the ids for the typo check to find.
 */
const RANGE_WORDS: Record<string, RangeId> = { week: '7d', '7': '7d', '7days': '7d', '30': '30d', '30days': '30d', day: 'today' };

/** " (did you mean X?)", or nothing. */
function meant(nearest: string | undefined): string {
  return nearest ? ` (did you mean ${nearest}?)` : '';
}

/**
 * `--range`: the dashboard's ranges (today, the last 7 or 30 days, this month,
 * all), so "what did I spend this week" needs no date worked out, and the
 * figures are the dashboard's for the same range. It sets both ends, so it
 * takes no --since or --until.
 */
function rangeFlag(options: CliOptions): { id: RangeId; range: DayRange } | undefined {
  if (options.range === undefined) return undefined;
  if (options.since !== undefined || options.until !== undefined) throw new CliError('--range sets both ends of the range: give it, or --since and --until, not both');
  if (!(RANGE_IDS as readonly string[]).includes(options.range)) {
    const typed = options.range.toLowerCase();
    const nearest = Object.hasOwn(RANGE_WORDS, typed) ? RANGE_WORDS[typed] : closestName(typed, RANGE_IDS);
    throw new CliError(`--range "${options.range}" is not one of ${RANGE_IDS.join(', ')}${meant(nearest)}`);
  }
  const id = options.range as RangeId;
  return { id, range: dayRange(id) };
}

/** A local day given as YYYY-MM-DD, or a clear error naming the flag. */
function dayFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!parseDay(value)) throw new CliError(`${flag} "${value}" is not a date (expected YYYY-MM-DD)`);
  return value;
}

interface GroupLine {
  requests: number;
  /** Ghost text served without a request: not in `requests`, never priced. */
  served: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpriced: number;
  /**
   * Of `requests`: those to a model served on this machine that nobody priced (by the --config given), at $0. A line
   * of only such requests (and unpriced ones) reads "local, $0", as a model's line does: a day of Ollama ghost text
   * read "$0.00" with nothing saying why.
   */
  local: number;
}

/** A group as reported: `local` left out where it is 0. */
type ReportedGroup = Omit<GroupLine, 'local'> & { local?: number };

/** Totals by local day, `provider:model`, task or provider, in key order (days oldest first), from the ledger's cells. */
function groupBy(cells: readonly LedgerCell[], by: Group): Record<string, ReportedGroup> {
  const lines = new Map<string, GroupLine>();
  for (const cell of cells) {
    if (!countsInFigures(cell)) continue;
    const key = by === 'day' ? cell.day : by === 'model' ? `${cell.provider}:${cell.model}` : by === 'task' ? cell.task : cell.provider;
    const line = lines.get(key) ?? { requests: 0, served: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpriced: 0, local: 0 };
    lines.set(key, line);
    line.requests += cell.requests;
    line.served += cell.served;
    for (const usage of [cell.usage, cell.longUsage]) {
      line.inputTokens += usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
      line.outputTokens += usage.outputTokens;
    }
    line.unpriced += cell.unpriced;
    line.costUsd += cell.costUsd;
    // Local as the records say (their costSource), not as today's --config points the provider: a LAN server's
    // requests stay priced or unpriced, and a local server's are told apart without any --config.
    line.local += cell.local ?? 0;
  }
  // `local` only where there are such requests, as --json has always given the groups' other fields.
  return Object.fromEntries(
    [...lines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, { local: localRequests, ...line }]) => [key, { ...line, costUsd: roundUsd(line.costUsd), ...(localRequests > 0 ? { local: localRequests } : {}) }]),
  );
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/**
 * A line's cost. When every priced request of the line went to a model served on this machine with no price set
 * (`local`), its $0 reads "local, $0", not a price someone set; requests recorded before, unpriced, are still said.
 */
function costText(line: { requests: number; costUsd: number; unpriced: number; local?: number | undefined }): string {
  if (line.requests > 0 && line.unpriced >= line.requests) return 'unpriced';
  const local = line.local ?? 0;
  const allLocal = local > 0 && local >= line.requests - line.unpriced;
  const cost = allLocal && line.costUsd === 0 ? LOCAL_COST_TEXT : formatUsd(line.costUsd);
  return cost + (line.unpriced ? ` (+${line.unpriced} unpriced)` : '');
}

/**
 * Rows lined up in columns, each sized from its cells as they will be printed: on a terminal a bidi control or
 * invisible character in a name is printed as "<U+202E>" (terminalText.ts), eight columns where it counted as one
 * before, and a CJK character takes two columns; sized from the raw text, a hostile model id would push every
 * column after it out of line. Sized by terminal columns, not String.length (terminalColumns.ts).
 */
function table(rows: string[][], terminal: boolean): string {
  // Names come from the ledger (a Bedrock router's chosen model, another process's records): no terminal sequences.
  rows = rows.map((row) => row.map((cell) => cell.replace(/\p{Cc}/gu, '?')));
  // What the terminal filter would make of each cell, made here, so the widths are the printed text's (the filter
  // leaves "<U+202E>" as it is).
  if (terminal) rows = rows.map((row) => row.map(shownOnTerminal));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => terminalColumns(row[column] ?? ''))));
  return rows
    .map((row) => row.map((cell, column) => padColumns(cell, widths[column]!, column === 0 ? 'end' : 'start')).join('  '))
    .join('\n') + '\n';
}

/**
 * With a budget in the --config file: the cells its limits count, this month's whatever the range shown (a budget's
 * month is this one): the requests counted at budget.unpricedEstimate and the budgets near their limit come from
 * them. Undefined without a budget: the estimate then counts toward nothing. `cells` are the ledger's from `since`
 * (all when undefined); a later start reads the month again.
 */
async function budgetMonthCells(config: SwitchboardConfig, cells: readonly LedgerCell[], since: Date | undefined, today: string, file: string, prices: LedgerPrices): Promise<readonly LedgerCell[] | undefined> {
  if (budgetLimits(config.budget).length === 0) return undefined;
  const monthStart = `${today.slice(0, 7)}-01`;
  return since && localDay(since) > monthStart ? (await new Ledger(file).aggregate({ since: parseDay(monthStart)!, prices })).cells : cells;
}

/**
 * Requests dated after today (a clock set ahead where they were recorded, another machine's time zone far east, a
 * record written by hand), which a report ending today leaves out: counted and dated, so a total short of them is
 * explained. Undefined when there are none.
 */
function datedAhead(cells: readonly LedgerCell[], today: string): { requests: number; costUsd: number; first: string; last: string } | undefined {
  let found: { requests: number; costUsd: number; first: string; last: string } | undefined;
  for (const cell of cells) {
    if (cell.day <= today || !countsInFigures(cell)) continue;
    found ??= { requests: 0, costUsd: 0, first: cell.day, last: cell.day };
    found.requests += cell.requests;
    found.costUsd += cell.costUsd;
    if (cell.day < found.first) found.first = cell.day;
    if (cell.day > found.last) found.last = cell.day;
  }
  return found && { ...found, costUsd: roundUsd(found.costUsd) };
}

function datedAheadNote(ahead: { requests: number; costUsd: number; first: string; last: string }, today: string): string {
  const days = ahead.first === ahead.last ? ahead.first : `${ahead.first} to ${ahead.last}`;
  return (
    `Not in the figures above: ${plural(ahead.requests, 'request')} (${formatUsd(ahead.costUsd)}) dated after today, ${today} (${days}), ` +
    `as recorded where the clock read ahead; --until ${ahead.last} includes ${ahead.requests === 1 ? 'it' : 'them'}`
  );
}
