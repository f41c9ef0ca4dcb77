import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SharedReservations } from '../../src/core/budget/sharedReservations';
import { formatUsd } from '../../src/core/cost';
import { CSV_COLUMNS } from '../../src/core/costs/costCsv';
import type { LedgerRecord } from '../../src/core/ledger';
import { PriceTable } from '../../src/core/prices/priceTable';
import { attachment, promptWithAttachments } from '../../src/core/prompts/attachments';
import { startFakeProviders, type FakeProviders } from '../fakes/index';
import { fakeKeys } from '../fakes/fakeKeys';
import { buildCli, runCli, startCli, type CliRun } from './cliHarness';
import { runInProcess } from './inProcess';

const NOVA = 'us.amazon.nova-micro-v1:0';

function ledgerRecord(time: Date, fields: Partial<LedgerRecord>): LedgerRecord {
  return {
    v: 1,
    time: time.toISOString(),
    task: 'chat',
    provider: 'anthropic',
    model: 'claude-sonnet-5',
    requestedModel: 'anthropic:claude-sonnet-5',
    usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd: 0.01,
    latencyMs: 900,
    firstTokenMs: 300,
    outcome: 'ok',
    attempts: [],
    source: 'cli',
    ...fields,
  };
}

async function readLedger(file: string): Promise<LedgerRecord[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LedgerRecord);
}

/** The one line of a failed run's stderr. */
function oneErrorLine(result: CliRun): string {
  const lines = result.stderr.split('\n').filter((line) => line);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^switchboard: /);
  return lines[0]!;
}

