import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { runInProcess, type Run } from './inProcess';

/**
 * A new user's first --config file, written by hand or pasted from VS Code's settings.json: each slip that is no
 * typo (so "did you mean" has nothing to offer) gets one line naming the file, the line and what to write instead.
 */
describe('switchboard: a first --config file, written wrong', function () {
  this.timeout(20_000);
  const dir = tempDir('first-config');

  /** `switchboard route --config c.jsonc hi` with `text` in c.jsonc, no key in the environment. */
  async function routeWith(text: string): Promise<Run> {
    await writeFile(path.join(dir.path, 'c.jsonc'), text);
    return runInProcess(['route', '--config', 'c.jsonc', 'hi'], { env: {}, cwd: dir.path });
  }

  it('a key pasted from settings.json, "switchboard." and all, is told to drop the prefix', async () => {
    const dotted = await routeWith('{\n  "switchboard.routes.chat": ["openai:gpt-5.4"]\n}\n');
    assert.equal(dotted.code, 2);
    assert.equal(dotted.stderr, 'switchboard: c.jsonc:2: switchboard.routes.chat: is VS Code\'s name for the setting, and a --config file\'s keys have no "switchboard." (write "routes.chat")\n');
    const nested = await routeWith('{"switchboard": {"routes": {"chat": ["openai:gpt-5.4"]}}}');
    assert.equal(nested.code, 2);
    assert.match(nested.stderr, /^switchboard: c\.jsonc:1: switchboard: the settings go at the top of the file, without a "switchboard" object around them/);
  });

  it('an API key written into the file is refused with the variable to set, never echoing it', async () => {
    const openai = await routeWith('{"providers": {"openai": {\n  "apiKey": "sk-typed-into-the-file"\n}}}');
    assert.equal(openai.code, 2);
    assert.equal(openai.stderr, 'switchboard: c.jsonc:2: providers.openai.apiKey: no key is read from a config file (it is shared, and may be committed): set OPENAI_API_KEY in the environment\n');
    const bedrock = await routeWith('{"providers": {"bedrock": {"secretAccessKey": "typed"}}}');
    assert.match(bedrock.stderr, /providers\.bedrock\.secretAccessKey: no key is read from a config file: Bedrock uses the AWS credential chain/);
    assert.ok(!`${openai.stderr}${bedrock.stderr}`.includes('typed'), 'the key is not printed');
  });

  it('a local server named as a provider of its own is sent to providers.openai.baseUrl', async () => {
    const run = await routeWith('{"providers": {"ollama": {"baseUrl": "http://localhost:11434/v1"}}}');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^switchboard: c\.jsonc:1: providers\.ollama: is not a provider: a server speaking OpenAI's API \(Ollama, LM Studio, vLLM, OpenRouter\) is the openai provider's: set "providers\.openai\.baseUrl" to its address/);
  });

  it('a typo of a local server named as a provider (olama) is sent to providers.openai.baseUrl too; a typo of a provider or route names the nearest', async () => {
    const olama = await routeWith('{"providers": {"olama": {"baseUrl": "http://localhost:11434/v1"}}}');
    assert.equal(olama.code, 2);
    assert.match(olama.stderr, /^switchboard: c\.jsonc:1: providers\.olama: is not a provider \(read as "ollama"\): a server speaking OpenAI's API \(Ollama, LM Studio, vLLM, OpenRouter\) is the openai provider's: set "providers\.openai\.baseUrl" to its address/);
    const antropic = await routeWith('{"providers": {"antropic": {}},\n "routes": {"chta": []}}');
    assert.equal(antropic.code, 2);
    assert.equal(
      antropic.stderr,
      'switchboard: c.jsonc:1: providers.antropic: is not a Switchboard setting (did you mean "providers.anthropic"?)\n' +
        'switchboard: c.jsonc:2: routes.chta: is not a Switchboard setting (did you mean "routes.chat"?)\n',
    );
  });

  it('a named pipe, a directory or a device given as --config is refused at once, not waited on', async () => {
    const pipe = path.join(dir.path, 'settings.fifo');
    execFileSync('mkfifo', [pipe]);
    // Opened to read, a named pipe with no writer waits for one: the run hung here with no word.
    const piped = await runInProcess(['route', '--config', 'settings.fifo', 'hi'], { env: {}, cwd: dir.path });
    assert.equal(piped.code, 2);
    assert.equal(piped.stderr, 'switchboard: config file settings.fifo is a named pipe (FIFO), not a regular file: --config names a regular file of settings ("switchboard init" writes one)\n');
    const folder = await runInProcess(['route', '--config', '.', 'hi'], { env: {}, cwd: dir.path });
    assert.equal(folder.stderr, 'switchboard: config file . is a directory, not a file: --config names a regular file of settings ("switchboard init" writes one)\n');
    const device = await runInProcess(['route', '--config', '/dev/null', 'hi'], { env: {}, cwd: dir.path });
    assert.match(device.stderr, /^switchboard: config file \/dev\/null is a device, not a regular file/);
  });

  it('a key written twice names both lines, rather than letting the later one drop the earlier unsaid', async () => {
    const run = await routeWith('{\n  "budget": {"dailyUsd": 1},\n  "routes": {"chat": ["openai:a"], "chat": ["openai:b"]},\n  "budget": {"monthlyUsd": 20}\n}\n');
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      'switchboard: c.jsonc:3:36: routes.chat: is written twice (first on line 3); the later would replace the earlier: merge them into one\n' +
        'switchboard: c.jsonc:4:3: budget: is written twice (first on line 2); the later would replace the earlier: merge them into one\n',
    );
  });

  it('an empty file, or one of comments only, says what to write in it', async () => {
    for (const [text, what] of [['', 'it is empty'], ['\n  \n', 'it is empty'], ['// to fill in\n/* later */\n', 'it is empty but for comments']]) {
      const run = await routeWith(text!);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, `switchboard: c.jsonc: config file holds no settings (${what}): write {} in it for the defaults, or remove it and run "switchboard init" for a starter file\n`);
    }
  });

  it('a list, a string or null instead of an object names the line and what it found', async () => {
    const list = await routeWith('// settings\n["openai:gpt-5.4"]\n');
    assert.equal(list.code, 2);
    assert.equal(list.stderr, 'switchboard: c.jsonc:2: must be a JSON object of settings ({"routes": …}), not a list ([…])\n');
    const nothing = await routeWith('null');
    assert.equal(nothing.stderr, 'switchboard: c.jsonc:1: must be a JSON object of settings ({"routes": …}), not null\n');
  });

  it('a section given a value says what it found, and a switch given to a section names its "enabled"', async () => {
    const auto = await routeWith('{\n  "auto": true\n}');
    assert.equal(auto.code, 2);
    assert.equal(auto.stderr, 'switchboard: c.jsonc:2: auto: must be an object of settings, not true or false (write {"enabled": true})\n');
    const budget = await routeWith('{"budget": "5"}');
    assert.equal(budget.stderr, 'switchboard: c.jsonc:1: budget: must be an object of settings, not a string\n');
  });

  it('a file of many megabytes is refused by its size before it is read whole', async () => {
    const file = path.join(dir.path, 'c.jsonc');
    await writeFile(file, '{"x": "');
    await truncate(file, 50 * 1024 * 1024);
    const run = await runInProcess(['route', '--config', 'c.jsonc', 'hi'], { env: {}, cwd: dir.path });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'switchboard: config file c.jsonc is 50.0 MB, and a config file is at most 4 MB: is it the right file? ("switchboard init" writes a starter one)\n');
  });

  it('route with an empty route says so, as ask refuses it, instead of picking "(no model)" with an empty reason', async () => {
    const run = await routeWith('{"routes": {"chat": []}}');
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '(no model)  the chat route lists no model: add one to routes.chat in c.jsonc\n');
  });

  it('a BOM, CRLF line ends, comments and trailing commas still load, and a wrong type names its line', async () => {
    const run = await routeWith('\uFEFF// team settings\r\n{\r\n  "budget": {\r\n    "dailyUsd": "5",\r\n  },\r\n}\r\n');
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'switchboard: c.jsonc:4: budget.dailyUsd: "5" must be a number from 0 to 1000000 (USD; 0 for no limit)\n');
  });
});
