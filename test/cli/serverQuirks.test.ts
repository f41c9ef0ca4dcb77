/**
 * `switchboard ask` and `complete` as a new user runs them against the servers they point the `openai` provider at,
 * each spoken by the fake with that server's quirks (test/fakes/serverQuirks.ts): what is printed, what the exit
 * code says and what the ledger records.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger';
import { tempDir } from '../core/ledger/fixtures';
import { startFakeOpenAI, type FakeOpenAIOptions, type FakeServer } from '../fakes/index';
import { bareEnvIn } from './cliFixture';
import { runInProcess } from './inProcess';

const USAGE = { inputTokens: 30, outputTokens: 6, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('switchboard ask and complete against other servers’ quirks', function () {
  this.timeout(20_000);
  const dir = tempDir('cli-quirks');
  const started: FakeServer[] = [];
  afterEach(() => Promise.all(started.splice(0).map((fake) => fake.close())));

  async function server(options: FakeOpenAIOptions): Promise<FakeServer> {
    const fake = await startFakeOpenAI(options);
    started.push(fake);
    return fake;
  }

  /** A --config with the openai provider at `baseUrl` and every route to `model` there; returns the args before the prompt. */
  async function configFor(baseUrl: string, model: string): Promise<{ args: (command: string) => string[]; ledger: string }> {
    const file = path.join(dir.path, 'switchboard.json');
    const ref = `openai:${model}`;
    await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl } }, routes: { chat: [ref], completion: [ref] }, auto: { enabled: false } }));
    const ledger = path.join(dir.path, 'ledger.jsonl');
    return { args: (command) => [command, '--config', file, '--ledger', ledger], ledger };
  }
  const env = () => bareEnvIn(dir.path);
  async function records(ledger: string): Promise<LedgerRecord[]> {
    return (await readFile(ledger, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as LedgerRecord);
  }

  it('prints only the answer of a thinking model behind comments, CRLF lines, `data:` without a space and no [DONE]', async () => {
    const fake = await server({ wire: { comment: 'keep-alive', lineEnd: '\r\n', dataWithoutSpace: true, usage: 'on-finish', noDone: true } });
    fake.script({ reasoning: { text: 'The user greets me; I greet back. ', chunks: 3, field: 'reasoning' }, text: 'Hello back.', chunks: 2, usage: USAGE });
    const { args, ledger } = await configFor(`${fake.url}/v1`, 'qwen3:8b');

    const result = await runInProcess([...args('ask'), 'Hello'], { env: env() });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'Hello back.');
    const [record] = await records(ledger);
    assert.equal(record?.outcome, 'ok');
    assert.deepEqual(record?.usage, USAGE);
    assert.equal(record?.usageEstimated, false);
  });

  it('completes with only the answer where reasoning_content came first, for the ghost text the editor would insert', async () => {
    const fake = await server({ wire: { lineEnd: '\r\n', usage: 'none' } });
    fake.script({ reasoning: { text: 'Filter the low ones. ', chunks: 2, field: 'reasoning_content' }, text: 'return items.filter((item) => item.quantity < threshold);' });
    const file = path.join(dir.path, 'inventory.ts');
    await writeFile(file, 'export function lowStock(items: Item[], threshold: number): Item[] {\n  \n}\n');
    const { args } = await configFor(`${fake.url}/v1`, 'qwen3:8b');

    const result = await runInProcess([...args('complete'), '--file', file, '--line', '2', '--column', '3'], { env: env() });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'return items.filter((item) => item.quantity < threshold);\n');
  });

  it('fails, printing no answer, when OpenRouter’s error chunk comes before any text', async () => {
    const fake = await server({ wire: { comment: 'OPENROUTER PROCESSING', openRouterStreamError: true } });
    fake.script({ text: 'never', streamErrorAfterChunks: 0, errorMessage: 'Provider returned error' });
    const { args, ledger } = await configFor(`${fake.url}/v1`, 'qwen3:8b');

    const result = await runInProcess([...args('ask'), 'Hello'], { env: env() });

    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /openai had a server error: Provider returned error/);
    const [record] = await records(ledger);
    assert.notEqual(record?.outcome, 'ok');
  });

  it('names the baseUrl to check when it lacks /v1 on vLLM (404 {"detail":"Not Found"}) and on LM Studio (a 200 with its error)', async () => {
    for (const unknownPath of ['fastapi', 'lmstudio'] as const) {
      const fake = await server({ unknownPath });
      const { args } = await configFor(fake.url, 'qwen3:8b');

      const result = await runInProcess([...args('ask'), 'Hello'], { env: env() });

      assert.equal(result.code, 1, unknownPath);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /check its baseUrl \(an OpenAI-compatible API's ends in \/v1\)/, `${unknownPath}: ${result.stderr}`);
    }
  });
});
