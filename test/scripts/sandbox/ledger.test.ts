import assert from 'node:assert/strict';
import path from 'node:path';
import { ledgerLine, sharedLedgerEnv } from '../../../scripts/sandbox/ledger.mjs';
import { simulatedEnv } from '../../../scripts/sandbox/simulated.mjs';
import { defaultLedgerPath } from '../../../src/core/ledger/ledgerPath';

/** The sandbox's "Ledger:" line: the path its extension records to, which a new user opens or hands to the CLI. */
describe('The sandbox\'s ledger line', function () {
  // The first call loads the core's ledgerPath.ts through tsx.
  this.timeout(30_000);
  const repoRoot = path.resolve('.');
  const home = path.resolve('/home/sandbox-user');

  it('prints the per-user default ledger\'s path, the one the CLI reads, not "the per-user default (see README)"', async () => {
    const serverEnv = sharedLedgerEnv({}, home);
    const line = await ledgerLine(repoRoot, serverEnv, { simulated: false });
    assert.equal(line, `Ledger: ${defaultLedgerPath({}, process.platform, home)} (the per-user default, which the switchboard CLI reads too)`);
    assert.ok(!line.includes('see README'));
  });

  it('keeps XDG_DATA_HOME for the extension, so its ledger is the CLI\'s, and prints that path', async () => {
    const dataHome = path.resolve('/data/sandbox-user');
    const serverEnv = sharedLedgerEnv({ XDG_DATA_HOME: dataHome }, home);
    assert.equal(serverEnv.XDG_DATA_HOME, dataHome, 'the VS Code server drops XDG_DATA_HOME unless given it');
    const line = await ledgerLine(repoRoot, serverEnv, { simulated: false });
    assert.equal(line, `Ledger: ${defaultLedgerPath({ XDG_DATA_HOME: dataHome }, process.platform, home)} (the per-user default, which the switchboard CLI reads too)`);
  });

  it('names SWITCHBOARD_LEDGER when it sets the path, and the default with the reason when the extension would refuse it', async () => {
    const chosen = path.resolve('/srv/team/ledger.jsonl');
    assert.equal(await ledgerLine(repoRoot, sharedLedgerEnv({ SWITCHBOARD_LEDGER: chosen }, home), { simulated: false }), `Ledger: ${chosen} (from SWITCHBOARD_LEDGER)`);
    const relative = await ledgerLine(repoRoot, sharedLedgerEnv({ SWITCHBOARD_LEDGER: 'ledger.jsonl' }, home), { simulated: false });
    assert.ok(relative.startsWith(`Ledger: ${defaultLedgerPath({}, process.platform, home)} (the per-user default: SWITCHBOARD_LEDGER: `), relative);
  });

  it('prints the simulated ledger as the user can open it, with the command that totals it', async () => {
    const serverEnv = { ...sharedLedgerEnv({}, home), ...simulatedEnv(path.join(repoRoot, '.cache', 'sandbox')) };
    const shown = path.join('.cache', 'sandbox', 'simulated-ledger.jsonl');
    assert.equal(
      await ledgerLine(repoRoot, serverEnv, { simulated: true }),
      `Ledger: ${shown} (simulated answers only, apart from your real spend; switchboard costs --ledger ${shown} totals it)`,
    );
  });
});
