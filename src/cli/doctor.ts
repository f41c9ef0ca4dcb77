// `switchboard doctor`: the first-hour question, "is this set up?", answered from what a request would use: the
// providers (credentials, server, a free call), the routes, the ledger and the budgets. It sends no prompt and
// writes nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SwitchboardConfig } from '../core/config';
import { nameSettings, settingMention, settingPlace, type SettingNamer } from '../core/config/settingNamer';
import { formatUsd, roundUsd } from '../core/cost';
import { budgetLineNaming } from '../core/budget/budgetGate';
import { resolveLedgerFile } from '../core/ledger/ledgerPath';
import { ledgerWriteProblem } from '../core/ledger/ledgerWritable';
import { URL_LEFT_OUT, urlWord } from './urlWord';
import { URL_SECRET_MASK } from '../core/redactUrl';
import { ProviderRegistry } from '../core/providerRegistry';
import { checkSetup, setupReportLines } from '../core/setupCheck';
import { Switchboard } from '../core/switchboard';
import type { CliOptions } from './cliOptions';
import { cliSettingName, DEFAULT_CONFIG_FILE, LEDGER_PATH_SOURCES, loadConfig, rejectExtraArguments, shellWord, type CliIO } from './cliSupport';
import { proxyReport } from './proxyNote';

interface LedgerCheck {
  path: string | null;
  writable: boolean;
  problem: string | null;
}

interface SpendCheck {
  /** As the budgets count it: requests to unpriced models at budget.unpricedEstimate (under `estimate`). */
  todayUsd: number;
  todayRequests: number;
  monthUsd: number;
  /** Of todayUsd and monthUsd: requests to unpriced models counted at budget.unpricedEstimate. */
  todayEstimatedUsd: number;
  monthEstimatedUsd: number;
  /** Of todayUsd and monthUsd: requests recorded with no price, counted at the price their model has now. */
  todayPricedSinceUsd: number;
  monthPricedSinceUsd: number;
  /** Today's requests to models with no known price, whether or not the estimate counts them. */
  todayUnpriced: number;
  budgets: { label: string; setting: string; limitUsd: number; spentUsd: number; leftUsd: number; level: string; line: string }[];
  /** Why the ledger's spend could not be read, if so: the budgets then cannot be checked either. */
  problem: string | null;
}

