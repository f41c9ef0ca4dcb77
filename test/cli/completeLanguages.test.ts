import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard complete` in a few languages as a new user tries it: a chat model on the fake OpenAI server answers
 * as chat models do (a body glued onto its header, an answer that starts on the next line, a closer repeated), and
 * what the editor would insert reads as code.
 */
describe('switchboard complete across languages', function () {
  this.timeout(20_000);
  let openai: FakeServer;
  let config: string;

  useTempFolder('complete-languages');
  before(async () => {
    openai = await startFakeOpenAI();
    config = path.join(dir, 'switchboard.json');
    await writeFile(config, JSON.stringify({ providers: { openai: { baseUrl: `${openai.url}/v1` } }, routes: { completion: ['openai:gpt-4.1-mini'] } }));
  });
  after(async () => {
    await openai.close();
  });

  /** The document with `¦` at the cursor, as it reads once the completion is inserted. */
  async function completed(file: string, doc: string, answer: string, configFile = config): Promise<string> {
    const at = doc.indexOf('¦');
    const before = doc.slice(0, at).split('\n');
    await writeFile(path.join(dir, file), doc.replace('¦', ''));
    openai.scriptModel('gpt-4.1-mini', { text: answer });
    const args = ['--file', file, '--line', String(before.length), '--column', String(before.at(-1)!.length + 1)];
    // --json's text is the exact insertion (the plain output ends with a line end, as text output does).
    const run = await runInProcess(['complete', '--config', configFile, '--ledger', path.join(dir, 'ledger.jsonl'), '--json', ...args], { env: { HOME: dir }, cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    return doc.replace('¦', (JSON.parse(run.stdout) as { text: string }).text);
  }

  it('puts the body below a Python header that ends in a comment, not into the comment', async () => {
    const doc = 'def sign(x):\n    if x < 0:  # negative¦\n    return 1\n';
    assert.equal(await completed('sign.py', doc, 'return -1'), 'def sign(x):\n    if x < 0:  # negative\n        return -1\n    return 1\n');
  });

  it('puts a body glued onto `then` below it, and joins no word onto the end of a line', async () => {
    assert.equal(await completed('check.lua', 'if x > 0 then¦\nend\n', 'print(x)\nend'), 'if x > 0 then\n    print(x)\nend\n');
    assert.equal(await completed('query.sql', 'SELECT id\nFROM users¦\n', '\nWHERE active = 1;'), 'SELECT id\nFROM users\n');
  });

  it('puts a case label\'s or a shell arm\'s body below it, and a space after a match arm\'s arrow', async () => {
    assert.equal(await completed('kind.swift', 'switch x {\ncase 1:¦\n}\n', 'print(x)'), 'switch x {\ncase 1:\n    print(x)\n}\n');
    // Asked for one line below a finished label, the body given below got nothing.
    assert.equal(await completed('run.sh', 'case "$1" in\n  start)¦\nesac\n', '\n    echo start\n    ;;'), 'case "$1" in\n  start)\n    echo start\n    ;;\nesac\n');
    assert.equal(await completed('one.rs', 'match x {\n    1 =>¦\n}\n', 'println!("one"),'), 'match x {\n    1 => println!("one"),\n}\n');
  });

  it('judges the code of a Markdown fence by the fence\'s language, once Markdown is turned on', async () => {
    const markdownOn = path.join(dir, 'markdown.json');
    await writeFile(markdownOn, JSON.stringify({ ...JSON.parse(await readFile(config, 'utf8')), completion: { languages: { markdown: true } } }));
    const doc = '# Usage\n\n```python\ndef area(r):¦\n```\n\nIt returns the area.\n';
    assert.equal(await completed('README.md', doc, 'return 3.14 * r * r', markdownOn), '# Usage\n\n```python\ndef area(r):\n    return 3.14 * r * r\n```\n\nIt returns the area.\n');
    const shell = '```sh\ncase "$1" in\n  start)¦\nesac\n```\n';
    assert.equal(await completed('notes.md', shell, 'echo start\n    ;;', markdownOn), '```sh\ncase "$1" in\n  start)\n    echo start\n    ;;\nesac\n```\n');
  });

  it('does not repeat the closing tag that follows the cursor', async () => {
    const doc = '<body>\n  <div>\n    ¦\n  </div>\n</body>\n';
    assert.equal(await completed('page.html', doc, '<p>Hi</p>\n  </div>\n</body>'), '<body>\n  <div>\n    <p>Hi</p>\n  </div>\n</body>\n');
  });
});
