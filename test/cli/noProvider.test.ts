import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { bareEnvIn } from './cliFixture';
import { runInProcess, type Run } from './inProcess';

/**
 * A new user's first `ask` with nothing set up: one short line saying what each provider lacks, by the variable to
 * set, and where to go next (`init`, `doctor`), instead of every model's reason and a JSON example.
 */
describe('switchboard ask and complete with no provider set up', () => {
  const dir = tempDir('no-provider');

  const bareEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => bareEnvIn(dir.path, extra);
  const ledger = () => path.join(dir.path, 'ledger.jsonl');

  /** The one line of a run that failed for want of a provider. */
  function oneLine(run: Run): string {
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    const lines = run.stderr.split('\n').filter((line) => line);
    assert.equal(lines.length, 1, run.stderr);
    return lines[0]!;
  }

  it('names each provider of the route once, with its variable, then init and doctor', async () => {
    const run = await runInProcess(['ask', '--ledger', ledger(), 'Hello'], { env: bareEnv(), cwd: dir.path });
    assert.equal(
      oneLine(run),
      'switchboard: no provider can answer the chat route: anthropic needs ANTHROPIC_API_KEY; openai needs OPENAI_API_KEY; ' +
        'bedrock needs AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). ' +
        'Set one, or for a local server that needs no key run "switchboard init --base-url http://localhost:11434/v1"; "switchboard doctor" checks the setup',
    );
    // The refused request is still recorded, as every request is.
    const [record] = (await readFile(ledger(), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { outcome: string });
    assert.equal(record!.outcome, 'error');
  });

  it('names the model asked with --model, and only its provider', async () => {
    const run = await runInProcess(['ask', '--ledger', ledger(), '--model', 'openai:llama3.1', 'Hello'], { env: bareEnv({ ANTHROPIC_API_KEY: 'test' }), cwd: dir.path });
    assert.match(oneLine(run), /^switchboard: no provider can answer openai:llama3\.1: openai needs OPENAI_API_KEY\. Set one, /);
  });

  it('with a --config file, points at its providers.openai.baseUrl and doctor --config for it', async () => {
    await writeFile(path.join(dir.path, 'my team.jsonc'), JSON.stringify({ routes: { chat: ['openai:gpt-5.4-nano', 'bedrock:us.amazon.nova-micro-v1:0'] } }));
    const run = await runInProcess(['ask', '--config', 'my team.jsonc', '--ledger', ledger(), 'Hello'], { env: bareEnv(), cwd: dir.path });
    assert.equal(
      oneLine(run),
      'switchboard: no provider can answer the chat route: openai needs OPENAI_API_KEY; bedrock needs AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). ' +
        'Set one, or for a local server that needs no key set providers.openai.baseUrl in my team.jsonc ("switchboard models --base-url URL" lists its models and the routes to them); ' +
        `"switchboard doctor --config 'my team.jsonc'" checks the setup`,
    );
  });

  it('keeps the words of a provider out for another reason, with no key to set', async () => {
    const run = await runInProcess(['ask', '--ledger', ledger(), '--model', 'openai:llama3.1', 'Hello'], { env: bareEnv({ OPENAI_BASE_URL: 'localhost:11434/v1' }), cwd: dir.path });
    assert.match(oneLine(run), /^switchboard: no provider can answer openai:llama3\.1: openai: OPENAI_BASE_URL is not an http\(s\) URL: nothing goes to openai until it is fixed \(.*\); "switchboard doctor" checks the setup$/);
  });

  it('says the same for complete, before any request', async () => {
    const file = path.join(dir.path, 'complete-me.ts');
    await writeFile(file, 'const total = ');
    const run = await runInProcess(['complete', '--file', file, '--line', '1', '--column', '15', '--ledger', ledger()], { env: bareEnv(), cwd: dir.path });
    assert.match(oneLine(run), /^switchboard: no provider can answer the completion route: openai needs OPENAI_API_KEY; .*"switchboard doctor" checks the setup$/);
  });
});
