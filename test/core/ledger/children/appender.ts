/**
 * Another process appending to a shared ledger, for the ledger tests.
 * argv: FILE WHO COUNT [one-by-one]. Prints "ready", waits for a line on stdin (so several
 * start writing at once), appends COUNT records whose error texts hold
 * multi-byte characters, flushes, prints "done" and exits. With `one-by-one`,
 * each append is waited for before the next, one write each, as CLI runs in
 * a loop write theirs.
 */
import { LedgerWriter } from '../../../../src/core/ledger/writer';

const [file, who, count, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const writer = new LedgerWriter(file, { onError: (error) => process.stderr.write(`${error.message}\n`) });
process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  for (let i = 0; i < Number(count); i++) {
    const written = writer.append({
      v: 1,
      id: `${who}.${i}`,
      time: new Date().toISOString(),
      task: 'completion',
      provider: 'openai',
      model: who,
      requestedModel: `openai:${who}`,
      usage: { inputTokens: i, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      usageEstimated: false,
      costUsd: 0.0001,
      latencyMs: i,
      firstTokenMs: 10,
      outcome: 'ok',
      // A few kilobytes a line in UTF-8 (two to four bytes a character), so overlapping or split writes would show.
      attempts: Array.from({ length: 6 }, (_, n) => ({ provider: 'bedrock', model: `m${n}`, error: `${who} – ошибка 模型 🚀 `.repeat(12) })),
    });
    if (mode === 'one-by-one') await written;
  }
  void writer.flush().then(() => {
    process.stdout.write('done\n');
    process.stdin.destroy();
  });
});
