import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, link, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CostIndex, TOP_REQUESTS } from '../../../src/core/costs/costIndex';
import { followCosts, openCostIndex } from '../../../src/core/costs/costLedger';
import type { CostFilters } from '../../../src/core/costs/costView';
import { inRange, type DayRange } from '../../../src/core/costs/dayRange';
import { TOP_FILE_VERSION, type TopFile } from '../../../src/core/costs/topFile';
import { costlyRequest } from '../../../src/core/costs/topRequests';
import type { LedgerRecord } from '../../../src/core/ledger';
import { archivePath, summaryPath, topRequestsPath } from '../../../src/core/ledger/ledgerPath';
import { aggregateLedger } from '../../../src/core/ledger/reader';
import { localDay } from '../../../src/core/localDay';
import { tempDir } from '../ledger/fixtures';
import { record } from './cells';

const MODELS = [
  ['anthropic', 'claude-sonnet-5', 'chat'],
  ['anthropic', 'claude-haiku-4-5', 'completion'],
  ['openai', 'gpt-5.4', 'chat'],
  ['openai', 'gpt-5.4', 'plan'],
] as const;
const strongPrice = () => ({ input: 3, output: 15, source: 'test' });

/** Records of a month, a few hours apart, with many equal costs (ties rank the newer first) and a retry now and then. */
function month(yearMonth: string, count: number, seed: number): LedgerRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const [provider, model, task] = MODELS[(i * 7 + seed) % MODELS.length]!;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const hour = String(i % 24).padStart(2, '0');
    const retry = i % 97 === 5;
    return record({
      id: `${yearMonth}.${i}`,
      time: `${yearMonth}-${day}T${hour}:${String(i % 60).padStart(2, '0')}:00.000Z`,
      provider,
      model,
      task,
      costUsd: i % 41 === 0 ? null : ((i * 7919 + seed) % 60) / 100,
      ...(retry ? { routing: { mode: 'retry' as const, tier: 'strong', reasons: [] }, retryOf: `${yearMonth}.${i - 1}` } : {}),
      ...(i % 53 === 0 ? { servedFrom: 'cache' as const, costUsd: 0 } : {}),
    });
  });
}

/** The costliest requests straight from the records: what the table must show. */
function costliest(records: readonly LedgerRecord[], range: DayRange, filters: CostFilters = {}) {
  return records
    .filter((r) => r.costUsd !== null && !r.servedFrom && inRange(localDay(new Date(r.time)), range))
    .filter((r) => (!filters.providers?.length || filters.providers.includes(r.provider)) && (!filters.tasks?.length || filters.tasks.includes(r.task)))
    .filter((r) => !filters.models?.length || filters.models.includes(`${r.provider}:${r.model}`))
    .sort((a, b) => b.costUsd! - a.costUsd! || b.time.localeCompare(a.time))
    .slice(0, TOP_REQUESTS)
    .map(costlyRequest);
}

