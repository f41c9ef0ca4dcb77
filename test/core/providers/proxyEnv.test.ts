import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AWS_ENV } from '../../fakes/awsEnv';
import { startFakeProxy, type FakeProxy } from '../../fakes/connectProxy';
import { startFakeProviders, type FakeProviders } from '../../fakes/index';
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

  async function answersWith(env: Record<string, string>): Promise<{ answers: Record<string, string>; asked: string[] }> {
    proxy.asked.length = 0;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !PROXY_ENV.includes(name) && !(AWS_ENV as readonly string[]).includes(name)));
    const aws = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: path.join(dir.path, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir.path, 'none') };
    const proxied = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'test/core/children/proxiedRequests.ts'), `${fakes.openai.url}/v1`, fakes.anthropic.url, fakes.bedrock.url],
      { cwd: REPO_ROOT, env: { ...inherited, ...aws, ...proxied, ...env } },
    );
    return { answers: JSON.parse(stdout) as Record<string, string>, asked: [...proxy.asked] };
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
});
