import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localDay } from '../../src/core/localDay';
import { record } from '../core/costs/cells';
import { runInProcess } from './inProcess';

/** Noon, local time, `daysAgo` local days before today. */
function daysAgo(days: number): Date {
  const time = new Date();
  time.setHours(12, 0, 0, 0);
  time.setDate(time.getDate() - days);
  return time;
}

/** `switchboard costs --range`: the dashboard's ranges, so "this week" needs no date worked out. */
describe('switchboard costs --range', () => {
  let dir: string;
  let ledger: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-costs-range-'));
    ledger = path.join(dir, 'ledger.jsonl');
    const spent = [
      [0, 0.5],
      [6, 0.25],
      [7, 2],
      [40, 8],
    ] as const;
    await writeFile(ledger, spent.map(([days, costUsd], at) => JSON.stringify(record({ id: `r${at}`, time: daysAgo(days).toISOString(), costUsd })) + '\n').join(''));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const costs = (...args: string[]) => runInProcess(['costs', '--ledger', ledger, ...args], { cwd: dir });

  it('totals the last 7 days (today and the six before) as the dashboard does, and names the range with its days', async () => {
    const week = await costs('--range', '7d');
    assert.equal(week.code, 0, week.stderr);
    assert.match(week.stdout, new RegExp(`^Ledger: .*, last 7 days \\(${localDay(daysAgo(6))} to ${localDay(daysAgo(0))}\\)$`, 'm'));
    assert.match(week.stdout, /^Total: \$0\.75 over 2 requests$/m);
    const same = await costs('--since', localDay(daysAgo(6)), '--json');
    const json = JSON.parse((await costs('--range', '7d', '--json')).stdout) as { totalUsd: number; range: string; since: string };
    assert.deepEqual([json.totalUsd, json.range, json.since], [(JSON.parse(same.stdout) as { totalUsd: number }).totalUsd, '7d', localDay(daysAgo(6))]);
  });

  it('takes today, 30d, month and all; CSV of the range too', async () => {
    assert.match((await costs('--range', 'today')).stdout, /^Total: \$0\.50 over 1 request$/m);
    assert.match((await costs('--range', '30d')).stdout, /^Total: \$2\.75 over 3 requests$/m);
    assert.match((await costs('--range', 'all')).stdout, /^Total: \$10\.75 over 4 requests$/m);
    const month = await costs('--range', 'month');
    assert.match(month.stdout, /, this month \(\d{4}-\d{2}-01 to /);
    const csv = await costs('--range', '7d', '--csv');
    assert.deepEqual(csv.stdout.trim().split('\n').slice(1).map((row) => row.split(',')[0]).sort(), ['r0', 'r1']);
  });

  it('says how many of the requests counted failed or were refused, so the count is not read as answers', async () => {
    const refused = path.join(dir, 'refused.jsonl');
    const today = daysAgo(0).toISOString();
    // As the router records a question a budget refused: no model asked, nothing spent.
    const refusal = record({ id: 'x1', time: today, provider: 'openai', model: 'gpt-5.4', requestedModel: 'openai:gpt-5.4', costUsd: 0, outcome: 'error', error: 'daily budget reached', usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    await writeFile(refused, [record({ id: 'x0', time: today, costUsd: 0.5 }), refusal].map((r) => JSON.stringify(r) + '\n').join(''));
    const text = await runInProcess(['costs', '--ledger', refused], { cwd: dir });
    assert.match(text.stdout, /^Total: \$0\.50 over 2 requests \(1 failed or refused\)$/m);
    const json = JSON.parse((await runInProcess(['costs', '--ledger', refused, '--json'], { cwd: dir })).stdout) as { requests: number; failedRequests: number };
    assert.deepEqual([json.requests, json.failedRequests], [2, 1]);
  });

  it('refuses a range it does not know, and --range beside --since or --until, naming them', async () => {
    const unknown = await costs('--range', 'week');
    assert.deepEqual([unknown.code, unknown.stderr.trim()], [2, 'switchboard: --range "week" is not one of today, 7d, 30d, month, all']);
    const both = await costs('--range', '7d', '--until', localDay(daysAgo(0)));
    assert.deepEqual([both.code, both.stderr.trim()], [2, 'switchboard: --range sets both ends of the range: give it, or --since and --until, not both']);
  });
});
