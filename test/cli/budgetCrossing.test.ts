import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { record } from '../core/ledger/fixtures';
import { dir, fakes, useFakeProviders, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/** A record of `costUsd` spent today, as an earlier run (or the editor) wrote it. */
const spentToday = (costUsd: number): string => `${JSON.stringify(record({ costUsd }))}\n`;

const RESETS = String.raw`it resets on \d{4}-\d\d-\d\d at 00:00`;

/** The editor shows a notice when today's spend crosses budget.warnAt of a limit, or the limit; the CLI says it on stderr. */
describe('switchboard ask and complete: budget crossings', function () {
  this.timeout(20_000);
  let runs = 0;
  const env = () => ({ ANTHROPIC_API_KEY: 'test', HOME: dir });
  useFakeProviders();
  useTempFolder('cli-crossing');

  /** A config of this budget, and a ledger holding `spent` of today. */
  async function setUp(budget: Record<string, unknown>, spent: number) {
    const name = `run-${++runs}`;
    const config = path.join(dir, `${name}.jsonc`);
    const ledger = path.join(dir, `${name}.jsonl`);
    await writeFile(
      config,
      JSON.stringify({
        budget,
        routes: { chat: ['anthropic:claude-sonnet-5'], plan: ['anthropic:claude-sonnet-5'], completion: ['anthropic:claude-haiku-4-5'] },
        providers: { anthropic: fakes.urls.anthropic },
      }),
    );
    await writeFile(ledger, spentToday(spent));
    return { config, ledger };
  }

  it('ask says once, on stderr, that the spend crossed the warning level, naming the --config keys; stdout is the answer alone', async () => {
    const plain = await runInProcess(['ask', '--ledger', path.join(dir, 'plain.jsonl'), '--config', (await setUp({}, 0)).config, 'How do I exit vim?'], { env: env(), cwd: dir });
    assert.equal(plain.code, 0, plain.stderr);
    // $0.7999999 of $1.00 spent: under the warning at 80% until this request's $0.000356.
    const { config, ledger } = await setUp({ dailyUsd: 1 }, 0.7999999);

    const crossing = await runInProcess(['ask', '--config', config, '--ledger', ledger, 'How do I exit vim?'], { env: env(), cwd: dir });

    assert.equal(crossing.code, 0, crossing.stderr);
    assert.equal(crossing.stdout, plain.stdout, 'stdout is what it is without a budget');
    const at = config.replaceAll('.', '\\.');
    assert.match(
      crossing.stderr,
      new RegExp(String.raw`^switchboard: warning: \$0\.80 of the daily budget \(\$1\.00\) spent, past the warning at 80%; ${RESETS} \(budget\.dailyUsd and budget\.warnAt in ${at}\)\n$`),
    );

    const next = await runInProcess(['ask', '--config', config, '--ledger', ledger, 'And emacs?'], { env: env(), cwd: dir });
    assert.equal(next.code, 0, next.stderr);
    assert.equal(next.stderr, '', 'a crossing is told once, not by every run after it');
  });

  it('ask --task plan --json says the limit is used up on stderr, after the over-budget warning, with one JSON object on stdout', async () => {
    const { config, ledger } = await setUp({ dailyUsd: 0.5, action: 'warn' }, 0.4999999);

    const result = await runInProcess(['ask', '--task', 'plan', '--json', '--config', config, '--ledger', ledger, 'Plan a rename'], { env: env(), cwd: dir });

    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout) as { task: string; budgetAction: string };
    assert.deepEqual([answer.task, answer.budgetAction], ['plan', 'warn']);
    const lines = result.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines[0]!, /^switchboard: warning: \$0\.0000001 left of the daily budget .*; sent anyway, as budget\.action is "warn"$/);
    assert.match(lines[1]!, new RegExp(String.raw`^switchboard: warning: the daily budget is used up: \$0\.50 spent of \$0\.50; requests still go, with a warning, until ${RESETS} \(budget\.dailyUsd and budget\.action in \S+\)$`));
  });

  it('complete says the crossing too', async () => {
    const { config, ledger } = await setUp({ dailyUsd: 1 }, 0.7999999);
    const file = path.join(dir, 'sum.ts');
    await writeFile(file, 'function total(items) {\n  return \n}\n');
    fakes.anthropic.scriptModel('claude-haiku-4-5', { text: 'items.length;' });
    try {
      const result = await runInProcess(['complete', '--config', config, '--ledger', ledger, '--file', file, '--line', '2', '--column', '10'], { env: env(), cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'items.length;\n');
      assert.match(result.stderr, /^switchboard: warning: \$0\.80 of the daily budget \(\$1\.00\) spent, past the warning at 80%; .*\(budget\.dailyUsd and budget\.warnAt in \S+\)\n$/);
    } finally {
      fakes.anthropic.reset();
    }
  });

  it('a crossing made before the run is neither told nor claimed: the editor tells it when a window reads the ledger', async () => {
    const { config, ledger } = await setUp({ dailyUsd: 1 }, 0.9);

    const result = await runInProcess(['ask', '--config', config, '--ledger', ledger, 'How do I exit vim?'], { env: env(), cwd: dir });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const claims = await readdir(`${ledger}.notices`).catch(() => []);
    assert.deepEqual(claims, [], 'no claim left for the editor to find');
  });
});
