import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { completedFirstLine, postprocessCompletion, previewCompletion } from '../../../src/core/completion/postprocess';

interface Case {
  /** The document with `¦` at the cursor. */
  doc: string;
  multiline?: boolean;
  languageId?: string;
  fim?: boolean;
  /** Asked for the lines after a finished line (the engine sets multiline too). */
  nextLine?: boolean;
}

function clean(raw: string, { doc, multiline = false, languageId = 'typescript', fim = false, nextLine = false }: Case): string | undefined {
  const at = doc.indexOf('¦');
  assert.notEqual(at, -1, 'the case marks the cursor');
  return postprocessCompletion(raw, { prefix: doc.slice(0, at), suffix: doc.slice(at + 1), multiline: multiline || nextLine, languageId, fim, nextLine });
}

/** What the document reads after accepting `completion`. */
function accept(doc: string, completion: string | undefined): string {
  assert.ok(completion !== undefined, 'expected a completion');
  return doc.replace('¦', completion);
}

describe('completion post-processing', () => {
  describe('markdown fences', () => {
    it('keeps only the code of a fenced answer', () => {
      const doc = 'function add(a: number, b: number) {\n  return ¦\n}\n';
      assert.equal(clean('```typescript\na + b;\n```', { doc }), 'a + b;');
    });

    it('keeps a fenced answer that never closed its fence', () => {
      const doc = 'function add(a, b) {\n  ¦\n}\n';
      assert.equal(clean('```ts\n  return a + b;\n  // done', { doc, multiline: true }), 'return a + b;\n  // done');
    });

    it('keeps the code before a stray fence that follows it', () => {
      const doc = 'const total = ¦\n';
      assert.equal(clean('items.length;\n```', { doc, fim: true }), 'items.length;');
    });

    it('keeps only the code of an answer fenced with tildes, with or without a language, closed or not', () => {
      const doc = 'function add(a: number, b: number) {\n  return ¦\n}\n';
      assert.equal(clean('~~~typescript\na + b;\n~~~', { doc }), 'a + b;');
      assert.equal(clean('~~~\na + b;\n~~~\n', { doc }), 'a + b;');
      assert.equal(clean('Here is the completion:\n\n~~~ts\na + b;', { doc }), 'a + b;');
      assert.equal(clean('~~~\n\n~~~', { doc }), undefined, 'an empty tilde fence');
      assert.equal(clean('~~~ts', { doc }), undefined, 'a tilde fence that never got past its opening line');
      assert.equal(previewCompletion('~~~ts', { prefix: 'x = ', suffix: '', multiline: false, languageId: 'typescript' }), '');
    });

    it('keeps backtick fences inside a tilde fence (or a longer backtick fence) as code', () => {
      const doc = 'def usage():\n    ¦\n';
      const body = '"""Shows how it is called\n\n    ```\n    usage()\n    ```\n    """\n    return 0';
      assert.equal(clean(`~~~python\n${body}\n~~~`, { doc, multiline: true, languageId: 'python' }), body);
      assert.equal(clean(`\`\`\`\`python\n${body}\n\`\`\`\``, { doc, multiline: true, languageId: 'python' }), body);
      // And a tilde line inside a backtick fence is code too.
      assert.equal(clean('```python\nRULE = """\n~~~\n"""\n```', { doc: '¦\n', multiline: true, languageId: 'python' }), 'RULE = """\n~~~\n"""');
    });

    it('takes a line starting with tildes followed by code for code, not a fence', () => {
      assert.equal(clean('~~~flags & mask;', { doc: 'const off = ¦\n' }), '~~~flags & mask;');
    });

    it('leaves fences alone in Markdown files, where they are content', () => {
      const doc = 'Install it:\n\n¦\n';
      assert.equal(clean('```sh\nnpm install switchboard\n```', { doc, multiline: true, languageId: 'markdown' }), '```sh\nnpm install switchboard\n```');
    });

    it('unwraps a fenced answer inside a Markdown file’s code block, where a fence would open a block in the block', () => {
      const inBlock = '# Use\n\n```python\nimport tool\n\n¦\n```\n';
      assert.equal(clean('```python\ntool.run()\n```', { doc: inBlock, languageId: 'markdown' }), 'tool.run()');
      assert.equal(clean('~~~\ntool.run()\ntool.stop()\n~~~', { doc: inBlock, multiline: true, languageId: 'markdown' }), 'tool.run()\ntool.stop()');
      // After the block has closed (a longer closer closes it; ``` inside a ~~~ block does not), the fence is content again.
      for (const closed of ['```\nx\n````\n\n¦\n', '~~~\n```\nx\n~~~\n\n¦\n']) {
        assert.equal(clean('```sh\nnpm test\n```', { doc: closed, multiline: true, languageId: 'markdown' }), '```sh\nnpm test\n```', closed);
      }
      assert.equal(clean('```sh\nnpm test\n```', { doc: '~~~\n```\n¦\n', languageId: 'markdown' }), 'npm test', 'still inside the ~~~ block');
    });
  });

  describe('a one-line answer that starts on the next line', () => {
    it('shows nothing at the end of a finished line, where it would be glued onto the line', () => {
      assert.equal(clean('\nprint(x)', { doc: 'x = compute()¦\n', languageId: 'python' }), undefined);
      assert.equal(clean('\n\tfmt.Println(x)', { doc: 'func main() {\n\tx := compute()¦\n}\n', languageId: 'go' }), undefined);
      assert.equal(clean('\n  total += 1;', { doc: 'function f() {\n  let total = 0;¦\n}\n' }), undefined);
    });

    it('shows nothing after a Go line ending with `:`, nor after a `case` or `default` line, where the value or statement starts a line', () => {
      // A raw string glued onto `Usage:` would show its first line only: `Usage:\t\t`serve [flags]`.
      const goDoc = 'var serve = &cli.Command{\n\tName: "serve",\n\tUsage:¦\n}\n';
      assert.equal(clean('\n\t\t`serve [flags]\n\nServes the API.`,', { doc: goDoc, languageId: 'go' }), undefined);
      assert.equal(clean('\n\t\treturn 2', { doc: 'func f(x int) int {\n\tswitch x {\n\tcase 1:¦\n\t}\n}\n', languageId: 'go' }), undefined);
      assert.equal(clean('\n      return 2;', { doc: 'switch (x) {\n    case 1:¦\n}\n' }), undefined);
      assert.equal(clean('\n      return 0;', { doc: 'switch (x) {\n    default:¦\n}\n', languageId: 'java' }), undefined);
      // Asked for the lines after it, the answer keeps its line break.
      assert.equal(clean('\n\t\t`serve [flags]`,', { doc: goDoc, languageId: 'go', nextLine: true }), '\n\t\t`serve [flags]`,');
    });

    it('glues an answer after a colon that ends a line mid-expression with one space, not the next line’s indentation', () => {
      assert.equal(clean('\n    compute(),', { doc: 'const o = {\n  total:¦\n};\n' }), ' compute(),');
      assert.equal(clean('\n  fallback;', { doc: 'const v = ready ? value :¦\n' }), ' fallback;');
      assert.equal(clean('\n  number) {}', { doc: 'function f(x:¦\n' }), ' number) {}');
    });

    it('still drops a chat model’s leading blank line where the line is not finished, and keeps the next lines when they were asked for', () => {
      assert.equal(clean('\ncompute()', { doc: 'x = ¦\n', languageId: 'python' }), 'compute()');
      assert.equal(clean('\nprint(x)', { doc: 'x = compute()¦\n', languageId: 'python', nextLine: true }), '\nprint(x)');
    });
  });

  describe('chatter', () => {
    it('drops a leading introduction and a fence after it', () => {
      const doc = 'def double(x):\n    return ¦\n';
      const raw = "Sure! Here's the completion:\n\n```python\nx * 2\n```\n\nThis returns twice the input.";
      assert.equal(clean(raw, { doc, languageId: 'python' }), 'x * 2');
    });

    it('drops a leading introduction without a fence', () => {
      const doc = 'const names = users.map(¦)\n';
      assert.equal(clean('Here is the code to insert:\n(user) => user.name', { doc }), '(user) => user.name');
    });

    it('drops a closing explanation after a multi-line answer', () => {
      const doc = 'function sum(xs: number[]) {\n  ¦\n}\n';
      const raw = '  let total = 0;\n  for (const x of xs) total += x;\n  return total;\n\nThis function adds up the numbers in xs.\nIt returns 0 for an empty list.';
      assert.equal(clean(raw, { doc, multiline: true }), 'let total = 0;\n  for (const x of xs) total += x;\n  return total;');
    });

    it('keeps prose that is part of the code, such as docstring text', () => {
      const doc = 'def area(r):\n    ¦\n';
      const raw = '"""Area of a circle.\n\n    This uses pi from math.\n    """\n    return math.pi * r * r';
      assert.equal(
        clean(raw, { doc, multiline: true, languageId: 'python' }),
        '"""Area of a circle.\n\n    This uses pi from math.\n    """\n    return math.pi * r * r',
      );
    });

    it('returns nothing for a refusal', () => {
      assert.equal(clean("I'm sorry, but I can't see enough of the file to help.", { doc: 'const x = ¦\n' }), undefined);
    });

    it('cuts at leaked model control tokens', () => {
      assert.equal(clean('items.length;<|endoftext|>// more', { doc: 'const n = ¦\n', fim: true }), 'items.length;');
      assert.equal(clean('a + b<|fim_middle|>junk', { doc: 'const n = ¦\n', fim: true }), 'a + b');
    });
  });

  describe('echoed prefix', () => {
    it('drops a repeat of the start of the current line', () => {
      const doc = '  const total = ¦\n';
      assert.equal(clean('const total = items.reduce((sum, item) => sum + item.price, 0);', { doc }), 'items.reduce((sum, item) => sum + item.price, 0);');
    });

    it('drops a repeat of the previous lines and the current line', () => {
      const doc = 'function f(a) {\n  const b = a * 2;\n  return ¦\n}\n';
      const raw = 'function f(a) {\n  const b = a * 2;\n  return b + 1;';
      assert.equal(clean(raw, { doc }), 'b + 1;');
    });

    it('drops a repeat of the name the cursor stands in the middle of', () => {
      const doc = 'function f(items) {\n  const total = it¦\n}\n';
      assert.equal(accept(doc, clean('items.length;', { doc })), 'function f(items) {\n  const total = items.length;\n}\n');
      const member = 'const total = items.le¦\n';
      assert.equal(accept(member, clean('items.length;', { doc: member })), 'const total = items.length;\n');
      const module = 'import os¦\n';
      assert.equal(accept(module, clean('os.path', { doc: module, languageId: 'python' })), 'import os.path\n');
    });

    it('keeps an answer that goes on after the name, and a FIM model’s, which continues at the cursor', () => {
      assert.equal(clean('.length;', { doc: 'const total = items¦\n' }), '.length;');
      assert.equal(clean('ems.length;', { doc: 'const total = it¦\n' }), 'ems.length;');
      assert.equal(clean('ititle;', { doc: 'const t = it¦\n', fim: true }), 'ititle;');
    });

    it('shows nothing for an answer that is just the name before the cursor, and only what goes beyond it', () => {
      assert.equal(clean('items', { doc: 'const n = items¦\n' }), undefined);
      assert.equal(clean('co', { doc: '  co¦\n' }), undefined, 'a line holding only the name');
      const doc = 'const n = items¦\n';
      assert.equal(accept(doc, clean('items;', { doc })), 'const n = items;\n');
      const call = 'if (ok) return¦\n';
      assert.equal(accept(call, clean('return done();', { doc: call })), 'if (ok) return done();\n');
    });

    it('drops a repeat of the last member of the name before the cursor', () => {
      const doc = 'const n = this.it¦\n';
      assert.equal(accept(doc, clean('items.length;', { doc })), 'const n = this.items.length;\n');
      assert.equal(accept(doc, clean('this.items.length;', { doc })), 'const n = this.items.length;\n');
    });

    it('keeps an answer that completes a longer name the file already has (cocoa after co, rerender after re)', () => {
      const drink = 'const cocoa = 1;\nconst drink = co¦\n';
      assert.equal(accept(drink, clean('coa;', { doc: drink })), 'const cocoa = 1;\nconst drink = cocoa;\n');
      const member = 'class View {\n  go() {\n    this.re¦\n  }\n  rerender() {}\n}\n';
      assert.equal(accept(member, clean('render();', { doc: member })), 'class View {\n  go() {\n    this.rerender();\n  }\n  rerender() {}\n}\n');
      const short = 'const aa = 1;\nconst b = a¦\n';
      assert.equal(accept(short, clean('a', { doc: short })), 'const aa = 1;\nconst b = aa\n');
      // Where the file has the shorter name too, or only it, the repeat goes; the name being typed does not count.
      const both = 'function render() {}\nfunction rerender() {}\nthis.re¦\n';
      assert.equal(accept(both, clean('render();', { doc: both })), 'function render() {}\nfunction rerender() {}\nthis.render();\n');
      assert.equal(clean('a', { doc: 'const b = a¦\n' }), undefined);
    });

    it('drops a restated end of the line (the name assigned, with what follows it)', () => {
      const doc = 'function f(items) {\n  const total = ¦\n}\n';
      assert.equal(
        accept(doc, clean('total = items.reduce((sum, item) => sum + item, 0);', { doc })),
        'function f(items) {\n  const total = items.reduce((sum, item) => sum + item, 0);\n}\n',
      );
      const partial = 'const total = it¦\n';
      assert.equal(accept(partial, clean('total = items.length;', { doc: partial })), 'const total = items.length;\n');
      const member = 'init(); this.total = ¦\n';
      assert.equal(accept(member, clean('total = 0;', { doc: member })), 'init(); this.total = 0;\n');
      const index = '  x(); rows[i] = ¦\n';
      assert.equal(accept(index, clean('rows[i] = 0;', { doc: index })), '  x(); rows[i] = 0;\n');
      const early = 'if (ok) return ¦\n';
      assert.equal(accept(early, clean('return done();', { doc: early })), 'if (ok) return done();\n');
    });

    it('keeps an answer that starts like the end of the line without clearly repeating it', () => {
      assert.equal(clean('= 5;', { doc: 'const total =¦\n' }), '= 5;', 'an operator alone');
      assert.equal(clean('(a)', { doc: 'foo(¦\n' }), '(a)', 'a bracket alone');
      assert.equal(clean('i = 0; i < n; i++)', { doc: 'for (let i = ¦\n' }), 'i = 0; i < n; i++)', 'a one-letter name');
      assert.equal(clean('string, number]', { doc: 'type Row = [string, ¦\n' }), 'string, number]', 'a list element');
      assert.equal(clean('Math.max(a, b), c)', { doc: 'const m = Math.max(¦\n' }), 'Math.max(a, b), c)', 'a nested call');
      assert.equal(clean('total = 1;', { doc: 'const total = ¦\n', fim: true }), 'total = 1;', 'a FIM model continues at the cursor');
    });

    it("drops a chat model's restated indentation on an empty line", () => {
      const doc = 'function f() {\n    ¦\n}\n';
      assert.equal(accept(doc, clean('    return 42;', { doc, multiline: true })), 'function f() {\n    return 42;\n}\n');
    });

    it("keeps a FIM model's deeper indentation, which continues the line", () => {
      const doc = 'if (ok) {\n  ¦\n}\n';
      assert.equal(clean('  retry();', { doc, fim: true, multiline: true }), '  retry();');
    });
  });

  describe('suffix overlap', () => {
    it('trims closing brackets the rest of the line already has', () => {
      const doc = 'const names = pick(users, ¦);\n';
      assert.equal(accept(doc, clean('"name");', { doc })), 'const names = pick(users, "name");\n');
    });

    it('keeps brackets the answer opened itself', () => {
      const doc = 'render(¦)\n';
      assert.equal(accept(doc, clean('list.map((x) => x.id))', { doc })), 'render(list.map((x) => x.id))\n');
    });

    it('trims the closing quote of the string the cursor is in', () => {
      const doc = 'const greeting = "Hello, ¦";\n';
      assert.equal(accept(doc, clean('world!";', { doc })), 'const greeting = "Hello, world!";\n');
    });

    it('trims trailing punctuation the line already ends with', () => {
      const doc = 'const limit = ¦;\n';
      assert.equal(accept(doc, clean('100;', { doc })), 'const limit = 100;\n');
    });

    it('does not trim a closer that only looks like the one after the cursor', () => {
      const doc = 'const first = ¦;\n';
      assert.equal(accept(doc, clean('list[0];', { doc })), 'const first = list[0];\n');
    });

    it('does not emit a closing brace that the suffix already has on the next line', () => {
      const doc = 'function f() {¦\n}\n';
      assert.equal(accept(doc, clean('\n  return 1;\n}', { doc, multiline: true, fim: true })), 'function f() {\n  return 1;\n}\n');
    });

    it('leaves the line break and indentation for a closer that follows the cursor', () => {
      const doc = 'class A {\n  run() {¦}\n}\n';
      assert.equal(accept(doc, clean('\n    go();\n  }', { doc, multiline: true, fim: true })), 'class A {\n  run() {\n    go();\n  }\n}\n');
    });

    it('stops where the answer runs into the code that follows', () => {
      const doc = 'function f(a) {\n  const b = a + 1;\n  ¦\n  return b;\n}\n';
      const raw = 'log(b);\n  return b;\n}';
      assert.equal(clean(raw, { doc, multiline: true, fim: true }), 'log(b);');
    });
  });

  describe('identical to the suffix', () => {
    it('returns nothing when the answer is exactly what follows the cursor', () => {
      assert.equal(clean('return b;', { doc: 'function f(b) {\n  ¦return b;\n}\n' }), undefined);
      assert.equal(clean('  return b;\n}', { doc: 'function f(b) {\n¦  return b;\n}\n', multiline: true, fim: true }), undefined);
    });

    it('returns nothing when the only thing left is a closer the suffix has', () => {
      assert.equal(clean('}', { doc: 'if (x) {\n  y();\n¦}\n' }), undefined);
    });
  });

  describe('single-line', () => {
    it('keeps only the first line', () => {
      const doc = 'const total = ¦\n';
      assert.equal(clean('items.length;\nconsole.log(total);\nreturn total;', { doc, fim: true }), 'items.length;');
    });

    it('returns nothing when a FIM model says the line is done', () => {
      assert.equal(clean('\nconsole.log(x);', { doc: 'const x = compute();¦\n', fim: true }), undefined);
    });

    it("drops a chat model's leading blank line", () => {
      assert.equal(clean('\n\nitems.length;', { doc: 'const total = ¦\n' }), 'items.length;');
    });
  });

  describe('multi-line block end', () => {
    it('keeps the body and the closing brace of the block opened at the cursor, then stops', () => {
      const doc = 'function total(items) {¦\n';
      const raw = '\n  return items.length;\n}\n\nfunction other() {\n  return 0;\n}';
      assert.equal(clean(raw, { doc, multiline: true, fim: true }), '\n  return items.length;\n}');
    });

    it('stops when indentation drops below the block the cursor is in', () => {
      const doc = 'class Cart {\n  total() {\n    ¦\n  }\n}\n';
      const raw = '    const sum = this.items.length;\n    return sum;\n  }\n\n  clear() {\n    this.items = [];\n  }';
      assert.equal(clean(raw, { doc, multiline: true }), 'const sum = this.items.length;\n    return sum;');
    });

    it('stops a Python body at the first dedent', () => {
      const doc = 'def total(rows):¦\n';
      const raw = '\n    s = 0\n    for r in rows:\n        s += r\n    return s\n\ndef other():\n    pass';
      assert.equal(clean(raw, { doc, multiline: true, languageId: 'python', fim: true }), '\n    s = 0\n    for r in rows:\n        s += r\n    return s');
    });

    it('adds the line break a chat model left out after an opener', () => {
      const doc = 'function f() {¦\n';
      assert.equal(clean('  return 1;\n}', { doc, multiline: true }), '\n  return 1;\n}');
    });
  });

  describe('after a Python block header', () => {
    it('puts a chat answer glued to the header’s colon on the next line, one level deeper, with its relative lines', () => {
      const doc = 'def sign(x):\n    if x < 0:¦\n    return 1\n';
      assert.equal(clean('return -1', { doc, multiline: true, languageId: 'python' }), '\n        return -1');
      const top = 'if ready:¦\n';
      const text = clean('for i in range(3):\n    print(i)', { doc: top, multiline: true, languageId: 'python' });
      assert.equal(text, '\n    for i in range(3):\n        print(i)');
      assert.equal(accept(top, text), 'if ready:\n    for i in range(3):\n        print(i)\n');
      // Later lines written for the file already stay where they are.
      assert.equal(clean('x = 1\n    y = 2', { doc: top, multiline: true, languageId: 'python' }), '\n    x = 1\n    y = 2');
    });

    it('indents by the file’s own step', () => {
      const doc = 'def f(x):\n  y = x\n  if y:¦\n';
      assert.equal(clean('return y', { doc, multiline: true, languageId: 'python' }), '\n    return y');
    });

    it('indents by the file’s step after a header written over several lines, not by its continuation lines’ indentation', () => {
      // PEP 8 hangs a def's parameters eight spaces deep; the body is still one level (four) in.
      const hanging = 'def f(\n        a,\n        b,\n):¦\n';
      assert.equal(clean('return a + b', { doc: hanging, multiline: true, languageId: 'python' }), '\n    return a + b');
      // A file indented by two, its parameters by four (more lines than the file's own steps).
      const twos = 'class A:\n  def f(\n      self,\n      a,\n      b,\n  ):¦\n';
      assert.equal(clean('return a', { doc: twos, multiline: true, languageId: 'python' }), '\n    return a');
      const continued = 'def g(x):\n  if x and \\\n          ready:¦\n';
      assert.equal(clean('go()', { doc: continued, multiline: true, languageId: 'python' }), '\n    go()');
      // Where braces open blocks, the lines inside them are statements: their steps count.
      const method = 'class A {\n  sum(\n      a: number,\n      b: number,\n  ) { // both¦\n';
      assert.equal(clean('return a + b;', { doc: method, multiline: true }), '\n    return a + b;');
    });

    it('keeps an answer set apart by a space, and one after a colon that opens no block', () => {
      assert.equal(clean(' return 0', { doc: 'if x:¦\n', multiline: true, languageId: 'python' }), ' return 0');
      assert.equal(clean('x + 1', { doc: 'f = lambda x:¦\n', multiline: true, languageId: 'python' }), 'x + 1');
      assert.equal(clean('1,', { doc: 'd = {\n    "a":¦\n}\n', multiline: true, languageId: 'python' }), '1,');
    });

    it('keeps the clauses that go on the header’s statement (`else`, `elif`, `except`, `finally`) with their bodies', () => {
      const doc = 'def sign(x):\n    if x < 0:¦\n    return 1\n';
      const branches = '\n        return -1\n    elif x == 0:\n        return 0\n    else:\n        return 1\n    print(x)';
      assert.equal(clean(branches, { doc, multiline: true, languageId: 'python' }), '\n        return -1\n    elif x == 0:\n        return 0\n    else:\n        return 1');
      // A FIM model's answer is cut the same way.
      assert.equal(clean(branches, { doc, multiline: true, languageId: 'python', fim: true }), '\n        return -1\n    elif x == 0:\n        return 0\n    else:\n        return 1');
      const handled = '\n    data = load()\nexcept OSError as error:\n    log(error)\nfinally:\n    close()\nrun()';
      assert.equal(clean(handled, { doc: 'try:¦\n', multiline: true, languageId: 'python' }), '\n    data = load()\nexcept OSError as error:\n    log(error)\nfinally:\n    close()');
      const loop = 'for item in items:¦\n';
      assert.equal(clean('\n    if item:\n        break\nelse:\n    missing()', { doc: loop, multiline: true, languageId: 'python' }), '\n    if item:\n        break\nelse:\n    missing()');
      // The same from the empty line below the header, where the cursor stands after Enter (a FIM model's answer,
      // which continues exactly there: a chat model's lines indented less than the cursor read as relative to it).
      const below = 'def sign(x):\n    if x < 0:\n        ¦\n';
      assert.equal(clean('return -1\n    else:\n        return 1\n    print(x)', { doc: below, multiline: true, languageId: 'python', fim: true }), 'return -1\n    else:\n        return 1');
    });

    it('reads a header written over several lines at the indentation of the line its statement starts on', () => {
      const doc = 'def f(a, b):\n    if (a and\n            b):¦\n    return 1\n';
      // A FIM model's body at the statement's level plus one was cut whole (nothing shown); a chat model's was pushed
      // under the header's last line.
      assert.equal(clean('\n        go()\n        stop()\n    return 1', { doc, multiline: true, languageId: 'python', fim: true }), '\n        go()\n        stop()');
      assert.equal(clean('\n        go()\n        stop()', { doc, multiline: true, languageId: 'python' }), '\n        go()\n        stop()');
      const goDoc = 'func f() {\n\tif a &&\n\t\tb {¦\n\t}\n}\n';
      assert.equal(clean('\n\t\tgo()\n\t\tstop()', { doc: goDoc, multiline: true, languageId: 'go', fim: true }), '\n\t\tgo()\n\t\tstop()');
    });

    it('still cuts at a clause of another statement, and at one the text after the cursor already has', () => {
      // `with` goes on with no clause: an `else:` at its level belongs to an enclosing statement.
      const doc = 'def f(path):\n    with open(path) as fh:¦\n';
      assert.equal(clean('\n        data = fh.read()\n    else:\n        data = ""', { doc, multiline: true, languageId: 'python' }), '\n        data = fh.read()');
      const hasElse = 'def sign(x):\n    if x < 0:¦\n    else:\n        return 1\n';
      assert.equal(clean('\n        return -1\n    else:\n        return 1', { doc: hasElse, multiline: true, languageId: 'python' }), '\n        return -1');
      // A `def` or a plain statement at the header's level ends the block.
      assert.equal(clean('\n    x = 1\nprint(x)', { doc: 'if ready:¦\n', multiline: true, languageId: 'python' }), '\n    x = 1');
    });

    it('on one line, shows nothing there but an answer set apart by a space', () => {
      const doc = 'if x:¦\n';
      assert.equal(clean('\n    return 0', { doc, languageId: 'python' }), undefined);
      assert.equal(clean('return 0', { doc, languageId: 'python' }), undefined);
      assert.equal(clean(' return 0', { doc, languageId: 'python' }), ' return 0');
    });
  });

  describe('a comment at the end of the cursor’s line', () => {
    it('puts the body of a header ending in a comment below it, never into the comment', () => {
      const doc = 'def f(x):\n    if x:  # the usual case¦\n    return 1\n';
      assert.equal(clean('return 0', { doc, multiline: true, languageId: 'python' }), '\n        return 0');
      assert.equal(clean(' return 0', { doc, multiline: true, languageId: 'python' }), '\n        return 0');
      assert.equal(clean('\n        return 0\n    return 1', { doc, multiline: true, languageId: 'python' }), '\n        return 0');
      // On one line nothing can follow: a statement there would be part of the comment.
      assert.equal(clean(' return 0', { doc, languageId: 'python' }), undefined);
      assert.equal(clean('\n        return 0', { doc, languageId: 'python' }), undefined);
      const braces = 'function f() {\n  if (x) { // check¦\n}\n';
      assert.equal(accept(braces, clean('return 1;\n  }', { doc: braces, multiline: true })), 'function f() {\n  if (x) { // check\n    return 1;\n  }\n}\n');
      const yaml = 'services:\n  web:  # the site¦\n';
      assert.equal(clean('image: nginx', { doc: yaml, multiline: true, languageId: 'yaml' }), '\n    image: nginx');
    });

    it('shows nothing of a one-line answer that starts on the next line, which would be glued into the comment', () => {
      assert.equal(clean('\nprint(x)', { doc: 'x = load()  # cached¦\n', languageId: 'python' }), undefined);
      assert.equal(clean('\nbar();', { doc: 'function f() {\n  foo(); // call¦\n}\n' }), undefined);
      assert.equal(clean('\nt.x = 1', { doc: 'local t = {} -- a table¦\n', languageId: 'lua' }), undefined);
      assert.equal(clean('\n  name', { doc: 'SELECT id, -- the key¦\n', languageId: 'sql' }), undefined);
      // Without the line break it may go on with the comment's words.
      assert.equal(clean(' from disk', { doc: 'x = load()  # cached¦\n', languageId: 'python' }), ' from disk');
      // A `#` in a string is no comment.
      assert.equal(clean('.com"', { doc: 'url = "http://a#b¦\n', languageId: 'python' }), '.com"');
    });
  });

  describe('a chat model’s body glued onto a block’s opener', () => {
    it('goes below an opening keyword or brace, one level deeper, so no words are joined', () => {
      const cases: [doc: string, languageId: string, answer: string, expected: string][] = [
        ['if x > 0 then¦\nend\n', 'lua', 'print(x)\nend', '\n    print(x)'],
        ['local function add(a, b)¦\nend\n', 'lua', 'return a + b\nend', '\n    return a + b'],
        ['if [ -f "$f" ]; then¦\nfi\n', 'shellscript', 'echo found\nfi', '\n    echo found'],
        ['greet() {¦\n}\n', 'shellscript', 'echo hi\n}', '\n    echo hi'],
        // Ruby is indented by two where nothing around says otherwise.
        ['items.each do |item|¦\nend\n', 'ruby', 'puts item\nend', '\n  puts item'],
        ['fn add(a: i32, b: i32) -> i32 {¦\n}\n', 'rust', 'a + b\n}', '\n    a + b'],
        ['fun add(a: Int, b: Int): Int {¦\n}\n', 'kotlin', 'return a + b\n}', '\n    return a + b'],
      ];
      for (const [doc, languageId, answer, expected] of cases) {
        assert.equal(clean(answer, { doc, multiline: true, languageId }), expected, `${languageId}: ${doc}`);
      }
    });

    it('goes below a case label and a shell case arm, one level deeper than it, not glued on (`case 1:print(x)`)', () => {
      const cases: [doc: string, languageId: string, answer: string, expected: string][] = [
        ['switch x {\ncase 1:¦\n}\n', 'swift', 'print(x)', '\n    print(x)'],
        ['switch (x) {\n  case 1:¦\n}\n', 'c', 'puts("one");\n    break;', '\n    puts("one");\n    break;'],
        ['switch (kind) {\n  default:¦\n}\n', 'typescript', 'return 0;', '\n    return 0;'],
        ['switch kind {\ncase "a":¦\n}\n', 'go', 'run()', '\n\trun()'],
        ['case "$1" in\n  start)¦\nesac\n', 'shellscript', 'echo start\n    ;;', '\n    echo start\n    ;;'],
        ['case "$1" in\n  start)¦\nesac\n', 'shellscript', 'echo start\n;;', '\n    echo start\n    ;;'],
      ];
      for (const [doc, languageId, answer, expected] of cases) {
        assert.equal(clean(answer, { doc, multiline: true, languageId }), expected, `${languageId}: ${JSON.stringify(doc)} <- ${JSON.stringify(answer)}`);
      }
      // Given below already, the arm's body stays below.
      assert.equal(clean('\n    echo start\n    ;;', { doc: 'case "$1" in\n  start)¦\nesac\n', multiline: true, languageId: 'shellscript' }), '\n    echo start\n    ;;');
      // Python's `case 1:` was already a block header.
      assert.equal(clean('print(x)', { doc: 'match x:\n    case 1:¦\n', multiline: true, languageId: 'python' }), '\n        print(x)');
    });

    it('reads a shell line closing an array (`  b)` below `arr=(`) as the end of a statement, not a case arm', () => {
      const array = 'arr=(\n  a\n  b)¦\n';
      // The lines after the array go at its statement's indentation: they were dropped whole (cut as leaving the
      // arm's body), and an answer glued on was pushed below as the arm's body.
      assert.equal(clean('\necho "${arr[@]}"', { doc: array, nextLine: true, languageId: 'shellscript' }), '\necho "${arr[@]}"');
      assert.equal(clean('echo "${arr[@]}"', { doc: array, multiline: true, languageId: 'shellscript' }), 'echo "${arr[@]}"');
      const inFunction = 'build() {\n  flags=(\n    -O2\n    -g)¦\n}\n';
      assert.equal(clean('\ngcc "${flags[@]}" main.c\nstrip a.out', { doc: inFunction, nextLine: true, languageId: 'shellscript' }), '\n  gcc "${flags[@]}" main.c\n  strip a.out');
      // An array closing inside an arm's body: its statement's lines, and the arm's `;;`, at the body's indentation.
      const inArm = 'case "$1" in\n  start)\n    arr=(\n      a\n      b)¦\nesac\n';
      assert.equal(clean('\nrun "${arr[@]}"\n;;', { doc: inArm, nextLine: true, languageId: 'shellscript' }), '\n    run "${arr[@]}"\n    ;;');
      // An arm after others is still one: its body below it.
      assert.equal(clean('echo b\n;;', { doc: 'case "$1" in\n  a) echo a ;;\n  b)¦\nesac\n', multiline: true, languageId: 'shellscript' }), '\n    echo b\n    ;;');
    });

    it('puts the lines after a call written over several lines at its statement’s indentation (TypeScript, Python)', () => {
      assert.equal(clean('\nlog(total);', { doc: 'function f() {\n  const total = sum(\n    a,\n    b);¦\n}\n', nextLine: true }), '\n  log(total);');
      assert.equal(clean('\nprint(total)', { doc: 'def f():\n    total = add(\n        a,\n        b)¦\n', nextLine: true, languageId: 'python' }), '\n    print(total)');
    });

    it('puts the space an arrow takes before an expression glued onto it (a match arm\'s `=>`, a `when` branch\'s `->`), not after `node->`', () => {
      assert.equal(clean('println!("one"),', { doc: 'match x {\n    1 =>¦\n}\n', multiline: true, languageId: 'rust' }), ' println!("one"),');
      assert.equal(clean('{\n        one();\n    }', { doc: 'match x {\n    1 =>¦\n}\n', multiline: true, languageId: 'rust' }), ' {\n        one();\n    }');
      assert.equal(clean('println("one")', { doc: 'when (x) {\n    1 ->¦\n}\n', multiline: true, languageId: 'kotlin' }), ' println("one")');
      assert.equal(clean('x * 2', { doc: 'const double = (x) =>¦\n', multiline: true }), ' x * 2');
      assert.equal(clean('next;', { doc: 'p = node->¦\n', languageId: 'c' }), 'next;');
      assert.equal(clean('name;', { doc: '$x = $this->¦\n', languageId: 'php' }), 'name;');
      assert.equal(clean(' println("one")', { doc: 'when (x) {\n    1 ->¦\n}\n', multiline: true, languageId: 'kotlin' }), ' println("one")');
    });

    it('stays on the line after `(` or `[`, after a name still being typed, and before a closer on the line', () => {
      assert.equal(clean('url)', { doc: 'fetchAll(¦\n', multiline: true }), 'url)');
      assert.equal(clean('al', { doc: 'def tot¦\nend\n', multiline: true, languageId: 'ruby' }), 'al');
      assert.equal(clean('return 1; ', { doc: 'function one() {¦}\n', multiline: true }), 'return 1;');
      assert.equal(clean('{\n  undo();\n}', { doc: 'if (ok) {\n  go();\n} else¦\n', multiline: true }), '{\n  undo();\n}');
      assert.equal(clean('}', { doc: 'function noop() {¦\n', multiline: true }), '}');
      assert.equal(clean('it.name }', { doc: 'val names = items.map {¦\n', multiline: true, languageId: 'kotlin' }), 'it.name }');
    });
  });

  describe('an answer given below a line that ends with a word', () => {
    it('is not joined onto the word: nothing on one line, the next lines where lines were asked for', () => {
      assert.equal(clean('\nWHERE active = 1;', { doc: 'SELECT id\nFROM users¦\n', languageId: 'sql' }), undefined);
      assert.equal(clean('\nprint(x)', { doc: 'x = load¦\n', languageId: 'python' }), undefined);
      assert.equal(clean('\n\nRun npm install.', { doc: '## Install¦\n', languageId: 'markdown' }), undefined);
      assert.equal(clean('\nWHERE active = 1;', { doc: 'SELECT id\nFROM users¦\n', languageId: 'sql', multiline: true }), '\nWHERE active = 1;');
    });

    it('still drops the line break before an answer that goes on with the line, or restates its name', () => {
      assert.equal(clean('\n(path)', { doc: 'x = load¦\n', languageId: 'python' }), '(path)');
      assert.equal(clean('\nload()', { doc: 'x = lo¦\n', languageId: 'python' }), 'ad()');
      assert.equal(clean('\nitems.length;', { doc: 'const n = ¦\n' }), 'items.length;');
    });
  });

  describe('HTML and XML', () => {
    it('reads a closing tag as a closer: an answer that repeats the element’s end is cut there', () => {
      const doc = '<body>\n  <div>\n    ¦\n  </div>\n</body>\n';
      assert.equal(clean('<p>Hi</p>\n  </div>\n</body>', { doc, multiline: true, languageId: 'html' }), '<p>Hi</p>');
      const list = '<ul>\n  <li>One</li>\n  ¦\n</ul>\n';
      assert.equal(clean('<li>Two</li>\n</ul>', { doc: list, multiline: true, languageId: 'html' }), '<li>Two</li>');
    });
  });

  describe('YAML', () => {
    it('keeps the line break that puts a nested mapping under the key that ends the cursor’s line', () => {
      const doc = 'services:\n  web:¦\n  db:\n    image: postgres\n';
      const text = clean('\n    image: nginx\n    ports:\n      - "80:80"\n  db:\n    image: postgres', { doc, multiline: true, languageId: 'yaml' });
      assert.equal(accept(doc, text), 'services:\n  web:\n    image: nginx\n    ports:\n      - "80:80"\n  db:\n    image: postgres\n');
    });

    it('puts a mapping or a list a chat model glued to the key’s colon below the key, and a scalar after a space', () => {
      const doc = 'services:\n  web:¦\n';
      // Glued on, these read `web:image: nginx` and `steps:- run: make`.
      assert.equal(clean('image: nginx\nports:\n  - "80:80"', { doc, multiline: true, languageId: 'yaml' }), '\n    image: nginx\n    ports:\n      - "80:80"');
      const steps = 'jobs:\n  build:\n    steps:¦\n';
      assert.equal(clean('- run: make\n- run: make test', { doc: steps, multiline: true, languageId: 'yaml' }), '\n      - run: make\n      - run: make test');
      const image = 'services:\n  web:\n    image:¦\n';
      assert.equal(clean('nginx:1.27', { doc: image, multiline: true, languageId: 'yaml' }), ' nginx:1.27');
      assert.equal(clean('nginx:1.27', { doc: image, languageId: 'yaml' }), ' nginx:1.27');
      // A block scalar's text goes past the key of its list item, as YAML needs.
      const script = 'jobs:\n  build:\n    steps:\n      - run: |¦\n';
      assert.equal(clean('make\nmake test', { doc: script, multiline: true, languageId: 'yaml' }), '\n          make\n          make test');
      // Inside a flow mapping a colon opens nothing.
      assert.equal(clean('1', { doc: 'point: {x:¦}\n', multiline: true, languageId: 'yaml' }), '1');
    });
  });

  describe('indentation where the file shows none', () => {
    const json = '{¦\n}\n';
    const answer = '"name": "demo",\n"private": true';

    it('indents JSON by two, as package.json and most JSON stand, not by four', () => {
      assert.equal(clean(answer, { doc: json, multiline: true, languageId: 'json' }), '\n  "name": "demo",\n  "private": true');
    });

    it('takes the editor\'s tab size and insertSpaces over any language\'s custom, and the file\'s own over both', () => {
      const at = json.indexOf('¦');
      const withEditor = (languageId: string, doc: string, text: string, tabSize: number, insertSpaces: boolean) => {
        const where = doc.indexOf('¦');
        return postprocessCompletion(text, { prefix: doc.slice(0, where), suffix: doc.slice(where + 1), multiline: true, languageId, indent: { tabSize, insertSpaces } });
      };
      assert.equal(at, 1);
      assert.equal(withEditor('json', json, answer, 4, true), '\n    "name": "demo",\n    "private": true');
      assert.equal(withEditor('json', json, answer, 2, false), '\n\t"name": "demo",\n\t"private": true');
      assert.equal(withEditor('python', 'def f(x):¦\n', 'return x', 3, true), '\n   return x');
      // Go is indented with tabs by rule; an editor that inserts spaces says otherwise for this document.
      assert.equal(withEditor('go', 'func f() {¦\n}\n', 'run()', 4, true), '\n    run()');
      // The lines around the cursor are the file's own word: two spaces here, whatever the editor's default.
      assert.equal(withEditor('json', '{\n  "a": {¦\n  }\n}\n', '"b": 1', 4, true), '\n    "b": 1');
    });
  });

  describe('a file indented with tabs', () => {
    const goDoc = 'func load(path string) error {\n\tdata, err := read(path)\n\t¦\n}\n';

    it('gives a chat model’s space-indented lines the file’s tabs, and drops its restated indentation', () => {
      const raw = '    if err != nil {\n        return err\n    }';
      const text = clean(raw, { doc: goDoc, multiline: true, languageId: 'go' });
      assert.equal(text, 'if err != nil {\n\t\treturn err\n\t}');
      assert.equal(accept(goDoc, text), 'func load(path string) error {\n\tdata, err := read(path)\n\tif err != nil {\n\t\treturn err\n\t}\n}\n');
    });

    it('reads a two-space answer as two spaces a level, above a cursor at the start of its block', () => {
      const doc = 'int f(void) {\n\treturn 0;\n}\nint main(void) {¦\n';
      const raw = '\n  for (;;) {\n    tick();\n  }\n}';
      assert.equal(clean(raw, { doc, multiline: true, languageId: 'c' }), '\n\tfor (;;) {\n\t\ttick();\n\t}\n}');
    });

    it('reads the file’s tabs below the cursor, or from Go’s rule, where nothing above is indented', () => {
      const first = 'package main\n\nfunc total() int {¦\n';
      assert.equal(clean('\n    return 1\n}', { doc: first, multiline: true, languageId: 'go' }), '\n\treturn 1\n}');
      const above = 'int total(void) {¦\n}\n\nint other(void) {\n\treturn 2;\n}\n';
      assert.equal(clean('\n    return 1;', { doc: above, multiline: true, languageId: 'c' }), '\n\treturn 1;');
    });

    it('leaves an answer alone in a file indented with spaces, or one already using tabs', () => {
      const spaces = 'function f() {\n  const x = 1;\n  ¦\n}\n';
      assert.equal(clean('if (x) {\n    go();\n  }', { doc: spaces, multiline: true }), 'if (x) {\n    go();\n  }');
      assert.equal(clean('if err != nil {\n\t\treturn err\n\t}', { doc: goDoc, multiline: true, languageId: 'go' }), 'if err != nil {\n\t\treturn err\n\t}');
    });
  });

  describe('lines indented relative to the first', () => {
    const pyDoc = 'class Cart:\n    def total(self):\n        ¦\n\n    def size(self):\n        return 0\n';

    it('indents a chat model’s lines after a block-opening first line from the cursor’s column', () => {
      const text = clean('for item in self.items:\n    total += item.price\nreturn total', { doc: pyDoc, multiline: true, languageId: 'python' });
      // The suggestion ends with the block its first line opens, as one indented for the file does.
      assert.equal(text, 'for item in self.items:\n            total += item.price');
      assert.equal(
        accept(pyDoc, text),
        'class Cart:\n    def total(self):\n        for item in self.items:\n            total += item.price\n\n    def size(self):\n        return 0\n',
      );
    });

    it('indents a same-level statement at the end of a block, and a closer of the answer’s own block', () => {
      const doc = 'function total(cart) {\n  let sum = 0;\n  ¦\n}\n';
      assert.equal(clean('for (const item of cart) {\n  sum += item;\n}\nreturn sum;', { doc, multiline: true }), 'for (const item of cart) {\n    sum += item;\n  }');
      assert.equal(clean('sum += 1;\nreturn sum;', { doc, multiline: true }), 'sum += 1;\n  return sum;');
      assert.equal(clean('if (sum) {\n}', { doc, multiline: true }), 'if (sum) {\n  }');
    });

    it('gives relative space-indented lines the file’s tabs and the cursor’s tab', () => {
      const goDoc = 'func load(path string) error {\n\tdata, err := read(path)\n\t¦\n}\n';
      const text = clean('if err != nil {\n    return err\n}', { doc: goDoc, multiline: true, languageId: 'go' });
      assert.equal(text, 'if err != nil {\n\t\treturn err\n\t}');
    });

    it('leaves lines indented for the file alone, and still cuts an answer that leaves the block', () => {
      assert.equal(
        clean('for item in self.items:\n            total += item.price', { doc: pyDoc, multiline: true, languageId: 'python' }),
        'for item in self.items:\n            total += item.price',
      );
      const end = 'def total(items):\n    s = sum(items)\n    ¦\n';
      assert.equal(clean('return s\n\ndef size(items):\n    return len(items)', { doc: end, multiline: true, languageId: 'python' }), 'return s');
      const braces = 'function f() {\n  go();\n  ¦\n}\n';
      assert.equal(clean('return 1;\n}\n\nfunction g() {}', { doc: braces, multiline: true }), 'return 1;');
      assert.equal(clean('if (x) {\n  }', { doc: braces, multiline: true }), 'if (x) {\n  }');
    });

    it('indents a block the answer opens after a blank line where braces keep it inside the cursor’s block', () => {
      const doc = 'function setup() {\n    const x = 1;\n    ¦\n    use(x);\n}\n';
      const text = clean('const y = x + 1;\n\nfunction next() {\n  return y;\n}', { doc, multiline: true });
      assert.equal(
        accept(doc, text),
        'function setup() {\n    const x = 1;\n    const y = x + 1;\n\n    function next() {\n      return y;\n    }\n    use(x);\n}\n',
      );
      // At the end of the function too: without a `}` of its own first, the answer is still inside it.
      const end = 'function setup() {\n    const x = 1;\n    ¦\n}\n';
      assert.equal(clean('const y = x + 1;\n\nfunction next() {\n  return y;\n}', { doc: end, multiline: true }), 'const y = x + 1;\n\n    function next() {\n      return y;\n    }');
    });

    it('in Python, indents a def after a blank line where the block goes on, and cuts it where the block ends', () => {
      const middle = 'def report(orders):\n    total = 0\n    ¦\n    return total\n';
      const raw = 'total = sum(o.price for o in orders)\n\ndef rounded(value):\n    return round(value, 2)';
      assert.equal(
        clean(raw, { doc: middle, multiline: true, languageId: 'python' }),
        'total = sum(o.price for o in orders)\n\n    def rounded(value):\n        return round(value, 2)',
      );
      const end = 'def report(orders):\n    total = 0\n    ¦\n\ndef other():\n    pass\n';
      assert.equal(clean(raw, { doc: end, multiline: true, languageId: 'python' }), 'total = sum(o.price for o in orders)');
    });

    it('indents an answer that starts with a line break from the cursor’s line, after a finished line', () => {
      const doc = 'function setup() {\n    const x = 1;¦\n    use(x);\n}\n';
      assert.equal(clean('\nconst y = x + 1;\nlog(y);', { doc, nextLine: true }), '\n    const y = x + 1;\n    log(y);');
      assert.equal(
        clean('\n\nfunction next() {\n  return 2;\n}', { doc, nextLine: true }),
        '\n\n    function next() {\n      return 2;\n    }',
      );
      // Indented for the file already: left alone.
      assert.equal(clean('\n    const y = x + 1;', { doc, nextLine: true }), '\n    const y = x + 1;');
    });

    it('after a finished Python line, indents the next lines, and offers nothing for a def that leaves the ending block', () => {
      const middle = 'def report(orders):\n    total = sum(orders)¦\n    return total\n';
      assert.equal(
        clean('\n\ndef rounded(value):\n    return round(value, 2)', { doc: middle, nextLine: true, languageId: 'python' }),
        '\n\n    def rounded(value):\n        return round(value, 2)',
      );
      assert.equal(clean('\nprint(total)', { doc: middle, nextLine: true, languageId: 'python' }), '\n    print(total)');
      const end = 'def report(orders):\n    total = sum(orders)¦\n\ndef other():\n    pass\n';
      assert.equal(clean('\n\ndef rounded(value):\n    return round(value, 2)', { doc: end, nextLine: true, languageId: 'python' }), undefined);
    });

    it('indents the body after an opener on the cursor’s line from that line, deeper than it', () => {
      const braces = 'function f(x) {\n    if (x) {¦\n}\n';
      assert.equal(clean('\n    return 1;\n}', { doc: braces, multiline: true }), '\n        return 1;\n    }');
      // Started without its line break: the same once the line break is put back.
      assert.equal(clean('    return 1;\n}', { doc: braces, multiline: true }), '\n        return 1;\n    }');
      assert.equal(clean('\n        return 1;\n    }', { doc: braces, multiline: true }), '\n        return 1;\n    }', 'indented for the file');
      const python = 'class Cart:\n    def size(self):¦\n';
      assert.equal(clean('\n    return len(self.items)', { doc: python, multiline: true, languageId: 'python' }), '\n        return len(self.items)');
    });

    it('indents the lines after a continuation in the middle of a line from the cursor’s line', () => {
      // A callback opened mid-line, the call's `)` after the cursor: the model writes its snippet from column 0.
      const doc = 'function active(items) {\n    return items.filter(¦)\n}\n';
      const text = clean('(item) => {\n  return item.active;\n}', { doc, multiline: true });
      assert.equal(text, '(item) => {\n      return item.active;\n    }');
      assert.equal(accept(doc, text), 'function active(items) {\n    return items.filter((item) => {\n      return item.active;\n    })\n}\n');
      // Indented for the file already: left alone.
      assert.equal(clean('(item) => {\n      return item.active;\n    }', { doc, multiline: true }), '(item) => {\n      return item.active;\n    }');
      // A continuation whose line opens nothing: a next line at the cursor line's own indentation is the file's.
      const call = 'function f() {\n    configure(¦\n}\n';
      assert.equal(clean('{ retries: 3 },\n    onDone);', { doc: call, multiline: true }), '{ retries: 3 },\n    onDone);');
      assert.equal(clean('{ retries: 3 },\nonDone);', { doc: call, multiline: true }), '{ retries: 3 },\n    onDone);');
      // A line at column 0 has nothing to add.
      assert.equal(clean('(item) => {\n  return item.active;\n}', { doc: 'items.filter(¦)\n', multiline: true }), '(item) => {\n  return item.active;\n}');
    });

    it('leaves a native fill-in-the-middle answer and a single line alone', () => {
      assert.equal(clean('sum += 1;\nreturn sum;', { doc: 'function f() {\n  ¦\n}\n', multiline: true, fim: true }), 'sum += 1;');
    });
  });

  describe('whitespace and garbage', () => {
    it('returns nothing for whitespace-only answers', () => {
      assert.equal(clean('   \n\t\n', { doc: 'const x = ¦\n', multiline: true }), undefined);
      assert.equal(clean('', { doc: 'const x = ¦\n' }), undefined);
      assert.equal(clean('```\n\n```', { doc: 'const x = ¦\n' }), undefined);
    });

    it('returns nothing for a fence that never got past its opening line', () => {
      assert.equal(clean('```typescript', { doc: 'const x = ¦\n' }), undefined);
    });

    it('keeps the line breaks of a CRLF document', () => {
      const doc = 'function f() {¦\r\n';
      assert.equal(clean('\n  return 1;\n}', { doc, multiline: true, fim: true }), '\r\n  return 1;\r\n}');
    });
  });

  describe('preview of a streamed answer', () => {
    it('cleans the start but does not cut the end', () => {
      const context = { prefix: '  const total = ', suffix: '\n', multiline: false, languageId: 'typescript' };
      assert.equal(previewCompletion('```ts\nconst total = items.len', context), 'items.len');
      assert.equal(previewCompletion('```ts', context), '', 'a fence still waiting for its line break tells nothing yet');
    });
  });

  describe('first line of a streaming answer', () => {
    const opener = { prefix: 'function total(cart) {', suffix: '\n', multiline: true, languageId: 'typescript' };

    it('is undefined until a line break has followed the first line of code', () => {
      assert.equal(completedFirstLine('\n  const count = cart.items', opener), undefined);
      assert.equal(completedFirstLine('```ts\n', opener), undefined, 'a fence is not code');
      assert.equal(completedFirstLine('\n  const count = cart.items.length;\n  ret', opener), '\n  const count = cart.items.length;');
    });

    it('is cleaned as the whole answer will be: fences, chatter and an echoed line are gone', () => {
      const line = { prefix: '  const total = ', suffix: '\n', multiline: true, languageId: 'typescript' };
      assert.equal(completedFirstLine('Here is the code:\n```ts\nconst total = items.length;\nreturn', line), 'items.length;');
    });

    it('keeps the leading line break of an answer for the lines after a finished line', () => {
      const finished = { prefix: '  const n = items.length;', suffix: '\n}', multiline: true, nextLine: true, languageId: 'typescript' };
      assert.equal(completedFirstLine('\n  return n;\n', finished), '\n  return n;');
    });
  });
});
