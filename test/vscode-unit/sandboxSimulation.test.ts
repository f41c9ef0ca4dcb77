import assert from 'node:assert/strict';
import { resolveConfig, type SettingKey } from '../../src/core/config';
import { withEnvBaseUrl } from '../../src/core/envBaseUrl';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { inRemoteWindow } from '../../src/core/remoteWindow';
import { sandboxSimulated, SIMULATED_ENV } from '../../src/vscode/sandboxSimulation';
import { layeredSettings, type InspectedSetting } from '../../src/vscode/settingsPolicy';
import { fakeKeys } from '../fakes/fakeKeys';

/** Loopback addresses as the sandbox writes them for its fakes (nothing listens: configure connects nowhere). */
const FAKES = {
  'providers.openai.baseUrl': 'http://127.0.0.1:41001/v1',
  'providers.anthropic.baseUrl': 'http://127.0.0.1:41002',
  'providers.bedrock.endpoint': 'http://127.0.0.1:41003',
};
/** The mark the sandbox writes into its own profile's User settings (scripts/sandbox/simulated.mjs). */
const SANDBOX_PROFILE = { 'sandbox.simulated': true };

/**
 * What the window would decide: the real settings policy (each key from the layers it may come from), config and
 * registry, in a remote window (a dev container; the sandbox's serve-web workbench is one too). `user` is the
 * User settings layer (globalValue), `workspace` the workspace's own settings (workspaceValue).
 */
async function decided(env: Record<string, string>, user: Record<string, unknown>, workspace: Record<string, unknown> = {}): Promise<boolean> {
  const inspect = (key: SettingKey): InspectedSetting => ({ globalValue: user[key], workspaceValue: workspace[key] });
  const config = inRemoteWindow(withEnvBaseUrl(resolveConfig(layeredSettings(inspect, true).raw).config, env), 'dev-container');
  const registry = new ProviderRegistry(env);
  await registry.configure(config);
  return sandboxSimulated(env, registry, config);
}

describe('the "simulated, not billed" label (SWITCHBOARD_SIMULATED)', () => {
  it('holds in the sandbox: the variable, its profile\'s User setting, and every provider it can use a fake on this machine', async () => {
    assert.equal(await decided({ [SIMULATED_ENV]: '1', AWS_ACCESS_KEY_ID: 'simulated', AWS_SECRET_ACCESS_KEY: 'simulated' }, { ...FAKES, ...SANDBOX_PROFILE }), true);
    // The sandbox's e2e: OpenAI and Anthropic on fakes with keys, no AWS credentials.
    const keys = { OPENAI_API_KEY: fakeKeys.openai('sandbox'), ANTHROPIC_API_KEY: fakeKeys.anthropic('sandbox') };
    assert.equal(await decided({ [SIMULATED_ENV]: '1', ...keys }, { ...FAKES, ...SANDBOX_PROFILE }), true);
  });

  it("is refused in a dev container that sets the variable while the user's own loopback server is the container's", async () => {
    // The user's Ollama at localhost:11434 in their User settings follows them into the container, where that address
    // is the container's own: a proxy there can bill a real key. The repository's remoteEnv sets the variable; every
    // endpoint is loopback. Before, the answers read "simulated, not billed".
    const env = { [SIMULATED_ENV]: '1', OPENAI_API_KEY: fakeKeys.openai('real') };
    const usersOwn = { 'providers.openai.baseUrl': 'http://localhost:11434/v1', 'providers.anthropic.baseUrl': 'http://localhost:4000', 'providers.bedrock.endpoint': 'http://127.0.0.1:41003' };
    assert.equal(await decided(env, usersOwn), false);
    assert.equal(await decided(env, { ...usersOwn, ...SANDBOX_PROFILE }), true, 'the same in the sandbox\'s own profile');
  });

  it("takes the mark from the user's own User settings only: a workspace's value does not count", async () => {
    const env = { [SIMULATED_ENV]: '1', AWS_ACCESS_KEY_ID: 'simulated', AWS_SECRET_ACCESS_KEY: 'simulated' };
    assert.equal(await decided(env, FAKES, SANDBOX_PROFILE), false);
    // A workspace cannot take the sandbox's own mark away either: it is the user's.
    assert.equal(await decided(env, { ...FAKES, ...SANDBOX_PROFILE }, { 'sandbox.simulated': false }), true);
  });

  it("is refused when a dev container's environment sets the variable while the user's providers are the real, billed ones", async () => {
    // The user's OpenAI key at api.openai.com (their own settings), the variable from the repository's containerEnv:
    // before, every answer said "simulated, not billed" and the status bar "Simulated" while OpenAI billed it.
    const env = { [SIMULATED_ENV]: '1', OPENAI_API_KEY: fakeKeys.openai('real') };
    assert.equal(await decided(env, { 'providers.bedrock.endpoint': FAKES['providers.bedrock.endpoint'], ...SANDBOX_PROFILE }), false);
  });

  it('is refused while any usable provider answers away from this machine, even with the others on fakes', async () => {
    const anthropicAtHome = { [SIMULATED_ENV]: '1', ANTHROPIC_API_KEY: fakeKeys.anthropic('real') };
    assert.equal(await decided(anthropicAtHome, { ...FAKES, ...SANDBOX_PROFILE, 'providers.anthropic.baseUrl': '' }), false);
    const bedrockAtAws = { [SIMULATED_ENV]: '1', AWS_ACCESS_KEY_ID: fakeKeys.awsAccessKeyId('real'), AWS_SECRET_ACCESS_KEY: fakeKeys.awsSecretAccessKey('real') };
    assert.equal(await decided(bedrockAtAws, { ...FAKES, ...SANDBOX_PROFILE, 'providers.bedrock.endpoint': '' }), false);
    const lanServer = { [SIMULATED_ENV]: '1' };
    assert.equal(await decided(lanServer, { ...FAKES, ...SANDBOX_PROFILE, 'providers.openai.baseUrl': 'http://gpu-box:11434/v1' }), false);
  });

  it('is off without the variable, and with no usable provider at all', async () => {
    assert.equal(await decided({ AWS_ACCESS_KEY_ID: 'simulated', AWS_SECRET_ACCESS_KEY: 'simulated' }, { ...FAKES, ...SANDBOX_PROFILE }), false);
    // No key and every endpoint its cloud's: nothing usable (or, where this machine has ~/.aws, Bedrock at AWS).
    assert.equal(await decided({ [SIMULATED_ENV]: '1' }, SANDBOX_PROFILE), false);
  });
});
