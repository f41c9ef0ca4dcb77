import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CostIndex, TOP_REQUESTS } from '../../../src/core/costs/costIndex';
import { roundUsd } from '../../../src/core/cost';
import { exportCsv } from '../../../src/core/costs/costExport';
import type { LedgerRecord } from '../../../src/core/ledger';
import { summarizeAuto } from '../../../src/core/routing/autoReport';
import { record } from './cells';

const RANGE = { from: '2026-07-01', to: '2026-07-31' };
const noStrongTier = () => undefined;

function line(value: LedgerRecord): string {
  return JSON.stringify(value) + '\n';
}

describe('cost index (the dashboard over the ledger)', () => {
  it('counts the requests recorded before any was answered, until one is (refusals for want of a provider are records too)', () => {
    const index = new CostIndex();
    assert.equal(index.unansweredOnly, 0, 'an empty ledger');
    const refused = { outcome: 'error' as const, costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, error: 'no usable credentials for any model of the chat route (…)' };
    index.add(record({ ...refused, time: '2026-07-25T10:00:00.000Z' }));
    index.add(record({ ...refused, time: '2026-07-25T10:01:00.000Z', task: 'plan', model: 'claude-opus-5' }));
    assert.equal(index.unansweredOnly, 2);
    assert.equal(index.records, 2);
    // A failure the provider billed (a stream broken after its first tokens) cost something: no longer a first run.
    const billed = new CostIndex();
    billed.add(record({ ...refused, costUsd: 0.01 }));
    assert.equal(billed.unansweredOnly, undefined);
    index.add(record({ time: '2026-07-26T10:00:00.000Z', costUsd: 0.25 }));
    assert.equal(index.unansweredOnly, undefined, 'an answer');
  });


  it('finds the costliest requests of any range and filter among its cells\' own', () => {
    const index = new CostIndex();
    const records: LedgerRecord[] = [];
    for (let i = 0; i < 40; i++) {
      const day = String(10 + (i % 5)).padStart(2, '0');
      records.push(record({ time: `2026-07-${day}T10:00:00.000Z`, provider: i % 2 ? 'openai' : 'anthropic', model: i % 2 ? 'gpt-5.4' : 'claude-sonnet-5', costUsd: (i * 7919) % 97 / 100 }));
    }
    records.push(record({ costUsd: null, provider: 'local', model: 'llama' }), record({ servedFrom: 'cache', costUsd: 0 }));
    for (const r of records) index.add(r);
    assert.equal(index.records, 42);

    const all = index.report({ range: RANGE, strongPrice: noStrongTier });
    const expected = records.filter((r) => r.costUsd !== null && !r.servedFrom).map((r) => r.costUsd!).sort((a, b) => b - a).slice(0, TOP_REQUESTS);
    assert.deepEqual(all.top.map((row) => row.costUsd), expected);
    assert.equal(all.view.totals.requests, 41);
    assert.equal(all.view.totals.unpriced, 1);

    const openai = index.report({ range: { from: '2026-07-11', to: '2026-07-12' }, filters: { providers: ['openai'] }, strongPrice: noStrongTier });
    const wanted = records.filter((r) => r.provider === 'openai' && r.time >= '2026-07-11' && r.time < '2026-07-13').map((r) => r.costUsd!).sort((a, b) => b - a).slice(0, TOP_REQUESTS);
    assert.deepEqual(openai.top.map((row) => row.costUsd), wanted);
    assert.ok(openai.top.every((row) => row.provider === 'openai'));
  });

  it('counts a retry on the strong tier as routing\'s cost, as Auto\'s own figure does', () => {
    const strong = { input: 3, output: 15, source: 'test' };
    const strongPrice = () => strong;
    const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const cheap = record({ id: 'a', model: 'claude-haiku-4-5', usage, costUsd: 0.0012, routing: { mode: 'auto', tier: 'cheap', reasons: [] } });
    const retry = record({ id: 'b', usage, costUsd: 0.0045, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'a' });
    const index = new CostIndex();
    index.add(cheap);
    index.add(retry);
    const { savings } = index.report({ range: RANGE, strongPrice }).view;
    // On the strong tier first: one answer at $0.0045, never retried. Routing paid $0.0012 + $0.0045.
    assert.equal(savings.strongUsd, 0.0045);
    assert.equal(savings.savedUsd, roundUsd(0.0045 - 0.0057));
    assert.equal(savings.savedUsd, summarizeAuto([cheap, retry], strongPrice).savedUsd);
  });

  it('leaves a retry of an unpriced cheap answer out of the saving with that answer, as Auto\'s own figure does', () => {
    const strong = { input: 3, output: 15, source: 'test' };
    const strongPrice = () => strong;
    const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const cheap = record({ id: 'a', model: 'claude-haiku-4-5', usage, costUsd: 0.0012, routing: { mode: 'auto', tier: 'cheap', reasons: [] } });
    const local = record({ id: 'l', provider: 'local', model: 'llama3:8b', usage, costUsd: null, routing: { mode: 'auto', tier: 'cheap', reasons: [] } });
    const retry = record({ id: 'b', usage, costUsd: 0.0045, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'l', retryOfUnpriced: true });
    const index = new CostIndex();
    for (const r of [cheap, local, retry]) index.add(r);
    const { savings } = index.report({ range: RANGE, strongPrice }).view;
    // Compared: the priced cheap answer alone ($0.0045 on the strong tier for $0.0012). The local answer has no
    // cost to compare, and its retry goes out with it, at what it cost on both lines (before: -$0.0045 more).
    assert.equal(savings.savedUsd, roundUsd(0.0045 - 0.0012));
    assert.equal(savings.comparedRequests, 1);
    assert.equal(savings.savedUsd, summarizeAuto([cheap, local, retry], strongPrice).savedUsd);
  });

  it('forgets everything on clear', () => {
    const index = new CostIndex();
    index.add(record({}));
    index.clear();
    assert.equal(index.records, 0);
    assert.equal(index.report({ range: RANGE, strongPrice: noStrongTier }).top.length, 0);
  });
});

