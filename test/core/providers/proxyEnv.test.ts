import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { AWS_ENV } from '../../fakes/awsEnv';
import { startFakeProxy, type FakeProxy } from '../../fakes/connectProxy';
import { startFakeBedrock, startFakeProviders, type FakeProviders } from '../../fakes/index';
import { tempDir } from '../ledger/fixtures';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_USE_ENV_PROXY', 'NODE_OPTIONS'];

/**
 * What HTTPS_PROXY and NO_PROXY do to the three SDKs in a plain Node process, as the `switchboard` CLI runs (the
 * extension host is VS Code's: see the README's *Reliability*). Each case is a fresh process: Node reads these
 * variables at start-up only. Pinned here so a change (ours, Node's or an SDK's) that alters it is seen.
 */
describe('HTTPS_PROXY and NO_PROXY in a plain Node process (the CLI)', function () {
  this.timeout(60_000);
  const dir = tempDir('proxy-env');
  let fakes: FakeProviders;
  let proxy: FakeProxy;

  before(async () => {
    [fakes, proxy] = await Promise.all([startFakeProviders(), startFakeProxy()]);
  });
  after(async () => {
    await Promise.all([fakes.close(), proxy.close()]);
  });

  async function answersWith(env: Record<string, string>, bedrockUrl = fakes.bedrock.url): Promise<{ answers: Record<string, string>; asked: string[]; relayed: Buffer }> {
    proxy.asked.length = 0;
    const relayedBefore = proxy.relayed().length;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !PROXY_ENV.includes(name) && !(AWS_ENV as readonly string[]).includes(name)));
    const aws = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: path.join(dir.path, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir.path, 'none') };
    const proxied = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'test/core/children/proxiedRequests.ts'), `${fakes.openai.url}/v1`, fakes.anthropic.url, bedrockUrl],
      { cwd: REPO_ROOT, env: { ...inherited, ...aws, ...proxied, ...env } },
    );
    return { answers: JSON.parse(stdout) as Record<string, string>, asked: [...proxy.asked], relayed: proxy.relayed().subarray(relayedBefore) };
  }
  const port = (url: string) => new URL(url).port;
  const ALL_ANSWERED = { openai: 'answered', anthropic: 'answered', bedrock: 'answered' };

  const bedrockOver = () => fakes.bedrock.requests.at(-1)?.httpVersion;

  it('goes direct with the variables alone: Node\'s fetch reads them only under NODE_USE_ENV_PROXY=1, and Bedrock keeps HTTP/2', async () => {
    const { answers, asked } = await answersWith({});
    assert.deepEqual(answers, ALL_ANSWERED);
    assert.deepEqual(asked, []);
    assert.equal(bedrockOver(), '2.0');
  });

  it('with NODE_USE_ENV_PROXY=1, tunnels all three through the proxy, Bedrock over HTTP/1.1', async () => {
    const { answers, asked } = await answersWith({ NODE_USE_ENV_PROXY: '1' });
    assert.deepEqual(answers, ALL_ANSWERED);
    // CONNECT only: no request is handed to the proxy to forward, signed headers and all.
    assert.deepEqual(asked, [`CONNECT 127.0.0.1:${port(fakes.openai.url)}`, `CONNECT 127.0.0.1:${port(fakes.anthropic.url)}`, `CONNECT 127.0.0.1:${port(fakes.bedrock.url)}`]);
    assert.equal(bedrockOver(), '1.1');
  });

  it('with NODE_USE_ENV_PROXY=1, honours NO_PROXY, Bedrock direct over HTTP/2', async () => {
    const { answers, asked } = await answersWith({ NODE_USE_ENV_PROXY: '1', NO_PROXY: '127.0.0.1' });
    assert.deepEqual(answers, ALL_ANSWERED);
    assert.deepEqual(asked, []);
    assert.equal(bedrockOver(), '2.0');
  });

  it('with NODE_USE_ENV_PROXY=1, an http endpoint takes HTTP_PROXY only, as fetch does: HTTPS_PROXY alone sends all three direct', async () => {
    const { answers, asked } = await answersWith({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: '' });
    assert.deepEqual(answers, ALL_ANSWERED);
    assert.deepEqual(asked, []);
    assert.equal(bedrockOver(), '2.0');
  });

  it("with NODE_USE_ENV_PROXY=1 and an https endpoint (as Bedrock's own), runs TLS inside the tunnel: the proxy never sees the signed request", async () => {
    // A certificate for 127.0.0.1, trusted by the child as a corporate proxy's CA is (NODE_EXTRA_CA_CERTS).
    const key = path.join(dir.path, 'bedrock-key.pem');
    const cert = path.join(dir.path, 'bedrock-cert.pem');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    const secure = await startFakeBedrock({ tls: { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') } });
    try {
      const keyId = 'FAKEKEYIDTUNNELLED01';
      const { answers, asked, relayed } = await answersWith({ NODE_USE_ENV_PROXY: '1', NODE_EXTRA_CA_CERTS: cert, AWS_ACCESS_KEY_ID: keyId }, secure.url);
      assert.deepEqual(answers, ALL_ANSWERED);
      assert.equal(asked.at(-1), `CONNECT 127.0.0.1:${secure.port}`);
      const request = secure.requests.at(-1)!;
      assert.equal(request.httpVersion, '1.1');
      assert.match(String(request.headers.authorization), new RegExp(`Credential=${keyId}/`), 'Bedrock got the signed request');
      assert.ok(!relayed.includes(keyId), 'the proxy relayed only ciphertext of it');
      assert.ok(!relayed.includes('converse-stream'), 'nor saw which call it was');
    } finally {
      await secure.close();
    }
  });
});
