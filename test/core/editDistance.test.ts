import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { editDistance } from '../../src/core/editDistance';

describe('edit distance', () => {
  it('counts insertions, deletions and substitutions, below the limit', () => {
    assert.equal(editDistance('openai', 'openai', 5), 0);
    assert.equal(editDistance('opnai', 'openai', 5), 1);
    assert.equal(editDistance('oepnai', 'openai', 5), 2);
    assert.equal(editDistance('', 'abc', 5), 3);
    assert.equal(editDistance('abc', '', 5), 3);
    assert.equal(editDistance('kitten', 'sitting', 5), 3);
  });

  it('answers the limit for anything at or past it, also when it gives up early on a long name', () => {
    assert.equal(editDistance('kitten', 'sitting', 3), 3);
    assert.equal(editDistance('kitten', 'sitting', 2), 2);
    assert.equal(editDistance('x'.repeat(10_000), 'openai', 3), 3);
  });

  it('counts two swapped neighbours as one edit only when asked to', () => {
    assert.equal(editDistance('modle', 'model', 5), 2);
    assert.equal(editDistance('modle', 'model', 5, { transpositions: true }), 1);
    assert.equal(editDistance('--rnage', '--range', 5, { transpositions: true }), 1);
    assert.equal(editDistance('ab', 'ba', 5, { transpositions: true }), 1);
    // A letter takes part in one swap at most: "ca" to "abc" is three edits, not a swap plus an insertion.
    assert.equal(editDistance('ca', 'abc', 5, { transpositions: true }), 3);
    // Swaps do not make anything else cheaper.
    assert.equal(editDistance('kitten', 'sitting', 5, { transpositions: true }), 3);
    assert.equal(editDistance('', 'abc', 5, { transpositions: true }), 3);
  });

  it('gives up at the limit with swaps as without, never below the true distance', () => {
    assert.equal(editDistance('abcdef', 'badcfe', 3, { transpositions: true }), 3);
    assert.equal(editDistance('abcdef', 'badcfe', 4, { transpositions: true }), 3);
    assert.equal(editDistance('x'.repeat(10_000), 'openai', 3, { transpositions: true }), 3);
    // Every swap of a long name found, whatever the limit above the distance.
    assert.equal(editDistance('bacd'.repeat(50), 'abcd'.repeat(50), Infinity, { transpositions: true }), 50);
    assert.equal(editDistance('bacd'.repeat(50), 'abcd'.repeat(50), Infinity), 100);
  });

  it('hints at a provider two letters off a known one, and not at one three letters off', () => {
    const { problems } = resolveConfig({ routes: { chat: ['opexxi:gpt-5.4', 'xpexxi:gpt-5.4', 'anthropic:claude-sonnet-5'] } }, 'switchboard.');
    const message = (index: number) => problems.find((p) => p.key === `switchboard.routes.chat[${index}]`)!.message;
    assert.match(message(0), /; did you mean "openai:gpt-5\.4"\?; skipped$/);
    assert.equal(message(1), 'unknown provider "xpexxi" in "xpexxi:gpt-5.4" (known: openai, anthropic, bedrock); skipped');
  });
});
