import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig, type SwitchboardConfig } from '../../src/core/config';
import { isLocalUrl, type KeyStore } from '../../src/core/credentials';
import { isLoopbackHost, isLoopbackUrl, keyDestination, normalKeyHost } from '../../src/core/keyHost';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import type { ModelRequest } from '../../src/core/types';
import { collectStream } from '../fakes/collectStream';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeAnthropic, startFakeOpenAI, type FakeServer } from '../fakes/index';
import { routerHarness } from './routerHarness';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 32 };
const OPENAI_KEY = fakeKeys.openai('keyhost');
const ANTHROPIC_KEY = fakeKeys.anthropic('keyhost');

/**
 * The fakes listen on 127.0.0.1; written IPv6-mapped, the same socket is a host the key rule does not count as
 * loopback (keyHost.ts) while the private-network rule does (credentials.ts): a server elsewhere on the LAN.
 */
const elsewhere = (fake: FakeServer) => fake.url.replace('127.0.0.1', '[::ffff:127.0.0.1]');
const ELSEWHERE_HOST = '[::ffff:7f00:1]';

function config(raw: Record<string, unknown>): SwitchboardConfig {
  const { config: resolved, problems } = resolveConfig(raw);
  assert.deepEqual(problems, []);
  return resolved;
}

/** Every header value the fake saw, flattened, to search for the key. */
function headerText(fake: FakeServer): string {
  return JSON.stringify(fake.requests.map((request) => request.headers));
}

