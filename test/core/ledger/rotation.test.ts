import assert from 'node:assert/strict';
import { link, mkdir, readdir, readFile, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ledger } from '../../../src/core/ledger';
import { openCostIndex } from '../../../src/core/costs/costLedger';
import { archivePath, autoPartPath, ledgerFiles, summaryPath, topRequestsPath } from '../../../src/core/ledger/ledgerPath';
import { keepUnderLedgerName, recoverRotationLeftovers, rotateIfDue, takeRotationLock, unlinkIfSame } from '../../../src/core/ledger/rotation';
import { LedgerWriter } from '../../../src/core/ledger/writer';
import { breakerLockPath } from '../../../src/core/staleLock';
import { endedPid, record, runChild, tempDir } from './fixtures';

const line = (fields: Parameters<typeof record>[0]) => `${JSON.stringify(record(fields))}\n`;
const requests = async (file: string) => (await new Ledger(file).aggregate()).cells.reduce((sum, cell) => sum + cell.requests, 0);

describe('ledger rotation by month', () => {
  const dir = tempDir('ledger-rotation');
  const october = new Date(2026, 9, 14, 12);
  const november = new Date(2026, 10, 2, 9);

  it('moves last month’s file aside with its summary, the dashboard’s costliest requests and Auto’s part on the first write of a month, keeping every total', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    let text = '';
    for (let i = 0; i < 300; i++) text += line({ time: new Date(october.getTime() + i * 60_000).toISOString(), costUsd: 0.01 });
    await writeFile(file, text);
    const before = await new Ledger(file).aggregate();
    const summary = await readFile(summaryPath(file), 'utf8');
    const auto = await readFile(autoPartPath(file), 'utf8');
    await (await openCostIndex(file)).tail.close();
    const top = await readFile(topRequestsPath(file), 'utf8');

    const writer = new LedgerWriter(file, { now: () => november });
    await writer.append(record({ time: november.toISOString(), costUsd: 1 }));

    const archive = archivePath(file, '2026-10');
    assert.equal(archive, path.join(dir.path, 'ledger.2026-10.jsonl'));
    assert.equal(await readFile(archive, 'utf8'), text);
    assert.equal(await readFile(summaryPath(archive), 'utf8'), summary, 'the month’s summary went with it');
    assert.equal(await readFile(topRequestsPath(archive), 'utf8'), top, 'and its costliest requests');
    assert.equal(await readFile(autoPartPath(archive), 'utf8'), auto, 'and Auto’s part');
    const live = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(live.map((text) => (JSON.parse(text) as { time: string }).time), [november.toISOString()], 'the new month starts a new file');
    assert.deepEqual(await ledgerFiles(file), [{ path: archive, month: '2026-10' }, { path: file }]);
    const after = await new Ledger(file).aggregate();
    assert.equal(await requests(file), 301);
    const octoberCost = (totals: typeof before) => totals.cells.filter((cell) => cell.day.startsWith('2026-10')).reduce((sum, cell) => sum + cell.costUsd, 0);
    assert.equal(octoberCost(after), octoberCost(before));
  });

  it('leaves this month’s file alone', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, line({ time: november.toISOString() }));
    assert.equal(await rotateIfDue(file, november), undefined);
    assert.deepEqual(await readdir(dir.path), ['ledger.jsonl']);
  });

  it('rotates once when many writers race to do it, losing and doubling nothing', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, line({ time: october.toISOString() }) + line({ time: october.toISOString() }));
    const writers = Array.from({ length: 8 }, () => new LedgerWriter(file, { now: () => november }));
    await Promise.all(writers.map((writer, i) => writer.append(record({ time: november.toISOString(), latencyMs: i }))));
    const names = (await readdir(dir.path)).filter((name) => name.endsWith('.jsonl')).sort();
    assert.deepEqual(names, ['ledger.2026-10.jsonl', 'ledger.jsonl']);
    assert.equal(await requests(file), 10);
  });

  it('finishes the work of a rotator that stopped between linking and unlinking, without a second archive', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, line({ time: october.toISOString() }));
    await link(file, archivePath(file, '2026-10'));
    // Mid-rotation the file has two names; a reader counts it once.
    assert.equal(await requests(file), 1);

    assert.equal(await rotateIfDue(file, november), archivePath(file, '2026-10'));
    assert.deepEqual((await readdir(dir.path)).sort(), ['ledger.2026-10.jsonl']);
    assert.equal(await requests(file), 1);
  });

  it('takes the next name when a month’s archive exists already (a clock set back)', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(archivePath(file, '2026-10'), line({ time: october.toISOString(), model: 'first archive' }));
    await writeFile(file, line({ time: october.toISOString(), model: 'second' }));
    assert.equal(await rotateIfDue(file, november), archivePath(file, '2026-10', 2));
    assert.equal((await stat(archivePath(file, '2026-10', 2))).isFile(), true);
    assert.deepEqual(
      (await new Ledger(file).read()).records.map((r) => r.model),
      ['first archive', 'second'],
    );
  });

  it('leaves the file to a rotator that holds the lock, and breaks a lock left by a dead one', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, line({ time: october.toISOString() }));
    const lock = `${file}.rotate.lock`;
    await writeFile(lock, '');
    assert.equal(await rotateIfDue(file, november), undefined, 'someone else is rotating');
    const { utimes } = await import('node:fs/promises');
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await utimes(lock, longAgo, longAgo);
    assert.equal(await rotateIfDue(file, november), archivePath(file, '2026-10'));
  });
});

