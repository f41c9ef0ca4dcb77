import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';
import { tempDir } from './fixtures';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * The ledger's filesystem fails while a window runs, for real: a small tmpfs in a mount namespace of the child's
 * own (as test/core/budget/fullDisk.test.ts), remounted read-only or filled after the first request, then mended.
 * File modes would not do: these tests run as root, whom a chmod does not stop.
 */
describe('the ledger\'s filesystem made read-only or full mid-session, then mended', function () {
  this.timeout(60_000);
  const dir = tempDir('mid-session-fault');
  let openai: FakeServer;

  before(async () => {
    openai = await startFakeOpenAI();
  });
  after(async () => {
    await openai.close();
  });
  afterEach(() => openai.reset());

  for (const [fault, reason] of [
    ['read-only', 'the filesystem is read-only'],
    ['full', 'the disk is full'],
  ] as const) {
    it(`${fault}: answers, says so once naming the path, keeps and counts the records, and writes each once when mended`, async () => {
      const mount = path.join(dir.path, fault);
      await mkdir(mount);
      // The second answer bills past the day's $0.05: a record lost to the fault would let the third go.
      openai.script({ text: 'Before.', usage: { inputTokens: 10, outputTokens: 5 } }, { text: 'During.', usage: { inputTokens: 2_000_000, outputTokens: 5 } });
      const child = path.join(REPO_ROOT, 'test/core/children/ledgerFaultMidSession.ts');
      const script = 'mount -t tmpfs -o size=64k tmpfs "$1" && exec "$2" --import tsx "$3" "$4" "$5" "$1"';
      const { stdout } = await run(
        'unshare',
        ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', mount, process.execPath, child, fault, `${openai.url}/v1`],
        { cwd: REPO_ROOT },
      );
      const seen = JSON.parse(stdout) as {
        broken: string;
        errors: string[];
        ids: string[];
        written: string[];
        outcomes: string[];
        refusedError: string;
        spent: number;
        whileBroken: { kept: number; todayRequests: number; todayUsd: number; failure: unknown };
        keptAfterOneFlush: number;
        after: { kept: number; todayRequests: number; todayUsd: number; failure: unknown };
      };
      assert.equal(seen.broken, fault === 'full' ? 'ENOSPC' : 'read-only');
      assert.deepEqual(seen.outcomes, ['ok', 'ok', 'error']);
      assert.match(seen.refusedError, /^daily budget reached/, 'the kept record counts in the budget');
      assert.equal(openai.requests.length, 2, 'the refused request was never sent');
      const ledger = `${mount}/ledger.jsonl`;
      assert.deepEqual(seen.errors, [`Could not write to the ledger ${ledger}: ${reason}. Requests still answer; 2 records are kept in memory and written once it works again`]);
      // Two answered and one refused: the refusal is a record too.
      assert.deepEqual(seen.whileBroken, { kept: 2, todayRequests: 3, todayUsd: seen.spent, failure: { reason, kept: 2, dropped: 0 } });
      // Mended: one flush writes what a retry begun before the mend failed to write after it.
      assert.equal(seen.keptAfterOneFlush, 0, 'one flush after the mend writes the kept records');
      // Every record in the file once, counted once.
      assert.deepEqual(seen.written, seen.ids, 'the file holds each record once, in order');
      assert.deepEqual(seen.after, { kept: 0, todayRequests: 3, todayUsd: seen.spent, failure: null });
    });
  }
});
