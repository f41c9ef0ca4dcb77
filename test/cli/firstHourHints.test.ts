import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { bareEnvIn } from './cliFixture';
import { runInProcess, type Run } from './inProcess';

/**
 * Hints a new user copies or acts on in the first hour: each must work as printed, on any shell, and name what to
 * change.
 */
describe('switchboard: first-hour hints', () => {
  const dir = tempDir('first-hour-hints');

  const bareEnv = (): NodeJS.ProcessEnv => bareEnvIn(dir.path);
  const run = (...argv: string[]): Promise<Run> => runInProcess(argv, { env: bareEnv(), cwd: dir.path });

  /** The command `init --base-url URL` names for writing another file, the file named being there already. */
  async function anotherFileHint(url: string): Promise<string> {
    await writeFile(path.join(dir.path, 'switchboard.jsonc'), '{}\n');
    const init = await run('init', '--base-url', url);
    assert.equal(init.code, 2, init.stderr);
    const hint = /name another file: (.*)\)\n$/.exec(init.stderr);
    assert.ok(hint, init.stderr);
    return hint[1]!;
  }

  it('init names the way to another file with a URL that pastes into sh, cmd and PowerShell alike', async () => {
    // A plain URL bare: single quotes around it were part of the URL to cmd, which takes them as text.
    assert.equal(await anotherFileHint('http://127.0.0.1:11434/v1'), 'switchboard init --base-url http://127.0.0.1:11434/v1 FILE');
    // A `'` in it ended sh's quotes (and cmd kept them); double quotes hold it in all three shells, as they do `&`.
    assert.equal(await anotherFileHint("http://127.0.0.1:8080/o'brien/v1"), `switchboard init --base-url "http://127.0.0.1:8080/o'brien/v1" FILE`);
    assert.equal(await anotherFileHint('http://127.0.0.1:8080/v1?a=1&b=2'), 'switchboard init --base-url "http://127.0.0.1:8080/v1?a=1&b=2" FILE');
  });

  it('doctor says how to move a ledger it cannot write: the flag, the environment variable and the --config setting', async () => {
    const blocker = path.join(dir.path, 'a-file');
    await writeFile(blocker, '');
    const config = path.join(dir.path, 'mine.jsonc');
    await writeFile(config, '{}\n');
    const doctor = await run('doctor', '--config', config, '--ledger', path.join(blocker, 'ledger.jsonl'));
    const line = doctor.stdout.split('\n').find((text) => text.startsWith('ledger: '));
    assert.equal(
      line,
      `ledger: ${path.join(blocker, 'ledger.jsonl')} (cannot be written: a part of the path is a file, not a folder; ` +
        `keep it in a writable place: --ledger, SWITCHBOARD_LEDGER or ledger.path in ${config})`,
    );
  });
});
