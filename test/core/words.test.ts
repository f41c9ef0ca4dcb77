import assert from 'node:assert/strict';
import { plural, quoted } from '../../src/core/words';

describe('plural', () => {
  it('says "1 open editor" and "2 open editors", and "0 …s"', () => {
    assert.equal(plural(1, 'open editor'), '1 open editor');
    assert.equal(plural(2, 'open editor'), '2 open editors');
    assert.equal(plural(0, 'step'), '0 steps');
  });
});

describe('quoted', () => {
  it('quotes a string and writes anything else as JSON, at most 60 characters of either', () => {
    assert.equal(quoted('gpt5'), '"gpt5"');
    assert.equal(quoted(42), '42', 'not "42", which would look like a string');
    assert.equal(quoted({ pattern: '**/.env' }), '{"pattern":"**/.env"}');
    assert.equal(quoted('x'.repeat(61)), `"${'x'.repeat(60)}…"`);
    assert.equal(quoted(['y'.repeat(100)]), `["${'y'.repeat(58)}…`);
  });
});
