import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  buildCompletionRequest,
  FILL_MARKER,
  type CompletionContext,
  type PromptBudgets,
} from '../../../src/core/completion/completionPrompt';
import { headAtLineBoundary, tailAtLineBoundary } from '../../../src/core/completion/textWindow';

const budgets: PromptBudgets = { prefixChars: 2_000, suffixChars: 500, snippetChars: 600 };

function sourceLines(count: number, tag: string): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`  const ${tag}${i} = compute(${i}, "${'x'.repeat(i % 40)}");`);
  return lines.join('\n');
}

function context(overrides: Partial<CompletionContext> = {}): CompletionContext {
  return {
    languageId: 'typescript',
    relativePath: 'src/orders.ts',
    prefix: 'function total(orders: Order[]) {\n  return ',
    suffix: '\n}\n',
    snippets: [],
    ...overrides,
  };
}

function userMessage(request: ReturnType<typeof buildCompletionRequest>): string {
  const message = request.messages[0];
  assert.ok(message, 'the chat form always has one user message');
  assert.equal(message.role, 'user');
  return message.content;
}

describe('completion prompt', () => {
  describe('bounds', () => {
    it('keeps only the end of a huge prefix and the start of a huge suffix, cut at whole lines', () => {
      const prefix = `${sourceLines(60_000, 'before')}\n  const cursorLine = `;
      const suffix = `;\n${sourceLines(60_000, 'after')}`;
      const request = buildCompletionRequest(context({ prefix, suffix }), budgets, { fim: true, multiline: false, maxTokens: 64 });

      assert.ok(request.fim);
      const fimPrefix = request.fim.prefix;
      assert.ok(fimPrefix.endsWith('\n  const cursorLine = '), 'the text right before the cursor is kept');
      const body = fimPrefix.slice(fimPrefix.indexOf('\n  const before'));
      assert.ok(body.length <= budgets.prefixChars + 1, `prefix of ${body.length} chars exceeds the budget`);
      assert.match(body, /^\n {2}const before\d+ = /, 'the kept prefix starts at the beginning of a line');

      assert.ok(request.fim.suffix.length <= budgets.suffixChars);
      assert.ok(request.fim.suffix.startsWith(';\n  const after0 = '), 'the text right after the cursor is kept');
      assert.ok(request.fim.suffix.endsWith('\n'), 'the kept suffix ends after a whole line');

      const chat = userMessage(request);
      assert.ok(chat.length < budgets.prefixChars + budgets.suffixChars + 1_000, 'the chat form is bounded too');
      assert.ok(chat.includes(`  const cursorLine = ${FILL_MARKER};\n  const after0`));
    });

    it('cuts a single line longer than the budget in the middle rather than dropping it', () => {
      const longLine = `const data = [${'1234, '.repeat(200_000)}`;
      const tail = tailAtLineBoundary(`header\n${longLine}`, 1_000);
      assert.equal(tail.length, 1_000);
      assert.ok(tail.endsWith('1234, '));

      const head = headAtLineBoundary(`${'9876, '.repeat(200_000)}];\nnext`, 700);
      assert.equal(head.length, 700);
      assert.ok(head.startsWith('9876, '));

      const request = buildCompletionRequest(context({ prefix: longLine, suffix: '];' }), budgets, {
        fim: false,
        multiline: false,
        maxTokens: 64,
      });
      assert.ok(userMessage(request).length < budgets.prefixChars + 1_000);
    });

    it('never splits an emoji where it cuts a long line, in the prompt as the provider receives it', () => {
      // Minified code with emoji (a surrogate pair each) on one line; the budget falls inside one of them.
      const emoji = '\u{1F600}';
      const line = `const labels = [${`"${emoji}",`.repeat(2_000)}0,`;
      const prefixCut = line.length - budgets.prefixChars;
      assert.equal(line.codePointAt(prefixCut - 1), 0x1f600, 'the test places the prefix budget inside an emoji');
      const suffix = `1, ${`"${emoji}",`.repeat(2_000)}`;
      assert.equal(suffix.codePointAt(budgets.suffixChars - 1), 0x1f600, 'and the suffix budget too');

      for (const fim of [true, false]) {
        const request = buildCompletionRequest(context({ prefix: line, suffix }), budgets, { fim, multiline: false, maxTokens: 64 });
        const sent = JSON.stringify(request);
        assert.ok(JSON.parse(sent) && !/\\ud[89a-f][0-9a-f]{2}/i.test(sent), `no lone surrogate is sent (fim: ${fim})`);
        assert.ok(sent.includes(emoji), 'whole emoji are kept');
      }
    });

    it('keeps whole lines when the budget boundary falls inside a short line', () => {
      const text = 'alpha\nbravo\ncharlie\ndelta';
      assert.equal(tailAtLineBoundary(text, 9), 'delta', 'a partial "charlie" line is dropped');
      assert.equal(headAtLineBoundary(text, 15), 'alpha\nbravo\n');
      assert.equal(tailAtLineBoundary(text, 100), text);
    });

    it('includes snippets best first while they fit the snippet budget', () => {
      const snippets = [
        { path: 'src/a.ts', text: 'export function priceOf(order) {}', score: 0.9 },
        { path: 'src/b.ts', text: 'y'.repeat(500), score: 0.5 },
        { path: 'src/c.ts', text: 'z'.repeat(500), score: 0.4 },
      ];
      const request = buildCompletionRequest(context({ snippets }), budgets, { fim: true, multiline: false, maxTokens: 64 });
      const header = request.fim?.prefix ?? '';
      assert.ok(header.includes('// Compare this snippet from src/a.ts:\n// export function priceOf(order) {}'));
      assert.ok(header.includes('src/b.ts'));
      assert.ok(!header.includes('src/c.ts'), 'a snippet beyond the budget is left out');
      assert.ok(!header.includes('z'.repeat(50)));
    });
  });

  describe('shape', () => {
    it('gives FIM models prefix and suffix, with path, language and snippets as comments in the file syntax', () => {
      const request = buildCompletionRequest(
        context({
          languageId: 'python',
          relativePath: 'app/report.py',
          prefix: 'def total(rows):\n    return ',
          suffix: '\n',
          snippets: [{ path: 'app/rows.py', text: 'def row_sum(row):\n    return sum(row)', score: 0.7 }],
        }),
        budgets,
        { fim: true, multiline: false, maxTokens: 48 },
      );
      assert.ok(request.fim);
      assert.equal(
        request.fim.prefix,
        '# Path: app/report.py\n# Language: python\n# Compare this snippet from app/rows.py:\n# def row_sum(row):\n#     return sum(row)\n' +
          'def total(rows):\n    return ',
      );
      assert.equal(request.fim.suffix, '\n');
      assert.equal(request.maxTokens, 48);
      assert.deepEqual(request.stop, ['\n'], 'single-line FIM stops at the line end');
    });

    it('stops multi-line FIM requests at a run of blank lines instead', () => {
      const request = buildCompletionRequest(context(), budgets, { fim: true, multiline: true, maxTokens: 256 });
      assert.deepEqual(request.stop, ['\n\n\n']);
      assert.equal(request.maxTokens, 256);
    });

    it('gives chat models a hole-filling prompt with the marker and no whitespace-only stop sequences', () => {
      const request = buildCompletionRequest(
        context({ snippets: [{ path: 'src/order.ts', text: 'interface Order { amount: number }', score: 0.3 }] }),
        budgets,
        { fim: false, multiline: true, maxTokens: 200, temperature: 0.1 },
      );
      assert.equal(request.fim, undefined);
      assert.equal(request.stop, undefined);
      assert.equal(request.temperature, 0.1);
      assert.match(request.system ?? '', /ONLY the text to insert/);
      assert.match(request.system ?? '', /No markdown fences, no explanation/);
      const content = userMessage(request);
      assert.ok(content.includes('File: src/orders.ts (typescript)'));
      assert.ok(content.includes('<snippet path="src/order.ts">\ninterface Order { amount: number }\n</snippet>'));
      assert.ok(content.includes(`function total(orders: Order[]) {\n  return ${FILL_MARKER}\n}\n`));
      assert.match(content, /no further than the end of the current block/);
    });

    it('asks chat models for the rest of the line only in single-line mode', () => {
      const content = userMessage(buildCompletionRequest(context(), budgets, { fim: false, multiline: false, maxTokens: 64 }));
      assert.match(content, /only the rest of the current line/);
    });

    it('keeps the chat form in FIM requests so a fallback chat model can answer', () => {
      const request = buildCompletionRequest(context(), budgets, { fim: true, multiline: false, maxTokens: 64 });
      assert.ok(userMessage(request).includes(FILL_MARKER));
    });

    it('writes the FIM header in the language comment syntax, or not at all without one', () => {
      const sql = buildCompletionRequest(context({ languageId: 'sql', relativePath: 'q.sql', prefix: 'SELECT ' }), budgets, {
        fim: true,
        multiline: false,
        maxTokens: 32,
      });
      assert.ok(sql.fim?.prefix.startsWith('-- Path: q.sql\n-- Language: sql\nSELECT '));
      const html = buildCompletionRequest(context({ languageId: 'html', relativePath: 'i.html', prefix: '<p>' }), budgets, {
        fim: true,
        multiline: false,
        maxTokens: 32,
      });
      assert.ok(html.fim?.prefix.startsWith('<!-- Path: i.html -->\n<!-- Language: html -->\n<p>'));
      const json = buildCompletionRequest(context({ languageId: 'json', relativePath: 'a.json', prefix: '{"a": ' }), budgets, {
        fim: true,
        multiline: false,
        maxTokens: 32,
      });
      assert.equal(json.fim?.prefix, '{"a": ');
    });
  });

  describe('line breaks', () => {
    it('sends a CRLF document with \\n line breaks only, in both forms, so a FIM model’s stop sequence can match', () => {
      const prefix = 'function total(orders) {\r\n  let sum = 0;\r\n  ';
      const suffix = '\r\n  return sum;\r\n}\r\n';
      const request = buildCompletionRequest(context({ prefix, suffix }), budgets, { fim: true, multiline: true, maxTokens: 256 });

      assert.ok(request.fim);
      assert.equal(request.fim.suffix, '\n  return sum;\n}\n');
      assert.ok(request.fim.prefix.endsWith('function total(orders) {\n  let sum = 0;\n  '), request.fim.prefix);
      assert.deepEqual(request.stop, ['\n\n\n']);
      const chat = userMessage(request);
      assert.ok(chat.includes(`{\n  let sum = 0;\n  ${FILL_MARKER}\n  return sum;\n}\n`), chat);
      assert.ok(!chat.includes('\r') && !request.fim.prefix.includes('\r'), 'no carriage return left anywhere');
    });

    it('reads a lone carriage return (a classic Mac file given to the CLI) as a line break', () => {
      const request = buildCompletionRequest(context({ prefix: 'a = 1\rb = ', suffix: '\rc = 3' }), budgets, { fim: true, multiline: false, maxTokens: 64 });
      assert.ok(request.fim?.prefix.endsWith('a = 1\nb = '));
      assert.equal(request.fim?.suffix, '\nc = 3');
    });
  });
});
