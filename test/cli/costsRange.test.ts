import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { localDay } from '../../src/core/localDay';
import { record } from '../core/costs/cells';
import { dir, useTempFolder } from './cliFixture';
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
  let ledger: string;

  useTempFolder('costs-range');
  before(async () => {
    ledger = path.join(dir, 'ledger.jsonl');
    const spent = [
      [0, 0.5],
      [6, 0.25],
      [7, 2],
      [40, 8],
    ] as const;
    await writeFile(ledger, spent.map(([days, costUsd], at) => JSON.stringify(record({ id: `r${at}`, time: daysAgo(days).toISOString(), costUsd })) + '\n').join(''));
  });

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

  it('takes calendar days in local time, not the last 7×24 hours, and says so in its help', async () => {
    const edges = path.join(dir, 'edges.jsonl');
    // 23:59 seven local days ago is inside the last 168 hours at almost any time of day, but not in "today and the
    // six days before"; 00:01 six days ago is in both.
    const lateSevenDaysAgo = daysAgo(7);
    lateSevenDaysAgo.setHours(23, 59, 0, 0);
    const earlySixDaysAgo = daysAgo(6);
    earlySixDaysAgo.setHours(0, 1, 0, 0);
    await writeFile(edges, [record({ id: 'e0', time: lateSevenDaysAgo.toISOString(), costUsd: 2 }), record({ id: 'e1', time: earlySixDaysAgo.toISOString(), costUsd: 0.25 })].map((r) => JSON.stringify(r) + '\n').join(''));
    const week = await runInProcess(['costs', '--ledger', edges, '--range', '7d'], { cwd: dir });
    assert.match(week.stdout, /^Total: \$0\.25 over 1 request$/m);
    const help = await runInProcess(['costs', '--help'], { cwd: dir });
    assert.match((help.stdout + help.stderr).replace(/\s*\n\s*/g, ' '), /--range 7d is today and the 6 days before it, as on the dashboard, not the last 7×24 hours/);
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
    await writeFile(refused, [record({ id: 'x0', time: today, costUsd: 0.5, routing: { mode: 'auto', tier: 'cheap', score: 0.1, reasons: [] } }), refusal].map((r) => JSON.stringify(r) + '\n').join(''));
    const text = await runInProcess(['costs', '--ledger', refused], { cwd: dir });
    assert.match(text.stdout, /^Total: \$0\.50 over 2 requests \(1 answered, 1 failed or refused\)$/m);
    const json = JSON.parse((await runInProcess(['costs', '--ledger', refused, '--json'], { cwd: dir })).stdout) as { requests: number; failedRequests: number; savings: { comparedRequests: number } };
    assert.deepEqual([json.requests, json.failedRequests], [2, 1]);
    // The refusal used no token: it has nothing to price at the strong tier, so it is not a compared request.
    assert.equal(json.savings.comparedRequests, 1);
  });

  it('names the cancelled requests as the dashboard does, and what the total holds that bought no answer', async () => {
    const mixed = path.join(dir, 'mixed.jsonl');
    const today = daysAgo(0).toISOString();
    const used = { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const records = [
      record({ id: 'm0', time: today, costUsd: 0.5 }),
      // A fallback: the first model's stream broke after the provider had billed it; the second answered.
      record({ id: 'm1', time: today, costUsd: 0.3, attempts: [{ provider: 'openai', model: 'gpt-5.4', error: 'stream cut', usage: used, costUsd: 0.1 }] }),
      // A stream cut mid-answer at every model: billed, no answer.
      record({ id: 'm2', time: today, costUsd: 0.02, outcome: 'error', error: 'stream cut', usage: used }),
      record({ id: 'm3', time: today, costUsd: 0, outcome: 'error', error: 'daily budget reached', usage: none }),
      record({ id: 'm4', time: today, costUsd: 0.04, outcome: 'cancelled', usage: used }),
    ];
    await writeFile(mixed, records.map((r) => JSON.stringify(r) + '\n').join(''));
    const text = await runInProcess(['costs', '--ledger', mixed], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Total: \$0\.86 over 5 requests \(2 answered, 2 failed or refused, 1 cancelled; \$0\.12 of it billed for failed attempts and cut streams\)$/m);
    const json = JSON.parse((await runInProcess(['costs', '--ledger', mixed, '--json'], { cwd: dir })).stdout) as Record<string, unknown>;
    assert.deepEqual([json.requests, json.failedRequests, json.cancelledRequests, json.failedUsd], [5, 2, 1, 0.12]);
  });

  it('refuses a range it does not know, and --range beside --since or --until, naming them', async () => {
    const unknown = await costs('--range', 'week');
    assert.deepEqual([unknown.code, unknown.stderr.trim()], [2, 'switchboard: --range "week" is not one of today, 7d, 30d, month, all (did you mean 7d?)']);
    const both = await costs('--range', '7d', '--until', localDay(daysAgo(0)));
    assert.deepEqual([both.code, both.stderr.trim()], [2, 'switchboard: --range sets both ends of the range: give it, or --since and --until, not both']);
  });
});
