import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';
import { tempDir } from '../ledger/fixtures';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * A real full disk, not /dev/full: a tmpfs of 8 KiB mounted in a mount namespace of the child's own (a user
 * namespace maps it to root there, so no privilege is needed), which makes files but refuses their bytes, as a
 * full disk does. The ledger and the lock beside it (ledger.jsonl.inflight/lock) live on it.
 */
describe('a request under a budget with the ledger on a full disk', function () {
  this.timeout(60_000);
  const dir = tempDir('full-disk');
  let openai: FakeServer;

  before(async () => {
    openai = await startFakeOpenAI();
  });
  after(async () => {
    await openai.close();
  });

  it('is answered and counted, its record kept in memory, not lost to the lock beside the ledger', async () => {
    const mount = path.join(dir.path, 'small');
    await mkdir(mount);
    const child = path.join(REPO_ROOT, 'test/core/children/fullDiskRequest.ts');
    const script = 'mount -t tmpfs -o size=8k tmpfs "$1" && exec "$2" --import tsx "$3" "$4" "$1/ledger.jsonl"';
    const { stdout } = await run(
      'unshare',
      ['--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', mount, process.execPath, child, `${openai.url}/v1`],
      { cwd: REPO_ROOT },
    );
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(seen.filled, 'ENOSPC', 'the disk was full before the request');
    assert.equal(seen.rejected, undefined, `the request failed in Switchboard: ${String(seen.rejected)}`);
    assert.equal(seen.outcome, 'ok');
    assert.match(String(seen.text), /./);
    assert.equal(seen.kept, 1, 'its record waits in memory');
    assert.equal(seen.todayRequests, 1, 'and counts in today and the budget');
    assert.deepEqual(seen.errors, [
      `Could not write to the ledger ${mount}/ledger.jsonl: the disk is full. Requests still answer; 1 record is kept in memory and written once it works again`,
    ]);
  });
});
