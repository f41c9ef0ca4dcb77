import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { cliSettingName } from '../../../src/cli/cliSupport';
import { ProviderRegistry } from '../../../src/core/providerRegistry';
import { createBedrockProvider } from '../../../src/core/providers/bedrock';
import { checkSetup, setupReportLines } from '../../../src/core/setupCheck';
import type { ProviderAdapter } from '../../../src/core/providers/provider';
import type { ProviderError } from '../../../src/core/providers/providerError';
import { collectStream } from '../../fakes/collectStream';
import { closedPort } from '../../fakes/closedPort';
import { AWS_ENV } from '../../fakes/awsEnv';
import { startFakeBedrock, type FakeServer } from '../../fakes/index';

const MODEL = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const REQUEST = { messages: [{ role: 'user' as const, content: 'Hello?' }], maxTokens: 16 };
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'FAKEKEYIDFORTESTS002', AWS_SECRET_ACCESS_KEY: 'fake-secret' };
/** The AWS SDK reads its endpoint variables from the process, not from the env the registry is given. */
const ENDPOINT_ENV = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

async function failure(adapter: ProviderAdapter): Promise<ProviderError> {
  const result = await collectStream(adapter.stream(MODEL, REQUEST, new AbortController().signal));
  assert.ok(result.error, 'the request failed');
  return result.error as ProviderError;
}

/**
 * Bedrock that cannot be reached names the address it tried and the setting or variable that gave it, as the
 * other providers name their baseUrl: the endpoint setting, an AWS variable, or the region and where it came from.
 */