const lines = (records: readonly LedgerRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

describe('opening the cost dashboard from the ledger files\' caches', () => {
  const dir = tempDir('cost-ledger');
  let base: string;
  let records: LedgerRecord[];

  beforeEach(async () => {
    base = path.join(dir.path, 'ledger.jsonl');
    // Three archived months and the live file, each past the 64 KiB after which caches are written.
    const months = [month('2026-03', 400, 1), month('2026-04', 400, 2), month('2026-05', 400, 3)];
    for (const [index, name] of ['2026-03', '2026-04', '2026-05'].entries()) await writeFile(archivePath(base, name), lines(months[index]!));
    const live = month('2026-06', 300, 4);
    await writeFile(base, lines(live));
    records = [...months.flat(), ...live];
  });

  const cases: { name: string; range: DayRange; filters?: CostFilters }[] = [
    { name: 'the whole ledger', range: { to: '2026-12-31' } },
    { name: 'a range across two archived months', range: { from: '2026-03-20', to: '2026-04-05' } },
    { name: 'one archived day', range: { from: '2026-04-11', to: '2026-04-11' } },
    { name: 'a provider over the archives', range: { to: '2026-05-31' }, filters: { providers: ['openai'] } },
    { name: 'a model and a task', range: { from: '2026-04-01', to: '2026-06-30' }, filters: { models: ['openai:gpt-5.4'], tasks: ['plan'] } },
  ];

  it('shows the same costliest requests and figures as the records themselves, for any range and filter, cold and from the caches', async () => {
    const fromRecords = new CostIndex();
    for (const r of records) fromRecords.add(r);
    for (const pass of ['cold', 'from the caches']) {
      const { index, tail } = await openCostIndex(base);
      await tail.close();
      for (const { name, range, filters } of cases) {
        const report = index.report({ range, filters, strongPrice });
        assert.ok(report.top.length > 0, `${pass}, ${name}: some rows`);
        assert.deepEqual(report.top, costliest(records, range, filters), `${pass}, ${name}: top table`);
        assert.deepEqual(report.view, fromRecords.report({ range, filters, strongPrice }).view, `${pass}, ${name}: figures`);
      }
      assert.ok((await stat(topRequestsPath(archivePath(base, '2026-04')))).size > 0, 'the cache is written beside each file');
    }
  });

  it('hands over the index after each file, newest first, so the dashboard can show this month before the archives are read', async () => {
    const seen: { read: number; files: number; requests: number; june: number }[] = [];
    const june = { from: '2026-06-01', to: '2026-06-30' };
    const { index, tail } = await openCostIndex(base, undefined, (partial, progress) => {
      seen.push({ ...progress, requests: partial.report({ range: { to: '2026-12-31' }, strongPrice }).view.totals.requests, june: partial.report({ range: june, strongPrice }).view.totals.requests });
    });
    await tail.close();
    const juneRequests = records.filter((r) => !r.servedFrom && r.time.startsWith('2026-06')).length;
    const all = index.report({ range: { to: '2026-12-31' }, strongPrice }).view.totals.requests;
    assert.deepEqual(seen.map(({ read, files }) => [read, files]), [[1, 4], [2, 4], [3, 4], [4, 4]]);
    assert.equal(seen[0]!.june, juneRequests, 'the live file, this month, comes first');
    assert.equal(seen[0]!.requests, juneRequests, 'and nothing else yet');
    assert.ok(seen[1]!.requests > seen[0]!.requests && seen[2]!.requests > seen[1]!.requests, 'the archives fill in');
    assert.equal(seen[3]!.requests, all);
  });

  it('gives the same costliest requests whether they come in the cells\' pass or apart, where the two caches cover different bytes', async () => {
    await (await openCostIndex(base)).tail.close();
    // A summary lost beside a kept top cache, and a top cache lost beside a kept summary (as the status bar and
    // `costs` write summaries alone): each file's costliest requests are then read apart from its cells.
    await rm(summaryPath(archivePath(base, '2026-04')));
    await rm(topRequestsPath(archivePath(base, '2026-05')));
    await appendFile(base, lines(month('2026-06', 5, 9).map((r, i) => ({ ...r, id: `late.${i}`, costUsd: 5 + i }))));
    const all = [...records, ...month('2026-06', 5, 9).map((r, i) => ({ ...r, id: `late.${i}`, costUsd: 5 + i }))];
    const fromRecords = new CostIndex();
    for (const r of all) fromRecords.add(r);
    const { index, tail } = await openCostIndex(base);
    await tail.close();
    for (const { name, range, filters } of cases) {
      const report = index.report({ range, filters, strongPrice });
      assert.deepEqual(report.top, costliest(all, range, filters), `${name}: top table`);
      assert.deepEqual(report.view, fromRecords.report({ range, filters, strongPrice }).view, `${name}: figures`);
    }
  });

  it('reads the cache beside a file instead of its records', async () => {
    await (await openCostIndex(base)).tail.close();
    const cacheFile = topRequestsPath(archivePath(base, '2026-04'));
    const cache = JSON.parse(await readFile(cacheFile, 'utf8')) as TopFile;
    cache.cells[0]!.rows[0]!.costUsd = 99;
    await writeFile(cacheFile, JSON.stringify(cache));
    const { index, tail } = await openCostIndex(base);
    await tail.close();
    assert.equal(index.report({ range: { to: '2026-12-31' }, strongPrice }).top[0]!.costUsd, 99);
  });

  it('rebuilds a cache of an older format, of another time zone, or of a file rewritten since, never trusting it', async () => {
    await (await openCostIndex(base)).tail.close();
    const forge = async (file: string, change: (cache: Record<string, unknown>) => void) => {
      const cache = JSON.parse(await readFile(topRequestsPath(file), 'utf8')) as TopFile & Record<string, unknown>;
      cache.cells[0]!.rows[0]!.costUsd = 99;
      change(cache);
      await writeFile(topRequestsPath(file), JSON.stringify(cache));
    };
    await forge(archivePath(base, '2026-03'), (cache) => delete cache.limit);
    await forge(archivePath(base, '2026-04'), (cache) => (cache.timeZone = 'Mars/Olympus_Mons'));
    // The live file rewritten at the same length (its first record a second later): the cache's first bytes no longer match.
    const first = records.find((r) => r.id === '2026-06.0')!;
    const later = first.time.replace(':00.000Z', ':01.000Z');
    await writeFile(base, (await readFile(base, 'utf8')).replace(first.time, later));
    await forge(base, () => undefined);
    records = records.map((r) => (r === first ? { ...r, time: later } : r));

    const { index, tail } = await openCostIndex(base);
    await tail.close();
    for (const { name, range, filters } of cases) assert.deepEqual(index.report({ range, filters, strongPrice }).top, costliest(records, range, filters), name);
    const rebuilt = JSON.parse(await readFile(topRequestsPath(archivePath(base, '2026-03')), 'utf8')) as TopFile;
    assert.equal(rebuilt.limit, TOP_REQUESTS, 'rewritten in the current format');
  });

  it('rebuilds a cache written before requests never sent were left out (version 1), which may hold their $0.00 rows', async () => {
    await (await openCostIndex(base)).tail.close();
    const file = topRequestsPath(archivePath(base, '2026-04'));
    const cache = JSON.parse(await readFile(file, 'utf8')) as TopFile & Record<string, unknown>;
    assert.equal(cache.v, TOP_FILE_VERSION);
    // As the version before wrote it: a first `ask` before any key was set, a $0.00 row of its day, task and model.
    const cell = cache.cells[0]!;
    const notSent = { ...cell.rows[0]!, time: `${cell.day}T23:59:00.000Z`, costUsd: 0, inputTokens: 0, outputTokens: 0, outcome: 'error' as const, reason: 'the route\'s first model' };
    cell.rows[cell.rows.length - 1] = notSent;
    await writeFile(file, JSON.stringify({ ...cache, v: 1 }));

    const { index, tail } = await openCostIndex(base);
    await tail.close();
    const range = { from: cell.day, to: cell.day };
    const filters = { models: [`${cell.provider}:${cell.model}`], tasks: [cell.task] };
    const top = index.report({ range, filters, strongPrice }).top;
    assert.ok(top.length > 0, 'the cell has rows');
    assert.deepEqual(top, costliest(records, range, filters), 'no row the records do not hold');
    assert.equal((JSON.parse(await readFile(file, 'utf8')) as TopFile).v, TOP_FILE_VERSION, 'rewritten in the current format');
  });

  it('builds the costliest requests from the lines when only the summaries exist (written by the status bar or costs)', async () => {
    await aggregateLedger(base);
    await assert.rejects(stat(topRequestsPath(archivePath(base, '2026-03'))), { code: 'ENOENT' });
    const { index, tail } = await openCostIndex(base);
    await tail.close();
    const all = { to: '2026-12-31' };
    assert.deepEqual(index.report({ range: all, strongPrice }).top, costliest(records, all));
  });

  it('follows the live file from where the open stopped: an appended costliest request enters the table once', async () => {
    const { index, tail } = await openCostIndex(base);
    const dear = record({ id: 'dear', time: '2026-06-15T12:00:00.000Z', costUsd: 5 });
    await writeFile(base, `${await readFile(base, 'utf8')}${JSON.stringify(dear)}\n`);
    for (const r of await tail.read()) index.add(r);
    await tail.close();
    const top = index.report({ range: { to: '2026-12-31' }, strongPrice }).top;
    assert.deepEqual(top, costliest([...records, dear], { to: '2026-12-31' }));
    assert.equal(top.filter((row) => row.costUsd === 5).length, 1);
  });

  it('stops at an archive it cannot read with the files read before it, and still follows the live file', async () => {
    // A named pipe under an archive's name, oldest of all: the live file and two archives are read before it.
    await rm(archivePath(base, '2026-03'));
    execFileSync('mkfifo', [archivePath(base, '2026-03')]);
    const readable = records.filter((r) => !r.time.startsWith('2026-03'));
    const opened = await openCostIndex(base);
    assert.deepEqual(opened.stopped?.progress, { read: 3, files: 4 });
    assert.match(opened.stopped?.error.message ?? '', /ledger\.2026-03\.jsonl: the ledger path is a named pipe \(FIFO\), not a regular file$/);
    const everything = { to: '2026-12-31' };
    const expected = (rs: readonly LedgerRecord[]) => {
      const index = new CostIndex();
      for (const r of rs) index.add(r);
      return index.report({ range: everything, strongPrice });
    };
    assert.deepEqual(opened.index.report({ range: everything, strongPrice }), expected(readable), 'the files read before it');
    // A request made after the open: before, the dashboard stopped there and never showed it.
    const after = record({ id: 'after', time: '2026-06-29T10:00:00.000Z', costUsd: 9 });
    await appendFile(base, lines([after]));
    assert.equal(await followCosts(opened), undefined);
    assert.deepEqual(opened.index.report({ range: everything, strongPrice }), expected([...readable, after]), 'the live file followed');
    await opened.tail.close();
  });

  it('fails as before when the live file itself cannot be read: there is nothing to follow', async () => {
    await rm(base);
    execFileSync('mkfifo', [base]);
    await assert.rejects(openCostIndex(base), /ledger\.jsonl: the ledger path is a named pipe \(FIFO\), not a regular file$/);
  });

  describe('a live file replaced, emptied or deleted under the open dashboard (a sync tool, a restore, a hand edit)', () => {
    const everything = { to: '2026-12-31' };
    const archived = () => records.filter((r) => !r.time.startsWith('2026-06'));
    /** The index matches the records themselves: figures and costliest requests. */
    const assertShows = (index: CostIndex, expected: readonly LedgerRecord[], what: string) => {
      const fromRecords = new CostIndex();
      for (const r of expected) fromRecords.add(r);
      const report = index.report({ range: everything, strongPrice });
      assert.deepEqual(report.view, fromRecords.report({ range: everything, strongPrice }).view, `${what}: figures`);
      assert.deepEqual(report.top, costliest(expected, everything), `${what}: top table`);
    };
    const dear = (id: string, costUsd: number) => record({ id, time: '2026-06-20T10:00:00.000Z', costUsd });

    it('counts the replacing file with the archives, not on top of the old one, and follows it from there', async () => {
      let opened = await openCostIndex(base);
      // A copy of the live file with one record more, renamed over it (`jq … > tmp && mv tmp`, a sync tool).
      const live = [...month('2026-06', 300, 4), dear('added', 7)];
      await writeFile(`${base}.tmp`, lines(live));
      await rename(`${base}.tmp`, base);
      const reopened = await followCosts(opened);
      assert.ok(reopened, 'read again');
      opened = reopened;
      assertShows(opened.index, [...archived(), ...live], 'replaced');
      // Followed from there: a record appended counts once.
      const next = dear('next', 6);
      await appendFile(base, lines([next]));
      assert.equal(await followCosts(opened), undefined, 'an append is added, not read again');
      assertShows(opened.index, [...archived(), ...live, next], 'appended after');
      await opened.tail.close();
    });

    it('counts only what is left when the live file is emptied in place, or deleted and made again', async () => {
      let opened = await openCostIndex(base);
      await truncate(base, 0);
      const one = dear('one', 3);
      await appendFile(base, lines([one]));
      opened = (await followCosts(opened)) ?? opened;
      assertShows(opened.index, [...archived(), one], 'emptied');

      await rm(base);
      assert.equal(await followCosts(opened), undefined, 'nothing to read while there is no file');
      const two = dear('two', 4);
      await writeFile(base, lines([two]));
      opened = (await followCosts(opened)) ?? opened;
      assertShows(opened.index, [...archived(), two], 'deleted and made again');
      await opened.tail.close();
    });

    it('keeps a live file the month\'s rotation moved aside (a second name holds it)', async () => {
      const opened = await openCostIndex(base);
      // As rotation.ts does: a hard link under the archive name, the live name removed, a new file after it.
      await link(base, archivePath(base, '2026-06'));
      await rm(base);
      const july = record({ id: 'july', time: '2026-07-02T10:00:00.000Z', costUsd: 2 });
      await writeFile(base, lines([july]));
      assert.equal(await followCosts(opened), undefined, 'not taken for a replacement');
      assertShows(opened.index, [...records, july], 'rotated');
      await opened.tail.close();
    });
  });
});