describe('ledger rotation racing over a dead rotator’s lock', () => {
  const dir = tempDir('ledger-rotation-race');
  const october = new Date(2026, 9, 14, 12);
  const november = new Date(2026, 10, 2, 9);
  const ROUNDS = 60;
  const ROTATORS = 4;
  const APPENDERS = 3;

  it(`lets one rotator in and loses no record, over ${ROUNDS} rounds of ${ROTATORS} rotators and ${APPENDERS} appenders`, async function () {
    // About 1.5 s idle, 2.5 s with both cores busy: room for a slower machine.
    this.timeout(60_000);
    for (let round = 0; round < ROUNDS; round++) {
      const folder = path.join(dir.path, `round-${round}`);
      await mkdir(folder);
      const file = path.join(folder, 'ledger.jsonl');
      await writeFile(file, line({ time: october.toISOString() }) + line({ time: october.toISOString() }));
      const lock = `${file}.rotate.lock`;
      await writeFile(lock, '');
      const longAgo = new Date(Date.now() - 5 * 60_000);
      await utimes(lock, longAgo, longAgo);

      // Appenders of this month rotate too (on their first write); their records must all be counted after.
      const writers = Array.from({ length: APPENDERS }, () => new LedgerWriter(file, { now: () => november }));
      const [rotated] = await Promise.all([
        Promise.all(Array.from({ length: ROTATORS }, async (_, i) => {
          // Staggered by a few turns of the event loop, differently each round, so their file operations interleave in every order rather than in step.
          for (let turn = 0; turn < (round * (i + 1)) % 7; turn++) await new Promise(setImmediate);
          return rotateIfDue(file, november);
        })),
        Promise.all(writers.map((writer, i) => writer.append(record({ time: november.toISOString(), latencyMs: i })))),
      ]);

      const winners = rotated.filter((target) => target !== undefined);
      assert.ok(winners.length <= 1, `round ${round}: ${winners.length} rotators were in at once (${winners.join(', ')})`);
      const names = (await readdir(folder)).sort();
      // Appenders that found the lock taken wrote to October's file, which was then moved: a live file may not exist yet.
      const files = names.filter((name) => name !== 'ledger.jsonl' && !name.endsWith('.json'));
      assert.deepEqual(files, ['ledger.2026-10.jsonl'], `round ${round}: one archive, no lock, nothing left aside (${names.join(', ')})`);
      assert.equal(await requests(file), 2 + APPENDERS, `round ${round}: records lost or doubled`);
    }
  });
});

