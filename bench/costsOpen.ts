/**
 * The cost dashboard's host side over a year of records (one file per month,
 * as rotation leaves them): opening it with the panel's own fold
 * (openCostIndex, then the first report), switching range, and the live
 * updates while another process appends records at a steady rate (read from
 * the tail, folded, reported and serialized as the panel's view message), and the page
 * drawing those messages in Chromium (costsDraw.ts).
 * The naive baseline in the same run reads every record into memory and
 * reports from the records, as a dashboard without cells would.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CostReport } from '../src/core/costs/costIndex';
import { openCostIndex } from '../src/core/costs/costLedger';
import { costView } from '../src/core/costs/costView';
import { dayRange, inRange, type RangeId } from '../src/core/costs/dayRange';
import { TopRequests } from '../src/core/costs/topRequests';
import type { LedgerRecord } from '../src/core/ledger';
import { readLedgerRecords } from '../src/core/ledger/reader';
import { cellsOf } from '../src/core/ledger/totals';
import { localDay } from '../src/core/localDay';
import { PriceTable } from '../src/core/prices/priceTable';
import { DEFAULT_QUERY, type DashboardHostMessage, type DashboardQuery } from '../src/shared/dashboardProtocol';
import { measureDashboardDrawing, type DrawReport } from './costsDraw';
import { writeYear } from './ledgerRead';
import { SUMMARY_HEADERS, summaryRow, table, type Check } from './report';
import { rounded, summarize, type Summary } from './stats';

export interface CostsOpenReport {
  method: string;
  records: number;
  open: Summary;
  /** The first open, which also writes what later opens read (once per file). */
  firstOpenMs: number;
  naiveOpen: Summary;
  rangeSwitch: Summary;
  liveUpdate: Summary;
  /** Records folded per live update (the panel reads at most every 250 ms). */
  liveRecordsPerUpdate: Summary;
  viewMessageBytes: Summary;
  /** The page drawing the live updates' messages (30 days), and views of the whole year with filters changed. */
  drawLive: DrawReport;
  drawYear: DrawReport;
  /** The costliest-requests tables equal the naive ones (every range tried). */
  topAgrees: boolean;
  checks: Check[];
}

/** The panel's FOLLOW_INTERVAL_MS (src/vscode/costs/costsPanel.ts): appends are read at most this often. */
const FOLLOW_INTERVAL_MS = 250;
const RANGES: RangeId[] = ['7d', '30d', 'all'];

