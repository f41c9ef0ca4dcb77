import assert from 'node:assert/strict';
import { runInProcess } from './inProcess';

/** What a new user meets first: `switchboard --help`, and a model typed as its provider's docs write it. */
describe('switchboard: the first hour', () => {
  it('--help starts with the first-time commands: init, then doctor and ask with the file init wrote', async () => {
    const help = await runInProcess(['--help']);
    assert.equal(help.code, 0);
    const [title, blank, ...rest] = help.stdout.split('\n');
    assert.deepEqual([title, blank], ['switchboard: routes AI requests to the model that fits, and says what they cost.', '']);
    // The paragraph after it, wrapped for the terminal.
    const first = rest.slice(0, rest.indexOf('')).join(' ');
    assert.equal(
      first,
      'First time: "switchboard init" writes ./switchboard.jsonc to edit (with --base-url URL, routed to a local server\'s models); ' +
        '"switchboard doctor --config switchboard.jsonc" then says what is set up, and "switchboard ask --config switchboard.jsonc PROMPT" asks.',
    );
  });

  it('--model with no provider names the provider whose model it is, when the price table knows it', async () => {
    const bare = await runInProcess(['ask', '--model', 'gpt-5.4', 'Hello']);
    assert.equal(bare.code, 2);
    assert.equal(bare.stderr, 'switchboard: --model "gpt-5.4" is not a model reference (did you mean openai:gpt-5.4? expected provider:model, e.g. anthropic:claude-haiku-4-5)\n');
    const unknown = await runInProcess(['ask', '--model', 'llama3.1', 'Hello']);
    assert.equal(unknown.stderr, 'switchboard: --model "llama3.1" is not a model reference (expected provider:model, e.g. anthropic:claude-haiku-4-5)\n');
  });
});
