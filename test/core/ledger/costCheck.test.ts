import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Ledger } from '../../../src/core/ledger';
import { openCostIndex } from '../../../src/core/costs/costLedger';
import { ledgerPricesOf, SHIPPED_LEDGER_PRICES } from '../../../src/core/ledger/costCheck';
import { localDay } from '../../../src/core/localDay';
import { summaryPath } from '../../../src/core/ledger/ledgerPath';
import { scanFile } from '../../../src/core/ledger/scan';
import { LedgerWarningsOnce } from '../../../src/core/ledger/warningsOnce';
import { Switchboard } from '../../../src/core/switchboard';
import { record } from '../costs/cells';

/**
 * A recorded cost no request could have cost (a hand edit, a corrupted line) is not believed by any reader: counted
 * at its tokens × the price table's rates (claude-sonnet-5: 100 in, 50 out = $0.0007), or as unpriced where no
 * price is known, and named with its file and line; before, a line of 1e20 filled every budget until the month
 * ended and made the dashboard's and `costs`' figures nonsense.
 */
describe('a recorded cost that no request could have cost', () => {
  let dir: string;
  const opened: Switchboard[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-cost-check-'));
  });
  after(async () => {
    for (const switchboard of opened) await switchboard.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const now = () => new Date().toISOString();
  const line = (fields: Parameters<typeof record>[0]) => JSON.stringify(record({ time: now(), ...fields }));

  async function ledgerOf(name: string, lines: string[]): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, lines.map((text) => `${text}\n`).join(''));
    return file;
  }

  it('is counted at its tokens at the table\'s rates, or as unpriced, and each such line is named', async () => {
    const file = await ledgerOf('odd.jsonl', [
      line({ id: 'fine', costUsd: 0.1 }),
      line({ id: 'huge', costUsd: 1e20, costSource: 'price-table' }),
      line({ id: 'nan', provider: 'lan', model: 'llama3.1', requestedModel: 'lan:llama3.1', costUsd: 'NaN' as never }),
      line({ id: 'negative', costUsd: -3 }),
      // JSON reads 1e999 as Infinity.
      line({ id: 'infinite', costUsd: 12345 }).replace('12345', '1e999'),
      line({ id: 'local', provider: 'ollama', model: 'llama3.1', requestedModel: 'ollama:llama3.1', costUsd: 1e20, costSource: 'local' }),
      // Believed: a gateway's own figure up to $1,000, and any cost up to $10 whatever its tokens.
      line({ id: 'gateway', costUsd: 500, costSource: 'gateway', gateway: 'openrouter' }),
      line({ id: 'small', costUsd: 5, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } }),
    ]);
    const totals = await new Ledger(file).aggregate();
    const cost = totals.cells.reduce((sum, cell) => sum + cell.costUsd, 0);
    assert.equal(Number(cost.toFixed(6)), Number((0.1 + 0.0007 * 3 + 500 + 5).toFixed(6)));
    assert.equal(totals.cells.reduce((sum, cell) => sum + cell.unpriced, 0), 1, 'the "NaN" of a model with no price counts as unpriced');
    assert.equal(totals.cells.reduce((sum, cell) => sum + (cell.implausibleCost ?? 0), 0), 5);
    assert.equal(totals.cells.find((cell) => cell.provider === 'ollama')?.costUsd, 0, 'a local record at $0');
    assert.deepEqual(totals.warnings.map((warning) => warning.slice(0, warning.indexOf(': ', file.length + 1))), [2, 3, 4, 5, 6].map((n) => `${file}:${n}`));
    assert.match(totals.warnings[0]!, /:2: the recorded cost 100000000000000000000 is more than 150 tokens could cost at any price \(believed up to \$10\.00\): counted at its tokens × its model's rates instead, \$0\.0007$/);
    assert.match(totals.warnings[1]!, /:3: the recorded cost "NaN" is not a cost \(a number of dollars >= 0\): not counted, as no price is known for lan:llama3\.1/);
    const records = (await new Ledger(file).read()).records;
    assert.deepEqual(records.map((r) => [r.id, r.costUsd, r.implausibleCost]), [
      ['fine', 0.1, undefined],
      ['huge', 0.0007, 'repriced'],
      ['nan', null, 'not-counted'],
      ['negative', 0.0007, 'repriced'],
      ['infinite', 0.0007, 'repriced'],
      ['local', 0, 'repriced'],
      ['gateway', 500, undefined],
      ['small', 5, undefined],
    ]);
  });

  it('replaces a failed attempt\'s implausible cost in the record\'s total too', async () => {
    const attempt = { provider: 'anthropic', model: 'claude-sonnet-5', error: 'stream broke', usage: { inputTokens: 100, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 1e15 };
    const file = await ledgerOf('attempt.jsonl', [line({ id: 'a', attempts: [attempt], costUsd: 1e15 + 0.0007 })]);
    const [only] = (await new Ledger(file).read()).records;
    assert.equal(only?.costUsd, 0.0014);
    assert.equal(only?.attempts[0]?.costUsd, 0.0007);
  });

  it('does not fill a budget: a daily limit of $5 stays open with a line of 1e20 in today\'s ledger', async () => {
    const file = await ledgerOf('budget.jsonl', [line({ id: 'huge', costUsd: 1e20, costSource: 'price-table' })]);
    const { config, problems } = resolveConfig({ budget: { dailyUsd: 5 } });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({ config, source: 'cli', env: {}, ledgerPath: file });
    opened.push(switchboard);
    const warnings = await switchboard.loadToday();
    assert.equal(Number(switchboard.budget.spend().usd('day').toFixed(6)), 0.0007);
    assert.equal(switchboard.budget.gate.statuses()[0]?.level, 'ok');
    assert.match(warnings.join('\n'), /budget\.jsonl:1: the recorded cost 100000000000000000000 is more than/);
  });
});

