/**
 * One process of a budget race: a Switchboard (as the CLI or another window
 * holds it) sends chat requests one after another until the daily budget
 * refuses one. argv: OPENAI_BASE_URL LEDGER BUDGET_USD. Prints "ready",
 * starts on a line on stdin, and prints its counts as JSON.
 */
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';

const [baseUrl, ledgerPath, budget] = process.argv.slice(2) as [string, string, string];

async function main(): Promise<void> {
  const { config } = resolveConfig({
    providers: { openai: { baseUrl } },
    routes: { chat: ['openai:gpt-5.4-nano'] },
    budget: { dailyUsd: Number(budget) },
  });
  const switchboard = await Switchboard.create({ config, source: 'cli', env: {}, ledgerPath });
  await switchboard.loadToday();
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  let answered = 0;
  for (;;) {
    const result = await switchboard.router.run('chat', { messages: [{ role: 'user', content: 'Hello?' }], maxTokens: 64 });
    if (result.record.outcome !== 'ok') {
      process.stdout.write(`${JSON.stringify({ answered, refusal: result.error })}\n`);
      break;
    }
    answered++;
  }
  await switchboard.dispose();
  process.stdin.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