describe('the rotation lock over a dead rotator’s lock and a dead breaker’s lock', () => {
  const dir = tempDir('ledger-rotation-breaker');
  const ROUNDS = 100;
  const CONTENDERS = 16;

  it(`lets one rotator in at a time, over ${ROUNDS} rounds of ${CONTENDERS} contenders`, async function () {
    // A rotator died holding the lock, and another died breaking it (between taking the breaker's lock and removing
    // the lock): every contender finds both stale at once. Breaking the breaker's lock by stat then unlink let a slower
    // contender remove the one a faster had just taken, so two broke the lock at once and one removed the lock the
    // other had just taken.
    this.timeout(30_000);
    const longAgo = new Date(Date.now() - 5 * 60_000);
    for (let round = 0; round < ROUNDS; round++) {
      const folder = path.join(dir.path, `round-${round}`);
      await mkdir(folder);
      const lock = path.join(folder, 'ledger.jsonl.rotate.lock');
      await writeFile(lock, '');
      await utimes(lock, longAgo, longAgo);
      const breaker = breakerLockPath(lock, await stat(lock, { bigint: true }));
      await writeFile(breaker, '');
      await utimes(breaker, longAgo, longAgo);

      let inside = 0;
      const overlaps: string[] = [];
      await Promise.all(
        Array.from({ length: CONTENDERS }, async (_, i) => {
          for (let turn = 0; turn < (round * (i + 1)) % 11; turn++) await new Promise(setImmediate);
          // Each tries until it has held the lock once, again at once: the file operations of a try are its pause.
          for (;;) {
            const held = await takeRotationLock(lock);
            if (held) {
              if (++inside > 1) overlaps.push(`${i} took it while another held it`);
              const mine = (await stat(lock).catch(() => undefined))?.ino;
              // Held for a file operation or two, as a rotation holds it for several; meanwhile no one may remove it.
              const still = await stat(lock).catch(() => undefined);
              if (still?.ino !== mine) overlaps.push(`${i}'s lock was removed while it held it`);
              inside--;
              if ((await stat(lock).catch(() => undefined))?.ino !== mine) overlaps.push(`${i}'s lock was gone when it let it go`);
              await held.release();
              return;
            }
          }
        }),
      );
      assert.deepEqual(overlaps, [], `round ${round}`);
      assert.deepEqual(await readdir(folder), [], `round ${round}: no lock, breaker's lock or renamed lock is left behind`);
    }
  });
});

describe('ledger rotation removing the live name', () => {
  const dir = tempDir('ledger-rotation-unlink');

  it('removes the live name of the file it archived, and puts back a newer live file it took by mistake', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    const archive = archivePath(file, '2026-10');
    await writeFile(file, line({ model: 'archived' }));
    await link(file, archive);
    const archived = (await stat(archive)).ino;
    await unlinkIfSame(file, archived);
    assert.deepEqual(await readdir(dir.path), ['ledger.2026-10.jsonl']);

    // What a rotator that slept through losing its lock finds: a new live file an appender created since.
    await writeFile(file, line({ model: 'newer' }));
    const newer = (await stat(file)).ino;
    await unlinkIfSame(file, archived);
    assert.deepEqual((await readdir(dir.path)).sort(), ['ledger.2026-10.jsonl', 'ledger.jsonl'], 'nothing left under a name of its own');
    assert.equal((await stat(file)).ino, newer, 'the same file, so an appender holding it open writes to the live file');
    assert.deepEqual((await new Ledger(file).read()).records.map((r) => r.model).sort(), ['archived', 'newer']);
  });

  it('puts a live file it took by mistake under the next archive of its month when yet another live file was made meanwhile', async () => {
    // What unlinkIfSame does when an appender created a live file between its rename and its link back: the file it
    // took keeps a name readers read, under its first record's month, after the archives that month has.
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(archivePath(file, '2026-10'), line({ time: new Date(2026, 9, 3).toISOString(), model: 'archived' }));
    await writeFile(file, line({ time: new Date(2026, 10, 2).toISOString(), model: 'newest live' }));
    const taken = `${file}.${process.pid}.0123456789ab.rotating`;
    await writeFile(taken, line({ time: new Date(2026, 9, 30).toISOString(), model: 'taken' }) + line({ time: new Date(2026, 10, 1).toISOString(), model: 'taken, later' }));
    const ino = (await stat(taken)).ino;

    await keepUnderLedgerName(file, taken);
    assert.equal((await stat(archivePath(file, '2026-10', 2))).ino, ino, 'the same file, as the month’s second archive');
    assert.equal((await readFile(file, 'utf8')).includes('newest live'), true, 'the live file is left alone');
    await unlink(taken);
    assert.deepEqual((await new Ledger(file).read()).records.map((r) => r.model).sort(), ['archived', 'newest live', 'taken', 'taken, later']);
  });
});