describe('key host rule', () => {
  it('sends a built-in key to its own host over https, and to this machine', () => {
    assert.deepEqual(keyDestination('openai', '', []), { send: true });
    assert.deepEqual(keyDestination('openai', 'https://api.openai.com/v1', []), { send: true });
    assert.deepEqual(keyDestination('anthropic', 'https://API.anthropic.com', []), { send: true });
    for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'http://127.1.2.3/v1', 'http://[::1]:1234/v1', 'http://ollama.localhost/v1']) {
      assert.deepEqual(keyDestination('openai', url, []), { send: true }, url);
    }
  });

  it('keeps it from any other host, from its own host over plain http, and from another provider\'s host', () => {
    assert.deepEqual(keyDestination('openai', 'https://openrouter.ai/api/v1', []), { send: false, host: 'openrouter.ai' });
    assert.deepEqual(keyDestination('openai', 'http://api.openai.com/v1', []), { send: false, host: 'api.openai.com' });
    assert.deepEqual(keyDestination('openai', 'https://api.anthropic.com/v1', []), { send: false, host: 'api.anthropic.com' });
    assert.deepEqual(keyDestination('openai', 'http://192.168.1.20:11434/v1', []), { send: false, host: '192.168.1.20' });
    assert.deepEqual(keyDestination('openai', 'http://[::ffff:127.0.0.1]:1/v1', []), { send: false, host: ELSEWHERE_HOST });
    // A host that merely starts or ends like the own one is another host.
    assert.deepEqual(keyDestination('openai', 'https://api.openai.com.evil.example/v1', []), { send: false, host: 'api.openai.com.evil.example' });
  });

  it('sends it to a host the user allowed, over http too, and to that host only', () => {
    assert.deepEqual(keyDestination('openai', 'https://openrouter.ai/api/v1', ['openrouter.ai']), { send: true });
    assert.deepEqual(keyDestination('openai', 'http://gpu-box:8000/v1', ['gpu-box']), { send: true });
    assert.deepEqual(keyDestination('openai', 'https://eu.openrouter.ai/api/v1', ['openrouter.ai']), { send: false, host: 'eu.openrouter.ai' });
  });

  it('leaves custom providers alone: their apiKeyEnv was chosen for their own host', () => {
    assert.deepEqual(keyDestination('router', 'http://gateway.example/v1', []), { send: true });
  });

  it('counts only this machine as loopback', () => {
    assert.equal(isLoopbackHost('localhost'), true);
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('10.0.0.1'), false);
    assert.equal(isLoopbackHost('127.0.0.1.nip.io'), false);
    assert.equal(isLoopbackHost('localhost.example.com'), false);
  });

  it('reads a baseUrl or endpoint as on this machine by its host, any case; unset or unreadable is not', () => {
    assert.equal(isLoopbackUrl('http://LOCALHOST:11434/v1'), true);
    assert.equal(isLoopbackUrl('http://127.0.0.1:8080'), true);
    assert.equal(isLoopbackUrl('http://[::1]:1234/v1'), true);
    assert.equal(isLoopbackUrl('https://api.openai.com/v1'), false);
    assert.equal(isLoopbackUrl('http://192.168.1.5:11434/v1'), false);
    assert.equal(isLoopbackUrl('localhost:11434'), false);
    assert.equal(isLoopbackUrl(''), false);
    assert.equal(isLoopbackUrl(undefined), false);
  });

  it('counts as needing no key the forms a user writes for a server of their own: 0.0.0.0, numeric loopback, a final dot, private names', () => {
    for (const url of [
      'http://0.0.0.0:11434/v1',
      'http://[::]:11434/v1',
      'http://localhost.:11434/v1',
      'http://ollama.:11434/v1',
      'http://2130706433:11434/v1',
      'http://0x7f.1:11434/v1',
      'http://0177.0.0.1:11434/v1',
      'http://[::127.0.0.1]:11434/v1',
      'http://[fec0::5]:11434/v1',
      'http://[64:ff9b::192.168.1.5]:11434/v1',
      'http://gpu.corp:8000/v1',
      'http://llm.intranet/v1',
      'http://box.home:11434/v1',
    ]) {
      assert.equal(isLocalUrl(url), true, url);
    }
    for (const url of ['https://api.openai.com/v1', 'http://8.8.8.8/v1', 'https://[2606:4700::1111]/v1', 'https://localhost.example.com/v1', 'http://172.32.0.1/v1', 'http://[64:ff9b::8.8.8.8]/v1', 'not a url']) {
      assert.equal(isLocalUrl(url), false, url);
    }
  });

  it('counts an IPv4 address written IPv6-mapped as private by the IPv4 rule, so such a LAN server needs no key', () => {
    assert.equal(isLocalUrl('http://[::ffff:192.168.1.5]:11434/v1'), true);
    assert.equal(isLocalUrl('http://[::ffff:127.0.0.1]:11434/v1'), true);
    assert.equal(isLocalUrl('http://[::ffff:8.8.8.8]/v1'), false);
  });

  it('takes bare host names for sendKeyTo and names what is not one', () => {
    assert.equal(normalKeyHost(' OpenRouter.ai '), 'openrouter.ai');
    assert.equal(normalKeyHost('[::ffff:127.0.0.1]'), ELSEWHERE_HOST);
    for (const bad of ['https://openrouter.ai', 'openrouter.ai/api', 'openrouter.ai:443', 'user@host', '', 'a b']) {
      assert.equal(normalKeyHost(bad), undefined, bad);
    }
    const { config: resolved, problems } = resolveConfig({ providers: { openai: { sendKeyTo: ['openrouter.ai', 'https://x.example/v1', 7] } } });
    assert.deepEqual(resolved.providers.openai.sendKeyTo, ['openrouter.ai']);
    assert.deepEqual(
      problems.map((problem) => problem.key),
      ['switchboard.providers.openai.sendKeyTo[1]', 'switchboard.providers.openai.sendKeyTo[2]'],
    );
    assert.match(problems[0]!.message, /not a host name/);
  });
});

