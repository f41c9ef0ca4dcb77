import assert from 'node:assert/strict';
import { resolveConfig } from '../../../src/core/config';
import { inRemoteWindow } from '../../../src/core/remoteWindow';
import { LOCAL_SOURCE, OPENROUTER_FREE_SOURCE, PriceTable, priceTableFor } from '../../../src/core/prices/priceTable';

/** The price table as the settings make it: where each provider's server is decides what an unpriced model costs. */
function tableFor(raw: Record<string, unknown>, remoteName?: string): PriceTable {
  const { config, problems } = resolveConfig(raw);
  assert.deepEqual(problems, []);
  return priceTableFor(inRemoteWindow(config, remoteName));
}

const OLLAMA = { providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } } } };
const OPENROUTER = { providers: { custom: { openrouter: { type: 'openai', baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' } } } };

describe('prices by where a model is served', () => {
  describe('a server on this machine', () => {
    it('prices a model nobody priced at $0, as local, for a custom provider and for the openai provider pointed there', () => {
      const custom = tableFor(OLLAMA).lookup('ollama', 'llama3.1:8b');
      assert.deepEqual({ input: custom?.input, output: custom?.output, source: custom?.source }, { input: 0, output: 0, source: LOCAL_SOURCE });
      const builtIn = tableFor({ providers: { openai: { baseUrl: 'http://127.0.0.1:1234/v1' } } }).lookup('openai', 'qwen2.5-coder-7b');
      assert.equal(builtIn?.source, LOCAL_SOURCE);
    });

    it('takes the price the user set over local $0, and the shipped price of a vendor model a local proxy forwards', () => {
      const table = tableFor({ ...OLLAMA, prices: { 'ollama:llama3.1:8b': { input: 0.1, output: 0.2 } } });
      assert.deepEqual({ input: table.lookup('ollama', 'llama3.1:8b')?.input, source: table.lookup('ollama', 'llama3.1:8b')?.source }, { input: 0.1, source: 'user' });
      const proxied = tableFor({ providers: { openai: { baseUrl: 'http://localhost:4000/v1' } } }).lookup('openai', 'gpt-4o');
      assert.equal(proxied?.input, 2.5, 'gpt-4o through a proxy on this machine is still billed by OpenAI');
    });

    it('never prices LM Studio\'s `openai/gpt-oss-20b` as anything but local: the name is no OpenRouter name there', () => {
      const table = tableFor({ providers: { custom: { lmstudio: { type: 'openai', baseUrl: 'http://localhost:1234/v1' } } } });
      assert.equal(table.lookup('lmstudio', 'openai/gpt-oss-20b')?.source, LOCAL_SOURCE);
      assert.equal(table.lookup('lmstudio', 'openai/gpt-5.4-mini')?.source, LOCAL_SOURCE);
    });

    it('keeps a server across a network, a gateway on this machine and a remote window\'s loopback unpriced', () => {
      assert.equal(tableFor({ providers: { custom: { lan: { type: 'openai', baseUrl: 'http://192.168.1.20:11434/v1' } } } }).lookup('lan', 'llama3.1'), undefined);
      assert.equal(tableFor({ providers: { openai: { baseUrl: 'http://[::ffff:127.0.0.1]:11434/v1' } } }).lookup('openai', 'llama3.1'), undefined);
      assert.equal(tableFor({ providers: { custom: { litellm: { type: 'openai', baseUrl: 'http://localhost:4000/v1', gateway: 'litellm' } } } }).lookup('litellm', 'my-alias'), undefined);
      // In a dev container `localhost` is the container, which may run the repository's code.
      assert.equal(tableFor(OLLAMA, 'dev-container').lookup('ollama', 'llama3.1:8b'), undefined);
      assert.equal(tableFor({ providers: { openai: { baseUrl: 'http://localhost:11434/v1' } } }, 'ssh-remote').lookup('openai', 'llama3.1'), undefined);
    });

    it('leaves the plain table (no settings) as it was: no provider is local', () => {
      assert.equal(new PriceTable().lookup('ollama', 'llama3.1'), undefined);
    });
  });

  describe('OpenRouter', () => {
    const table = tableFor(OPENROUTER);

    it('prices `anthropic/…` and `openai/…` as the vendor\'s own model (OpenRouter bills the vendor\'s rates)', () => {
      const sonnet = table.lookup('openrouter', 'anthropic/claude-sonnet-4');
      const shipped = new PriceTable().lookup('anthropic', 'claude-sonnet-4-20250514');
      assert.ok(shipped);
      assert.deepEqual(sonnet, shipped, 'the snapshot OpenRouter names without its date');
      assert.deepEqual(table.lookup('openrouter', 'anthropic/claude-3.7-sonnet'), new PriceTable().lookup('anthropic', 'claude-3-7-sonnet-20250219'), 'a version written with a dot');
      assert.deepEqual(table.lookup('openrouter', 'anthropic/claude-sonnet-4.5'), new PriceTable().lookup('anthropic', 'claude-sonnet-4-5'));
      assert.deepEqual(table.lookup('openrouter', 'openai/gpt-5.4-mini'), new PriceTable().lookup('openai', 'gpt-5.4-mini'));
    });

    it('prices a `:free` variant at $0 and leaves other vendors, other variants and unknown names unpriced', () => {
      const free = table.lookup('openrouter', 'meta-llama/llama-3.3-70b-instruct:free');
      assert.deepEqual({ input: free?.input, output: free?.output, source: free?.source }, { input: 0, output: 0, source: OPENROUTER_FREE_SOURCE });
      assert.equal(table.lookup('openrouter', 'meta-llama/llama-3.3-70b-instruct'), undefined);
      assert.equal(table.lookup('openrouter', 'google/gemini-2.5-pro'), undefined);
      assert.equal(table.lookup('openrouter', 'openai/gpt-4o:online'), undefined, 'web search is billed on top');
      assert.equal(table.lookup('openrouter', 'openai/gpt-oss-20b'), undefined);
      assert.equal(table.lookup('openrouter', 'anthropic/claude-nonesuch-9'), undefined);
    });

    it('recognises OpenRouter by the host of the built-in openai provider\'s baseUrl too, and by no name alone', () => {
      assert.ok(tableFor({ providers: { openai: { baseUrl: 'https://openrouter.ai/api/v1', sendKeyTo: ['openrouter.ai'] } } }).lookup('openai', 'anthropic/claude-sonnet-4'));
      const elsewhere = tableFor({ providers: { custom: { openrouter: { type: 'openai', baseUrl: 'https://gateway.example.com/v1' } } } });
      assert.equal(elsewhere.lookup('openrouter', 'anthropic/claude-sonnet-4'), undefined, 'a provider called openrouter at another host');
    });

    it('recognises a custom provider set as `gateway: "openrouter"` at another host (a relay in front of it), not as local', () => {
      const relay = tableFor({ providers: { custom: { relay: { type: 'openai', baseUrl: 'http://localhost:8080/v1', gateway: 'openrouter' } } } });
      assert.deepEqual(relay.lookup('relay', 'anthropic/claude-sonnet-4'), new PriceTable().lookup('anthropic', 'claude-sonnet-4-20250514'));
      assert.equal(relay.lookup('relay', 'meta-llama/llama-3.3-70b-instruct'), undefined, 'unpriced, not local $0');
      assert.equal(relay.isLocal('relay'), false);
    });

    it('takes a price the user set for an OpenRouter name over the vendor\'s', () => {
      const priced = tableFor({ ...OPENROUTER, prices: { 'openrouter:anthropic/claude-sonnet-4': { input: 4, output: 16 } } });
      assert.equal(priced.lookup('openrouter', 'anthropic/claude-sonnet-4')?.input, 4);
    });
  });
});
