import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { cutDuplicateClosers, scanBrackets } from '../../../src/core/completion/closers';
import { cursorIn } from '../../../src/core/completion/stringAtCursor';

/** `answer` after the cut, at `¦` in `doc`. */
function cut(answer: string, doc: string, languageId = 'typescript'): string {
  const at = doc.indexOf('¦');
  assert.notEqual(at, -1, 'the case marks the cursor');
  const prefix = doc.slice(0, at);
  const suffix = doc.slice(at + 1);
  return cutDuplicateClosers(answer, { prefix, suffix, languageId }, cursorIn(prefix, suffix, languageId));
}

describe('brackets and quotes at the cursor', () => {
  describe('the prefix scan (scanBrackets)', () => {
    it('reads the brackets still open, as the closers they need, innermost last', () => {
      assert.deepEqual(scanBrackets('run(items.map((item) => {\n  total[item', '//'), { stack: [')', ')', '}', ']'], quote: '' });
    });

    it('passes over brackets in strings and in line comments, and a closer that closes nothing open', () => {
      assert.deepEqual(scanBrackets('f("(", \'[\', `{`) // ) ] }\ng(] x', '//'), { stack: [')'], quote: '' });
      assert.deepEqual(scanBrackets('if ready:  # (\n    call(a, b) # ]', '#'), { stack: [], quote: '' });
    });

    it('reads a line comment marker only in the language that has it', () => {
      assert.deepEqual(scanBrackets('x = len(a) # (', '//'), { stack: [')'], quote: '' });
      assert.deepEqual(scanBrackets('x = len(a) # (', undefined), { stack: [')'], quote: '' });
    });

    it('ends a string at its line end, except after a backslash in it, and reports a quote open on the last line', () => {
      assert.deepEqual(scanBrackets('a = f("x(\ny = [', '//'), { stack: [')', ']'], quote: '' });
      assert.deepEqual(scanBrackets('a = f("x(\\\ny", [', '//'), { stack: [')', ']'], quote: '' });
      assert.deepEqual(scanBrackets('greet("hel', '//'), { stack: [')'], quote: '"' });
      assert.deepEqual(scanBrackets("say('a\\'(", '//'), { stack: [')'], quote: "'" });
    });

    it('ends at a comment that runs to the end of the text, and at a backslash that ends it inside a string', () => {
      assert.deepEqual(scanBrackets('call(x) // (', '//'), { stack: [], quote: '' });
      assert.deepEqual(scanBrackets('call("x\\', '//'), { stack: [')'], quote: '"' });
    });
  });

  describe('cutting what the text after the cursor closes (cutDuplicateClosers)', () => {
    it('cuts the answer at the quote that closes the string the rest of the line closes', () => {
      assert.equal(cut('lo") + x', 'greet("hel¦");\n'), 'lo');
    });

    it('cuts the answer at a bracket the text after the cursor closes next', () => {
      assert.equal(cut(', 2)', 'sum(1¦);\n'), ', 2');
      assert.equal(cut('a]', 'const list = [¦\n]'), 'a]');
    });

    it('keeps the answer whole when the text after the cursor starts with neither a closer nor a quote', () => {
      assert.equal(cut('a)', 'foo(¦\nbar()'), 'a)');
      assert.equal(cut('lo")', 'greet("hel¦ there\n'), 'lo")');
    });

    it('keeps a quote that opens a string of its own before a quote that is not the cursor string’s', () => {
      assert.equal(cut('"c" + ', 'x = "a" + ¦"b";\n'), '"c" + ');
    });
  });
});
