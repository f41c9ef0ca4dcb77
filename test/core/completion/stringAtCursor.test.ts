import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { asComment, commentSyntax } from '../../../src/core/completion/languages';
import { readsStrings, stringAtCursor } from '../../../src/core/completion/stringAtCursor';

describe('the multi-line string at the cursor', () => {
  it('finds a Python docstring open at the cursor, not one closed before it', () => {
    assert.deepEqual(stringAtCursor('def f():\n    """Sum.\n\n    Args:', 'python'), { verbatim: false });
    assert.deepEqual(stringAtCursor("x = '''\nrows:", 'python'), { verbatim: false });
    assert.equal(stringAtCursor('def f():\n    """Sum."""\n    if x:', 'python'), undefined);
    assert.equal(stringAtCursor('def f():\n    """Sum.\n    """\n    ', 'python'), undefined);
  });

  it('is not fooled by quotes in Python comments, one-line strings or escapes', () => {
    assert.equal(stringAtCursor('# a """ in a comment\nif x:', 'python'), undefined);
    assert.equal(stringAtCursor('s = "a \\"\\"\\" quote"\nif x:', 'python'), undefined);
    assert.equal(stringAtCursor("s = '\"\"\"'\nif x:", 'python'), undefined);
    assert.deepEqual(stringAtCursor('s = """ a \\""" still open\n', 'python'), { verbatim: false });
    // ''' inside """ does not close it.
    assert.deepEqual(stringAtCursor('s = """ it\'\'\'s\n', 'python'), { verbatim: false });
  });

  it('finds a template literal open at the cursor, verbatim, and code again inside ${…}', () => {
    assert.deepEqual(stringAtCursor('const q = `\n  SELECT id,', 'typescript'), { verbatim: true });
    assert.deepEqual(stringAtCursor('const h = `<p>${user.name}</p>\n', 'javascript'), { verbatim: true });
    assert.equal(stringAtCursor('const h = `<p>${user.name', 'javascript'), undefined, 'inside ${…} is code');
    assert.equal(stringAtCursor('const h = `${items.map((i) => { return i; })}`;\nif (x) {', 'typescript'), undefined);
    assert.deepEqual(stringAtCursor('const h = `${items.map((i) => `<li>${i}</li>`)}\n', 'typescriptreact'), { verbatim: true });
    assert.equal(stringAtCursor('const t = `a \\` b`;\nif (x) {', 'typescript'), undefined, 'an escaped backtick does not close it');
  });

  it('skips backticks in JavaScript comments and quoted strings', () => {
    assert.equal(stringAtCursor('// the ` key\nif (x) {', 'javascript'), undefined);
    assert.equal(stringAtCursor('/* ` */\nif (x) {', 'javascript'), undefined);
    assert.equal(stringAtCursor("const tick = '`';\nif (x) {", 'javascript'), undefined);
  });

  it('finds a Go raw string, where a backslash escapes nothing', () => {
    assert.deepEqual(stringAtCursor('var usage = `\nUsage: tool [flags]\\', 'go'), { verbatim: true });
    assert.equal(stringAtCursor('var p = `C:\\`\nfunc main() {', 'go'), undefined);
  });

  it('knows nothing of languages it has no rules for', () => {
    assert.equal(stringAtCursor('x = """\n', 'ruby'), undefined);
  });
  it('knows nothing of a language id named like a property of every object ("constructor", "toString"): unknown, as any other', () => {
    for (const id of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      assert.equal(readsStrings(id), false, id);
      assert.equal(stringAtCursor('x = "\nabc', id), undefined, id);
      assert.equal(asComment('path: a.txt', commentSyntax(id)), '// path: a.txt', id);
    }
  });
});
