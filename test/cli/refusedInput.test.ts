import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cli, fakes, dir, configFile, keyedEnv, newLedger, ask, useCliFixture, ledgerRecord, readLedger, oneErrorLine } from './cliFixture';
import { runCli } from './cliHarness';

/** Flags and --config files the CLI refuses: one line on stderr and a non-zero exit. */
describe('switchboard: flags and --config files it refuses', function () {
  this.timeout(20_000);
  useCliFixture();

  it('names a flag the command does not read instead of ignoring it', async () => {
    const ledger = newLedger();
    await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
    const cases: Array<[string[], string]> = [
      // Looks like a filter; ignored, it would total every model.
      [['costs', '--ledger', ledger, '--model', 'openai:gpt-5.4'], 'switchboard: --model is not an option of costs (see "switchboard costs --help")'],
      [['ask', '--config', configFile, '--ledger', ledger, '--since', '2026-01-01', 'Hello'], 'switchboard: --since is not an option of ask (see "switchboard ask --help")'],
      [['complete', '--config', configFile, '--ledger', ledger, '--attach', configFile, '--file', configFile, '--line', '1', '--column', '1'], 'switchboard: --attach is not an option of complete (see "switchboard complete --help")'],
      [['route', '--ledger', ledger, 'Hello'], 'switchboard: --ledger is not an option of route (see "switchboard route --help")'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(cli, args, { env: keyedEnv });
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(oneErrorLine(result), message);
    }
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    assert.equal((await readLedger(ledger)).length, 1, 'nothing written');
  });

  it('refuses a flag given an empty value rather than falling back to the defaults', async () => {
    // `--config "$CONFIG"` with CONFIG unset: the default cloud routes instead of the user's own.
    const cases: Array<[string[], string]> = [
      [['ask', '--config', '', 'Hello'], '--config'],
      [['costs', '--ledger', ''], '--ledger'],
      [['ask', '--config', configFile, '--ledger=', 'Hello'], '--ledger'],
    ];
    for (const [args, flag] of cases) {
      const result = await runCli(cli, args, { env: keyedEnv });
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(oneErrorLine(result), `switchboard: ${flag} was given an empty value`);
    }
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('names an unknown task', async () => {
    const result = await ask(['--task', 'review', 'Hello']);
    assert.equal(result.code, 2);
    assert.equal(oneErrorLine(result), 'switchboard: unknown task "review" for --task (expected completion, chat, plan)');
  });

  it('names the task a typo is one away from, for ask and route, as it does a flag', async () => {
    const plans = await ask(['--task', 'plans', 'Hello']);
    assert.equal(plans.code, 2);
    assert.equal(oneErrorLine(plans), 'switchboard: unknown task "plans" for --task (did you mean plan? expected completion, chat, plan)');
    const routed = await runCli(cli, ['route', '--task', 'caht', 'Hello'], { env: keyedEnv });
    assert.equal(routed.code, 2);
    assert.equal(oneErrorLine(routed), 'switchboard: --task "caht" cannot be routed automatically (did you mean chat? expected chat or plan)');
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('explains a malformed model reference', async () => {
    const result = await ask(['--model', 'gpt-5.4', 'Hello']);
    assert.equal(result.code, 2);
    assert.match(oneErrorLine(result), /--model "gpt-5.4" is not a model reference \(did you mean openai:gpt-5\.4\? expected provider:model/);
  });

  it('names a config file it cannot read', async () => {
    const missing = path.join(dir, 'missing.json');
    const result = await runCli(cli, ['ask', '--config', missing, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    assert.equal(oneErrorLine(result), `switchboard: cannot read config file ${missing}: no such file (ENOENT); "switchboard init ${missing}" writes a starter one there`);
  });

  it('refuses a config file that holds only null, and prefixes each of several problems', async () => {
    const nothing = path.join(dir, 'null.json');
    await writeFile(nothing, 'null\n');
    const empty = await runCli(cli, ['ask', '--config', nothing, 'Hello'], { env: keyedEnv });
    assert.equal(empty.code, 2);
    assert.equal(oneErrorLine(empty), `switchboard: ${nothing}:1: must be a JSON object of settings ({"routes": …}), not null`);

    const twice = path.join(dir, 'two-problems.json');
    await writeFile(twice, JSON.stringify({ routes: { chat: ['nowhere:model'] } }));
    const result = await runCli(cli, ['ask', '--config', twice, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    const lines = result.stderr.split('\n').filter((line) => line);
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0]!, /^switchboard: .*two-problems\.json:1: routes\.chat\[0\]: unknown provider "nowhere"/);
    assert.match(lines[1]!, /^switchboard: .*two-problems\.json:1: routes\.chat: has no valid model reference/);
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('reads a config file saved with a UTF-8 byte order mark', async () => {
    const withBom = path.join(dir, 'bom.json');
    await writeFile(withBom, '\uFEFF' + (await readFile(configFile, 'utf8')));
    const result = await runCli(cli, ['ask', '--config', withBom, '--ledger', newLedger(), 'Hello?'], { env: keyedEnv });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Simulated answer/);
  });

  it('names a config file that is not JSON, with the line and column', async () => {
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{\n  "routes": { "chat": ["openai:gpt-5.4"] }\n  "ledger": {}\n}');
    const result = await runCli(cli, ['ask', '--config', broken, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    assert.equal(oneErrorLine(result), `switchboard: ${broken}:3:3: config file is not valid JSON (comments and trailing commas are fine): expected "," or "}" after a property, found a string (a comma missing before it?)`);
  });

  it('names a config key with an invalid value', async () => {
    const invalid = path.join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ timeouts: { firstTokenMs: 'fast' } }));
    const result = await runCli(cli, ['ask', '--config', invalid, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    // Not "; using the default": the editor carries on with it, the CLI refuses and runs nothing.
    assert.match(oneErrorLine(result), /invalid\.json:1: timeouts\.firstTokenMs: must be a number from 100 to 600000, not "fast"$/);
  });

  it('names a config key that is not a setting', async () => {
    const misspelt = path.join(dir, 'misspelt.json');
    await writeFile(misspelt, JSON.stringify({ routes: { chat: ['openai:gpt-5.4'] }, timeout: { firstTokenMs: 5000 } }));
    const result = await runCli(cli, ['ask', '--config', misspelt, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    assert.match(oneErrorLine(result), /misspelt\.json:1: timeout: is not a Switchboard setting \(did you mean "timeouts"\?\)$/);
  });

  it('names a price override it cannot use', async () => {
    const partial = path.join(dir, 'partial-price.json');
    await writeFile(partial, JSON.stringify({ prices: { 'ollama:qwen2.5-coder:7b': { input: 0 } } }));
    const result = await runCli(cli, ['ask', '--config', partial, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    assert.match(oneErrorLine(result), /partial-price\.json:1: prices\["ollama:qwen2\.5-coder:7b"\]: names a model with no shipped price, so it needs both "input" and "output"/);
  });

  it('names a nested config key that is not a setting', async () => {
    const misspelt = path.join(dir, 'nested.json');
    // Written as a person would, one key a line: the message names the line of the misspelt key.
    await writeFile(misspelt, JSON.stringify({ providers: { openai: { baseURL: 'http://localhost:11434/v1' } } }, null, 2));
    const result = await runCli(cli, ['ask', '--config', misspelt, 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 2);
    assert.equal(oneErrorLine(result), `switchboard: ${misspelt}:4: providers.openai.baseURL: is not a Switchboard setting (did you mean "providers.openai.baseUrl"?)`);
  });
});
