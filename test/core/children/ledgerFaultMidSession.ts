/**
 * A window whose ledger's filesystem fails mid-session and recovers: run inside its own mount namespace over a
 * small tmpfs at MOUNT (see midSessionFault.test.ts). argv: FAULT (`read-only`: the tmpfs remounted read-only;
 * `full`: filled), OPENAI_BASE_URL, MOUNT. Prints what each step saw as one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { holdNextAppendFailure } from './holdAppendFailure';
import { ManualRetryTimers } from '../ledger/manualRetryTimers';

const [fault, baseUrl, mount] = process.argv.slice(2) as ['read-only' | 'full', string, string];
const ledgerPath = path.join(mount, 'ledger.jsonl');
const filler = path.join(mount, 'filler');
/** tmpfs allocates in pages. */
const PAGE = 4096;
/** The writer's retry of kept records, fired here while the disk is broken instead of 30 s later. */
const retryTimers = new ManualRetryTimers();
const request = { messages: [{ role: 'user' as const, content: 'Hello?' }], maxTokens: 64 };

async function breakDisk(): Promise<string> {
  if (fault === 'read-only') {
    execFileSync('mount', ['-o', 'remount,ro', mount]);
    return 'read-only';
  }
  // The ledger's last page filled first (with empty lines, which readers skip): a full disk still takes appends into
  // the slack of a file's last block, so without this the next records would fit there and the fault come later.
  const { size } = await stat(ledgerPath);
  await appendFile(ledgerPath, '\n'.repeat(PAGE - (size % PAGE)));
  // Takes what is left of the filesystem, then fails with ENOSPC.
  return writeFile(filler, Buffer.alloc(1024 * 1024)).then(
    () => 'not full',
    (error: NodeJS.ErrnoException) => error.code ?? String(error),
  );
}

async function mendDisk(): Promise<void> {
  if (fault === 'read-only') execFileSync('mount', ['-o', 'remount,rw', mount]);
  else await rm(filler);
}

async function main(): Promise<void> {
  const { config } = resolveConfig({
    providers: { openai: { baseUrl } },
    auto: { enabled: false },
    routes: { chat: ['openai:gpt-5.4-nano'] },
    budget: { dailyUsd: 0.05, action: 'block' },
  });
  const errors: string[] = [];
  const switchboard = await Switchboard.create({ config, source: 'vscode', env: { OPENAI_API_KEY: 'sk-test' }, ledgerPath, ledgerRetryTimers: retryTimers, onLedgerError: (error) => errors.push(error.message) });
  try {
    await switchboard.loadToday({ watch: true });
    const before = await switchboard.router.run('chat', request);
    await switchboard.ledger.flush();
    const broken = await breakDisk();
    // The fake is told by the test to bill this one past the day's budget: lost, the next request would go.
    const during = await switchboard.router.run('chat', request);
    const refused = await switchboard.router.run('chat', request);
    await switchboard.ledger.flush();
    const whileBroken = {
      kept: switchboard.ledger.unwrittenLines().length,
      todayRequests: switchboard.today().total.requests,
      todayUsd: switchboard.today().total.costUsd,
      failure: switchboard.ledger.failure(),
    };
    // The writer's own retry of the kept records begins on the broken disk and fails there, its failure held in
    // flight until the disk is mended and flush() called: a loaded run once took that long with the 30 s retry,
    // and flush() resolved on that failed try with the records unwritten. One flush must do.
    const held = holdNextAppendFailure(ledgerPath);
    if (retryTimers.pending !== 1) throw new Error(`expected the writer to have set one retry, found ${retryTimers.pending}`);
    retryTimers.fireAll();
    await held.failed;
    await mendDisk();
    const flushed = switchboard.ledger.flush();
    held.release();
    await flushed;
    // Only the flush can have written them: the retries here fire only when this file fires them.
    const keptAfterOneFlush = switchboard.ledger.unwrittenLines().length;
    await switchboard.spend.catchUp();
    const written = (await readFile(ledgerPath, 'utf8'))
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => (JSON.parse(line) as { id: string }).id);
    process.stdout.write(
      `${JSON.stringify({
        broken,
        errors,
        written,
        ids: [before, during, refused].map((result) => result.record.id),
        outcomes: [before, during, refused].map((result) => result.record.outcome),
        refusedError: refused.error,
        spent: (before.record.costUsd ?? NaN) + (during.record.costUsd ?? NaN),
        whileBroken,
        keptAfterOneFlush,
        after: { kept: switchboard.ledger.unwrittenLines().length, todayRequests: switchboard.today().total.requests, todayUsd: switchboard.today().total.costUsd, failure: switchboard.ledger.failure() ?? null },
      })}\n`,
    );
  } finally {
    await switchboard.dispose().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
