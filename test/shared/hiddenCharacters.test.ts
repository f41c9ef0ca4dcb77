import assert from 'node:assert/strict';
import { describeHiddenCharacters, findHiddenCharacters, hasHiddenCharacters, withoutHiddenCharacters } from '../../src/shared/hiddenCharacters';

describe('hidden characters in model text', () => {
  it('finds bidi controls, zero-width, separators, byte-order marks and tag characters, with where and what they are', () => {
    const text = 'a\u202Eb\u2066c\u2069d\u200Be\u00ADf\u2028g\uFEFFh\u{E0041}i';
    const found = findHiddenCharacters(text);
    assert.deepEqual(
      found.map(({ index, codePoint }) => [index, codePoint]),
      [[1, 'U+202E'], [3, 'U+2066'], [5, 'U+2069'], [7, 'U+200B'], [9, 'U+00AD'], [11, 'U+2028'], [13, 'U+FEFF'], [15, 'U+E0041']],
    );
    assert.equal(found[0]?.label, 'U+202E RIGHT-TO-LEFT OVERRIDE');
    assert.equal(found[7]?.label, 'U+E0041', 'a rare one goes by its code point alone');
    assert.equal(withoutHiddenCharacters(text), 'abcdefghi');
    assert.equal(describeHiddenCharacters(findHiddenCharacters('\u200B x \u202E y \u200B')), 'U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE');
  });

  it('finds control characters but tab and line ends: an ESC sequence, a backspace, DEL, C1', () => {
    const text = 'a\u001b]52;c;eA==\u0007b\bc\u007fd\u009b2Je\u0000f\fg\th\r\ni\n';
    const found = findHiddenCharacters(text);
    assert.deepEqual(found.map(({ codePoint }) => codePoint), ['U+001B', 'U+0007', 'U+0008', 'U+007F', 'U+009B', 'U+0000', 'U+000C']);
    assert.equal(describeHiddenCharacters(found.slice(0, 1)), 'U+001B ESCAPE');
    assert.equal(withoutHiddenCharacters(text), 'a]52;c;eA==bcd2Jefg\th\r\ni\n');
    assert.equal(hasHiddenCharacters('\tconst x = 1;\r\n'), false, 'tab and line ends are text');
  });

  it('leaves emoji whole: the joiner between pictographs and the tags of a subdivision flag', () => {
    const emoji = 'ok \u{1F469}\u200D\u{1F4BB} \u{1F468}\u{1F3FD}\u200D\u{1F9B0} \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    assert.equal(hasHiddenCharacters(emoji), false);
    assert.deepEqual(findHiddenCharacters(emoji), []);
    assert.equal(withoutHiddenCharacters(emoji), emoji);
    // A joiner that joins no emoji, or tags after something else, are hidden text.
    assert.deepEqual(findHiddenCharacters('a\u200Db \u{1F469}\u200D').map((hidden) => hidden.index), [1, 6]);
    assert.equal(withoutHiddenCharacters('x\u{E0068}\u{E0069}\u{E007F}'), 'x');
  });

  it('finds nothing in ordinary code, including other scripts and accents', () => {
    for (const text of ['const total = items.reduce((a, b) => a + b, 0);\n', 'print("héllo wörld")', 'const greeting = "مرحبا";', '// 日本語のコメント']) {
      assert.equal(hasHiddenCharacters(text), false, text);
      assert.equal(withoutHiddenCharacters(text), text);
    }
  });
});
