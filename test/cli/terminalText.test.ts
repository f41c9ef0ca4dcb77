import assert from 'node:assert/strict';
import { terminalFilter } from '../../src/cli/terminalText';

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
});
