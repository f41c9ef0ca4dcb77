import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { attachment, promptWithAttachments } from '../../src/core/prompts/attachments';
import { fakeKeys } from '../fakes/fakeKeys';
import { cli, fakes, dir, configFile, keyedEnv, newLedger, ask, useCliFixture, oneErrorLine } from './cliFixture';
import { runCli } from './cliHarness';

/** `switchboard ask --attach` and standard input beside a PROMPT: what is sent, masked, warned about or refused. */
describe('switchboard ask --attach', function () {
  this.timeout(20_000);
  useCliFixture();

  it('sends --attach files before the prompt, as the chat panel attaches them', async () => {
    const attached = path.join(dir, 'sort.ts');
    await writeFile(attached, 'export const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);\n');
    fakes.openai.script({ text: 'It sorts a copy.' });

    const result = await runCli(cli, ['ask', '--config', configFile, '--ledger', newLedger(), '--attach', 'sort.ts', 'What does this do?'], { env: keyedEnv, cwd: dir });

    assert.equal(result.code, 0, result.stderr);
    const body = fakes.openai.requests[0]?.body as { messages: Array<{ role: string; content: string }> };
    const expected = promptWithAttachments('What does this do?', [attachment('sort.ts', 'typescript', await readFile(attached, 'utf8'))]);
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: expected });
  });

  it('attaches what a pipe gives (--attach <(git diff)), not nothing: a pipe has no size to read by', async () => {
    const pipe = path.join(dir, 'changes.diff');
    execFileSync('mkfifo', [pipe]);
    const diff = '--- a/sort.ts\n+++ b/sort.ts\n@@ -1 +1 @@\n-export const sorted = xs;\n+export const sorted = [...xs].sort();\n';
    fakes.openai.script({ text: 'It sorts now.' });

    const asked = runCli(cli, ['ask', '--config', configFile, '--ledger', newLedger(), '--attach', 'changes.diff', 'Review this change'], { env: keyedEnv, cwd: dir });
    // The writer's open waits for the CLI's, as a shell's process substitution does.
    await writeFile(pipe, diff);
    const result = await asked;

    assert.equal(result.code, 0, result.stderr);
    const body = fakes.openai.requests[0]?.body as { messages: Array<{ role: string; content: string }> };
    assert.ok(body.messages.at(-1)!.content.includes(diff), body.messages.at(-1)!.content);
  });

  it('attaches standard input with --attach - (git diff | switchboard ask --attach - PROMPT), keys masked', async () => {
    const key = fakeKeys.openai('cli-stdin');
    const diff = `--- a/app.ts\n+++ b/app.ts\n@@ -1 +1 @@\n-const key = process.env.KEY;\n+const key = "${key}";\n`;
    fakes.openai.script({ text: 'Do not commit keys.' });
    const result = await ask(['--attach', '-', 'Review this change'], { stdin: diff });
    assert.equal(result.code, 0, result.stderr);
    const body = fakes.openai.requests[0]?.body as { messages: Array<{ role: string; content: string }> };
    const expected = promptWithAttachments('Review this change', [attachment('standard input', 'plaintext', diff.replace(key, '[redacted]'))]);
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: expected });
  });

  it('attaches a shell pipe or a file on standard input beside a PROMPT argument, as --attach - would (git diff | switchboard ask PROMPT)', async () => {
    const diff = '--- a/app.ts\n+++ b/app.ts\n@@ -1 +1 @@\n-let total = 0;\n+let total = 1;\n';
    const expected = promptWithAttachments('Review this change', [attachment('standard input', 'plaintext', diff)]);
    // A real shell pipe: what `|` gives the CLI is a FIFO.
    fakes.openai.script({ text: 'Looks fine.' });
    const ledger = newLedger();
    const piped = spawn('sh', ['-c', 'printf "%s" "$DIFF" | "$NODE_BIN" "$CLI" ask --config "$CONFIG" --ledger "$LEDGER" "Review this change"'], {
      env: { ...keyedEnv, DIFF: diff, NODE_BIN: process.execPath, CLI: cli, CONFIG: configFile, LEDGER: ledger },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    piped.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    piped.stdout.resume();
    const [code] = (await once(piped, 'close')) as [number];
    assert.equal(code, 0, stderr);
    assert.deepEqual((fakes.openai.requests.at(-1)?.body as { messages: Array<{ content: string }> }).messages.at(-1)?.content, expected);
    // `< change.diff`: a file.
    const file = path.join(dir, 'change.diff');
    await writeFile(file, diff);
    const handle = await open(file, 'r');
    try {
      fakes.openai.script({ text: 'Looks fine.' });
      const fromFile = await runCli(cli, ['ask', '--config', configFile, '--ledger', newLedger(), 'Review this change'], { env: keyedEnv, stdinFile: handle.fd });
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.deepEqual((fakes.openai.requests.at(-1)?.body as { messages: Array<{ content: string }> }).messages.at(-1)?.content, expected);
    } finally {
      await handle.close();
    }
  });

  it('does not wait on a socket left open on standard input when PROMPT is given (a program spawning the CLI), nor attach an empty pipe', async () => {
    fakes.openai.script({ text: 'Hello.' });
    const leftOpen = await runCli(cli, ['ask', '--config', configFile, '--ledger', newLedger(), 'Say hello'], { env: keyedEnv, keepStdinOpen: true });
    assert.equal(leftOpen.code, 0, leftOpen.stderr);
    assert.equal(leftOpen.stdout, 'Hello.\n');
    assert.equal((fakes.openai.requests.at(-1)?.body as { messages: Array<{ content: string }> }).messages.at(-1)?.content, 'Say hello');
    fakes.openai.script({ text: 'Hello.' });
    const empty = spawn('sh', ['-c', 'printf "" | "$NODE_BIN" "$CLI" ask --config "$CONFIG" --ledger "$LEDGER" "Say hello"'], {
      env: { ...keyedEnv, NODE_BIN: process.execPath, CLI: cli, CONFIG: configFile, LEDGER: newLedger() },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    assert.deepEqual(await once(empty, 'close'), [0, null]);
    assert.equal((fakes.openai.requests.at(-1)?.body as { messages: Array<{ content: string }> }).messages.at(-1)?.content, 'Say hello');
  });

  it('refuses --attach - with the prompt also from standard input, or given twice, and sends nothing', async () => {
    for (const [args, message] of [
      [['--attach', '-', '-'], 'switchboard: --attach - reads standard input, so PROMPT must be given as an argument'],
      [['--attach', '-'], 'switchboard: --attach - reads standard input, so PROMPT must be given as an argument'],
      [['--attach', '-', '--attach', '-', 'Why?'], 'switchboard: --attach - given twice: standard input can be read once'],
    ] as const) {
      const result = await ask([...args], { stdin: 'some text' });
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(oneErrorLine(result), message);
    }
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('says an --attach file is not UTF-8, naming it, and still sends it; a UTF-8 file cut inside a character is not', async () => {
    const latin1 = path.join(dir, 'latin1.txt');
    await writeFile(latin1, Buffer.from('Größe = 3\n', 'latin1'));
    const result = await ask(['--attach', latin1, 'Explain']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(oneErrorLine(result), `switchboard: warning: --attach ${latin1} is not UTF-8 text; each byte that is not was sent as U+FFFD (convert it first, e.g. iconv -f latin1 -t utf-8)`);
    assert.equal(fakes.openai.requests.length, 1);

    // Past the bytes read (four for each character attached), cut inside a two-byte "é".
    const long = path.join(dir, 'long-utf8.txt');
    await writeFile(long, `x${'é'.repeat(200_000)}`);
    const cut = await ask(['--attach', long, 'Explain']);
    assert.equal(cut.code, 0, cut.stderr);
    assert.equal(cut.stderr, '');
  });

  it('refuses an --attach file it cannot read or that is binary, naming it, and sends nothing', async () => {
    const binary = path.join(dir, 'logo.png');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0a, 0x41]));
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'missing.ts'), /cannot read --attach .*missing\.ts: no such file \(ENOENT\)/],
      [dir, /cannot read --attach .*: it is a directory \(EISDIR\)/],
      [binary, /--attach .*logo\.png looks binary; not attached/],
    ];
    for (const [file, message] of cases) {
      const result = await ask(['--attach', file, 'Explain']);
      assert.equal(result.code, 2, file);
      assert.match(oneErrorLine(result), message);
    }
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('masks keys in an --attach file and refuses an excluded one, sending nothing of it', async () => {
    const key = fakeKeys.openai('cli-attach');
    await writeFile(path.join(dir, 'client.ts'), `export const client = new OpenAI({ apiKey: "${key}" });\n`);
    await mkdir(path.join(dir, 'config'), { recursive: true });
    await writeFile(path.join(dir, 'config', '.env'), 'DATABASE_URL=postgres://localhost/app\n');
    fakes.openai.script({ text: 'It makes a client.' });
    const masked = await runCli(cli, ['ask', '--config', configFile, '--ledger', newLedger(), '--attach', 'client.ts', 'What is this?'], { env: keyedEnv, cwd: dir });
    assert.equal(masked.code, 0, masked.stderr);
    const sent = JSON.stringify(fakes.openai.requests.at(-1)?.body);
    assert.ok(sent.includes('new OpenAI({ apiKey: \\"[redacted]\\" })') && !sent.includes(key), sent);

    const before = fakes.openai.requests.length;
    const refused = await runCli(cli, ['ask', '--config', configFile, '--ledger', newLedger(), '--attach', 'config/.env', 'Why?'], { env: keyedEnv, cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(oneErrorLine(refused), /--attach config\/\.env is excluded by "exclude" \(the defaults or --config\); not attached/);
    assert.equal(fakes.openai.requests.length, before);
  });

  it('refuses an --attach file that is a link to an excluded one (a repository\'s notes.md → ~/.aws/credentials)', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'switchboard-home-'));
    try {
      await mkdir(path.join(home, '.aws'));
      await writeFile(path.join(home, '.aws', 'credentials'), '[default]\nregion = us-east-1\n');
      await symlink(path.join(home, '.aws', 'credentials'), path.join(dir, 'notes.md'));
      const before = fakes.openai.requests.length;
      const refused = await runCli(cli, ['ask', '--config', configFile, '--ledger', newLedger(), '--attach', 'notes.md', 'Summarise'], { env: keyedEnv, cwd: dir });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(oneErrorLine(refused), /--attach notes\.md is excluded by "exclude" \(the defaults or --config\); not attached/);
      assert.equal(fakes.openai.requests.length, before);
    } finally {
      await rm(path.join(dir, 'notes.md'), { force: true });
      await rm(home, { recursive: true, force: true });
    }
  });
});
