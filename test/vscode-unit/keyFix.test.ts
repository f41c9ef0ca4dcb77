import assert from 'node:assert/strict';
import { SpendTracker } from '../../src/core/spendTracker';
import { noProviderPanelText, providerWayLabel, providerWays } from '../../src/shared/providerSetup';
import { failureActions, keyFixFor, keyFixLabel } from '../../src/vscode/keyFix';
import { statusView } from '../../src/vscode/statusModel';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import { routerHarness } from '../core/routerHarness';

const OPENAI_KEY = fakeKeys.openai('keyfix');
/** The fake on 127.0.0.1 written IPv6-mapped: a server on the network to the key rule (core/keyHost.ts). */
const HOST = '[::ffff:7f00:1]';

/**
 * After a key was kept back from its host, a failure offers allowing that host, never a new key (which would be
 * kept back too), in every surface that offers a way out: Ask and Plan's failure notification, the no-provider
 * notice (Ask and Plan's, the chat panel's) and the status bar. Real registry and router, real SDK, fake server.
 */
describe('the fix offered after a key was kept back', () => {
  const h = routerHarness('keyfix');
  const elsewhere = () => `${h.fakes.openai.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`;

  for (const status of [401, 403]) {
    it(`offers Allow for the host, not a new key, after a ${status} from a server that was not sent the key`, async () => {
      const harness = await h.open({ providers: { openai: { baseUrl: elsewhere() } }, routes: { chat: ['openai:llama3.1'] } }, { env: { OPENAI_API_KEY: OPENAI_KEY } });
      h.fakes.openai.script({ status });
      const result = await harness.run('chat');
      assert.equal(result.record.outcome, 'error');
      const registry = harness.switchboard.registry;

      const fix = keyFixFor(result, registry);
      assert.deepEqual(fix, { kind: 'allowHost', host: HOST });
      assert.equal(keyFixLabel(fix!), `Allow for ${HOST}`);

      const withheld = registry.withheldKeys();
      assert.deepEqual(withheld.map(({ provider, host }) => ({ provider, host })), [{ provider: 'openai', host: HOST }]);
      const hosts = withheld.map(({ host }) => host);
      assert.deepEqual(providerWays(registry.invalidSettingReasons(), hosts), ['allowKeyHost']);
      assert.equal(providerWayLabel('allowKeyHost', hosts), `Allow for ${HOST}`);
      assert.match(noProviderPanelText([], withheld.map(({ reason }) => reason)), /^Switchboard has no provider to ask: Switchboard did not send your OpenAI key to \[::ffff:7f00:1\]: /);

      const view = statusView({ simulated: false, anyUsableProvider: registry.anyUsable(), withheldKeys: withheld, today: new SpendTracker().today() });
      assert.equal(view.command, 'switchboard.allowKeyHost');
      assert.equal(view.text, '$(key) Switchboard: key kept back');
      assert.match(view.tooltip, /did not send your OpenAI key to \\\[::ffff:7f00:1\\\]/);
      assert.doesNotMatch(view.tooltip, /set an OpenAI or Anthropic key/);
    });
  }

  it('still offers a new key when the key itself was sent and refused', async () => {
    const harness = await h.open({ providers: { openai: { baseUrl: `${h.fakes.openai.url}/v1` } }, routes: { chat: ['openai:llama3.1'] } }, { env: { OPENAI_API_KEY: OPENAI_KEY } });
    h.fakes.openai.script({ status: 401 });
    const result = await harness.run('chat');
    assert.deepEqual(keyFixFor(result, harness.switchboard.registry), { kind: 'setKey' });
    assert.equal(keyFixLabel({ kind: 'setKey' }), 'Set API Key…');
    assert.deepEqual(harness.switchboard.registry.withheldKeys(), []);
    assert.deepEqual(providerWays([], []), ['setKey', 'localServer']);
    const view = statusView({ simulated: false, anyUsableProvider: harness.switchboard.registry.anyUsable(), today: new SpendTracker().today() });
    assert.equal(view.command, 'switchboard.setApiKey');
  });

  it('offers nothing for a key when the failure was not about one', async () => {
    const harness = await h.open({ providers: { openai: { baseUrl: `${h.fakes.openai.url}/v1` } }, routes: { chat: ['openai:llama3.1'] } }, { env: { OPENAI_API_KEY: OPENAI_KEY } });
    h.fakes.openai.script({ status: 500 });
    const result = await harness.run('chat');
    assert.equal(result.record.outcome, 'error');
    assert.equal(keyFixFor(result, harness.switchboard.registry), undefined);
  });

  for (const route of [['openai:llama3.1'], ['openai:llama3.1', 'anthropic:claude-sonnet-5']]) {
    it(`offers Check Setup first when the local server is down (route ${route.join(', ')})`, async () => {
      // A local server set as "Use a Local Server…" writes it, that is not running: no key needed, nothing listens.
      // With Anthropic in the route too (the defaults), it is skipped for want of a key: Set API Key… comes second.
      const harness = await h.open({ providers: { openai: { baseUrl: `http://127.0.0.1:${await closedPort()}/v1` } }, routes: { chat: route } }, { env: {} });
      const result = await harness.run('chat');
      assert.equal(result.record.outcome, 'error');
      assert.match(result.record.attempts?.find(({ skipped }) => !skipped)?.error ?? '', /could not be reached: connection refused/);
      const registry = harness.switchboard.registry;
      const fix = keyFixFor(result, registry);
      assert.deepEqual(failureActions(result, registry, fix), route.length === 1 ? ['Check Setup', 'Open Log'] : ['Check Setup', 'Set API Key…', 'Open Log']);
    });
  }

  it('offers only the key fix when the key itself was refused', async () => {
    const harness = await h.open({ providers: { openai: { baseUrl: `${h.fakes.openai.url}/v1` } }, routes: { chat: ['openai:llama3.1'] } }, { env: { OPENAI_API_KEY: OPENAI_KEY } });
    h.fakes.openai.script({ status: 401 });
    const result = await harness.run('chat');
    const registry = harness.switchboard.registry;
    assert.deepEqual(failureActions(result, registry, keyFixFor(result, registry)), ['Set API Key…', 'Open Log']);
  });
});