describe('Bedrock unreachable: the message names its endpoint and the setting behind it', () => {
  let fake: FakeServer;
  let saved: Record<string, string | undefined>;
  let awsDir: string;

  before(async () => {
    fake = await startFakeBedrock();
    saved = Object.fromEntries([...AWS_ENV, ...ENDPOINT_ENV].map((name) => [name, process.env[name]]));
    awsDir = await mkdtemp(path.join(tmpdir(), 'switchboard-aws-unreachable-'));
    for (const name of [...AWS_ENV, ...ENDPOINT_ENV]) delete process.env[name];
    process.env.AWS_CONFIG_FILE = path.join(awsDir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(awsDir, 'credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    Object.assign(process.env, CREDENTIALS);
  });
  after(async () => {
    await fake.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(awsDir, { recursive: true, force: true });
  });

  async function bedrockFrom(settings: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, cliConfig?: string): Promise<ProviderRegistry> {
    const { config, problems } = resolveConfig({ providers: { bedrock: settings } });
    assert.deepEqual(problems, []);
    const registry = new ProviderRegistry({ ...CREDENTIALS, ...env }, undefined, cliConfig === undefined ? undefined : cliSettingName(cliConfig));
    await registry.configure(config);
    return registry;
  }

  it('a refused connection names the endpoint and its setting, in the editor and in the CLI', async () => {
    const port = await closedPort();
    const editor = await bedrockFrom({ endpoint: `http://127.0.0.1:${port}` });
    const error = await failure(await editor.adapter('bedrock'));
    assert.equal(error.kind, 'connection');
    assert.equal(
      error.message,
      `bedrock could not be reached: connection refused (ECONNREFUSED); its endpoint is http://127.0.0.1:${port} (switchboard.providers.bedrock.endpoint): is a server running there?`,
    );
    await editor.dispose();

    const cli = await bedrockFrom({ endpoint: `http://127.0.0.1:${port}/` }, {}, 'team.jsonc');
    assert.equal(
      (await failure(await cli.adapter('bedrock'))).message,
      `bedrock could not be reached: connection refused (ECONNREFUSED); its endpoint is http://127.0.0.1:${port} (providers.bedrock.endpoint in team.jsonc): is a server running there?`,
    );
    await cli.dispose();
  });

  it('an endpoint from AWS_ENDPOINT_URL names that variable', async () => {
    const port = await closedPort();
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${port}`;
    try {
      const registry = await bedrockFrom({}, { AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL });
      assert.equal(
        (await failure(await registry.adapter('bedrock'))).message,
        `bedrock could not be reached: connection refused (ECONNREFUSED); its endpoint is http://127.0.0.1:${port} (AWS_ENDPOINT_URL): is a server running there?`,
      );
      await registry.dispose();
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });

  /**
   * The AWS SDK reads its shared files once per path and keeps them for the process: each case writes its own file,
   * pointed at by AWS_CONFIG_FILE, which the SDK reads from the process and the registry from the env it is given.
   */
  async function withAwsConfig(name: string, text: string, env: NodeJS.ProcessEnv, run: (registry: ProviderRegistry) => Promise<void>): Promise<void> {
    const file = path.join(awsDir, name);
    await writeFile(file, text);
    const before = { AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_PROFILE: process.env.AWS_PROFILE };
    Object.assign(process.env, { AWS_CONFIG_FILE: file }, env);
    try {
      const registry = await bedrockFrom({}, { AWS_CONFIG_FILE: file, ...env });
      await run(registry);
      await registry.dispose();
    } finally {
      for (const [variable, value] of Object.entries(before)) {
        if (value === undefined) delete process.env[variable];
        else process.env[variable] = value;
      }
    }
  }

  it("a profile's endpoint_url, which the SDK uses, is named with the profile and its file", async () => {
    const port = await closedPort();
    // With AWS_PROFILE set, the SDK takes credentials from the profile, not from the environment.
    const keys = `aws_access_key_id = ${CREDENTIALS.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${CREDENTIALS.AWS_SECRET_ACCESS_KEY}`;
    const text = `[default]\nregion = eu-west-3\n\n[profile work]\n${keys}\nendpoint_url = http://127.0.0.1:${port}\n`;
    await withAwsConfig('profile-endpoint', text, { AWS_PROFILE: 'work' }, async (registry) => {
      assert.equal(
        (await failure(await registry.adapter('bedrock'))).message,
        `bedrock could not be reached: connection refused (ECONNREFUSED); its endpoint is http://127.0.0.1:${port} (endpoint_url of profile "work" in ${path.join(awsDir, 'profile-endpoint')}): is a server running there?`,
      );
    });
  });

  it("the setup check (doctor, Check Setup) shows a profile's endpoint_url as Bedrock's server, with the profile and its file", async () => {
    const port = await closedPort();
    const keys = `aws_access_key_id = ${CREDENTIALS.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${CREDENTIALS.AWS_SECRET_ACCESS_KEY}`;
    const text = `[profile lab]\n${keys}\nendpoint_url = http://127.0.0.1:${port}\n`;
    await withAwsConfig('doctor-endpoint', text, { AWS_PROFILE: 'lab' }, async (registry) => {
      const { config } = resolveConfig({});
      const report = await checkSetup({ config, registry, env: { ...CREDENTIALS, AWS_PROFILE: 'lab' }, settingName: (key) => `switchboard.${key}`, timeoutMs: 5_000 });
      const bedrock = report.providers.find((check) => check.id === 'bedrock');
      assert.deepEqual(bedrock?.server, { url: `http://127.0.0.1:${port}`, from: 'environment', name: `endpoint_url of profile "lab" in ${path.join(awsDir, 'doctor-endpoint')}` });
      assert.ok(
        setupReportLines(report).includes(`  server:      http://127.0.0.1:${port} (from endpoint_url of profile "lab" in ${path.join(awsDir, 'doctor-endpoint')})`),
        'the report line names the profile and file',
      );
    });
  });

  it("a services section's bedrock_runtime endpoint_url is named with its section, profile and file", async () => {
    const port = await closedPort();
    // The default profile (no AWS_PROFILE); the services section's entry wins over the profile's own endpoint_url.
    const text = [
      '[default]',
      'services = local-aws',
      'endpoint_url = http://127.0.0.1:9 # not used: the services section names Bedrock\'s',
      '',
      '[services local-aws]',
      's3 =',
      '  endpoint_url = http://127.0.0.1:8',
      'bedrock_runtime =',
      `  endpoint_url = http://127.0.0.1:${port}`,
      '',
    ].join('\n');
    await withAwsConfig('services-endpoint', text, {}, async (registry) => {
      assert.equal(
        (await failure(await registry.adapter('bedrock'))).message,
        `bedrock could not be reached: connection refused (ECONNREFUSED); its endpoint is http://127.0.0.1:${port} (bedrock_runtime's endpoint_url in [services local-aws], the services of profile "default", in ${path.join(awsDir, 'services-endpoint')}): is a server running there?`,
      );
    });
  });

  it('https asked of a server that speaks plain http: a TLS failure, naming the endpoint and its setting', async () => {
    const endpoint = fake.url.replace(/^http:/, 'https:');
    const registry = await bedrockFrom({ endpoint });
    const error = await failure(await registry.adapter('bedrock'));
    assert.equal(error.kind, 'connection');
    assert.match(
      error.message,
      new RegExp(
        `^bedrock failed the TLS check \\(\\w*SSL\\w*\\); its endpoint is ${endpoint.replace(/[.]/g, '\\.')} \\(switchboard\\.providers\\.bedrock\\.endpoint\\): does it serve https \\(not plain http\\), with a certificate this machine trusts\\?$`,
      ),
    );
    assert.equal(fake.requests.length, 0, 'nothing reached the server as a request');
    await registry.dispose();
  });

  it("AWS's own endpoint is named with its region and where the region came from", async () => {
    const set = await bedrockFrom({ region: 'eu-west-3' });
    assert.deepEqual(set.settingsFor('bedrock')?.address, {
      url: 'https://bedrock-runtime.eu-west-3.amazonaws.com',
      from: 'switchboard.providers.bedrock.region',
      region: 'eu-west-3',
    });
    const fromEnv = await bedrockFrom({}, { AWS_DEFAULT_REGION: 'ap-south-1' }, 'team.jsonc');
    assert.deepEqual(fromEnv.settingsFor('bedrock')?.address, { url: 'https://bedrock-runtime.ap-south-1.amazonaws.com', from: 'AWS_DEFAULT_REGION', region: 'ap-south-1' });
    const byDefault = await bedrockFrom({}, {}, 'team.jsonc');
    assert.deepEqual(byDefault.settingsFor('bedrock')?.address, {
      url: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      from: 'the default; set providers.bedrock.region in team.jsonc',
      region: 'us-east-1',
    });
    await Promise.all([set.dispose(), fromEnv.dispose(), byDefault.dispose()]);

    // Said so when it cannot be reached (here a closed local port stands in for AWS's host: the tests stay off the network).
    const port = await closedPort();
    const adapter = createBedrockProvider({
      id: 'bedrock',
      kind: 'bedrock',
      region: 'eu-west-3',
      endpoint: `http://127.0.0.1:${port}`,
      address: { url: 'https://bedrock-runtime.eu-west-3.amazonaws.com', from: 'switchboard.providers.bedrock.region', region: 'eu-west-3' },
    });
    assert.equal(
      (await failure(adapter)).message,
      'bedrock could not be reached: connection refused (ECONNREFUSED); its endpoint is https://bedrock-runtime.eu-west-3.amazonaws.com, for the region eu-west-3 (switchboard.providers.bedrock.region): check the network, or a proxy (HTTPS_PROXY)',
    );
  });
});
