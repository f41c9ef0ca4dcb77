/**
 * The dashboard's first open after an upgrade: a year of ledgers (a file per
 * month) with no cache beside any file, so every line is read to write them.
 * Three ways in the same run, taken in turn each round so that a machine's
 * load falls on all of them alike, every cache deleted before each:
 * - one pass: openCostIndex, the cells and the costliest requests folded from
 *   each file's one read (scanFile's RecordFold);
 * - two passes: the cells' read, then foldTopRequests reading the file again,
 *   as openCostIndex did before;
 * - naive: every record read into memory and folded from there (the baseline
 *   of costsOpen.ts), which writes no cache.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CostIndex } from '../src/core/costs/costIndex';
import { openCostIndex } from '../src/core/costs/costLedger';
import { costView } from '../src/core/costs/costView';
import { dayRange, inRange } from '../src/core/costs/dayRange';
import { foldTopRequests } from '../src/core/costs/topFile';
import { TopRequests } from '../src/core/costs/topRequests';
import { SHIPPED_LEDGER_PRICES } from '../src/core/ledger/costCheck';
import { readLedgerRecords, scanAndFollow } from '../src/core/ledger/reader';
import { cellsOf } from '../src/core/ledger/totals';
import { localDay } from '../src/core/localDay';
import { PriceTable } from '../src/core/prices/priceTable';
import { writeYear } from './ledgerRead';
import { SUMMARY_HEADERS, summaryRow, table, type Check } from './report';
import { rounded, summarize, type Summary } from './stats';

export interface CostsRebuildReport {
  method: string;
  records: number;
  onePass: Summary;
  twoPasses: Summary;
  naive: Summary;
  /** The three agree on the year's total and its costliest requests. */
  agrees: boolean;
  checks: Check[];
}

export async function runCostsRebuildBench(options: { records: number; runs: number; seed: number; log: (line: string) => void }): Promise<CostsRebuildReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-bench-rebuild-'));
  const base = path.join(dir, 'ledger.jsonl');
  try {
    options.log(`rebuild: writing ${options.records.toLocaleString('en-US')} records over a year…`);
    await writeYear(base, options.records, options.seed);
    const prices = new PriceTable();
    const strongPrice = () => prices.lookup('anthropic', 'claude-sonnet-5');
    const all = dayRange('all');
    const dropCaches = async () => {
      for (const name of await readdir(dir)) if (/\.(summary|top|auto)\.json$/.test(name)) await rm(path.join(dir, name));
    };
    const fingerprint = (view: ReturnType<typeof costView>, top: unknown) => JSON.stringify([view.totals, top]);

    const ways: Record<'onePass' | 'twoPasses' | 'naive', () => Promise<string>> = {
      onePass: async () => {
        const opened = await openCostIndex(base);
        await opened.tail.close();
        const report = opened.index.report({ range: all, strongPrice });
        return fingerprint(report.view, report.top);
      },
      twoPasses: async () => {
        const index = new CostIndex();
        const { tail } = await scanAndFollow(base, { newestFirst: true }, undefined, async (file, scan) => {
          index.mergeCells(scan.cells);
          await foldTopRequests(file, scan.end, index, SHIPPED_LEDGER_PRICES);
        });
        await tail.close();
        const report = index.report({ range: all, strongPrice });
        return fingerprint(report.view, report.top);
      },
      naive: async () => {
        const { records } = await readLedgerRecords(base);
        const view = costView(cellsOf(records), { range: all, strongPrice });
        const top = new TopRequests(10);
        for (const record of records) if (inRange(localDay(new Date(record.time)), all)) top.offer(record);
        return fingerprint(view, top.rows());
      },
    };
    const samples: Record<keyof typeof ways, number[]> = { onePass: [], twoPasses: [], naive: [] };
    const prints = new Set<string>();
    for (let run = 0; run < options.runs; run++) {
      for (const [name, way] of Object.entries(ways) as [keyof typeof ways, () => Promise<string>][]) {
        await dropCaches();
        const start = performance.now();
        prints.add(await way());
        samples[name].push(performance.now() - start);
        options.log(`rebuild: run ${run + 1}, ${name} ${Math.round(samples[name].at(-1)!)} ms`);
      }
    }
    const onePass = rounded(summarize(samples.onePass), 1);
    const twoPasses = rounded(summarize(samples.twoPasses), 1);
    const naive = rounded(summarize(samples.naive), 1);
    const agrees = prints.size === 1;
    return {
      method:
        `${options.records} records over 365 days, a file per month, no cache beside any file (as after an upgrade), ${options.runs} rounds; ` +
        'each round runs the one-pass open, the two-pass open and the naive read in turn, every cache deleted first.',
      records: options.records,
      onePass,
      twoPasses,
      naive,
      agrees,
      checks: [
        { name: 'rebuild: the three reads agree on totals and costliest requests', pass: agrees, detail: `${prints.size} distinct result(s)` },
        { name: 'rebuild: one pass faster than two (median)', pass: onePass.median < twoPasses.median, detail: `${onePass.median} ms vs ${twoPasses.median} ms` },
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printCostsRebuild(report: CostsRebuildReport): string {
  return [
    '\n== Dashboard first open after an upgrade (no caches) ==',
    report.method,
    table(SUMMARY_HEADERS, [
      summaryRow('one pass (openCostIndex), ms', report.onePass, 0),
      summaryRow('two passes (before), ms', report.twoPasses, 0),
      summaryRow('naive: every record in memory, ms', report.naive, 0),
    ]),
  ].join('\n');
}
