/**
 * Another window, as far as budget notices go: a Switchboard following the
 * ledger under a daily budget, telling of crossings. argv: LEDGER DAILY_USD.
 * Prints "ready" once it has read the ledger, "crossing LEVEL" for each
 * crossing it tells of, and "checked SPENT" after each look at new spend; it
 * ends when its stdin closes.
 */
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';

const [ledgerPath, daily] = process.argv.slice(2) as [string, string];

async function main(): Promise<void> {
  const { config } = resolveConfig({ budget: { dailyUsd: Number(daily) } });
  const switchboard: Switchboard = await Switchboard.create({
    config,
    source: 'vscode',
    env: {},
    ledgerPath,
    onBudgetCrossing: (crossing) => process.stdout.write(`crossing ${crossing.level}\n`),
  });
  await switchboard.loadToday({
    watch: true,
    onChange: () => {
      void switchboard.checkBudgetCrossings().then(() => process.stdout.write(`checked ${switchboard.budget.gate.statuses()[0]!.spentUsd}\n`));
    },
  });
  await switchboard.checkBudgetCrossings();
  process.stdout.write('ready\n');
  // Flowing, or the end of stdin is never read.
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await switchboard.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
