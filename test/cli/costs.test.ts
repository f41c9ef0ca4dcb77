import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CSV_COLUMNS } from '../../src/core/costs/costCsv';
import { cli, dir, baseEnv, useCliFixture, ledgerRecord, oneErrorLine } from './cliFixture';
import { runCli } from './cliHarness';

/** `switchboard costs` on the built CLI: totals, --by, --since/--until, --csv, served ghost text, damaged lines. */
describe('switchboard costs', function () {
  this.timeout(20_000);
  useCliFixture();

  const day = (date: number, hour = 12) => new Date(2026, 6, date, hour);
  const records = [
    ledgerRecord(day(20), { costUsd: 0.01 }),
    ledgerRecord(day(22), { task: 'plan', model: 'claude-opus-5', requestedModel: 'anthropic:claude-opus-5', costUsd: 0.25 }),
    ledgerRecord(day(23), {
      task: 'completion',
      provider: 'openai',
      model: 'gpt-5.4-nano',
      requestedModel: 'openai:gpt-5.4-nano',
      usage: { inputTokens: 300, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 },
      costUsd: 0.0001,
    }),
    ledgerRecord(day(23, 18), { provider: 'local', model: 'llama3:8b', requestedModel: 'local:llama3:8b', costUsd: null }),
  ];
  let ledger: string;

  before(async () => {
    ledger = path.join(dir, 'costs.jsonl');
    await writeFile(ledger, records.map((record) => JSON.stringify(record) + '\n').join(''));
  });

  it('totals the ledger as JSON, by model and by task', async () => {
    const result = await runCli(cli, ['costs', '--json', '--ledger', ledger], { env: baseEnv });

    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as {
      totalUsd: number;
      requests: number;
      unpricedRequests: number;
      byModel: Record<string, { requests: number; costUsd: number; inputTokens: number; unpriced: number }>;
      byTask: Record<string, { requests: number; costUsd: number; unpriced: number }>;
    };
    assert.equal(summary.totalUsd, 0.2601);
    assert.equal(summary.requests, 4);
    assert.equal(summary.unpricedRequests, 1);
    assert.deepEqual(Object.keys(summary.byModel).sort(), [
      'anthropic:claude-opus-5',
      'anthropic:claude-sonnet-5',
      'local:llama3:8b',
      'openai:gpt-5.4-nano',
    ]);
    assert.equal(summary.byModel['openai:gpt-5.4-nano']?.inputTokens, 300);
    assert.equal(summary.byModel['local:llama3:8b']?.unpriced, 1);
    assert.deepEqual(summary.byTask, {
      completion: { requests: 1, costUsd: 0.0001, unpriced: 0 },
      chat: { requests: 2, costUsd: 0.01, unpriced: 1 },
      plan: { requests: 1, costUsd: 0.25, unpriced: 0 },
    });
  });

  it('says "unpriced" for a task whose requests have no price, never $0.00, and leaves out a task with none', async () => {
    const local = path.join(dir, 'local-only.jsonl');
    const chat = ledgerRecord(day(23), { provider: 'local', model: 'llama3:8b', requestedModel: 'local:llama3:8b', costUsd: null });
    await writeFile(local, [chat, { ...chat, task: 'plan' as const }, ledgerRecord(day(23), { task: 'plan' })].map((r) => JSON.stringify(r) + '\n').join(''));

    const result = await runCli(cli, ['costs', '--ledger', local], { env: baseEnv });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^chat\s+1\s+unpriced$/m);
    assert.match(result.stdout, /^plan\s+2\s+\$0\.01 \(\+1 unpriced\)$/m);
    // Which requests the total leaves out, and why.
    // The CLI's way to a price, its --config file's key, not the editor's setting.
    assert.match(result.stdout, /^Unpriced, not in the total: local:llama3:8b \(2 requests\): not in the price table \(of \d{4}-\d{2}-\d{2}\) or "prices" in a --config file \(give it a price there/m);
    assert.doesNotMatch(result.stdout, /switchboard\.prices/);
    // A task with no request in the range is left out of the task table, not listed as $0.00.
    const taskTable = result.stdout.slice(result.stdout.indexOf('\ntask ') + 1, result.stdout.indexOf('\nTotal:'));
    assert.deepEqual(taskTable.trim().split('\n').map((line) => line.split(/\s+/)[0]), ['task', 'chat', 'plan']);
    const json = JSON.parse((await runCli(cli, ['costs', '--json', '--ledger', local], { env: baseEnv })).stdout) as { byTask: Record<string, { requests: number }>; unpricedModels: { model: string; requests: number; reason: string }[] };
    assert.equal(json.byTask['completion']?.requests, 0, '--json keeps every task, for scripts');
    assert.deepEqual(json.unpricedModels.map(({ model, requests }) => [model, requests]), [['local:llama3:8b', 2]]);
    assert.match(json.unpricedModels[0]!.reason, /^not in the price table/);
  });

  it('prints names from the ledger without their control characters', async () => {
    const odd = path.join(dir, 'escapes.jsonl');
    await writeFile(odd, JSON.stringify(ledgerRecord(day(23), { model: 'nova\u001b]0;owned\u0007', requestedModel: 'bedrock:router' })) + '\n');
    const result = await runCli(cli, ['costs', '--ledger', odd, '--by', 'model'], { env: baseEnv });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /\p{Cc}(?<!\n)/u);
    assert.match(result.stdout, /^anthropic:nova\?\]0;owned\?\s/m);
  });

  it('prints a table with the total, counting from --since', async () => {
    const result = await runCli(cli, ['costs', '--since', '2026-07-22', '--ledger', ledger], { env: baseEnv });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /since 2026-07-22/);
    assert.match(result.stdout, /anthropic:claude-opus-5\s+1\s/);
    assert.doesNotMatch(result.stdout, /^anthropic:claude-sonnet-5\s/m, 'the request of 2026-07-20 is left out');
    assert.match(result.stdout, /Total: \$0\.25 over 3 requests \(1 unpriced, not counted\)/);
    assert.doesNotMatch(result.stdout, /served without a request/, 'no line about what did not happen');
  });

  it('counts the ghost text served without a request in the range, as the dashboard does, in text and --json', async () => {
    const servedLedger = path.join(dir, 'served.jsonl');
    // As the editor writes them: one record a minute, model and kind, with a count; nothing spent.
    const served = (date: number, servedFrom: 'cache' | 'typed-through' | 'inflight', count?: number) =>
      ledgerRecord(day(date), {
        task: 'completion',
        provider: 'openai',
        model: 'gpt-5.4-nano',
        requestedModel: 'openai:gpt-5.4-nano',
        usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
        costUsd: 0,
        latencyMs: 0,
        firstTokenMs: null,
        source: 'vscode',
        servedFrom,
        ...(count === undefined ? {} : { count }),
      });
    await writeFile(servedLedger, [records[2]!, served(21, 'cache', 40), served(23, 'typed-through', 25), served(23, 'inflight')].map((r) => JSON.stringify(r) + '\n').join(''));

    const text = await runCli(cli, ['costs', '--since', '2026-07-22', '--ledger', servedLedger], { env: baseEnv });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Total: \$0\.0001 over 1 request\n/, 'served completions are not requests and cost nothing');
    assert.match(text.stdout, /^Ghost text served without a request: 26 suggestions \(from the cache, typed through, or from a request already under way\), counted, not priced$/m);

    const json = await runCli(cli, ['costs', '--json', '--by', 'day', '--ledger', servedLedger], { env: baseEnv });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { requests: number; servedWithoutRequest: number; groups: Record<string, { requests: number; served: number; costUsd: number }> };
    assert.deepEqual([report.requests, report.servedWithoutRequest], [1, 66]);
    // A day with only served completions is a group too: its count, no requests, nothing spent.
    assert.deepEqual(
      Object.entries(report.groups).map(([key, line]) => [key, line.requests, line.served, line.costUsd]),
      [['2026-07-21', 0, 40, 0], ['2026-07-23', 1, 26, 0.0001]],
    );

    // --by task: a served column, on the completion line; the same counts in --json.
    const byTask = await runCli(cli, ['costs', '--by', 'task', '--ledger', servedLedger], { env: baseEnv });
    assert.equal(byTask.code, 0, byTask.stderr);
    const rows = byTask.stdout.split('\n').filter((line) => /^(task|completion|chat|plan)\b/.test(line)).map((line) => line.trim().split(/\s+/));
    assert.deepEqual(rows[0], ['task', 'requests', 'served', 'input', 'output', 'cost']);
    assert.deepEqual(rows.slice(1), [['completion', '1', '66', '300', '20', '$0.0001']]);
    const byTaskJson = JSON.parse((await runCli(cli, ['costs', '--by', 'task', '--json', '--ledger', servedLedger], { env: baseEnv })).stdout) as typeof report;
    assert.deepEqual(byTaskJson.groups, { completion: { requests: 1, served: 66, inputTokens: 300, outputTokens: 20, costUsd: 0.0001, unpriced: 0 } });
    // Without any served in the range, no served column.
    const plain = await runCli(cli, ['costs', '--by', 'task', '--ledger', ledger], { env: baseEnv });
    assert.match(plain.stdout, /^task +requests +input +output +cost$/m);

    const one = await runCli(cli, ['costs', '--since', '2026-07-21', '--until', '2026-07-22', '--ledger', servedLedger], { env: baseEnv });
    assert.match(one.stdout, /Total: \$0\.00 over 0 requests\n/);
    assert.match(one.stdout, /^Ghost text served without a request: 40 suggestions /m);
    const oneServed = path.join(dir, 'served-one.jsonl');
    await writeFile(oneServed, JSON.stringify(served(23, 'cache')) + '\n');
    const single = await runCli(cli, ['costs', '--ledger', oneServed], { env: baseEnv });
    assert.match(single.stdout, /^Ghost text served without a request: 1 suggestion \(/m);
  });

  it('counts up to --until, totals --by day, and says what routing saved as the dashboard does', async () => {
    const result = await runCli(cli, ['costs', '--since', '2026-07-20', '--until', '2026-07-22', '--by', 'day', '--ledger', ledger], { env: baseEnv });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /since 2026-07-20 until 2026-07-22/);
    assert.match(result.stdout, /^2026-07-20\s+1\s+\d+\s+\d+\s+\$0\.01$/m);
    assert.match(result.stdout, /^2026-07-22\s+1\s+\d+\s+\d+\s+\$0\.25$/m);
    assert.doesNotMatch(result.stdout, /2026-07-23/, 'the requests of 2026-07-23 are after --until');
    assert.match(result.stdout, /Total: \$0\.26 over 2 requests\n/);
    // No Auto here: each request went to the model it was sent to, so routing chose nothing cheaper (before, these
    // were priced at the strong tier and read "Routing cost an extra $0.246", a fallback's price counted as routing's).
    assert.match(result.stdout, /^Routing saved \$0\.00: it chose no cheaper model than each route's strong tier \(completion: [^;]*; chat: [^;]*; plan: [^)]*\) for these requests\. Only Auto's choices of the cheap tier are compared /m);
  });

  it('prints --by provider and --json with the groups and the savings', async () => {
    const result = await runCli(cli, ['costs', '--by', 'provider', '--json', '--ledger', ledger], { env: baseEnv });

    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { by: string; groups: Record<string, { requests: number; inputTokens: number; outputTokens: number; costUsd: number; unpriced: number }>; savings: { actualUsd: number; strongUsd: number; savedUsd: number } };
    assert.equal(report.by, 'provider');
    assert.deepEqual(Object.keys(report.groups), ['anthropic', 'local', 'openai']);
    assert.deepEqual(report.groups['anthropic'], { requests: 2, served: 0, inputTokens: 2000, outputTokens: 400, costUsd: 0.26, unpriced: 0 });
    assert.equal(report.groups['local']?.unpriced, 1);
    assert.equal(report.savings.actualUsd, 0.2601);
    assert.equal(report.savings.savedUsd, Math.round((report.savings.strongUsd - report.savings.actualUsd) * 1e12) / 1e12);
  });

  it('writes --csv: one row per request of the range, with the ledger\'s fields', async () => {
    const result = await runCli(cli, ['costs', '--csv', '--since', '2026-07-22', '--ledger', ledger], { env: baseEnv });

    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\r\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines.length, 1 + 3);
    const cost = CSV_COLUMNS.indexOf('costUsd');
    assert.deepEqual(lines.slice(1).map((line) => line.split(',')[cost]), ['0.25', '0.0001', '']);
  });

  it('says plainly when nothing is recorded, in the ledger or in the range, rather than print empty tables', async () => {
    const missing = await runCli(cli, ['costs', '--ledger', path.join(dir, 'never-written.jsonl')], { env: baseEnv });
    assert.equal(missing.code, 0, missing.stderr);
    // A path with no file (mistyped, or never written) is said to be one, not read as an empty ledger.
    assert.equal(
      missing.stdout,
      `Ledger: ${path.join(dir, 'never-written.jsonl')}\n\nNo requests recorded: there is no ledger file at this path yet (the first request writes it; check the path if you meant an existing one).\n`,
    );
    const empty = path.join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    assert.equal((await runCli(cli, ['costs', '--ledger', empty], { env: baseEnv })).stdout, `Ledger: ${empty}\n\nNo requests recorded in this ledger yet.\n`);
    const outside = await runCli(cli, ['costs', '--since', '2026-07-01', '--until', '2026-07-10', '--ledger', ledger], { env: baseEnv });
    assert.equal(outside.code, 0, outside.stderr);
    assert.equal(outside.stdout, `Ledger: ${ledger} since 2026-07-01 until 2026-07-10\n\nNo requests recorded in this range.\n`);
    // One request is one request.
    const single = path.join(dir, 'single.jsonl');
    await writeFile(single, JSON.stringify(records[0]) + '\n');
    assert.match((await runCli(cli, ['costs', '--ledger', single], { env: baseEnv })).stdout, /^Total: \$0\.01 over 1 request$/m);
  });

  it('names a wrong --by, an --until before --since and --csv with --json', async () => {
    const wrongBy = await runCli(cli, ['costs', '--by', 'week', '--ledger', ledger], { env: baseEnv });
    assert.equal(wrongBy.code, 2);
    assert.equal(oneErrorLine(wrongBy), 'switchboard: --by "week" is not one of day, model, task, provider');
    const backwards = await runCli(cli, ['costs', '--since', '2026-07-22', '--until', '2026-07-20', '--ledger', ledger], { env: baseEnv });
    assert.equal(oneErrorLine(backwards), 'switchboard: --until 2026-07-20 is before --since 2026-07-22');
    const both = await runCli(cli, ['costs', '--csv', '--json', '--ledger', ledger], { env: baseEnv });
    assert.equal(oneErrorLine(both), 'switchboard: --csv writes one row per request: it takes no --json or --by');
    const badUntil = await runCli(cli, ['costs', '--until', '2026-13-01', '--ledger', ledger], { env: baseEnv });
    assert.equal(oneErrorLine(badUntil), 'switchboard: --until "2026-13-01" is not a date (expected YYYY-MM-DD)');
  });

  it('rejects a --since that is not a date', async () => {
    const result = await runCli(cli, ['costs', '--since', '2026-02-30', '--ledger', ledger], { env: baseEnv });
    assert.equal(result.code, 2);
    assert.equal(oneErrorLine(result), 'switchboard: --since "2026-02-30" is not a date (expected YYYY-MM-DD)');
  });

  it('warns about a corrupt line and still totals the rest', async () => {
    const damaged = path.join(dir, 'damaged.jsonl');
    const [first, second] = [records[0]!, records[1]!];
    await writeFile(damaged, `${JSON.stringify(first)}\n{"v":1,"time":\n${JSON.stringify(second)}\n`);

    const result = await runCli(cli, ['costs', '--json', '--ledger', damaged], { env: baseEnv });

    assert.equal(result.code, 0);
    assert.equal(oneErrorLine(result), `switchboard: warning: ${damaged}:2: skipped a line that is not JSON`);
    const summary = JSON.parse(result.stdout) as { requests: number; totalUsd: number };
    assert.deepEqual([summary.requests, summary.totalUsd], [2, 0.26]);
  });

  it('warns about a line that is JSON but not a record, naming file and line', async () => {
    const odd = path.join(dir, 'odd.jsonl');
    await writeFile(odd, `${JSON.stringify(records[0])}\n{"v":1,"task":"chat","costUsd":"lots"}\n`);
    const result = await runCli(cli, ['costs', '--json', '--ledger', odd], { env: baseEnv });
    assert.equal(result.code, 0);
    assert.equal(oneErrorLine(result), `switchboard: warning: ${odd}:2: skipped a line that is not a ledger record: "time" must be an ISO date`);
    assert.equal((JSON.parse(result.stdout) as { requests: number }).requests, 1);
  });
});
