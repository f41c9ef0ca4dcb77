import assert from 'node:assert/strict';
import { appendFile, link, rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { costOf } from '../../src/core/cost';
import { Ledger } from '../../src/core/ledger';
import { newRecordId } from '../../src/core/ledger/recordId';
import { worstCaseCost } from '../../src/core/budget/requestCost';
import { PriceTable } from '../../src/core/prices/priceTable';
import { localDay } from '../../src/core/localDay';
import { SpendTracker } from '../../src/core/spendTracker';
import { startFakeOpenAI } from '../fakes/index';
import { record, runChild, tempDir } from './ledger/fixtures';

describe('spend across processes', () => {
  const dir = tempDir('spend');

  it('counts this process’s records once: when they finish, not again when read back from the file', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, `${JSON.stringify(record({ costUsd: 0.5 }))}\n`);
    const tracker = new SpendTracker();
    await tracker.attach(file);
    assert.equal(tracker.todayUsd(), 0.5);

    const ledger = new Ledger(file);
    const own = record({ id: newRecordId(), costUsd: 0.25 });
    tracker.add(own);
    await ledger.append(own);
    assert.equal(tracker.todayUsd(), 0.75);
    await tracker.catchUp();
    assert.equal(tracker.todayUsd(), 0.75);
    await tracker.detach();
  });

  describe('a ledger replaced, emptied or deleted under it (a sync tool, a restore, a hand edit)', () => {
    const lines = (...records: ReturnType<typeof record>[]) => records.map((one) => `${JSON.stringify(one)}\n`).join('');

    it('counts the replacing file\'s records, not those of the old one again', async () => {
      const file = path.join(dir.path, 'replaced.jsonl');
      const [a, b, c] = [0.5, 0.25, 0.125].map((costUsd) => record({ id: newRecordId(), costUsd }));
      await writeFile(file, lines(a!, b!));
      const tracker = new SpendTracker();
      await tracker.attach(file);
      // This process's own record, not written yet (the disk is full, say): it stays counted through the change.
      const kept = record({ id: newRecordId(), costUsd: 2 });
      tracker.add(kept);
      assert.equal(tracker.todayUsd(), 2.75);
      // A copy of the file with one record more, renamed over it, as a sync tool or `jq … > tmp && mv tmp` does.
      await writeFile(`${file}.tmp`, lines(a!, b!, c!));
      await rename(`${file}.tmp`, file);
      assert.equal(await tracker.catchUp(), true);
      assert.equal(tracker.todayUsd(), 2.875);
      assert.equal(tracker.today().total.requests, 4);
      // Followed from there: what is appended next counts once.
      const d = record({ id: newRecordId(), costUsd: 1 });
      await appendFile(file, lines(d));
      await tracker.catchUp();
      assert.equal(tracker.todayUsd(), 3.875);
      // Replaced again while followed (the file open): the same.
      await writeFile(`${file}.tmp`, lines(a!, d));
      await rename(`${file}.tmp`, file);
      await tracker.catchUp();
      assert.equal(tracker.todayUsd(), 3.5);
      await tracker.detach();
    });

    it('counts what is left when the file is emptied in place or deleted, as a window opened now would', async () => {
      const file = path.join(dir.path, 'emptied.jsonl');
      const [a, b, c] = [0.5, 0.25, 0.125].map((costUsd) => record({ id: newRecordId(), costUsd }));
      await writeFile(file, lines(a!, b!));
      const tracker = new SpendTracker();
      await tracker.attach(file);
      assert.equal(tracker.todayUsd(), 0.75);
      await truncate(file, 0);
      await appendFile(file, lines(c!));
      await tracker.catchUp();
      assert.equal(tracker.todayUsd(), 0.125);

      await rm(file);
      await tracker.catchUp();
      // Nothing to read until a file is there again; then only its records.
      await writeFile(file, lines(a!));
      await tracker.catchUp();
      assert.equal(tracker.todayUsd(), 0.5);
      await tracker.detach();
    });

    it('is not taken for a replacement when the month\'s rotation moves the file aside (a second name keeps it)', async () => {
      const file = path.join(dir.path, 'rotated.jsonl');
      const [a, b] = [0.5, 0.25].map((costUsd) => record({ id: newRecordId(), costUsd }));
      await writeFile(file, lines(a!));
      const tracker = new SpendTracker();
      await tracker.attach(file);
      await tracker.catchUp();
      // As rotation.ts does: a hard link to the archive name, then the live name removed; a new file follows.
      await link(file, path.join(dir.path, 'rotated.2026-01.jsonl'));
      await rm(file);
      await writeFile(file, lines(b!));
      await tracker.catchUp();
      assert.equal(tracker.todayUsd(), 0.75);
      await tracker.detach();

      // Rotated before the first read after attaching (no file open yet): found under its archive name.
      const again = new SpendTracker();
      await again.attach(file);
      await link(file, path.join(dir.path, 'rotated.2026-02.jsonl'));
      await rm(file);
      await writeFile(file, lines(a!));
      await again.catchUp();
      // b, read from the live file when attaching and moved aside since, still counts; a, in the new file, is added.
      assert.equal(again.todayUsd(), 0.75);
      await again.detach();
    });

    it('keeps the archived months\' records when the live file is replaced: those read when attaching and a file rotated aside since', async () => {
      const file = path.join(dir.path, 'archives.jsonl');
      const month = localDay(new Date()).slice(0, 7);
      const [early, a, b, c] = [4, 0.5, 0.25, 0.125].map((costUsd) => record({ id: newRecordId(), costUsd }));
      // This month's record in an archive (written as the file was moved aside), read when attaching.
      await writeFile(path.join(dir.path, `archives.${month}.jsonl`), lines(early!));
      await writeFile(file, lines(a!));
      const tracker = new SpendTracker();
      await tracker.attach(file);
      assert.equal(tracker.todayUsd(), 4.5);
      // Rotated while followed: a moves aside under a second archive name, b starts the new live file.
      await link(file, path.join(dir.path, `archives.${month}.2.jsonl`));
      await rm(file);
      await writeFile(file, lines(b!));
      await tracker.catchUp();
      assert.equal(tracker.todayUsd(), 4.75);
      // The new live file replaced (a restore that has c instead of b): the archives still hold early and a.
      await writeFile(`${file}.tmp`, lines(c!));
      await rename(`${file}.tmp`, file);
      assert.equal(await tracker.catchUp(), true);
      assert.equal(tracker.todayUsd(), 4.625);
      assert.equal(tracker.today().total.requests, 3);
      await tracker.detach();
    });

    it('counts a replacement once when another read starts while it reads the archives again (the watcher\'s and a request\'s)', async () => {
      const file = path.join(dir.path, 'twice.jsonl');
      const month = localDay(new Date()).slice(0, 7);
      const [a, b, c] = [0.5, 0.25, 0.125].map((costUsd) => record({ id: newRecordId(), costUsd }));
      // An archive long enough that reading it again takes a while: the second read starts meanwhile.
      await writeFile(path.join(dir.path, `twice.${month}.jsonl`), Array.from({ length: 20_000 }, () => lines(record({ costUsd: 0.0001 }))).join(''));
      await writeFile(file, lines(a!));
      const tracker = new SpendTracker();
      await tracker.attach(file);
      await writeFile(`${file}.tmp`, lines(b!));
      await rename(`${file}.tmp`, file);
      const first = tracker.catchUp();
      // A few turns of the event loop: the first read's tail is read by then (its archives not yet), so without
      // catchUp() one at a time the second read's record would be counted into the spend the first then replaces.
      // Correct with any timing; the turns only make the race likely where it exists.
      for (let turn = 0; turn < 15; turn++) await new Promise((resolve) => setImmediate(resolve));
      await appendFile(file, lines(c!));
      const second = tracker.catchUp();
      await Promise.all([first, second]);
      assert.equal(Number(tracker.todayUsd().toFixed(9)), 2.375);
      await tracker.detach();
    });
  });

  it('does not drop a request that finishes while the first read runs', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, Array.from({ length: 2000 }, () => `${JSON.stringify(record({ costUsd: 0.001 }))}\n`).join(''));
    const tracker = new SpendTracker();
    const ledger = new Ledger(file);
    const attaching = tracker.attach(file);
    const during = record({ id: newRecordId(), costUsd: 1 });
    tracker.add(during);
    void ledger.append(during);
    await attaching;
    await ledger.flush();
    await tracker.catchUp();
    assert.equal(tracker.today().total.requests, 2001);
    assert.equal(Number(tracker.todayUsd().toFixed(9)), 3);
    await tracker.detach();
  });

  it('holds a daily cap between two processes each starting requests at once: every process counts the others\' in flight', async function () {
    this.timeout(120_000);
    const maxTokens = 1000;
    const prices = new PriceTable();
    const worst = worstCaseCost({ messages: [{ role: 'user', content: 'Hello?' }], maxTokens }, { provider: 'openai', model: 'gpt-5.4-nano' }, prices)!;
    // Room for three requests' worst cases, not four; each process starts six at once.
    const cap = worst * 3.5;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Each answer is held after its first piece until all twelve are sent or refused: every request is in flight together.
    const fake = await startFakeOpenAI({ defaults: { chunks: 3, pauseAfterChunks: 1, resumeWhen: released, usage: { inputTokens: 2, outputTokens: maxTokens } } });
    try {
      const file = path.join(dir.path, 'ledger-concurrent.jsonl');
      const racers = ['one', 'two'].map(() => runChild('test/core/children/budgetConcurrent.ts', [`${fake.url}/v1`, file, String(cap), '6', String(maxTokens)]));
      await Promise.all(racers.map((racer) => racer.waitFor(/^ready$/)));
      const decided = () => racers.reduce((sum, racer) => sum + racer.lines.filter((line) => line === 'decided').length, 0);
      for (const racer of racers) {
        racer.process.stdout.on('data', () => {
          if (decided() === 12) release();
        });
      }
      for (const racer of racers) racer.process.stdin.write('go\n');
      const results = await Promise.all(racers.map((racer) => racer.waitFor(/^\{/).then((line) => JSON.parse(line) as { answered: number; refusals: string[] })));
      for (const racer of racers) assert.deepEqual(await racer.exited, { code: 0, signal: null }, racer.stderr());

      const answered = results.reduce((sum, result) => sum + result.answered, 0);
      assert.equal(answered, 3, `${answered} requests were sent (${results.map((r) => r.answered).join(' + ')}): each worst case must fit in the cap with every process's in flight`);
      assert.equal(fake.requests.length, 3);
      for (const refusal of results.flatMap((result) => result.refusals)) assert.match(refusal, /daily budget/);
      const { records } = await new Ledger(file).read();
      const spentUsd = records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
      assert.ok(spentUsd <= cap, `spent ${spentUsd} of a cap of ${cap}`);
    } finally {
      release();
      await fake.close();
    }
  });

  it('keeps the month\'s spend when the clock is set back across the month\'s start and forward again', async () => {
    const file = path.join(dir.path, 'ledger-clock.jsonl');
    await writeFile(file, `${JSON.stringify(record({ time: new Date(2026, 11, 2, 9).toISOString(), costUsd: 0.5 }))}\n`);
    let now = new Date(2026, 11, 2, 10);
    const tracker = new SpendTracker(() => now);
    await tracker.attach(file);
    assert.equal(tracker.todayUsd(), 0.5);
    now = new Date(2026, 10, 30, 23, 0);
    assert.equal(tracker.todayUsd(), 0, 'the day the clock reads now');
    tracker.add(record({ id: newRecordId(), time: now.toISOString(), costUsd: 0.125 }));
    assert.equal(tracker.todayUsd(), 0.125);
    now = new Date(2026, 11, 2, 10, 5);
    assert.equal(tracker.todayUsd(), 0.5, 'December\'s spend is still counted');
    assert.deepEqual(tracker.monthCells().map((cell) => [cell.day, cell.costUsd]), [['2026-12-02', 0.5]]);
    await tracker.detach();
  });

  it('sees what another process spends within a second or two, reading only what was appended', async function () {
    this.timeout(30_000);
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, '');
    const tracker = new SpendTracker();
    let changes = 0;
    const changed = new Promise<void>((resolve) =>
      void tracker.attach(file, {
        watch: true,
        onChange: () => {
          changes++;
          resolve();
        },
      }),
    );
    const other = runChild('test/core/ledger/children/appender.ts', [file, 'another-window', '5']);
    await other.waitFor(/^ready$/);
    other.process.stdin.write('go\n');
    await changed;
    await other.exited;
    await tracker.catchUp();
    assert.equal(tracker.today().total.requests, 5);
    assert.equal(Number(tracker.todayUsd().toFixed(9)), 0.0005);
    assert.ok(changes >= 1);
    await tracker.detach();
  });

  it('holds a daily cap between two processes racing to spend: none starts a request after the cap was reached', async function () {
    this.timeout(120_000);
    // Output within the racers' max_tokens of 64: a report above it would be priced at 64 (usageBound.ts).
    const usage = { inputTokens: 10_000, outputTokens: 60, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const unit = costOf(usage, new PriceTable().lookup('openai', 'gpt-5.4-nano'));
    assert.ok(unit);
    // The cap is reached by the 11th request, whichever process makes it.
    const cap = unit * 10.5;
    const fake = await startFakeOpenAI({ defaults: { usage, firstByteDelayMs: 25 } });
    try {
      const file = path.join(dir.path, 'ledger.jsonl');
      const racers = ['one', 'two'].map(() => runChild('test/core/children/budgetRacer.ts', [`${fake.url}/v1`, file, String(cap)]));
      await Promise.all(racers.map((racer) => racer.waitFor(/^ready$/)));
      for (const racer of racers) racer.process.stdin.write('go\n');
      const results = await Promise.all(racers.map((racer) => racer.waitFor(/^\{/).then((line) => JSON.parse(line) as { answered: number; refusal: string })));
      for (const racer of racers) assert.deepEqual(await racer.exited, { code: 0, signal: null }, racer.stderr());

      const sent = results.reduce((sum, result) => sum + result.answered, 0);
      // Each process has one request in flight at most: when the 11th record lands, the other
      // process may be waiting on one request it started before; nothing after is sent.
      assert.ok(sent >= 11 && sent <= 12, `${sent} requests were sent (${results.map((r) => r.answered).join(' + ')}); alone, each process would have sent 11`);
      assert.ok(results.every((result) => result.answered > 0), 'both processes spent');
      assert.equal(fake.requests.length, sent, 'a refused request reaches no provider');
      for (const result of results) assert.match(result.refusal, /^daily budget reached: \$[\d.]+ spent of \$/);
      const { records } = await new Ledger(file).read();
      assert.equal(records.filter((r) => r.outcome === 'ok').length, sent);
      assert.equal(records.filter((r) => r.outcome === 'error').length, 2, 'each refusal is recorded');
    } finally {
      await fake.close();
    }
  });
});
