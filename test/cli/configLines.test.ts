import assert from 'node:assert/strict';
import { keyLines, lineOfKey } from '../../src/cli/configLines';

describe('config file key lines', () => {
  const text = [
    '{',
    '  "routes": {',
    '    "chat": [',
    '      "openai:gpt-5.4",',
    '      "nonsense"',
    '    ],',
    '    "plan": []',
    '  },',
    '  "routes.completion": ["x"],',
    '  "prices": { "openai:gpt-5.4": { "input": 1 }, "say \\"hi\\"\\n{": {} },',
    '  "budget": {',
    '',
    '    "dailyUsd": -1',
    '  }',
    '}',
  ].join('\n');
  const lines = keyLines(text);

  it('finds nested and dotted keys, list items and quoted model names on their lines', () => {
    assert.equal(lineOfKey(lines, 'routes'), 2);
    assert.equal(lineOfKey(lines, 'routes.chat'), 3);
    assert.equal(lineOfKey(lines, 'routes.chat[1]'), 5);
    assert.equal(lineOfKey(lines, 'routes.plan'), 7);
    assert.equal(lineOfKey(lines, 'routes.completion'), 9);
    assert.equal(lineOfKey(lines, 'prices["openai:gpt-5.4"]'), 10);
    assert.equal(lineOfKey(lines, 'budget.dailyUsd'), 13, 'an empty line and a string with escapes before it');
  });

  it('falls back to the nearest key that holds it, and to nothing for a key not in the file', () => {
    assert.equal(lineOfKey(lines, 'routes.chat[7]'), 3);
    assert.equal(lineOfKey(lines, 'budget.monthlyUsd'), 11);
    assert.equal(lineOfKey(lines, 'ledger.path'), undefined);
  });
});
