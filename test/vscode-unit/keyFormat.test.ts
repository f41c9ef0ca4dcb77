import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { keyInputPrompt, keyProblem, keyWarning } from '../../src/vscode/keyFormat';
import { fakeKeys } from '../fakes/fakeKeys';

// Key-shaped, assembled at run time: no key-like literal in the repository.
const OPENAI = fakeKeys.openai('format');
const ANTHROPIC = fakeKeys.anthropic('format');

describe('Set API Key: what a pasted key is checked for', () => {
  it('takes a key as the providers issue it, and one of another OpenAI-compatible server', () => {
    for (const key of [OPENAI, ANTHROPIC, 'sk-or-v1-0123456789abcdef', 'gsk_0123456789abcdef', '0123456789abcdef0123456789abcdef', 'c2VjcmV0LWtleQ==']) {
      assert.equal(keyProblem(key), undefined, key);
    }
  });

  it('refuses a line copied from a .env file or a shell profile, naming what to leave out', () => {
    assert.equal(keyProblem(`OPENAI_API_KEY=${OPENAI}`), 'Paste only the key, without "OPENAI_API_KEY="');
    assert.equal(keyProblem(`export ANTHROPIC_API_KEY=${ANTHROPIC}`), 'Paste only the key, without "ANTHROPIC_API_KEY="');
    assert.equal(keyProblem(`"${OPENAI}"`), 'Paste the key without the quotes around it');
    assert.equal(keyProblem(`'${ANTHROPIC}'`), 'Paste the key without the quotes around it');
  });

  it('refuses a key pasted across lines', () => {
    assert.match(keyProblem(`${OPENAI.slice(0, 20)}\n${OPENAI.slice(20)}`)!, /no spaces or line breaks inside it/);
  });

  it("warns, without refusing, about a key shaped like the other provider's", () => {
    assert.match(keyWarning('openai', ANTHROPIC)!, /looks like an Anthropic key \(sk-ant-…\): store it with Set Anthropic API Key/);
    assert.match(keyWarning('anthropic', OPENAI)!, /looks like an OpenAI key \(Anthropic keys start with sk-ant-\): store it with Set OpenAI API Key/);
    assert.equal(keyWarning('openai', OPENAI), undefined);
    assert.equal(keyWarning('anthropic', ANTHROPIC), undefined);
    // OpenRouter's keys and others go in the OpenAI box and say nothing in either.
    assert.equal(keyWarning('openai', 'sk-or-v1-0123456789abcdef'), undefined);
    assert.equal(keyWarning('anthropic', 'sk-or-v1-0123456789abcdef'), undefined);
  });
});

describe('Set API Key: what the key input box says', () => {
  it('says a stored key is used instead of the environment variable, as the providers do', async () => {
    const registry = new ProviderRegistry({ OPENAI_API_KEY: OPENAI }, { get: async (id) => (id === 'openai' ? fakeKeys.openai('stored') : undefined) });
    await registry.configure(resolveConfig({}).config);
    assert.equal(registry.status('openai')?.keySource, 'stored', 'the stored key wins over OPENAI_API_KEY');
    assert.equal(keyInputPrompt('OPENAI_API_KEY'), "Stored in VS Code's secret storage, never in settings; used instead of OPENAI_API_KEY when that is set too.");
  });
});