describe('CSV export', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-export-'));
    file = path.join(dir, 'ledger.jsonl');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exports the CSV of a range and filters, totalled as the dashboard totals it', async () => {
    const records = [record({ time: '2026-07-01T10:00:00.000Z', costUsd: 0.5 }), record({ costUsd: 0.25, provider: 'openai', model: 'gpt-5.4' }), record({ costUsd: 0.125 })];
    await writeFile(file, records.map(line).join(''));
    const csv = await exportCsv(file, { range: { from: '2026-07-20', to: '2026-07-31' }, filters: { providers: ['anthropic'] } });
    assert.equal(csv.rows, 1);
    assert.equal(csv.totalUsd, 0.125);
    const index = new CostIndex();
    for (const r of records) index.add(r);
    assert.equal(index.report({ range: { from: '2026-07-20', to: '2026-07-31' }, filters: { providers: ['anthropic'] }, strongPrice: noStrongTier }).view.totals.costUsd, csv.totalUsd);
    assert.equal(csv.chunks.join('').split('\r\n').filter(Boolean).length, 2);
  });

  it('says how many of its rows are requests, and how many completions the others served without one', async () => {
    const served = { task: 'completion' as const, costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } };
    const records = [
      record({ costUsd: 0.25 }),
      record({ ...served, servedFrom: 'typed-through', count: 40 }),
      record({ ...served, servedFrom: 'cache' }),
      record({ ...served, time: '2026-07-01T10:00:00.000Z', servedFrom: 'inflight', count: 7 }),
    ];
    await writeFile(file, records.map(line).join(''));
    const csv = await exportCsv(file, { range: { from: '2026-07-20', to: '2026-07-31' } });
    assert.deepEqual([csv.rows, csv.requests, csv.served, csv.totalUsd], [3, 1, 41, 0.25]);
    const index = new CostIndex();
    for (const r of records) index.add(r);
    const { totals } = index.report({ range: { from: '2026-07-20', to: '2026-07-31' }, strongPrice: noStrongTier }).view;
    assert.deepEqual([totals.requests, totals.served], [csv.requests, csv.served], 'what the dashboard shows for the same range');
  });
});
