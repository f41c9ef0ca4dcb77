import assert from 'node:assert/strict';
import { CSV_COLUMNS, csvRow } from '../../../src/core/costs/costCsv';
import { record } from './cells';
import { parseCsv } from './csvReader';

describe('ledger CSV: requests never sent', () => {
  it('has a notSent column, "setup" on a request refused for want of a provider and empty on others', () => {
    const at = (row: string[], column: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(column)];
    const refused = parseCsv(csvRow(record({ outcome: 'error', costUsd: 0, notSent: 'setup' })))[0]!;
    const answered = parseCsv(csvRow(record({ costUsd: 0.01 })))[0]!;
    // Added at the end, after pricedAtBound; later columns (gatewayCostUnderTable) come after it, so none moves.
    assert.equal(CSV_COLUMNS.indexOf('notSent'), CSV_COLUMNS.indexOf('pricedAtBound') + 1, 'the columns before it keep their places');
    assert.equal(CSV_COLUMNS.at(-1), 'gatewayCostUnderTable');
    assert.deepEqual([at(refused, 'outcome'), at(refused, 'notSent'), at(answered, 'notSent')], ['error', 'setup', '']);
  });
});
