import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { fakeKeys } from '../fakes/fakeKeys';
import { startFakeOpenAI, startFakeProviders, type FakeProviders, type FakeServer } from '../fakes/index';
import { bareEnvIn } from './cliFixture';
import { runInProcess, type Run } from './inProcess';

/**
 * What the first hour's messages say, word for word: a 403 said as what the provider said (a permission, a region,
 * a model not enabled) and only a refused key as one; a model picked with --model failing as that model; a ledger
 * place the kernel refuses said so for root too; a `%` never put in a line to paste into cmd; and the models
 * `models` suggests of the task's tier.
 */
describe('switchboard: first-hour words', () => {
  const dir = tempDir('first-hour-words');
  const key = fakeKeys.openai('words');
  let fakes: FakeProviders;
  let config: string;
  let ledgers = 0;

  before(async () => {
    fakes = await startFakeProviders();
  });
  // The folder is each test's own (tempDir): the file goes in it before each.
  beforeEach(async () => {
    config = path.join(dir.path, 'fakes.json');
    await writeFile(
      config,
      JSON.stringify({
        providers: { openai: { baseUrl: fakes.urls.openai.baseUrl }, anthropic: { baseUrl: fakes.urls.anthropic.baseUrl } },
        routes: { chat: ['openai:gpt-5.4', 'anthropic:claude-sonnet-5'] },
        auto: { enabled: false },
      }),
    );
  });
  after(() => fakes.close());

  const env = (): NodeJS.ProcessEnv => bareEnvIn(dir.path, { OPENAI_API_KEY: key, ANTHROPIC_API_KEY: fakeKeys.anthropic('words') });
  const ask = (...args: string[]): Promise<Run> =>
    runInProcess(['ask', '--config', config, '--ledger', path.join(dir.path, `ledger-${++ledgers}.jsonl`), ...args], { env: env(), cwd: dir.path });

  describe('a 403 after the key was sent', () => {
    it('ask --model says that model failed, with OpenAI\'s code and words, and nothing of a refused key', async () => {
      fakes.openai.script({ status: 403, errorCode: 'model_not_found', errorMessage: 'Project proj_abc does not have access to model gpt-5.4' });
      const asked = await ask('--model', 'openai:gpt-5.4', 'Hello');
      assert.equal(asked.code, 1);
      assert.equal(asked.stderr, 'switchboard: openai:gpt-5.4 failed: openai denied access (403, model_not_found): Project proj_abc does not have access to model gpt-5.4\n');
    });

    it('a route goes on after a region refusal, the line naming it in OpenAI\'s words', async () => {
      fakes.openai.script({ status: 403, errorCode: 'unsupported_country_region_territory', errorMessage: 'Country, region, or territory not supported' });
      fakes.anthropic.script({ text: 'From the next model.' });
      const asked = await ask('Hello');
      assert.equal(asked.code, 0, asked.stderr);
      assert.equal(asked.stdout, 'From the next model.\n');
      assert.equal(
        asked.stderr,
        "switchboard: openai denied access (403, unsupported_country_region_territory): Country, region, or territory not supported; the route's next model, if any, is tried\n",
      );
    });

    it("says Anthropic's permission_error as such", async () => {
      fakes.anthropic.script({ status: 403, errorCode: 'permission_error', errorMessage: 'Your API key does not have permission to use the specified resource.' });
      const asked = await ask('--model', 'anthropic:claude-sonnet-5', 'Hello');
      assert.equal(asked.code, 1);
      assert.equal(
        asked.stderr,
        'switchboard: anthropic:claude-sonnet-5 failed: anthropic denied access (403, permission_error): Your API key does not have permission to use the specified resource.\n',
      );
    });

    it('a 403 whose body says the key is invalid is a refused key, with where the key came from', async () => {
      fakes.openai.script({ status: 403, errorBody: { error: 'Invalid API key' } });
      const asked = await ask('--model', 'openai:gpt-5.4', 'Hello');
      assert.equal(asked.code, 1);
      const host = new URL(fakes.urls.openai.baseUrl).host;
      assert.equal(
        asked.stderr,
        `switchboard: openai:gpt-5.4 failed: openai rejected its API key (403); the API key from OPENAI_API_KEY was refused by openai at ${host}: check that OPENAI_API_KEY holds a current key for that server (not mistyped, revoked or expired) and set it again, or unset it to use another provider; "switchboard doctor --config ${config}" checks a key without sending a prompt\n`,
      );
    });

    it('models says what the server said of a 403, not that it refused the key', async () => {
      const refusing = await startFakeOpenAI({ apiKey: key, modelsRefusal: { status: 403, errorCode: 'unsupported_country_region_territory', errorMessage: 'Country, region, or territory not supported' } });
      try {
        const url = `${refusing.url}/v1`;
        const models = await runInProcess(['models', '--base-url', url], { env: env(), cwd: dir.path });
        assert.equal(models.code, 1);
        assert.equal(
          models.stderr,
          `switchboard: could not read the models of ${url}: ${url}/models answered HTTP 403 (it denied access (unsupported_country_region_territory): Country, region, or territory not supported)\n`,
        );
      } finally {
        await refusing.close();
      }
    });
  });

  it('models masks the key when a 403 body echoes it, a gateway\'s key of no known shape too', async () => {
    const plain = 'gatewaykeyofnoknownshape0123456789';
    const echoing = await startFakeOpenAI({ apiKey: plain, modelsRefusal: { status: 403, errorCode: 'insufficient_permissions', errorMessage: `Key ${plain} lacks the model.read scope` } });
    try {
      const models = await runInProcess(['models', '--base-url', `${echoing.url}/v1`], { env: bareEnvIn(dir.path, { OPENAI_API_KEY: plain }), cwd: dir.path });
      assert.match(models.stderr, /answered HTTP 403 \(it denied access \(insufficient_permissions\): Key \[redacted\] lacks the model\.read scope\)\n$/);
      assert.ok(!models.stderr.includes(plain.slice(-8)), 'no part of the key is printed');
    } finally {
      await echoing.close();
    }
  });

  it('doctor says a ledger in /proc or /sys cannot be written, as root too', async () => {
    for (const folder of ['/proc', '/sys']) {
      const ledger = `${folder}/switchboard-ledger.jsonl`;
      const doctor = await runInProcess(['doctor', '--ledger', ledger], { env: bareEnvIn(dir.path), cwd: dir.path });
      const line = doctor.stdout.split('\n').find((text) => text.startsWith('ledger: '));
      assert.match(line ?? '', new RegExp(`^ledger: ${ledger} \\(cannot be written: ${folder}: (no file can be created there|permission denied); keep it in a writable place: --ledger, SWITCHBOARD_LEDGER or ledger\\.path in a --config file\\)$`));
    }
  });

  it('doctor still says a writable place is, and leaves nothing behind in it', async () => {
    const folder = path.join(dir.path, 'ledger-place');
    const doctor = await runInProcess(['doctor', '--ledger', path.join(folder, 'deeper', 'ledger.jsonl')], { env: bareEnvIn(dir.path), cwd: dir.path });
    assert.ok(doctor.stdout.includes(`ledger: ${path.join(folder, 'deeper', 'ledger.jsonl')} (writable)\n`), doctor.stdout);
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(dir.path)).filter((name) => name.startsWith('.switchboard-write-check')), []);
  });

  it('init names URL, not a --base-url holding %, in the line to paste', async () => {
    await writeFile(path.join(dir.path, 'switchboard.jsonc'), '{}\n');
    const init = await runInProcess(['init', '--base-url', 'http://127.0.0.1:9/%PATH%/v1'], { env: bareEnvIn(dir.path), cwd: dir.path });
    assert.equal(init.code, 2);
    assert.equal(
      init.stderr,
      'switchboard: switchboard.jsonc already exists; not overwritten (edit it, remove it first, or name another file: switchboard init --base-url URL FILE, URL being the --base-url you gave, left out of the line since cmd would expand its %)\n',
    );
  });

  it("names the address with /v1 when a server's was given without it (Ollama's http://localhost:11434)", async () => {
    const bare = new URL(fakes.urls.openai.baseUrl).origin;
    const asked = await runInProcess(['ask', '--ledger', path.join(dir.path, 'bare.jsonl'), '--model', 'openai:llama3.1', 'Hello'], { env: bareEnvIn(dir.path, { OPENAI_BASE_URL: bare }), cwd: dir.path });
    assert.equal(asked.code, 1);
    assert.equal(
      asked.stderr,
      `switchboard: openai:llama3.1 failed: openai rejected the request (404): Unknown path /chat/completions; ${bare} has no /v1: an OpenAI-compatible server's API is under it, so give the address as ${bare}/v1\n`,
    );
    const models = await runInProcess(['models', '--base-url', bare], { env: bareEnvIn(dir.path), cwd: dir.path });
    assert.equal(models.stderr, `switchboard: could not read the models of ${bare}: ${bare}/models answered HTTP 404 (does the URL end in /v1? try ${bare}/v1)\n`);
  });

  it('a --config file that is not there is named with the init that writes it', async () => {
    const doctor = await runInProcess(['doctor', '--config', 'my config.jsonc'], { env: bareEnvIn(dir.path), cwd: dir.path });
    assert.equal(doctor.code, 2);
    assert.equal(doctor.stderr, `switchboard: cannot read config file my config.jsonc: no such file (ENOENT); "switchboard init 'my config.jsonc'" writes a starter one there\n`);
  });

  describe('models suggests by the task\'s tier', () => {
    let server: FakeServer;
    afterEach(() => server.close());

    /** Each task's suggested model, for routes that name none of the server's (so every task gets one). */
    const suggested = async (ids: string[]): Promise<Record<string, string | undefined>> => {
      server = await startFakeOpenAI({ models: ids });
      const routes = path.join(dir.path, 'elsewhere.json');
      await writeFile(routes, JSON.stringify({ routes: { completion: ['anthropic:claude-haiku-4-5'], chat: ['anthropic:claude-haiku-4-5'], plan: ['anthropic:claude-haiku-4-5'] } }));
      const models = await runInProcess(['models', '--config', routes, '--base-url', `${server.url}/v1`, '--json'], { env: bareEnvIn(dir.path), cwd: dir.path });
      assert.equal(models.code, 0, models.stderr);
      const { suggestedRoutes } = JSON.parse(models.stdout) as { suggestedRoutes: Record<string, string[]> };
      return Object.fromEntries(Object.entries(suggestedRoutes).map(([task, route]) => [task, route[0]]));
    };

    it('not the first model listed for plan: gpt-5.4-nano is the cheap tier', async () => {
      // The default completion route names gpt-5.4-nano: only chat and plan are suggested, neither of them it.
      server = await startFakeOpenAI({ models: ['gpt-5.4-nano', 'gpt-5-mini', 'llama3.1:8b'] });
      const models = await runInProcess(['models', '--base-url', `${server.url}/v1`, '--json'], { env: bareEnvIn(dir.path), cwd: dir.path });
      assert.deepEqual((JSON.parse(models.stdout) as { suggestedRoutes: unknown }).suggestedRoutes, { chat: ['openai:llama3.1:8b'], plan: ['openai:llama3.1:8b'] });
    });

    it('a cheap model for completions and the default routes\' strong ones for chat and plan, whatever the list\'s order', async () => {
      assert.deepEqual(await suggested(['gpt-5.4-nano', 'gpt-5.4-mini', 'gpt-5.4', 'gpt-5.5']), {
        completion: 'openai:gpt-5.4-nano',
        chat: 'openai:gpt-5.4',
        plan: 'openai:gpt-5.5',
      });
    });

    it('the price table\'s tiers when the default routes\' models are not listed', async () => {
      assert.deepEqual(await suggested(['gpt-5-mini', 'o3', 'gpt-5.2', 'gpt-5.6-sol']), {
        completion: 'openai:gpt-5-mini',
        chat: 'openai:gpt-5.2',
        plan: 'openai:gpt-5.6-sol',
      });
    });

    it('for unpriced local models, not a small one for chat and plan when a larger one is there', async () => {
      assert.deepEqual(await suggested(['qwen2.5:0.5b', 'llama3.1:70b', 'qwen2.5-coder:1.5b']), {
        completion: 'openai:qwen2.5-coder:1.5b',
        chat: 'openai:llama3.1:70b',
        plan: 'openai:llama3.1:70b',
      });
    });
  });
});
