import assert from 'node:assert/strict';
import { safeDecode } from '../../../src/core/providers/safeDecode';

describe('safeDecode', () => {
  it('decodes percent-escapes, a password written `p%40ss%3Aword` included, and leaves `+` a plus', () => {
    assert.equal(safeDecode('p%40ss%3Aword'), 'p@ss:word');
    assert.equal(safeDecode('caf%C3%A9'), 'café');
    assert.equal(safeDecode('a+b'), 'a+b');
    assert.equal(safeDecode('a%2Bb'), 'a+b');
  });

  it('decodes `%00` to the character it names, as any other escape', () => {
    assert.equal(safeDecode('key%00'), 'key\u0000');
  });

  it('keeps text that is not well-formed as written, whole: a lone or trailing `%`, `%zz`, a cut-off UTF-8 sequence', () => {
    for (const text of ['%', '100%', 'pass%zzword', '%E0%A4%A', '%C3', 'p%40ss%']) assert.equal(safeDecode(text), text, text);
  });
});
