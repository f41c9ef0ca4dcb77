import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { bareEnvIn } from './cliFixture';
import { runInProcess, type Run } from './inProcess';

/**
 * A new user whose key is set but wrong (a typo, a revoked key): what they are told must point at the key they set,
 * not ask them to set one.
 */
describe('switchboard: a wrong key', () => {
  const dir = tempDir('wrong-key');
  let server: FakeServer;
  const rightKey = fakeKeys.openai('wk1');
  const wrongKey = fakeKeys.openai('wk2');

  before(async () => {
    server = await startFakeOpenAI({ apiKey: rightKey, models: ['gpt-5.4-nano'] });
  });
  after(() => server.close());

  /** OpenAI's key set, wrong, for the fake server on this machine; no other provider. */
  const run = (...argv: string[]): Promise<Run> =>
    runInProcess(argv, {
      env: bareEnvIn(dir.path, { OPENAI_API_KEY: wrongKey, OPENAI_BASE_URL: `${server.url}/v1` }),
      cwd: dir.path,
    });

  it('models says the server refused the key sent, and to check it, not to set one', async () => {
    const models = await run('models');
    assert.equal(models.code, 1);
    assert.equal(models.stderr, `switchboard: could not read the models of ${server.url}/v1: ${server.url}/v1/models answered HTTP 401 (it refused the API key sent: check the key (OPENAI_API_KEY))\n`);
    assert.ok(!models.stderr.includes(wrongKey.slice(-8)), 'no part of the key is printed');
  });

  it('doctor, when nothing answers, names the provider whose key was refused and where the key came from first', async () => {
    const doctor = await run('doctor', '--ledger', path.join(dir.path, 'ledger.jsonl'));
    assert.equal(doctor.code, 1);
    const last = doctor.stdout.trimEnd().split('\n').at(-1)!;
    assert.match(
      last,
      /^Nothing can answer: openai did not answer \(openai rejected its API key \(401\); API key from OPENAI_API_KEY\): mend that, or set another provider's key \(OPENAI_API_KEY, ANTHROPIC_API_KEY\), AWS credentials for Bedrock, or use a local server: /,
    );
    assert.ok(!doctor.stdout.includes(wrongKey.slice(-8)), 'no part of the key is printed');
  });
});