describe('the ledger\'s warnings told once per line', () => {
  const skipped = (n: number) => `/l/ledger.jsonl:${n}: skipped a line that is not JSON`;
  const cost = (n: number) => `/l/ledger.jsonl:${n}: the recorded cost -3 is not a cost (a number of dollars >= 0): counted at …`;

  it('says what is new as one message per kind with the count and the first line, and nothing already said', () => {
    const once = new LedgerWarningsOnce();
    assert.deepEqual(once.fresh([skipped(3), skipped(7), cost(9), skipped(12)]), [
      `3 lines of the ledger were skipped; the first: ${skipped(3)}`,
      cost(9),
    ]);
    assert.deepEqual(once.fresh([skipped(3), skipped(7), cost(9), skipped(12)]), [], 'a refresh reading the same lines says nothing');
    assert.deepEqual(once.fresh([skipped(3), skipped(20), cost(21), cost(22)]), [skipped(20), `2 lines of the ledger had a recorded cost that is not believed; the first: ${cost(21)}`]);
  });

  it('passes on what is not a line\'s warning every time', () => {
    const once = new LedgerWarningsOnce();
    const failure = '/l/ledger.jsonl: could not read the archived months again after the ledger was replaced (EIO)';
    assert.deepEqual(once.fresh([failure]), [failure]);
    assert.deepEqual(once.fresh([failure]), [failure]);
  });
});

/**
 * The check bounds and reprices with the prices in effect for the reader: the shipped table with the user's
 * (`switchboard.prices` in the editor, `prices` in the CLI's --config). custom:big, priced by the user at $1,000 and
 * $5,000 a million, billed $60 for 10,000 tokens in and 10,000 out: more than those tokens at 16 × the shipped
 * table's dearest rate ($24), so with the table alone it was not believed and counted as unpriced.
 */
