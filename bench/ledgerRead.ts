/**
 * Section 5: reading a year of ledgers. `costs`, the status bar and the
 * budget read the whole ledger (or today of it); this writes a year of
 * records (1,000,000 by default, one file per month as rotation leaves them)
 * and times:
 * - naive: every line of every file read and JSON.parse'd, as a reader
 *   without summaries would (the baseline);
 * - cold: Switchboard's reader the first time, when it also writes each
 *   file's summary;
 * - warm: the same read afterwards (`costs`), through the summaries;
 * - today: the status bar's and budget's first read (today's records from
 *   the day's first byte);
 * - the `switchboard costs` command itself (totals, savings, Auto's line),
 *   run in this process as the CLI runs it: warm; once after an upgrade
 *   (the summaries there, Auto's parts beside them not yet); and once with
 *   no caches at all.
 */
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ledger, type LedgerRecord } from '../src/core/ledger';
import { costsCommand } from '../src/cli/costs';
import { parseCli } from '../src/cli/cliOptions';
import { archivePath, autoPartPath, ledgerFiles, summaryPath } from '../src/core/ledger/ledgerPath';
import { readDayAndFollow } from '../src/core/ledger/reader';
import { recordProblem } from '../src/core/ledger/record';
import { summarize as summarizeLedger } from '../src/core/ledgerReport';
import { localDay, localMonth } from '../src/core/localDay';
import { type Check, SUMMARY_HEADERS, summaryRow, table } from './report';
import { rounded, seededRandom, summarize, type Summary } from './stats';

export interface LedgerReadOptions {
  records: number;
  runs: number;
  seed: number;
  log: (line: string) => void;
}

export interface LedgerReadReport {
  method: string;
  records: number;
  files: number;
  bytes: number;
  naiveMs: Summary;
  coldMs: number;
  warmMs: Summary;
  todayMs: Summary;
  /** `switchboard costs --json` over the year, summaries written (at most 5 runs)… */
  costsCommandMs: Summary;
  /** …once with the summaries but no Auto parts beside them (the first report after an upgrade)… */
  costsCommandUpgradeMs: number;
  /** …and with no cache at all (each run deletes every cache first; at most 5 runs). */
  costsCommandColdMs: Summary;
  /** The totals agree between the naive read and Switchboard's. */
  totalsAgree: boolean;
  checks: Check[];
}

const MODELS = [
  ['openai', 'gpt-5.4-nano', 'completion'],
  ['anthropic', 'claude-haiku-4-5', 'completion'],
  ['anthropic', 'claude-sonnet-5', 'chat'],
  ['openai', 'gpt-5.4', 'chat'],
  ['bedrock', 'us.anthropic.claude-sonnet-5', 'plan'],
  ['anthropic', 'claude-opus-5', 'plan'],
] as const;

