import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { closedPort } from '../fakes/closedPort';
import { tempDir } from '../core/ledger/fixtures';
import { bareEnvIn } from './cliFixture';
import { runInProcess, type Run } from './inProcess';

/**
 * What a new user trips over in the first hour with the CLI, found by trying it from an empty HOME: advice that
 * would be refused when followed, a wait before a refusal known at once, a refusal with no way out, and flags a
 * word or a letter away from a value they take.
 */
describe('switchboard: first-hour slips', () => {
  const dir = tempDir('first-hour-slips');

  const bareEnv = (): NodeJS.ProcessEnv => bareEnvIn(dir.path);
  const run = (...argv: string[]): Promise<Run> => runInProcess(argv, { env: bareEnv(), cwd: dir.path });

  it('doctor beside init\'s unnamed file points at --config and its baseUrl, not at an init that would be refused', async () => {
    assert.equal((await run('init')).code, 0);
    const doctor = await run('doctor', '--ledger', path.join(dir.path, 'ledger.jsonl'));
    assert.equal(doctor.code, 1);
    const last = doctor.stdout.trimEnd().split('\n').at(-1)!;
    assert.equal(
      last,
      'Nothing can answer: set OPENAI_API_KEY or ANTHROPIC_API_KEY, AWS credentials for Bedrock, or use a local server: set providers.openai.baseUrl in ' +
        'switchboard.jsonc here if you wrote it with "switchboard init", and run this with --config switchboard.jsonc (Ollama\'s is http://localhost:11434/v1, LM Studio\'s http://localhost:1234/v1)',
    );
    // What it used to advise is refused, as the line no longer says to run it.
    const init = await run('init', '--base-url', 'http://localhost:11434/v1');
    assert.equal(init.code, 2);
  });

  it('init --base-url refuses an existing file before asking the server, and names the way to another file with the server kept', async () => {
    await writeFile(path.join(dir.path, 'switchboard.jsonc'), '{}\n');
    // A server that is not there: asked first, the answer was "could not read the models" (exit 1), and the file's
    // refusal came only once the server was up.
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const init = await run('init', '--base-url', url);
    assert.equal(init.code, 2, init.stderr);
    assert.equal(init.stderr, `switchboard: switchboard.jsonc already exists; not overwritten (edit it, remove it first, or name another file: switchboard init --base-url ${url} FILE)\n`);
  });

  it('ask refused for a ledger in a place it cannot write names where else to keep it', async () => {
    // A place no one may create a folder in, root included: /sys is the kernel's (EPERM, or EROFS where mounted read-only).
    const ledger = '/sys/switchboard-ledger-test/ledger.jsonl';
    const asked = await runInProcess(['ask', '--ledger', ledger, 'Hello'], { env: { ...bareEnv(), OPENAI_API_KEY: 'test' }, cwd: dir.path });
    assert.equal(asked.code, 2);
    assert.match(
      asked.stderr,
      /^switchboard: cannot write the ledger \/sys\/switchboard-ledger-test\/ledger\.jsonl: .*; nothing was sent, since its record could not be kept \(keep it in a writable place: --ledger, SWITCHBOARD_LEDGER or ledger\.path in a --config file\)\n$/,
    );
  });

  it('complete --file - says it reads a file (its language is its extension\'s), not "no such file"', async () => {
    const complete = await runInProcess(['complete', '--file', '-', '--line', '1', '--column', '1'], { env: bareEnv(), cwd: dir.path, stdin: 'x = ' });
    assert.equal(complete.code, 2);
    assert.equal(
      complete.stderr,
      "switchboard: complete reads a file, not standard input (--file -): its language is read from the file's extension; save the text to a file (e.g. app.py) and give --file that path\n",
    );
  });

  it('costs names the --by and --range values meant: a typo, a plural, "week"', async () => {
    const ledger = path.join(dir.path, 'ledger.jsonl');
    assert.equal((await run('costs', '--ledger', ledger, '--by', 'models')).stderr, 'switchboard: --by "models" is not one of day, model, task, provider (did you mean model?)\n');
    assert.equal((await run('costs', '--ledger', ledger, '--range', '7D')).stderr, 'switchboard: --range "7D" is not one of today, 7d, 30d, month, all (did you mean 7d?)\n');
    assert.equal((await run('costs', '--ledger', ledger, '--range', 'mnth')).stderr, 'switchboard: --range "mnth" is not one of today, 7d, 30d, month, all (did you mean month?)\n');
    // Nothing close: no guess.
    assert.equal((await run('costs', '--ledger', ledger, '--by', 'cost')).stderr, 'switchboard: --by "cost" is not one of day, model, task, provider\n');
  });
});
