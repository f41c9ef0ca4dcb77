import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { inRemoteWindow } from '../../src/core/remoteWindow';
import type { ModelRequest } from '../../src/core/types';
import { AWS_ENV } from '../fakes/awsEnv';
import { collectStream } from '../fakes/collectStream';
import { startFakeBedrock, type FakeServer } from '../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Hello' }], maxTokens: 20 };
const CLAUDE = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const ENDPOINT_ENV = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL_STS', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] as const;

/**
 * A dev container's remoteEnv (or its image, or an AWS config file it brings) can name the endpoint the AWS SDK
 * sends Bedrock requests to. In a remote window those sources are not used; on the user's own machine they are.
 * The SDK reads them from process.env and the AWS config file for real, so the tests set both for real.
 */
describe('Bedrock in a remote window: the AWS SDK\'s endpoint variables and profile endpoint_url', function () {
  this.timeout(20_000);
  let repositoryEndpoint: FakeServer;
  let awsDir: string;
  let saved: Record<string, string | undefined>;

  before(async () => {
    repositoryEndpoint = await startFakeBedrock();
    awsDir = await mkdtemp(path.join(tmpdir(), 'switchboard-remote-bedrock-'));
    saved = Object.fromEntries([...AWS_ENV, ...ENDPOINT_ENV].map((name) => [name, process.env[name]]));
    for (const name of [...AWS_ENV, ...ENDPOINT_ENV]) delete process.env[name];
    process.env.AWS_CONFIG_FILE = path.join(awsDir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(awsDir, 'credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_ACCESS_KEY_ID = 'FAKEKEYIDFORTESTS001';
    process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
  });
  afterEach(async () => {
    repositoryEndpoint.reset();
    for (const name of ENDPOINT_ENV) delete process.env[name];
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = path.join(awsDir, 'config');
  });
  after(async () => {
    await repositoryEndpoint.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(awsDir, { recursive: true, force: true });
  });

  async function askBedrock(remoteName: string | undefined, raw: Record<string, unknown> = {}) {
    const { config, problems } = resolveConfig(raw);
    assert.deepEqual(problems, []);
    const registry = new ProviderRegistry(process.env);
    await registry.configure(inRemoteWindow(config, remoteName));
    const adapter = await registry.adapter('bedrock');
    const answer = await collectStream(adapter.stream(CLAUDE, REQUEST, new AbortController().signal));
    const status = registry.status('bedrock');
    await registry.dispose();
    return { answer, status };
  }

  for (const variable of ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ENDPOINT_URL'] as const) {
    it(`${variable}: used on the user's machine; in a dev container the request does not go there, and the log can name it`, async () => {
      process.env[variable] = repositoryEndpoint.url;
      repositoryEndpoint.script({ text: 'From the endpoint the environment named.' });
      const local = await askBedrock(undefined);
      assert.equal(repositoryEndpoint.requests.length, 1, 'a desktop window or the CLI keeps the AWS SDK\'s own rule');
      assert.equal(local.status?.ignoredEndpoint, undefined);

      repositoryEndpoint.reset();
      const remote = await askBedrock('dev-container');
      assert.equal(repositoryEndpoint.requests.length, 0, 'the repository\'s endpoint got no request (and no signed headers)');
      assert.ok(remote.answer.error instanceof Error, 'the request went to the region\'s AWS endpoint, unreachable here');
      assert.equal(local.answer.text, 'From the endpoint the environment named.');
      assert.equal(remote.status?.usable, true);
      assert.equal(remote.status?.ignoredEndpoint, variable);
    });
  }

  it('a profile\'s endpoint_url in the AWS config file is not used in a remote window either', async () => {
    // A file of its own: the AWS SDK keeps a config file's content once read, per path.
    process.env.AWS_CONFIG_FILE = path.join(awsDir, 'config-with-endpoint');
    await writeFile(
      process.env.AWS_CONFIG_FILE,
      `[profile work]\nregion = us-east-1\naws_access_key_id = FAKEKEYIDFORTESTS001\naws_secret_access_key = fake-secret\nendpoint_url = ${repositoryEndpoint.url}\n`,
    );
    // The profile's own keys, as a user signed in through it has (the SDK takes AWS_PROFILE over keys in the environment).
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_PROFILE = 'work';
    try {
      repositoryEndpoint.script({ text: 'From the profile\'s endpoint.' });
      await askBedrock(undefined);
      assert.equal(repositoryEndpoint.requests.length, 1, 'on the user\'s machine the profile\'s endpoint is theirs');
      repositoryEndpoint.reset();
      const remote = await askBedrock('codespaces');
      assert.equal(repositoryEndpoint.requests.length, 0);
      assert.ok(remote.answer.error instanceof Error);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = 'FAKEKEYIDFORTESTS001';
      process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
    }
  });

  it('the user\'s own switchboard.providers.bedrock.endpoint is used in a remote window, whatever the environment says', async () => {
    const own = await startFakeBedrock();
    try {
      process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = repositoryEndpoint.url;
      own.script({ text: 'From the endpoint the user set.' });
      const { answer, status } = await askBedrock('dev-container', { providers: { bedrock: { endpoint: own.url } } });
      assert.equal(answer.error, undefined);
      assert.equal(answer.text, 'From the endpoint the user set.');
      assert.equal(own.requests.length, 1);
      assert.equal(repositoryEndpoint.requests.length, 0);
      assert.equal(status?.ignoredEndpoint, undefined, 'nothing was passed over: the setting decides');
    } finally {
      await own.close();
    }
  });
  for (const variable of ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL'] as const) {
    it(`${variable}: an assumed role's AssumeRole request, signed with the user's keys, does not go there in a remote window, with or without the user's Bedrock endpoint`, async () => {
      const own = await startFakeBedrock();
      // A file of its own (the SDK keeps a config file's content once read, per path): a role assumed from keys.
      process.env.AWS_CONFIG_FILE = path.join(awsDir, `config-role-${variable}`);
      await writeFile(
        process.env.AWS_CONFIG_FILE,
        '[profile base]\nregion = us-east-1\naws_access_key_id = FAKEKEYIDFORTESTS001\naws_secret_access_key = fake-secret\n' +
          '[profile deploy]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n',
      );
      // The role's source keys are in the profile (the SDK takes AWS_PROFILE over keys in the environment).
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      process.env.AWS_PROFILE = 'deploy';
      process.env[variable] = repositoryEndpoint.url;
      // Signed for STS: the credential scope of its Authorization header names the service.
      const assumeRoleRequests = () => repositoryEndpoint.requests.filter((request) => String(request.headers.authorization).includes('/sts/aws4_request')).length;
      try {
        await askBedrock(undefined, { providers: { bedrock: { endpoint: own.url } } });
        assert.ok(assumeRoleRequests() >= 1, "on the user's machine the AWS SDK's own rule holds: STS is asked where the variable says");

        repositoryEndpoint.reset();
        for (const raw of [{ providers: { bedrock: { endpoint: own.url } } }, {}]) {
          const remote = await askBedrock('dev-container', raw);
          assert.equal(repositoryEndpoint.requests.length, 0, `the repository's endpoint got no request (${JSON.stringify(raw)})`);
          assert.ok(remote.answer.error instanceof Error, "STS was asked at AWS's own endpoint, unreachable here");
        }
        assert.equal(own.requests.length, 0, 'no credentials, no Bedrock request');
      } finally {
        process.env.AWS_ACCESS_KEY_ID = 'FAKEKEYIDFORTESTS001';
        process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
        await own.close();
      }
    });
  }
});
