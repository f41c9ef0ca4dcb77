import assert from 'node:assert/strict';
import type { LedgerRecord } from '../../../src/core/ledger';
import { ServedTally } from '../../../src/core/ledger/servedTally';
import { recordProblem } from '../../../src/core/ledger/record';

describe('completions served without a request', () => {
  it('are written as one record per minute, task, model and kind, with how many there were', () => {
    const written: LedgerRecord[] = [];
    let now = Date.parse('2026-11-30T10:15:20.000Z');
    const tally = new ServedTally((record) => written.push(record), () => now, 'vscode');
    const nano = { provider: 'openai', model: 'gpt-5.4-nano' };
    for (let i = 0; i < 120; i++) tally.add('completion', nano, 'typed-through');
    for (let i = 0; i < 7; i++) tally.add('completion', nano, 'cache');
    now += 60_000;
    for (let i = 0; i < 30; i++) tally.add('completion', nano, 'typed-through');
    assert.equal(written.length, 0, 'nothing is written per keystroke');

    tally.flush();
    assert.deepEqual(
      written.map((record) => [record.time, record.servedFrom, record.count]),
      [
        ['2026-11-30T10:15:00.000Z', 'typed-through', 120],
        ['2026-11-30T10:15:00.000Z', 'cache', 7],
        ['2026-11-30T10:16:00.000Z', 'typed-through', 30],
      ],
    );
    for (const record of written) {
      assert.equal(recordProblem(record), undefined);
      assert.deepEqual([record.costUsd, record.provider, record.model, record.source], [0, 'openai', 'gpt-5.4-nano', 'vscode']);
    }
    assert.equal(new Set(written.map((record) => record.id)).size, 3, 'each has its own id');
    tally.flush();
    assert.equal(written.length, 3, 'a flush writes each count once');
  });
});
