import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ledger, type LedgerRecord } from '../../../src/core/ledger';
import { MAX_ERROR_BYTES } from '../../../src/core/ledger/scrub';
import { MAX_WRITE_BYTES, packLines } from '../../../src/core/ledger/writer';
import { NOBODY, record, runChild, runningAsRoot, tempDir } from './fixtures';
import { fakeKeys } from '../../fakes/fakeKeys';
import { holdNextAppendFailure } from '../children/holdAppendFailure';
import { ManualRetryTimers } from './manualRetryTimers';

// Key-shaped but fake; assembled at run time so no key-like literal sits in the repository.
const FAKE_OPENAI_KEY = ['sk', 'proj', 'abcdefghijklmnopqrstuvwx'].join('-');
const FAKE_AWS_KEY_ID = fakeKeys.awsAccessKeyId('ledger');

describe('ledger writer', () => {
  const dir = tempDir('ledger-writer');

  it('reads back what it appended, creating the folders; every write starts on a fresh line', async () => {
    const file = path.join(dir.path, 'nested', 'deeper', 'ledger.jsonl');
    const ledger = new Ledger(file);
    const first = record();
    const second = record({
      task: 'completion',
      provider: 'openai',
      model: 'gpt-5.4-nano',
      requestedModel: 'anthropic:claude-haiku-4-5',
      attempts: [{ provider: 'anthropic', model: 'claude-haiku-4-5', error: 'rate limited (429)' }],
      costUsd: null,
      usageEstimated: true,
      outcome: 'cancelled',
      firstTokenMs: null,
    });
    await ledger.append(first);
    await ledger.append(second);

    const { records, warnings } = await ledger.read();
    assert.deepEqual(records, [first, second]);
    assert.deepEqual(warnings, []);
    assert.equal(await readFile(file, 'utf8'), `\n${JSON.stringify(first)}\n\n${JSON.stringify(second)}\n`);
  });

  it('queues appends without waiting and writes them in order, together; flush waits for all', async () => {
    const ledger = new Ledger(path.join(dir.path, 'ledger.jsonl'));
    for (let i = 0; i < 50; i++) void ledger.append(record({ latencyMs: i }));
    await ledger.flush();
    const { records } = await ledger.read();
    assert.deepEqual(
      records.map((r) => r.latencyMs),
      Array.from({ length: 50 }, (_, i) => i),
    );
    const text = await readFile(ledger.path, 'utf8');
    assert.equal(text.split('\n').filter((line) => line === '').length, 2, 'one write: one leading newline, one final');
  });

  it('adds to an existing file and never rewrites it', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    const earlier = JSON.stringify(record({ model: 'claude-opus-5' })) + '\n';
    await writeFile(file, earlier);
    await new Ledger(file).append(record());
    const text = await readFile(file, 'utf8');
    assert.ok(text.startsWith(earlier));
    assert.equal((await new Ledger(file).read()).records.length, 2);
  });

  it('cuts writes at 64 KiB counted in bytes, not characters', () => {
    // 3 bytes a character in UTF-8: 30,000 characters are 90,000 bytes.
    const wide = '文'.repeat(10_000);
    const lines = Array.from({ length: 3 }, (_, i) => JSON.stringify(record({ error: `${i}${wide}` })));
    const chunks = packLines(lines, MAX_WRITE_BYTES);
    assert.equal(lines.join('').length < MAX_WRITE_BYTES, true, 'by characters it would have been one write');
    assert.equal(chunks.length, 2);
    for (const chunk of chunks) {
      assert.ok(chunk.length <= MAX_WRITE_BYTES, `${chunk.length} bytes`);
      assert.equal(chunk[0], 0x0a, 'a write starts with the newline guard');
      assert.equal(chunk.at(-1), 0x0a);
    }
    assert.deepEqual(
      chunks.flatMap((chunk) => chunk.toString('utf8').split('\n').filter(Boolean)),
      lines,
    );
  });

  it('keeps every record whole when several processes append at once', async function () {
    this.timeout(120_000);
    const file = path.join(dir.path, 'ledger.jsonl');
    const writers = ['alpha', 'beta', 'gamma', 'delta'].map((who) => ({ who, child: runChild('test/core/ledger/children/appender.ts', [file, who, '400']) }));
    await Promise.all(writers.map(({ child }) => child.waitFor(/^ready$/)));
    for (const { child } of writers) child.process.stdin.write('go\n');
    for (const { who, child } of writers) assert.deepEqual(await child.exited, { code: 0, signal: null }, `${who}: ${child.stderr()}`);

    const text = await readFile(file, 'utf8');
    assert.ok(Buffer.byteLength(text) > 4 * 400 * 2000, 'lines of kilobytes, many writes of up to 64 KiB each');
    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(warnings, []);
    assert.equal(records.length, 1600);
    for (const { who } of writers) {
      const own = records.filter((r) => r.model === who);
      assert.deepEqual(
        own.map((r) => r.latencyMs),
        Array.from({ length: 400 }, (_, i) => i),
        `${who}'s records are whole and in order`,
      );
      assert.ok(own.every((r) => r.attempts.every((a) => a.error.startsWith(`${who} – ошибка 模型 🚀 `))), 'multi-byte text intact');
    }
  });

  it('two processes appending 500 records each, one write a record, at once: every line read back is one whole record', async function () {
    this.timeout(120_000);
    const file = path.join(dir.path, 'two-writers.jsonl');
    const writers = ['cli', 'editor'].map((who) => ({ who, child: runChild('test/core/ledger/children/appender.ts', [file, who, '500', 'one-by-one']) }));
    await Promise.all(writers.map(({ child }) => child.waitFor(/^ready$/)));
    for (const { child } of writers) child.process.stdin.write('go\n');
    for (const { who, child } of writers) assert.deepEqual(await child.exited, { code: 0, signal: null }, `${who}: ${child.stderr()}`);

    // Every line as written, not through the reader (which would skip a broken one with a warning).
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1000, 'no line torn in two, none glued to another');
    const records = lines.map((line, index) => {
      try {
        return JSON.parse(line) as LedgerRecord;
      } catch {
        assert.fail(`line ${index + 1} is not one whole record: ${line.slice(0, 80)}…`);
      }
    });
    for (const { who } of writers) {
      assert.deepEqual(
        records.filter((r) => r.model === who).map((r) => r.id),
        Array.from({ length: 500 }, (_, i) => `${who}.${i}`),
        `${who}'s records, each once, in order`,
      );
    }
    // Both wrote throughout, not one after the other: their lines alternate somewhere in the middle.
    const switches = records.slice(1).filter((r, i) => r.model !== records[i]!.model).length;
    assert.ok(switches > 1, `the writers interleaved their appends (${switches} switches)`);
  });

  it('starts on a fresh line after a process was killed mid-write, even one that opened the file before', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    const ledger = new Ledger(file);
    await ledger.append(record({ model: 'before' }));

    const killed = runChild('test/core/ledger/children/killedMidWrite.ts', [file]);
    assert.deepEqual(await killed.exited, { code: null, signal: 'SIGKILL' });
    await ledger.append(record({ model: 'after' }));
    await new Ledger(file).append(record({ model: 'another process' }));

    const { records, warnings } = await new Ledger(file).read();
    assert.deepEqual(
      records.map((r) => r.model),
      ['before', 'after', 'another process'],
    );
    assert.deepEqual(warnings, [`${file}:4: skipped a line that is not JSON`]);
  });

  it('scrubs keys from error texts and keeps them under 500 bytes, whole characters', async () => {
    const ledger = new Ledger(path.join(dir.path, 'ledger.jsonl'));
    await ledger.append(
      record({
        outcome: 'error',
        error: `Incorrect API key provided: ${FAKE_OPENAI_KEY}. ` + 'é'.repeat(2000),
        attempts: [{ provider: 'bedrock', model: 'm', error: `denied for ${FAKE_AWS_KEY_ID}` }],
      }),
    );
    const text = await readFile(ledger.path, 'utf8');
    assert.ok(!text.includes(FAKE_OPENAI_KEY) && !text.includes(FAKE_AWS_KEY_ID));
    const [stored] = (await ledger.read()).records;
    assert.ok(stored?.error?.startsWith('Incorrect API key provided: [redacted]. éé'));
    assert.ok(stored?.error?.endsWith('é…'));
    assert.ok(Buffer.byteLength(stored?.error ?? '') <= MAX_ERROR_BYTES);
    assert.ok(Buffer.byteLength(stored?.error ?? '') > MAX_ERROR_BYTES - 4);
    assert.equal(stored?.attempts[0]?.error, 'denied for [redacted]');
  });

  it('refuses a malformed record without writing it', async () => {
    const errors: string[] = [];
    const ledger = new Ledger(path.join(dir.path, 'ledger.jsonl'), { onError: (error) => errors.push(error.message) });
    await ledger.append({ ...record(), costUsd: Number.NaN });
    await ledger.append(record());
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /"costUsd" must be a number >= 0 or null/);
    assert.equal((await ledger.read()).records.length, 1);
  });

  describe('when writing fails, says so once with the path, keeps the records and writes them once it works', () => {
    it('the path is a directory', async () => {
      const blocked = path.join(dir.path, 'blocked');
      await mkdir(blocked);
      const errors: string[] = [];
      const ledger = new Ledger(blocked, { onError: (error) => errors.push(error.message) });
      await ledger.append(record({ model: 'one' }));
      await ledger.append(record({ model: 'two' }));
      assert.deepEqual(errors, [
        `Could not write to the ledger ${blocked}: the path is a directory. Requests still answer; 1 record is kept in memory and written once it works again`,
      ]);

      await rm(blocked, { recursive: true });
      await ledger.append(record({ model: 'three' }));
      assert.deepEqual(
        (await ledger.read()).records.map((r) => r.model),
        ['one', 'two', 'three'],
      );
      assert.equal(errors.length, 1);
    });

    it('the disk is full', async () => {
      // Linux's /dev/full fails every write with ENOSPC.
      const errors: string[] = [];
      const ledger = new Ledger('/dev/full', { onError: (error) => errors.push(error.message) });
      await ledger.append(record());
      await ledger.append(record());
      assert.deepEqual(errors, [
        'Could not write to the ledger /dev/full: the disk is full. Requests still answer; 1 record is kept in memory and written once it works again',
      ]);
    });

    it('says it again when the reason changes, never again for the same one', async () => {
      // Real faults in turn at one path: a link to /dev/full (every write ENOSPC), then a folder (EISDIR).
      const file = path.join(dir.path, 'changing.jsonl');
      await symlink('/dev/full', file);
      const errors: string[] = [];
      const ledger = new Ledger(file, { onError: (error) => errors.push(error.message) });
      await ledger.append(record({ model: 'one' }));
      await ledger.append(record({ model: 'two' }));
      await rm(file);
      await mkdir(file);
      await ledger.append(record({ model: 'three' }));
      await ledger.append(record({ model: 'four' }));
      assert.deepEqual(errors, [
        `Could not write to the ledger ${file}: the disk is full. Requests still answer; 1 record is kept in memory and written once it works again`,
        `Could not write to the ledger ${file}: the path is a directory. Requests still answer; 3 records are kept in memory and written once it works again`,
      ]);
      await rm(file, { recursive: true });
      await ledger.flush();
      assert.deepEqual((await ledger.read()).records.map((r) => r.model), ['one', 'two', 'three', 'four']);
    });

    it('says once more, on a later failure of the same reason, when records start to be dropped; failure() counts them', async () => {
      const blocked = path.join(dir.path, 'blocked-then-overflowing');
      await mkdir(blocked);
      const errors: string[] = [];
      const ledger = new Ledger(blocked, { onError: (error) => errors.push(error.message), retryTimers: new ManualRetryTimers() });
      await ledger.append(record({ model: 'first' }));
      assert.deepEqual(ledger.failure(), { reason: 'the path is a directory', kept: 1, dropped: 0 });
      // Far more than the 4 MiB kept in memory, in one later try that fails for the same reason.
      const many = Array.from({ length: 20_000 }, (_, index) => ledger.append(record({ model: `m${index}` })));
      await Promise.all(many);
      const failure = ledger.failure();
      assert.ok(failure && failure.dropped > 0, JSON.stringify(failure));
      assert.equal(failure.kept + failure.dropped, 20_001, 'every record is either kept or counted as dropped');
      assert.equal(errors.length, 2, errors.join('\n'));
      assert.equal(
        errors[1],
        `Could not write to the ledger ${blocked}: the path is a directory. Requests still answer; ${failure.kept} records are kept in memory and written once it works again; ${failure.dropped} older records were dropped, past the 4 MiB kept, and will not be written`,
      );
      // Dropping on: not said again with each record dropped.
      await ledger.append(record({ model: 'later' }));
      assert.equal(errors.length, 2);
      assert.ok(ledger.failure()!.dropped >= failure.dropped);
    });

    it('tries the kept records again by itself, with no new request, and says when it works', async () => {
      const blocked = path.join(dir.path, 'blocked-then-freed');
      await mkdir(blocked);
      const errors: string[] = [];
      let recovered!: (message: string) => void;
      const recovery = new Promise<string>((resolve) => (recovered = resolve));
      const timers = new ManualRetryTimers();
      const ledger = new Ledger(blocked, { onError: (error) => errors.push(error.message), onRecovered: (message) => recovered(message), retryTimers: timers });
      await ledger.append(record({ model: 'one' }));
      await ledger.append(record({ model: 'two' }));
      assert.equal(errors.length, 1);
      // Freed; nothing appends or flushes from here: only the retry can write them, once its time comes.
      await rm(blocked, { recursive: true });
      assert.equal(timers.pending, 1, 'one retry set, not one per failed try');
      timers.fireAll();
      assert.equal(await recovery, `The ledger ${blocked} is written again; the 2 records kept in memory are in it`);
      assert.deepEqual((await ledger.read()).records.map((r) => r.model), ['one', 'two']);
      assert.deepEqual(ledger.unwrittenLines(), []);
    });

    it('once stopped, tries nothing again by itself: no retry writes after its owner is gone', async () => {
      const blocked = path.join(dir.path, 'blocked-then-stopped');
      await mkdir(blocked);
      const kept: string[][] = [];
      const timers = new ManualRetryTimers();
      const ledger = new Ledger(blocked, { onError: () => undefined, onKept: (lines) => kept.push(lines), retryTimers: timers });
      await ledger.append(record({ model: 'one' }));
      assert.equal(timers.pending, 1, 'a retry was set while it failed');
      await ledger.stop();
      // The last try failed too: told once per try, the stop's included.
      assert.equal(kept.length, 2);
      await rm(blocked, { recursive: true });
      assert.equal(timers.pending, 0, 'stop() left no retry set');
      // Were one left set, its time coming now would write: fired, and flush() waits for what it wrote.
      timers.fireAll();
      await ledger.flush();
      assert.deepEqual((await ledger.read()).records, []);
      assert.equal(kept.length, 2);
      assert.deepEqual(ledger.unwrittenLines().map((line) => (JSON.parse(line) as LedgerRecord).model), ['one']);
    });

    it('a record appended and flushed at once is tried once by that flush, not again by its own turn', async () => {
      const blocked = path.join(dir.path, 'blocked-flushed-at-once');
      await mkdir(blocked);
      const kept: string[][] = [];
      const ledger = new Ledger(blocked, { onError: () => undefined, onKept: (lines) => kept.push(lines), retryTimers: new ManualRetryTimers() });
      const appended = ledger.append(record({ model: 'one' }));
      await ledger.flush();
      await appended;
      // Told once per try: the append's own turn, coming after flush() took its record, tries nothing more.
      assert.equal(kept.length, 1);
      await ledger.flush();
      assert.equal(kept.length, 2, 'a flush with records kept tries them once');
    });

    it('a try begun before the disk was mended and failing after it: one flush after the mend writes the kept records', async () => {
      const blocked = path.join(dir.path, 'blocked-mended-mid-try');
      await mkdir(blocked);
      const ledger = new Ledger(blocked, { onError: () => undefined });
      await ledger.append(record({ model: 'one' }));
      // A retry (the 30 s one's path) fails on the folder; its failure is held until the folder is gone.
      const held = holdNextAppendFailure(blocked);
      try {
        const retry = ledger.flush();
        await held.failed;
        await rm(blocked, { recursive: true });
        const flushed = ledger.flush();
        held.release();
        await Promise.all([retry, flushed]);
      } finally {
        held.restore();
      }
      assert.deepEqual(ledger.unwrittenLines(), []);
      assert.deepEqual((await ledger.read()).records.map((r) => r.model), ['one']);
    });

    it('a disk still broken: flush() after a try under way tries once more, then resolves', async () => {
      const blocked = path.join(dir.path, 'blocked-through');
      await mkdir(blocked);
      const tries: string[][] = [];
      const ledger = new Ledger(blocked, { onError: () => undefined, onKept: (lines) => tries.push(lines) });
      await ledger.append(record({ model: 'one' }));
      const held = holdNextAppendFailure(blocked);
      try {
        const retry = ledger.flush();
        await held.failed;
        const flushed = ledger.flush();
        held.release();
        await Promise.all([retry, flushed]);
      } finally {
        held.restore();
      }
      // onKept is told after each try: the first append's, the one held, and flush()'s one more; no loop.
      assert.equal(tries.length, 3);
      assert.deepEqual(ledger.unwrittenLines().map((line) => (JSON.parse(line) as LedgerRecord).model), ['one']);
    });

    it('lists the lines it still holds, whole, for a process about to end', async () => {
      const ledger = new Ledger('/dev/full', { onError: () => undefined });
      assert.deepEqual(ledger.unwrittenLines(), []);
      await ledger.append(record({ model: 'one' }));
      await ledger.append(record({ model: 'two' }));
      // A retry under way still counts as held until it has written them.
      const retry = ledger.flush();
      assert.deepEqual(ledger.unwrittenLines().map((line) => (JSON.parse(line) as LedgerRecord).model), ['one', 'two']);
      await retry;
      assert.deepEqual(ledger.unwrittenLines().map((line) => (JSON.parse(line) as LedgerRecord).model), ['one', 'two']);
    });

    it('permission is denied', async function () {
      this.timeout(60_000);
      const file = path.join(dir.path, 'ledger.jsonl');
      await writeFile(file, '');
      await chmod(file, 0o444);
      await chmod(dir.path, 0o755);
      if (runningAsRoot()) {
        // Root writes anything: the writer runs as a user without the right, in its own process.
        const child = runChild('test/core/ledger/children/appender.ts', [file, 'nobody', '3'], { uid: NOBODY });
        await child.waitFor(/^ready$/);
        child.process.stdin.write('go\n');
        assert.deepEqual(await child.exited, { code: 0, signal: null });
        assert.equal(
          child.stderr(),
          `Could not write to the ledger ${file}: permission denied. Requests still answer; 3 records are kept in memory and written once it works again\n`,
        );
      } else {
        const errors: string[] = [];
        const ledger = new Ledger(file, { onError: (error) => errors.push(error.message) });
        await ledger.append(record());
        assert.deepEqual(errors, [
          `Could not write to the ledger ${file}: permission denied. Requests still answer; 1 record is kept in memory and written once it works again`,
        ]);
      }
      assert.equal(await readFile(file, 'utf8'), '');
    });
  });
});
