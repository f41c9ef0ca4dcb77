import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { closedPort } from '../fakes/closedPort';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

const KEY = fakeKeys.openai('cli-models');

/** `switchboard models`: the CLI's way to a local server's models, as the editor's Use a Local Server… asks them. */
describe('switchboard models', () => {
  let ollama: FakeServer;
  /** No keys unless a test adds one. */
  const env: NodeJS.ProcessEnv = {};

  useTempFolder('models');
  before(async () => {
    ollama = await startFakeOpenAI({ models: ['nomic-embed-text:latest', 'llama3.1:8b', 'qwen2.5-coder:1.5b'] });
  });
  after(async () => {
    await ollama.close();
  });

  it('lists the models of --base-url and prints routes to them as a --config file', async () => {
    const result = await runInProcess(['models', '--base-url', `${ollama.url}/v1`], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        `${ollama.url}/v1/models lists 3 models:`,
        '  nomic-embed-text:latest  (embedding, reranking or speech: cannot chat)',
        '  llama3.1:8b',
        '  qwen2.5-coder:1.5b',
        'Your routes for completion, chat, plan name none of them ("model not found" on this server). Suggested:',
        '  completion openai:qwen2.5-coder:1.5b',
        '  chat       openai:llama3.1:8b',
        '  plan       openai:llama3.1:8b',
        `As a --config file: {"providers":{"openai":{"baseUrl":"${ollama.url}/v1"}},"routes":{"completion":["openai:qwen2.5-coder:1.5b"],"chat":["openai:llama3.1:8b"],"plan":["openai:llama3.1:8b"]}}`,
        'In VS Code: Switchboard: Use a Local Server… writes them to your User settings (switchboard.routes.*).',
        '',
      ].join('\n'),
    );
  });

  it("takes the server from OPENAI_BASE_URL, keeps a --config file's own fallbacks, and prints JSON", async () => {
    const file = path.join(dir, 'own-routes.json');
    await writeFile(file, JSON.stringify({ routes: { chat: ['openai:gpt-5.4', 'anthropic:claude-sonnet-5'], plan: ['openai:llama3.1:8b'] } }));
    const result = await runInProcess(['models', '--config', file, '--json'], { env: { OPENAI_BASE_URL: `${ollama.url}/v1` } });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      url: `${ollama.url}/v1/models`,
      models: ['nomic-embed-text:latest', 'llama3.1:8b', 'qwen2.5-coder:1.5b'],
      generative: ['llama3.1:8b', 'qwen2.5-coder:1.5b'],
      routesNamingNone: ['completion', 'chat'],
      // The file's chat fallback can still work; its gpt-5.4 would be asked of the server; plan names its model already.
      suggestedRoutes: { completion: ['openai:qwen2.5-coder:1.5b'], chat: ['openai:llama3.1:8b', 'anthropic:claude-sonnet-5'] },
    });
  });

  it('sends OPENAI_API_KEY to this machine, and names the field that allows a host elsewhere when that server wants the key', async () => {
    const keyed = await startFakeOpenAI({ apiKey: KEY, models: ['llama3.1:8b'] });
    try {
      const local = await runInProcess(['models', '--base-url', `${keyed.url}/v1`, '--json'], { env: { OPENAI_API_KEY: KEY } });
      assert.equal(local.code, 0, local.stderr);
      const elsewhere = `${keyed.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`;
      const held = await runInProcess(['models', '--base-url', elsewhere], { env: { OPENAI_API_KEY: KEY } });
      assert.equal(held.code, 1);
      assert.equal(
        held.stderr,
        `switchboard: could not read the models of ${elsewhere}: ${elsewhere}/models answered HTTP 401 (Switchboard did not send your OpenAI key to [::ffff:7f00:1]: it goes only to api.openai.com unless you allow that host; add "[::ffff:7f00:1]" to providers.openai.sendKeyTo in your --config file, e.g. {"providers": {"openai": {"sendKeyTo": ["[::ffff:7f00:1]"]}}})\n`,
      );
      assert.ok(!JSON.stringify(keyed.requests.slice(1).map((request) => request.headers)).includes(KEY), 'the key did not go to the host elsewhere');
      const keyless = await runInProcess(['models', '--base-url', `${keyed.url}/v1`], { env: {} });
      assert.match(keyless.stderr, /answered HTTP 401 \(it wants an API key: set OPENAI_API_KEY\)\n$/);
    } finally {
      await keyed.close();
    }
  });

  it('names what is wrong: no server, a --base-url that is not a URL, a server that does not answer', async () => {
    const none = await runInProcess(['models'], { env });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^switchboard: no server to ask: give --base-url \(Ollama http:\/\/localhost:11434\/v1, LM Studio/);
    const bad = await runInProcess(['models', '--base-url', 'localhost:11434'], { env });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'switchboard: --base-url "localhost:11434" is not an http(s) URL (e.g. --base-url http://localhost:11434/v1)\n');
    const badEnv = await runInProcess(['models'], { env: { OPENAI_BASE_URL: 'localhost:11434' } });
    assert.equal(badEnv.stderr, 'switchboard: OPENAI_BASE_URL is not an http(s) URL; fix it, or give the server with --base-url http://localhost:11434/v1\n');
    // An Azure OpenAI deployment's URL as the portal shows it, given or in the environment: what to write instead.
    const advice = 'is an Azure OpenAI deployment\'s URL, which answers every model with deployment "gpt-4o-mini" and takes no key as the OpenAI SDK sends it: write Azure\'s v1 address "https://contoso.openai.azure.com/openai/v1" and name the deployment as the model ("openai:gpt-4o-mini")';
    const portal = 'https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini?api-version=2024-10-21';
    const azure = await runInProcess(['models', '--base-url', portal], { env });
    assert.equal(azure.code, 2);
    assert.equal(azure.stderr, `switchboard: --base-url ${advice}\n`);
    const azureEnv = await runInProcess(['models'], { env: { OPENAI_BASE_URL: portal } });
    assert.equal(azureEnv.stderr, `switchboard: OPENAI_BASE_URL ${advice}; fix it, or give the server with --base-url http://localhost:11434/v1\n`);
    // The address of one request, pasted from a curl line in a server's docs: the address before it to write.
    const pasted = await runInProcess(['models', '--base-url', 'http://localhost:11434/v1/chat/completions'], { env });
    assert.equal(pasted.code, 2);
    assert.equal(
      pasted.stderr,
      'switchboard: --base-url ends in /chat/completions, the path of one request: the OpenAI SDK adds it to each request itself, so write the address before it, "http://localhost:11434/v1"\n',
    );
    const port = await closedPort();
    const down = await runInProcess(['models', '--base-url', `http://127.0.0.1:${port}/v1`], { env });
    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`^switchboard: could not read the models of http://127\\.0\\.0\\.1:${port}/v1: http://127\\.0\\.0\\.1:${port}/v1/models could not be reached \\(.*; is the server running\\?\\)\\n$`));
    const stray = await runInProcess(['models', '--model', 'openai:x'], { env });
    assert.equal(stray.stderr, 'switchboard: --model is not an option of models (see "switchboard models --help")\n');
  });

  it("asks a --base-url holding a password with it as basic auth, and masks it in what it prints and the error it quotes", async () => {
    const password = 'gw-pass-7q2Zr';
    const { port } = new URL(ollama.url);
    const result = await runInProcess(['models', '--base-url', `http://gwuser:${password}@127.0.0.1:${port}/v1`], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(ollama.requests.at(-1)?.headers.authorization, `Basic ${Buffer.from(`gwuser:${password}`).toString('base64')}`);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(password), result.stdout);
    const closed = await closedPort();
    const down = await runInProcess(['models', '--base-url', `http://gwuser:${password}@127.0.0.1:${closed}/v1`], { env });
    assert.equal(down.code, 1);
    assert.ok(down.stderr.startsWith(`switchboard: could not read the models of http://gwuser:***@127.0.0.1:${closed}/v1: http://gwuser:***@127.0.0.1:${closed}/v1/models could not be reached (`), down.stderr);
    assert.ok(!down.stderr.includes(password), down.stderr);
  });

  it('masks the credentials in the --config file it prints, and says they must be put back in its baseUrl', async () => {
    const secret = 'gw-key-models9';
    // A server behind basic auth: the listing sends the user name and password as a Basic header.
    const result = await runInProcess(['models', '--base-url', `${ollama.url.replace('http://', `http://me:${secret}@`)}/v1`], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(secret), result.stdout);
    assert.deepEqual(result.stdout.split('\n').slice(-4), [
      `As a --config file: {"providers":{"openai":{"baseUrl":"${ollama.url.replace('http://', 'http://me:***@')}/v1"}},"routes":{"completion":["openai:qwen2.5-coder:1.5b"],"chat":["openai:llama3.1:8b"],"plan":["openai:llama3.1:8b"]}}`,
      "  Its providers.openai.baseUrl has the server address's credentials masked as ***: put yours back in their place in the file before using it.",
      'In VS Code: Switchboard: Use a Local Server… writes them to your User settings (switchboard.routes.*).',
      '',
    ]);
  });

  it('points ask at "switchboard models" when the server OPENAI_BASE_URL names does not serve the route\'s model', async () => {
    // Ollama's answer for a model it has not pulled.
    ollama.scriptModel('gpt-5.4', { status: 404, errorMessage: 'model "gpt-5.4" not found, try pulling it first' });
    const ledger = path.join(dir, 'ledger.jsonl');
    const result = await runInProcess(['ask', '--ledger', ledger, '--model', 'openai:gpt-5.4', 'Hello'], { env: { OPENAI_BASE_URL: `${ollama.url}/v1` } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`model "gpt-5\\.4" not found, try pulling it first.*; "switchboard models" lists the models ${ollama.url.replace(/\./g, '\\.')}/v1 serves and the routes to them\\n$`));
  });
});
