/**
 * A chat request under a budget with the ledger on a full disk: run inside its own mount namespace over a
 * tiny tmpfs (see fullDisk.test.ts), filled before the request. argv: OPENAI_BASE_URL LEDGER.
 * Prints what happened as JSON: the answer, or the rejection that lost it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';

const [baseUrl, ledgerPath] = process.argv.slice(2) as [string, string];

async function main(): Promise<void> {
  const { config } = resolveConfig({
    providers: { openai: { baseUrl } },
    auto: { enabled: false },
    routes: { chat: ['openai:gpt-5.4-nano'] },
    budget: { dailyUsd: 5, action: 'block' },
  });
  const errors: string[] = [];
  const switchboard = await Switchboard.create({ config, source: 'cli', env: { OPENAI_API_KEY: 'sk-test' }, ledgerPath, onLedgerError: (error) => errors.push(error.message) });
  // Fills what is left of the filesystem: the write takes what fits, then fails with ENOSPC.
  const filled = await writeFile(path.join(path.dirname(ledgerPath), 'filler'), Buffer.alloc(1024 * 1024)).then(
    () => 'not full',
    (error: NodeJS.ErrnoException) => error.code,
  );
  let outcome: Record<string, unknown>;
  try {
    const result = await switchboard.router.run('chat', { messages: [{ role: 'user', content: 'Hello?' }], maxTokens: 64 });
    await switchboard.ledger.flush();
    outcome = { text: result.text, outcome: result.record.outcome, kept: switchboard.ledger.unwrittenLines().length, todayRequests: switchboard.today().total.requests };
  } catch (error) {
    outcome = { rejected: String(error) };
  }
  process.stdout.write(`${JSON.stringify({ filled, errors, ...outcome })}\n`);
  await switchboard.dispose().catch(() => undefined);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
