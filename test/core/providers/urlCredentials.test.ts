/**
 * A server behind a proxy's basic auth, its credentials written in the baseUrl (`http://me:secret@gpu-box/v1`), as
 * people put nginx in front of Ollama or vLLM: through the real SDKs to the fakes standing behind nginx's auth_basic
 * (serverQuirks.ts, answerInFront). Node's fetch refuses such a URL, so each request failed before it left.
 */
import assert from 'node:assert/strict';
import { listServerModels } from '../../../src/core/localModels';
import { createAnthropicProvider } from '../../../src/core/providers/anthropic';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { startFakeAnthropic, startFakeOpenAI, type FakeServer } from '../../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Name a sort.' }], maxTokens: 64 };
// A password with characters a URL must percent-encode: the header carries it as typed.
const PROXY = { user: 'me', password: 'p@ss:wörd' };
const BASIC = `Basic ${Buffer.from('me:p@ss:wörd', 'utf8').toString('base64')}`;
const KEY = 'sk-vllm-served-key-0123456789';

/** `url` with the proxy's credentials written in, as a user pastes it. */
function withCredentials(url: string): string {
  return url.replace('http://', `http://${PROXY.user}:${encodeURIComponent(PROXY.password)}@`);
}

describe('A baseUrl with user:password@ (basic auth in front of the server)', () => {
  let server: FakeServer;
  let anthropicServer: FakeServer;
  before(async () => {
    server = await startFakeOpenAI({ basicAuth: PROXY });
    anthropicServer = await startFakeAnthropic({ basicAuth: PROXY });
  });
  after(async () => {
    await server.close();
    await anthropicServer.close();
  });
  beforeEach(() => {
    server.reset();
    anthropicServer.reset();
  });

  it('answers: the credentials go as Authorization: Basic, not in the URL fetch refuses', async () => {
    const provider = createOpenAIProvider({ id: 'ollama', kind: 'openai', baseUrl: `${withCredentials(server.url)}/v1` });
    const result = await collectStream(provider.stream('qwen2.5-coder:7b', REQUEST, new AbortController().signal));
    assert.equal(result.error, undefined, String(result.error));
    assert.ok(result.text.length > 0);
    assert.equal(server.requests[0]?.headers.authorization, BASIC);
    assert.equal(server.requests[0]?.path, '/v1/chat/completions');
    assert.deepEqual((await provider.check!(new AbortController().signal)).models?.length, 3, 'the model listing too (Check Setup, switchboard models)');
  });

  it('with an API key set as well, the proxy gets the one Authorization header; the key is not sent', async () => {
    const provider = createOpenAIProvider({ id: 'vllm', kind: 'openai', baseUrl: `${withCredentials(server.url)}/v1`, apiKey: KEY });
    const result = await collectStream(provider.stream('qwen2.5-coder:7b', REQUEST, new AbortController().signal));
    assert.equal(result.error, undefined, String(result.error));
    assert.equal(server.requests[0]?.headers.authorization, BASIC);
    assert.ok(!JSON.stringify(server.requests[0]?.headers).includes(KEY));
  });

  it('wrong credentials are the proxy’s 401, said as theirs (not a key’s) and without them', async () => {
    const provider = createOpenAIProvider({ id: 'ollama', kind: 'openai', baseUrl: `${server.url.replace('http://', 'http://me:wrong-secret@')}/v1` });
    const result = await collectStream(provider.stream('qwen2.5-coder:7b', REQUEST, new AbortController().signal));
    assert.equal((result.error as ProviderError).kind, 'auth', String(result.error));
    assert.ok(!String(result.error).includes('wrong-secret'), String(result.error));
    assert.equal((result.error as ProviderError).message, 'ollama refused the user name and password written in its baseUrl (401): check them there');
  });

  it('an Anthropic-compatible server the same: its SDK too sends the key in Authorization, which the proxy takes', async () => {
    const provider = createAnthropicProvider({ id: 'gateway', kind: 'anthropic', baseUrl: withCredentials(anthropicServer.url), apiKey: KEY });
    const result = await collectStream(provider.stream('claude-haiku-4-5', REQUEST, new AbortController().signal));
    assert.equal(result.error, undefined, String(result.error));
    assert.equal(anthropicServer.requests[0]?.headers.authorization, BASIC);
    assert.ok(!JSON.stringify(anthropicServer.requests[0]?.headers).includes(KEY));
  });

  it("Use a Local Server's model listing asks with them too, and shows the address masked", async () => {
    const listed = await listServerModels(`${withCredentials(server.url)}/v1`);
    assert.ok('ids' in listed, JSON.stringify(listed));
    assert.equal(listed.url, `${server.url.replace('http://', 'http://me:***@')}/v1/models`);
    assert.equal(server.requests[0]?.headers.authorization, BASIC);
    const refused = await listServerModels(`${server.url.replace('http://', 'http://me:wrong-secret@')}/v1`);
    assert.deepEqual(refused, {
      url: `${server.url.replace('http://', 'http://me:***@')}/v1/models`,
      problem: `${server.url.replace('http://', 'http://me:***@')}/v1/models answered HTTP 401 (it refused the user name and password written in the URL: check them)`,
    });
  });

  it('a redirect to another origin does not take the credentials along', async () => {
    const elsewhere = await startFakeOpenAI();
    const moving = await startFakeOpenAI({ redirectTo: elsewhere.url });
    try {
      const provider = createOpenAIProvider({ id: 'ollama', kind: 'openai', baseUrl: `${withCredentials(moving.url)}/v1`, apiKey: KEY });
      await collectStream(provider.stream('qwen2.5-coder:7b', REQUEST, new AbortController().signal));
      assert.equal(moving.requests[0]?.headers.authorization, BASIC, 'the host written got them');
      assert.equal(elsewhere.requests.length, 1, 'the redirect was followed');
      assert.equal(elsewhere.requests[0]?.headers.authorization, undefined, 'the other origin got no credentials');
      assert.ok(!JSON.stringify(elsewhere.requests[0]?.headers).includes(KEY));
    } finally {
      await moving.close();
      await elsewhere.close();
    }
  });
});
