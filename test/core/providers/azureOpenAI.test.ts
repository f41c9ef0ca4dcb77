/**
 * An Azure OpenAI resource as users paste it (core/azureDeploymentUrl.ts), against the fake speaking Azure's way
 * (serverQuirks.ts, azureRoute) through the real OpenAI SDK: the classic deployment URL fails even with the right key
 * (the SDK sends it as a bearer token), so the setting is refused with the v1 address to write; that address, a
 * query on it kept as the query, works.
 */
import assert from 'node:assert/strict';
import { describeProblem, resolveConfig } from '../../../src/core/config';
import { withEnvBaseUrl } from '../../../src/core/envBaseUrl';
import { ProviderRegistry } from '../../../src/core/providerRegistry';
import { createOpenAIProvider } from '../../../src/core/providers/openai';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ModelRequest } from '../../../src/core/types';
import { collectStream } from '../../fakes/collectStream';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';

const AZURE_KEY = 'azure-resource-key-0123456789abcdef';
const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'Name a sort.' }], maxTokens: 64 };
const PORTAL_URL = 'https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini?api-version=2024-10-21';
const ADVICE =
  'is an Azure OpenAI deployment\'s URL, which answers every model with deployment "gpt-4o-mini" and takes no key as the OpenAI SDK sends it: write Azure\'s v1 address "https://contoso.openai.azure.com/openai/v1" and name the deployment as the model ("openai:gpt-4o-mini")';

describe('Azure OpenAI as a baseUrl', () => {
  let fake: FakeServer;
  before(async () => (fake = await startFakeOpenAI({ azure: true, apiKey: AZURE_KEY, models: ['gpt-4o-mini'] })));
  after(() => fake.close());
  beforeEach(() => fake.reset());

  it('a deployment URL, as the portal shows it, is refused by Azure even with the right key: the SDK sends it as a bearer token', async () => {
    const provider = createOpenAIProvider({ id: 'openai', kind: 'openai', baseUrl: `${fake.url}/openai/deployments/gpt-4o-mini?api-version=2024-10-21`, apiKey: AZURE_KEY });
    const result = await collectStream(provider.stream('gpt-4o-mini', REQUEST, new AbortController().signal));
    assert.equal((result.error as ProviderError).kind, 'auth', String(result.error));
    // The SDK put its path before the query and kept the query: the path is right, the key's header is not.
    assert.equal(fake.requests[0]?.path, '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21');
  });

  it('so the setting is refused, naming it and the v1 address and model to write; nothing goes to openai', async () => {
    const { config, problems } = resolveConfig({ providers: { openai: { baseUrl: PORTAL_URL } } });
    assert.deepEqual(problems.map(describeProblem), [`switchboard.providers.openai.baseUrl: ${ADVICE}; no openai requests are made until it is fixed`]);
    const registry = new ProviderRegistry({ OPENAI_API_KEY: AZURE_KEY });
    await registry.configure(config);
    assert.equal(registry.status('openai')?.usable, false);
    assert.deepEqual(registry.invalidSettingReasons(), [`switchboard.providers.openai.baseUrl ${ADVICE}: nothing goes to openai until it is fixed`]);
  });

  it('the same in OPENAI_BASE_URL and in a custom provider, whose id the model takes', async () => {
    const fromEnv = withEnvBaseUrl(resolveConfig({}).config, { OPENAI_BASE_URL: PORTAL_URL }, () => 'use');
    assert.equal(fromEnv.providers.openai.invalidSetting, 'OPENAI_BASE_URL');
    const registry = new ProviderRegistry({});
    await registry.configure(fromEnv);
    assert.match(registry.status('openai')?.reason ?? '', /^OPENAI_BASE_URL is an Azure OpenAI deployment's URL.*"https:\/\/contoso\.openai\.azure\.com\/openai\/v1"/);
    const custom = resolveConfig({ providers: { custom: { azure: { type: 'openai', baseUrl: `${PORTAL_URL.replace('?', '/chat/completions?')}`, apiKeyEnv: 'AZURE_OPENAI_API_KEY' } } } });
    assert.deepEqual(custom.config.providers.custom, {});
    assert.match(custom.problems.map(describeProblem).join('\n'), /providers\.custom\.azure\.baseUrl: is an Azure OpenAI deployment's URL.*\("azure:gpt-4o-mini"\); provider ignored/);
  });

  it("Azure's v1 address works through the SDK: its key as a bearer token, the deployment as the model, a query kept after the path", async () => {
    const provider = createOpenAIProvider({ id: 'azure', kind: 'openai', baseUrl: `${fake.url}/openai/v1?api-version=preview`, apiKey: AZURE_KEY });
    const result = await collectStream(provider.stream('gpt-4o-mini', REQUEST, new AbortController().signal));
    assert.equal(result.error, undefined, String(result.error));
    assert.ok(result.text.length > 0);
    assert.equal(fake.requests[0]?.path, '/openai/v1/chat/completions?api-version=preview');
    const listed = await provider.check!(new AbortController().signal);
    assert.deepEqual(listed.models, ['gpt-4o-mini']);
    assert.equal(fake.requests[1]?.path, '/openai/v1/models?api-version=preview');
    assert.deepEqual(resolveConfig({ providers: { openai: { baseUrl: 'https://contoso.openai.azure.com/openai/v1' } } }).problems, []);
  });
});