export async function doctorCommand(options: CliOptions, rest: string[], io: CliIO): Promise<number> {
  rejectExtraArguments(rest, 'doctor');
  const config = await loadConfig(options.config, io);
  const settingName = cliSettingName(options.config);
  const registry = new ProviderRegistry(io.env, undefined, settingName);
  await registry.configure(config);
  const report = await checkSetup({ config, registry, env: io.env, settingName }).finally(() => registry.dispose());
  const proxy = proxyReport(io.env, registry.bedrockWay());
  const ledger = await checkLedger(options.ledger, config, io);
  const spend = ledger.path && ledger.problem === null ? await checkSpend(config, ledger.path, io, settingName) : null;

  if (options.json) {
    io.stdout(`${JSON.stringify({ ...report, ledger, spend, proxy })}\n`);
  } else {
    // With the same --config, so the hint checks the same routes (without it, it would check the defaults').
    const again = `switchboard doctor${options.config ? ` --config ${shellWord(options.config)}` : ''} --verbose`;
    const lines = setupReportLines(report, { details: options.verbose, detailsHint: `each model that is out and why: ${again}` });
    lines.push(ledger.path ? `ledger: ${ledger.path} (${ledger.writable ? 'writable' : `cannot be written: ${ledger.problem}; ${otherLedger(settingName)}`})` : `ledger: ${ledger.problem}`);
    if (spend?.problem) lines.push(`spend: cannot be read: ${spend.problem}`);
    else if (spend) {
      lines.push(spentLine(spend, settingName));
      if (spend.budgets.length === 0) lines.push(`budgets: none set (${nameSettings(settingName, ['budget.dailyUsd', 'budget.monthlyUsd'])})`);
      for (const budget of spend.budgets) lines.push(`budget: ${budget.line}`);
    }
    if (proxy) lines.push(proxy.line);
    const unlisted = report.routes.find((entry) => entry.unlisted);
    if (unlisted) {
      const server = report.providers.find((check) => unlisted.model.startsWith(`${check.id}:`))!.server.url;
      // The report's URL has its credentials masked: pasted back, it would be refused, so the line names URL instead.
      const masked = server.includes(URL_SECRET_MASK);
      const word = masked ? undefined : urlWord(server);
      lines.push(
        `Some routes name models the server does not list: "switchboard models --base-url ${word ?? 'URL'}" lists what it serves and the routes to use, and "switchboard init --base-url ${word ?? 'URL'} FILE" writes them to a --config file` +
          (word ? '' : ` (URL: ${server}, ${masked ? 'its credentials left out' : URL_LEFT_OUT})`),
      );
    }
    if (!report.anyAnswered) {
      // With a --config file given, a local server goes in it: init would write another file (or refuse to replace it).
      // So it would with init's file already here, unnamed: what is missing then is --config naming it (see noProvider.ts).
      const address = "Ollama's is http://localhost:11434/v1, LM Studio's http://localhost:1234/v1";
      const local = options.config
        ? `set ${settingName('providers.openai.baseUrl')} to its address ("switchboard models --base-url URL" lists its models and the routes to them; ${address})`
        : existsSync(path.join(io.cwd, DEFAULT_CONFIG_FILE))
          ? `set providers.openai.baseUrl in ${DEFAULT_CONFIG_FILE} here if you wrote it with "switchboard init", and run this with --config ${DEFAULT_CONFIG_FILE} (${address})`
          : '"switchboard init --base-url http://localhost:11434/v1" writes a --config file routed to its models (Ollama\'s address; LM Studio\'s is http://localhost:1234/v1)';
      // A provider with credentials that did not answer (a key refused, a server down) comes first: "set OPENAI_API_KEY"
      // alone would send a user whose key is set, but wrong, looking for what is already there.
      const failed = report.providers.filter((check) => check.usable && check.answer.state === 'failed');
      const mend = failed.map((check) => `${check.id} did not answer (${check.answer.detail}; ${check.credentials})`).join('; ');
      const others = failed.length > 0 ? `${mend}: mend that, or set another provider's key (OPENAI_API_KEY, ANTHROPIC_API_KEY)` : 'set OPENAI_API_KEY or ANTHROPIC_API_KEY';
      lines.push(`Nothing can answer: ${others}, AWS credentials for Bedrock, or use a local server: ${local}`);
    }
    io.stdout(`${lines.join('\n')}\n`);
  }
  // A script checking a machine (`switchboard doctor && …`) learns from the code whether any request could be answered.
  return report.anyAnswered ? 0 : 1;
}

/**
 * Where a ledger that cannot be written may go instead, as `ask` refused for it says: every way to set its path,
 * first to last (see ledgerPath.ts), the setting in the --config file this run reads.
 */
function otherLedger(settingName: SettingNamer): string {
  return `keep it in a writable place: --ledger, SWITCHBOARD_LEDGER or ${settingName('ledger.path')}`;
}

/** Where this run's ledger is and whether it can be written; a path refused is reported, not thrown: it is one finding among others. */
async function checkLedger(flag: string | undefined, config: SwitchboardConfig, io: CliIO): Promise<LedgerCheck> {
  const { path, problem } = await resolveLedgerFile({ flag, cwd: io.cwd, env: io.env, setting: config.ledger.path });
  // --ledger is never passed over: its problem comes with its own path, which is then not the one used.
  if (problem) return { path: flag ? null : path, writable: false, problem };
  const writeProblem = await ledgerWriteProblem(path);
  return { path, writable: writeProblem === undefined, problem: writeProblem ?? null };
}