describe('switchboard CLI', function () {
  // Each test spawns a Node process or two.
  this.timeout(20_000);

  let cli: string;
  let fakes: FakeProviders;
  let dir: string;
  let configFile: string;
  let baseEnv: NodeJS.ProcessEnv;
  let keyedEnv: NodeJS.ProcessEnv;
  let ledgerCount = 0;
  const newLedger = () => path.join(dir, `ledger-${++ledgerCount}.jsonl`);

  /** Runs the CLI with the fake-backed config, the keys in its environment, and a fresh ledger. */
  async function ask(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
    const ledger = newLedger();
    const result = await runCli(cli, ['ask', '--config', configFile, '--ledger', ledger, ...args], {
      env: options.env ?? keyedEnv,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    });
    return { ...result, ledger };
  }

  before(async function () {
    // The build runs once, here; it bundles the SDKs.
    this.timeout(60_000);
    const [built, started, made] = await Promise.all([
      buildCli(),
      startFakeProviders(),
      mkdtemp(path.join(tmpdir(), 'switchboard-cli-')),
    ]);
    cli = built;
    fakes = started;
    dir = made;
    const home = path.join(dir, 'home');
    await mkdir(home);
    // Nothing from the developer's own setup: no keys, no AWS files, no ledger.
    baseEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      AWS_CONFIG_FILE: path.join(home, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    keyedEnv = {
      ...baseEnv,
      OPENAI_API_KEY: 'test',
      ANTHROPIC_API_KEY: 'test',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
    };
    configFile = path.join(dir, 'switchboard.json');
    await writeFile(
      configFile,
      JSON.stringify({
        routes: {
          chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'],
          plan: ['anthropic:claude-sonnet-5'],
        },
        providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic, bedrock: fakes.urls.bedrock },
        // These tests are about ask's routes as listed; Auto's tiers are tested with the router and in the editor.
        auto: { enabled: false },
      }),
    );
  });
  afterEach(() => {
    fakes.openai.reset();
    fakes.anthropic.reset();
    fakes.bedrock.reset();
  });
  after(async () => {
    await fakes?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('ask', () => {
    it('streams the answer to stdout, exits 0 and writes one ledger record', async () => {
      fakes.openai.script({ text: 'The router tries each model in order.', chunks: 4 });

      const result = await ask(['How', 'does', 'routing', 'work?']);

      assert.equal(result.code, 0);
      assert.equal(result.stdout, 'The router tries each model in order.\n');
      assert.equal(result.stderr, '');
      const body = fakes.openai.requests[0]?.body as { messages: Array<{ role: string; content: string }> };
      assert.deepEqual(body.messages.at(-1), { role: 'user', content: 'How does routing work?' });
      const records = await readLedger(result.ledger);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.outcome, 'ok');
      assert.equal(records[0]?.source, 'cli');
    });

    it('says which model answered, its tokens, cost and time on stderr when a person watches it (a terminal), as the chat footer does', async () => {
      fakes.openai.script({ text: 'Yes.', usage: { inputTokens: 1200, outputTokens: 4 } });
      const ledger = newLedger();
      const result = await runInProcess(['ask', '--config', configFile, '--ledger', ledger, 'Is it sorted?'], { env: keyedEnv, stderrIsTTY: true });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'Yes.\n', 'the answer alone on stdout');
      const [record] = await readLedger(ledger);
      assert.equal(result.stderr, `switchboard: openai:gpt-5.4-nano, 1,200 in / 4 out tokens, ${formatUsd(record!.costUsd)}, ${(record!.latencyMs / 1000).toFixed(1)} s\n`);
    });

    it('shows the escape sequences of an answer as "?" in a terminal, and passes them to a pipe as sent', async () => {
      const answer = 'Done.\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2K Really.';
      fakes.openai.script({ text: answer, chunks: 3 });
      const terminal = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'Is it done?'], { env: keyedEnv, stdoutIsTTY: true });
      assert.equal(terminal.code, 0, terminal.stderr);
      assert.equal(terminal.stdout, 'Done.?]52;c;cm0gLXJmIH4=??[2K Really.\n');

      fakes.openai.script({ text: answer, chunks: 3 });
      const piped = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'Is it done?'], { env: keyedEnv });
      assert.equal(piped.stdout, `${answer}\n`);
    });

    it('shows the bidi controls of an answer and of an error body by code point in a terminal, and passes them to a pipe', async () => {
      // Printed raw, the override shows "rm -rf ./build  # tidy" reversed past it: a command reading as another.
      const answer = 'Clean up with: rm -rf ~ \u202E# dliub ydit\u202C and \u2066isolated\u2069\u200B.';
      fakes.openai.script({ text: answer, chunks: 4 });
      const terminal = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'How do I clean?'], { env: keyedEnv, stdoutIsTTY: true, stderrIsTTY: true });
      assert.equal(terminal.code, 0, terminal.stderr);
      assert.equal(terminal.stdout, 'Clean up with: rm -rf ~ <U+202E># dliub ydit<U+202C> and <U+2066>isolated<U+2069><U+200B>.\n');

      fakes.openai.script({ text: answer, chunks: 4 });
      const piped = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'How do I clean?'], { env: keyedEnv });
      assert.equal(piped.stdout, `${answer}\n`);

      fakes.openai.script({ status: 400, errorMessage: 'Bad model \u202Egnp.exe\u202C, see \u200Fdocs' });
      const failed = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), '--model', 'openai:gpt-5.4-nano', 'Hi'], { env: keyedEnv, stderrIsTTY: true });
      assert.equal(failed.code, 1);
      assert.ok(failed.stderr.includes('Bad model <U+202E>gnp.exe<U+202C>, see <U+200F>docs'), failed.stderr);
      assert.doesNotMatch(failed.stderr, /[\u202A-\u202E\u200F]/u);
    });

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

    it('warns, and still answers, when a route names a model past its deprecation date', async () => {
      const retired = path.join(dir, 'retired.json');
      await writeFile(retired, JSON.stringify({ routes: { chat: ['openai:gpt-4-0613'] }, providers: { openai: fakes.urls.openai } }));
      fakes.openai.script({ text: 'Still here.' });
      const result = await runCli(cli, ['ask', '--config', retired, '--ledger', newLedger(), 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'Still here.\n');
      assert.match(oneErrorLine(result), /^switchboard: warning: .*retired\.json:1: routes\.chat: openai:gpt-4-0613 reached its deprecation date \(2025-06-06/);
    });

    it('warns, naming the nearest known id, and still answers, when a route names a model the price table does not know', async () => {
      const misspelt = path.join(dir, 'misspelt.json');
      await writeFile(misspelt, JSON.stringify({ routes: { chat: ['bedrock:us.anthropic.claude-sonet-5'] }, providers: { bedrock: fakes.urls.bedrock } }));
      fakes.bedrock.script({ text: 'Answered anyway.' });
      const result = await runCli(cli, ['ask', '--config', misspelt, '--ledger', newLedger(), 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'Answered anyway.\n');
      assert.match(
        oneErrorLine(result),
        /^switchboard: warning: .*misspelt\.json:1: routes\.chat: bedrock:us\.anthropic\.claude-sonet-5 is not in the price table .*did you mean bedrock:us\.anthropic\.claude-sonnet-5\? If the id is right, give it a price in "prices" in .*misspelt\.json \("bedrock:us\.anthropic\.claude-sonet-5": \{ "input": …, "output": … \}, in USD per million tokens\)$/,
      );
    });

    it('prints exactly one JSON object with --json', async () => {
      const usage = { inputTokens: 120, outputTokens: 30, cacheReadTokens: 64, cacheWriteTokens: 0 };
      fakes.openai.script({ text: 'Forty-two.', usage });

      const result = await ask(['--json', 'What is the answer?']);

      assert.equal(result.code, 0);
      const lines = result.stdout.split('\n').filter((line) => line);
      assert.equal(lines.length, 1);
      const printed = JSON.parse(lines[0]!) as Record<string, unknown>;
      for (const key of ['text', 'task', 'provider', 'model', 'requestedModel', 'usage', 'costUsd', 'latencyMs', 'firstTokenMs', 'attempts']) {
        assert.ok(key in printed, `--json output has "${key}"`);
      }
      assert.equal(printed.text, 'Forty-two.');
      assert.equal(printed.task, 'chat');
      assert.equal(printed.provider, 'openai');
      assert.equal(printed.model, 'gpt-5.4-nano');
      assert.equal(printed.requestedModel, 'openai:gpt-5.4-nano');
      assert.deepEqual(printed.usage, usage);
      const price = new PriceTable().lookup('openai', 'gpt-5.4-nano')!;
      const expected = (120 * price.input + 30 * price.output + 64 * (price.cacheRead ?? price.input)) / 1e6;
      assert.ok(Math.abs((printed.costUsd as number) - expected) < 1e-12, `costUsd ${String(printed.costUsd)} is ${expected}`);
      assert.equal(typeof printed.latencyMs, 'number');
      assert.equal(typeof printed.firstTokenMs, 'number');
      assert.deepEqual(printed.attempts, []);
      assert.deepEqual(await readLedger(result.ledger).then((records) => records[0]?.costUsd), printed.costUsd);
    });

    it('uses the plan route and the planning prompt with --task plan', async () => {
      const result = await ask(['--task', 'plan', '--json', 'Split router.ts in two']);

      assert.equal(result.code, 0);
      const printed = JSON.parse(result.stdout) as { task: string; provider: string; model: string };
      assert.deepEqual([printed.task, printed.provider, printed.model], ['plan', 'anthropic', 'claude-sonnet-5']);
      assert.equal(fakes.openai.requests.length, 0);
      assert.match(String((fakes.anthropic.requests[0]?.body as { system?: string }).system), /## Steps/);
    });

    it('asks only the model named by --model, colons in its id included', async () => {
      fakes.bedrock.script({ text: 'Nova here.' });

      const result = await ask(['--model', `bedrock:${NOVA}`, '--json', 'Who are you?']);

      assert.equal(result.code, 0, result.stderr);
      const printed = JSON.parse(result.stdout) as { provider: string; model: string; requestedModel: string; text: string };
      assert.equal(printed.text, 'Nova here.');
      assert.equal(printed.requestedModel, `bedrock:${NOVA}`);
      assert.equal(printed.model, NOVA);
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    });

    it('refuses a prompt longer than the chosen model takes before sending it, as the chat panel does, and records nothing', async () => {
      // About 1.25 million tokens at four characters a token: past any model's context in the price table.
      const result = await ask(['-'], { stdin: 'word '.repeat(1_000_000) });
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.match(oneErrorLine(result), /^switchboard: The prompt \(with its attachments\) is about 1,250,\d{3} tokens; openai:gpt-5\.4-nano accepts about [\d,]+ for a question\. Shorten it or attach less\. Nothing was sent\.$/);
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
      assert.deepEqual(await readLedger(result.ledger), []);
    });

    it('reads the prompt from standard input for "-"', async () => {
      const prompt = 'Review this function:\n\nfunction add(a, b) {\n  return a - b;\n}\n';

      const result = await ask(['-'], { stdin: prompt });

      assert.equal(result.code, 0, result.stderr);
      const body = fakes.openai.requests[0]?.body as { messages: Array<{ content: string }> };
      assert.equal(body.messages.at(-1)?.content, prompt);
    });

    it('falls back past a rejected key, saying so on stderr', async () => {
      fakes.openai.script({ status: 401, errorCode: 'invalid_api_key' });

      const result = await ask(['Hello']);

      assert.equal(result.code, 0);
      assert.match(result.stdout, /Simulated answer from claude-haiku-4-5/);
      assert.equal(result.stderr, "switchboard: openai rejected its API key (401); the route's next model, if any, is tried\n");
    });

    it('says Bedrock found no AWS credentials, not that it rejected a key', async () => {
      const bedrockOnly = path.join(dir, 'bedrock-only.json');
      await writeFile(bedrockOnly, JSON.stringify({ routes: { chat: [`bedrock:${NOVA}`] }, providers: { bedrock: fakes.urls.bedrock } }));
      // AWS_PROFILE makes the provider usable; the profile exists nowhere, so the SDK finds no credentials.
      const result = await runCli(cli, ['ask', '--config', bedrockOnly, '--ledger', newLedger(), 'Hello?'], { env: { ...baseEnv, AWS_PROFILE: 'nowhere' } });

      assert.equal(result.code, 1);
      const [first] = result.stderr.split('\n');
      assert.match(first!, /^switchboard: bedrock found no usable AWS credentials: .*; the route's next model, if any, is tried$/);
      assert.equal(fakes.bedrock.requests.length, 0);
    });

    it('exits 130 on Ctrl-C during a stalled answer and records the cancel', async () => {
      fakes.openai.script({ stall: true });
      const ledger = newLedger();
      const { child, finished } = startCli(cli, ['ask', '--config', configFile, '--ledger', ledger, 'Hello?'], { env: keyedEnv });
      await fakes.openai.waitForRequests(1);

      child.kill('SIGINT');
      const result = await finished;

      assert.equal(result.code, 130);
      assert.equal(result.stderr, 'switchboard: cancelled\n');
      await fakes.openai.waitForClosedEarly(1);
      const records = await readLedger(ledger);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.outcome, 'cancelled');
      assert.equal(records[0]?.usageEstimated, true);
      assert.equal(fakes.anthropic.requests.length, 0, 'a cancel is not a reason to fall back');
    });

    for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      it(`records the cancel when ${signal} ends the run mid-answer (timeout, kill, a closed terminal) and exits ${code}`, async () => {
        fakes.openai.script({ stall: true });
        const ledger = newLedger();
        const { child, finished } = startCli(cli, ['ask', '--config', configFile, '--ledger', ledger, 'Hello?'], { env: keyedEnv });
        await fakes.openai.waitForRequests(1);

        child.kill(signal);
        const result = await finished;

        assert.equal(result.code, code);
        assert.equal(result.stderr, 'switchboard: cancelled\n');
        const records = await readLedger(ledger);
        assert.equal(records.length, 1, 'the request the provider was asked for is in the ledger');
        assert.equal(records[0]?.outcome, 'cancelled');
      });
    }

    it('stops the request quietly with exit 0 when nobody reads the answer any more (| head -1), and still records it', async () => {
      fakes.openai.script({ text: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN', chunks: 8, chunkDelayMs: 150 });
      const ledger = newLedger();
      const { child, finished } = startCli(cli, ['ask', '--config', configFile, '--ledger', ledger, 'Hello?'], { env: keyedEnv });
      // What `| head -c 5` does: read a little, then close the pipe.
      child.stdout!.once('data', () => child.stdout!.destroy());

      const result = await finished;

      // As `yes | head -1`: the reader had what it wanted; no EPIPE stack trace, no "cancelled", no failure for pipefail.
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      await fakes.openai.waitForClosedEarly(1);
      const records = await readLedger(ledger);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.outcome, 'cancelled');
    });

    it('ends quietly when stderr is a closed pipe too (2>&1 | head) and a warning comes after the reader left, still recording the request', async () => {
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
      const warnConfig = path.join(dir, 'budget-warn-closed.json');
      // A budget past its limit under "warn": the run writes its warning on stderr, after the reader is gone.
      await writeFile(
        warnConfig,
        JSON.stringify({ budget: { dailyUsd: 0.5, action: 'warn' }, providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic } }),
      );
      const { child, finished } = startCli(cli, ['ask', '--config', warnConfig, '--ledger', ledger, 'One more?'], { env: keyedEnv });
      child.stdout!.destroy();
      child.stderr!.destroy();

      const result = await finished;

      assert.equal(result.signal, null);
      assert.equal(result.code, 0, 'no EPIPE crash from a warning nobody reads');
      const records = await readLedger(ledger);
      assert.equal(records.length, 2, 'the earlier record and this request');
    });

    it('refuses once the daily budget is spent, counting what earlier runs wrote to the ledger', async () => {
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
      const budgetConfig = path.join(dir, 'budget.json');
      await writeFile(
        budgetConfig,
        JSON.stringify({ budget: { dailyUsd: 0.5 }, providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic } }),
      );

      const result = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', ledger, 'One more?'], { env: keyedEnv });

      assert.equal(result.code, 1);
      assert.match(oneErrorLine(result), /daily budget reached: \$0\.75 spent of \$0\.50; it resets on \d{4}-\d\d-\d\d at 00:00 \(raise budget\.dailyUsd in \S*budget\.json to continue now\)$/);
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    });

    it('says on stderr what a budget past its limit let through under "warn" and "downgrade", and --json carries budgetAction', async () => {
      const budgetConfig = path.join(dir, 'budget-past.json');
      const write = (action: string) =>
        writeFile(
          budgetConfig,
          JSON.stringify({
            budget: { dailyUsd: 0.5, action },
            routes: { chat: ['anthropic:claude-sonnet-5', 'anthropic:claude-haiku-4-5'] },
            auto: { enabled: false },
            providers: { anthropic: fakes.urls.anthropic },
          }),
        );
      const spent = async () => {
        const ledger = newLedger();
        await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
        return ledger;
      };

      await write('warn');
      const warned = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', await spent(), 'One more?'], { env: keyedEnv });
      assert.equal(warned.code, 0, warned.stderr);
      assert.match(warned.stdout, /^Simulated answer from claude-sonnet-5/);
      assert.match(oneErrorLine(warned), /^switchboard: warning: daily budget reached: \$0\.75\d* spent of \$0\.50 \(budget\.dailyUsd in \S+\.json\); sent anyway, as budget\.action is "warn"$/);

      await write('downgrade');
      const downgraded = await runCli(cli, ['ask', '--json', '--config', budgetConfig, '--ledger', await spent(), 'One more?'], { env: keyedEnv });
      assert.equal(downgraded.code, 0, downgraded.stderr);
      const answer = JSON.parse(downgraded.stdout) as { model: string; budgetAction?: string };
      assert.deepEqual([answer.model, answer.budgetAction], ['claude-haiku-4-5', 'downgrade']);
      assert.match(oneErrorLine(downgraded), / \(budget\.dailyUsd in \S+\.json\); sent to the route's cheapest model only, anthropic:claude-haiku-4-5 instead of anthropic:claude-sonnet-5, as budget\.action is "downgrade"$/);
    });

    it('says what was left, not "budget reached", when only the request\'s worst case would pass the limit', async () => {
      const budgetConfig = path.join(dir, 'budget-near.json');
      const write = (action: string, chat: string[]) =>
        writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.5, action }, routes: { chat }, auto: { enabled: false }, providers: { anthropic: fakes.urls.anthropic } }));
      const nearlySpent = async () => {
        const ledger = newLedger();
        await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.47 })) + '\n');
        return ledger;
      };
      // $0.03 left; claude-sonnet-5's worst case (4,096 output tokens at $10/M, and the prompt) is $0.041, claude-haiku-4-5's $0.021.
      const left = String.raw`\$0\.03 left of the daily budget \(\$0\.47 spent of \$0\.50\), and this request could cost up to \$0\.041 \(its prompt and every output token it may generate`;
      await write('downgrade', ['anthropic:claude-sonnet-5', 'anthropic:claude-haiku-4-5']);
      const downgraded = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', await nearlySpent(), 'One more?'], { env: keyedEnv });
      assert.equal(downgraded.code, 0, downgraded.stderr);
      assert.match(downgraded.stdout, /^Simulated answer from claude-haiku-4-5/);
      assert.match(oneErrorLine(downgraded), new RegExp(`^switchboard: warning: ${left}.*\\) \\(budget\\.dailyUsd in \\S+\\.json\\); sent to the route's cheapest model only, anthropic:claude-haiku-4-5 instead of anthropic:claude-sonnet-5, as budget\\.action is "downgrade"$`));

      await write('warn', ['anthropic:claude-sonnet-5']);
      const warned = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', await nearlySpent(), 'One more?'], { env: keyedEnv });
      assert.equal(warned.code, 0, warned.stderr);
      assert.match(oneErrorLine(warned), new RegExp(`^switchboard: warning: ${left}.*\\) \\(budget\\.dailyUsd in \\S+\\.json\\); sent anyway, as budget\\.action is "warn"$`));
    });

    it('a model of a server elsewhere with no price, refused by a small budget, is said to be unpriced, with the estimate assumed and its --config price entry', async () => {
      const budgetConfig = path.join(dir, 'budget-local.json');
      // The fake by a name that is no loopback name: a server across a network (a LAN box), whose cost is unknown.
      const baseUrl = fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
      const settings = { budget: { dailyUsd: 0.05 }, routes: { chat: ['openai:llama3.2'] }, auto: { enabled: false }, providers: { openai: { baseUrl, sendKeyTo: ['[::ffff:7f00:1]'] } } };
      await writeFile(budgetConfig, JSON.stringify(settings));
      const refused = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', newLedger(), 'hello'], { env: keyedEnv });
      assert.equal(refused.code, 1);
      assert.equal(fakes.openai.requests.length, 0, 'not sent');
      assert.match(
        oneErrorLine(refused),
        /^switchboard: \$0\.05 left of the daily budget \(\$0\.00 spent of \$0\.05\), and this request could cost up to \$0\.06\d+ \(its prompt and every output token it may generate; openai:llama3\.2 has no known price, so this assumes budget\.unpricedEstimate in \S+budget-local\.json, \$3\.00 input and \$15\.00 output per million tokens; give it its price in prices in \S+budget-local\.json, e\.g\. "openai:llama3\.2": \{ "input": 0, "output": 0 \} for a local model that costs nothing\); it resets on \S+ at 00:00 \(raise budget\.dailyUsd in \S+budget-local\.json to continue now\)$/,
      );
      // The entry it names, added to the file, lets the request go at $0.
      await writeFile(budgetConfig, JSON.stringify({ ...settings, prices: { 'openai:llama3.2': { input: 0, output: 0 } } }));
      const priced = await runCli(cli, ['ask', '--json', '--config', budgetConfig, '--ledger', newLedger(), 'hello'], { env: keyedEnv });
      assert.equal(priced.code, 0, priced.stderr);
      const answer = JSON.parse(priced.stdout) as { outcome: string; costUsd: number | null; costSource?: string };
      assert.deepEqual([answer.outcome, answer.costUsd, answer.costSource], ['ok', 0, 'price-table']);
    });

    it('a model of a server on this machine costs "local, $0": a small budget lets it go, and the footer and --json say so', async () => {
      const budgetConfig = path.join(dir, 'budget-this-machine.json');
      await writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.0001 }, routes: { chat: ['openai:llama3.2'] }, auto: { enabled: false }, providers: { openai: fakes.urls.openai } }));
      const ledger = newLedger();
      const answered = await runInProcess(['ask', '--config', budgetConfig, '--ledger', ledger, 'hello'], { env: keyedEnv, stderrIsTTY: true });
      assert.equal(answered.code, 0, answered.stderr);
      assert.match(answered.stderr, /^switchboard: openai:llama3\.2, [\d,]+ in \/ [\d,]+ out tokens, local, \$0, [\d.]+ s$/m);
      const json = await runCli(cli, ['ask', '--json', '--config', budgetConfig, '--ledger', ledger, 'hello'], { env: keyedEnv });
      assert.equal(json.code, 0, json.stderr);
      const answer = JSON.parse(json.stdout) as { outcome: string; costUsd: number | null; costSource?: string };
      assert.deepEqual([answer.outcome, answer.costUsd, answer.costSource], ['ok', 0, 'local']);
    });

    it('says on stderr which model a provider\'s own limit passed over under "block", why, and which model answered instead', async () => {
      const budgetConfig = path.join(dir, 'budget-provider.json');
      await writeFile(
        budgetConfig,
        JSON.stringify({
          budget: { providers: { openai: { dailyUsd: 0.5 } } },
          routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] },
          auto: { enabled: false },
          providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic },
        }),
      );
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { provider: 'openai', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costUsd: 0.75 })) + '\n');

      const result = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', ledger, 'One more?'], { env: keyedEnv });

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Simulated answer from claude-haiku-4-5/);
      assert.equal(fakes.openai.requests.length, 0, 'the limit stopped openai before any request');
      assert.match(
        oneErrorLine(result),
        /^switchboard: warning: openai:gpt-5\.4-nano was not asked: daily openai budget reached: \$0\.75 spent of \$0\.50; it resets on \d{4}-\d\d-\d\d at 00:00 \(raise budget\.providers\.openai\.dailyUsd in \S+budget-provider\.json to continue now\); answered by anthropic:claude-haiku-4-5 instead$/,
      );
    });
  });

  describe('complete', () => {
    const source = [
      'export function lowStock(items: Item[], threshold: number): Item[] {',
      '  ',
      '}',
      '',
    ].join('\n');
    let file: string;
    before(async () => {
      file = path.join(dir, 'inventory.ts');
      await writeFile(file, source);
    });

    async function complete(args: string[]) {
      const ledger = newLedger();
      const result = await runCli(cli, ['complete', '--config', configFile, '--ledger', ledger, ...args], { env: keyedEnv });
      return { ...result, ledger };
    }

    it('prints the completion the editor would insert at a 1-based line and column', async () => {
      fakes.openai.scriptModel('gpt-5.4-nano', { text: '```ts\nreturn items.filter((item) => item.quantity < threshold);\n```' });
      const result = await complete(['--file', file, '--line', '2', '--column', '3']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'return items.filter((item) => item.quantity < threshold);', 'fences stripped, as in the editor');
      const body = fakes.openai.requests[0]?.body as { model: string; messages: Array<{ role: string; content: string }> };
      assert.equal(body.model, 'gpt-5.4-nano', 'the completion route\'s first model');
      const prompt = body.messages.map((m) => m.content).join('\n');
      assert.match(prompt, /inventory\.ts/);
      assert.match(prompt, /typescript/i);
      assert.match(prompt, /threshold: number\): Item\[\] \{\n {2}\{\{FILL_HERE\}\}\n\}/, 'prefix, marked gap, suffix');
      const [record] = await readLedger(result.ledger);
      assert.equal(record?.task, 'completion');
      assert.equal(record?.model, 'gpt-5.4-nano');
    });

    it('knows a docstring opened above the text it sends, as the editor does: its `Returns:` opens no block', async () => {
      // 400 lines of prose (about 15,600 characters) between the docstring's quotes and the cursor: more than the text sent.
      const prose = Array.from({ length: 400 }, (_, i) => `    line ${String(i).padStart(4, '0')} of the long explanation.`).join('\n');
      const report = path.join(dir, 'report.py');
      await writeFile(report, `def report(rows):\n    """Sums the rows.\n\n${prose}\n\n    Returns:\n    """\n    return sum(rows)\n`);
      fakes.openai.scriptModel('gpt-5.4-nano', { text: '\n    The sum of the rows.' });
      const result = await runInProcess(['complete', '--config', configFile, '--ledger', newLedger(), '--file', report, '--line', '405', '--column', '13'], { env: keyedEnv });
      assert.equal(result.code, 0, result.stderr);
      // Read as code, `Returns:` would open a block and the line would move one level deeper.
      assert.equal(result.stdout, '\n    The sum of the rows.');
    });

    it('offers no completion holding an escape sequence, as the editor offers no such ghost text: nothing of it reaches the terminal', async () => {
      fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];\x1b]0;pwned\x07' });
      const result = await runInProcess(['complete', '--config', configFile, '--ledger', newLedger(), '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv, stdoutIsTTY: true });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(fakes.openai.requests.length > 0, true, 'the model was asked');
      assert.equal(result.stdout, '');
      assert.ok(!result.stderr.includes('\x1b') && !result.stderr.includes('pwned'), result.stderr);
    });

    it('says on stderr that a budget past its limit let the completion through under "warn"', async () => {
      const budgetConfig = path.join(dir, 'budget-warn-complete.json');
      await writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.5, action: 'warn' }, providers: { openai: fakes.urls.openai } }));
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
      fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];' });
      const result = await runCli(cli, ['complete', '--config', budgetConfig, '--ledger', ledger, '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'return [];');
      assert.match(oneErrorLine(result), /^switchboard: warning: daily budget reached: \$0\.75\d* spent of \$0\.50 \(budget\.dailyUsd in \S+\.json\); sent anyway, as budget\.action is "warn"$/);
    });

    it("counts other processes' requests in flight under a budget, as every CLI request does: runs side by side cannot each take a limit's last cents", async () => {
      const budgetConfig = path.join(dir, 'budget-block-complete.json');
      await writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.5 }, providers: { openai: fakes.urls.openai } }));
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.4 })) + '\n');
      // Another process (a window's chat, another `switchboard complete`) has $0.10 in flight: the limit is taken up.
      const elsewhere = new SharedReservations(ledger);
      try {
        await elsewhere.add('openai', 0.1);
        fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];' });
        const result = await runCli(cli, ['complete', '--config', budgetConfig, '--ledger', ledger, '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv });
        assert.equal(result.code, 1, result.stderr);
        assert.match(oneErrorLine(result), /daily budget taken up by requests in flight: \$0\.40 spent and \$0\.10 in flight of \$0\.50/);
        assert.equal(fakes.openai.requests.length, 0, 'nothing sent');
      } finally {
        await elsewhere.dispose();
      }
    });

    it('prints one JSON object with --json', async () => {
      fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];', usage: { inputTokens: 200, outputTokens: 5 } });
      const result = await complete(['--file', file, '--line', '2', '--column', '3', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const json = JSON.parse(result.stdout) as Record<string, unknown>;
      assert.equal(json.text, 'return [];');
      assert.equal(json.task, 'completion');
      assert.equal(json.provider, 'openai');
      assert.equal(json.model, 'gpt-5.4-nano');
      assert.deepEqual(json.usage, { inputTokens: 200, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 });
      assert.equal(typeof json.costUsd, 'number');
      assert.deepEqual(json.attempts, []);
    });

    it('prints the failed request as JSON with --json, as ask does, and exits 1', async () => {
      fakes.openai.scriptModel('gpt-5.4-nano', { status: 500 });
      fakes.anthropic.scriptModel('claude-haiku-4-5', { status: 500 });
      fakes.bedrock.scriptModel(NOVA, { status: 500, errorCode: 'InternalServerException' });
      const result = await complete(['--file', file, '--line', '2', '--column', '3', '--json']);
      assert.equal(result.code, 1);
      const json = JSON.parse(result.stdout) as { outcome: string; error: string; attempts: unknown[]; text: string };
      assert.equal(json.outcome, 'error');
      assert.equal(json.text, '');
      assert.match(json.error, /every model of the completion route failed/);
      assert.ok(json.attempts.length > 0);
      assert.match(oneErrorLine(result), /every model of the completion route failed/);
    });

    it('names the flag that is wrong', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['--line', '2', '--column', '3'], /complete needs --file PATH/],
        [['--file', file, '--column', '3'], /complete needs --line N/],
        [['--file', file, '--line', '0', '--column', '1'], /--line "0" must be a whole number from 1/],
        [['--file', file, '--line', '99', '--column', '1'], /--line 99 is past the end of .*inventory\.ts/],
        [['--file', file, '--line', '2', '--column', '40'], /--column 40 is past the end of line 2 \(2 characters\)/],
        [['--file', path.join(dir, 'missing.ts'), '--line', '1', '--column', '1'], /cannot read --file .*missing\.ts: no such file \(ENOENT\)/],
      ];
      for (const [args, message] of cases) {
        const result = await complete(args);
        assert.equal(result.code, 2, args.join(' '));
        assert.match(oneErrorLine(result), message);
      }
      assert.equal(fakes.openai.requests.length, 0, 'no request for bad input');
    });

    it('exits 130 on Ctrl-C while the completion streams, and records the cancelled request', async () => {
      fakes.openai.scriptModel('gpt-5.4-nano', { stall: true });
      const ledger = newLedger();
      const { child, finished } = startCli(cli, ['complete', '--config', configFile, '--ledger', ledger, '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv });
      await fakes.openai.waitForRequests(1);

      child.kill('SIGINT');
      const result = await finished;

      assert.equal(result.code, 130);
      assert.equal(result.stderr, 'switchboard: cancelled\n');
      assert.equal(result.stdout, '');
      await fakes.openai.waitForClosedEarly(1);
      const records = await readLedger(ledger);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.task, 'completion');
      assert.equal(records[0]?.outcome, 'cancelled');
    });

    it('refuses a binary file', async () => {
      const binary = path.join(dir, 'image.bin');
      await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0a, 0x41]));
      const result = await complete(['--file', binary, '--line', '1', '--column', '1']);
      assert.equal(result.code, 2);
      assert.match(oneErrorLine(result), /looks binary; not completed/);
    });
  });

  describe('errors: one line on stderr and a non-zero exit', () => {
    it('names a flag the command does not read instead of ignoring it', async () => {
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
      const cases: Array<[string[], string]> = [
        // Looks like a filter; ignored, it would total every model.
        [['costs', '--ledger', ledger, '--model', 'openai:gpt-5.4'], 'switchboard: --model is not an option of costs (see "switchboard costs --help")'],
        [['ask', '--config', configFile, '--ledger', ledger, '--since', '2026-01-01', 'Hello'], 'switchboard: --since is not an option of ask (see "switchboard ask --help")'],
        [['complete', '--config', configFile, '--ledger', ledger, '--attach', configFile, '--file', configFile, '--line', '1', '--column', '1'], 'switchboard: --attach is not an option of complete (see "switchboard complete --help")'],
        [['route', '--ledger', ledger, 'Hello'], 'switchboard: --ledger is not an option of route (see "switchboard route --help")'],
      ];
      for (const [args, message] of cases) {
        const result = await runCli(cli, args, { env: keyedEnv });
        assert.equal(result.code, 2, args.join(' '));
        assert.equal(result.stdout, '');
        assert.equal(oneErrorLine(result), message);
      }
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
      assert.equal((await readLedger(ledger)).length, 1, 'nothing written');
    });

    it('refuses a flag given an empty value rather than falling back to the defaults', async () => {
      // `--config "$CONFIG"` with CONFIG unset: the default cloud routes instead of the user's own.
      const cases: Array<[string[], string]> = [
        [['ask', '--config', '', 'Hello'], '--config'],
        [['costs', '--ledger', ''], '--ledger'],
        [['ask', '--config', configFile, '--ledger=', 'Hello'], '--ledger'],
      ];
      for (const [args, flag] of cases) {
        const result = await runCli(cli, args, { env: keyedEnv });
        assert.equal(result.code, 2, args.join(' '));
        assert.equal(result.stdout, '');
        assert.equal(oneErrorLine(result), `switchboard: ${flag} was given an empty value`);
      }
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    });

    it('names an unknown task', async () => {
      const result = await ask(['--task', 'review', 'Hello']);
      assert.equal(result.code, 2);
      assert.equal(oneErrorLine(result), 'switchboard: unknown task "review" for --task (expected completion, chat, plan)');
    });

    it('explains a malformed model reference', async () => {
      const result = await ask(['--model', 'gpt-5.4', 'Hello']);
      assert.equal(result.code, 2);
      assert.match(oneErrorLine(result), /--model "gpt-5.4" is not a model reference \(did you mean openai:gpt-5\.4\? expected provider:model/);
    });

    it('names a config file it cannot read', async () => {
      const missing = path.join(dir, 'missing.json');
      const result = await runCli(cli, ['ask', '--config', missing, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      assert.equal(oneErrorLine(result), `switchboard: cannot read config file ${missing}: no such file (ENOENT)`);
    });

    it('refuses a config file that holds only null, and prefixes each of several problems', async () => {
      const nothing = path.join(dir, 'null.json');
      await writeFile(nothing, 'null\n');
      const empty = await runCli(cli, ['ask', '--config', nothing, 'Hello'], { env: keyedEnv });
      assert.equal(empty.code, 2);
      assert.equal(oneErrorLine(empty), `switchboard: ${nothing}:1: must be a JSON object of settings ({"routes": …}), not null`);

      const twice = path.join(dir, 'two-problems.json');
      await writeFile(twice, JSON.stringify({ routes: { chat: ['nowhere:model'] } }));
      const result = await runCli(cli, ['ask', '--config', twice, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      const lines = result.stderr.split('\n').filter((line) => line);
      assert.equal(lines.length, 2, result.stderr);
      assert.match(lines[0]!, /^switchboard: .*two-problems\.json:1: routes\.chat\[0\]: unknown provider "nowhere"/);
      assert.match(lines[1]!, /^switchboard: .*two-problems\.json:1: routes\.chat: has no valid model reference/);
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    });

    it('reads a config file saved with a UTF-8 byte order mark', async () => {
      const withBom = path.join(dir, 'bom.json');
      await writeFile(withBom, '\uFEFF' + (await readFile(configFile, 'utf8')));
      const result = await runCli(cli, ['ask', '--config', withBom, '--ledger', newLedger(), 'Hello?'], { env: keyedEnv });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Simulated answer/);
    });

    it('names a config file that is not JSON, with the line and column', async () => {
      const broken = path.join(dir, 'broken.json');
      await writeFile(broken, '{\n  "routes": { "chat": ["openai:gpt-5.4"] }\n  "ledger": {}\n}');
      const result = await runCli(cli, ['ask', '--config', broken, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      assert.equal(oneErrorLine(result), `switchboard: ${broken}:3:3: config file is not valid JSON (comments and trailing commas are fine): expected "," or "}" after a property, found a string (a comma missing before it?)`);
    });

    it('names a config key with an invalid value', async () => {
      const invalid = path.join(dir, 'invalid.json');
      await writeFile(invalid, JSON.stringify({ timeouts: { firstTokenMs: 'fast' } }));
      const result = await runCli(cli, ['ask', '--config', invalid, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      // Not "; using the default": the editor carries on with it, the CLI refuses and runs nothing.
      assert.match(oneErrorLine(result), /invalid\.json:1: timeouts\.firstTokenMs: must be a number from 100 to 600000, not "fast"$/);
    });

    it('names a config key that is not a setting', async () => {
      const misspelt = path.join(dir, 'misspelt.json');
      await writeFile(misspelt, JSON.stringify({ routes: { chat: ['openai:gpt-5.4'] }, timeout: { firstTokenMs: 5000 } }));
      const result = await runCli(cli, ['ask', '--config', misspelt, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      assert.match(oneErrorLine(result), /misspelt\.json:1: timeout: is not a Switchboard setting \(did you mean "timeouts"\?\)$/);
    });

    it('names a price override it cannot use', async () => {
      const partial = path.join(dir, 'partial-price.json');
      await writeFile(partial, JSON.stringify({ prices: { 'ollama:qwen2.5-coder:7b': { input: 0 } } }));
      const result = await runCli(cli, ['ask', '--config', partial, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      assert.match(oneErrorLine(result), /partial-price\.json:1: prices\["ollama:qwen2\.5-coder:7b"\]: names a model with no shipped price, so it needs both "input" and "output"/);
    });

    it('names a nested config key that is not a setting', async () => {
      const misspelt = path.join(dir, 'nested.json');
      // Written as a person would, one key a line: the message names the line of the misspelt key.
      await writeFile(misspelt, JSON.stringify({ providers: { openai: { baseURL: 'http://localhost:11434/v1' } } }, null, 2));
      const result = await runCli(cli, ['ask', '--config', misspelt, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      assert.equal(oneErrorLine(result), `switchboard: ${misspelt}:4: providers.openai.baseURL: is not a Switchboard setting (did you mean "providers.openai.baseUrl"?)`);
    });

    it("refuses a config file's ledger.path that is not a .jsonl file, such as a shell's start-up file, writing nothing there", async () => {
      const startup = path.join(dir, '.bash_profile');
      const hostile = path.join(dir, 'hostile.json');
      await writeFile(hostile, JSON.stringify({ ledger: { path: startup } }, null, 2));
      const result = await runCli(cli, ['ask', '--config', hostile, 'Hello'], { env: keyedEnv });
      assert.equal(result.code, 2);
      assert.equal(oneErrorLine(result), `switchboard: ${hostile}:3: ledger.path: ${JSON.stringify(startup)} is not a .jsonl file (name a ledger file ending in .jsonl, or use --ledger)`);
      assert.equal(existsSync(startup), false, 'nothing created there');
    });

    it('refuses a relative ledger.path in the config file, naming the key', async () => {
      const relative = path.join(dir, 'relative.json');
      await writeFile(relative, JSON.stringify({ ledger: { path: 'spend/ledger.jsonl' } }));
      const result = await runCli(cli, ['costs', '--config', relative], { env: baseEnv });
      assert.equal(result.code, 2);
      assert.equal(
        oneErrorLine(result),
        `switchboard: ${relative}:1: ledger.path: "spend/ledger.jsonl" is a relative path; give an absolute one (or one starting with ~/)`,
      );
    });

    it('refuses a relative SWITCHBOARD_LEDGER, naming it', async () => {
      const result = await runCli(cli, ['costs'], { env: { ...baseEnv, SWITCHBOARD_LEDGER: 'ledger.jsonl' } });
      assert.equal(result.code, 2);
      assert.equal(oneErrorLine(result), 'switchboard: SWITCHBOARD_LEDGER: "ledger.jsonl" is a relative path; give an absolute one (or one starting with ~/)');
    });

    it('refuses a ledger it cannot write before sending anything, since the record would be lost', async () => {
      const folder = path.join(dir, 'a-folder.jsonl');
      await mkdir(folder, { recursive: true });
      const refused = `switchboard: --ledger: "${folder}" is a directory, not a file; give the path of a ledger file (or of one to create)`;
      const costs = await runCli(cli, ['costs', '--ledger', folder], { env: baseEnv });
      assert.equal(costs.code, 2);
      assert.equal(oneErrorLine(costs), refused);

      const asked = await runCli(cli, ['ask', '--config', configFile, '--ledger', folder, 'Hello?'], { env: keyedEnv });
      assert.equal(asked.code, 2);
      assert.equal(asked.stdout, '');
      assert.equal(oneErrorLine(asked), refused);

      // A folder of the path that is a file: the writer could not make the ledger's folder.
      const underFile = path.join(configFile, 'ledger.jsonl');
      const completed = await runCli(cli, ['complete', '--config', configFile, '--ledger', underFile, '--file', configFile, '--line', '1', '--column', '1'], { env: keyedEnv });
      assert.equal(completed.code, 2);
      assert.equal(oneErrorLine(completed), `switchboard: cannot write the ledger ${underFile}: a part of the path is a file, not a folder; nothing was sent, since its record could not be kept`);
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    });

    it('refuses a ledger path that is a named pipe at once, naming the flag or variable (opening one would wait for a writer)', async () => {
      const pipe = path.join(dir, 'pipe.jsonl');
      execFileSync('mkfifo', [pipe]);
      const refused = (name: string) => `switchboard: ${name}: "${pipe}" is a named pipe (FIFO), not a regular file; give the path of a ledger file (or of one to create)`;
      for (const args of [['costs'], ['costs', '--json'], ['costs', '--csv'], ['costs', '--by', 'task']]) {
        const result = await runCli(cli, [...args, '--ledger', pipe], { env: baseEnv });
        assert.equal(result.code, 2, args.join(' '));
        assert.equal(result.stdout, '');
        assert.equal(oneErrorLine(result), refused('--ledger'), args.join(' '));
      }
      const fromEnv = await runCli(cli, ['costs'], { env: { ...baseEnv, SWITCHBOARD_LEDGER: pipe } });
      assert.equal(fromEnv.code, 2);
      assert.equal(oneErrorLine(fromEnv), refused('SWITCHBOARD_LEDGER'));
      // Commands that write the ledger refuse it before anything is sent.
      const asked = await runCli(cli, ['ask', '--config', configFile, '--ledger', pipe, 'Hello?'], { env: keyedEnv });
      assert.equal(asked.code, 2);
      assert.equal(oneErrorLine(asked), refused('--ledger'));
      await writeFile(path.join(dir, 'complete-pipe.ts'), 'const total = ');
      const completed = await runCli(cli, ['complete', '--config', configFile, '--ledger', pipe, '--file', path.join(dir, 'complete-pipe.ts'), '--line', '1', '--column', '15'], { env: keyedEnv });
      assert.equal(completed.code, 2);
      assert.equal(oneErrorLine(completed), refused('--ledger'));
      assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    });

    it('hands the record to the user when the ledger fails mid-run (the disk fills up), since the run ends', async () => {
      // Linux's /dev/full opens for appending, then fails every write with ENOSPC.
      const result = await runCli(cli, ['ask', '--config', configFile, '--ledger', '/dev/full', 'Hello?'], { env: keyedEnv });

      assert.equal(result.code, 0, 'the answer was printed');
      assert.match(result.stdout, /Simulated answer/);
      const lines = result.stderr.split('\n').filter((line) => line);
      assert.equal(lines.length, 3, result.stderr);
      assert.match(lines[0]!, /^switchboard: warning: Could not write to the ledger \/dev\/full: the disk is full\./);
      assert.equal(lines[1], 'switchboard: warning: this run ends before the ledger /dev/full could be written; its record (append to the ledger by hand to keep):');
      const record = JSON.parse(lines[2]!) as LedgerRecord;
      assert.equal(record.outcome, 'ok');
      assert.equal(record.model, 'gpt-5.4-nano');
    });

    it('answers under a budget on a real full disk, and hands the record to the user', async () => {
      // A tmpfs of 8 KiB in the run's own mount namespace (a user namespace maps it to root there, no privilege
      // needed), filled before the run: files are made, their bytes refused, as on a full disk. The ledger and
      // the budget's lock beside it (ledger.jsonl.inflight/lock) are on it; /dev/full has no folder for a lock.
      const mount = path.join(dir, 'full-disk');
      await mkdir(mount);
      const budgetConfig = path.join(dir, 'full-disk-budget.json');
      await writeFile(budgetConfig, JSON.stringify({ ...JSON.parse(await readFile(configFile, 'utf8')), budget: { dailyUsd: 5, action: 'block' } }));
      const fill = 'mount -t tmpfs -o size=8k tmpfs "$1" && { head -c 65536 /dev/zero > "$1/filler" 2>/dev/null; shift; exec "$@"; }';
      const result = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', path.join(mount, 'ledger.jsonl'), 'Hello?'], {
        env: keyedEnv,
        wrapper: ['unshare', '--user', '--map-root-user', '--mount', '--propagation', 'private', 'sh', '-c', fill, 'sh', mount],
      });

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Simulated answer/);
      const lines = result.stderr.split('\n').filter((line) => line);
      assert.equal(lines.length, 3, result.stderr);
      assert.equal(lines[0], `switchboard: warning: Could not write to the ledger ${mount}/ledger.jsonl: the disk is full. Requests still answer; 1 record is kept in memory and written once it works again`);
      assert.match(lines[1]!, /could be written; its record \(append to the ledger by hand to keep\):$/);
      assert.equal((JSON.parse(lines[2]!) as LedgerRecord).outcome, 'ok');
    });

    it('names the keys to set and the first-hour commands in one short line when no model has credentials', async () => {
      const result = await runCli(cli, ['ask', '--ledger', newLedger(), 'Hello'], { env: baseEnv });
      assert.equal(result.code, 1);
      // Each provider once, by the variable to set; then init for a local server, doctor for the rest.
      assert.equal(
        oneErrorLine(result),
        'switchboard: no provider can answer the chat route: anthropic needs ANTHROPIC_API_KEY; openai needs OPENAI_API_KEY; ' +
          'bedrock needs AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). ' +
          'Set one, or for a local server that needs no key run "switchboard init --base-url http://localhost:11434/v1"; "switchboard doctor" checks the setup',
      );
    });

    it('asks the server OPENAI_BASE_URL names, with no key and no --config, as the OpenAI SDK and the sandbox do', async () => {
      const ledger = newLedger();
      fakes.openai.scriptModel('qwen2.5-coder:7b', { text: 'From the local server.' });
      const env = { ...baseEnv, OPENAI_BASE_URL: fakes.urls.openai.baseUrl };
      const result = await runCli(cli, ['ask', '--ledger', ledger, '--model', 'openai:qwen2.5-coder:7b', 'Hello'], { env });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), 'From the local server.');
      assert.equal(fakes.openai.requests.length, 1);
      assert.equal((fakes.openai.requests[0]!.body as { model: string }).model, 'qwen2.5-coder:7b');
    });

    it("lets a --config file's providers.openai.baseUrl win over OPENAI_BASE_URL, and names OPENAI_BASE_URL when it is not a URL", async () => {
      fakes.openai.scriptModel('gpt-5.4-nano', { text: 'From the configured server.' });
      // Nothing listens on port 9: were the variable used, the request would fail.
      const first = await ask(['Hello'], { env: { ...keyedEnv, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /From the configured server\./);

      const wrong = await runCli(cli, ['ask', '--ledger', newLedger(), '--model', 'openai:llama3.1', 'Hello'], { env: { ...baseEnv, OPENAI_BASE_URL: 'localhost:11434/v1' } });
      assert.equal(wrong.code, 1);
      assert.match(oneErrorLine(wrong), /OPENAI_BASE_URL is not an http\(s\) URL: nothing goes to openai until it is fixed/);
    });

    it('keeps the OpenAI key from a host the config file does not allow, naming the field that allows it', async () => {
      const file = path.join(dir, 'keyhost-public.json');
      await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl: 'https://openrouter.ai/api/v1' } }, routes: { chat: ['openai:gpt-5.4'] } }));
      const result = await runCli(cli, ['ask', '--config', file, '--ledger', newLedger(), 'Hello'], { env: { ...baseEnv, OPENAI_API_KEY: 'sk-cli-keyhost-0123456789' } });
      assert.equal(result.code, 1);
      assert.match(
        oneErrorLine(result),
        /Switchboard did not send your OpenAI key to openrouter\.ai: it goes only to api\.openai\.com unless you allow that host; add "openrouter\.ai" to providers\.openai\.sendKeyTo in your --config file/,
      );
    });

    it('says a 401 from a network host came without the key, naming the field that allows it, not that the key was rejected', async () => {
      const baseUrl = fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
      const file = path.join(dir, 'keyhost-401.json');
      await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl } }, routes: { chat: ['openai:llama3.1'] }, auto: { enabled: false } }));
      fakes.openai.script({ status: 401 });
      const result = await runCli(cli, ['ask', '--config', file, '--ledger', newLedger(), 'Hello'], { env: { ...baseEnv, OPENAI_API_KEY: 'sk-cli-keyhost-0123456789' } });
      assert.equal(result.code, 1);
      assert.doesNotMatch(result.stderr, /rejected its API key/);
      // The attempt's line as it fails, then the request's error: both say it.
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 2, result.stderr);
      assert.match(lines[0]!, /^switchboard: openai answered 401 without the key: /);
      assert.match(
        lines[1]!,
        /openai answered 401 without the key: Switchboard did not send your OpenAI key to \[::ffff:7f00:1\]: .*add "\[::ffff:7f00:1\]" to providers\.openai\.sendKeyTo in your --config file/,
      );
    });

    it('sends the OpenAI key to a network host once the config file allows it, and not before', async () => {
      // The fake on 127.0.0.1 written IPv6-mapped: a host the key rule treats as elsewhere on the network.
      const baseUrl = fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
      const key = 'sk-cli-keyhost-0123456789';
      for (const sendKeyTo of [[], ['[::ffff:7f00:1]']]) {
        const file = path.join(dir, `keyhost-${sendKeyTo.length}.json`);
        await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl, sendKeyTo } }, routes: { chat: ['openai:llama3.1'] }, auto: { enabled: false } }));
        const result = await runCli(cli, ['ask', '--config', file, '--ledger', newLedger(), 'Hello'], { env: { ...baseEnv, OPENAI_API_KEY: key } });
        assert.equal(result.code, 0, result.stderr);
      }
      assert.deepEqual(
        fakes.openai.requests.map((request) => request.headers.authorization === `Bearer ${key}`),
        [false, true],
      );
    });

    it('says why no completion can be asked for, without a ledger record for a request never made', async () => {
      const ledger = newLedger();
      await writeFile(path.join(dir, 'complete-me.ts'), 'const total = ');
      const result = await runCli(cli, ['complete', '--file', path.join(dir, 'complete-me.ts'), '--line', '1', '--column', '15', '--ledger', ledger], { env: baseEnv });
      assert.equal(result.code, 1);
      assert.match(oneErrorLine(result), /^switchboard: no provider can answer the completion route: openai needs OPENAI_API_KEY; .*"switchboard doctor" checks the setup$/);
      assert.deepEqual(await readLedger(ledger).catch(() => []), [], 'no ledger line');
    });

    it('lists every attempt when all models fail', async () => {
      fakes.openai.script({ status: 500 });
      fakes.anthropic.script({ status: 529 });

      const result = await ask(['Hello']);

      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.equal(
        oneErrorLine(result),
        'switchboard: every model of the chat route failed (openai:gpt-5.4-nano: openai had a server error (500); ' +
          'anthropic:claude-haiku-4-5: anthropic is overloaded (529))',
      );
      assert.equal((await readLedger(result.ledger))[0]?.outcome, 'error');
    });
  });

  describe('costs', () => {
    const day = (date: number, hour = 12) => new Date(2026, 6, date, hour);
    const records = [
      ledgerRecord(day(20), { costUsd: 0.01 }),
      ledgerRecord(day(22), { task: 'plan', model: 'claude-opus-5', requestedModel: 'anthropic:claude-opus-5', costUsd: 0.25 }),
      ledgerRecord(day(23), {
        task: 'completion',
        provider: 'openai',
        model: 'gpt-5.4-nano',
        requestedModel: 'openai:gpt-5.4-nano',
        usage: { inputTokens: 300, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 },
        costUsd: 0.0001,
      }),
      ledgerRecord(day(23, 18), { provider: 'local', model: 'llama3:8b', requestedModel: 'local:llama3:8b', costUsd: null }),
    ];
    let ledger: string;

    before(async () => {
      ledger = path.join(dir, 'costs.jsonl');
      await writeFile(ledger, records.map((record) => JSON.stringify(record) + '\n').join(''));
    });

    it('totals the ledger as JSON, by model and by task', async () => {
      const result = await runCli(cli, ['costs', '--json', '--ledger', ledger], { env: baseEnv });

      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout) as {
        totalUsd: number;
        requests: number;
        unpricedRequests: number;
        byModel: Record<string, { requests: number; costUsd: number; inputTokens: number; unpriced: number }>;
        byTask: Record<string, { requests: number; costUsd: number; unpriced: number }>;
      };
      assert.equal(summary.totalUsd, 0.2601);
      assert.equal(summary.requests, 4);
      assert.equal(summary.unpricedRequests, 1);
      assert.deepEqual(Object.keys(summary.byModel).sort(), [
        'anthropic:claude-opus-5',
        'anthropic:claude-sonnet-5',
        'local:llama3:8b',
        'openai:gpt-5.4-nano',
      ]);
      assert.equal(summary.byModel['openai:gpt-5.4-nano']?.inputTokens, 300);
      assert.equal(summary.byModel['local:llama3:8b']?.unpriced, 1);
      assert.deepEqual(summary.byTask, {
        completion: { requests: 1, costUsd: 0.0001, unpriced: 0 },
        chat: { requests: 2, costUsd: 0.01, unpriced: 1 },
        plan: { requests: 1, costUsd: 0.25, unpriced: 0 },
      });
    });

    it('says "unpriced" for a task whose requests have no price, never $0.00, and leaves out a task with none', async () => {
      const local = path.join(dir, 'local-only.jsonl');
      const chat = ledgerRecord(day(23), { provider: 'local', model: 'llama3:8b', requestedModel: 'local:llama3:8b', costUsd: null });
      await writeFile(local, [chat, { ...chat, task: 'plan' as const }, ledgerRecord(day(23), { task: 'plan' })].map((r) => JSON.stringify(r) + '\n').join(''));

      const result = await runCli(cli, ['costs', '--ledger', local], { env: baseEnv });

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^chat\s+1\s+unpriced$/m);
      assert.match(result.stdout, /^plan\s+2\s+\$0\.01 \(\+1 unpriced\)$/m);
      // Which requests the total leaves out, and why.
      // The CLI's way to a price, its --config file's key, not the editor's setting.
      assert.match(result.stdout, /^Unpriced, not in the total: local:llama3:8b \(2 requests\): not in the price table \(of \d{4}-\d{2}-\d{2}\) or "prices" in a --config file \(give it a price there/m);
      assert.doesNotMatch(result.stdout, /switchboard\.prices/);
      // A task with no request in the range is left out of the task table, not listed as $0.00.
      const taskTable = result.stdout.slice(result.stdout.indexOf('\ntask ') + 1, result.stdout.indexOf('\nTotal:'));
      assert.deepEqual(taskTable.trim().split('\n').map((line) => line.split(/\s+/)[0]), ['task', 'chat', 'plan']);
      const json = JSON.parse((await runCli(cli, ['costs', '--json', '--ledger', local], { env: baseEnv })).stdout) as { byTask: Record<string, { requests: number }>; unpricedModels: { model: string; requests: number; reason: string }[] };
      assert.equal(json.byTask['completion']?.requests, 0, '--json keeps every task, for scripts');
      assert.deepEqual(json.unpricedModels.map(({ model, requests }) => [model, requests]), [['local:llama3:8b', 2]]);
      assert.match(json.unpricedModels[0]!.reason, /^not in the price table/);
    });

    it('prints names from the ledger without their control characters', async () => {
      const odd = path.join(dir, 'escapes.jsonl');
      await writeFile(odd, JSON.stringify(ledgerRecord(day(23), { model: 'nova\u001b]0;owned\u0007', requestedModel: 'bedrock:router' })) + '\n');
      const result = await runCli(cli, ['costs', '--ledger', odd, '--by', 'model'], { env: baseEnv });
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stdout, /\p{Cc}(?<!\n)/u);
      assert.match(result.stdout, /^anthropic:nova\?\]0;owned\?\s/m);
    });

    it('prints a table with the total, counting from --since', async () => {
      const result = await runCli(cli, ['costs', '--since', '2026-07-22', '--ledger', ledger], { env: baseEnv });

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /since 2026-07-22/);
      assert.match(result.stdout, /anthropic:claude-opus-5\s+1\s/);
      assert.doesNotMatch(result.stdout, /^anthropic:claude-sonnet-5\s/m, 'the request of 2026-07-20 is left out');
      assert.match(result.stdout, /Total: \$0\.25 over 3 requests \(1 unpriced, not counted\)/);
      assert.doesNotMatch(result.stdout, /served without a request/, 'no line about what did not happen');
    });

    it('counts the ghost text served without a request in the range, as the dashboard does, in text and --json', async () => {
      const servedLedger = path.join(dir, 'served.jsonl');
      // As the editor writes them: one record a minute, model and kind, with a count; nothing spent.
      const served = (date: number, servedFrom: 'cache' | 'typed-through' | 'inflight', count?: number) =>
        ledgerRecord(day(date), {
          task: 'completion',
          provider: 'openai',
          model: 'gpt-5.4-nano',
          requestedModel: 'openai:gpt-5.4-nano',
          usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
          costUsd: 0,
          latencyMs: 0,
          firstTokenMs: null,
          source: 'vscode',
          servedFrom,
          ...(count === undefined ? {} : { count }),
        });
      await writeFile(servedLedger, [records[2]!, served(21, 'cache', 40), served(23, 'typed-through', 25), served(23, 'inflight')].map((r) => JSON.stringify(r) + '\n').join(''));

      const text = await runCli(cli, ['costs', '--since', '2026-07-22', '--ledger', servedLedger], { env: baseEnv });
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /Total: \$0\.0001 over 1 request\n/, 'served completions are not requests and cost nothing');
      assert.match(text.stdout, /^Ghost text served without a request: 26 suggestions \(from the cache, typed through, or from a request already under way\), counted, not priced$/m);

      const json = await runCli(cli, ['costs', '--json', '--by', 'day', '--ledger', servedLedger], { env: baseEnv });
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout) as { requests: number; servedWithoutRequest: number; groups: Record<string, { requests: number; served: number; costUsd: number }> };
      assert.deepEqual([report.requests, report.servedWithoutRequest], [1, 66]);
      // A day with only served completions is a group too: its count, no requests, nothing spent.
      assert.deepEqual(
        Object.entries(report.groups).map(([key, line]) => [key, line.requests, line.served, line.costUsd]),
        [['2026-07-21', 0, 40, 0], ['2026-07-23', 1, 26, 0.0001]],
      );

      // --by task: a served column, on the completion line; the same counts in --json.
      const byTask = await runCli(cli, ['costs', '--by', 'task', '--ledger', servedLedger], { env: baseEnv });
      assert.equal(byTask.code, 0, byTask.stderr);
      const rows = byTask.stdout.split('\n').filter((line) => /^(task|completion|chat|plan)\b/.test(line)).map((line) => line.trim().split(/\s+/));
      assert.deepEqual(rows[0], ['task', 'requests', 'served', 'input', 'output', 'cost']);
      assert.deepEqual(rows.slice(1), [['completion', '1', '66', '300', '20', '$0.0001']]);
      const byTaskJson = JSON.parse((await runCli(cli, ['costs', '--by', 'task', '--json', '--ledger', servedLedger], { env: baseEnv })).stdout) as typeof report;
      assert.deepEqual(byTaskJson.groups, { completion: { requests: 1, served: 66, inputTokens: 300, outputTokens: 20, costUsd: 0.0001, unpriced: 0 } });
      // Without any served in the range, no served column.
      const plain = await runCli(cli, ['costs', '--by', 'task', '--ledger', ledger], { env: baseEnv });
      assert.match(plain.stdout, /^task +requests +input +output +cost$/m);

      const one = await runCli(cli, ['costs', '--since', '2026-07-21', '--until', '2026-07-22', '--ledger', servedLedger], { env: baseEnv });
      assert.match(one.stdout, /Total: \$0\.00 over 0 requests\n/);
      assert.match(one.stdout, /^Ghost text served without a request: 40 suggestions /m);
      const oneServed = path.join(dir, 'served-one.jsonl');
      await writeFile(oneServed, JSON.stringify(served(23, 'cache')) + '\n');
      const single = await runCli(cli, ['costs', '--ledger', oneServed], { env: baseEnv });
      assert.match(single.stdout, /^Ghost text served without a request: 1 suggestion \(/m);
    });

    it('counts up to --until, totals --by day, and says what routing saved as the dashboard does', async () => {
      const result = await runCli(cli, ['costs', '--since', '2026-07-20', '--until', '2026-07-22', '--by', 'day', '--ledger', ledger], { env: baseEnv });

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /since 2026-07-20 until 2026-07-22/);
      assert.match(result.stdout, /^2026-07-20\s+1\s+\d+\s+\d+\s+\$0\.01$/m);
      assert.match(result.stdout, /^2026-07-22\s+1\s+\d+\s+\d+\s+\$0\.25$/m);
      assert.doesNotMatch(result.stdout, /2026-07-23/, 'the requests of 2026-07-23 are after --until');
      assert.match(result.stdout, /Total: \$0\.26 over 2 requests\n/);
      // No Auto here: each request went to the model it was sent to, so routing chose nothing cheaper (before, these
      // were priced at the strong tier and read "Routing cost an extra $0.246", a fallback's price counted as routing's).
      assert.match(result.stdout, /^Routing saved \$0\.00: it chose no cheaper model than each route's strong tier \(completion: [^;]*; chat: [^;]*; plan: [^)]*\) for these requests\. Only Auto's choices of the cheap tier are compared /m);
    });

    it('prints --by provider and --json with the groups and the savings', async () => {
      const result = await runCli(cli, ['costs', '--by', 'provider', '--json', '--ledger', ledger], { env: baseEnv });

      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { by: string; groups: Record<string, { requests: number; inputTokens: number; outputTokens: number; costUsd: number; unpriced: number }>; savings: { actualUsd: number; strongUsd: number; savedUsd: number } };
      assert.equal(report.by, 'provider');
      assert.deepEqual(Object.keys(report.groups), ['anthropic', 'local', 'openai']);
      assert.deepEqual(report.groups['anthropic'], { requests: 2, served: 0, inputTokens: 2000, outputTokens: 400, costUsd: 0.26, unpriced: 0 });
      assert.equal(report.groups['local']?.unpriced, 1);
      assert.equal(report.savings.actualUsd, 0.2601);
      assert.equal(report.savings.savedUsd, Math.round((report.savings.strongUsd - report.savings.actualUsd) * 1e12) / 1e12);
    });

    it('writes --csv: one row per request of the range, with the ledger\'s fields', async () => {
      const result = await runCli(cli, ['costs', '--csv', '--since', '2026-07-22', '--ledger', ledger], { env: baseEnv });

      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trimEnd().split('\r\n');
      assert.equal(lines[0], CSV_COLUMNS.join(','));
      assert.equal(lines.length, 1 + 3);
      const cost = CSV_COLUMNS.indexOf('costUsd');
      assert.deepEqual(lines.slice(1).map((line) => line.split(',')[cost]), ['0.25', '0.0001', '']);
    });

    it('says plainly when nothing is recorded, in the ledger or in the range, rather than print empty tables', async () => {
      const missing = await runCli(cli, ['costs', '--ledger', path.join(dir, 'never-written.jsonl')], { env: baseEnv });
      assert.equal(missing.code, 0, missing.stderr);
      // A path with no file (mistyped, or never written) is said to be one, not read as an empty ledger.
      assert.equal(
        missing.stdout,
        `Ledger: ${path.join(dir, 'never-written.jsonl')}\n\nNo requests recorded: there is no ledger file at this path yet (the first request writes it; check the path if you meant an existing one).\n`,
      );
      const empty = path.join(dir, 'empty.jsonl');
      await writeFile(empty, '');
      assert.equal((await runCli(cli, ['costs', '--ledger', empty], { env: baseEnv })).stdout, `Ledger: ${empty}\n\nNo requests recorded in this ledger yet.\n`);
      const outside = await runCli(cli, ['costs', '--since', '2026-07-01', '--until', '2026-07-10', '--ledger', ledger], { env: baseEnv });
      assert.equal(outside.code, 0, outside.stderr);
      assert.equal(outside.stdout, `Ledger: ${ledger} since 2026-07-01 until 2026-07-10\n\nNo requests recorded in this range.\n`);
      // One request is one request.
      const single = path.join(dir, 'single.jsonl');
      await writeFile(single, JSON.stringify(records[0]) + '\n');
      assert.match((await runCli(cli, ['costs', '--ledger', single], { env: baseEnv })).stdout, /^Total: \$0\.01 over 1 request$/m);
    });

    it('names a wrong --by, an --until before --since and --csv with --json', async () => {
      const wrongBy = await runCli(cli, ['costs', '--by', 'week', '--ledger', ledger], { env: baseEnv });
      assert.equal(wrongBy.code, 2);
      assert.equal(oneErrorLine(wrongBy), 'switchboard: --by "week" is not one of day, model, task, provider');
      const backwards = await runCli(cli, ['costs', '--since', '2026-07-22', '--until', '2026-07-20', '--ledger', ledger], { env: baseEnv });
      assert.equal(oneErrorLine(backwards), 'switchboard: --until 2026-07-20 is before --since 2026-07-22');
      const both = await runCli(cli, ['costs', '--csv', '--json', '--ledger', ledger], { env: baseEnv });
      assert.equal(oneErrorLine(both), 'switchboard: --csv writes one row per request: it takes no --json or --by');
      const badUntil = await runCli(cli, ['costs', '--until', '2026-13-01', '--ledger', ledger], { env: baseEnv });
      assert.equal(oneErrorLine(badUntil), 'switchboard: --until "2026-13-01" is not a date (expected YYYY-MM-DD)');
    });

    it('rejects a --since that is not a date', async () => {
      const result = await runCli(cli, ['costs', '--since', '2026-02-30', '--ledger', ledger], { env: baseEnv });
      assert.equal(result.code, 2);
      assert.equal(oneErrorLine(result), 'switchboard: --since "2026-02-30" is not a date (expected YYYY-MM-DD)');
    });

    it('warns about a corrupt line and still totals the rest', async () => {
      const damaged = path.join(dir, 'damaged.jsonl');
      const [first, second] = [records[0]!, records[1]!];
      await writeFile(damaged, `${JSON.stringify(first)}\n{"v":1,"time":\n${JSON.stringify(second)}\n`);

      const result = await runCli(cli, ['costs', '--json', '--ledger', damaged], { env: baseEnv });

      assert.equal(result.code, 0);
      assert.equal(oneErrorLine(result), `switchboard: warning: ${damaged}:2: skipped a line that is not JSON`);
      const summary = JSON.parse(result.stdout) as { requests: number; totalUsd: number };
      assert.deepEqual([summary.requests, summary.totalUsd], [2, 0.26]);
    });

    it('warns about a line that is JSON but not a record, naming file and line', async () => {
      const odd = path.join(dir, 'odd.jsonl');
      await writeFile(odd, `${JSON.stringify(records[0])}\n{"v":1,"task":"chat","costUsd":"lots"}\n`);
      const result = await runCli(cli, ['costs', '--json', '--ledger', odd], { env: baseEnv });
      assert.equal(result.code, 0);
      assert.equal(oneErrorLine(result), `switchboard: warning: ${odd}:2: skipped a line that is not a ledger record: "time" must be an ISO date`);
      assert.equal((JSON.parse(result.stdout) as { requests: number }).requests, 1);
    });
  });

  describe('ledger location', () => {
    it('writes to and totals SWITCHBOARD_LEDGER when no --ledger is given', async () => {
      const fromEnv = path.join(dir, 'env-ledger', 'ledger.jsonl');
      const env = { ...keyedEnv, SWITCHBOARD_LEDGER: fromEnv };

      const asked = await runCli(cli, ['ask', '--config', configFile, 'Hello'], { env });
      assert.equal(asked.code, 0, asked.stderr);
      const costs = await runCli(cli, ['costs', '--json'], { env });

      assert.equal((await readLedger(fromEnv)).length, 1);
      assert.equal((JSON.parse(costs.stdout) as { requests: number }).requests, 1);
    });

    it('prefers --ledger to SWITCHBOARD_LEDGER', async () => {
      const fromEnv = path.join(dir, 'ignored', 'ledger.jsonl');
      const chosen = newLedger();

      const asked = await runCli(cli, ['ask', '--config', configFile, '--ledger', chosen, 'Hello'], {
        env: { ...keyedEnv, SWITCHBOARD_LEDGER: fromEnv },
      });

      assert.equal(asked.code, 0, asked.stderr);
      assert.equal((await readLedger(chosen)).length, 1);
      await assert.rejects(readFile(fromEnv), { code: 'ENOENT' });
    });
  });
});
