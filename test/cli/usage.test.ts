import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../buildOnce';
import { runInProcess as run, type Run } from './inProcess';

/** Help text with its wrapping undone: each paragraph on one line, so a phrase is matched wherever the lines break. */
function unwrapped(help: string): string {
  return help
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim().replace(/\s*\n\s*/g, ' '))
    .join('\n');
}

/** A usage error: exit 2, nothing on stdout, one line on stderr; returns that line. */
function usageError(result: Run): string {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((line) => line);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  return lines[0]!;
}

describe('switchboard usage errors', () => {
  it('names an unknown option in its own words', async () => {
    assert.equal(usageError(await run(['costs', '--bogus'])), 'switchboard: unknown option --bogus (see "switchboard costs --help")');
    assert.equal(usageError(await run(['ask', '-x', 'hi'])), 'switchboard: unknown option -x (options are spelt --name) (see "switchboard ask --help")');
  });

  it('suggests the flag meant for a typo, among the flags of the command typed', async () => {
    assert.equal(usageError(await run(['ask', '--modle', 'openai:x', 'hi'])), 'switchboard: unknown option --modle (did you mean --model?) (see "switchboard ask --help")');
    assert.equal(usageError(await run(['costs', '--rnage', 'today'])), 'switchboard: unknown option --rnage (did you mean --range?) (see "switchboard costs --help")');
    assert.equal(usageError(await run(['ask', '--confg=a.json', 'hi'])), 'switchboard: unknown option --confg (did you mean --config?) (see "switchboard ask --help")');
    // --since is costs' flag, not ask's: ask's nearest is offered, or none.
    assert.equal(usageError(await run(['ask', '--sinc', 'hi'])), 'switchboard: unknown option --sinc (see "switchboard ask --help")');
    assert.equal(usageError(await run(['--verison'])), 'switchboard: unknown option --verison (did you mean --version?) (see "switchboard --help")');
  });

  it('says a flag needs a value, at the end or followed by another flag, rather than "ambiguous"', async () => {
    assert.equal(usageError(await run(['costs', '--since'])), 'switchboard: --since needs a value (see "switchboard costs --help")');
    assert.equal(
      usageError(await run(['costs', '--by', '--json'])),
      'switchboard: --by needs a value, got the option "--json" (write --by=--json if that is the value) (see "switchboard costs --help")',
    );
  });

  it('points to the general help when no known command was typed', async () => {
    assert.equal(usageError(await run(['--bogus'])), 'switchboard: unknown option --bogus (see "switchboard --help")');
    assert.equal(usageError(await run(['cost', '--json=1'])), 'switchboard: --json takes no value (got "1") (see "switchboard --help")');
  });

  it('says a switch takes no value, naming the value', async () => {
    assert.equal(usageError(await run(['costs', '--json=yes'])), 'switchboard: --json takes no value (got "yes") (see "switchboard costs --help")');
  });

  it('refuses a flag that takes one value given twice, naming both values, instead of taking the last', async () => {
    assert.equal(
      usageError(await run(['route', '--task', 'chat', '--task', 'plan', 'hello'])),
      'switchboard: --task given twice ("chat", then "plan"); give it once (see "switchboard route --help")',
    );
    assert.match(usageError(await run(['costs', '--since=2026-11-01', '--since', '2026-12-01'])), /--since given twice \("2026-11-01", then "2026-12-01"\)/);
  });

  it('still takes a switch given twice (--json --json)', async () => {
    const result = await run(['route', '--json', '--json', 'How do I reverse a list in Python?']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).tier, 'cheap');
  });

  it('takes what follows -- as the prompt, dashes and all', async () => {
    const result = await run(['route', '--json', '--', '--task', 'is', 'a', 'word', 'here']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(JSON.parse(result.stdout).reasons.join(' '), /short request \(5 words\)/);
  });
});