export async function runCostsOpenBench(options: { records: number; runs: number; liveRecords: number; liveRate: number; seed: number; log: (line: string) => void }): Promise<CostsOpenReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-bench-costs-'));
  const base = path.join(dir, 'ledger.jsonl');
  try {
    options.log(`costs: writing ${options.records.toLocaleString('en-US')} records over a year…`);
    await writeYear(base, options.records, options.seed);
    const prices = new PriceTable();
    const strongPrice = () => prices.lookup('anthropic', 'claude-sonnet-5');
    const report = (opened: Awaited<ReturnType<typeof openCostIndex>>, range: RangeId): CostReport => opened.index.report({ range: dayRange(range), strongPrice });

    const open = async () => {
      const opened = await openCostIndex(base);
      report(opened, '30d');
      return opened;
    };
    const naive = async (range: RangeId) => {
      const { records } = await readLedgerRecords(base);
      const chosen = dayRange(range);
      const view = costView(cellsOf(records), { range: chosen, strongPrice });
      const top = new TopRequests(10);
      for (const record of records) if (inRange(localDay(new Date(record.time)), chosen)) top.offer(record);
      return { view, top: top.rows() };
    };

    let start = performance.now();
    await (await open()).tail.close();
    const firstOpenMs = performance.now() - start;
    options.log(`costs: first open ${Math.round(firstOpenMs)} ms`);
    const openSamples: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      start = performance.now();
      const opened = await open();
      openSamples.push(performance.now() - start);
      await opened.tail.close();
      options.log(`costs: open ${run + 1}/${options.runs} ${Math.round(openSamples.at(-1)!)} ms`);
    }

    const opened = await open();
    const naiveSamples: number[] = [];
    let topAgrees = true;
    for (let run = 0; run < Math.min(3, options.runs); run++) {
      const range = RANGES[run % RANGES.length]!;
      start = performance.now();
      const expected = await naive(range);
      naiveSamples.push(performance.now() - start);
      options.log(`costs: naive open ${run + 1}/${Math.min(3, options.runs)} ${Math.round(naiveSamples.at(-1)!)} ms`);
      const got = report(opened, range);
      topAgrees &&= JSON.stringify(got.top) === JSON.stringify(expected.top) && got.view.totals.requests === expected.view.totals.requests;
    }

    const rangeSamples: number[] = [];
    for (let run = 0; run < 50; run++) {
      start = performance.now();
      report(opened, run % 2 ? 'all' : '7d');
      rangeSamples.push(performance.now() - start);
    }

    options.log(`costs: another process appends ${options.liveRecords} records at ${options.liveRate}/s while the dashboard follows…`);
    const live = await followAppends(base, dir, opened, options, (index) => report({ ...opened, index }, '30d'));
    await opened.tail.close();

    options.log('costs: the page draws them in Chromium…');
    const drawLive = await measureDashboardDrawing(live.messages);
    const year: DashboardHostMessage[] = [];
    for (let run = 0; run < 30; run++) {
      const query: DashboardQuery = { ...DEFAULT_QUERY, range: 'all', providers: run % 3 === 1 ? ['openai'] : [], tasks: run % 3 === 2 ? ['chat'] : [] };
      year.push(viewMessage(opened.index.report({ range: dayRange('all'), filters: query, strongPrice }), query, base));
    }
    const drawYear = await measureDashboardDrawing(year);

    const result: CostsOpenReport = {
      method:
        `${options.records} records over 365 days, a file per month. open: openCostIndex (the panel's fold) + the first report (30 days), ${options.runs} runs after a first open. ` +
        'naive: every record read into memory (readLedgerRecords), cells and top table computed from the records. ' +
        `live: a child process appends ${options.liveRecords} records at ${options.liveRate}/s; each update (the tail read at most every ${FOLLOW_INTERVAL_MS} ms, as the panel does) is timed from the read to the serialized view message.`,
      records: options.records,
      open: rounded(summarize(openSamples), 1),
      firstOpenMs: Math.round(firstOpenMs),
      naiveOpen: rounded(summarize(naiveSamples), 1),
      rangeSwitch: rounded(summarize(rangeSamples)),
      liveUpdate: rounded(summarize(live.updateMs)),
      liveRecordsPerUpdate: rounded(summarize(live.recordsPerUpdate), 1),
      viewMessageBytes: rounded(summarize(live.messageBytes), 0),
      topAgrees,
      drawLive,
      drawYear,
      checks: [],
    };
    result.checks.push(
      {
        name: `costs: open over ${options.records.toLocaleString('en-US')} records under 1 s (median)`,
        pass: result.open.median < 1000,
        detail: `${result.open.median} ms (naive ${result.naiveOpen.median} ms)`,
      },
      { name: 'costs: a live update (tail read + fold + report + message) under 16 ms (p99)', pass: result.liveUpdate.p99 < 16, detail: `${result.liveUpdate.p99} ms` },
      { name: 'costs: the costliest requests and totals equal the naive read’s', pass: topAgrees, detail: topAgrees ? 'equal' : 'DIFFER' },
      { name: 'costs: the page draws a live update within a frame (longest task p99 under 16 ms)', pass: drawLive.longestTaskMs.p99 < 16, detail: `${drawLive.longestTaskMs.p99} ms` },
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Another process appends `liveRecords` lines to the live file, one every
 * 1/liveRate s; the dashboard follows as the panel does (watched, read at most
 * every FOLLOW_INTERVAL_MS, one read at a time) until it has read them all.
 */
async function followAppends(
  base: string,
  dir: string,
  opened: Awaited<ReturnType<typeof openCostIndex>>,
  options: { liveRecords: number; liveRate: number },
  report: (index: typeof opened.index) => CostReport,
): Promise<{ updateMs: number[]; recordsPerUpdate: number[]; messageBytes: number[]; messages: DashboardHostMessage[] }> {
  const feed = path.join(dir, 'feed.jsonl');
  const lines: string[] = [];
  for (let i = 0; i < options.liveRecords; i++) lines.push(JSON.stringify(liveRecord(i)));
  await writeFile(feed, `${lines.join('\n')}\n`);
  const updateMs: number[] = [];
  const recordsPerUpdate: number[] = [];
  const messageBytes: number[] = [];
  const messages: DashboardHostMessage[] = [];
  let seen = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reading: Promise<void> | undefined;
  let again = false;
  return new Promise((resolve, reject) => {
    const update = () => {
      if (reading) {
        again = true;
        return;
      }
      const start = performance.now();
      reading = opened.tail.read().then((records) => {
        for (const record of records) opened.index.add(record);
        const message = viewMessage(report(opened.index), DEFAULT_QUERY, base);
        const bytes = Buffer.byteLength(JSON.stringify(message));
        if (records.length > 0) {
          updateMs.push(performance.now() - start);
          recordsPerUpdate.push(records.length);
          messageBytes.push(bytes);
          messages.push(message);
        }
        seen += records.length;
        reading = undefined;
        if (seen >= options.liveRecords) resolve({ updateMs, recordsPerUpdate, messageBytes, messages });
        else if (again) {
          again = false;
          update();
        }
      }, reject);
    };
    opened.tail.watch(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        update();
      }, FOLLOW_INTERVAL_MS);
    });
    const script = [
      "const fs = require('node:fs');",
      'const [feed, target, interval] = process.argv.slice(1);',
      "const lines = fs.readFileSync(feed, 'utf8').split('\\n').filter(Boolean);",
      'let next = 0;',
      "const timer = setInterval(() => { fs.appendFileSync(target, '\\n' + lines[next++] + '\\n'); if (next === lines.length) clearInterval(timer); }, Number(interval));",
    ].join('\n');
    const child = spawn(process.execPath, ['-e', script, feed, base, String(1000 / options.liveRate)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`costs: the appending process failed (${code}): ${stderr}`));
    });
  });
}

