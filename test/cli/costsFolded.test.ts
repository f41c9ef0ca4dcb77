import assert from 'node:assert/strict';
import { appendFile, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { costView } from '../../src/core/costs/costView';
import { inRange, parseDay, type DayRange } from '../../src/core/costs/dayRange';
import { countRetries } from '../../src/core/costs/retrySavings';
import { strongTierPrices } from '../../src/core/costs/strongTier';
import { resolveConfig } from '../../src/core/config';
import type { LedgerRecord } from '../../src/core/ledger';
import { archivePath, autoPartPath, summaryPath } from '../../src/core/ledger/ledgerPath';
import { aggregateLedger, readDayAndFollow, readLedgerRecords } from '../../src/core/ledger/reader';
import { localDay } from '../../src/core/localDay';
import { PriceTable } from '../../src/core/prices/priceTable';
import { summarizeAuto, type AutoSummary } from '../../src/core/routing/autoReport';
import { record, tempDir } from '../core/ledger/fixtures';
import { bytesReadByThisProcess } from '../fakes/bytesRead';
import { seeded } from '../fakes/seeded';
import { runInProcess } from './inProcess';

/** Plan's strong tier has no price, so its cheap answers stay out of the saving (and its retries count at their cost). */
const CONFIG = { routes: { chat: ['anthropic:claude-sonnet-5'], plan: ['openai:no-such-model'] }, auto: { enabled: true } };

/**
 * A month of records as Auto and the editor leave them: completions (some
 * served without a request), Auto on both tiers, manual picks, unpriced
 * answers, long prompts, and retries of cheap answers of this month and of
 * earlier ones (across files), of strong answers and of ids never written.
 */
function month(yearMonth: string, count: number, draw: () => number, cheapIds: string[], strongIds: string[]): LedgerRecord[] {
  const records: LedgerRecord[] = [];
  for (let i = 0; i < count; i++) {
    const day = String(1 + Math.floor(draw() * 28)).padStart(2, '0');
    const time = `${yearMonth}-${day}T${String(Math.floor(draw() * 24)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000Z`;
    const id = `${yearMonth}.${i}`;
    const long = draw() < 0.05;
    const usage = { inputTokens: long ? 250_000 : 100 + Math.floor(draw() * 9000), outputTokens: 10 + Math.floor(draw() * 900), cacheReadTokens: draw() < 0.3 ? 2000 : 0, cacheWriteTokens: draw() < 0.1 ? 500 : 0 };
    const costUsd = draw() < 0.06 ? null : Math.round(draw() * 1e7) / 1e9;
    const kind = draw();
    const task = draw() < 0.7 ? ('chat' as const) : ('plan' as const);
    if (kind < 0.25) {
      records.push(record({ id, time, task: 'completion', provider: 'openai', model: 'gpt-5.4-nano', usage, costUsd, ...(draw() < 0.2 ? { servedFrom: 'cache' as const, count: 3, costUsd: 0 } : {}) }));
    } else if (kind < 0.6) {
      // Every eleventh handed over from a failed strong tier: out of the savings, counted apart (no draw, as below).
      const handedOver = i % 11 === 0 ? { handedOverFrom: 'strong' as const } : {};
      records.push(record({ id, time, task, model: 'claude-haiku-4-5', usage, costUsd, routing: { mode: 'auto', tier: 'cheap', score: 0.1, reasons: [], ...handedOver } }));
      cheapIds.push(id);
    } else if (kind < 0.78) {
      // Every seventh handed over from the cheap tier (no draw, so the rest of the month is unchanged).
      const handedOver = i % 7 === 0 ? { handedOverFrom: 'cheap' as const } : {};
      records.push(record({ id, time, task, usage, costUsd, routing: { mode: 'auto', tier: 'strong', score: 0.9, reasons: [], ...handedOver } }));
      strongIds.push(id);
    } else if (kind < 0.85) {
      records.push(record({ id, time, task, usage, costUsd, routing: { mode: 'manual', reasons: [] } }));
    } else {
      const target = draw();
      const pool = target < 0.7 ? cheapIds : target < 0.85 ? strongIds : [];
      const retryOf = pool.length > 0 ? pool[Math.floor(draw() * pool.length)]! : 'never-written';
      records.push(record({ ...(draw() < 0.9 ? { id } : {}), time, task, usage, costUsd, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf }));
    }
  }
  return records;
}

const lines = (records: readonly LedgerRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

/** Months drawn from one seed, in order: each knows the answers of those before it, so its retries can re-ask them. */
class Months {
  readonly cheapIds: string[] = [];
  private readonly strongIds: string[] = [];
  private readonly draw: () => number;

  constructor(seed: number) {
    this.draw = seeded(seed);
  }

  records(yearMonth: string, count: number): LedgerRecord[] {
    return month(yearMonth, count, this.draw, this.cheapIds, this.strongIds);
  }

  lines(yearMonth: string, count: number): string {
    return lines(this.records(yearMonth, count));
  }
}

interface Figures {
  savings: { actualUsd: number; strongUsd: number; savedUsd: number; comparedRequests: number; chosenRequests: number; handedOverRequests: number; handedOverUsd: number };
  auto: AutoSummary;
}

/** What `costs` printed before its Auto line and retries were folded: both read from every record of the range. */
async function recordByRecord(base: string, from: string | undefined, to: string): Promise<Figures> {
  const { config } = resolveConfig(CONFIG);
  const strongPrice = strongTierPrices(config, new PriceTable(config.prices));
  const range: DayRange = { ...(from ? { from } : {}), to };
  const since = from ? parseDay(from) : undefined;
  const { cells } = await aggregateLedger(base, since ? { since } : {});
  const { records } = await readLedgerRecords(base, since ? { since } : {});
  const inside = records.filter((r) => inRange(localDay(new Date(r.time)), range));
  const view = costView(cells.filter((cell) => inRange(cell.day, range)), { range, strongPrice });
  const { actualUsd, strongUsd, savedUsd, comparedRequests, chosenRequests, handedOverRequests, handedOverUsd } = countRetries(view.savings, view.days, inside, strongPrice);
  return { savings: { actualUsd, strongUsd, savedUsd, comparedRequests, chosenRequests, handedOverRequests, handedOverUsd }, auto: summarizeAuto(inside, strongPrice) };
}

describe('switchboard costs folds Auto and the retries from caches beside the ledger files', function () {
  this.timeout(30_000);
  const dir = tempDir('costs-folded');
  const ranges: Array<[string | undefined, string]> = [
    [undefined, '2026-11-30'],
    ['2026-09-01', '2026-11-30'],
    ['2026-10-05', '2026-11-30'],
    ['2026-10-01', '2026-10-31'],
    [undefined, '2026-09-15'],
    ['2026-11-10', '2026-11-10'],
  ];

  /** The ledger's path and a config file in the test's folder, and months drawn from `seed`. */
  async function ledgerSetUp(seed: number): Promise<{ base: string; config: string; months: Months }> {
    const config = path.join(dir.path, 'config.json');
    await writeFile(config, JSON.stringify(CONFIG));
    return { base: path.join(dir.path, 'ledger.jsonl'), config, months: new Months(seed) };
  }

  async function expectSameFigures(base: string, config: string): Promise<void> {
    for (const [from, to] of ranges) {
      const args = ['costs', '--config', config, '--ledger', base, '--until', to, ...(from ? ['--since', from] : [])];
      const json = await runInProcess([...args, '--json']);
      assert.equal(json.code, 0, json.stderr);
      const folded = JSON.parse(json.stdout) as Figures;
      const expected = await recordByRecord(base, from, to);
      const label = `${from ?? 'start'}..${to}`;
      // The retries are the same records in the same order: the saving is the same to the last bit.
      // The figures, not what they are compared with (the strong models, whose routes, and the models on none).
      const figures = (savings: Figures['savings']) => ({ ...savings, strongModels: undefined, routes: undefined, modelsOnNoRoute: undefined });
      assert.deepEqual(figures(folded.savings), figures(expected.savings), label);
      // Auto's counts are exact; its saving sums the same amounts by day and task instead of by request.
      const { savedUsd, ...counts } = folded.auto;
      const { savedUsd: expectedSaved, ...expectedCounts } = expected.auto;
      assert.deepEqual(counts, expectedCounts, label);
      assert.equal(savedUsd === null, expectedSaved === null, label);
      if (savedUsd !== null) assert.ok(Math.abs(savedUsd - expectedSaved!) <= 1e-9, `${label}: ${savedUsd} against ${expectedSaved}`);
      assert.ok(folded.auto.requests > 0 || label.startsWith('2026-11-10'), label);
    }
  }

  it('gives the record-by-record figures over months of files, from the lines, the caches, lines after them, an unfinished last line, and a ledger summarized before the Auto caches existed', async () => {
    const { base, config, months } = await ledgerSetUp(7);
    await writeFile(archivePath(base, '2026-09'), months.lines('2026-09', 400));
    await writeFile(archivePath(base, '2026-10'), months.lines('2026-10', 400));
    await writeFile(base, months.lines('2026-11', 400));

    // From the lines (this first read writes the summaries and Auto's parts beside them)…
    await expectSameFigures(base, config);
    const cache = JSON.parse(await readFile(autoPartPath(base), 'utf8')) as { v: number; auto: { retries: unknown[]; cheapIds: Record<string, string[]> } };
    assert.equal(cache.v, 5);
    assert.ok(cache.auto.retries.length > 10);
    // …from the caches alone…
    await expectSameFigures(base, config);
    // …and from the lines again when a cache is of the version before unpriced answers' ids were kept…
    await writeFile(autoPartPath(base), JSON.stringify({ ...cache, v: 1 }));
    await expectSameFigures(base, config);
    assert.equal((JSON.parse(await readFile(autoPartPath(base), 'utf8')) as { v: number }).v, 5, 'rewritten at the current version');

    // …from the caches and a few lines after them (retries of answers in the cached part and in older files)…
    const more = months.records('2026-11', 30);
    more.push(record({ id: 'late-retry-1', time: '2026-11-20T12:00:00.000Z', usage: { inputTokens: 500, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 }, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: months.cheapIds[3]! }));
    more.push(record({ id: 'late-retry-2', time: '2026-11-21T12:00:00.000Z', routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: months.cheapIds[months.cheapIds.length - 40]! }));
    await appendFile(base, lines(more));
    await expectSameFigures(base, config);
    // …a last record whose newline is not written yet (it counts, as in the totals)…
    await appendFile(base, JSON.stringify(record({ id: 'unfinished', time: '2026-11-22T12:00:00.000Z', model: 'claude-haiku-4-5', routing: { mode: 'auto', tier: 'cheap', reasons: [] } })));
    await expectSameFigures(base, config);
    await appendFile(base, '\n');
    // …and from caches written again after many more lines.
    await appendFile(base, months.lines('2026-11', 300));
    await expectSameFigures(base, config);

    // A ledger summarized by an earlier version has summaries but no Auto parts: costs writes them.
    await unlink(autoPartPath(archivePath(base, '2026-10')));
    await unlink(autoPartPath(base));
    const summaryBefore = await readFile(summaryPath(base), 'utf8');
    await expectSameFigures(base, config);
    assert.ok((JSON.parse(await readFile(autoPartPath(archivePath(base, '2026-10')), 'utf8')) as { auto?: unknown }).auto);
    assert.equal(await readFile(summaryPath(base), 'utf8'), summaryBefore, 'the summary is left as it was');

    // The status bar's read neither reads nor writes Auto's part.
    await unlink(autoPartPath(base));
    await appendFile(base, months.lines('2026-11', 300));
    const { tail } = await readDayAndFollow(base, '2026-11-30');
    await tail.close();
    assert.notEqual(await readFile(summaryPath(base), 'utf8'), summaryBefore, 'the status bar\'s read wrote the summary again');
    await assert.rejects(stat(autoPartPath(base)));
    await expectSameFigures(base, config);
  });

  it('reads each file once when neither cache is beside it, writing the summary and Auto\'s part from that one pass', async () => {
    const { base, config, months } = await ledgerSetUp(5);
    const yearMonths = ['2026-09', '2026-10', '2026-11'];
    const files = [archivePath(base, '2026-09'), archivePath(base, '2026-10'), base];
    for (const [i, file] of files.entries()) await writeFile(file, months.lines(yearMonths[i]!, 3000));
    let bytes = 0;
    for (const file of files) bytes += (await stat(file)).size;
    const args = ['costs', '--config', config, '--ledger', base, '--json'];
    // A first run loads the modules the command imports, so the measured run reads ledger bytes only.
    assert.equal((await runInProcess(args)).code, 0);
    const removeCaches = () => Promise.all(files.flatMap((file) => [unlink(summaryPath(file)), unlink(autoPartPath(file))]));
    await removeCaches();

    const before = bytesReadByThisProcess();
    const cold = await runInProcess(args);
    const read = bytesReadByThisProcess() - before;
    assert.equal(cold.code, 0, cold.stderr);
    // Once is the ledger's bytes plus the caches' first and last bytes checked on writing them; twice would be double.
    assert.ok(read >= bytes && read < bytes * 1.2, `read ${read} bytes of a ledger of ${bytes}`);
    for (const file of files) {
      const size = (await stat(file)).size;
      const summary = JSON.parse(await readFile(summaryPath(file), 'utf8')) as { bytes: number };
      const auto = JSON.parse(await readFile(autoPartPath(file), 'utf8')) as { bytes: number; auto: { cells: unknown[] } };
      assert.deepEqual([summary.bytes, auto.bytes], [size, size], file);
      assert.ok(auto.auto.cells.length > 0, file);
    }
    // The caches written in that pass give the same report, and so do the lines read apart.
    const warm = await runInProcess(args);
    assert.equal(warm.stdout, cold.stdout);
    await Promise.all(files.map((file) => unlink(autoPartPath(file))));
    assert.equal((await runInProcess(args)).stdout, cold.stdout);
    await expectSameFigures(base, config);
  });

  it('prints the same Auto line as the records give', async () => {
    const { base, config, months } = await ledgerSetUp(11);
    await writeFile(archivePath(base, '2026-10'), months.lines('2026-10', 300));
    await writeFile(base, months.lines('2026-11', 300));
    const text = await runInProcess(['costs', '--config', config, '--ledger', base, '--since', '2026-10-10', '--until', '2026-11-30']);
    assert.equal(text.code, 0, text.stderr);
    const expected = await recordByRecord(base, '2026-10-10', '2026-11-30');
    const { auto } = expected;
    const line = text.stdout.split('\n').find((l) => l.startsWith('Auto: '));
    assert.ok(line, text.stdout);
    assert.ok(auto.handedOver > 0);
    const handedOver = `, ${auto.handedOver} handed over to the other tier when the one picked could not answer`;
    assert.ok(line.startsWith(`Auto: ${auto.requests} requests (${auto.cheap} cheap tier, ${auto.strong} strong tier${handedOver}); ${auto.retries} of ${auto.cheap} cheap-tier answers retried`), line);
    assert.ok(auto.retries > 0 && auto.savedUsd !== null);
    const dollars = `$${Math.abs(auto.savedUsd).toFixed(2)}`;
    assert.ok(line.includes(dollars), `${line} should say ${dollars}`);
  });
});