describe('ledger rotation recovering what a rotator that crashed left aside', () => {
  const dir = tempDir('ledger-rotation-leftover');
  const october = new Date(2026, 9, 14, 12);
  const november = new Date(2026, 10, 2, 9);
  const models = async (file: string) => (await new Ledger(file).read()).records.map((r) => r.model).sort();
  const leftoverName = (file: string, pid: number) => `${file}.${pid}.0123456789ab.rotating`;

  it('removes a second name of the archived file, and of a live file already put back, counting each record once', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    const archive = archivePath(file, '2026-10');
    await writeFile(archive, line({ time: october.toISOString(), model: 'archived' }));
    await writeFile(file, line({ time: november.toISOString(), model: 'live' }));
    const dead = await endedPid();
    // Died after renaming the live name aside (the archived file), and another after putting a live file back.
    await link(archive, leftoverName(file, dead));
    await link(file, `${file}.${dead}.fedcba987654.rotating`);

    assert.equal(await recoverRotationLeftovers(file), 2);
    assert.deepEqual((await readdir(dir.path)).sort(), ['ledger.2026-10.jsonl', 'ledger.jsonl']);
    assert.deepEqual(await models(file), ['archived', 'live']);
  });

  it('puts a live file taken by mistake back under the live name when it is free, so its records are read', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(archivePath(file, '2026-10'), line({ time: october.toISOString(), model: 'archived' }));
    const leftover = leftoverName(file, await endedPid());
    await writeFile(leftover, line({ time: november.toISOString(), model: 'only here' }));
    const ino = (await stat(leftover)).ino;
    assert.deepEqual(await models(file), ['archived'], 'readers do not read it where it is');

    assert.equal(await recoverRotationLeftovers(file), 1);
    assert.equal((await stat(file)).ino, ino, 'the same file, not a copy');
    assert.deepEqual((await readdir(dir.path)).sort(), ['ledger.2026-10.jsonl', 'ledger.jsonl']);
    assert.deepEqual(await models(file), ['archived', 'only here']);
  });

  it('puts it under the next archive of its month when a newer live file has the live name', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(archivePath(file, '2026-10'), line({ time: october.toISOString(), model: 'archived' }));
    await writeFile(file, line({ time: november.toISOString(), model: 'newer live' }));
    const leftover = leftoverName(file, await endedPid());
    await writeFile(leftover, line({ time: october.toISOString(), model: 'only here' }));

    assert.equal(await recoverRotationLeftovers(file), 1);
    assert.deepEqual((await readdir(dir.path)).sort(), ['ledger.2026-10.2.jsonl', 'ledger.2026-10.jsonl', 'ledger.jsonl']);
    assert.deepEqual(await models(file), ['archived', 'newer live', 'only here']);
  });

  it('leaves the leftover of a process that still runs (its rotation is under way), another ledger’s, and what is not a file', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, line({ time: november.toISOString(), model: 'live' }));
    await writeFile(leftoverName(file, process.pid), line({ time: november.toISOString(), model: 'being rotated' }));
    await writeFile(leftoverName(path.join(dir.path, 'other.jsonl'), await endedPid()), line({ time: november.toISOString() }));
    // Not a file a rotator renamed: a symbolic link is not followed into the ledger.
    await symlink(path.join(dir.path, 'ledger.jsonl'), `${file}.${await endedPid()}.aaaaaaaaaaaa.rotating`);

    assert.equal(await recoverRotationLeftovers(file), 0);
    assert.equal((await readdir(dir.path)).length, 4);
    assert.deepEqual(await models(file), ['live']);
  });

  it('is done by the first write of a process, before the month’s rotation, losing and doubling nothing', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    await writeFile(file, line({ time: october.toISOString(), model: 'october' }));
    await writeFile(leftoverName(file, await endedPid()), line({ time: october.toISOString(), model: 'october, aside' }));

    await new LedgerWriter(file, { now: () => november }).append(record({ time: november.toISOString(), model: 'november' }));
    // Both are October's: the leftover took the month's first archive name (October's live file had the live name), the rotation the next.
    assert.deepEqual((await readdir(dir.path)).filter((name) => name.endsWith('.jsonl')).sort(), ['ledger.2026-10.2.jsonl', 'ledger.2026-10.jsonl', 'ledger.jsonl']);
    assert.deepEqual(await models(file), ['november', 'october', 'october, aside']);
  });
});

