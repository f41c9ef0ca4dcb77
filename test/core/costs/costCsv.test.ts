import assert from 'node:assert/strict';
import { CSV_COLUMNS, csvCell, csvHeader, csvRow } from '../../../src/core/costs/costCsv';
import type { LedgerRecord } from '../../../src/core/ledger';
import { record } from './cells';
import { parseCsv } from './csvReader';

describe('ledger CSV', () => {
  it('writes one row per record with the ledger\'s fields, read back unchanged', () => {
    const records: LedgerRecord[] = [
      record({ costUsd: 0.1234, error: 'broke, "badly"\nat the end', attempts: [{ provider: 'openai', model: 'gpt-5.4', error: '429' }] }),
      record({ costUsd: null, provider: 'ollama', model: 'qwen:7b', routing: { mode: 'auto', tier: 'cheap', reasons: ['short', 'no code'] } }),
    ];
    const rows = parseCsv(csvHeader() + records.map(csvRow).join(''));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 3);
    const at = (row: string[], column: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(column)];
    assert.equal(at(rows[1]!, 'costUsd'), '0.1234');
    assert.equal(at(rows[1]!, 'error'), 'broke, "badly"\nat the end');
    assert.equal(at(rows[1]!, 'attempts'), 'openai:gpt-5.4: 429');
    assert.equal(at(rows[1]!, 'inputTokens'), '100');
    assert.equal(at(rows[2]!, 'costUsd'), '', 'unpriced is empty, not 0');
    assert.equal(at(rows[2]!, 'model'), 'qwen:7b');
    assert.equal(at(rows[2]!, 'routingReasons'), 'short; no code');
    assert.equal(at(rows[2]!, 'routingHandedOverFrom'), '');
    const handedOver = parseCsv(csvRow(record({ routing: { mode: 'auto', tier: 'strong', handedOverFrom: 'cheap', reasons: [] } })))[0]!;
    assert.equal(at(handedOver, 'routingHandedOverFrom'), 'cheap');
    const retry = parseCsv(csvRow(record({ routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'rec-1', retryOfUnpriced: true })))[0]!;
    assert.deepEqual([at(retry, 'retryOf'), at(retry, 'retryOfUnpriced')], ['rec-1', 'true']);
    const retryOfHandedOver = parseCsv(csvRow(record({ routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'rec-2', retryOfHandedOver: true })))[0]!;
    assert.deepEqual([at(retryOfHandedOver, 'retryOf'), at(retryOfHandedOver, 'retryOfHandedOver'), at(retryOfHandedOver, 'retryOfUnpriced')], ['rec-2', 'true', '']);
    const cut = parseCsv(csvRow(record({ maxTokensReached: 4096, budgetAction: 'downgrade' })))[0]!;
    assert.deepEqual([at(cut, 'maxTokensReached'), at(cut, 'budgetAction')], ['4096', 'downgrade'], 'an answer cut at max output, and a budget that shaped the request, show');
    assert.deepEqual([at(rows[1]!, 'maxTokensReached'), at(rows[1]!, 'budgetAction')], ['', '']);
    const total = rows.slice(1).reduce((sum, row) => sum + Number(at(row, 'costUsd') || 0), 0);
    assert.equal(total, 0.1234);
  });

  it('has columns for the usage as reported and the bounds a record was priced at, empty when it was not', () => {
    const records: LedgerRecord[] = [
      record({
        usage: { inputTokens: 30, outputTokens: 256, cacheReadTokens: 0, cacheWriteTokens: 0 },
        reportedUsage: { inputTokens: 30, outputTokens: 1e15, cacheReadTokens: 0, cacheWriteTokens: 0 },
        usageBound: { outputTokens: 256 },
        costUsd: 0.004,
        costSource: 'price-table',
        gateway: 'openrouter',
        gatewayCostUsd: 900,
        gatewayCostBoundUsd: 0.004,
      }),
      record({ usageBound: { promptTokens: 3_200_000 }, reportedUsage: { inputTokens: 4e9, outputTokens: 3 } }),
      record({}),
    ];
    const rows = parseCsv(csvHeader() + records.map(csvRow).join(''));
    const columns = ['reportedInputTokens', 'reportedOutputTokens', 'reportedCacheReadTokens', 'reportedCacheWriteTokens', 'usageBoundOutputTokens', 'usageBoundPromptTokens', 'gatewayCostUsd', 'gatewayCostBoundUsd'] as const;
    const at = (row: string[]) => columns.map((column) => row[CSV_COLUMNS.indexOf(column)]);
    assert.deepEqual(at(rows[1]!), ['30', '1000000000000000', '0', '0', '256', '', '900', '0.004']);
    assert.deepEqual(at(rows[2]!), ['4000000000', '3', '', '', '', '3200000', '', '']);
    assert.deepEqual(at(rows[3]!), ['', '', '', '', '', '', '', ''], 'a record priced as reported has them empty');
  });

  it('says which rates a gateway\'s figure was held to, and why each record was priced at a bound, in words, defused', () => {
    const records: LedgerRecord[] = [
      // A model without a price whose gateway reported $900 for a short question: held to the dearest rates.
      record({ model: 'mystery-1', costUsd: 0.092, costSource: 'price-table', gateway: 'openrouter', gatewayCostUsd: 900, gatewayCostBoundUsd: 0.092, gatewayCostBoundRates: 'dearest' }),
      // A priced model: held to its own rates.
      record({ costUsd: 0.004, costSource: 'price-table', gateway: 'litellm', gatewayCostUsd: 1.5, gatewayCostBoundUsd: 0.004 }),
      record({ usage: { inputTokens: 30, outputTokens: 256, cacheReadTokens: 0, cacheWriteTokens: 0 }, reportedUsage: { outputTokens: 1e15 }, usageBound: { outputTokens: 256 } }),
      record({ error: '=cmd|"/c calc"!A1', outcome: 'error' }),
    ];
    const rows = parseCsv(csvHeader() + records.map(csvRow).join(''));
    const at = (row: string[], column: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(column)];
    assert.deepEqual(rows.slice(1).map((row) => at(row, 'gatewayCostBoundRates')), ['dearest', '', '', '']);
    assert.deepEqual(
      rows.slice(1).map((row) => at(row, 'pricedAtBound')),
      [
        'OpenRouter reported a cost of $900.00, more than the request could cost at 16 times the dearest rates in the price table, the model having no price of its own ($0.092); priced at $0.092',
        "LiteLLM reported a cost of $1.50, more than the request could cost at the price table's rates ($0.004); priced at $0.004",
        'the provider reported 1,000,000,000,000,000 output tokens, more than the request could produce (256); priced at 256',
        '',
      ],
    );
    // The gateway's figure less what was counted: what a bill differs by, from the columns alone.
    assert.equal(Number(at(rows[1]!, 'gatewayCostUsd')) - Number(at(rows[1]!, 'costUsd')), 900 - 0.092);
    // No cell of any row starts as a formula would, the new ones included.
    for (const cell of rows.flat()) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
    assert.equal(at(rows[4]!, 'error'), `'=cmd|"/c calc"!A1`);
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('-1+2'), "'-1+2");
    assert.equal(csvCell(0.5), '0.5');
    assert.equal(csvCell(null), '');
  });
});
