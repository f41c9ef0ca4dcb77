import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { asksForNextLines, decideMultiline, endsStatement, isCompletablePosition, type MultilineMode } from '../../../src/core/completion/multiline';
import { describeCursor } from '../../../src/core/completion/textWindow';

/** `¦` marks the cursor. */
function decide(textWithCursor: string, languageId = 'typescript', mode: MultilineMode = 'auto'): boolean {
  const at = textWithCursor.indexOf('¦');
  assert.notEqual(at, -1);
  const cursor = describeCursor(textWithCursor.slice(0, at), textWithCursor.slice(at + 1));
  return decideMultiline(cursor, languageId, mode);
}

describe('multi-line decision', () => {
  it('goes multi-line right after a block opener', () => {
    assert.equal(decide('function total(items) {¦\n'), true);
    assert.equal(decide('const handler = (event) =>¦\n'), true);
    assert.equal(decide('const rows = [¦\n'), true);
    assert.equal(decide('fetchAll(¦\n'), true);
    assert.equal(decide('def total(items):¦\n', 'python'), true);
    assert.equal(decide('items.each do |item|¦\n', 'ruby'), true);
    assert.equal(decide('if x > 0 then¦\n', 'lua'), true);
  });

  it('goes multi-line after a switch\'s case label and a shell case arm, whose statements go below them', () => {
    assert.equal(decide('switch x {\ncase 1:¦\n}\n', 'swift'), true);
    assert.equal(decide('switch (x) {\n  default:¦\n}\n', 'c'), true);
    assert.equal(decide('switch kind {\ncase "a", "b":¦\n}\n', 'go'), true);
    assert.equal(decide('case "$1" in\n  start|begin)¦\nesac\n', 'shellscript'), true);
    assert.equal(decide('case "$1" in\n  *)¦\nesac\n', 'shellscript'), true);
    // A call, a subshell or an array that closes there is no arm; an object key's colon in TypeScript no label.
    assert.equal(decide('greet()¦\n', 'shellscript'), false);
    assert.equal(decide('(cd build; make)¦\n', 'shellscript'), false);
    assert.equal(decide('list=(a b)¦\n', 'shellscript'), false);
    assert.equal(decide('const o = {\n  cases:¦\n', 'typescript'), false);
  });

  it('reads a shell line closing an array written one item a line (`  b)` below `arr=(`) as no case arm, and an arm by its `case … in`', () => {
    assert.equal(decide('arr=(\n  a\n  b)¦\necho done\n', 'shellscript'), false);
    assert.equal(decide('arr=(\n  a\n  b)\n¦\necho done\n', 'shellscript'), false, 'below the array: no arm body to fill');
    assert.equal(decide('files=$(\n  ls)¦\necho done\n', 'shellscript'), false);
    // An array closing inside an arm's body is the array's close, not another arm.
    assert.equal(decide('case "$1" in\n  start)\n    arr=(\n      a\n      b)¦\n    run\n    ;;\nesac\n', 'shellscript'), false);
    // Arms after other arms (their `)` matched by no `(`), after a nested case closed by `esac`, and below a comment holding a `(`.
    assert.equal(decide('case "$1" in\n  a) echo a ;;\n  b)¦\nesac\n', 'shellscript'), true);
    assert.equal(decide('case "$1" in\n  a)\n    case "$2" in\n      x) echo x ;;\n    esac\n    ;;\n  b)\n¦\nesac\n', 'shellscript'), true);
    assert.equal(decide('case "$1" in # one of (start stop\n  (stop)¦\nesac\n', 'shellscript'), true);
    // With no `case … in` before it, a lone `name)` is nothing that opens a block.
    assert.equal(decide('  start)¦\necho done\n', 'shellscript'), false);
  });

  it('goes multi-line after an opener whose closer was auto-inserted', () => {
    assert.equal(decide('function total(items) {¦}\n'), true);
  });

  it('treats a trailing colon as an opener only in Python-like languages', () => {
    assert.equal(decide('const label = cond ? "a" :¦\n'), false);
    assert.equal(decide('    for row in rows:¦\n', 'python'), true);
  });

  it('treats a YAML key that ends its line, or a block scalar header, as an opener', () => {
    assert.equal(decide('services:\n  web:¦\n', 'yaml'), true);
    assert.equal(decide('steps:\n  - name:¦\n', 'yaml'), true);
    assert.equal(decide('  run: |¦\n', 'yaml'), true);
    assert.equal(decide('  script: >-¦\n', 'yaml'), true);
    assert.equal(decide('  image: nginx¦\n', 'yaml'), false);
    assert.equal(decide('  url: "http://example.com"¦\n', 'yaml'), false);
  });

  it('goes multi-line in an empty function body', () => {
    assert.equal(decide('function total(items) {\n  ¦\n}\n'), true);
    assert.equal(decide('class Cart:\n    def total(self):\n        ¦\n', 'python'), true);
  });

  it('goes multi-line on an empty line after a comment that describes code', () => {
    assert.equal(decide('function f(xs) {\n  const a = 1;\n  // sum the squares of xs\n  ¦\n  return a;\n}\n'), true);
    assert.equal(decide('# load the config file\n¦\nprint(x)\n', 'python'), true);
  });

  it('goes multi-line on an empty line where the block ends, and at the end of the file', () => {
    assert.equal(decide('function f(xs) {\n  const a = 1;\n  ¦\n}\n'), true);
    assert.equal(decide('const a = 1;\n¦'), true);
  });

  it('stays single-line on an empty line between statements of a block', () => {
    assert.equal(decide('function f(xs) {\n  const a = 1;\n  ¦\n  return a;\n}\n'), false);
  });

  it('stays single-line mid-line, with text after the cursor, and after a plain statement start', () => {
    assert.equal(decide('const total = ¦items.length;\n'), false);
    assert.equal(decide('if (ready) {¦ return; }\n'), false);
    assert.equal(decide('const total = ¦\n'), false);
    assert.equal(decide('  return ¦\n'), false);
  });

  it('follows the mode setting over the heuristics', () => {
    assert.equal(decide('const total = ¦\n', 'typescript', 'always'), true);
    assert.equal(decide('function total(items) {¦\n', 'typescript', 'never'), false);
  });

  it('only requests where the rest of the line is closers and punctuation', () => {
    assert.equal(isCompletablePosition(''), true);
    assert.equal(isCompletablePosition(');'), true);
    assert.equal(isCompletablePosition('"]'), true);
    assert.equal(isCompletablePosition('  }'), true);
    assert.equal(isCompletablePosition('items.length;'), false);
    assert.equal(isCompletablePosition(' + 1'), false);
  });

  it('asks for the next lines only at the end of a finished line, not in a comment', () => {
    const at = (textWithCursor: string): boolean => {
      const i = textWithCursor.indexOf('¦');
      return asksForNextLines(describeCursor(textWithCursor.slice(0, i), textWithCursor.slice(i + 1)), 'typescript');
    };
    for (const doc of ['  const n = items.length;¦\n', '  total(a, b)¦\n', '  [1, 2],¦\n', '  }¦\n', '  f(x);  ¦\n']) {
      assert.equal(at(doc), true, doc);
    }
    for (const doc of ['  const n = items.len¦\n', '  if (a) {¦\n', '  total(a, b¦)\n', '  // done;¦\n', '  f(x);¦ g();\n']) {
      assert.equal(at(doc), false, doc);
    }
  });

  it('counts a line ending with `:` as finished by language: every one in Go, a case or default where switches have them, none in Python or YAML', () => {
    const at = (textWithCursor: string, languageId: string): boolean => {
      const i = textWithCursor.indexOf('¦');
      return asksForNextLines(describeCursor(textWithCursor.slice(0, i), textWithCursor.slice(i + 1)), languageId);
    };
    assert.equal(at('\tFlags:¦\n', 'go'), true);
    assert.equal(at('\tcase "serve":¦\n', 'go'), true);
    assert.equal(at('  case Kind.A:¦\n', 'typescript'), true);
    assert.equal(at('  default:¦\n', 'c'), true);
    assert.equal(at('public:¦\n', 'cpp'), true);
    // Mid-expression: an object key, a ternary, a type annotation.
    assert.equal(at('  total:¦\n', 'typescript'), false);
    assert.equal(at('  const v = ready ? a :¦\n', 'typescript'), false);
    assert.equal(at('function f(x:¦\n', 'typescript'), false);
    assert.equal(at('    if x:¦\n', 'python'), false);
    assert.equal(at('web:¦\n', 'yaml'), false);
    assert.equal(at('\t// Flags:¦\n', 'go'), false, 'a comment');
  });

  it('reads a line by its code before a comment at its end: a header or a finished line stays one (`if x:  # why`)', () => {
    assert.equal(decide('def f(x):\n    if x:  # the usual case¦\n', 'python'), true);
    assert.equal(decide('  if (ready) { // start¦\n'), true);
    assert.equal(decide('  if (ready) { // start¦\n', 'rust'), true);
    assert.equal(decide('for i = 1, n do -- each row¦\n', 'lua'), true);
    assert.equal(decide('items.each do |item| # all¦\n', 'ruby'), true);
    assert.equal(decide('if [ -f "$f" ]; then # present¦\n', 'shellscript'), true);
    assert.equal(decide('services:\n  web:  # the site¦\n', 'yaml'), true);
    const at = (textWithCursor: string, languageId: string): boolean => {
      const i = textWithCursor.indexOf('¦');
      return asksForNextLines(describeCursor(textWithCursor.slice(0, i), textWithCursor.slice(i + 1)), languageId);
    };
    assert.equal(at('x = load(path)  # cached¦\n', 'python'), true);
    assert.equal(at('  save(); // once¦\n', 'typescript'), true);
    assert.equal(at('  let n = v.len(); // count¦\n', 'rust'), true);
    assert.equal(at('SELECT id, -- the key¦\n', 'sql'), true);
    assert.equal(at('\tcase "serve": // the default¦\n', 'go'), true);
    // A marker in a string, or one that is not a comment in its language, is not one.
    assert.equal(at('url = "http://a#b"¦\n', 'python'), false);
    assert.equal(at('const u = "http://a.b/c" + d¦\n', 'typescript'), false);
    assert.equal(at('echo $#¦\n', 'shellscript'), false);
    assert.equal(at('n = a // b¦\n', 'python'), false, '`//` divides in Python');
    assert.equal(decide('fn f(x: &\'a str) -> &\'a str { // borrowed¦\n', 'rust'), true, 'a lifetime is no quote');
  });

  it('knows the end of a statement closed with a semicolon, with every bracket of its line closed', () => {
    const ends = (textWithCursor: string): boolean => {
      const at = textWithCursor.indexOf('¦');
      return endsStatement(describeCursor(textWithCursor.slice(0, at), textWithCursor.slice(at + 1)));
    };
    assert.equal(ends('  const n = xs.length;¦\n'), true);
    assert.equal(ends('  total(sum(xs), 2);  ¦\n'), true);
    assert.equal(ends('  });¦\n'), true, 'closers of earlier lines do not count');
    assert.equal(ends('  for (let i = 0;¦\n'), false, 'a bracket left open');
    assert.equal(ends('  const n = xs.length¦\n'), false);
    assert.equal(ends('  const n = xs.length;¦ // count\n'), false, 'text after the cursor');
    assert.equal(ends('  // stop here;¦\n'), false, 'a comment');
  });
});