describe('key host rule on the wire (real SDKs, fakes that record headers)', () => {
  let awsDir: string;
  let openai: FakeServer;
  let anthropic: FakeServer;

  const registry = async (raw: Record<string, unknown>, vars: Record<string, string>, store?: KeyStore) => {
    const made = new ProviderRegistry(
      { AWS_CONFIG_FILE: path.join(awsDir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'), ...vars },
      store,
    );
    await made.configure(config(raw));
    return made;
  };
  const ask = async (made: ProviderRegistry, id: string, model: string) =>
    collectStream((await made.adapter(id)).stream(model, REQUEST, new AbortController().signal));

  before(async () => {
    awsDir = await mkdtemp(path.join(tmpdir(), 'switchboard-keyhost-'));
    [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  });
  afterEach(() => {
    openai.reset();
    anthropic.reset();
  });
  after(async () => {
    await Promise.all([openai.close(), anthropic.close()]);
    await rm(awsDir, { recursive: true, force: true });
  });

  it('asks a server on the network without the OpenAI key, and says it kept it back', async () => {
    const made = await registry({ providers: { openai: { baseUrl: `${elsewhere(openai)}/v1` } } }, { OPENAI_API_KEY: OPENAI_KEY });
    const status = made.status('openai');
    assert.equal(status?.usable, true, 'a private-network server may need no key');
    assert.equal(status?.withheldKeyHost, ELSEWHERE_HOST);
    await ask(made, 'openai', 'llama3.1');
    assert.equal(openai.requests.length, 1);
    assert.notEqual(openai.requests[0]!.headers.authorization, `Bearer ${OPENAI_KEY}`);
    assert.ok(!headerText(openai).includes(OPENAI_KEY), 'the key is in no header');
  });

  it('sends the OpenAI key to that server once the user allowed its host', async () => {
    const made = await registry(
      { providers: { openai: { baseUrl: `${elsewhere(openai)}/v1`, sendKeyTo: [ELSEWHERE_HOST] } } },
      { OPENAI_API_KEY: OPENAI_KEY },
    );
    assert.equal(made.status('openai')?.withheldKeyHost, undefined);
    await ask(made, 'openai', 'llama3.1');
    assert.equal(openai.requests[0]!.headers.authorization, `Bearer ${OPENAI_KEY}`);
  });

  it('sends the OpenAI key to a server on this machine (loopback is the user\'s own)', async () => {
    const made = await registry({ providers: { openai: { baseUrl: `${openai.url}/v1` } } }, {}, { get: async (id) => (id === 'openai' ? OPENAI_KEY : undefined) });
    await ask(made, 'openai', 'gpt-5.4-nano');
    assert.equal(openai.requests[0]!.headers.authorization, `Bearer ${OPENAI_KEY}`);
  });

  it('keeps the Anthropic key from a server on the network until allowed', async () => {
    const withheld = await registry({ providers: { anthropic: { baseUrl: elsewhere(anthropic) } } }, { ANTHROPIC_API_KEY: ANTHROPIC_KEY });
    await ask(withheld, 'anthropic', 'claude-haiku-4-5');
    assert.ok(!headerText(anthropic).includes(ANTHROPIC_KEY), 'the key is in no header');
    anthropic.reset();
    const allowed = await registry(
      { providers: { anthropic: { baseUrl: elsewhere(anthropic), sendKeyTo: [ELSEWHERE_HOST] } } },
      { ANTHROPIC_API_KEY: ANTHROPIC_KEY },
    );
    await ask(allowed, 'anthropic', 'claude-haiku-4-5');
    // The SDK puts the key in x-api-key or an Authorization bearer as it sees fit: either way it is there.
    assert.ok(headerText(anthropic).includes(ANTHROPIC_KEY), 'the key is sent once allowed');
  });

  it('sends a custom provider its apiKeyEnv key: named for that host', async () => {
    const made = await registry(
      { providers: { custom: { lan: { type: 'openai', baseUrl: `${elsewhere(openai)}/v1`, apiKeyEnv: 'LAN_KEY' } } } },
      { LAN_KEY: 'lan-key-0123456789' },
    );
    await ask(made, 'lan', 'llama3.1');
    assert.equal(openai.requests[0]!.headers.authorization, 'Bearer lan-key-0123456789');
  });

  it("keeps a built-in key from a custom provider that names its variable, as from the built-in provider, until that vendor's sendKeyTo allows the host", async () => {
    // What a --config file from a cloned repository could hold to send the user's OpenAI key to a host of its own.
    const raw = (sendKeyTo: string[]) => ({
      providers: { openai: { sendKeyTo }, custom: { gateway: { type: 'openai', baseUrl: 'https://gateway.example/v1', apiKeyEnv: 'OPENAI_API_KEY' } } },
    });
    const cli = await registry(raw([]), { OPENAI_API_KEY: OPENAI_KEY });
    assert.equal(cli.settingsFor('gateway')?.apiKey, undefined, 'the adapter is never given the key');
    assert.equal(cli.status('gateway')?.usable, false);
    assert.equal(
      cli.status('gateway')?.reason,
      'Switchboard did not send OPENAI_API_KEY (your OpenAI key) to gateway.example for providers.custom["gateway"]: it goes only to api.openai.com unless you allow that host; add "gateway.example" to providers.openai.sendKeyTo in your --config file, e.g. {"providers": {"openai": {"sendKeyTo": ["gateway.example"]}}}',
    );
    assert.deepEqual(cli.withheldKeys(), [], 'allowed through the vendor\'s field, not the Allow command');
    const allowed = await registry(raw(['gateway.example']), { OPENAI_API_KEY: OPENAI_KEY });
    assert.equal(allowed.settingsFor('gateway')?.apiKey, OPENAI_KEY);

    // On the wire: a server on the network is asked without it.
    const lan = await registry(
      { providers: { custom: { lan: { type: 'openai', baseUrl: `${elsewhere(openai)}/v1`, apiKeyEnv: 'OPENAI_API_KEY' } } } },
      { OPENAI_API_KEY: OPENAI_KEY },
    );
    await ask(lan, 'lan', 'llama3.1');
    assert.ok(!headerText(openai).includes(OPENAI_KEY), 'the key is in no header');
    assert.equal(lan.status('lan')?.withheldKeyHost, ELSEWHERE_HOST);
  });

  it('never sends cloud or CI credentials a custom provider names in apiKeyEnv, to this machine either, and says which field to fix', async () => {
    // What a --config file from a cloned repository could hold: the user's AWS secret as a bearer key.
    const secrets = { AWS_SECRET_ACCESS_KEY: fakeKeys.awsSecretAccessKey('ke1'), AWS_ACCESS_KEY_ID: fakeKeys.awsAccessKeyId('ke1'), AWS_SESSION_TOKEN: 'aws-session-0123456789', GITHUB_TOKEN: 'ghp_example0123456789abcdef' };
    for (const name of Object.keys(secrets)) {
      const raw = { providers: { custom: { grab: { type: 'openai', baseUrl: `${openai.url}/v1`, apiKeyEnv: name } } } };
      const cli = await registry(raw, secrets);
      assert.equal(cli.settingsFor('grab')?.apiKey, undefined, `${name}: the adapter is never given it`);
      assert.equal(cli.status('grab')?.usable, false, name);
      assert.match(cli.status('grab')?.reason ?? '', new RegExp(`^providers\\.custom\\["grab"\\]\\.apiKeyEnv in your --config file names ${name}, .*so Switchboard does not send it`), name);
      assert.ok(cli.invalidSettingReasons().includes(cli.status('grab')!.reason!), `${name}: fixed in the settings, not with a key`);
      // On the wire: even asked directly (the router would skip it), the fake sees none of the secrets.
      await ask(cli, 'grab', 'llama3.1');
      for (const secret of Object.values(secrets)) assert.ok(!headerText(openai).includes(secret), `${name}: ${secret} is in no header`);
      openai.reset();
    }
    const editor = await registry(
      { providers: { custom: { grab: { type: 'anthropic', baseUrl: anthropic.url, apiKeyEnv: 'aws_secret_access_key' } } } },
      { aws_secret_access_key: 'aws-secret-lower-0123456789' },
      { get: async () => undefined },
    );
    assert.match(editor.status('grab')?.reason ?? '', /^switchboard\.providers\.custom\["grab"\]\.apiKeyEnv names aws_secret_access_key, a credential that is never an API key for a model server/);
  });

  it('sends GITHUB_TOKEN only to GitHub Models over https', async () => {
    const raw = (baseUrl: string) => ({ providers: { custom: { gh: { type: 'openai', baseUrl, apiKeyEnv: 'GITHUB_TOKEN' } } } });
    const vars = { GITHUB_TOKEN: 'ghp_example0123456789abcdef' };
    assert.equal((await registry(raw('https://models.github.ai/inference'), vars)).settingsFor('gh')?.apiKey, vars.GITHUB_TOKEN);
    for (const baseUrl of ['http://models.github.ai/inference', 'https://models.github.ai.evil.example/v1', `${openai.url}/v1`]) {
      const made = await registry(raw(baseUrl), vars);
      assert.equal(made.settingsFor('gh')?.apiKey, undefined, baseUrl);
      assert.match(made.status('gh')?.reason ?? '', /names GITHUB_TOKEN, which is sent only to models\.github\.ai or models\.inference\.ai\.azure\.com over https/, baseUrl);
    }
  });

  it('leaves a public host out before any request, saying how to allow it in the editor and in the CLI', async () => {
    const raw = { providers: { openai: { baseUrl: 'https://openrouter.ai/api/v1' } } };
    const editor = await registry(raw, {}, { get: async (id) => (id === 'openai' ? OPENAI_KEY : undefined) });
    assert.equal(editor.status('openai')?.usable, false);
    assert.equal(editor.settingsFor('openai')?.apiKey, undefined, 'the adapter is never given the key');
    assert.equal(
      editor.status('openai')?.reason,
      'Switchboard did not send your OpenAI key to openrouter.ai: it goes only to api.openai.com unless you allow that host; run "Switchboard: Allow Key for Host…" or add "openrouter.ai" to switchboard.providers.openai.sendKeyTo in your User settings',
    );
    const cli = await registry(raw, { OPENAI_API_KEY: OPENAI_KEY });
    assert.match(cli.status('openai')?.reason ?? '', /add "openrouter\.ai" to providers\.openai\.sendKeyTo in your --config file, e\.g\. \{"providers": \{"openai": \{"sendKeyTo": \["openrouter\.ai"\]\}\}\}$/);
  });
});

describe('key host rule in the router', () => {
  const h = routerHarness('keyhost');

  it('explains a 401 from a server that was not sent the key, instead of asking for a new key', async () => {
    const harness = await h.open(
      { providers: { openai: { baseUrl: `${elsewhere(h.fakes.openai)}/v1` } }, routes: { chat: ['openai:llama3.1'] } },
      { env: { OPENAI_API_KEY: OPENAI_KEY } },
    );
    h.fakes.openai.script({ status: 401 });
    const result = await harness.run('chat');
    assert.equal(result.record.outcome, 'error');
    assert.ok(!JSON.stringify(h.fakes.openai.requests.map((request) => request.headers)).includes(OPENAI_KEY));
    const status = harness.switchboard.registry.status('openai');
    assert.equal(status?.usable, false);
    assert.match(status?.reason ?? '', /^Switchboard did not send your OpenAI key to \[::ffff:7f00:1\]: .*providers\.openai\.sendKeyTo/);
  });

  it('does the same for a 403', async () => {
    const harness = await h.open(
      { providers: { openai: { baseUrl: `${elsewhere(h.fakes.openai)}/v1` } }, routes: { chat: ['openai:llama3.1'] } },
      { env: { OPENAI_API_KEY: OPENAI_KEY } },
    );
    h.fakes.openai.script({ status: 403 });
    await harness.run('chat');
    assert.match(harness.switchboard.registry.status('openai')?.reason ?? '', /^Switchboard did not send your OpenAI key/);
  });
});