describe('switchboard --help and --version', () => {
  it('prints the version from package.json on stdout, for --version and -V, before anything else', async () => {
    const { version } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const argv of [['--version'], ['-V'], ['costs', '--version']]) {
      const result = await run(argv);
      assert.deepEqual(result, { code: 0, stdout: `switchboard ${version}\n`, stderr: '' }, argv.join(' '));
    }
  });

  it('keeps every line of every help within 80 columns, a terminal\'s width', async () => {
    for (const argv of [['--help'], ...['ask', 'complete', 'costs', 'doctor', 'init', 'models', 'route'].map((command) => [command, '--help'])]) {
      const help = await run(argv);
      assert.equal(help.code, 0, help.stderr);
      const long = help.stdout.split('\n').filter((line) => line.length > 80);
      assert.deepEqual(long, [], `${argv.join(' ')}: lines over 80 columns`);
    }
  });

  it('wraps a usage form between options, never inside one, its continuation lines indented', async () => {
    const costs = (await run(['costs', '--help'])).stdout;
    assert.match(costs, /^ {2}switchboard costs \[--since YYYY-MM-DD\] \[--until YYYY-MM-DD\]\n {6}\[--by day\|model\|task\|provider\] \[--csv \| --json\] \[--config FILE\]\n {6}\[--ledger FILE\]$/m);
  });

  it('prints only the command\'s own usage for COMMAND --help and help COMMAND', async () => {
    for (const argv of [['costs', '--help'], ['help', 'costs'], ['costs', '-h']]) {
      const result = await run(argv);
      assert.equal(result.code, 0, result.stderr);
      // The forms under Usage, not the examples after them.
      const usage = result.stdout.split('\nExamples:\n')[0]!.split('\n').filter((line) => line.startsWith('  switchboard '));
      // Its two forms: dates, or one of the dashboard's ranges.
      assert.deepEqual(usage.map((line) => line.split(' ').slice(2, 4).join(' ')), ['switchboard costs', 'switchboard costs'], argv.join(' '));
    }
    const all = await run(['--help']);
    assert.deepEqual(
      all.stdout.split('\n').filter((line) => line.startsWith('  switchboard ')).map((line) => line.trim().split(' ')[1]),
      ['ask', 'complete', 'costs', 'costs', 'doctor', 'init', 'models', 'route', 'route', 'COMMAND', '--version'],
    );
  });

  it('says what each exit status means, in every help', async () => {
    for (const argv of [['--help'], ['ask', '--help']]) {
      assert.match(unwrapped((await run(argv)).stdout), /^Exit status: 0 done, 1 the request failed or was refused \(budget, no key\), 2 a usage or config error, 130 Ctrl-C/m, argv.join(' '));
    }
  });

  it('names OPENAI_BASE_URL and the way to a local server, which needs no key, in every help; the route note only where route is', async () => {
    const ask = (await run(['ask', '--help'])).stdout;
    const all = (await run(['--help'])).stdout;
    for (const help of [ask, all]) {
      assert.match(unwrapped(help), /OPENAI_BASE_URL points the openai provider at another server \(a config file's providers\.openai\.baseUrl comes first\)\./);
      assert.match(unwrapped(help), /A local OpenAI-compatible server \(Ollama, LM Studio, vLLM\) needs no key, only OPENAI_BASE_URL=http:\/\/localhost:11434\/v1 and its model \(--model openai:llama3\.1\), or a --config file naming both, e\.g\./);
      // The example as JSON to copy, on lines of its own.
      const example = /^ {2}(\{"providers".*\n.*\})$/m.exec(help)?.[1];
      assert.deepEqual(JSON.parse(example ?? 'null'), { providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, routes: { chat: ['openai:llama3.1'] } });
      assert.match(help, /^"switchboard models --base-url URL" lists its models and prints routes to them\.$/m);
    }
    assert.doesNotMatch(ask, /route --attach/);
    assert.match(unwrapped(all), /^route --attach scores the prompt with its attachments, as ask would send it\.$/m);
    assert.match((await run(['route', '--help'])).stdout, /^route --attach scores/m);
  });

  it('says in each command\'s help only the notes about it, with its own exit status', async () => {
    const costs = (await run(['costs', '--help'])).stdout;
    // costs reads no prompt and no key, and makes no request that could fail or be cut off.
    assert.doesNotMatch(costs, /PROMPT|--attach|OPENAI_API_KEY|Ctrl-C/);
    assert.match(costs, /^The ledger is --ledger, else \$SWITCHBOARD_LEDGER/m);
    assert.match(costs, /^Exit status: 0 done, 2 a usage or config error\.$/m);
    const doctor = (await run(['doctor', '--help'])).stdout;
    assert.doesNotMatch(doctor, /PROMPT|--attach|request failed/);
    assert.match(doctor, /^Exit status: 0 some provider answers, 1 none does, 2 a usage or config error\.$/m);
    assert.match(unwrapped((await run(['models', '--help'])).stdout), /^Exit status: 0 done, 1 the server cannot be read or lists no model that can chat, 2 no server given, or a usage or config error\.$/m);
    const init = (await run(['init', '--help'])).stdout;
    assert.doesNotMatch(init, /PROMPT|The ledger is/);
    assert.match(init, /^ {2}switchboard init \[--base-url URL\] \[FILE \| --config FILE\]$/m);
    assert.match(init, /^Exit status: 0 written, 1 the --base-url server cannot be read/m);
    // init's own way to a local server (its --base-url), not ask's (--model, a file to write by hand), nor a pointer back to init.
    assert.match(unwrapped(init), /^Keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY and the AWS credential chain; init writes none into the file\. A local OpenAI-compatible server \(Ollama, LM Studio, vLLM\) needs no key: --base-url URL asks it for its models/m);
    assert.doesNotMatch(init, /--model|"switchboard init" writes/);
    // The whole help keeps every note once, and the request's exit status, pointing at each command's.
    const all = (await run(['--help'])).stdout;
    assert.equal(all.match(/^Exit status:/gm)?.length, 1);
    assert.match(unwrapped(all), /"switchboard COMMAND --help" says what each command's status means\.$/m);
    assert.match(all, /^"switchboard init" writes a starter --config file/m);
    assert.doesNotMatch(all, /init writes none into the file/);
  });

  it('points a word from the editor (chat, plan, check) at the command that does it', async () => {
    assert.equal(usageError(await run(['chat', 'hi'])), 'switchboard: unknown command "chat" (did you mean "ask"? expected ask, complete, costs, doctor, init, models or route)');
    assert.equal(usageError(await run(['plan'])), 'switchboard: unknown command "plan" (did you mean "ask --task plan"? expected ask, complete, costs, doctor, init, models or route)');
    assert.equal(usageError(await run(['check'])), 'switchboard: unknown command "check" (did you mean "doctor"? expected ask, complete, costs, doctor, init, models or route)');
  });

  it('says where the sandbox is started to one who types it as a command, rather than "unknown" alone', async () => {
    const sandbox = 'the sandbox, VS Code with Switchboard in a browser, is "npm start" in Switchboard\'s repository';
    assert.equal(usageError(await run(['sandbox'])), `switchboard: unknown command "sandbox" (${sandbox}; expected ask, complete, costs, doctor, init, models or route)`);
    assert.equal(usageError(await run(['start'])), `switchboard: unknown command "start" (${sandbox}; expected ask, complete, costs, doctor, init, models or route)`);
  });

  it('suggests the command meant for a typo', async () => {
    assert.equal(usageError(await run(['cost'])), 'switchboard: unknown command "cost" (did you mean "costs"? expected ask, complete, costs, doctor, init, models or route)');
    assert.equal(usageError(await run(['rotue', 'hi'])), 'switchboard: unknown command "rotue" (did you mean "route"? expected ask, complete, costs, doctor, init, models or route)');
    assert.equal(usageError(await run(['deploy'])), 'switchboard: unknown command "deploy" (expected ask, complete, costs, doctor, init, models or route)');
  });

  it('refuses --help for an unknown command instead of printing the usage and exiting 0', async () => {
    assert.equal(usageError(await run(['cost', '--help'])), 'switchboard: unknown command "cost" (did you mean "costs"? expected ask, complete, costs, doctor, init, models or route)');
    assert.equal(usageError(await run(['help', 'cost'])), 'switchboard: unknown command "cost" (did you mean "costs"? expected ask, complete, costs, doctor, init, models or route)');
  });
});

describe('switchboard complete positions', () => {
  it('takes --line and --column as decimal digits only, naming the flag and the value', async () => {
    for (const [flag, value] of [['--line', '0x10'], ['--line', '1e3'], ['--column', ' 7'], ['--column', '+3'], ['--line', '0'], ['--column', '99999999999999999999']]) {
      const argv = ['complete', '--file', 'any.ts', '--line', '1', '--column', '1'];
      argv[argv.indexOf(flag!) + 1] = value!;
      assert.equal(usageError(await run(argv)), `switchboard: ${flag} "${value}" must be a whole number from 1`, `${flag} ${value}`);
    }
  });
});

describe('switchboard input that is not UTF-8', () => {
  it('says on stderr that standard input is not UTF-8, and still answers on stdout', async () => {
    const latin1 = Buffer.from('Wie schreibe ich eine Funktion für Größen?', 'latin1');
    const result = await run(['route', '--json', '-'], { stdin: latin1 });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).tier, 'cheap');
    assert.equal(
      result.stderr,
      'switchboard: warning: standard input is not UTF-8 text; each byte that is not was sent as U+FFFD (convert it first, e.g. iconv -f latin1 -t utf-8)\n',
    );
  });

  it('says nothing of UTF-8 input, CRLF line ends and a byte order mark included', async () => {
    const result = await run(['route', '--json', '-'], { stdin: Buffer.from('\uFEFFWie schreibe ich eine Funktion für Größen? 日本語\r\nDanke\r\n', 'utf8') });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
  });
});

