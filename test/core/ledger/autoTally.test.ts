import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AutoTally, isAutoPart } from '../../../src/core/ledger/autoTally';
import { autoPartPath } from '../../../src/core/ledger/ledgerPath';
import { aggregateLedger } from '../../../src/core/ledger/reader';
import { autoRecord } from '../routing/records';
import { tempDir } from './fixtures';

describe('Auto\'s part of the ledger folded by day and task', () => {
  const dir = tempDir('auto-tally');

  it('counts tiers, keeps the priced cheap tokens apart by prompt size, the cheap ids and the retries, and leaves manual picks out', () => {
    const tally = new AutoTally();
    tally.add(autoRecord({ id: 'a', costUsd: 0.002 }), '2026-11-30');
    tally.add(autoRecord({ id: 'b', costUsd: 0.5, usage: { inputTokens: 150_000, outputTokens: 10, cacheReadTokens: 60_000, cacheWriteTokens: 0 } }), '2026-11-30');
    tally.add(autoRecord({ id: 'c', costUsd: null }), '2026-11-30');
    tally.add(autoRecord({ id: 'd', routing: { mode: 'auto', tier: 'strong', score: 0.9, reasons: [] } }), '2026-11-30');
    tally.add(autoRecord({ id: 'e', routing: { mode: 'manual', reasons: [] } }), '2026-11-30');
    tally.add(autoRecord({ id: 'f', costUsd: 0.004, routing: { mode: 'retry', tier: 'strong', reasons: ['quoted text'] }, retryOf: 'a' }), '2026-11-30');
    tally.add(autoRecord({ id: 'g', task: 'plan' }), '2026-11-29');
    const part = tally.list();
    assert.ok(isAutoPart(part));
    const chat = part.cells.find((cell) => cell.task === 'chat')!;
    assert.deepEqual(
      { requests: chat.requests, cheap: chat.cheap, strong: chat.strong, pricedCheap: chat.pricedCheap, costUsd: chat.costUsd },
      { requests: 4, cheap: 3, strong: 1, pricedCheap: 2, costUsd: 0.502 },
    );
    assert.equal(chat.usage.inputTokens, 1000);
    assert.deepEqual(chat.longUsage, { inputTokens: 150_000, outputTokens: 10, cacheReadTokens: 60_000, cacheWriteTokens: 0 });
    assert.deepEqual(part.cheapIds, { '2026-11-30': ['a', 'b', 'c'], '2026-11-29': ['g'] });
    // A retry keeps what the reports read, not its reasons or ids.
    assert.deepEqual(part.retries, [{ time: '2026-11-30T10:00:00.000Z', task: 'chat', usage: autoRecord().usage, costUsd: 0.004, retryOf: 'a', routing: { mode: 'retry', reasons: [] } }]);

    const merged = new AutoTally();
    merged.merge(part, '2026-11-30');
    merged.merge(part, '2026-11-30');
    const twice = merged.list();
    assert.deepEqual(twice.cells.map((cell) => [cell.task, cell.requests]), [['chat', 8]]);
    assert.deepEqual(twice.cheapIds, { '2026-11-30': ['a', 'b', 'c', 'a', 'b', 'c'] });
    assert.equal(twice.retries.length, 2);
  });

  it('does not trust a cached Auto part that is malformed: the file is read again', async () => {
    const file = path.join(dir.path, 'ledger.jsonl');
    const records = Array.from({ length: 300 }, (_, i) => autoRecord({ id: `r${i}`, time: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z` }));
    await writeFile(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const first = await aggregateLedger(file);
    const summary = JSON.parse(await readFile(autoPartPath(file), 'utf8')) as { auto: { cells: Array<{ cheap: number }> } };
    assert.equal(first.auto.cells.reduce((total, cell) => total + cell.cheap, 0), 300);
    summary.auto.cells[0]!.cheap = -5;
    await writeFile(autoPartPath(file), JSON.stringify(summary));
    const again = await aggregateLedger(file);
    assert.equal(again.auto.cells.reduce((total, cell) => total + cell.cheap, 0), 300);
    assert.deepEqual(again.cells, first.cells);
  });
});
