import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../src/core/config';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { inRemoteWindow } from '../../src/core/remoteWindow';
import { checkSetup, setupReportLines } from '../../src/core/setupCheck';
import { fakeKeys } from '../fakes/fakeKeys';
import { presentedKey } from '../fakes/httpFake';
import { startFakeOpenAI } from '../fakes/openaiFake';
import type { FakeServer } from '../fakes/fakeServer';

/**
 * The setup report of a first run with no provider at all: the default routes name nine models on three providers,
 * and the section listing each route entry that is out says each provider's reason once, with its entries under it.
 */
describe('the setup report with no provider set up', () => {
  it('says each provider\'s reason once and lists the route entries it takes out under it', async () => {
    const home = path.join(tmpdir(), 'switchboard-no-such-home');
    // No key in the environment and no AWS files: nothing is usable, and nothing is asked.
    const env = { HOME: home, AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'), AWS_EC2_METADATA_DISABLED: 'true' };
    const { config, problems } = resolveConfig({});
    assert.deepEqual(problems, []);
    const registry = new ProviderRegistry(env);
    await registry.configure(config);
    try {
      const report = await checkSetup({ config, registry, env, settingName: (key) => `switchboard.${key}` });
      assert.equal(report.routes.length, 9, 'the nine entries of the default routes are all out');
      const lines = setupReportLines(report);
      const section = lines.slice(lines.indexOf('routes naming a provider that cannot answer:') + 1);
      const reasons = section.filter((line) => /^ {2}\S/.test(line));
      assert.deepEqual(reasons.map((line) => line.trim().split(' ')[0]).sort(), ['anthropic', 'bedrock', 'openai'], 'one reason per provider');
      assert.equal(section.join('\n').match(/no anthropic API key/g)?.length, 1, section.join('\n'));
      const anthropic = section.indexOf(reasons.find((line) => line.startsWith('  anthropic cannot be used: no anthropic API key'))!);
      const under = section.slice(anthropic + 1).filter((_, at, rest) => rest.slice(0, at + 1).every((line) => line.startsWith('    ')));
      assert.deepEqual(under.map((line) => line.trim().split(':')[0]).sort(), ['chat', 'completion', 'plan']);
      for (const line of under) assert.match(line, /^ {4}(chat|completion|plan): anthropic:[^,:]+(, anthropic:[^,:]+)*$/);
      // Every one of the nine entries is still named, once.
      const named = section.filter((line) => line.startsWith('    ')).flatMap((line) => line.slice(line.indexOf(': ') + 2).split(', '));
      assert.equal(named.length, 9, section.join('\n'));
    } finally {
      registry.dispose();
    }
  });
});

/**
 * Check Setup in a remote window, whose loopback is not the user's machine: the OpenAI key is kept from a server
 * there until the user allows its host, and the server, which wants a key, refuses the check. Its answers line must
 * not say the provider "rejected its API key": none was sent, and a new key would be kept back too.
 */
describe('the setup report of a server the key was kept from', () => {
  let server: FakeServer;
  const key = fakeKeys.openai(`withheld${process.pid}`);

  before(async () => {
    server = await startFakeOpenAI({ apiKey: key });
  });
  after(() => server.close());

  it('says the server answered 401 without the key, which was not sent, and how to allow its host', async () => {
    const env = { OPENAI_API_KEY: key };
    const { config, problems } = resolveConfig({ providers: { openai: { baseUrl: `${server.url}/v1` } } }, '');
    assert.deepEqual(problems, []);
    const registry = new ProviderRegistry(env, { get: async () => undefined });
    await registry.configure(inRemoteWindow(config, 'ssh-remote'));
    try {
      const report = await checkSetup({ config, registry, env, settingName: (name) => `switchboard.${name}` });
      const openai = report.providers.find((check) => check.id === 'openai')!;
      assert.ok(server.requests.length > 0, 'the server was asked');
      for (const request of server.requests) assert.notEqual(presentedKey(request), key, 'the key was kept from the remote loopback');
      assert.equal(openai.answer.state, 'failed');
      const lines = setupReportLines(report);
      const answers = lines.find((line) => line.startsWith('  answers:') && line.includes('openai '))!;
      assert.ok(answers, lines.join('\n'));
      assert.doesNotMatch(answers, /rejected its API key/);
      assert.match(answers, /^ {2}answers: {5}no: openai answered 401 without the key, which was not sent: Switchboard did not send your OpenAI key to 127\.0\.0\.1: it goes only to api\.openai\.com unless you allow that host; run "Switchboard: Allow Key for Host…" or add "127\.0\.0\.1" to switchboard\.providers\.openai\.sendKeyTo in your User settings \(\d+ ms\)$/);
    } finally {
      await registry.dispose();
    }
  });
});
