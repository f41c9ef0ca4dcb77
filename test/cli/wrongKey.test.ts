import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeAnthropic, startFakeBedrock, startFakeOpenAI, type FakeBedrock, type FakeServer } from '../fakes/index';
import { buildCli, runCli } from './cliHarness';
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

  it('ask says the key from OPENAI_API_KEY was refused by openai at its host, and how to mend it, not to try a server with no key', async () => {
    const ledger = path.join(dir.path, 'ask-ledger.jsonl');
    const asked = await run('ask', '--ledger', ledger, '--model', 'openai:gpt-5.4-nano', 'hello');
    assert.equal(asked.code, 1);
    const last = asked.stderr.trimEnd().split('\n').at(-1)!;
    const host = new URL(server.url).host;
    assert.equal(
      last,
      `switchboard: openai:gpt-5.4-nano failed: openai rejected its API key (401); the API key from OPENAI_API_KEY was refused by openai at ${host}: check that OPENAI_API_KEY holds a current key for that server (not mistyped, revoked or expired) and set it again, or unset it to use another provider; "switchboard doctor" checks a key without sending a prompt`,
    );
    assert.ok(!asked.stderr.includes('with no key'), 'no "with no key, a local server" hint to a user whose key was refused');
    assert.ok(!asked.stderr.includes(wrongKey.slice(-8)), 'no part of the key is printed');
  });

  it('complete with a --config file names the refused key and doctor with that file', async () => {
    const config = path.join(dir.path, 'wrong key.jsonc');
    await writeFile(config, JSON.stringify({ routes: { completion: ['openai:gpt-5.4-nano'] } }));
    const source = path.join(dir.path, 'sum.ts');
    await writeFile(source, 'export function sum(a: number, b: number) {\n  return \n}\n');
    const completed = await run('complete', '--config', config, '--ledger', path.join(dir.path, 'complete-ledger.jsonl'), '--file', source, '--line', '2', '--column', '10');
    assert.equal(completed.code, 1);
    const last = completed.stderr.trimEnd().split('\n').at(-1)!;
    assert.match(last, new RegExp(`the API key from OPENAI_API_KEY was refused by openai at ${new URL(server.url).host.replaceAll('.', '\\.')}: check that OPENAI_API_KEY holds`));
    assert.ok(last.endsWith(`; "switchboard doctor --config '${config}'" checks a key without sending a prompt`), last);
    assert.ok(!completed.stderr.includes('with no key'));
  });
});

describe('switchboard: a wrong key behind a fallback that answers', () => {
  const dir = tempDir('wrong-key-fallback');
  let openai: FakeServer;
  let anthropic: FakeServer;
  const wrongKey = fakeKeys.openai('wkf2');

  before(async () => {
    openai = await startFakeOpenAI({ apiKey: fakeKeys.openai('wkf1'), models: ['gpt-5.4-nano'] });
    anthropic = await startFakeAnthropic({ apiKey: fakeKeys.anthropic('wkf3') });
  });
  after(async () => {
    await openai.close();
    await anthropic.close();
  });

  it('names where the refused key came from and which host refused it, on the one line the run says of it', async () => {
    const config = path.join(dir.path, 'fallback.jsonc');
    await writeFile(config, JSON.stringify({ providers: { openai: { baseUrl: `${openai.url}/v1` }, anthropic: { baseUrl: anthropic.url } }, routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } }));
    const asked = await runInProcess(['ask', '--config', config, '--ledger', path.join(dir.path, 'ledger.jsonl'), 'hello'], {
      env: bareEnvIn(dir.path, { OPENAI_API_KEY: wrongKey, ANTHROPIC_API_KEY: fakeKeys.anthropic('wkf3') }),
      cwd: dir.path,
    });
    assert.equal(asked.code, 0, asked.stderr);
    assert.ok(asked.stdout.length > 0, 'the fallback answered');
    assert.equal(asked.stderr, `switchboard: openai rejected its API key (401) (the API key from OPENAI_API_KEY, sent to ${new URL(openai.url).host}); the route's next model, if any, is tried\n`);
    assert.ok(!asked.stderr.includes(wrongKey.slice(-8)), 'no part of the key is printed');
  });
});

