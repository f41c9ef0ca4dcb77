import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/** The keys of `complete --json`, as README.md documents them. */
const KEYS = ['attempts', 'budgetAction', 'costSource', 'costUsd', 'error', 'firstTokenMs', 'latencyMs', 'model', 'notSent', 'outcome', 'provider', 'requestedModel', 'routing', 'task', 'text', 'usage', 'usageEstimated'];

describe('switchboard complete --json', function () {
  this.timeout(20_000);
  let openai: FakeServer;
  let config: string;
  let file: string;

  useTempFolder('complete-json');
  before(async () => {
    openai = await startFakeOpenAI();
    config = path.join(dir, 'switchboard.json');
    await writeFile(config, JSON.stringify({ providers: { openai: { baseUrl: `${openai.url}/v1` } }, routes: { completion: ['openai:qwen2.5-coder'] } }));
    file = path.join(dir, 'sum.ts');
    await writeFile(file, 'function total(items) {\n  return \n}\nconst counter = 1;\n');
  });
  after(async () => {
    await openai.close();
  });

  const complete = (line: number, column: number) =>
    runInProcess(['complete', '--config', config, '--ledger', path.join(dir, 'ledger.jsonl'), '--file', file, '--line', String(line), '--column', String(column), '--json'], { env: { HOME: dir } });

  it('ends the completion with one line end, on a terminal or piped, as git and jq -r do; --json keeps the exact text', async () => {
    openai.scriptModel('qwen2.5-coder', { text: 'items.length;' });
    const args = ['complete', '--config', config, '--ledger', path.join(dir, 'ledger.jsonl'), '--file', file, '--line', '2', '--column', '10'];
    const terminal = await runInProcess(args, { env: { HOME: dir }, stdoutIsTTY: true });
    const piped = await runInProcess(args, { env: { HOME: dir } });
    const json = await runInProcess([...args, '--json'], { env: { HOME: dir } });
    assert.deepEqual([terminal.code, terminal.stdout], [0, 'items.length;\n'], terminal.stderr);
    // Piped too: `| wc -l` counts the line and `| while read line` reads it, which a text with no line end is not.
    assert.deepEqual([piped.code, piped.stdout], [0, 'items.length;\n'], piped.stderr);
    assert.equal((JSON.parse(json.stdout) as { text: string }).text, 'items.length;', 'the exact text, no line end added');
  });

  it('ends a completion of several lines with one line end, and prints nothing when there is no completion', async () => {
    openai.scriptModel('qwen2.5-coder', { text: 'items.length;\n  // counted\n' });
    const block = path.join(dir, 'empty-body.ts');
    await writeFile(block, 'function total(items) {\n  \n}\n');
    const args = ['complete', '--config', config, '--ledger', path.join(dir, 'ledger.jsonl')];
    const twoLines = await runInProcess([...args, '--file', block, '--line', '2', '--column', '3'], { env: { HOME: dir } });
    assert.deepEqual([twoLines.code, twoLines.stdout], [0, 'items.length;\n  // counted\n'], twoLines.stderr);
    // The cursor inside a word: no request, no completion, and stdout stays empty for `[ -z "$(…)" ]`.
    const none = await runInProcess([...args, '--file', file, '--line', '4', '--column', '8'], { env: { HOME: dir } });
    assert.deepEqual([none.code, none.stdout], [0, ''], none.stderr);
    assert.match(none.stderr, /^switchboard: no completion: /);
  });

  it('has the same keys with a completion and without one, null where no request was made', async () => {
    openai.scriptModel('qwen2.5-coder', { text: 'items.length;' });
    const answered = await complete(2, 10);
    assert.equal(answered.code, 0, answered.stderr);
    const withCompletion = JSON.parse(answered.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(withCompletion).sort(), KEYS);
    assert.equal(withCompletion.text, 'items.length;');
    assert.equal(withCompletion.outcome, 'ok');
    assert.equal(withCompletion.error, null);

    const requestsBefore = openai.requests.length;
    // Inside the word "counter": the editor asks nothing there, and neither does the CLI.
    const skipped = await complete(4, 10);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.equal(openai.requests.length, requestsBefore, 'no request made');
    const without = JSON.parse(skipped.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(without).sort(), KEYS);
    assert.deepEqual(without, {
      text: '',
      task: 'completion',
      provider: null,
      model: null,
      requestedModel: null,
      usage: null,
      usageEstimated: false,
      costUsd: 0,
      costSource: null,
      latencyMs: null,
      firstTokenMs: null,
      outcome: null,
      attempts: [],
      budgetAction: null,
      routing: null,
      notSent: null,
      error: null,
    });
  });

  it('completes with a fill-in-the-middle model whose server answers /v1/completions in chat\'s shape, which read as no text', async () => {
    openai.scriptModel('qwen2.5-coder', { text: 'items.length;', chatShapeOnCompletions: true });
    const before = openai.requests.length;
    const run = await complete(2, 10);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(openai.requests[before]?.path, '/v1/completions', 'the native fill-in-the-middle form was asked for');
    assert.equal((JSON.parse(run.stdout) as { text: string }).text, 'items.length;');
    assert.equal(run.stderr, '');
  });

  it('says on stderr why a completion is empty: no request where the editor makes none, no text from the model, nothing left once cleaned', async () => {
    const inWord = await complete(4, 10);
    assert.equal(inWord.stderr, "switchboard: no completion: code follows the cursor on its line, where the editor asks for no ghost text (only at a line's end or before closing brackets and punctuation); nothing was sent\n");
    openai.scriptModel('qwen2.5-coder', { text: '' });
    const empty = await complete(2, 10);
    assert.deepEqual([empty.code, empty.stderr], [0, 'switchboard: no completion: openai:qwen2.5-coder answered with no text\n']);
    // The answer repeats what follows the cursor: nothing of it is inserted.
    openai.scriptModel('qwen2.5-coder', { text: '\n}' });
    const repeated = await complete(2, 10);
    assert.deepEqual(
      [repeated.code, repeated.stderr],
      [0, 'switchboard: no completion: openai:qwen2.5-coder answered 2 characters, none of them to insert here once cleaned as the editor cleans them (a repeat of the code around the cursor, a fence, chatter or a refusal)\n'],
    );
  });

  it('says notSent "setup" when no model of the route could be asked, as the ledger and costs --json do', async () => {
    // The route's only provider has no key.
    const bare = path.join(dir, 'bare.json');
    await writeFile(bare, JSON.stringify({ routes: { completion: ['anthropic:claude-haiku-4-5'] } }));
    const args = ['complete', '--config', bare, '--ledger', path.join(dir, 'ledger-not-sent.jsonl'), '--file', file, '--line', '2', '--column', '10', '--json'];
    const result = await runInProcess(args, { env: { HOME: dir } });
    assert.equal(result.code, 1, result.stderr);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).sort(), KEYS);
    assert.deepEqual([json.outcome, json.notSent, json.provider], ['error', 'setup', null]);
    assert.match(String(json.error), /^no usable credentials for any model of the completion route \(anthropic:claude-haiku-4-5: no anthropic API key/);
    assert.match(result.stderr, /^switchboard: no provider can answer the completion route/);
  });
});
