import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { runInProcess as run } from './inProcess';

/** Help text with its wrapping undone: each paragraph on one line, so a phrase is matched wherever the lines break. */
function unwrapped(help: string): string {
  return help
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim().replace(/\s*\n\s*/g, ' '))
    .join('\n');
}

/** ask's way to a local server: a --model flag the other commands do not take, and a pointer at models and init. */
const ASK_NOTE = /needs no key, only OPENAI_BASE_URL=http:\/\/localhost:11434\/v1 and its model \(--model openai:llama3\.1\)/;

/**
 * Each command's help says the way to a local server that fits that command. `models --help` and `doctor --help`
 * carried ask's note: its model given with --model (which neither takes), and, in models' own help, "switchboard
 * models --base-url URL lists its models".
 */
describe('switchboard COMMAND --help: the local-server note that fits the command', () => {
  const dir = tempDir('help-local-server');

  it('models says which server it asks and where a key goes, and that init writes what it suggests', async () => {
    const help = unwrapped((await run(['models', '--help'])).stdout);
    assert.doesNotMatch(help, ASK_NOTE);
    assert.doesNotMatch(help, /--model|"switchboard models --base-url URL" lists/);
    assert.match(help, /^The server is --base-url, else the --config file's providers\.openai\.baseUrl, else OPENAI_BASE_URL\. OPENAI_API_KEY goes to it only on this machine/m);
    assert.match(help, /models writes nothing: "switchboard init --base-url URL FILE" writes the routes it suggests to a --config file\.$/m);
  });

  it('doctor says where it reads keys and the server from, and what it says of a local server', async () => {
    const help = unwrapped((await run(['doctor', '--help'])).stdout);
    assert.doesNotMatch(help, ASK_NOTE);
    assert.doesNotMatch(help, /--model/);
    assert.match(help, /doctor says where each provider's came from, never a character of it\. The openai provider's server is a --config file's providers\.openai\.baseUrl, else OPENAI_BASE_URL, else OpenAI's\./);
    assert.match(help, /doctor names each model of a route it does not serve, and "switchboard init --base-url URL" writes a --config file/);
  });

  it('complete and route name no --model, which they do not take; complete\'s example is a config that loads', async () => {
    const complete = (await run(['complete', '--help'])).stdout;
    const route = unwrapped((await run(['route', '--help'])).stdout);
    for (const help of [unwrapped(complete), route]) {
      assert.doesNotMatch(help, ASK_NOTE);
      assert.doesNotMatch(help, /--model openai/);
    }
    assert.match(route, /route sends nothing, but passes over a model without them as ask would\./);
    const example = /^ {2}(\{"providers".*\n.*\})$/m.exec(complete)?.[1];
    assert.deepEqual(JSON.parse(example ?? 'null'), { providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, routes: { completion: ['openai:qwen2.5-coder'] } });
    // Pasted into a file, it is a config the CLI reads without a word.
    const file = path.join(dir.path, 'local.jsonc');
    await writeFile(file, example!);
    const costs = await run(['costs', '--config', file, '--ledger', path.join(dir.path, 'ledger.jsonl')], { env: { HOME: dir.path }, cwd: dir.path });
    assert.equal(costs.code, 0, costs.stderr);
    assert.equal(costs.stderr, '');
  });

  it('ask, and the whole help, keep ask\'s way (--model), said once', async () => {
    for (const argv of [['ask', '--help'], ['--help']]) {
      const help = unwrapped((await run(argv)).stdout);
      assert.equal(help.match(new RegExp(ASK_NOTE.source, 'g'))?.length, 1, argv.join(' '));
    }
  });
});
