import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { withEnvBaseUrl } from '../../src/core/envBaseUrl';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { inRemoteWindow } from '../../src/core/remoteWindow';
import { sandboxSimulated, SIMULATED_ENV } from '../../src/vscode/sandboxSimulation';
import { fakeKeys } from '../fakes/fakeKeys';

/** Loopback addresses as the sandbox writes them for its fakes (nothing listens: configure connects nowhere). */
const FAKES = {
  'providers.openai.baseUrl': 'http://127.0.0.1:41001/v1',
  'providers.anthropic.baseUrl': 'http://127.0.0.1:41002',
  'providers.bedrock.endpoint': 'http://127.0.0.1:41003',
};

/** What the window would decide: the real config and registry, in a remote window as a dev container is. */
async function decided(env: Record<string, string>, settings: Record<string, unknown>): Promise<boolean> {
  const registry = new ProviderRegistry(env);
  await registry.configure(inRemoteWindow(withEnvBaseUrl(resolveConfig(settings).config, env), 'dev-container'));
  return sandboxSimulated(env, registry);
}

describe('the "simulated, not billed" label (SWITCHBOARD_SIMULATED)', () => {
  it('holds in the sandbox: every provider it can use is a fake on this machine', async () => {
    assert.equal(await decided({ [SIMULATED_ENV]: '1', AWS_ACCESS_KEY_ID: 'simulated', AWS_SECRET_ACCESS_KEY: 'simulated' }, FAKES), true);
    // The sandbox's e2e: OpenAI and Anthropic on fakes with keys, no AWS credentials.
    const keys = { OPENAI_API_KEY: fakeKeys.openai('sandbox'), ANTHROPIC_API_KEY: fakeKeys.anthropic('sandbox') };
    assert.equal(await decided({ [SIMULATED_ENV]: '1', ...keys }, FAKES), true);
  });

  it("is refused when a dev container's environment sets the variable while the user's providers are the real, billed ones", async () => {
    // The user's OpenAI key at api.openai.com (their own settings), the variable from the repository's containerEnv:
    // before, every answer said "simulated, not billed" and the status bar "Simulated" while OpenAI billed it.
    const env = { [SIMULATED_ENV]: '1', OPENAI_API_KEY: fakeKeys.openai('real') };
    assert.equal(await decided(env, { 'providers.bedrock.endpoint': FAKES['providers.bedrock.endpoint'] }), false);
  });

  it('is refused while any usable provider answers away from this machine, even with the others on fakes', async () => {
    const anthropicAtHome = { [SIMULATED_ENV]: '1', ANTHROPIC_API_KEY: fakeKeys.anthropic('real') };
    assert.equal(await decided(anthropicAtHome, { ...FAKES, 'providers.anthropic.baseUrl': '' }), false);
    const bedrockAtAws = { [SIMULATED_ENV]: '1', AWS_ACCESS_KEY_ID: fakeKeys.awsAccessKeyId('real'), AWS_SECRET_ACCESS_KEY: fakeKeys.awsSecretAccessKey('real') };
    assert.equal(await decided(bedrockAtAws, { ...FAKES, 'providers.bedrock.endpoint': '' }), false);
    const lanServer = { [SIMULATED_ENV]: '1' };
    assert.equal(await decided(lanServer, { ...FAKES, 'providers.openai.baseUrl': 'http://gpu-box:11434/v1' }), false);
  });

  it('is off without the variable, and with no usable provider at all', async () => {
    assert.equal(await decided({ AWS_ACCESS_KEY_ID: 'simulated', AWS_SECRET_ACCESS_KEY: 'simulated' }, FAKES), false);
    // No key and every endpoint its cloud's: nothing usable (or, where this machine has ~/.aws, Bedrock at AWS).
    assert.equal(await decided({ [SIMULATED_ENV]: '1' }, {}), false);
  });
});
