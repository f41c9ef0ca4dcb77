import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { terminalColumns } from '../../src/cli/terminalColumns';
import { dir, useTempFolder } from './cliFixture';
import { runInProcess as run } from './inProcess';

/** One ledger record of a chat answered by `model`, as another process (or a Bedrock router) could write it. */
function record(model: string, costUsd: number): string {
  return JSON.stringify({
    v: 1,
    time: new Date().toISOString(),
    task: 'chat',
    provider: 'openai',
    model,
    requestedModel: 'openai:gpt-5',
    usage: { inputTokens: 1200, outputTokens: 34, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd,
    latencyMs: 100,
    firstTokenMs: 50,
    outcome: 'ok',
    attempts: [],
    source: 'cli',
  });
}

/** The table's lines: from the header (`model` or `--by`'s name) to the blank line after it. */
function tableLines(stdout: string, head: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(head));
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

/** The column each line's `cost` cell ends at, which the header's `cost` ends at too when the table lines up. */
const lineEnds = (lines: string[]) => lines.map(terminalColumns);

describe('switchboard costs: columns sized from the text as printed', () => {
  let config: string;
  useTempFolder('costs-widths');
  before(async () => {
    config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ auto: { enabled: false } }));
  });

  async function ledgerOf(name: string, models: string[]): Promise<string> {
    const file = path.join(dir, `${name}.jsonl`);
    await writeFile(file, models.map((model, index) => `${record(model, 0.01 * (index + 1))}\n`).join(''));
    return file;
  }

  it('lines up a model id with bidi controls on a terminal, where each is printed as <U+202E>', async () => {
    const ledger = await ledgerOf('bidi', ['gpt-5\u202Einim-\u202C', 'gpt-5']);
    for (const by of [[], ['--by', 'model']]) {
      const terminal = await run(['costs', '--config', config, '--ledger', ledger, ...by], { stdoutIsTTY: true });
      assert.equal(terminal.code, 0, terminal.stderr);
      const lines = tableLines(terminal.stdout, 'model');
      assert.equal(lines.length, 3, terminal.stdout);
      assert.ok(lines.some((line) => line.startsWith('openai:gpt-5<U+202E>inim-<U+202C>  ')), terminal.stdout);
      // Every line as long as the header, each cell under its heading.
      assert.deepEqual(lineEnds(lines), lines.map(() => terminalColumns(lines[0]!)), terminal.stdout);
    }
  });

  it('lines up CJK and emoji in a model id by the columns a terminal gives them, piped or not', async () => {
    const ledger = await ledgerOf('wide', ['通义千问-max', 'llama-🦙-8b', 'gpt-5']);
    for (const options of [{ stdoutIsTTY: true }, {}]) {
      const result = await run(['costs', '--config', config, '--ledger', ledger], options);
      assert.equal(result.code, 0, result.stderr);
      const lines = tableLines(result.stdout, 'model');
      assert.equal(lines.length, 4, result.stdout);
      assert.deepEqual(lineEnds(lines), lines.map(() => terminalColumns(lines[0]!)), result.stdout);
    }
  });

  it('counts terminal columns: wide two, marks and joiners none, an emoji sequence one picture', () => {
    assert.equal(terminalColumns('gpt-5'), 5);
    assert.equal(terminalColumns('千问'), 4);
    assert.equal(terminalColumns('ｇｐｔ'), 6);
    assert.equal(terminalColumns('e\u0301'), 1);
    assert.equal(terminalColumns('👩‍💻'), 2);
    assert.equal(terminalColumns('🦙'), 2);
    assert.equal(terminalColumns('\u202E'), 0);
    assert.equal(terminalColumns('Ωμέγα'), 5);
  });
});
