import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cli, fakes, dir, baseEnv, keyedEnv, newLedger, ask, useCliFixture, readLedger, oneErrorLine } from './cliFixture';
import { runCli } from './cliHarness';

/** No provider with credentials, OPENAI_BASE_URL, a key kept from a host, and every model failing. */
describe('switchboard: no provider, a key kept back, every model failed', function () {
  this.timeout(20_000);
  useCliFixture();

  it('names the keys to set and the first-hour commands in one short line when no model has credentials', async () => {
    const result = await runCli(cli, ['ask', '--ledger', newLedger(), 'Hello'], { env: baseEnv });
    assert.equal(result.code, 1);
    // Each provider once, by the variable to set; then init for a local server, doctor for the rest.
    assert.equal(
      oneErrorLine(result),
      'switchboard: no provider can answer the chat route: anthropic needs ANTHROPIC_API_KEY; openai needs OPENAI_API_KEY; ' +
        'bedrock needs AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). ' +
        'Set one, or for a local server that needs no key run "switchboard init --base-url http://localhost:11434/v1"; "switchboard doctor" checks the setup',
    );
  });

  it('asks the server OPENAI_BASE_URL names, with no key and no --config, as the OpenAI SDK and the sandbox do', async () => {
    const ledger = newLedger();
    fakes.openai.scriptModel('qwen2.5-coder:7b', { text: 'From the local server.' });
    const env = { ...baseEnv, OPENAI_BASE_URL: fakes.urls.openai.baseUrl };
    const result = await runCli(cli, ['ask', '--ledger', ledger, '--model', 'openai:qwen2.5-coder:7b', 'Hello'], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'From the local server.');
    assert.equal(fakes.openai.requests.length, 1);
    assert.equal((fakes.openai.requests[0]!.body as { model: string }).model, 'qwen2.5-coder:7b');
  });

  it("lets a --config file's providers.openai.baseUrl win over OPENAI_BASE_URL, and names OPENAI_BASE_URL when it is not a URL", async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'From the configured server.' });
    // Nothing listens on port 9: were the variable used, the request would fail.
    const first = await ask(['Hello'], { env: { ...keyedEnv, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /From the configured server\./);

    const wrong = await runCli(cli, ['ask', '--ledger', newLedger(), '--model', 'openai:llama3.1', 'Hello'], { env: { ...baseEnv, OPENAI_BASE_URL: 'localhost:11434/v1' } });
    assert.equal(wrong.code, 1);
    assert.match(oneErrorLine(wrong), /OPENAI_BASE_URL is not an http\(s\) URL: nothing goes to openai until it is fixed/);
  });

  it('keeps the OpenAI key from a host the config file does not allow, naming the field that allows it', async () => {
    const file = path.join(dir, 'keyhost-public.json');
    await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl: 'https://openrouter.ai/api/v1' } }, routes: { chat: ['openai:gpt-5.4'] } }));
    const result = await runCli(cli, ['ask', '--config', file, '--ledger', newLedger(), 'Hello'], { env: { ...baseEnv, OPENAI_API_KEY: 'sk-cli-keyhost-0123456789' } });
    assert.equal(result.code, 1);
    assert.match(
      oneErrorLine(result),
      /Switchboard did not send your OpenAI key to openrouter\.ai: it goes only to api\.openai\.com unless you allow that host; add "openrouter\.ai" to providers\.openai\.sendKeyTo in your --config file/,
    );
  });

  it('says a 401 from a network host came without the key, naming the field that allows it, not that the key was rejected', async () => {
    const baseUrl = fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const file = path.join(dir, 'keyhost-401.json');
    await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl } }, routes: { chat: ['openai:llama3.1'] }, auto: { enabled: false } }));
    fakes.openai.script({ status: 401 });
    const result = await runCli(cli, ['ask', '--config', file, '--ledger', newLedger(), 'Hello'], { env: { ...baseEnv, OPENAI_API_KEY: 'sk-cli-keyhost-0123456789' } });
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stderr, /rejected its API key/);
    // The attempt's line as it fails, then the request's error: both say it.
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0]!, /^switchboard: openai answered 401 without the key: /);
    assert.match(
      lines[1]!,
      /openai answered 401 without the key: Switchboard did not send your OpenAI key to \[::ffff:7f00:1\]: .*add "\[::ffff:7f00:1\]" to providers\.openai\.sendKeyTo in your --config file/,
    );
  });

  it('sends the OpenAI key to a network host once the config file allows it, and not before', async () => {
    // The fake on 127.0.0.1 written IPv6-mapped: a host the key rule treats as elsewhere on the network.
    const baseUrl = fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const key = 'sk-cli-keyhost-0123456789';
    for (const sendKeyTo of [[], ['[::ffff:7f00:1]']]) {
      const file = path.join(dir, `keyhost-${sendKeyTo.length}.json`);
      await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl, sendKeyTo } }, routes: { chat: ['openai:llama3.1'] }, auto: { enabled: false } }));
      const result = await runCli(cli, ['ask', '--config', file, '--ledger', newLedger(), 'Hello'], { env: { ...baseEnv, OPENAI_API_KEY: key } });
      assert.equal(result.code, 0, result.stderr);
    }
    assert.deepEqual(
      fakes.openai.requests.map((request) => request.headers.authorization === `Bearer ${key}`),
      [false, true],
    );
  });

  it('says why no completion can be asked for, without a ledger record for a request never made', async () => {
    const ledger = newLedger();
    await writeFile(path.join(dir, 'complete-me.ts'), 'const total = ');
    const result = await runCli(cli, ['complete', '--file', path.join(dir, 'complete-me.ts'), '--line', '1', '--column', '15', '--ledger', ledger], { env: baseEnv });
    assert.equal(result.code, 1);
    assert.match(oneErrorLine(result), /^switchboard: no provider can answer the completion route: openai needs OPENAI_API_KEY; .*"switchboard doctor" checks the setup$/);
    assert.deepEqual(await readLedger(ledger).catch(() => []), [], 'no ledger line');
  });

  it('lists every attempt when all models fail', async () => {
    fakes.openai.script({ status: 500 });
    fakes.anthropic.script({ status: 529 });

    const result = await ask(['Hello']);

    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      oneErrorLine(result),
      'switchboard: every model of the chat route failed (openai:gpt-5.4-nano: openai had a server error (500); ' +
        'anthropic:claude-haiku-4-5: anthropic is overloaded (529))',
    );
    assert.equal((await readLedger(result.ledger))[0]?.outcome, 'error');
  });
});
