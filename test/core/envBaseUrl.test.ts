import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { withEnvBaseUrl } from '../../src/core/envBaseUrl';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { fakeKeys } from '../fakes/fakeKeys';

const KEY = fakeKeys.openai('env-base-url');

/** OPENAI_BASE_URL, read the same way by the CLI and the extension (src/core/envBaseUrl.ts). */
describe('OPENAI_BASE_URL', () => {
  const defaults = resolveConfig({}).config;

  it("is taken when Switchboard's own setting is empty, and says so", () => {
    const config = withEnvBaseUrl(defaults, { OPENAI_BASE_URL: ' http://localhost:11434/v1 ' });
    assert.equal(config.providers.openai.baseUrl, 'http://localhost:11434/v1');
    assert.equal(config.providers.openai.baseUrlFrom, 'OPENAI_BASE_URL');
    assert.equal(defaults.providers.openai.baseUrl, '', 'the config given is not changed');
  });

  it('comes after the setting, set or set wrong', () => {
    const set = resolveConfig({ providers: { openai: { baseUrl: 'http://gpu-box:8000/v1' } } }).config;
    assert.equal(withEnvBaseUrl(set, { OPENAI_BASE_URL: 'http://localhost:11434/v1' }), set);
    const wrong = resolveConfig({ providers: { openai: { baseUrl: 'gpu-box:8000' } } }, 'switchboard.').config;
    const kept = withEnvBaseUrl(wrong, { OPENAI_BASE_URL: 'http://localhost:11434/v1' });
    assert.equal(kept.providers.openai.invalidSetting, 'switchboard.providers.openai.baseUrl', 'the wrong setting is what to fix, not hidden by the variable');
  });

  it('leaves openai out, naming the variable and where to fix it, when it is not an http(s) URL', async () => {
    const config = withEnvBaseUrl(defaults, { OPENAI_BASE_URL: 'localhost:11434/v1' });
    assert.equal(config.providers.openai.invalidSetting, 'OPENAI_BASE_URL');
    const registry = new ProviderRegistry({ OPENAI_API_KEY: KEY });
    await registry.configure(config);
    assert.equal(registry.status('openai')?.usable, false, 'not sent to api.openai.com with the key');
    assert.deepEqual(registry.invalidSettingReasons(), [
      'OPENAI_BASE_URL is not an http(s) URL: nothing goes to openai until it is fixed (the environment variable: correct or unset it where it is exported; a Switchboard baseUrl setting comes first)',
    ]);
  });

  it('follows the key rule as the setting does: the key stays home for a server elsewhere', async () => {
    const registry = new ProviderRegistry({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://192.168.1.50:11434/v1' });
    await registry.configure(withEnvBaseUrl(defaults, { OPENAI_BASE_URL: 'http://192.168.1.50:11434/v1' }));
    assert.deepEqual(registry.status('openai'), { id: 'openai', kind: 'openai', usable: true, keySource: 'not needed', withheldKeyHost: '192.168.1.50' });
  });
});
