import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SharedReservations } from '../../src/core/budget/sharedReservations';
import { NOVA, cli, fakes, dir, configFile, keyedEnv, newLedger, useCliFixture, ledgerRecord, readLedger, oneErrorLine } from './cliFixture';
import { runCli, startCli } from './cliHarness';
import { runInProcess } from './inProcess';

/** `switchboard complete`: the completion the editor would insert, --json, bad flags and Ctrl-C. */
describe('switchboard complete', function () {
  this.timeout(20_000);
  useCliFixture();

  const source = [
    'export function lowStock(items: Item[], threshold: number): Item[] {',
    '  ',
    '}',
    '',
  ].join('\n');
  let file: string;
  before(async () => {
    file = path.join(dir, 'inventory.ts');
    await writeFile(file, source);
  });

  async function complete(args: string[]) {
    const ledger = newLedger();
    const result = await runCli(cli, ['complete', '--config', configFile, '--ledger', ledger, ...args], { env: keyedEnv });
    return { ...result, ledger };
  }

  it('prints the completion the editor would insert at a 1-based line and column', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: '```ts\nreturn items.filter((item) => item.quantity < threshold);\n```' });
    const result = await complete(['--file', file, '--line', '2', '--column', '3']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'return items.filter((item) => item.quantity < threshold);\n', 'fences stripped, as in the editor; a line end after it');
    const body = fakes.openai.requests[0]?.body as { model: string; messages: Array<{ role: string; content: string }> };
    assert.equal(body.model, 'gpt-5.4-nano', 'the completion route\'s first model');
    const prompt = body.messages.map((m) => m.content).join('\n');
    assert.match(prompt, /inventory\.ts/);
    assert.match(prompt, /typescript/i);
    assert.match(prompt, /threshold: number\): Item\[\] \{\n {2}\{\{FILL_HERE\}\}\n\}/, 'prefix, marked gap, suffix');
    const [record] = await readLedger(result.ledger);
    assert.equal(record?.task, 'completion');
    assert.equal(record?.model, 'gpt-5.4-nano');
  });

  it('knows a docstring opened above the text it sends, as the editor does: its `Returns:` opens no block', async () => {
    // 400 lines of prose (about 15,600 characters) between the docstring's quotes and the cursor: more than the text sent.
    const prose = Array.from({ length: 400 }, (_, i) => `    line ${String(i).padStart(4, '0')} of the long explanation.`).join('\n');
    const report = path.join(dir, 'report.py');
    await writeFile(report, `def report(rows):\n    """Sums the rows.\n\n${prose}\n\n    Returns:\n    """\n    return sum(rows)\n`);
    fakes.openai.scriptModel('gpt-5.4-nano', { text: '\n    The sum of the rows.' });
    const result = await runInProcess(['complete', '--config', configFile, '--ledger', newLedger(), '--file', report, '--line', '405', '--column', '13'], { env: keyedEnv });
    assert.equal(result.code, 0, result.stderr);
    // Read as code, `Returns:` would open a block and the line would move one level deeper.
    assert.equal(result.stdout, '\n    The sum of the rows.\n');
  });

  it('offers no completion holding an escape sequence, as the editor offers no such ghost text: nothing of it reaches the terminal', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];\x1b]0;pwned\x07' });
    const result = await runInProcess(['complete', '--config', configFile, '--ledger', newLedger(), '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv, stdoutIsTTY: true });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fakes.openai.requests.length > 0, true, 'the model was asked');
    assert.equal(result.stdout, '');
    assert.ok(!result.stderr.includes('\x1b') && !result.stderr.includes('pwned'), result.stderr);
  });

  it('says on stderr that a budget past its limit let the completion through under "warn"', async () => {
    const budgetConfig = path.join(dir, 'budget-warn-complete.json');
    await writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.5, action: 'warn' }, providers: { openai: fakes.urls.openai } }));
    const ledger = newLedger();
    await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];' });
    const result = await runCli(cli, ['complete', '--config', budgetConfig, '--ledger', ledger, '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'return [];\n');
    assert.match(oneErrorLine(result), /^switchboard: warning: daily budget reached: \$0\.75\d* spent of \$0\.50 \(budget\.dailyUsd in \S+\.json\); sent anyway, as budget\.action is "warn"$/);
  });

  it("counts other processes' requests in flight under a budget, as every CLI request does: runs side by side cannot each take a limit's last cents", async () => {
    const budgetConfig = path.join(dir, 'budget-block-complete.json');
    await writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.5 }, providers: { openai: fakes.urls.openai } }));
    const ledger = newLedger();
    await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.4 })) + '\n');
    // Another process (a window's chat, another `switchboard complete`) has $0.10 in flight: the limit is taken up.
    const elsewhere = new SharedReservations(ledger);
    try {
      await elsewhere.add('openai', 0.1);
      fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];' });
      const result = await runCli(cli, ['complete', '--config', budgetConfig, '--ledger', ledger, '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv });
      assert.equal(result.code, 1, result.stderr);
      assert.match(oneErrorLine(result), /daily budget taken up by requests in flight: \$0\.40 spent and \$0\.10 in flight of \$0\.50/);
      assert.equal(fakes.openai.requests.length, 0, 'nothing sent');
    } finally {
      await elsewhere.dispose();
    }
  });

  it('prints one JSON object with --json', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'return [];', usage: { inputTokens: 200, outputTokens: 5 } });
    const result = await complete(['--file', file, '--line', '2', '--column', '3', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(json.text, 'return [];');
    assert.equal(json.task, 'completion');
    assert.equal(json.provider, 'openai');
    assert.equal(json.model, 'gpt-5.4-nano');
    assert.deepEqual(json.usage, { inputTokens: 200, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 });
    assert.equal(typeof json.costUsd, 'number');
    assert.deepEqual(json.attempts, []);
  });

  it('prints the failed request as JSON with --json, as ask does, and exits 1', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { status: 500 });
    fakes.anthropic.scriptModel('claude-haiku-4-5', { status: 500 });
    fakes.bedrock.scriptModel(NOVA, { status: 500, errorCode: 'InternalServerException' });
    const result = await complete(['--file', file, '--line', '2', '--column', '3', '--json']);
    assert.equal(result.code, 1);
    const json = JSON.parse(result.stdout) as { outcome: string; error: string; attempts: unknown[]; text: string };
    assert.equal(json.outcome, 'error');
    assert.equal(json.text, '');
    assert.match(json.error, /every model of the completion route failed/);
    assert.ok(json.attempts.length > 0);
    assert.match(oneErrorLine(result), /every model of the completion route failed/);
  });

  it('names the flag that is wrong', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--line', '2', '--column', '3'], /complete needs --file PATH/],
      [['--file', file, '--column', '3'], /complete needs --line N/],
      [['--file', file, '--line', '0', '--column', '1'], /--line "0" must be a whole number from 1/],
      [['--file', file, '--line', '99', '--column', '1'], /--line 99 is past the end of .*inventory\.ts/],
      [['--file', file, '--line', '2', '--column', '40'], /--column 40 is past the end of line 2 \(2 characters\)/],
      [['--file', path.join(dir, 'missing.ts'), '--line', '1', '--column', '1'], /cannot read --file .*missing\.ts: no such file \(ENOENT\)/],
    ];
    for (const [args, message] of cases) {
      const result = await complete(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(oneErrorLine(result), message);
    }
    assert.equal(fakes.openai.requests.length, 0, 'no request for bad input');
  });

  it('exits 130 on Ctrl-C while the completion streams, and records the cancelled request', async () => {
    fakes.openai.scriptModel('gpt-5.4-nano', { stall: true });
    const ledger = newLedger();
    const { child, finished } = startCli(cli, ['complete', '--config', configFile, '--ledger', ledger, '--file', file, '--line', '2', '--column', '3'], { env: keyedEnv });
    await fakes.openai.waitForRequests(1);

    child.kill('SIGINT');
    const result = await finished;

    assert.equal(result.code, 130);
    assert.equal(result.stderr, 'switchboard: cancelled\n');
    assert.equal(result.stdout, '');
    await fakes.openai.waitForClosedEarly(1);
    const records = await readLedger(ledger);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.task, 'completion');
    assert.equal(records[0]?.outcome, 'cancelled');
  });

  it('refuses a binary file', async () => {
    const binary = path.join(dir, 'image.bin');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0a, 0x41]));
    const result = await complete(['--file', binary, '--line', '1', '--column', '1']);
    assert.equal(result.code, 2);
    assert.match(oneErrorLine(result), /looks binary; not completed/);
  });
});
