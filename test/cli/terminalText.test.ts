import assert from 'node:assert/strict';
import { shownOnTerminal, terminalFilter } from '../../src/cli/terminalText';

describe('model text shown in a terminal', () => {
  it('shows escape sequences, other controls and a lone carriage return as "?", keeping tabs and line ends', () => {
    const filter = terminalFilter();
    const shown = ['ok\x1b]52;c;cm0gLXJmIH4=\x07 then \x1b[2K\x1b[1Ahidden', '\tindented\r\n', 'bell\x07 del\x7f c1\u009b end'].map((chunk) => filter.write(chunk)).join('') + filter.end();
    assert.equal(shown, 'ok?]52;c;cm0gLXJmIH4=? then ?[2K?[1Ahidden\tindented\r\nbell? del? c1? end');
  });

  it('keeps a CRLF split across two chunks, and shows a carriage return that nothing follows', () => {
    const split = terminalFilter();
    assert.equal(split.write('one\r') + split.write('\ntwo') + split.end(), 'one\r\ntwo');
    const over = terminalFilter();
    assert.equal(over.write('rm -rf /\r') + over.write('ls') + over.write('\r') + over.end(), 'rm -rf /?ls?');
  });

  it('shows bidi controls and invisible characters by code point, so a line reads as what it is (Trojan Source)', () => {
    // Shown raw, the override makes the line read "rm -rf build  # keep ~" backwards; the marks say it is there.
    const answer = 'Run: rm -rf ~ \u202E# dliub peek\u202C\n\u2066isolated\u2069 mark\u200F zero\u200Bwidth \u061Carabic \u200Eltr tag\u{E0041}\uFEFF';
    const filter = terminalFilter();
    const shown = [...answer].map((char) => filter.write(char)).join('') + filter.end();
    const expected = 'Run: rm -rf ~ <U+202E># dliub peek<U+202C>\n<U+2066>isolated<U+2069> mark<U+200F> zero<U+200B>width <U+061C>arabic <U+200E>ltr tag<U+E0041><U+FEFF>';
    assert.equal(shown, expected, 'one character a chunk');
    assert.equal(shownOnTerminal(answer), expected);
    assert.equal(shownOnTerminal(expected), expected, 'a second pass (the terminal-safe io after the stream filter) changes nothing');
  });

  it('keeps an emoji whole when a chunk ends inside it, and ordinary text and other scripts as they are', () => {
    const emoji = 'done \u{1F469}\u200D\u{1F4BB} and \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} ✅';
    for (const size of [1, 2, 3]) {
      const filter = terminalFilter();
      const pieces: string[] = [];
      const chars = [...emoji];
      for (let at = 0; at < chars.length; at += size) pieces.push(filter.write(chars.slice(at, at + size).join('')));
      assert.equal(pieces.join('') + filter.end(), emoji, `chunks of ${size}`);
    }
    const joinerAlone = terminalFilter();
    assert.equal(joinerAlone.write('\u{1F469}\u200D') + joinerAlone.write(' x') + joinerAlone.end(), '\u{1F469}<U+200D> x', 'a joiner that joins nothing is shown');
    assert.equal(shownOnTerminal('const greeting = "مرحبا"; // 日本語 héllo'), 'const greeting = "مرحبا"; // 日本語 héllo');
  });
});
