/**
 * A window admitting a request under the budget's lock, and taking its time:
 * argv: LEDGER. Prints "holding" once it holds the lock, lets it go on a line
 * on stdin, and prints "released".
 */
import { SharedReservations } from '../../../src/core/budget/sharedReservations';

const [ledgerPath] = process.argv.slice(2) as [string];

async function main(): Promise<void> {
  const shared = new SharedReservations(ledgerPath);
  await shared.withLock(async () => {
    process.stdout.write('holding\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
  });
  process.stdout.write('released\n');
  process.stdin.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
