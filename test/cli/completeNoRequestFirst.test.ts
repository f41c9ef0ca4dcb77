import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { bareEnvIn } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard complete` with no provider set up, at a place where the editor asks for no ghost text anyway (code
 * after the cursor, a finished statement): the user hears first why nothing would have been sent there, then what
 * the setup lacks. It said only "no provider", as if a key would have brought a completion there.
 */
describe('switchboard complete with no provider, where no request would be made', () => {
  const dir = tempDir('complete-no-request');

  const bareEnv = (): NodeJS.ProcessEnv => bareEnvIn(dir.path);

  async function complete(text: string, line: number, column: number, ...extra: string[]) {
    await writeFile(path.join(dir.path, 'app.ts'), text);
    const ledger = path.join(dir.path, 'ledger.jsonl');
    const run = await runInProcess(['complete', '--file', 'app.ts', '--line', String(line), '--column', String(column), '--ledger', ledger, ...extra], { env: bareEnv(), cwd: dir.path });
    const recorded = await readFile(ledger, 'utf8').catch(() => '');
    return { ...run, lines: run.stderr.split('\n').filter((l) => l), recorded };
  }

  const noProvider = /^switchboard: no provider can answer the completion route: openai needs OPENAI_API_KEY; .*"switchboard doctor" checks the setup$/;

  it('says first that code after the cursor is why nothing is sent, then what the setup lacks (exit 1)', async () => {
    const run = await complete('foo(bar)\n', 1, 4);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.lines.length, 2, run.stderr);
    assert.match(run.lines[0]!, /^switchboard: no completion: code follows the cursor on its line, where the editor asks for no ghost text .*; nothing was sent$/);
    assert.match(run.lines[1]!, noProvider);
    assert.equal(run.recorded, '', 'nothing recorded: no request was refused');
  });

  it('says first that a finished statement is why nothing is sent, with --json too', async () => {
    const run = await complete('const x = 1;\n', 1, 13);
    assert.equal(run.code, 1);
    assert.match(run.lines[0]!, /^switchboard: no completion: the line ends a finished statement, .*\(put --line on the line below\)$/);
    assert.match(run.lines[1]!, noProvider);
    const json = await complete('const x = 1;\n', 1, 13, '--json');
    assert.match(json.lines[0]!, /finished statement/);
    const printed = JSON.parse(json.stdout) as { text: string; notSent: string | null };
    assert.deepEqual([printed.text, printed.notSent], ['', 'setup']);
  });

  it('where a request would be made, says only what the setup lacks', async () => {
    const run = await complete('const total = \n', 1, 15);
    assert.equal(run.code, 1);
    assert.deepEqual(run.lines.length, 1, run.stderr);
    assert.match(run.lines[0]!, noProvider);
  });
});
