import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { identifierSet } from '../../../src/core/completion/identifiers';

describe('context snippets: identifiers', () => {
  it('reads identifiers, leaving out keywords and one-letter names', () => {
    assert.deepEqual([...identifierSet('const x = await fetchOrders(customerId)')], ['fetchOrders', 'customerId']);
  });

  it('reads an identifier as [A-Za-z_$][A-Za-z0-9_$]* does: after digits, with $ and _, not letters past ASCII', () => {
    assert.deepEqual([...identifierSet('9lives $el _id a1b2 x9 über_name 3.5e10 $$ a-b ok')], ['lives', '$el', '_id', 'a1b2', 'x9', 'ber_name', 'e10', '$$', 'ok']);
  });
});
