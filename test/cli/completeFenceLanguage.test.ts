import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard complete` in a Markdown code block whose language `completion.languages` turns off: nothing sent,
 * as the editor asks nothing there. The document's language (markdown) had been the only one read, so a ```python
 * block of a README was completed with Python turned off.
 */
describe('switchboard complete in a Markdown code block whose language is off', function () {
  this.timeout(20_000);
  let openai: FakeServer;

  useTempFolder('complete-fence');
  before(async () => {
    openai = await startFakeOpenAI();
  });
  after(async () => {
    await openai.close();
  });

  const readme = '# Use\n\n```python\ntotal = \n```\n\n```ts\nconst total = \n```\n';

  async function complete(languages: Record<string, boolean>, line: number, column: number) {
    const config = path.join(dir, 'languages.json');
    await writeFile(config, JSON.stringify({ providers: { openai: { baseUrl: `${openai.url}/v1` } }, routes: { completion: ['openai:gpt-4.1-mini'] }, completion: { languages } }));
    await writeFile(path.join(dir, 'README.md'), readme);
    openai.scriptModel('gpt-4.1-mini', { text: 'sum(prices)' });
    const before = openai.requests.length;
    const ledger = path.join(dir, 'ledger.jsonl');
    const run = await runInProcess(['complete', '--config', config, '--ledger', ledger, '--file', 'README.md', '--line', String(line), '--column', String(column)], { env: { HOME: dir }, cwd: dir });
    return { ...run, config, requests: openai.requests.length - before, recorded: await readFile(ledger, 'utf8').catch(() => '') };
  }

  it('refuses a python block with python off, naming the block\'s language and the entry that turns it on', async () => {
    const run = await complete({ markdown: true, python: false }, 4, 9);
    assert.deepEqual([run.code, run.stdout, run.requests, run.recorded], [1, '', 0, '']);
    assert.equal(
      run.stderr,
      `switchboard: --file README.md line 4 is in a python code block, where ghost text is off by completion.languages (in ${run.config} or its defaults); not completed. ` +
        '{"completion": {"languages": {"python": true}}} in a --config file turns it on\n',
    );
  });

  it('completes a block whose language is on, in the same file', async () => {
    const run = await complete({ markdown: true, python: false }, 8, 15);
    assert.deepEqual([run.code, run.requests], [0, 1], run.stderr);
    assert.equal(run.stdout, 'sum(prices)\n');
  });
});