/** What the panel posts the page (CostsPanel.send). */
function viewMessage(report: CostReport, query: DashboardQuery, ledgerPath: string): DashboardHostMessage {
  return { type: 'view', query, view: report.view, top: report.top, strongModels: { chat: 'anthropic:claude-sonnet-5' }, empty: false, ledgerPath };
}

function liveRecord(i: number): LedgerRecord {
  const inputTokens = 500 + ((i * 7919) % 6000);
  const outputTokens = 20 + ((i * 104729) % 700);
  return {
    v: 1,
    id: `live.${i}`,
    time: new Date().toISOString(),
    task: i % 3 ? 'completion' : 'chat',
    provider: 'anthropic',
    model: i % 3 ? 'claude-haiku-4-5' : 'claude-sonnet-5',
    requestedModel: 'auto',
    usage: { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd: Number(((inputTokens + outputTokens * 5) / 1e6).toFixed(9)),
    latencyMs: 300 + (i % 900),
    firstTokenMs: 120,
    outcome: 'ok',
    attempts: [],
    source: 'vscode',
  };
}

export function printCostsOpen(report: CostsOpenReport): string {
  return [
    `\n== Cost dashboard, host side: ${report.records.toLocaleString('en-US')} records over a year ==`,
    table(SUMMARY_HEADERS, [
      summaryRow('open (read + fold + first report), ms', report.open, 1),
      [`first open (writes what later opens read), ms`, String(report.firstOpenMs), '', '', '', '1'],
      summaryRow('naive open (every record in memory), ms', report.naiveOpen, 1),
      summaryRow('range switch (7 days / all), ms', report.rangeSwitch),
      summaryRow('live update (tail read + fold + report + message), ms', report.liveUpdate),
      summaryRow('records per live update', report.liveRecordsPerUpdate, 1),
      summaryRow('view message, bytes', report.viewMessageBytes, 0),
    ]),
    `costliest requests and totals equal the naive read’s: ${report.topAgrees ? 'yes' : 'NO'}`,
    '',
    'The page (headless Chromium) drawing each view message:',
    table(SUMMARY_HEADERS, [
      summaryRow('live update (30 days): longest task, ms', report.drawLive.longestTaskMs, 2),
      summaryRow('live update: post to the frame after the whole view is drawn, ms', report.drawLive.postToFrameMs, 2),
      summaryRow('whole year, filters changed: longest task, ms', report.drawYear.longestTaskMs, 2),
      summaryRow('whole year: post to the frame after the whole view is drawn, ms', report.drawYear.postToFrameMs, 2),
    ]),
    `long animation frames (50 ms or more) while updates were drawn: live ${report.drawLive.longFrames} (longest ${report.drawLive.longestFrameMs} ms), year ${report.drawYear.longFrames} (longest ${report.drawYear.longestFrameMs} ms); ` +
      `while the page loaded and drew its first view: live ${report.drawLive.firstDrawLongFrames}, year ${report.drawYear.firstDrawLongFrames}`,
    ...(report.drawLive.longestFrameParts ? [`  the longest, live: ${report.drawLive.longestFrameParts}`] : []),
    ...(report.drawYear.longestFrameParts ? [`  the longest, year: ${report.drawYear.longestFrameParts}`] : []),
  ].join('\n');
}
