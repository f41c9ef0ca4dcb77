import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awsConfiguredEndpoint, readAwsSharedFiles } from '../../src/core/awsConfiguredEndpoint';

/**
 * The endpoint the AWS SDK takes from the variables and the shared files, read as @smithy/core's
 * getEndpointFromConfig reads them (bedrockUnreachable.test.ts checks the SDK really goes there).
 */
describe('awsConfiguredEndpoint: the endpoint the AWS SDK takes from the environment and ~/.aws', () => {
  let dir: string;
  let config: string;
  let credentials: string;
  const env = (more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, ...more });
  /** The endpoint for `vars`, the files read with the temporary folder as the home folder. */
  const endpointIn = async (vars: NodeJS.ProcessEnv) => awsConfiguredEndpoint(vars, await readAwsSharedFiles(vars, dir));

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-aws-endpoint-'));
    config = path.join(dir, 'config');
    credentials = path.join(dir, 'credentials');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('none without variables or files: the region endpoint is used', async () => {
    assert.equal(await endpointIn(env()), undefined);
  });

  it('a file named from the home folder (`~/work.config`) is read there, as the SDK expands it, and named expanded', async () => {
    await writeFile(path.join(dir, 'work.config'), '[default]\nendpoint_url = http://127.0.0.1:4\n');
    assert.deepEqual(await endpointIn({ AWS_CONFIG_FILE: '~/work.config' }), {
      url: 'http://127.0.0.1:4',
      from: `endpoint_url of profile "default" in ${path.join(dir, 'work.config')}`,
    });
  });

  it('the variables come before the files, the Bedrock Runtime one first', async () => {
    await writeFile(config, '[default]\nendpoint_url = http://127.0.0.1:1\n');
    assert.deepEqual(await endpointIn(env({ AWS_ENDPOINT_URL: 'http://127.0.0.1:2' })), { url: 'http://127.0.0.1:2', from: 'AWS_ENDPOINT_URL' });
    assert.deepEqual(await endpointIn(env({ AWS_ENDPOINT_URL: 'http://127.0.0.1:2', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:3' })), {
      url: 'http://127.0.0.1:3',
      from: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
    });
  });

  it('ignore_configured_endpoint_urls (the variable, else the profile) leaves the variables out too', async () => {
    await writeFile(config, '[default]\nignore_configured_endpoint_urls = true\nendpoint_url = http://127.0.0.1:1\n');
    assert.equal(await endpointIn(env({ AWS_ENDPOINT_URL: 'http://127.0.0.1:2' })), undefined);
    // The variable, when "true" or "false", decides over the profile.
    assert.deepEqual(await endpointIn(env({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' })), { url: 'http://127.0.0.1:1', from: `endpoint_url of profile "default" in ${config}` });
    await writeFile(config, '[default]\nendpoint_url = http://127.0.0.1:1\n');
    assert.equal(await endpointIn(env({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' })), undefined);
  });

  it("AWS_PROFILE's profile, comments and quotes as the SDK reads them; the credentials file too, the config file winning", async () => {
    await writeFile(config, `# shared\n[profile "work"] ; quoted\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:4 # trailing comment\n[profile  spaced]\nendpoint_url = http://127.0.0.1:5\n`);
    await writeFile(credentials, '[work]\nendpoint_url = http://127.0.0.1:6\n[home]\nendpoint_url = http://127.0.0.1:7\n');
    assert.deepEqual(await endpointIn(env({ AWS_PROFILE: 'work' })), { url: 'http://127.0.0.1:4', from: `endpoint_url of profile "work" in ${config}` });
    assert.deepEqual(await endpointIn(env({ AWS_PROFILE: 'home' })), { url: 'http://127.0.0.1:7', from: `endpoint_url of profile "home" in ${credentials}` });
    // Two spaces after "profile": the SDK reads no profile there.
    assert.equal(await endpointIn(env({ AWS_PROFILE: 'spaced' })), undefined);
  });

  it('a services section the file lacks: no endpoint from the file at all, as in the SDK', async () => {
    await writeFile(config, '[default]\nservices = missing\nendpoint_url = http://127.0.0.1:1\n');
    assert.equal(await endpointIn(env()), undefined);
    // A services section without bedrock_runtime: the profile's own endpoint_url.
    await writeFile(config, '[default]\nservices = other\nendpoint_url = http://127.0.0.1:1\n[services other]\ns3 =\n  endpoint_url = http://127.0.0.1:8\n');
    assert.deepEqual(await endpointIn(env()), { url: 'http://127.0.0.1:1', from: `endpoint_url of profile "default" in ${config}` });
  });
});
