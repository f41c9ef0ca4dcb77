import assert from 'node:assert/strict';
import { plural } from '../../src/core/words';

describe('plural', () => {
  it('says "1 open editor" and "2 open editors", and "0 …s"', () => {
    assert.equal(plural(1, 'open editor'), '1 open editor');
    assert.equal(plural(2, 'open editor'), '2 open editors');
    assert.equal(plural(0, 'step'), '0 steps');
  });
});