describe('ledger rotation with processes appending through the months', () => {
  const dir = tempDir('ledger-rotation-processes');
  const PROCESSES = 4;
  const MONTHS = 6;
  const BATCHES = 5;
  const PER_BATCH = 8;

  it(`reads every record exactly once after ${PROCESSES} processes appended for ${MONTHS} months, each rotating on its first write of a month`, async function () {
    // Starting the processes (tsx) is most of it: 1.5 to 4 s on two cores shared with other work (one run left five archives).
    this.timeout(30_000);
    const file = path.join(dir.path, 'ledger.jsonl');
    const children = Array.from({ length: PROCESSES }, (_, i) => ({ who: `p${i}`, child: runChild('test/core/ledger/children/monthAppender.ts', [file, `p${i}`, String(MONTHS), String(BATCHES), String(PER_BATCH)]) }));
    await Promise.all(children.map(({ child }) => child.waitFor(/^ready$/)));
    for (const { child } of children) child.process.stdin.write('go\n');
    for (const { who, child } of children) {
      assert.deepEqual(await child.exited, { code: 0, signal: null }, `${who}: ${child.stderr()}`);
      assert.equal(child.stderr(), '', `${who} reported no error`);
    }

    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(warnings, []);
    const seen = new Map<string, number>();
    for (const r of records) seen.set(r.id!, (seen.get(r.id!) ?? 0) + 1);
    const doubled = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
    assert.deepEqual(doubled, [], 'no record is read twice');
    const expected = children.flatMap(({ who }) => Array.from({ length: MONTHS * BATCHES * PER_BATCH }, (_, n) => `${who}.${Math.floor(n / (BATCHES * PER_BATCH))}.${Math.floor(n / PER_BATCH) % BATCHES}.${n % PER_BATCH}`));
    assert.deepEqual(expected.filter((id) => !seen.has(id)), [], 'no record is lost');
    assert.equal(records.length, expected.length);

    const names = await readdir(dir.path);
    const archives = (await ledgerFiles(file)).filter((entry) => entry.month !== undefined);
    assert.ok(archives.length >= 1, `the ledger was rotated (${names.join(', ')})`);
    assert.deepEqual(names.filter((name) => /\.(rotating|stale|lock|break)|\.break\./.test(name)), [], 'no lock and nothing moved aside is left');
  });
});
