import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { offerableEnvServer, withEnvBaseUrl } from '../../src/core/envBaseUrl';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { inRemoteWindow } from '../../src/core/remoteWindow';
import type { ModelRequest } from '../../src/core/types';
import { CONFIRMED_SERVERS_KEY, DO_NOT_USE, EnvServerConsent, USE_SERVER } from '../../src/vscode/envServerConsent';
import { collectStream } from '../fakes/collectStream';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeAnthropic, startFakeOpenAI, type FakeServer } from '../fakes/index';

const KEY = fakeKeys.openai('env-consent');
const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 16 };

/** VS Code's global state as a Memento behaves: a map that outlives a window. */
function memento() {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, update: async (key: string, value: unknown) => void values.set(key, value), values };
}

/**
 * A remote window (dev container, Codespace) whose OPENAI_BASE_URL may be the repository's: the real consent, the
 * real config and registry, the real SDK against a fake server; only VS Code's notification is scripted.
 */
describe("a remote window's OPENAI_BASE_URL", () => {
  let fake: FakeServer;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  /** One window: `answers` are what the user clicks, in order; `answered` resolves each time one was applied. */
  function window(state: ReturnType<typeof memento>, remoteName: string | undefined, answers: (string | undefined)[]) {
    const asked: { message: string; buttons: string[] }[] = [];
    const log: string[] = [];
    let settle: () => void = () => undefined;
    let answered = new Promise<void>((resolve) => (settle = resolve));
    const consent = new EnvServerConsent({
      remoteName,
      state,
      ask: async (message, ...buttons) => {
        asked.push({ message, buttons });
        return answers.shift();
      },
      log: (line) => log.push(line),
      answered: () => {
        settle();
        answered = new Promise<void>((resolve) => (settle = resolve));
      },
    });
    return { consent, asked, log, answered: () => answered, remoteName };
  }

  /** As readSettings composes them: the environment's server, then the window's loopback rule. */
  const registryFor = async (url: string, window: { consent: EnvServerConsent; remoteName: string | undefined }) => {
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: url };
    const registry = new ProviderRegistry(env);
    await registry.configure(inRemoteWindow(withEnvBaseUrl(resolveConfig({}).config, env, window.consent.consent), window.remoteName));
    return registry;
  };

  it('is used as on the desktop only once the user confirmed that address, and then without the key on the remote loopback', async () => {
    const url = `${fake.url}/v1`;
    const state = memento();
    const first = window(state, 'dev-container', [USE_SERVER]);
    const answered = first.answered();
    const before = await registryFor(url, first);
    // Until answered: out, never sent to api.openai.com in its place.
    assert.equal(before.status('openai')?.usable, false);
    assert.match(before.status('openai')?.reason ?? '', /^OPENAI_BASE_URL \(http:\/\/127\.0\.0\.1:\d+\/v1\) comes from this remote window's environment.*nothing goes to openai until you confirm that address \(waiting for your answer/);
    assert.deepEqual(before.invalidSettingReasons(), [before.status('openai')!.reason]);
    await answered;
    assert.equal(first.asked.length, 1, 'asked once');
    assert.match(first.asked[0]!.message, /the OPENAI_BASE_URL environment variable of this remote window \(dev-container\) sends your OpenAI requests, with your prompts and code, to http:\/\/127\.0\.0\.1:\d+\/v1\. A repository's dev container configuration can set it\. Use this server\?/);
    assert.deepEqual(first.asked[0]!.buttons, [USE_SERVER, DO_NOT_USE]);
    assert.deepEqual(state.values.get(CONFIRMED_SERVERS_KEY), [url]);

    const after = await registryFor(url, first);
    assert.equal(after.status('openai')?.usable, true);
    // On the wire: the request reaches the server, but the key does not (that loopback is the container's).
    await collectStream((await after.adapter('openai')).stream('llama3.1', REQUEST, new AbortController().signal));
    assert.equal(fake.requests.length, 1);
    assert.ok(!JSON.stringify(fake.requests[0]!.headers).includes(KEY), 'the key is in no header');
    assert.equal(after.status('openai')?.withheldKeyHost, '127.0.0.1');

    // Another window (same global state): confirmed already, not asked.
    const second = window(state, 'dev-container', []);
    assert.equal((await registryFor(url, second)).status('openai')?.usable, true);
    assert.equal(second.asked.length, 0);
  });

  it('leaves openai out when declined or closed, asks once per window, and again in the next window', async () => {
    const url = `${fake.url}/other/v1`;
    const state = memento();
    for (const answer of [DO_NOT_USE, undefined]) {
      const one = window(state, 'codespaces', [answer]);
      const answered = one.answered();
      await registryFor(url, one);
      await answered;
      const declined = await registryFor(url, one);
      assert.equal(declined.status('openai')?.usable, false, String(answer));
      assert.match(declined.status('openai')?.reason ?? '', /\(you declined it; Reload Window asks again, or set switchboard\.providers\.openai\.baseUrl in your User settings\)$/);
      assert.equal(one.asked.length, 1, 'not asked again in this window');
      assert.match(one.log.join('\n'), new RegExp(`OPENAI_BASE_URL: ${url.replace(/[.?]/g, '\\$&')} not confirmed`));
      assert.equal(state.values.get(CONFIRMED_SERVERS_KEY), undefined, 'nothing remembered');
    }
    assert.equal(fake.requests.length, 0, 'nothing was sent anywhere it could reach');
  });

  it("names an address it waits on with its credentials masked (the reason is the status bar tooltip's and Check Setup's)", async () => {
    const url = fake.url.replace('http://', 'http://gwuser:hunter2pw@') + '/v1?api-key=qk-secret9';
    const one = window(memento(), 'codespaces', [DO_NOT_USE]);
    const answered = one.answered();
    const waiting = await registryFor(url, one);
    const reason = waiting.status('openai')?.reason ?? '';
    assert.match(reason, /^OPENAI_BASE_URL \(http:\/\/gwuser:\*\*\*@127\.0\.0\.1:\d+\/v1\?api-key=\*\*\*\) comes from this remote window's environment/, reason);
    assert.ok(!reason.includes('hunter2pw') && !reason.includes('qk-secret9'), reason);
    await answered;
  });

  it('gives Use a Local Server\'s offer no address to ask for models until the user confirmed it', async () => {
    const url = `${fake.url}/listing/v1`;
    const remote = window(memento(), 'dev-container', [USE_SERVER]);
    const env = { OPENAI_BASE_URL: url };
    // The setting cleared while the question waits: the offer would list the repository's server's models.
    assert.equal(offerableEnvServer(env, '', remote.consent.confirmedCheck), undefined);
    const answered = remote.answered();
    await registryFor(url, remote);
    await answered;
    assert.equal(offerableEnvServer(env, '', remote.consent.confirmedCheck), url);
    // The user's own setting comes first; a desktop window's environment is the user's own.
    assert.equal(offerableEnvServer(env, 'http://localhost:11434/v1', remote.consent.confirmedCheck), undefined);
    const desktop = window(memento(), undefined, []);
    assert.equal(desktop.consent.confirmedCheck, undefined);
    assert.equal(offerableEnvServer(env, '', desktop.consent.confirmedCheck), url);
    assert.equal(fake.requests.length, 0);
  });

  it('asks nothing on a desktop window: the environment is the user\'s own shell\'s, and its loopback the user\'s machine', async () => {
    const desktop = window(memento(), undefined, []);
    assert.equal(desktop.consent.consent, undefined);
    const registry = await registryFor(`${fake.url}/v1`, desktop);
    await collectStream((await registry.adapter('openai')).stream('llama3.1', REQUEST, new AbortController().signal));
    assert.equal(fake.requests[0]!.headers.authorization, `Bearer ${KEY}`);
    assert.equal(desktop.asked.length, 0);
  });
});

/**
 * A remote window's loopback is the remote machine (in a dev container, the repository's code), whatever names the
 * server: here the User setting the user keeps for the Ollama on their desktop. The real config, registry and SDKs
 * against fakes on 127.0.0.1; the key goes only once the host is in sendKeyTo, the request goes either way.
 */
describe("a remote window's loopback server named by a User setting", () => {
  const ANTHROPIC_KEY = fakeKeys.anthropic('remote-loopback');
  let openai: FakeServer;
  let anthropic: FakeServer;
  before(async () => {
    [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  });
  afterEach(() => {
    openai.reset();
    anthropic.reset();
  });
  after(() => Promise.all([openai.close(), anthropic.close()]));

  const registryFor = async (remoteName: string | undefined, sendKeyTo: string[] = []) => {
    const env = { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY };
    const { config } = resolveConfig({ providers: { openai: { baseUrl: `${openai.url}/v1`, sendKeyTo }, anthropic: { baseUrl: anthropic.url, sendKeyTo } } });
    // An empty key store, as the editor has: the reasons then name the editor's way to allow a host.
    const registry = new ProviderRegistry(env, { get: async () => undefined });
    await registry.configure(inRemoteWindow(withEnvBaseUrl(config, env), remoteName));
    return registry;
  };
  const askBoth = async (registry: ProviderRegistry) => {
    await collectStream((await registry.adapter('openai')).stream('llama3.1', REQUEST, new AbortController().signal));
    await collectStream((await registry.adapter('anthropic')).stream('claude-sonnet-5', REQUEST, new AbortController().signal));
    assert.equal(openai.requests.length, 1, 'the OpenAI-compatible server was asked');
    assert.equal(anthropic.requests.length, 1, 'the Anthropic-compatible server was asked');
    return { openai: JSON.stringify(openai.requests[0]!.headers), anthropic: JSON.stringify(anthropic.requests[0]!.headers) };
  };

  it('asks it without the OpenAI or Anthropic key, saying which host to allow', async () => {
    const registry = await registryFor('dev-container');
    for (const id of ['openai', 'anthropic']) {
      assert.deepEqual(registry.status(id), { id, kind: id, usable: true, keySource: 'not needed', withheldKeyHost: '127.0.0.1' });
    }
    const headers = await askBoth(registry);
    assert.ok(!headers.openai.includes(KEY), 'no OpenAI key on the wire');
    assert.ok(!headers.anthropic.includes(ANTHROPIC_KEY), 'no Anthropic key on the wire');
    // A refusal there is the kept-back key's, with the way to allow it, not "rejected its credentials".
    registry.markRejected('openai', 'openai answered 401');
    assert.match(registry.status('openai')!.reason!, /^Switchboard did not send your OpenAI key to 127\.0\.0\.1: it goes only to api\.openai\.com unless you allow that host; run "Switchboard: Allow Key for Host…" or add "127\.0\.0\.1" to switchboard\.providers\.openai\.sendKeyTo/);
  });

  it('sends each key there once its host is in sendKeyTo', async () => {
    const headers = await askBoth(await registryFor('ssh-remote', ['127.0.0.1']));
    assert.match(headers.openai, new RegExp(`Bearer ${KEY}`));
    assert.ok(headers.anthropic.includes(ANTHROPIC_KEY), 'the Anthropic key on the wire');
  });

  it("sends each key on a desktop window, whose loopback is the user's own machine", async () => {
    const headers = await askBoth(await registryFor(undefined));
    assert.match(headers.openai, new RegExp(`Bearer ${KEY}`));
    assert.ok(headers.anthropic.includes(ANTHROPIC_KEY), 'the Anthropic key on the wire');
  });
});
