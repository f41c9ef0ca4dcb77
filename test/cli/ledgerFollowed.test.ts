import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { closeSwitchboard, openSwitchboard } from '../../src/cli/cliSwitchboard';
import type { CliIO } from '../../src/cli/cliSupport';
import { resolveConfig } from '../../src/core/config';
import { record } from '../core/ledger/fixtures';
import { dir, useTempFolder } from './cliFixture';

/**
 * A run under a budget follows the ledger from when it opens until its request goes (what other processes wrote
 * meanwhile counts). What it meets there is said on stderr, naming what a CLI user changes, not an editor setting.
 */
describe('switchboard ask: the ledger followed during the run', () => {
  useTempFolder('cli-followed');

  it('says on stderr when the ledger path became a folder, naming --ledger, SWITCHBOARD_LEDGER and ledger.path', async () => {
    const ledger = path.join(dir, 'ledger.jsonl');
    await writeFile(ledger, `${JSON.stringify(record({ costUsd: 0.25 }))}\n`);
    let stderr = '';
    const io: CliIO = { stdout: () => undefined, stderr: (text) => (stderr += text), stdin: Readable.from([]), env: {}, cwd: dir };
    const switchboard = await openSwitchboard(resolveConfig({ budget: { dailyUsd: 1 } }).config, undefined, ledger, io);
    try {
      await rm(ledger);
      await mkdir(ledger);

      // What the router does before sending under a budget: read what others appended since.
      assert.equal(await switchboard.spend.catchUp(), false);

      assert.equal(
        stderr,
        `switchboard: warning: ${ledger}: the ledger path is now a directory, not a file; it is not followed until it is a file again, or --ledger, SWITCHBOARD_LEDGER or ledger.path names another\n`,
      );
    } finally {
      await rm(ledger, { recursive: true });
      await closeSwitchboard(switchboard, io);
    }
  });
});
