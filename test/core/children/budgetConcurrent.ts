/**
 * One process of a concurrent budget race: a Switchboard (as a window or the
 * CLI holds it) starts COUNT chat requests at once under a daily budget.
 * argv: OPENAI_BASE_URL LEDGER BUDGET_USD COUNT MAX_TOKENS. Prints "ready",
 * starts on a line on stdin, prints "decided" as each request is sent to the
 * model or refused, and how many were answered as JSON.
 */
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';

const [baseUrl, ledgerPath, budget, count, maxTokens] = process.argv.slice(2) as [string, string, string, string, string];

async function main(): Promise<void> {
  const { config } = resolveConfig({
    providers: { openai: { baseUrl } },
    routes: { chat: ['openai:gpt-5.4-nano'] },
    budget: { dailyUsd: Number(budget) },
  });
  const decided = () => process.stdout.write('decided\n');
  const switchboard = await Switchboard.create({
    config,
    source: 'cli',
    env: {},
    ledgerPath,
    onEvent: (event) => {
      if (event.type === 'waiting') decided();
    },
  });
  await switchboard.loadToday();
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const request = { messages: [{ role: 'user' as const, content: 'Hello?' }], maxTokens: Number(maxTokens) };
  const results = await Promise.all(
    Array.from({ length: Number(count) }, () =>
      switchboard.router.run('chat', request).then((result) => {
        if (result.budgetRefused) decided();
        return result;
      }),
    ),
  );
  const answered = results.filter((result) => result.record.outcome === 'ok').length;
  process.stdout.write(`${JSON.stringify({ answered, refusals: results.map((result) => result.error).filter(Boolean) })}\n`);
  await switchboard.dispose();
  process.stdin.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
