/**
 * `switchboard ask` and `complete` against a server that leaves a thinking model's `<think>…</think>` in `content`
 * (older Ollama, llama.cpp `--reasoning-format none`, LM Studio and vLLM without a reasoning parser): only the answer
 * is printed, and only the code is the completion the editor would insert as ghost text.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger';
import { tempDir } from '../core/ledger/fixtures';
import { startFakeOpenAI, type FakeServer } from '../fakes/index';
import { bareEnvIn } from './cliFixture';
import { runInProcess } from './inProcess';

const USAGE = { inputTokens: 30, outputTokens: 24, cacheReadTokens: 0, cacheWriteTokens: 0 };

describe('switchboard ask and complete with a <think> block in content', function () {
  this.timeout(20_000);
  const dir = tempDir('cli-think-block');
  let fake: FakeServer;
  before(async () => (fake = await startFakeOpenAI({ wire: { comment: 'keep-alive' } })));
  after(() => fake.close());

  async function configFor(model: string): Promise<{ args: (command: string) => string[]; ledger: string }> {
    const file = path.join(dir.path, `${model.replace(/\W/g, '-')}.json`);
    const ref = `openai:${model}`;
    await writeFile(file, JSON.stringify({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: [ref], completion: [ref] }, auto: { enabled: false } }));
    const ledger = path.join(dir.path, `${model.replace(/\W/g, '-')}.jsonl`);
    return { args: (command) => [command, '--config', file, '--ledger', ledger], ledger };
  }

  it('ask prints only the answer, and the ledger keeps the usage the server reported', async () => {
    // One character a chunk: every tag arrives split.
    fake.script({ text: '<think>\nA greeting; greet back.\n</think>\n\nHello back.', chunks: 1000, usage: USAGE });
    const { args, ledger } = await configFor('qwen3:8b');

    const result = await runInProcess([...args('ask'), 'Hello'], { env: bareEnvIn(dir.path) });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'Hello back.');
    const [record] = (await readFile(ledger, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as LedgerRecord);
    assert.equal(record?.outcome, 'ok');
    assert.deepEqual(record?.usage, USAGE);
  });

  it('complete gives only the code where the model began inside the block and sent only </think> (DeepSeek-R1)', async () => {
    fake.script({ text: 'Filter the low ones by quantity.\n</think>\n\nreturn items.filter((item) => item.quantity < threshold);', chunks: 9 });
    const file = path.join(dir.path, 'inventory.ts');
    await writeFile(file, 'export function lowStock(items: Item[], threshold: number): Item[] {\n  \n}\n');
    const { args } = await configFor('deepseek-r1:7b');

    const result = await runInProcess([...args('complete'), '--file', file, '--line', '2', '--column', '3'], { env: bareEnvIn(dir.path) });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'return items.filter((item) => item.quantity < threshold);\n');
  });

  it('complete gives only the code after an opening block', async () => {
    fake.script({ text: '<think>Sum with reduce.</think>\nreturn xs.reduce((a, b) => a + b, 0);', chunks: 11 });
    const file = path.join(dir.path, 'sum.ts');
    await writeFile(file, 'export function sum(xs: number[]): number {\n  \n}\n');
    const { args } = await configFor('qwen3:8b');

    const result = await runInProcess([...args('complete'), '--file', file, '--line', '2', '--column', '3'], { env: bareEnvIn(dir.path) });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'return xs.reduce((a, b) => a + b, 0);\n');
  });
});
