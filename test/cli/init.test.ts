import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJsonc } from '../../src/cli/jsonc';
import { resolveConfig } from '../../src/core/config';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { bareEnvIn, cli, dir, useBuiltCli, useTempFolder } from './cliFixture';
import { runCli } from './cliHarness';

/** `switchboard init`, run as a user runs it: the built CLI in a child process, in a folder of the test's own. */
describe('switchboard init', function () {
  this.timeout(60_000);
  let ollama: FakeServer;
  const openaiKey = fakeKeys.openai('init7');
  const anthropicKey = fakeKeys.anthropic('init7');

  /**
   * Keys in the environment, as a user's shell has them: none may reach the file. As it always was here: with
   * XDG_DATA_HOME, and without AWS_EC2_METADATA_DISABLED, which this file has never set.
   */
  const env = (): NodeJS.ProcessEnv =>
    bareEnvIn(dir, { XDG_DATA_HOME: path.join(dir, 'data'), OPENAI_API_KEY: openaiKey, ANTHROPIC_API_KEY: anthropicKey, AWS_EC2_METADATA_DISABLED: undefined });

  useBuiltCli();
  useTempFolder('init');
  before(async () => {
    ollama = await startFakeOpenAI({ models: ['nomic-embed-text:latest', 'llama3.1:8b', 'qwen2.5-coder:1.5b'] });
  });
  after(async () => {
    await ollama.close();
  });

  /** A fresh folder to run in. */
  async function folder(name: string): Promise<string> {
    const made = path.join(dir, name);
    await mkdir(made);
    return made;
  }

  it('writes ./switchboard.jsonc with comments and no key, that loads as the defaults, and says what to run next', async () => {
    const cwd = await folder('fresh');
    const result = await runCli(cli, ['init'], { env: env(), cwd });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const file = path.join(cwd, 'switchboard.jsonc');
    const text = await readFile(file, 'utf8');
    assert.match(text, /^\/\/ Switchboard settings for the `switchboard` CLI/);
    assert.match(text, /^ {6}\/\/ "baseUrl": "http:\/\/localhost:11434\/v1",$/m);
    assert.ok(!text.includes(openaiKey.slice(-12)) && !text.includes(anthropicKey.slice(-12)), 'no key from the environment is in the file');
    // The file means the defaults: loaded by the same parser and checks as --config, nothing differs or is refused.
    const { config, problems } = resolveConfig(parseJsonc(text).value, 'switchboard.jsonc: ');
    assert.deepEqual(problems, []);
    assert.deepEqual(config, resolveConfig({}).config);
    assert.equal(
      result.stdout,
      [
        `Wrote ${file}: the default routes and the settings you may want first, with comments; no key in it.`,
        'Next:',
        '  1. A provider: export OPENAI_API_KEY=… or ANTHROPIC_API_KEY=…, or AWS credentials for Bedrock (AWS_PROFILE);',
        '     or a local server (Ollama, LM Studio): switchboard init --base-url http://localhost:11434/v1 OTHER_FILE',
        '  2. switchboard doctor --config switchboard.jsonc     checks each provider and route (sends no prompt)',
        '  3. switchboard ask --config switchboard.jsonc "Explain what a Bloom filter is"',
        '',
      ].join('\n'),
    );

    // The next step it names works: the CLI's own --config reading takes the file (no setting unknown, no warning).
    const doctor = await runCli(cli, ['doctor', '--config', 'switchboard.jsonc', '--json'], { env: { ...env(), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' }, cwd });
    assert.equal(doctor.stderr, '');
    assert.equal(doctor.code, 1, 'no provider has a key in this run');
    assert.equal((JSON.parse(doctor.stdout) as { tasks: unknown[] }).tasks.length, 3);

    // Left out, --config is not guessed (a file here may have come with a repository), but the user hears why.
    const unnamed = await runCli(cli, ['route', '--json', 'hello'], { env: env(), cwd });
    assert.equal(unnamed.code, 0, unnamed.stderr);
    assert.equal(unnamed.stderr, 'switchboard: note: switchboard.jsonc here is not read unless named (using the defaults): add --config switchboard.jsonc if you wrote it; one that came with a repository would choose your models and servers\n');
  });

  it('never overwrites a file, a link or a folder, and leaves each as it was', async () => {
    const cwd = await folder('existing');
    await writeFile(path.join(cwd, 'switchboard.jsonc'), '{"routes": {"chat": ["openai:mine"]}}\n');
    const kept = await runCli(cli, ['init'], { env: env(), cwd });
    assert.equal(kept.code, 2);
    assert.equal(kept.stdout, '');
    assert.equal(kept.stderr, 'switchboard: switchboard.jsonc already exists; not overwritten (edit it, remove it first, or name another file: switchboard init FILE)\n');
    assert.equal(await readFile(path.join(cwd, 'switchboard.jsonc'), 'utf8'), '{"routes": {"chat": ["openai:mine"]}}\n');

    // A dangling link would otherwise create its target, wherever it points.
    await symlink(path.join(dir, 'link-target.jsonc'), path.join(cwd, 'link.jsonc'));
    const linked = await runCli(cli, ['init', 'link.jsonc'], { env: env(), cwd });
    assert.equal(linked.code, 2);
    assert.match(linked.stderr, /^switchboard: link\.jsonc already exists; not overwritten/);
    assert.equal(existsSync(path.join(dir, 'link-target.jsonc')), false);

    await mkdir(path.join(cwd, 'a-folder'));
    const folderResult = await runCli(cli, ['init', 'a-folder'], { env: env(), cwd });
    assert.equal(folderResult.code, 2);
    assert.match(folderResult.stderr, /^switchboard: a-folder already exists; not overwritten/);
  });

  it('writes the file named by FILE or --config, naming a missing folder, and quotes a path with a space in the next commands', async () => {
    const cwd = await folder('named');
    const byConfig = await runCli(cli, ['init', '--config', 'my settings.jsonc'], { env: env(), cwd });
    assert.equal(byConfig.code, 0, byConfig.stderr);
    assert.ok(existsSync(path.join(cwd, 'my settings.jsonc')));
    assert.match(byConfig.stdout, /^ {2}2\. switchboard doctor --config 'my settings\.jsonc' {5}checks/m);

    const missing = await runCli(cli, ['init', 'no/such/folder/x.jsonc'], { env: env(), cwd });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `switchboard: cannot write no/such/folder/x.jsonc: its folder ${path.join(cwd, 'no/such/folder')} does not exist\n`);

    const both = await runCli(cli, ['init', 'a.jsonc', '--config', 'b.jsonc'], { env: env(), cwd });
    assert.equal(both.code, 2);
    assert.equal(both.stderr, 'switchboard: init was given two files to write, "a.jsonc" and --config "b.jsonc"; give one\n');
    assert.equal(existsSync(path.join(cwd, 'a.jsonc')) || existsSync(path.join(cwd, 'b.jsonc')), false);
  });

  it('with --base-url, routes every task to the local server\'s models, and the file loads as those routes', async () => {
    const cwd = await folder('local');
    const baseUrl = `${ollama.url}/v1`;
    const result = await runCli(cli, ['init', '--base-url', baseUrl], { env: { ...env(), OPENAI_API_KEY: '' }, cwd });

    assert.equal(result.code, 0, result.stderr);
    const file = path.join(cwd, 'switchboard.jsonc');
    assert.match(result.stdout, new RegExp(`^Wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: routes to ${baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'s models \\(completion: openai:qwen2\\.5-coder:1\\.5b; chat: openai:llama3\\.1:8b; plan: openai:llama3\\.1:8b\\), with comments; no key in it\\.$`, 'm'));
    const { config, problems } = resolveConfig(parseJsonc(await readFile(file, 'utf8')).value, 'switchboard.jsonc: ');
    assert.deepEqual(problems, []);
    assert.equal(config.providers.openai.baseUrl, baseUrl);
    assert.deepEqual(
      Object.fromEntries(Object.entries(config.routes).map(([task, refs]) => [task, refs.map((ref) => `${ref.provider}:${ref.model}`)])),
      { completion: ['openai:qwen2.5-coder:1.5b'], chat: ['openai:llama3.1:8b'], plan: ['openai:llama3.1:8b'] },
    );

    // What it says to run next answers from that server.
    const doctor = await runCli(cli, ['doctor', '--config', 'switchboard.jsonc'], { env: { ...env(), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' }, cwd });
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /^routes: every model named can be used$/m);
  });

  it('with a --base-url holding credentials, writes them, creates the file 0600 and says both, never "no key in it"', async () => {
    const cwd = await folder('credentials');
    const secret = 'gw-secret-init7';
    // A server behind basic auth: the listing sends the user name and password as a Basic header.
    const baseUrl = `${ollama.url.replace('http://', `http://me:${secret}@`)}/v1`;
    const result = await runCli(cli, ['init', '--base-url', baseUrl], { env: { ...env(), OPENAI_API_KEY: '' }, cwd });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const file = path.join(cwd, 'switchboard.jsonc');
    assert.equal(
      result.stdout.split('\n')[0],
      `Wrote ${file}: routes to ${ollama.url.replace('http://', 'http://me:***@')}/v1's models (completion: openai:qwen2.5-coder:1.5b; chat: openai:llama3.1:8b; plan: openai:llama3.1:8b), with comments; ` +
        'the credentials in the --base-url are written in it as you gave them, so it was created readable and writable by you alone (mode 0600); no other key in it.',
    );
    assert.ok(!result.stdout.includes(secret), 'the line masks the credentials');
    // The file must hold them (its baseUrl is what requests go to), and nobody else may read it.
    assert.equal(resolveConfig(parseJsonc(await readFile(file, 'utf8')).value).config.providers.openai.baseUrl, baseUrl);
    assert.equal((await stat(file)).mode & 0o777, 0o600);

    // Without credentials the file keeps the usual mode (0666 less the umask): 0600 is for a file with a secret.
    const plain = await runCli(cli, ['init', '--base-url', `${ollama.url}/v1`, 'plain.jsonc'], { env: { ...env(), OPENAI_API_KEY: '' }, cwd });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout.split('\n')[0]!, /, with comments; no key in it\.$/);
    const umask = process.umask(0o022);
    process.umask(umask);
    assert.equal((await stat(path.join(cwd, 'plain.jsonc'))).mode & 0o777, 0o666 & ~umask);
  });

  it('writes nothing when the --base-url server cannot be read, and says so', async () => {
    const cwd = await folder('down');
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const result = await runCli(cli, ['init', '--base-url', url], { env: env(), cwd });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^switchboard: could not read the models of ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*; nothing written \\(drop --base-url for a starter file without a server\\)\\n$`));
    // The cause's own question, once: the suffix asked "is the server running?" again after it.
    assert.equal(result.stderr.split('is the server running?').length, 2, result.stderr);
    assert.equal(existsSync(path.join(cwd, 'switchboard.jsonc')), false);

    const notUrl = await runCli(cli, ['init', '--base-url', 'localhost:11434/v1'], { env: env(), cwd });
    assert.equal(notUrl.code, 2);
    assert.equal(notUrl.stderr, 'switchboard: --base-url "localhost:11434/v1" is not an http(s) URL (e.g. --base-url http://localhost:11434/v1)\n');
  });
});
