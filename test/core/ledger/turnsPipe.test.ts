import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { aggregateLedger } from '../../../src/core/ledger/reader';
import { summaryPath } from '../../../src/core/ledger/ledgerPath';
import { Switchboard } from '../../../src/core/switchboard';
import { record, tempDir } from './fixtures';

/**
 * Opens both ends of `pipe` without waiting, then closes them: whatever is
 * still blocked opening it (a build without the non-blocking open) is let go,
 * so a failing test does not leave a thread of the pool waiting forever.
 */
function release(pipe: string): void {
  for (const flags of [constants.O_RDONLY, constants.O_WRONLY]) {
    try {
      closeSync(openSync(pipe, flags | constants.O_NONBLOCK));
    } catch {
      // No reader waiting: nothing to let go on this end.
    }
  }
}

describe('a ledger path that becomes a named pipe after it was resolved', () => {
  const pipes: string[] = [];
  const opened: Switchboard[] = [];

  afterEach(async () => {
    for (const pipe of pipes.splice(0)) release(pipe);
    await Promise.all(opened.splice(0).map((switchboard) => switchboard.dispose()));
  });
  // After the hook above: mocha runs afterEach hooks in the order they were added, and the folder must be removed
  // only once every Switchboard is disposed (a write still publishing the kept spend into `<ledger>.inflight/`
  // while the folder was removed made the removal fail with ENOTEMPTY on a loaded machine).
  const dir = tempDir('ledger-turns-pipe');

  /** A Switchboard on a regular ledger file, following it, whose path is then made a named pipe. */
  async function openThenPipe(name: string) {
    const file = path.join(dir.path, `${name}.jsonl`);
    await writeFile(file, `${JSON.stringify(record({ costUsd: 0.5 }))}\n`);
    const errors: string[] = [];
    const warnings: string[] = [];
    const switchboard = await Switchboard.create({
      config: resolveConfig({ ledger: { path: file } }).config,
      source: 'vscode',
      env: {},
      ledgerSettingName: 'switchboard.ledger.path',
      onLedgerError: (error) => errors.push(error.message),
    });
    opened.push(switchboard);
    assert.equal(switchboard.ledgerPath, file);
    assert.deepEqual(await switchboard.loadToday({ onWarning: (warning) => warnings.push(warning) }), []);
    await rm(file);
    execFileSync('mkfifo', [file]);
    pipes.push(file);
    return { file, switchboard, errors, warnings };
  }

  it('is not waited on by the writer: the write fails at once, naming the setting, and the record is kept', async () => {
    const { file, switchboard, errors } = await openThenPipe('no-reader');
    const kept = record({ costUsd: 0.25 });

    await switchboard.ledger.append(kept);

    assert.equal(errors.length, 1, errors.join('\n'));
    assert.equal(
      errors[0],
      `Could not write to the ledger ${file}: the path is now a named pipe (FIFO), not a regular file; give switchboard.ledger.path the path of a ledger file (or of one to create), or put a file back there. Requests still answer; 1 record is kept in memory and written once it works again`,
    );
    assert.deepEqual(switchboard.ledger.unwrittenLines().map((line) => JSON.parse(line) as unknown), [kept]);
  });

  it('writes nothing into a pipe that something reads: it is refused once opened, as with no reader', async () => {
    const { file, switchboard, errors } = await openThenPipe('with-reader');
    const reader = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      await switchboard.ledger.append(record());
      assert.match(errors[0] ?? '', /the path is now a named pipe \(FIFO\), not a regular file; give switchboard\.ledger\.path/);
      // Nothing reached the reader (a non-blocking read of an empty pipe with a writer gone reads 0 bytes).
      assert.equal(readSync(reader, Buffer.alloc(16)), 0);
    } finally {
      closeSync(reader);
    }
  });

  it('is not waited on by the tail that follows it: no records, one warning naming the setting', async () => {
    const { file, switchboard, warnings } = await openThenPipe('followed');

    assert.equal(await switchboard.spend.catchUp(), false);
    assert.equal(await switchboard.spend.catchUp(), false);

    assert.deepEqual(warnings, [
      `${file}: the ledger path is now a named pipe (FIFO), not a regular file; it is not followed until it is a file again, or switchboard.ledger.path names another`,
    ]);
    assert.equal(switchboard.spend.todayUsd(), 0.5, 'what was read before stays');
  });

  it('is not waited on when a cache beside the ledger is one: it reads as no cache, from the records', async () => {
    const file = path.join(dir.path, 'cached.jsonl');
    await writeFile(file, `${JSON.stringify(record({ costUsd: 0.5 }))}\n${JSON.stringify(record({ costUsd: 0.25 }))}\n`);
    execFileSync('mkfifo', [summaryPath(file)]);
    pipes.push(summaryPath(file));

    const totals = await aggregateLedger(file);

    assert.equal(totals.cells.reduce((sum, cell) => sum + cell.costUsd, 0), 0.75);
    assert.equal(totals.cells.reduce((sum, cell) => sum + cell.requests, 0), 2);
  });
});
