import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard complete` completes no file the editor would not: one whose language `completion.languages` turns off,
 * or one matching `exclude`. Nothing is sent and nothing recorded; the message names the language and the setting.
 */
describe('switchboard complete where ghost text is off', function () {
  this.timeout(20_000);
  let openai: FakeServer;
  let ledger: string;

  useTempFolder('complete-off');
  before(async () => {
    openai = await startFakeOpenAI();
    ledger = path.join(dir, 'ledger.jsonl');
  });
  after(async () => {
    await openai.close();
  });

  async function configWith(name: string, extra: object): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl: `${openai.url}/v1` } }, routes: { completion: ['openai:gpt-4.1-mini'] }, ...extra }));
    return file;
  }

  async function complete(config: string, file: string, text: string, column: number) {
    await writeFile(path.join(dir, file), text);
    openai.scriptModel('gpt-4.1-mini', { text: 'load()' });
    const before = openai.requests.length;
    const run = await runInProcess(['complete', '--config', config, '--ledger', ledger, '--file', file, '--line', '1', '--column', String(column)], { env: { HOME: dir }, cwd: dir });
    return { ...run, requests: openai.requests.length - before };
  }

  it('refuses a file whose language the config turns off, naming the language, the setting and how to turn it on', async () => {
    const config = await configWith('python-off.json', { completion: { languages: { python: false } } });
    const run = await complete(config, 'data.py', 'x = ', 5);
    assert.deepEqual([run.code, run.stdout, run.requests], [1, '', 0]);
    assert.equal(
      run.stderr,
      `switchboard: --file data.py is python, where ghost text is off by completion.languages (in ${config} or its defaults); not completed. ` +
        '{"completion": {"languages": {"python": true}}} in a --config file turns it on\n',
    );
    // `*` off turns every language off that has no entry of its own; an own entry wins.
    const only = await configWith('only-ts.json', { completion: { languages: { '*': false, typescript: true } } });
    assert.equal((await complete(only, 'data.py', 'x = ', 5)).code, 1);
    const ts = await complete(only, 'data.ts', 'const x = ', 11);
    assert.deepEqual([ts.code, ts.stdout, ts.requests], [0, 'load()\n', 1], ts.stderr);
    assert.equal(await readFile(ledger, 'utf8').then((text) => text.trim().split('\n').length), 1, 'only the request made is recorded');
  });

  it('refuses every file when completion.enabled is false, naming the setting and the file that turns it off', async () => {
    const config = await configWith('off.json', { completion: { enabled: false } });
    const run = await complete(config, 'data.py', 'x = ', 5);
    assert.deepEqual([run.code, run.stdout, run.requests], [1, '', 0]);
    assert.equal(run.stderr, `switchboard: ghost text is off by completion.enabled (false in ${config}); not completed. {"completion": {"enabled": true}} turns it on\n`);
  });

  it('refuses Markdown by the defaults, as the editor does, and completes it once turned on', async () => {
    const config = await configWith('defaults.json', {});
    const off = await complete(config, 'notes.md', 'Some ', 6);
    assert.deepEqual([off.code, off.requests], [1, 0]);
    assert.match(off.stderr, /--file notes\.md is markdown, where ghost text is off by completion\.languages/);
    const on = await complete(await configWith('markdown-on.json', { completion: { languages: { markdown: true } } }), 'notes.md', 'Some ', 6);
    assert.deepEqual([on.code, on.stdout, on.requests], [0, 'load()\n', 1], on.stderr);
    // A code file is read by its extension, not as plain text (off by default): a Perl script, a Gradle Kotlin script.
    for (const [file, text] of [['build.pl', 'my $x = '], ['build.gradle.kts', 'val x = ']] as const) {
      const run = await complete(config, file, text, text.length + 1);
      assert.deepEqual([run.code, run.stdout, run.requests], [0, 'load()\n', 1], `${file}: ${run.stderr}`);
    }
    const unknown = await complete(config, 'build.xyz', 'x = ', 5);
    assert.match(unknown.stderr, /--file build\.xyz is plaintext \(its extension is not one complete knows\), where ghost text is off/);
  });

  it('refuses a file matching exclude, sending nothing of it', async () => {
    const config = await configWith('exclude.json', {});
    const run = await complete(config, '.env', 'KEY=', 5);
    assert.deepEqual([run.code, run.stdout, run.requests], [2, '', 0]);
    assert.equal(run.stderr, 'switchboard: --file .env is excluded by "exclude" (the defaults or --config); not completed\n');
  });
});
