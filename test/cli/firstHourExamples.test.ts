import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { COMMAND_FLAGS } from '../../src/cli/cliOptions';
import { cli, dir, useBuiltCli, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

const COMMANDS = ['ask', 'complete', 'costs', 'doctor', 'init', 'models', 'route'];

/** The example lines of `switchboard COMMAND --help`, as a user would copy them. */
async function examplesOf(command: string): Promise<string[]> {
  const help = (await runInProcess([command, '--help'])).stdout;
  const start = help.indexOf('\nExamples:\n');
  assert.ok(start !== -1, `${command} --help has examples`);
  const block = help.slice(start + '\nExamples:\n'.length, help.indexOf('\n\n', start + 1));
  // A long example goes on over lines ending in a backslash, which the shell joins.
  return block.replaceAll('\\\n', ' ').split('\n').map((line) => line.trim().replace(/ +/g, ' '));
}

/** Runs `line` in bash, as pasted, with `switchboard` the built CLI; resolves with its exit code and output. */
function paste(line: string, cli: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `switchboard() { "${process.execPath}" "${cli}" "$@"; }\n${line}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * Every `COMMAND --help` ends its usage with examples: each, pasted into a shell after `switchboard init` (a local
 * server standing in for Ollama at the address the examples name), must run and exit 0, so no example drifts
 * from the flags its command takes.
 */
describe('switchboard: the examples in each --help work when pasted', function () {
  this.timeout(120_000);
  let ollama: FakeServer;
  let env: NodeJS.ProcessEnv;

  useBuiltCli();
  useTempFolder('examples');
  before(async () => {
    ollama = await startFakeOpenAI({ models: ['llama3.1:8b', 'qwen2.5-coder:1.5b'] });
    await mkdir(path.join(dir, 'home'));
    // A new user's shell: no key, no ledger variable, its own HOME (the ledger's default folder).
    env = { PATH: process.env.PATH, HOME: path.join(dir, 'home') };
  });
  after(async () => {
    await ollama.close();
  });

  for (const command of COMMANDS) {
    it(`${command} --help`, async () => {
      const cwd = path.join(dir, command);
      await mkdir(cwd);
      const local = (line: string) => line.replaceAll('http://localhost:11434/v1', `${ollama.url}/v1`);
      if (command !== 'init') {
        // What `switchboard init --base-url` writes, as the examples after it expect; and a file of the user's own.
        const init = await paste(local('switchboard init --base-url http://localhost:11434/v1'), cli, cwd, env);
        assert.equal(init.code, 0, init.out);
        await writeFile(path.join(cwd, 'app.py'), 'def area(r):\n    """The area of a circle of radius r."""\n    ret\n');
      }
      const examples = await examplesOf(command);
      assert.ok(examples.length > 0);
      for (const example of examples) {
        assert.match(example, new RegExp(`switchboard ${command}\\b`), 'each example runs its own command');
        const run = await paste(local(example), cli, cwd, env);
        assert.equal(run.code, 0, `${example}\n${run.out}`);
      }
    });
  }
});

describe('switchboard: each --help names every flag its command reads', () => {
  for (const command of COMMANDS) {
    it(`${command} --help`, async () => {
      const help = (await runInProcess([command, '--help'])).stdout;
      const usage = help.slice(help.indexOf('Usage:\n'), help.indexOf('\nExamples:\n'));
      const missing = COMMAND_FLAGS[command]!.filter((flag) => !new RegExp(`--${flag}\\b`).test(usage));
      assert.deepEqual(missing, [], `${command} reads flags its usage does not show`);
    });
  }
});
