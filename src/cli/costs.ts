import { formatUsd } from '../core/cost';
import { Ledger } from '../core/ledger';
import { LedgerReadError } from '../core/ledger/scan';
import { summarize } from '../core/ledgerReport';
import { PriceTable } from '../core/prices/priceTable';
import { summarizeAuto } from '../core/routing/autoReport';
import type { CliOptions } from './cliOptions';
import { CliError, cliLedgerPath, loadConfig, rejectExtraArguments, type CliIO } from './cliSupport';

export async function costsCommand(options: CliOptions, rest: string[], io: CliIO): Promise<number> {
  rejectExtraArguments(rest, 'costs');
  let since: Date | undefined;
  if (options.since !== undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.since);
    since = match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
    if (!since || Number.isNaN(since.getTime()) || since.getDate() !== Number(match?.[3])) {
      throw new CliError(`--since "${options.since}" is not a date (expected YYYY-MM-DD)`);
    }
  }
  const config = await loadConfig(options.config, io);
  const file = cliLedgerPath(options.ledger, config, io);
  let totals;
  let records;
  try {
    const ledger = new Ledger(file);
    totals = await ledger.aggregate(since ? { since } : {});
    // Auto's tiers and retries are not in the daily totals: they are read from the records themselves.
    ({ records } = await ledger.read(since ? { since } : {}));
  } catch (error) {
    if (error instanceof LedgerReadError) throw new CliError(error.message);
    throw error;
  }
  const { cells, warnings } = totals;
  for (const warning of warnings) io.stderr(`switchboard: warning: ${warning}\n`);
  // What routing saved: the same usage priced at the chat route's first (strong) model.
  const strong = config.routes.chat[0];
  const prices = new PriceTable(config.prices);
  const baseline = strong ? prices.lookup(strong.provider, strong.model) : undefined;
  const summary = summarize(cells, baseline ? { baseline } : {});
  const baselineModel = baseline && strong ? `${strong.provider}:${strong.model}` : null;
  // Auto's savings are priced per task at that route's strong tier (its first model).
  const auto = summarizeAuto(records, (task) => {
    const first = config.routes[task][0];
    return first ? prices.lookup(first.provider, first.model) : undefined;
  });

  if (options.json) {
    io.stdout(`${JSON.stringify({ ...summary, baselineModel, auto })}\n`);
    return 0;
  }
  const rows: string[][] = [['model', 'requests', 'input', 'output', 'cache r/w', 'cost']];
  for (const [model, line] of Object.entries(summary.byModel).sort((a, b) => (b[1].costUsd ?? 0) - (a[1].costUsd ?? 0))) {
    rows.push([
      model,
      String(line.requests),
      String(line.inputTokens),
      String(line.outputTokens),
      `${line.cacheReadTokens}/${line.cacheWriteTokens}`,
      line.unpriced === line.requests ? 'unpriced' : formatUsd(line.costUsd) + (line.unpriced ? ` (+${line.unpriced} unpriced)` : ''),
    ]);
  }
  io.stdout(`Ledger: ${file}${since ? ` since ${options.since}` : ''}\n\n`);
  io.stdout(table(rows));
  io.stdout('\n');
  const taskRows: string[][] = [['task', 'requests', 'cost']];
  for (const [task, line] of Object.entries(summary.byTask)) {
    if (line) taskRows.push([task, String(line.requests), formatUsd(line.costUsd)]);
  }
  io.stdout(table(taskRows));
  io.stdout(`\nTotal: ${formatUsd(summary.totalUsd)} over ${summary.requests} requests`);
  io.stdout(summary.unpricedRequests ? ` (${summary.unpricedRequests} unpriced, not counted)\n` : '\n');
  if (summary.servedWithoutRequest) io.stdout(`Inline completions served without a request (cache, typed-through, in-flight): ${summary.servedWithoutRequest}\n`);
  if (summary.baselineUsd !== null && baselineModel) {
    const saved = summary.baselineUsd - summary.totalUsd;
    io.stdout(`Sent all to ${baselineModel}: ${formatUsd(summary.baselineUsd)}; routing ${saved >= 0 ? 'saved' : 'cost an extra'} ${formatUsd(Math.abs(saved))}\n`);
  }
  if (auto.requests > 0) {
    const retried = auto.retriedShare === null ? '' : ` (${(auto.retriedShare * 100).toFixed(1)} %)`;
    const savedText = auto.savedUsd === null ? 'savings unpriced' : `${auto.savedUsd >= 0 ? 'saved' : 'cost an extra'} ${formatUsd(Math.abs(auto.savedUsd))} against each route's strong tier, retries included`;
    io.stdout(
      `Auto: ${auto.requests} requests (${auto.cheap} cheap tier, ${auto.strong} strong tier); ` +
        `${auto.retries} of ${auto.cheap} cheap-tier answers retried on the strong tier${retried}; ${savedText}\n`,
    );
  }
  return 0;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '))
    .join('\n') + '\n';
}