export async function runLedgerRead(options: LedgerReadOptions): Promise<LedgerReadReport> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-ledger-'));
  try {
    const base = path.join(dir, 'ledger.jsonl');
    options.log(`ledger: writing ${options.records.toLocaleString('en-US')} records over a year…`);
    const expectedUsd = await writeYear(base, options.records, options.seed);
    const files = (await ledgerFiles(base)).map((file) => file.path);
    let bytes = 0;
    for (const file of files) bytes += (await stat(file)).size;

    options.log(`ledger: naive reads (${(bytes / 1e6).toFixed(0)} MB)…`);
    const naive: number[] = [];
    let naiveUsd = 0;
    for (let run = 0; run < Math.min(3, options.runs); run++) {
      const start = performance.now();
      naiveUsd = await naiveTotal(files);
      naive.push(performance.now() - start);
    }

    options.log('ledger: first read, writing the summaries…');
    const coldStart = performance.now();
    const cold = await new Ledger(base).aggregate();
    const coldMs = performance.now() - coldStart;

    options.log('ledger: warm reads…');
    const warm: number[] = [];
    let warmUsd = 0;
    for (let run = 0; run < options.runs; run++) {
      const start = performance.now();
      const { cells } = await new Ledger(base).aggregate();
      warmUsd = summarizeLedger(cells).totalUsd;
      warm.push(performance.now() - start);
    }
    const today: number[] = [];
    const day = localDay(new Date());
    for (let run = 0; run < options.runs; run++) {
      const start = performance.now();
      const { tail } = await readDayAndFollow(base, day);
      today.push(performance.now() - start);
      await tail.close();
    }

    options.log('ledger: the costs command…');
    const command: number[] = [];
    for (let run = 0; run < Math.min(5, options.runs); run++) {
      const start = performance.now();
      await costsJson(base);
      command.push(performance.now() - start);
    }
    // After an upgrade: the summaries are there, Auto's parts beside them are not yet.
    for (const file of files) await unlink(autoPartPath(file)).catch(() => undefined);
    const upgradeStart = performance.now();
    await costsJson(base);
    const costsCommandUpgradeMs = performance.now() - upgradeStart;
    // No caches at all (a ledger from before the summaries): timed several times, each from nothing.
    const commandCold: number[] = [];
    let report = await costsJsonWithoutCaches(base, files, commandCold);
    for (let run = 1; run < Math.min(5, options.runs); run++) report = await costsJsonWithoutCaches(base, files, commandCold);
    options.log(`ledger: costs says ${JSON.stringify({ totalUsd: report.totalUsd, requests: report.requests, savings: report.savings, auto: report.auto })}`);

    const coldUsd = summarizeLedger(cold.cells).totalUsd;
    const agree = [naiveUsd, warmUsd, coldUsd].every((usd) => Math.abs(usd - expectedUsd) < 1e-6);
    const warmMs = rounded(summarize(warm), 2);
    return {
      method:
        `${options.records} records over 365 days in ${files.length} files (one per month), written as rotation leaves them. ` +
        'naive: each file read whole, every line JSON.parse\'d and checked, costs summed. cold: Ledger.aggregate() with no summaries (it writes them). ' +
        `warm: Ledger.aggregate() + summarize (the costs command's totals), ${options.runs} runs. today: readDayAndFollow (the status bar's and budget's first read), ${options.runs} runs. ` +
        `costs command: costsCommand(--ledger FILE --json) in this process with the default config, ${Math.min(5, options.runs)} runs, then once with each file's Auto part (ledger.jsonl.auto.json) deleted, as after an upgrade, then ${Math.min(5, options.runs)} runs each with every summary and Auto part deleted first.`,
      records: options.records,
      files: files.length,
      bytes,
      naiveMs: rounded(summarize(naive), 0),
      coldMs: Number(coldMs.toFixed(0)),
      warmMs,
      todayMs: rounded(summarize(today), 2),
      costsCommandMs: rounded(summarize(command), 2),
      costsCommandUpgradeMs: Number(costsCommandUpgradeMs.toFixed(0)),
      costsCommandColdMs: rounded(summarize(commandCold), 0),
      totalsAgree: agree,
      checks: [
        { name: 'a year of the ledger reads in under a second (warm p99)', pass: warmMs.p99 < 1000, detail: `${warmMs.p99} ms` },
        { name: 'Switchboard’s totals equal the naive read’s', pass: agree, detail: `naive $${naiveUsd.toFixed(6)}, warm $${warmUsd.toFixed(6)}, written $${expectedUsd.toFixed(6)}` },
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printLedgerRead(report: LedgerReadReport): string {
  return [
    '',
    `== 5. Reading a year of ledgers (${report.records.toLocaleString('en-US')} records, ${report.files} files, ${(report.bytes / 1e6).toFixed(0)} MB) ==`,
    table(SUMMARY_HEADERS, [
      summaryRow('naive: JSON.parse every line', report.naiveMs, 0),
      [`first read (writes the summaries)`, String(report.coldMs), '', '', '', '1'],
      summaryRow('costs / status bar totals (warm)', report.warmMs, 2),
      summaryRow('today’s spend at activation', report.todayMs, 2),
      summaryRow('switchboard costs --json (warm)', report.costsCommandMs, 2),
      [`switchboard costs, no Auto parts yet (after an upgrade)`, String(report.costsCommandUpgradeMs), '', '', '', '1'],
      summaryRow('switchboard costs, no caches at all', report.costsCommandColdMs, 0),
    ]),
    `totals agree with the naive read: ${report.totalsAgree ? 'yes' : 'NO'}`,
  ].join('\n');
}

/** A year of records ending now, a file per local month (the current one live). Returns their total cost. */
export async function writeYear(base: string, count: number, seed: number): Promise<number> {
  const random = seededRandom(seed);
  const end = Date.now();
  const start = end - 365 * 86_400_000;
  const step = (end - start) / count;
  const thisMonth = localMonth(new Date(end));
  let month = '';
  let lines: string[] = [];
  let total = 0;
  // Chat and plan requests as Auto leaves them: a tier each, and now and then a
  // retry of a recent cheap answer on the strong tier, so the report has Auto's line to fold.
  const recentCheap: string[] = [];
  const flush = async () => {
    if (lines.length === 0) return;
    await writeFile(month === thisMonth ? base : archivePath(base, month), `${lines.join('\n')}\n`);
    lines = [];
  };
  for (let i = 0; i < count; i++) {
    const time = new Date(start + i * step);
    const recordMonth = localMonth(time);
    if (recordMonth !== month) {
      await flush();
      month = recordMonth;
    }
    const [provider, model, task] = MODELS[Math.floor(random() * MODELS.length)]!;
    const input = 200 + Math.floor(random() * 8000);
    const output = 10 + Math.floor(random() * 800);
    const costUsd = Number(((input * 1 + output * 5) / 1e6).toFixed(9));
    total += costUsd;
    const id = `bench.${i.toString(36)}`;
    let auto: Pick<LedgerRecord, 'routing' | 'retryOf'> = {};
    if (task !== 'completion') {
      const draw = random();
      if (draw < 0.03 && recentCheap.length > 0) auto = { routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: recentCheap.shift()! };
      else if (draw < 0.6) {
        auto = { routing: { mode: 'auto', tier: 'cheap', score: 0.2, reasons: ['short request (5 words)'] } };
        recentCheap.push(id);
        if (recentCheap.length > 20) recentCheap.shift();
      } else auto = { routing: { mode: 'auto', tier: 'strong', score: 0.8, reasons: ['code attached'] } };
    }
    const record: LedgerRecord = {
      v: 1,
      id,
      time: time.toISOString(),
      task,
      provider,
      model,
      requestedModel: `${provider}:${model}`,
      usage: { inputTokens: input, outputTokens: output, cacheReadTokens: random() < 0.3 ? 1000 : 0, cacheWriteTokens: 0 },
      usageEstimated: random() < 0.02,
      costUsd,
      latencyMs: Math.floor(200 + random() * 3000),
      firstTokenMs: Math.floor(100 + random() * 900),
      outcome: random() < 0.02 ? 'error' : 'ok',
      attempts: random() < 0.05 ? [{ provider: 'openai', model: 'gpt-5.4', error: 'openai is rate-limiting requests (429)' }] : [],
      source: 'vscode',
      ...auto,
    };
    lines.push(JSON.stringify(record));
  }
  await flush();
  return total;
}

/** `switchboard costs --ledger base --json`, as the CLI runs it (default config), its JSON parsed. */
async function costsJson(base: string): Promise<{ totalUsd: number; requests: number; savings: unknown; auto: unknown }> {
  let out = '';
  const io = { stdout: (text: string) => void (out += text), stderr: () => undefined, stdin: process.stdin, env: {}, cwd: process.cwd() };
  const code = await costsCommand(parseCli(['--ledger', base, '--json']).values, [], io);
  if (code !== 0) throw new Error(`costs exited with ${code}`);
  return JSON.parse(out) as { totalUsd: number; requests: number; savings: unknown; auto: unknown };
}

/** costsJson with no summary or Auto part beside any file, its time pushed to `times`. */
async function costsJsonWithoutCaches(base: string, files: readonly string[], times: number[]): Promise<Awaited<ReturnType<typeof costsJson>>> {
  for (const file of files) for (const cache of [summaryPath, autoPartPath]) await unlink(cache(file)).catch(() => undefined);
  const start = performance.now();
  const report = await costsJson(base);
  times.push(performance.now() - start);
  return report;
}

/** The baseline: every line of every file parsed and checked, costs summed. */
async function naiveTotal(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const value: unknown = JSON.parse(line);
      if (recordProblem(value)) continue;
      total += (value as LedgerRecord).costUsd ?? 0;
    }
  }
  return total;
}
