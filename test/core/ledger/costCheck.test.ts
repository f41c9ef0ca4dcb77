import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Ledger } from '../../../src/core/ledger';
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
    assert.match(totals.warnings[0]!, /:2: the recorded cost 100000000000000000000 is more than 150 tokens could cost at any price \(believed up to \$10\.00\): counted at its tokens × the price table's rates instead, \$0\.0007$/);
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
