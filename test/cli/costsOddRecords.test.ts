import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { localDay } from '../../src/core/localDay';
import { record } from '../core/costs/cells';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/** `switchboard costs` over a ledger written (or mended) by hand: records a report ending today cannot hold. */
describe('switchboard costs over odd records', () => {

  useTempFolder('costs-odd');

  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);

  it('says how many requests are dated after today and how to include them, rather than leave them out unsaid', async () => {
    const ledger = path.join(dir, 'ahead.jsonl');
    const records = [
      record({ id: 'now', time: new Date().toISOString(), costUsd: 0.25 }),
      // A clock set 40 days ahead where these were recorded.
      record({ id: 'ahead-1', time: day(40).toISOString(), costUsd: 5 }),
      record({ id: 'ahead-2', time: day(41).toISOString(), costUsd: 1 }),
    ];
    await writeFile(ledger, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const text = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Total: \$0\.25 over 1 request$/m);
    const [first, last, today] = [localDay(day(40)), localDay(day(41)), localDay(new Date())];
    assert.match(text.stdout, new RegExp(`^Not in the figures above: 2 requests \\(\\$6\\.00\\) dated after today, ${today} \\(${first} to ${last}\\), as recorded where the clock read ahead; --until ${last} includes them$`, 'm'));
    const json = JSON.parse((await runInProcess(['costs', '--json', '--ledger', ledger], { cwd: dir })).stdout) as { datedAhead?: unknown };
    assert.deepEqual(json.datedAhead, { requests: 2, costUsd: 6, first, last });
    // As it says: with --until they are in the figures, and nothing is said apart.
    const until = await runInProcess(['costs', '--ledger', ledger, '--until', last], { cwd: dir });
    assert.match(until.stdout, /^Total: \$6\.25 over 3 requests$/m);
    assert.doesNotMatch(until.stdout, /dated after today/);
  });

  it('says so when the only records are dated ahead, not just "No requests recorded"', async () => {
    const ledger = path.join(dir, 'only-ahead.jsonl');
    await writeFile(ledger, `${JSON.stringify(record({ id: 'ahead', time: day(3).toISOString(), costUsd: 0.5 }))}\n`);
    const text = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.match(text.stdout, /^No requests recorded in this ledger yet\.\nNot in the figures above: 1 request \(\$0\.50\) dated after today, .*; --until \S+ includes it$/m);
  });

  it('counts a record with a negative cost at its tokens × the table\'s rates, skips a cut last line, and names the file and line of each', async () => {
    const ledger = path.join(dir, 'mended.jsonl');
    const good = JSON.stringify(record({ id: 'good', time: new Date().toISOString(), costUsd: 0.25 }));
    const negative = JSON.stringify(record({ id: 'negative', time: new Date().toISOString(), costUsd: -3 }));
    await writeFile(ledger, `${good}\n${negative}\n${good.slice(0, 40)}`);
    const text = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.equal(text.code, 0);
    // claude-sonnet-5's 100 tokens in and 50 out: $0.0007 beside the good record's $0.25.
    assert.match(text.stdout, /^Total: \$0\.25 over 2 requests$/m);
    assert.match(text.stderr, /mended\.jsonl:2: the recorded cost -3 is not a cost \(a number of dollars >= 0\): counted at its tokens × its model's rates instead, \$0\.0007$/m);
    assert.match(text.stderr, /mended\.jsonl:3: skipped the last line, which is incomplete \(a write was cut off\)/);
  });

  it('believes a cost of a model priced in the --config above the table\'s dearest rate, which the table alone does not', async () => {
    const ledger = path.join(dir, 'dear.jsonl');
    const usage = { inputTokens: 10_000, outputTokens: 10_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
    await writeFile(ledger, `${JSON.stringify(record({ id: 'dear', time: new Date().toISOString(), provider: 'custom', model: 'big', requestedModel: 'custom:big', usage, costUsd: 60 }))}\n`);
    const config = path.join(dir, 'dear.json');
    await writeFile(config, JSON.stringify({ prices: { 'custom:big': { input: 1000, output: 5000 } } }));
    const priced = await runInProcess(['costs', '--ledger', ledger, '--config', config], { cwd: dir });
    assert.equal(priced.code, 0, priced.stderr);
    assert.match(priced.stdout, /^Total: \$60\.00 over 1 request$/m);
    assert.doesNotMatch(priced.stderr, /recorded cost/);
    // Without the file the table alone judges it: more than 20,000 tokens could cost at its dearest rate.
    const shipped = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.match(shipped.stdout, /^Total: \$0\.00 over 1 request \(1 unpriced, not counted\)$/m);
    assert.match(shipped.stderr, /dear\.jsonl:1: the recorded cost 60 is more than 20,000 tokens could cost at any price/);
  });

  it('judges by each run\'s own --config when two runs share one process at once', async () => {
    const ledger = path.join(dir, 'dear-at-once.jsonl');
    const usage = { inputTokens: 10_000, outputTokens: 10_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
    await writeFile(ledger, `${JSON.stringify(record({ id: 'dear', time: new Date().toISOString(), provider: 'custom', model: 'big', requestedModel: 'custom:big', usage, costUsd: 60 }))}\n`);
    const config = path.join(dir, 'dear-at-once.json');
    await writeFile(config, JSON.stringify({ prices: { 'custom:big': { input: 1000, output: 5000 } } }));
    // Both orders: before, the prices were the process's, set by whichever run loaded its config last.
    for (const pricedFirst of [true, false]) {
      const runs = [runInProcess(['costs', '--json', '--ledger', ledger, '--config', config], { cwd: dir }), runInProcess(['costs', '--json', '--ledger', ledger], { cwd: dir })];
      const [priced, shipped] = pricedFirst ? await Promise.all(runs) : (await Promise.all([...runs].reverse())).reverse();
      const [pricedJson, shippedJson] = [priced!, shipped!].map((run) => JSON.parse(run.stdout) as { totalUsd: number; unpricedRequests: number });
      assert.equal(pricedJson!.totalUsd, 60, `priced first: ${pricedFirst}`);
      assert.equal(shippedJson!.totalUsd, 0, `priced first: ${pricedFirst}`);
      assert.equal(shippedJson!.unpricedRequests, 1);
    }
  });

  it('says skipped lines once, with how many and the first, not a warning per line', async () => {
    const ledger = path.join(dir, 'garbled.jsonl');
    const good = JSON.stringify(record({ id: 'good', time: new Date().toISOString(), costUsd: 0.25 }));
    await writeFile(ledger, `${good}\nnot json\n{"v":1}\nnot json either\n`);
    const text = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.equal(text.code, 0);
    assert.equal(
      text.stderr,
      `switchboard: warning: 3 lines of the ledger were skipped; the first: ${ledger}:2: skipped a line that is not JSON\n`,
    );
  });

  it('says a bad line\'s warning in every run, not only the first run in this process (once per run\'s stderr)', async () => {
    const ledger = path.join(dir, 'twice.jsonl');
    const good = JSON.stringify(record({ id: 'good', time: new Date().toISOString(), costUsd: 0.25 }));
    await writeFile(ledger, `${good}\nnot json\n`);
    const expected = `switchboard: warning: ${ledger}:2: skipped a line that is not JSON\n`;
    const first = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    const second = await runInProcess(['costs', '--ledger', ledger], { cwd: dir });
    assert.equal(first.stderr, expected);
    assert.equal(second.stderr, expected);
  });
});
