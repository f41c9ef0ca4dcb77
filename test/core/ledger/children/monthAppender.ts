/**
 * Another process appending to a shared ledger through the months, for the
 * rotation stress test. argv: FILE WHO MONTHS BATCHES PER_BATCH. Prints
 * "ready", waits for a line on stdin (so several start at once), then for
 * each month from January 2026 on writes BATCHES batches of PER_BATCH
 * records dated in that month, its clock reading that month: its first write
 * of each month rotates the ledger if the live file is older, while the
 * other processes, each at its own pace, append. Prints "done" and exits.
 */
import { LedgerWriter } from '../../../../src/core/ledger/writer';

const [file, who, months, batches, perBatch] = process.argv.slice(2) as [string, string, string, string, string];
let clock = new Date(2026, 0, 15, 12);
const writer = new LedgerWriter(file, { now: () => clock, onError: (error) => process.stderr.write(`${error.message}\n`) });

async function run(): Promise<void> {
  for (let month = 0; month < Number(months); month++) {
    clock = new Date(2026, month, 15, 12);
    for (let batch = 0; batch < Number(batches); batch++) {
      for (let i = 0; i < Number(perBatch); i++) {
        void writer.append({
          v: 1,
          id: `${who}.${month}.${batch}.${i}`,
          time: new Date(clock.getTime() + batch * 60_000 + i).toISOString(),
          task: 'completion',
          provider: 'openai',
          model: who,
          requestedModel: `openai:${who}`,
          usage: { inputTokens: 10, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
          usageEstimated: false,
          costUsd: 0.0001,
          latencyMs: i,
          firstTokenMs: 10,
          outcome: 'ok',
          attempts: [],
        });
      }
      // One write a batch: the next batch goes out after it, so the processes' writes and rotations interleave.
      await writer.flush();
    }
  }
}

process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void run().then(() => {
    process.stdout.write('done\n');
    process.stdin.destroy();
  });
});
