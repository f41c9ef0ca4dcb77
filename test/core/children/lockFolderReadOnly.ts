/**
 * A window whose budget lock folder becomes read-only while it admits a request, so that removing the
 * lock fails (run as a user without root's rights, who ignores file modes). argv: LEDGER. Admits twice and
 * prints "admitted N" for each: the second finds the lock the first could not remove.
 */
import { chmod } from 'node:fs/promises';
import { SharedReservations } from '../../../src/core/budget/sharedReservations';

const [ledgerPath] = process.argv.slice(2) as [string];

async function main(): Promise<void> {
  const shared = new SharedReservations(ledgerPath);
  await shared.withLock(async () => {
    await chmod(`${ledgerPath}.inflight`, 0o555);
  });
  process.stdout.write('admitted 1\n');
  await shared.withLock(async () => undefined);
  process.stdout.write('admitted 2\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
