import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { asComment, commentSyntax } from '../../../src/core/completion/languages';
import { NOTHING_OPEN, openBefore, readsStrings, stringAtCursor } from '../../../src/core/completion/stringAtCursor';

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

  it('reads from `openFrom` on, given what is open there: a notebook cell above left a docstring open, the cursor’s cell is code', () => {
    const cellAbove = 's = """never closed in this cell';
    const cell = 'def total(rows):';
    const prefix = `${cellAbove}\n\n${cell}`;
    assert.deepEqual(stringAtCursor(prefix, 'python'), { verbatim: false }, 'read as one script, the docstring runs on');
    assert.equal(stringAtCursor(prefix, 'python', NOTHING_OPEN, prefix.length - cell.length), undefined);
    const inDocstring = `${cellAbove}\n\n"""Totals.\n\nArgs:`;
    assert.deepEqual(stringAtCursor(inDocstring, 'python', NOTHING_OPEN, cellAbove.length + 2), { verbatim: false }, 'a docstring of the cell itself');
  });
});

describe('what is open at the end of text that may stop inside a line', () => {
  it('says what is open, or nothing it cannot say: inside a one-line string or a line comment', () => {
    assert.deepEqual(openBefore('const page = `<ul><li>${row.name}</li>', 'typescript', NOTHING_OPEN)?.templates, [-1]);
    assert.deepEqual(openBefore('x = 1; /* a long comment', 'javascript', NOTHING_OPEN)?.comment, true);
    assert.equal(openBefore('const s = "a string not yet closed', 'typescript', NOTHING_OPEN), undefined);
    assert.equal(openBefore('x = 1 // a comment', 'typescript', NOTHING_OPEN), undefined);
    assert.equal(openBefore("x = 'one line", 'python', NOTHING_OPEN), undefined);
    assert.equal(openBefore('x = 1  # a comment', 'python', NOTHING_OPEN), undefined);
    assert.deepEqual(openBefore('x = f(1, "a") + """doc', 'python', NOTHING_OPEN)?.quote, '"""');
    assert.deepEqual(openBefore('x = "a" + y', 'python', NOTHING_OPEN), NOTHING_OPEN);
    assert.equal(openBefore('x = 1', 'ruby', NOTHING_OPEN), undefined);
  });
});