describe('switchboard costs date ranges', () => {
  it('refuses a --since after today when no --until is given, rather than report an empty range as nothing spent', async () => {
    assert.match(usageError(await run(['costs', '--since', '2999-01-01'])), /^switchboard: --since 2999-01-01 is after today, \d{4}-\d\d-\d\d \(the range ends today unless --until says otherwise\)$/);
  });

  it('names the flag and the value of a date that is not one, and a range given backwards', async () => {
    for (const [flag, value] of [['--since', '2026-02-30'], ['--until', '2026-12-1'], ['--since', '2026-12-01T00:00Z'], ['--until', 'today']]) {
      assert.equal(usageError(await run(['costs', flag!, value!])), `switchboard: ${flag} "${value}" is not a date (expected YYYY-MM-DD)`);
    }
    assert.equal(usageError(await run(['costs', '--since', '2026-12-01', '--until', '2026-11-30'])), 'switchboard: --until 2026-11-30 is before --since 2026-12-01');
  });
});

describe('switchboard PROMPT "-" in a terminal', () => {
  it('says on stderr that it reads the prompt from the terminal and how to end it, instead of waiting without a word', async () => {
    // No stdin given: the in-process runner's is a terminal, which ends at once (as Ctrl-D would).
    const result = await run(['route', '-']);
    assert.equal(result.code, 2);
    assert.deepEqual(result.stderr.split('\n').filter((line) => line), [
      'switchboard: reading the prompt from the terminal; end it with Ctrl-D on a line of its own (Ctrl-Z, Enter on Windows)',
      'switchboard: no prompt given (pass it as an argument, "-" to read standard input, or --jsonl)',
    ]);
  });
});