/** Today's and this month's spend, as the budgets count it (every window's and run's records), and each limit. */
async function checkSpend(config: SwitchboardConfig, ledgerPath: string, io: CliIO, settingName: SettingNamer): Promise<SpendCheck> {
  const switchboard = await Switchboard.create({ config, source: 'cli', env: io.env, ledgerPath, ledgerSettingName: LEDGER_PATH_SOURCES, settingName });
  try {
    let problem: string | null = null;
    try {
      for (const warning of await switchboard.loadToday()) io.stderr(`switchboard: warning: ${warning}\n`);
    } catch (error) {
      problem = (error as Error).message;
    }
    const today = switchboard.today();
    // The budgets' own figures (unpriced requests at the estimate), so "spent" and each budget's line agree.
    const spend = switchboard.budget.spend();
    const budgets = switchboard.budget.gate.statuses().map((status) => ({
      label: status.limit.label,
      setting: status.limit.setting,
      limitUsd: status.limit.limitUsd,
      spentUsd: status.spentUsd,
      leftUsd: status.leftUsd,
      level: status.level,
      // The --config file's key, where a CLI user sets the limit, not the editor's setting.
      line: budgetLineNaming(status, settingName),
    }));
    return {
      todayUsd: roundUsd(spend.usd('day')),
      todayRequests: today.total.requests,
      monthUsd: roundUsd(spend.usd('month')),
      todayEstimatedUsd: roundUsd(spend.estimatedUsd('day')),
      monthEstimatedUsd: roundUsd(spend.estimatedUsd('month')),
      todayPricedSinceUsd: roundUsd(spend.pricedSinceUsd('day')),
      monthPricedSinceUsd: roundUsd(spend.pricedSinceUsd('month')),
      todayUnpriced: today.total.unpriced,
      budgets,
      problem,
    };
  } finally {
    await switchboard.dispose();
  }
}

/**
 * "spent: $0.93 today (2 requests; $0.18 of it requests to unpriced models counted at budget.unpricedEstimate),
 * $0.93 this month (…)": the budgets' figures, saying the estimated part (before, it left unpriced requests out
 * while the budget lines below counted them, two figures for the same requests), or that unpriced requests are
 * not counted where no estimate stands in (budget.unpriced "refuse").
 */
function spentLine(spend: SpendCheck, settingName: (key: string) => string): string {
  const requests = `${spend.todayRequests} request${spend.todayRequests === 1 ? '' : 's'}`;
  if (spend.budgets.length === 0) {
    // No budget: the estimate for unpriced models counts toward nothing, and the unpriced setting refuses nothing.
    // The spend is what has a price; unpriced requests are named, with the way to price them.
    const unpriced = spend.todayUnpriced > 0 ? `; ${spend.todayUnpriced} of them to unpriced models, not in it (${settingMention(settingName, 'prices')} gives them one)` : '';
    const recorded = (usd: number, estimated: number, pricedSince: number) => formatUsd(roundUsd(usd - estimated - pricedSince));
    return `spent: ${recorded(spend.todayUsd, spend.todayEstimatedUsd, spend.todayPricedSinceUsd)} today (${requests}${unpriced}), ${recorded(spend.monthUsd, spend.monthEstimatedUsd, spend.monthPricedSinceUsd)} this month`;
  }
  const estimated = (usd: number, pricedSince: number) =>
    [
      usd > 0 ? `${formatUsd(usd)} of it requests to unpriced models counted at ${settingName('budget.unpricedEstimate')}` : undefined,
      pricedSince > 0 ? `${formatUsd(pricedSince)} of it requests recorded with no price, counted at their model's price now` : undefined,
    ]
      .filter(Boolean)
      .join('; ') || undefined;
  const notCounted = spend.todayUnpriced > 0 && spend.todayEstimatedUsd === 0 ? `${spend.todayUnpriced} of them to unpriced models, not counted (${settingName('budget.unpriced')} is "refuse"; give them a price ${settingPlace(settingName, 'prices')})` : undefined;
  const todayNotes = [requests, estimated(spend.todayEstimatedUsd, spend.todayPricedSinceUsd) ?? notCounted].filter(Boolean).join('; ');
  const monthNote = estimated(spend.monthEstimatedUsd, spend.monthPricedSinceUsd);
  return `spent: ${formatUsd(spend.todayUsd)} today (${todayNotes}), ${formatUsd(spend.monthUsd)} this month${monthNote ? ` (${monthNote})` : ''}`;
}
