import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { bareEnvIn } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * `switchboard init` done, `ask` run without --config, as a new user does: the file init wrote is not read, and the
 * error must say so rather than send them to init again (which refuses: the file already exists).
 */
describe('switchboard ask with no provider, after init', () => {
  const dir = tempDir('after-init');

  const bareEnv = (): NodeJS.ProcessEnv => bareEnvIn(dir.path);

  it('names each missing key, then --config switchboard.jsonc and doctor with it, not init', async () => {
    const init = await runInProcess(['init'], { env: bareEnv(), cwd: dir.path });
    assert.equal(init.code, 0, init.stderr);
    const ask = await runInProcess(['ask', '--ledger', path.join(dir.path, 'ledger.jsonl'), 'Hello'], { env: bareEnv(), cwd: dir.path });
    assert.equal(ask.code, 1);
    const lines = ask.stderr.trimEnd().split('\n');
    assert.deepEqual(lines, [
      'switchboard: note: switchboard.jsonc here is not read unless named (using the defaults): add --config switchboard.jsonc if you wrote it; one that came with a repository would choose your models and servers',
      'switchboard: no provider can answer the chat route: anthropic needs ANTHROPIC_API_KEY; openai needs OPENAI_API_KEY; ' +
        'bedrock needs AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). ' +
        'Set one, or add --config switchboard.jsonc if you wrote the file here with "switchboard init" (not read unless named: one that came with a repository would choose your models and servers; a local server that needs no key goes in its providers.openai.baseUrl); ' +
        '"switchboard doctor --config switchboard.jsonc" checks the setup',
    ]);
  });

  it('with --config switchboard.jsonc, names the keys and the file\'s baseUrl, never init', async () => {
    await runInProcess(['init'], { env: bareEnv(), cwd: dir.path });
    const ask = await runInProcess(['ask', '--config', 'switchboard.jsonc', '--ledger', path.join(dir.path, 'ledger.jsonl'), 'Hello'], { env: bareEnv(), cwd: dir.path });
    assert.equal(ask.code, 1);
    assert.match(ask.stderr, /openai needs OPENAI_API_KEY;/);
    assert.match(ask.stderr, /set providers\.openai\.baseUrl in switchboard\.jsonc/);
    assert.doesNotMatch(ask.stderr, /switchboard init/);
  });
});
