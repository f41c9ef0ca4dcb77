import assert from 'node:assert/strict';
import { appendFile, chmod, mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LedgerWarningsOnce } from '../../../src/core/ledger/warningsOnce';
import { Ledger } from '../../../src/core/ledger';
import { summaryPath } from '../../../src/core/ledger/ledgerPath';
import { readDayAndFollow } from '../../../src/core/ledger/reader';
import { LedgerReadError, scanFile } from '../../../src/core/ledger/scan';
import { SUMMARY_VERSION } from '../../../src/core/ledger/summaryFile';
import { LedgerTail } from '../../../src/core/ledger/tail';
import { localDay } from '../../../src/core/localDay';
import { NOBODY, record, runChild, runningAsRoot, tempDir } from './fixtures';

const line = (fields: Parameters<typeof record>[0]) => `${JSON.stringify(record(fields))}\n`;

describe('ledger reader', () => {
  const dir = tempDir('ledger-reader');

  it('totals by day, task, provider, model and source, the billed failed attempts on their own model', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(
      file,
      line({ time: '2026-07-25T10:00:00.000Z', costUsd: 0.5 }) +
        line({ time: '2026-07-25T11:00:00.000Z', costUsd: 0.25, outcome: 'error', usageEstimated: true }) +
        line({
          time: '2026-07-25T12:00:00.000Z',
          provider: 'openai',
          model: 'gpt-5.4',
          costUsd: 0.75,
          attempts: [
            { provider: 'anthropic', model: 'claude-sonnet-5', error: 'the stream stalled', usage: { inputTokens: 900, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0.125 },
            { provider: 'bedrock', model: 'nova', error: 'throttled (429)' },
          ],
        }) +
        line({ time: '2026-07-26T09:00:00.000Z', task: 'completion', servedFrom: 'cache', count: 40, costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } }),
    );
    const { cells, warnings } = await new Ledger(file).aggregate();
    assert.deepEqual(warnings, []);
    const day = localDay(new Date('2026-07-25T11:00:00.000Z'));
    const find = (model: string, task = 'chat') => cells.find((cell) => cell.model === model && cell.task === task);
    const sonnet = find('claude-sonnet-5');
    assert.equal(sonnet?.day, day);
    assert.deepEqual(
      [sonnet?.requests, sonnet?.errors, sonnet?.estimated, sonnet?.billedAttempts, sonnet?.costUsd, sonnet?.usage.inputTokens],
      [2, 1, 1, 1, 0.875, 3300],
    );
    const gpt = find('gpt-5.4');
    assert.deepEqual([gpt?.requests, gpt?.costUsd, gpt?.source], [1, 0.625, 'cli'], 'the answer costs the record less its billed attempt');
    assert.equal(find('nova'), undefined, 'an attempt that was not billed is not a cost');
    assert.equal(find('claude-sonnet-5', 'completion')?.served, 40);
  });

  it('reads a ledger that does not exist yet as empty', async () => {
    assert.deepEqual(await new Ledger(path.join(dir.path, 'none.jsonl')).aggregate(), { cells: [], auto: { cells: [], retries: [], cheapIds: {}, unpricedIds: {} }, warnings: [] });
    assert.deepEqual(await new Ledger(path.join(dir.path, 'none.jsonl')).read(), { records: [], warnings: [] });
  });

  it('skips a line that is not JSON, one that is JSON but not a record, and a cut-off last line, each with a warning naming file and line', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(
      file,
      line({ model: 'first' }) +
        'this is not json\n' +
        line({ model: 'second' }) +
        JSON.stringify({ v: 1, task: 'chat', model: 'half a record' }) +
        '\n' +
        // A newer version's line without even a time and a provider: nothing to count.
        JSON.stringify({ v: 2, task: 'chat' }) +
        '\n' +
        JSON.stringify([1, 2, 3]) +
        '\n\n' +
        line({ model: 'third' }).slice(0, 80),
    );
    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(
      records.map((r) => r.model),
      ['first', 'second'],
    );
    assert.deepEqual(warnings, [
      `${file}:2: skipped a line that is not JSON`,
      `${file}:4: skipped a line that is not a ledger record: "time" must be an ISO date`,
      `${file}:5: skipped a line that is not a ledger record: version 2 was written by a newer Switchboard`,
      `${file}:6: skipped a line that is not a ledger record: not a JSON object`,
      `${file}:8: skipped the last line, which is incomplete (a write was cut off)`,
    ]);
    assert.deepEqual((await new Ledger(file).aggregate()).warnings, warnings, 'the totals skip the same lines');
  });

  it('counts a record written by a newer Switchboard for its cost (a newer CLI beside an older window), saying so; unknown fields left out', async () => {
    const file = path.join(dir.path, 'newer.jsonl');
    const newer = { ...record({ model: 'from-newer', costUsd: 2 }), v: 2, task: 'review', futureField: { depth: 3 }, attempts: [{ shape: 'new' }] };
    await writeFile(file, line({ model: 'first' }) + JSON.stringify(newer) + '\n');
    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(
      records.map((r) => [r.model, r.task, r.costUsd, r.v]),
      [
        ['first', 'chat', 0.0054, 1],
        ['from-newer', 'chat', 2, 1],
      ],
    );
    assert.equal(Object.hasOwn(records[1]!, 'futureField'), false, 'a field this version does not know is not carried');
    assert.deepEqual(warnings, [
      `${file}:2: counted for its cost only ($2.00 on anthropic): written by a newer Switchboard (version 2) (its task "review" is new to this version: counted as chat)`,
    ]);
    const totals = await new Ledger(file).aggregate();
    assert.equal(Math.round(totals.cells.reduce((sum, cell) => sum + cell.costUsd, 0) * 1e6) / 1e6, 2.0054, 'in the totals too');
    assert.deepEqual(totals.warnings, warnings);
    // Said once a session, several such lines in one message of their own kind.
    const once = new LedgerWarningsOnce();
    const third = warnings[0]!.replace(':2:', ':3:');
    assert.deepEqual(once.fresh([...warnings, third]), [`2 lines of the ledger, written by a newer Switchboard, were counted for their cost only; the first: ${warnings[0]!}`]);
    assert.deepEqual(once.fresh(warnings), []);
  });

  it('reads only records at or after `since`', async () => {
    const ledger = new Ledger(path.join(dir.path, 'ledger.jsonl'));
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000);
    void ledger.append(record({ time: yesterday.toISOString(), model: 'yesterday' }));
    void ledger.append(record({ time: today.toISOString(), model: 'today' }));
    await ledger.flush();
    const since = new Date(today);
    since.setHours(0, 0, 0, 0);
    assert.deepEqual(
      (await ledger.read({ since })).records.map((r) => r.model),
      ['today'],
    );
    assert.deepEqual(
      (await ledger.aggregate({ since })).cells.map((cell) => cell.day),
      [localDay(today)],
    );
  });

  it('says so when the ledger path is a directory, or cannot be read', async function () {
    this.timeout(60_000);
    const folder = path.join(dir.path, 'folder.jsonl');
    await mkdir(folder);
    await assert.rejects(new Ledger(folder).aggregate(), (error: Error) => {
      assert.ok(error instanceof LedgerReadError);
      assert.equal(error.message, `${folder}: the ledger path is a directory, not a file`);
      return true;
    });

    const locked = path.join(dir.path, 'locked.jsonl');
    await writeFile(locked, line({}));
    await chmod(locked, 0o000);
    await chmod(dir.path, 0o755);
    if (runningAsRoot()) {
      const child = runChild('test/core/ledger/children/reader.ts', [locked], { uid: NOBODY });
      assert.equal(await child.waitFor(/./), `LedgerReadError: ${locked}: cannot read the ledger: permission denied`);
    } else {
      await assert.rejects(new Ledger(locked).aggregate(), new LedgerReadError(`${locked}: cannot read the ledger: permission denied`));
    }
  });

  describe('summaries', () => {
    /** Enough records (about 200 KiB) that a read leaves a summary behind. */
    async function bigLedger(file: string, days = ['2026-07-20', '2026-07-21', '2026-07-22']): Promise<void> {
      let text = '';
      for (const day of days) for (let i = 0; i < 200; i++) text += line({ time: `${day}T12:${String(i % 60).padStart(2, '0')}:00.000Z`, costUsd: 0.001 });
      await writeFile(file, text);
    }

    it('are written by a read and used by the next: the lines they cover are not read again', async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      await bigLedger(file);
      const first = await new Ledger(file).aggregate();
      const summary = JSON.parse(await readFile(summaryPath(file), 'utf8')) as { bytes: number; lines: number };
      assert.equal(summary.bytes, (await stat(file)).size);
      assert.equal(summary.lines, 600);

      // Change a record in the middle, away from the bytes the summary checks: only a reader
      // that reads the lines again would see it.
      const handle = await open(file, 'r+');
      const text = await readFile(file, 'utf8');
      const at = Buffer.byteLength(text.slice(0, text.indexOf('"costUsd":0.001', text.length / 2)));
      await handle.write('"costUsd":0.009', at);
      await handle.close();
      const second = await new Ledger(file).aggregate();
      assert.deepEqual(second, first);

      // Lines appended after it are read and counted.
      await appendFile(file, line({ time: '2026-07-22T18:00:00.000Z', costUsd: 1 }));
      const third = await new Ledger(file).aggregate();
      assert.equal(third.cells.reduce((sum, cell) => sum + cell.requests, 0), 601);
    });

    it('keep Auto\'s hand-overs from the strong tier in their cells, and a summary of the version before them is rebuilt from the lines', async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      await bigLedger(file);
      const routing = { mode: 'auto' as const, tier: 'cheap' as const, score: 0.9, handedOverFrom: 'strong' as const, reasons: [] };
      await appendFile(file, line({ time: '2026-07-22T18:00:00.000Z', costUsd: 0.002, routing }) + line({ time: '2026-07-22T18:01:00.000Z', costUsd: 0.003, routing }));
      const handedOver = async () => (await new Ledger(file).aggregate()).cells.flatMap((cell) => (cell.handedOver ? [cell.handedOver] : []));
      const fromLines = await handedOver();
      assert.deepEqual(fromLines.map(({ requests, costUsd }) => [requests, costUsd]), [[2, 0.005]]);
      const summary = JSON.parse(await readFile(summaryPath(file), 'utf8')) as { v: number; cells: Array<{ handedOver?: unknown }> };
      assert.equal(summary.v, SUMMARY_VERSION);
      assert.deepEqual(await handedOver(), fromLines, 'from the summary');
      // A summary written before cells kept hand-overs has none: it is read as no summary, not as none handed over.
      await writeFile(summaryPath(file), JSON.stringify({ ...summary, v: 1, cells: summary.cells.map(({ handedOver: _handedOver, ...cell }) => cell) }));
      assert.deepEqual(await handedOver(), fromLines, 'from the lines again');
    });

    it("keep the answers routing chose cheaper on purpose (the saving compares only those); a summary of the version before them is rebuilt", async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      await bigLedger(file);
      const cheap = { mode: 'auto' as const, tier: 'cheap' as const, score: 0.1, reasons: [] };
      await appendFile(
        file,
        line({ time: '2026-07-22T18:00:00.000Z', costUsd: 0.002, routing: cheap }) +
          line({ time: '2026-07-22T18:01:00.000Z', costUsd: null, routing: cheap }) +
          // A plain route's fallback after its first model failed: cheaper, but not chosen.
          line({ time: '2026-07-22T18:02:00.000Z', costUsd: 0.003, attempts: [{ provider: 'anthropic', model: 'claude-sonnet-5', error: 'overloaded (529)' }] }),
      );
      const chosen = async () => (await new Ledger(file).aggregate()).cells.flatMap((cell) => (cell.chosen ? [[cell.chosen.requests, cell.chosen.unpriced, cell.chosen.costUsd]] : []));
      const fromLines = await chosen();
      assert.deepEqual(fromLines, [[1, 1, 0.002]]);
      const summary = JSON.parse(await readFile(summaryPath(file), 'utf8')) as { v: number; cells: Array<{ chosen?: unknown }> };
      assert.equal(summary.v, SUMMARY_VERSION);
      assert.deepEqual(await chosen(), fromLines, 'from the summary');
      // A version-3 summary has none: read as no summary, not as no answer chosen (which would drop every saving).
      await writeFile(summaryPath(file), JSON.stringify({ ...summary, v: 3, cells: summary.cells.map(({ chosen: _chosen, ...cell }) => cell) }));
      assert.deepEqual(await chosen(), fromLines, 'from the lines again');
    });

    it('keep what was billed for no answer and the requests that used no token; a summary of the version before them is rebuilt', async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      await bigLedger(file);
      const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
      await appendFile(file, line({ time: '2026-07-22T18:00:00.000Z', costUsd: 0.02, outcome: 'error', error: 'stream cut' }) + line({ time: '2026-07-22T18:01:00.000Z', costUsd: 0, usage: none, outcome: 'error', error: 'daily budget reached' }));
      const counted = async () => (await new Ledger(file).aggregate()).cells.reduce((sum, cell) => [sum[0]! + (cell.failedUsd ?? 0), sum[1]! + (cell.noUsage ?? 0)], [0, 0]);
      const fromLines = await counted();
      assert.deepEqual(fromLines, [0.02, 1]);
      const summary = JSON.parse(await readFile(summaryPath(file), 'utf8')) as { v: number; cells: Array<{ failedUsd?: number; noUsage?: number }> };
      assert.equal(summary.v, SUMMARY_VERSION);
      assert.deepEqual(await counted(), fromLines, 'from the summary');
      // A version-2 summary has neither: it is read as no summary, not as nothing billed for no answer.
      await writeFile(summaryPath(file), JSON.stringify({ ...summary, v: 2, cells: summary.cells.map(({ failedUsd: _failed, noUsage: _none, ...cell }) => cell) }));
      assert.deepEqual(await counted(), fromLines, 'from the lines again');
    });

    it('are ignored when their file was replaced, cut short, or made in another time zone', async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      await bigLedger(file);
      await new Ledger(file).aggregate();
      const total = async () => (await new Ledger(file).aggregate()).cells.reduce((sum, cell) => sum + cell.requests, 0);

      const original = await readFile(summaryPath(file), 'utf8');
      await writeFile(summaryPath(file), original.replace(/"timeZone":"[^"]*"/, '"timeZone":"Pacific/Chatham"'));
      assert.equal(await total(), 600);

      await bigLedger(file, ['2026-07-20']);
      assert.equal(await total(), 200, 'a shorter file with other bytes');
    });

    it('give the first byte of each day, so today is read without reading the month', async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      await bigLedger(file);
      await new Ledger(file).aggregate();
      const scan = await scanFile(file, { fromDay: localDay(new Date('2026-07-22T12:00:00.000Z')) });
      assert.equal(scan.records.length, 200);
      assert.ok(scan.records.every((r) => r.time.startsWith('2026-07-22')));
    });
  });

  describe('following the file', () => {
    it('returns what any process appended since the last read, reading only the new bytes; a line being written waits', async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      const today = localDay(new Date());
      await writeFile(file, line({ model: 'earlier' }));
      const { records, tail } = await readDayAndFollow(file, today);
      assert.deepEqual(
        records.map((r) => r.model),
        ['earlier'],
      );
      assert.deepEqual(await tail.read(), []);

      const next = line({ model: 'next' });
      await appendFile(file, next.slice(0, 40));
      assert.deepEqual(await tail.read(), [], 'half a line is not read yet');
      await appendFile(file, next.slice(40));
      assert.deepEqual(
        (await tail.read()).map((r) => r.model),
        ['next'],
      );
      await tail.close();
    });

    it('finishes the month’s file after it is moved aside, then follows the new one', async () => {
      const file = path.join(dir.path, 'ledger.jsonl');
      await writeFile(file, line({ model: 'old' }));
      const tail = new LedgerTail(file);
      assert.deepEqual(
        (await tail.read()).map((r) => r.model),
        ['old'],
      );
      await appendFile(file, line({ model: 'late in the month' }));
      await import('node:fs/promises').then(({ rename }) => rename(file, path.join(dir.path, 'ledger.2026-10.jsonl')));
      await writeFile(file, line({ model: 'new month' }));
      assert.deepEqual(
        (await tail.read()).map((r) => r.model),
        ['late in the month', 'new month'],
      );
      await tail.close();
    });

    it('tells a watcher when another process appended', async function () {
      this.timeout(30_000);
      const file = path.join(dir.path, 'ledger.jsonl');
      await writeFile(file, '');
      const tail = new LedgerTail(file);
      await tail.read();
      const changed = new Promise<void>((resolve) => tail.watch(resolve, 1000));
      const child = runChild('test/core/ledger/children/appender.ts', [file, 'other', '1']);
      await child.waitFor(/^ready$/);
      child.process.stdin.write('go\n');
      await changed;
      assert.deepEqual(
        (await tail.read()).map((r) => r.model),
        ['other'],
      );
      await tail.close();
    });
  });
});