describe('switchboard: AWS credentials Bedrock refuses', function () {
  this.timeout(60_000);
  const dir = tempDir('wrong-aws');
  let bedrock: FakeBedrock;
  let cli: string;
  const rightKeyId = fakeKeys.awsAccessKeyId('wa1');
  const wrongKeyId = fakeKeys.awsAccessKeyId('wa2');
  const secret = fakeKeys.awsSecretAccessKey('wa3');

  before(async () => {
    cli = await buildCli();
    bedrock = await startFakeBedrock({ accessKeyId: rightKeyId });
  });
  after(() => bedrock.close());

  it('ask names the link of the AWS chain they came from and the endpoint that refused them, and how to see whose they are', async () => {
    const config = path.join(dir.path, 'bedrock.json');
    await writeFile(config, JSON.stringify({ providers: { bedrock: { endpoint: bedrock.url } }, routes: { chat: ['bedrock:us.amazon.nova-micro-v1:0'] } }));
    // The built CLI: its AWS SDK reads the credentials from the environment given, as a user's shell gives them.
    const asked = await runCli(cli, ['ask', '--config', config, '--ledger', path.join(dir.path, 'ledger.jsonl'), 'hello'], {
      env: { ...bareEnvIn(dir.path, { AWS_ACCESS_KEY_ID: wrongKeyId, AWS_SECRET_ACCESS_KEY: secret }), PATH: process.env.PATH },
    });
    assert.equal(asked.code, 1, asked.stderr);
    const last = asked.stderr.trimEnd().split('\n').at(-1)!;
    assert.ok(
      last.endsWith(`; the AWS credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY were refused by bedrock at ${new URL(bedrock.url).host}: check they are current and of the account meant ("aws sts get-caller-identity" shows whose they are), or set others`),
      last,
    );
    assert.ok(!asked.stderr.includes(wrongKeyId) && !asked.stderr.includes(secret), 'no credential is printed');
  });
});

describe('switchboard: a server that wants a key when none is set', () => {
  const dir = tempDir('keyless-401');
  let server: FakeServer;

  before(async () => {
    server = await startFakeOpenAI({ apiKey: fakeKeys.openai('kl1'), models: ['llama3.1'] });
  });
  after(() => server.close());

  it('ask says to set the key, and does not offer a local server "with no key" to one using a local server', async () => {
    const asked = await runInProcess(['ask', '--ledger', path.join(dir.path, 'ledger.jsonl'), '--model', 'openai:llama3.1', 'hello'], {
      env: bareEnvIn(dir.path, { OPENAI_BASE_URL: `${server.url}/v1` }),
      cwd: dir.path,
    });
    assert.equal(asked.code, 1);
    const last = asked.stderr.trimEnd().split('\n').at(-1)!;
    assert.equal(last, 'switchboard: openai:llama3.1 failed: openai answered 401 without a key: the server wants one and none is set; set OPENAI_API_KEY');
  });
});

describe("switchboard: the other vendor's key in a provider's variable", () => {
  const dir = tempDir('misplaced-key');
  let server: FakeServer;
  const anthropicKey = fakeKeys.anthropic('mk1');

  before(async () => {
    server = await startFakeOpenAI({ apiKey: fakeKeys.openai('mk1'), models: ['gpt-5.4-nano'] });
  });
  after(() => server.close());

  /** An Anthropic key pasted into OPENAI_API_KEY; the OpenAI-compatible server on this machine refuses it. */
  const run = (...argv: string[]): Promise<Run> =>
    runInProcess(argv, { env: bareEnvIn(dir.path, { OPENAI_API_KEY: anthropicKey, OPENAI_BASE_URL: `${server.url}/v1` }), cwd: dir.path });
  const note = 'the key in OPENAI_API_KEY looks like an Anthropic key (sk-ant-…): set it as ANTHROPIC_API_KEY';

  it('ask says the refused key looks like an Anthropic key and which variable it belongs in', async () => {
    const asked = await run('ask', '--ledger', path.join(dir.path, 'ask.jsonl'), '--model', 'openai:gpt-5.4-nano', 'hello');
    assert.equal(asked.code, 1);
    const last = asked.stderr.trimEnd().split('\n').at(-1)!;
    assert.ok(last.startsWith(`switchboard: openai:gpt-5.4-nano failed: openai rejected its API key (401); ${note}; the API key from OPENAI_API_KEY was refused`), last);
    assert.ok(!asked.stderr.includes(anthropicKey.slice(-8)), 'no part of the key is printed');
  });

  it('doctor says so on the answers line', async () => {
    const doctor = await run('doctor', '--ledger', path.join(dir.path, 'doctor.jsonl'));
    assert.equal(doctor.code, 1);
    assert.ok(doctor.stdout.split('\n').some((line) => line.startsWith('  answers:     no: openai rejected its API key (401); ' + note + ' (')), doctor.stdout);
    assert.ok(!doctor.stdout.includes(anthropicKey.slice(-8)), 'no part of the key is printed');
  });
});
