import assert from 'node:assert/strict';
import { createBedrockProvider } from '../../../src/core/providers/bedrock';
import type { ProviderAdapter, ProviderSettings } from '../../../src/core/providers/provider';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { setTestAwsKeys, type TestAwsEnvironment } from '../../fakes/awsEnv';
import { closedPort } from '../../fakes/closedPort';
import { collectStream } from '../../fakes/collectStream';
import { startFakeProxy, type FakeProxy } from '../../fakes/connectProxy';
import { startFakeBedrock, type FakeServer } from '../../fakes/index';
import { assertCancelsMidAnswer, assertCutMidAnswer } from './brokenStreams';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Through the proxy?' }], maxTokens: 64 };
const NOVA = 'us.amazon.nova-micro-v1:0';

/**
 * The Bedrock adapter given a proxy (as the registry gives it one where a proxy applies to its endpoint,
 * bedrockProxy.ts): the real AWS SDK over its HTTP/1.1 handler, through a fake CONNECT proxy, to the fake Bedrock
 * speaking the binary event stream.
 */
describe('Bedrock through a proxy (the SDK\'s HTTP/1.1 handler in a CONNECT tunnel)', function () {
  this.timeout(20_000);
  let fake: FakeServer;
  let proxy: FakeProxy;
  let awsEnv: TestAwsEnvironment;
  const adapters: ProviderAdapter[] = [];
  const adapter = (extra: Partial<ProviderSettings> = {}): ProviderAdapter => {
    const made = createBedrockProvider({ id: 'bedrock', kind: 'bedrock', region: 'us-east-1', endpoint: fake.url, proxy: { url: proxy.url, from: 'HTTPS_PROXY' }, ...extra });
    adapters.push(made);
    return made;
  };
  const port = () => new URL(fake.url).port;

  before(async () => {
    [fake, proxy] = await Promise.all([startFakeBedrock(), startFakeProxy()]);
    awsEnv = await setTestAwsKeys('FAKEKEYIDFORPROXY001');
  });
  afterEach(() => {
    fake.reset();
    proxy.asked.length = 0;
    for (const made of adapters.splice(0)) made.dispose?.();
  });
  after(async () => {
    await Promise.all([fake.close(), proxy.close(), awsEnv.restore()]);
  });

  it('streams a ConverseStream answer piece by piece over HTTP/1.1, the proxy asked only to CONNECT to the host and port', async () => {
    fake.script({ text: 'One. Two. Three.', chunks: 3, usage: { inputTokens: 12, outputTokens: 5 } });
    const result = await collectStream(adapter().stream(NOVA, REQUEST, new AbortController().signal));
    assert.equal(result.error, undefined);
    assert.equal(result.text, 'One. Two. Three.');
    assert.equal(result.textEvents, 3, 'three event-stream frames, three pieces');
    assert.equal(result.usage.inputTokens, 12);
    assert.equal(result.usage.outputTokens, 5);
    const request = fake.requests.at(-1)!;
    assert.equal(request.httpVersion, '1.1');
    assert.match(String(request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=FAKEKEYIDFORPROXY001\//, 'signed for the endpoint, inside the tunnel');
    // Only the tunnel: no request forwarded to the proxy (which would carry the signed headers to it).
    assert.deepEqual(proxy.asked, [`CONNECT 127.0.0.1:${port()}`]);
  });

  it('keeps one tunnel for the requests that follow (keep-alive): one CONNECT for two requests', async () => {
    const made = adapter();
    for (const text of ['first', 'second']) {
      fake.script({ text });
      assert.equal((await collectStream(made.stream(NOVA, REQUEST, new AbortController().signal))).text, text);
    }
    assert.deepEqual(proxy.asked, [`CONNECT 127.0.0.1:${port()}`]);
  });

  it('without a proxy, speaks HTTP/2 directly, as before', async () => {
    fake.script({ text: 'Direct.' });
    const result = await collectStream(adapter({ proxy: undefined }).stream(NOVA, REQUEST, new AbortController().signal));
    assert.equal(result.text, 'Direct.');
    assert.equal(fake.requests.at(-1)!.httpVersion, '2.0');
    assert.deepEqual(proxy.asked, []);
  });

  it('says a connection cut mid-answer, and stops the stream on cancel, through the tunnel', async () => {
    // Over HTTP/1.1 a cut is the connection dropped (ECONNRESET), said as OpenAI's and Anthropic's are; HTTP/2's is a stream reset.
    await assertCutMidAnswer(fake, (signal) => adapter().stream(NOVA, REQUEST, signal), /^bedrock dropped the connection \(ECONNRESET\)$/);
    await assertCancelsMidAnswer(fake, (signal) => adapter().stream(NOVA, REQUEST, signal));
  });

  it('names the proxy, and the variable that set it, when it refuses the tunnel', async () => {
    // The fake proxy tunnels to 127.0.0.1 only: another name for the same host is refused (403).
    const result = await collectStream(adapter({ endpoint: `http://localhost:${port()}` }).stream(NOVA, REQUEST, new AbortController().signal));
    assert.ok(result.error instanceof ProviderError);
    assert.equal(result.error.kind, 'connection');
    const proxyHost = new URL(proxy.url).host;
    assert.equal(result.error.message, `bedrock could not be reached: the proxy ${proxyHost} (HTTPS_PROXY) refused the tunnel to localhost:${port()} ("HTTP/1.1 403 Forbidden")`);
    assert.equal(fake.requests.length, 0);
  });

  it('names the proxy when it cannot be reached', async () => {
    const closed = await closedPort();
    const result = await collectStream(adapter({ proxy: { url: `http://127.0.0.1:${closed}`, from: 'http.proxy' } }).stream(NOVA, REQUEST, new AbortController().signal));
    assert.ok(result.error instanceof ProviderError);
    assert.equal(result.error.kind, 'connection');
    assert.equal(result.error.message, `bedrock could not be reached: the proxy 127.0.0.1:${closed} (http.proxy) could not be reached (ECONNREFUSED)`);
  });
});
