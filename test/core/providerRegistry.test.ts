import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig, type SwitchboardConfig } from '../../src/core/config';
import type { KeyStore } from '../../src/core/credentials';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import type { ModelRequest } from '../../src/core/types';
import { bytesReadByThisProcess } from '../fakes/bytesRead';
import { collectStream } from '../fakes/collectStream';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeAnthropic, startFakeOpenAI, type FakeServer } from '../fakes/index';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Say hello' }], maxTokens: 32 };

function config(raw: Record<string, unknown> = {}): SwitchboardConfig {
  const { config: resolved, problems } = resolveConfig(raw);
  assert.deepEqual(problems, []);
  return resolved;
}

function keyStore(keys: Record<string, string>): KeyStore {
  return { get: async (id) => keys[id] };
}

describe('ProviderRegistry', () => {
  let awsDir: string;
  let first: FakeServer;
  let second: FakeServer;

  /** An environment holding only `vars`, with AWS's shared files pointed at an empty folder. */
  const env = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    AWS_CONFIG_FILE: path.join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    ...vars,
  });

  async function registry(raw: Record<string, unknown>, vars: Record<string, string> = {}, store?: KeyStore) {
    const made = new ProviderRegistry(env(vars), store);
    await made.configure(config(raw));
    return made;
  }

  before(async () => {
    awsDir = await mkdtemp(path.join(tmpdir(), 'switchboard-registry-'));
    [first, second] = await Promise.all([startFakeOpenAI(), startFakeOpenAI()]);
  });
  afterEach(() => {
    first.reset();
    second.reset();
  });
  after(async () => {
    await Promise.all([first.close(), second.close()]);
    await rm(awsDir, { recursive: true, force: true });
  });

  it("names the host each provider's requests go to (a message about a connection still being made names it)", async () => {
    const made = await registry({ providers: { openai: { baseUrl: 'http://[::1]:11434/v1' }, bedrock: { endpoint: 'https://10.0.0.7:8443' } } });
    assert.equal(made.dialledHost('openai'), '::1');
    assert.equal(made.dialledHost('bedrock'), '10.0.0.7');
    assert.equal(made.dialledHost('anthropic'), 'api.anthropic.com', "no baseUrl: the vendor's own API");
    assert.equal((await registry({ providers: { bedrock: { region: 'eu-west-3' } } })).dialledHost('bedrock'), 'bedrock-runtime.eu-west-3.amazonaws.com');
    assert.equal(made.dialledHost('nobody'), undefined);
  });

  describe('credentials', () => {
    it('leaves out a provider whose server setting is invalid, key or not, naming the setting', async () => {
      const { config: invalid } = resolveConfig({ providers: { openai: { baseUrl: 'localhost:11434/v1' }, bedrock: { endpoint: 'bedrock.local' } } });
      const made = new ProviderRegistry(env({ OPENAI_API_KEY: 'sk-env-openai', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' }));
      await made.configure(invalid);
      assert.deepEqual(made.status('openai'), {
        id: 'openai',
        kind: 'openai',
        usable: false,
        invalidSetting: true,
        reason: 'switchboard.providers.openai.baseUrl is not an http(s) URL: nothing goes to openai until it is fixed',
      });
      assert.equal(made.status('bedrock')?.usable, false);
      // What the status bar lists, instead of asking for a key that would not help.
      assert.deepEqual(
        made.invalidSettingReasons().map((reason) => reason.split(' is not')[0]),
        ['switchboard.providers.openai.baseUrl', 'switchboard.providers.bedrock.endpoint'],
      );
      assert.match(made.status('bedrock')!.reason!, /^switchboard\.providers\.bedrock\.endpoint is not an http\(s\) URL/);
      assert.equal(made.status('anthropic')?.usable, false, 'no key, as before');
      // Fixed: usable again at once, at the server named.
      await made.configure(config({ providers: { openai: { baseUrl: `${first.url}/v1` } } }));
      assert.equal(made.status('openai')?.usable, true);
      assert.equal(made.settingsFor('openai')?.baseUrl, `${first.url}/v1`);
    });

    it('never uses a key with a line break or space inside it, and says why without quoting it', async () => {
      // A key pasted across lines: its two halves (fakeKeys builds key-shaped text at run time, none in the repository).
      const key = fakeKeys.openai('pasted');
      const first = key.slice(0, 24);
      const second = key.slice(24);
      const made = await registry({}, { OPENAI_API_KEY: `${first}\n${second}` }, keyStore({ anthropic: `${first} ${second}` }));
      for (const id of ['openai', 'anthropic']) {
        const status = made.status(id)!;
        assert.equal(status.usable, false, id);
        assert.match(status.reason!, /API key (in OPENAI_API_KEY|stored) has a space or line break inside it \(pasted across lines\?\), so it is not sent/);
        assert.ok(!status.reason!.includes(second) && !status.reason!.includes(first), 'the key is not quoted');
        assert.equal(made.settingsFor(id)?.apiKey, undefined, 'the adapter never gets it');
      }
    });

    it('never sends a key in quotes or after NAME= (a .env line), and names the variable and the fix', async () => {
      const openaiKey = fakeKeys.openai('quoted');
      const anthropicKey = fakeKeys.anthropic('assigned');
      const made = await registry({}, { OPENAI_API_KEY: `"${openaiKey}"`, ANTHROPIC_API_KEY: `ANTHROPIC_API_KEY=${anthropicKey}` });
      const openai = made.status('openai')!;
      assert.equal(openai.usable, false);
      assert.equal(
        openai.reason,
        'the openai API key in OPENAI_API_KEY is wrapped in quotes (as a .env file writes it; docker --env-file and systemd keep them), so it is not sent; set OPENAI_API_KEY to the key alone, without the quotes',
      );
      const anthropic = made.status('anthropic')!;
      assert.equal(anthropic.usable, false);
      assert.equal(
        anthropic.reason,
        'the anthropic API key in ANTHROPIC_API_KEY starts with "ANTHROPIC_API_KEY=" (a line copied from a .env file?), so it is not sent; set ANTHROPIC_API_KEY to the key alone',
      );
      for (const id of ['openai', 'anthropic']) assert.equal(made.settingsFor(id)?.apiKey, undefined, `${id}: the adapter never gets it`);
      // A stored key so shaped (stored before Set API Key refused it) says to store it again, naming no variable.
      const stored = await registry({}, {}, keyStore({ openai: `'${openaiKey}'` }));
      assert.match(stored.status('openai')!.reason!, /^the openai API key stored is wrapped in quotes .*; store the key alone again, without the quotes$/);
      // A key with an `=` only as base64 padding is a key.
      const padded = await registry({}, { OPENAI_API_KEY: 'c2stdGVzdC1rZXk==' });
      assert.equal(padded.status('openai')?.usable, true);
    });

    it('takes API keys from the environment, trimmed', async () => {
      const made = await registry({}, { OPENAI_API_KEY: '  sk-env-openai \n', ANTHROPIC_API_KEY: 'test-anthropic-env' });
      assert.deepEqual(made.status('openai'), { id: 'openai', kind: 'openai', usable: true, keySource: 'environment' });
      assert.equal(made.status('anthropic')?.keySource, 'environment');
      assert.equal(made.settingsFor('openai')?.apiKey, 'sk-env-openai');
    });

    it('prefers a stored key, and ignores one that is only whitespace', async () => {
      const made = await registry(
        {},
        { OPENAI_API_KEY: 'sk-env-openai', ANTHROPIC_API_KEY: 'test-anthropic-env' },
        keyStore({ openai: ' sk-stored ', anthropic: '   ' }),
      );
      assert.equal(made.status('openai')?.keySource, 'stored');
      assert.equal(made.settingsFor('openai')?.apiKey, 'sk-stored');
      assert.equal(made.status('anthropic')?.keySource, 'environment');
      assert.equal(made.settingsFor('anthropic')?.apiKey, 'test-anthropic-env');
    });

    it('says which variable to set when a hosted provider has no key', async () => {
      const made = await registry({});
      for (const [id, variable] of [
        ['openai', 'OPENAI_API_KEY'],
        ['anthropic', 'ANTHROPIC_API_KEY'],
      ] as const) {
        const status = made.status(id);
        assert.equal(status?.usable, false);
        assert.equal(status?.reason, `no ${id} API key: set ${variable}`, 'no key store (the CLI): nothing to store a key in');
      }
      assert.equal(made.anyUsable(), false);
      const withStore = await registry({}, {}, keyStore({}));
      assert.equal(withStore.status('openai')?.reason, 'no openai API key: set OPENAI_API_KEY or store one with "Switchboard: Set OpenAI API Key"');
    });

    it('needs no key for a local server', async () => {
      const made = await registry({
        providers: { openai: { baseUrl: 'http://localhost:11434/v1' }, anthropic: { baseUrl: 'http://127.0.0.1:8080' } },
      });
      assert.deepEqual(made.status('openai'), { id: 'openai', kind: 'openai', usable: true, keySource: 'not needed' });
      assert.equal(made.status('anthropic')?.keySource, 'not needed');
      assert.equal(made.anyUsable(), true);
    });

    it('needs no key for a server on the local network, a VPN address or a container host name, but does for a public one', async () => {
      const selfHosted = {
        lan: 'http://192.168.1.20:8000/v1',
        office: 'http://10.20.0.7:11434/v1',
        docker: 'http://172.17.0.1:11434/v1',
        tailscale: 'http://100.101.102.103:11434/v1',
        compose: 'http://ollama:11434/v1',
        dockerHost: 'http://host.docker.internal:11434/v1',
        mdns: 'http://studio.local:1234/v1',
        ula: 'http://[fd12:3456::1]:8000/v1',
      };
      const hosted = { publicIp: 'http://203.0.113.5:8000/v1', outside172: 'http://172.32.0.1:8000/v1', named: 'https://llm.example.com/v1', lookalike: 'http://10.0.0.5.example.com/v1' };
      const custom = Object.fromEntries(Object.entries({ ...selfHosted, ...hosted }).map(([id, baseUrl]) => [id, { type: 'openai', baseUrl }]));
      const made = await registry({ providers: { openai: { baseUrl: selfHosted.lan }, custom } });
      assert.equal(made.status('openai')?.keySource, 'not needed', 'the built-in provider at a LAN server');
      for (const id of Object.keys(selfHosted)) assert.deepEqual([id, made.status(id)?.keySource], [id, 'not needed']);
      for (const id of Object.keys(hosted)) assert.deepEqual([id, made.status(id)?.usable], [id, false]);
    });

    it('reads a custom provider key from its own variable and carries its fill-in-the-middle flag', async () => {
      const raw = {
        providers: {
          custom: {
            openrouter: { type: 'openai', baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' },
            ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1', fim: true },
            proxy: { type: 'anthropic', baseUrl: 'https://llm.example.com' },
          },
        },
      };
      const without = await registry(raw);
      assert.equal(without.status('openrouter')?.usable, false);
      assert.match(without.status('openrouter')?.reason ?? '', /OPENROUTER_API_KEY/);
      assert.equal(without.status('ollama')?.usable, true);
      assert.equal(without.settingsFor('ollama')?.fim, true);
      assert.equal(without.status('proxy')?.usable, false);
      assert.equal(without.status('proxy')?.kind, 'anthropic');
      assert.equal(
        without.status('proxy')?.reason,
        'no proxy API key: set providers.custom["proxy"].apiKeyEnv to the environment variable that holds it',
        'a hosted custom provider says where its key is named',
      );

      const withKey = await registry(raw, { OPENROUTER_API_KEY: 'sk-or-1' });
      assert.equal(withKey.status('openrouter')?.keySource, 'environment');
      assert.equal(withKey.settingsFor('openrouter')?.apiKey, 'sk-or-1');
      assert.deepEqual(
        withKey.allStatuses().map((status) => status.id),
        ['openai', 'anthropic', 'openrouter', 'ollama', 'proxy', 'bedrock'],
      );
    });

    it('counts any source the AWS credential chain could use for Bedrock', async () => {
      const none = await registry({});
      assert.equal(none.status('bedrock')?.usable, false);
      assert.match(none.status('bedrock')?.reason ?? '', /AWS_PROFILE|AWS_ACCESS_KEY_ID/);

      assert.equal((await registry({}, { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' })).status('bedrock')?.usable, true);
      assert.equal((await registry({}, { AWS_ACCESS_KEY_ID: 'x' })).status('bedrock')?.usable, false, 'a key id alone is not enough');
      assert.equal((await registry({}, { AWS_PROFILE: 'dev' })).status('bedrock')?.usable, true);
      assert.equal((await registry({ providers: { bedrock: { profile: 'work' } } })).status('bedrock')?.usable, true);

      await writeFile(path.join(awsDir, 'config'), '[profile sso]\nsso_session = corp\n');
      try {
        assert.equal((await registry({})).status('bedrock')?.usable, true);
      } finally {
        await rm(path.join(awsDir, 'config'));
      }
    });

    it('finds a shared file named from the home folder (`~/…`) where the AWS SDK reads it, in HOME', async () => {
      await writeFile(path.join(awsDir, 'work.config'), '[profile sso]\nsso_session = corp\n');
      try {
        assert.equal((await registry({}, { HOME: awsDir, AWS_CONFIG_FILE: '~/work.config' })).status('bedrock')?.usable, true);
      } finally {
        await rm(path.join(awsDir, 'work.config'));
      }
    });

    it('reads the shared AWS files once per configure, though its region, endpoint and credential source all come from them', async () => {
      // A config file large enough that reading it again would show plainly in the bytes this process reads.
      const config = path.join(awsDir, 'config');
      const padding = `# ${'x'.repeat(1021)}\n`.repeat(2048);
      await writeFile(config, `[default]\nregion = eu-west-2\nendpoint_url = http://127.0.0.1:9\nsso_session = corp\n${padding}`);
      try {
        const size = (await stat(config)).size;
        const before = bytesReadByThisProcess();
        const made = await registry({});
        const read = bytesReadByThisProcess() - before;
        // Every lookup found what the file says: it was read, and the one reading served all three.
        assert.deepEqual(made.profileRegion(), { value: 'eu-west-2', from: `region of profile "default" in ${config}` });
        assert.equal(made.settingsFor('bedrock')?.address?.from, `endpoint_url of profile "default" in ${config}`);
        assert.equal(made.settingsFor('bedrock')?.credentialSource, 'the SSO sign-in of profile "default"');
        assert.ok(read >= size && read < size * 1.5, `read ${read} bytes for a config file of ${size}`);
      } finally {
        await rm(config);
      }
    });

    it('says what to do without AWS credentials in the words of where it is read: the environment first, then the CLI\'s --config key or the editor\'s setting', async () => {
      // The CLI has no key store: its registry is built without one.
      const cli = (await registry({})).status('bedrock')?.reason ?? '';
      assert.equal(cli, 'no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; run "aws sso login" for SSO; or set providers.bedrock.profile in a --config file');
      const editor = (await registry({}, {}, keyStore({}))).status('bedrock')?.reason ?? '';
      assert.equal(editor, 'no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; run "aws sso login" for SSO; or set switchboard.providers.bedrock.profile in your settings');
    });

    it('passes Bedrock region, endpoint and profile on to the adapter settings', async () => {
      const made = await registry(
        { providers: { bedrock: { region: 'eu-west-1', endpoint: 'https://vpce.example.com', profile: 'work' } } },
      );
      assert.deepEqual(made.settingsFor('bedrock'), {
        id: 'bedrock',
        kind: 'bedrock',
        region: 'eu-west-1',
        endpoint: 'https://vpce.example.com',
        profile: 'work',
        // Named when a request's wait for credentials outlasts its first-token limit (bedrockCredentialWait.test.ts).
        credentialSource: 'profile "work" (providers.bedrock.profile in a --config file)',
        // Named when it cannot be reached (bedrockUnreachable.test.ts).
        address: { url: 'https://vpce.example.com', from: 'switchboard.providers.bedrock.endpoint' },
      });
    });

    it('takes the Bedrock region from the setting, else from the environment it was given, else us-east-1', async () => {
      const region = async (raw: Record<string, unknown>, env: Record<string, string>) => (await registry(raw, env)).settingsFor('bedrock')?.region;
      assert.equal(await region({}, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-north-1' }), 'ap-south-1');
      assert.equal(await region({}, { AWS_DEFAULT_REGION: 'eu-north-1' }), 'eu-north-1');
      assert.equal(await region({ providers: { bedrock: { region: 'eu-west-1' } } }, { AWS_REGION: 'ap-south-1' }), 'eu-west-1');
      const saved = process.env.AWS_REGION;
      process.env.AWS_REGION = 'sa-east-1';
      try {
        assert.equal(await region({}, {}), 'us-east-1', 'the process environment is not the one the registry was given');
      } finally {
        if (saved === undefined) delete process.env.AWS_REGION;
        else process.env.AWS_REGION = saved;
      }
    });
  });

  describe('adapters', () => {
    it('builds an adapter on first use that streams from the configured server', async () => {
      const made = await registry({ providers: { openai: { baseUrl: `${first.url}/v1` } } }, { OPENAI_API_KEY: 'sk-test-key-1' });
      first.script({ text: 'Hello from the first server.' });

      const adapter = await made.adapter('openai');
      const result = await collectStream(adapter.stream('gpt-5.4-nano', REQUEST, new AbortController().signal));

      assert.equal(result.text, 'Hello from the first server.');
      assert.equal(first.requests[0]?.headers.authorization, 'Bearer sk-test-key-1');
      assert.equal(await made.adapter('openai'), adapter, 'the SDK client is built once');
    });

    it('keeps headers other tools set in OPENAI_CUSTOM_HEADERS and ANTHROPIC_CUSTOM_HEADERS from reaching any provider', async () => {
      // The SDKs read these from process.env themselves; the registry is given the same variables.
      const vars = { OPENAI_CUSTOM_HEADERS: 'X-Gateway-Auth: gw-secret\nX-Team: core', ANTHROPIC_CUSTOM_HEADERS: 'X-Corp-Auth: corp-secret' };
      const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
      Object.assign(process.env, vars);
      const anthropic = await startFakeAnthropic();
      try {
        const made = await registry(
          { providers: { custom: { router: { type: 'openai', baseUrl: `${first.url}/v1` }, proxy: { type: 'anthropic', baseUrl: anthropic.url } } } },
          vars,
        );
        for (const id of ['router', 'proxy']) {
          const result = await collectStream((await made.adapter(id)).stream('some-model', REQUEST, new AbortController().signal));
          assert.equal(result.error, undefined);
        }
        const headers = [first.requests[0]?.headers, anthropic.requests[0]?.headers];
        for (const sent of headers) {
          assert.ok(sent, 'each server was asked');
          for (const name of ['x-gateway-auth', 'x-team', 'x-corp-auth']) assert.equal(sent[name], undefined, name);
        }
      } finally {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
        await anthropic.close();
      }
    });

    it('refuses a custom provider id every JavaScript object already has, which the key rules looked up as a built-in provider', async () => {
      const secret = fakeKeys.awsSecretAccessKey('proto-id');
      for (const id of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
        const raw = JSON.parse(`{"providers": {"custom": {"${id}": {"type": "openai", "baseUrl": "${first.url}/v1", "apiKeyEnv": "AWS_SECRET_ACCESS_KEY"}}}}`) as Record<string, unknown>;
        const { config: resolved, problems } = resolveConfig(raw);
        assert.deepEqual(problems.map((problem) => `${problem.key}: ${problem.message}`), [`switchboard.providers.custom.${id}: "${id}" is a name every JavaScript object already has; pick another id; ignored`]);
        assert.deepEqual(Object.keys(resolved.providers.custom), []);
        // A configuration made in code, not read from settings: the tables the key rules read have no such entries.
        const made = new ProviderRegistry(env({ AWS_SECRET_ACCESS_KEY: secret }));
        await made.configure({ ...resolved, providers: { ...resolved.providers, custom: Object.fromEntries([[id, { type: 'openai', baseUrl: `${first.url}/v1`, apiKeyEnv: 'AWS_SECRET_ACCESS_KEY' }]]) } });
        assert.equal(made.status(id)?.usable, false, id);
        assert.match(made.status(id)?.reason ?? '', /names AWS_SECRET_ACCESS_KEY, a credential that is never an API key for a model server/);
        assert.equal(made.settingsFor(id)?.apiKey, undefined, id);
      }
      assert.equal(first.requests.length, 0);
    });

    it('never sends OPENAI_ADMIN_KEY, which the OpenAI SDK reads itself and would put in place of the key, to any server', async () => {
      // An organisation admin key, set for other tools: the SDK's admin auth would overwrite the Authorization header.
      const adminKey = fakeKeys.openai('adminkey');
      const saved = process.env.OPENAI_ADMIN_KEY;
      process.env.OPENAI_ADMIN_KEY = adminKey;
      try {
        const made = await registry(
          { providers: { openai: { baseUrl: `${first.url}/v1` }, custom: { lan: { type: 'openai', baseUrl: `${second.url}/v1` } } } },
          { OPENAI_API_KEY: 'sk-test-key-1', OPENAI_ADMIN_KEY: adminKey },
        );
        for (const id of ['openai', 'lan']) {
          const result = await collectStream((await made.adapter(id)).stream('gpt-5.4-nano', REQUEST, new AbortController().signal));
          assert.equal(result.error, undefined, id);
        }
        assert.equal(first.requests[0]?.headers.authorization, 'Bearer sk-test-key-1', 'the OpenAI key, not the admin key');
        assert.equal(second.requests[0]?.headers.authorization, 'Bearer not-needed', 'a server given no key gets none of the environment\'s');
        const everything = JSON.stringify([...first.requests, ...second.requests]);
        assert.ok(!everything.includes(adminKey), 'the admin key reached a server');
      } finally {
        if (saved === undefined) delete process.env.OPENAI_ADMIN_KEY;
        else process.env.OPENAI_ADMIN_KEY = saved;
      }
    });

    it('keeps an adapter whose settings did not change, and rebuilds one whose settings did', async () => {
      const made = new ProviderRegistry(env({ OPENAI_API_KEY: 'sk-test-key-1' }));
      await made.configure(config({ providers: { openai: { baseUrl: `${first.url}/v1` } } }));
      const original = await made.adapter('openai');

      await made.configure(config({ providers: { openai: { baseUrl: `${first.url}/v1` } }, budget: { dailyUsd: 3 } }));
      assert.equal(await made.adapter('openai'), original);

      await made.configure(config({ providers: { openai: { baseUrl: `${second.url}/v1` } } }));
      const moved = await made.adapter('openai');
      assert.notEqual(moved, original);
      await collectStream(moved.stream('gpt-5.4-nano', REQUEST, new AbortController().signal));
      assert.equal(first.requests.length, 0);
      assert.equal(second.requests.length, 1, 'the new base URL took effect without a restart');
    });

    it('rebuilds an adapter when its key changes', async () => {
      const keys: Record<string, string> = { openai: 'sk-first-key-0001' };
      const made = new ProviderRegistry(env(), keyStore(keys));
      await made.configure(config({ providers: { openai: { baseUrl: `${first.url}/v1` } } }));
      await collectStream((await made.adapter('openai')).stream('gpt-5.4-nano', REQUEST, new AbortController().signal));

      keys.openai = 'sk-second-key-0002';
      await made.configure(config({ providers: { openai: { baseUrl: `${first.url}/v1` } } }));
      await collectStream((await made.adapter('openai')).stream('gpt-5.4-nano', REQUEST, new AbortController().signal));

      assert.deepEqual(
        first.requests.map((request) => request.headers.authorization),
        ['Bearer sk-first-key-0001', 'Bearer sk-second-key-0002'],
      );
    });

    it('refuses a provider that is not configured, including a custom one since removed', async () => {
      const made = new ProviderRegistry(env());
      await made.configure(config({ providers: { custom: { ollama: { type: 'openai', baseUrl: `${first.url}/v1` } } } }));
      await made.adapter('ollama');

      await made.configure(config({}));
      await assert.rejects(made.adapter('ollama'), /unknown provider "ollama"/);
      await assert.rejects(made.adapter('mistral'), /unknown provider "mistral"/);
      assert.equal(made.status('ollama'), undefined);
    });
  });
});