describe('a recorded cost of a model the user priced above the table', () => {
  let dir: string;
  const opened: Switchboard[] = [];
  const prices = { 'custom:big': { input: 1000, output: 5000 } };
  const usage = { inputTokens: 10_000, outputTokens: 10_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const big = (fields: Parameters<typeof record>[0]) => JSON.stringify(record({ time: new Date().toISOString(), provider: 'custom', model: 'big', requestedModel: 'custom:big', usage, ...fields }));

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-cost-check-prices-'));
  });
  after(async () => {
    for (const switchboard of opened) await switchboard.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const costOf = (cells: readonly { costUsd: number }[]) => Number(cells.reduce((sum, cell) => sum + cell.costUsd, 0).toFixed(6));
  const unpricedOf = (cells: readonly { unpriced: number }[]) => cells.reduce((sum, cell) => sum + cell.unpriced, 0);

  it('is believed at its own rates, and an implausible one repriced at them', async () => {
    const file = path.join(dir, 'priced.jsonl');
    await writeFile(file, `${big({ id: 'honest', costUsd: 60 })}\n${big({ id: 'huge', costUsd: 1e20 })}\n`);
    const mine = ledgerPricesOf(prices);
    assert.notEqual(mine.key, SHIPPED_LEDGER_PRICES.key, 'new prices');
    assert.equal(ledgerPricesOf({ 'custom:big': { output: 5000, input: 1000 } }).key, mine.key, 'the same prices, written in another order');
    const priced = await new Ledger(file).aggregate({ prices: mine });
    assert.equal(costOf(priced.cells), 120, 'the $60 believed, the 1e20 counted at 10,000 × $1,000 + 10,000 × $5,000 a million');
    assert.equal(unpricedOf(priced.cells), 0);
    assert.equal(priced.warnings.length, 1);
    assert.match(priced.warnings[0]!, /priced\.jsonl:2: the recorded cost 100000000000000000000 is more than 20,000 tokens could cost at any price \(believed up to \$1,600\.00\): counted at its tokens × its model's rates instead, \$60\.00$/);

    const shipped = await new Ledger(file).aggregate();
    assert.equal(costOf(shipped.cells), 0);
    assert.equal(unpricedOf(shipped.cells), 2, 'with the table alone neither has a price to be counted at');
    assert.match(shipped.warnings[0]!, /priced\.jsonl:1: the recorded cost 60 is more than 20,000 tokens could cost at any price \(believed up to \$24\.00\): not counted/);
  });

  it('keeps a summary that holds such a cost for the prices it was judged by, and one that holds none for any', async () => {
    const judged = path.join(dir, 'judged.jsonl');
    await writeFile(judged, `${big({ id: 'honest', costUsd: 60 })}\n`);
    const mine = ledgerPricesOf(prices);
    assert.equal(costOf((await scanFile(judged, { summarizeAfterBytes: 0, prices: mine })).cells), 60);
    const summary = JSON.parse(await readFile(summaryPath(judged), 'utf8')) as { prices?: string };
    assert.equal(summary.prices, mine.key);
    const again = await scanFile(judged, { summarizeAfterBytes: Infinity });
    assert.equal(unpricedOf(again.cells), 1, 'read again from the lines, not from the summary made under other prices');

    const plain = path.join(dir, 'plain.jsonl');
    await writeFile(plain, `${big({ id: 'small', costUsd: 0.5 })}\n`);
    await scanFile(plain, { summarizeAfterBytes: 0 });
    assert.equal((JSON.parse(await readFile(summaryPath(plain), 'utf8')) as { prices?: string }).prices, undefined, 'no cost was judged: good for any prices');
  });

  it('counts in the budgets at the editor\'s prices, and again when they change', async () => {
    const file = path.join(dir, 'budget.jsonl');
    await writeFile(file, `${big({ id: 'honest', costUsd: 60 })}\n`);
    const { config, problems } = resolveConfig({ prices, budget: { dailyUsd: 100 } });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({ config, source: 'vscode', env: {}, ledgerPath: file });
    opened.push(switchboard);
    assert.deepEqual(await switchboard.loadToday(), []);
    assert.equal(switchboard.today().total.costUsd, 60);
    await switchboard.reconfigure(resolveConfig({ budget: { dailyUsd: 100 } }).config);
    assert.equal(switchboard.today().total.costUsd, 0, 'the table alone: not believed, unpriced');
    assert.equal(switchboard.today().total.unpriced, 1);
  });
  /**
   * The prices are the reader's, never the process's: before, they were one module-wide setting, so two cores in
   * one process (the CLI's tests, a window of two roots) read by whichever was made (or reconfigured) last.
   */
  it('judges by each reader\'s own prices when two read one ledger in one process', async () => {
    const file = path.join(dir, 'two-readers.jsonl');
    await writeFile(file, `${big({ id: 'honest', costUsd: 60 })}\n`);
    const budget = { dailyUsd: 100 };
    const priced = await Switchboard.create({ config: resolveConfig({ prices, budget }).config, source: 'vscode', env: {}, ledgerPath: file });
    opened.push(priced);
    // Made after the first, with the table alone: before, this reset the prices the first core read by.
    const shipped = await Switchboard.create({ config: resolveConfig({ budget }).config, source: 'cli', env: {}, ledgerPath: file });
    opened.push(shipped);
    await Promise.all([priced.loadToday(), shipped.loadToday()]);
    assert.equal(priced.today().total.costUsd, 60, 'the core with the prices believes the $60');
    assert.equal(shipped.today().total.costUsd, 0, 'the core with the table alone does not');
    assert.equal(shipped.today().total.unpriced, 1);
    assert.equal(priced.ledgerPrices.key, ledgerPricesOf(prices).key);
    assert.equal(shipped.ledgerPrices.key, SHIPPED_LEDGER_PRICES.key);

    // Reconfiguring one leaves the other's reads alone.
    await shipped.reconfigure(resolveConfig({ prices, budget }).config);
    await priced.reconfigure(resolveConfig({ budget }).config);
    assert.equal(shipped.today().total.costUsd, 60);
    assert.equal(priced.today().total.costUsd, 0);
  });

  it('keeps each reader\'s caches apart when reads with different prices run at once', async () => {
    const file = path.join(dir, 'at-once.jsonl');
    await writeFile(file, `${big({ id: 'honest', costUsd: 60 })}\n`);
    const mine = ledgerPricesOf(prices);
    const [withPrices, alone] = await Promise.all([new Ledger(file).aggregate({ prices: mine }), new Ledger(file).aggregate()]);
    assert.equal(costOf(withPrices.cells), 60);
    assert.equal(unpricedOf(alone.cells), 1);
    // Each read again, from whichever cache the other left: still its own verdict.
    for (let round = 0; round < 2; round++) {
      const [again, aloneAgain] = await Promise.all([scanFile(file, { summarizeAfterBytes: 0, prices: mine }), scanFile(file, { summarizeAfterBytes: 0 })]);
      assert.equal(costOf(again.cells), 60, `round ${round}: the reader with prices`);
      assert.equal(unpricedOf(aloneAgain.cells), 1, `round ${round}: the reader with the table alone`);
    }
    // The dashboard's open (cells and the costliest requests, with their cache beside the file) too.
    const [dashboard, dashboardAlone] = await Promise.all([openCostIndex(file, undefined, undefined, mine), openCostIndex(file)]);
    try {
      const choice = { range: { to: localDay(new Date()) }, strongPrice: () => undefined };
      const [report, reportAlone] = [dashboard.index.report(choice), dashboardAlone.index.report(choice)];
      assert.equal(report.view.totals.costUsd, 60);
      assert.deepEqual(report.top.map((request) => request.costUsd), [60], 'its costliest requests');
      assert.equal(reportAlone.view.totals.costUsd, 0);
      assert.equal(reportAlone.view.totals.unpriced, 1);
      assert.deepEqual(reportAlone.top.map((request) => request.costUsd), [], 'unpriced: not among the costliest');
      assert.equal(dashboard.tail.prices, mine, 'the tail follows by the same prices');
    } finally {
      await dashboard.tail.close();
      await dashboardAlone.tail.close();
    }
  });
});
