import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BudgetCrossing } from '../../../src/core/budget/budgetNotices';
import { resolveConfig } from '../../../src/core/config';
import { Ledger } from '../../../src/core/ledger';
import { newRecordId } from '../../../src/core/ledger/recordId';
import { Switchboard } from '../../../src/core/switchboard';
import { startFakeOpenAI, type FakeServer } from '../../fakes/index';
import { record, runChild, tempDir } from '../ledger/fixtures';

/**
 * Budget crossings told once across windows: Switchboards on one ledger (as
 * two windows hold them, and one in another process), each following the
 * spend as the editor does.
 */
describe('budget crossings told once across windows', () => {
  let openai: FakeServer;
  const opened: Switchboard[] = [];

  before(async () => {
    openai = await startFakeOpenAI();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((switchboard) => switchboard.dispose()));
    openai.reset();
  });
  // After the hook above (afterEach hooks run in the order added): the folder is removed once every Switchboard
  // is disposed, never while one still writes into it.
  const dir = tempDir('notices');
  after(() => openai.close());

  /** A window: follows the ledger; `seen()` resolves once spend from elsewhere has been counted and looked at. */
  async function window(ledgerPath: string, budget: Record<string, unknown>, told: BudgetCrossing[], settingName?: (key: string) => string) {
    const { config, problems } = resolveConfig({ providers: { openai: { baseUrl: `${openai.url}/v1` } }, routes: { chat: ['openai:gpt-5.4-nano'] }, budget });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({
      config,
      source: 'vscode',
      env: { OPENAI_API_KEY: 'sk-test' },
      ledgerPath,
      onBudgetCrossing: (crossing) => told.push(crossing),
      ...(settingName ? { settingName } : {}),
    });
    opened.push(switchboard);
    let arrived: () => void = () => {};
    await switchboard.loadToday({ watch: true, onChange: () => arrived() });
    await switchboard.checkBudgetCrossings();
    return {
      switchboard,
      /** Resolves once another process's spend has reached `usd` here and crossings were looked for. */
      async seen(usd: number): Promise<void> {
        while (switchboard.budget.gate.statuses()[0]!.spentUsd < usd) await new Promise<void>((resolve) => (arrived = resolve));
        await switchboard.checkBudgetCrossings();
      },
    };
  }

  /** The CLI (or a third window) writing a request's record to the shared ledger. */
  async function spendElsewhere(ledgerPath: string, costUsd: number): Promise<void> {
    const ledger = new Ledger(ledgerPath);
    await ledger.append(record({ id: newRecordId(), costUsd }));
    await ledger.flush();
  }

  it('tells one window of a limit crossed by its own request, not the other window following the same spend', async () => {
    const ledgerPath = path.join(dir.path, 'ledger.jsonl');
    const toldA: BudgetCrossing[] = [];
    const toldB: BudgetCrossing[] = [];
    // `warn`, so the request goes past a limit smaller than its cost and crosses it.
    const budget = { dailyUsd: 0.000001, action: 'warn' };
    const a = await window(ledgerPath, budget, toldA);
    const b = await window(ledgerPath, budget, toldB);
    const result = await a.switchboard.router.run('chat', { messages: [{ role: 'user', content: 'Hello?' }], maxTokens: 64 });
    assert.equal(result.record.budgetAction, 'warn');
    await a.switchboard.checkBudgetCrossings();
    await b.seen(result.record.costUsd!);
    assert.deepEqual([toldA.map((c) => c.level), toldB.map((c) => c.level)], [['reached'], []]);
    assert.match(toldA[0]!.message, /^the daily budget is used up: \$[\d.]+ spent of \$0\.000001; requests still go, with a warning, until it resets on \d{4}-\d{2}-\d{2} at 00:00 \(switchboard\.budget\.dailyUsd, switchboard\.budget\.action\)$/);
  });

  it("names the settings as the Switchboard's settingName does: the CLI's --config file, not the editor's switchboard.*", async () => {
    const ledgerPath = path.join(dir.path, 'ledger.jsonl');
    const told: BudgetCrossing[] = [];
    const cli = await window(ledgerPath, { dailyUsd: 1, warnAt: 0.8 }, told, (key) => `${key} in team.jsonc`);
    await spendElsewhere(ledgerPath, 0.85);
    await cli.seen(0.85);
    await spendElsewhere(ledgerPath, 0.2);
    await cli.seen(1.05);
    assert.deepEqual(
      told.map((c) => c.message.replace(/ on \d{4}-\d{2}-\d{2} at 00:00/, '')),
      [
        '$0.85 of the daily budget ($1.00) spent, past the warning at 80%; it resets (budget.dailyUsd and budget.warnAt in team.jsonc)',
        'the daily budget is used up: $1.05 spent of $1.00; requests are refused until it resets (budget.dailyUsd and budget.action in team.jsonc)',
      ],
    );
  });

  it('tells once of spend written by another process, whichever window sees it first; the warning, then the limit, then a raised limit crossed again', async () => {
    const ledgerPath = path.join(dir.path, 'ledger.jsonl');
    const told: BudgetCrossing[] = [];
    const budget = { dailyUsd: 1, warnAt: 0.8 };
    const windows = [await window(ledgerPath, budget, told), await window(ledgerPath, budget, told)];
    const seenBy = (usd: number) => Promise.all(windows.map((w) => w.seen(usd)));

    await spendElsewhere(ledgerPath, 0.5);
    await seenBy(0.5);
    assert.equal(told.length, 0, 'under the warning: nothing');
    await spendElsewhere(ledgerPath, 0.35);
    await seenBy(0.85);
    assert.deepEqual(told.map((c) => c.level), ['warning']);
    assert.match(told[0]!.message, /^\$0\.85 of the daily budget \(\$1\.00\) spent, past the warning at 80%; it resets on .* \(switchboard\.budget\.dailyUsd, switchboard\.budget\.warnAt\)$/);
    await spendElsewhere(ledgerPath, 0.2);
    await seenBy(1.05);
    assert.deepEqual(told.map((c) => c.level), ['warning', 'reached']);
    assert.match(told[1]!.message, /^the daily budget is used up: \$1\.05 spent of \$1\.00; requests are refused until it resets/);

    // Raised past the spend in both windows (a settings change reaches every window), then crossed again.
    const { config } = resolveConfig({ providers: { openai: { baseUrl: `${openai.url}/v1` } }, routes: { chat: ['openai:gpt-5.4-nano'] }, budget: { dailyUsd: 2, warnAt: 0.99 } });
    await Promise.all(windows.map((w) => w.switchboard.reconfigure(config)));
    await spendElsewhere(ledgerPath, 1);
    await seenBy(2.05);
    assert.deepEqual(told.map((c) => c.level), ['warning', 'reached', 'reached']);
    assert.deepEqual((await readdir(`${ledgerPath}.notices`)).length, 3, 'one claim a crossing, beside the ledger');
  });

  it('tells once between this process and another one following the same ledger', async function () {
    this.timeout(30_000);
    const ledgerPath = path.join(dir.path, 'ledger.jsonl');
    const told: BudgetCrossing[] = [];
    const here = await window(ledgerPath, { dailyUsd: 1 }, told);
    const child = runChild('test/core/children/budgetWatcher.ts', [ledgerPath, '1']);
    try {
      await child.waitFor(/^ready$/);
      await spendElsewhere(ledgerPath, 1.5);
      await Promise.all([here.seen(1.5), child.waitFor(/^checked 1\.5$/)]);
      const toldThere = child.lines.filter((line) => line.startsWith('crossing '));
      assert.deepEqual([...told.map((c) => `crossing ${c.level}`), ...toldThere], ['crossing reached'], `told here ${told.length}, in the child ${toldThere.length}`);
    } finally {
      child.process.stdin.end();
      assert.equal((await child.exited).code, 0, child.stderr());
    }
  });
});
