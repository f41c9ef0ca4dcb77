import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JsoncError, parseJsonc } from '../../src/cli/jsonc';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

function errorOf(text: string): JsoncError {
  try {
    parseJsonc(text);
  } catch (error) {
    assert.ok(error instanceof JsoncError, String(error));
    return error;
  }
  assert.fail(`parsed: ${text}`);
}

describe('JSONC --config files', () => {
  it('reads comments and trailing commas as VS Code settings do, and gives the same value as JSON.parse', () => {
    const text = [
      '// My Switchboard settings',
      '{',
      '  /* the local server */',
      '  "providers": { "openai": { "baseUrl": "http://localhost:11434/v1", }, },',
      '  "routes": {',
      '    "chat": ["openai:llama3.1", "anthropic:claude-haiku-4-5",], // fallback',
      '  },',
      '  "note": "a // inside a string, and /* this */ too",',
      '  "numbers": [0, -1.5, 2e3, true, false, null],',
      '}',
    ].join('\n');
    const { value, plain } = parseJsonc(text);
    assert.deepEqual(value, {
      providers: { openai: { baseUrl: 'http://localhost:11434/v1' } },
      routes: { chat: ['openai:llama3.1', 'anthropic:claude-haiku-4-5'] },
      note: 'a // inside a string, and /* this */ too',
      numbers: [0, -1.5, 2000, true, false, null],
    });
    // The plain text is JSON with every position and line where it was, for the key-line finder.
    assert.deepEqual(JSON.parse(plain), value);
    assert.equal(plain.length, text.length);
    assert.deepEqual(plain.split('\n').map((line) => line.length), text.split('\n').map((line) => line.length));
  });

  it('names the line and column of a mistake', () => {
    const cases: Array<[string, number, number, RegExp]> = [
      ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /^expected "," or "}" after a property, found a string \(a comma missing before it\?\)$/],
      ['{\n  "a": ,\n}', 2, 8, /^expected a value, found ","$/],
      ["{\n  'a': 1\n}", 2, 3, /^expected a property name in double quotes, found "'"$/],
      ['{"a": [1, 2}', 1, 12, /^expected "," or "]" after an array item, found "}"$/],
      ['{"a": 1 /* open', 1, 9, /^a \/\* comment is never closed with \*\/$/],
      ['{\n "a": "open\n}', 2, 7, /^a string runs to the end of the line/],
      ['{"a": 1', 1, 8, /^expected "," or "}" after a property, found the end of the file$/],
      ['{} {}', 1, 4, /^unexpected "\{" after the end of the settings object$/],
      ['', 1, 1, /^expected a value, found the end of the file$/],
      ['{"a": "\\x"}', 1, 7, /^a string holds an invalid escape/],
    ];
    for (const [text, line, column, reason] of cases) {
      const error = errorOf(text);
      assert.deepEqual([error.line, error.column], [line, column], JSON.stringify(text));
      assert.match(error.reason, reason, JSON.stringify(text));
    }
  });

  it('keeps "__proto__" an own key, as JSON.parse does, never the prototype', () => {
    const { value } = parseJsonc('{"__proto__": {"polluted": true}, "routes": {}}') as { value: Record<string, unknown> };
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__', 'routes']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  describe('through the CLI', () => {
    useTempFolder('jsonc');

    it('uses a commented config, and names a wrong key at its line', async () => {
      const good = path.join(dir, 'good.jsonc');
      const ledger = path.join(dir, 'mine.jsonl');
      await writeFile(good, `{\n  // my own ledger\n  "ledger": { "path": ${JSON.stringify(ledger)}, },\n}\n`);
      const costs = await runInProcess(['costs', '--config', good], { env: { HOME: dir } });
      assert.equal(costs.code, 0, costs.stderr);
      assert.equal(costs.stdout.split('\n')[0], `Ledger: ${ledger}`);

      const wrong = path.join(dir, 'wrong.json');
      await writeFile(wrong, '{\n  /* a comment\n     of two lines */\n  "providers": {\n    "openai": { "baseURL": "http://localhost:1/v1", },\n  },\n}\n');
      const refused = await runInProcess(['route', '--config', wrong, 'hello'], { env: { HOME: dir } });
      assert.equal(refused.code, 2);
      assert.equal(refused.stderr, `switchboard: ${wrong}:5: providers.openai.baseURL: is not a Switchboard setting (did you mean "providers.openai.baseUrl"?)\n`);
    });

    it('names the file, line and column of JSON that does not parse', async () => {
      const broken = path.join(dir, 'broken.json');
      await writeFile(broken, '{\n  "routes": {\n    "chat": ["openai:gpt-5.4"]\n  }\n  "ledger": {}\n}\n');
      const result = await runInProcess(['route', '--config', broken, 'hello'], { env: { HOME: dir } });
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `switchboard: ${broken}:5:3: config file is not valid JSON (comments and trailing commas are fine): expected "," or "}" after a property, found a string (a comma missing before it?)\n`);
    });
  });
});
