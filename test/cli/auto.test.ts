import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../src/core/ledger';
import { autoRecord } from '../core/routing/records';
import { dir, fakes, useFakeProviders, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

describe('switchboard ask and costs with Auto', function () {
  this.timeout(20_000);
  let config: string;
  useFakeProviders();
  useTempFolder('cli-auto');

  before(async () => {
    config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ providers: { anthropic: fakes.urls.anthropic }, routes: { chat: ['anthropic:claude-sonnet-5'] }, auto: { enabled: true } }));
  });

  it('ask sends a lookup to the cheap tier and prints the routing with --json', async () => {
    const ledger = path.join(dir, 'ask.jsonl');
    const result = await runInProcess(['ask', '--config', config, '--ledger', ledger, '--json', 'How do I exit vim?'], { env: { ANTHROPIC_API_KEY: 'test' }, cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const answer = JSON.parse(result.stdout) as { model: string; routing: { mode: string; tier: string; score: number; reasons: string[] } };
    assert.equal(answer.model, 'claude-haiku-4-5');
    assert.equal(answer.routing.mode, 'auto');
    assert.equal(answer.routing.tier, 'cheap');
    const [record] = (await readFile(ledger, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as LedgerRecord);
    assert.deepEqual(record!.routing, answer.routing);
  });

  it('ask says on stderr when Auto handed the question to the other tier, the answer alone on stdout', async () => {
    const ledger = path.join(dir, 'ask-handed-over.jsonl');
    fakes.anthropic.scriptModel('claude-haiku-4-5', { status: 529 });
    try {
      const result = await runInProcess(['ask', '--config', config, '--ledger', ledger, 'How do I exit vim?'], { env: { ANTHROPIC_API_KEY: 'test' }, cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Simulated answer from claude-sonnet-5/);
      assert.equal(result.stderr, 'switchboard: Auto handed over from the cheap tier: its models failed before answering; answered on the strong tier by anthropic:claude-sonnet-5\n');
      const [record] = (await readFile(ledger, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as LedgerRecord);
      assert.deepEqual([record!.routing?.tier, record!.routing?.handedOverFrom], ['strong', 'cheap']);
    } finally {
      fakes.anthropic.reset();
    }
  });

  it('ask says in one line that a budget moved the question to Auto\'s cheap tier: the model that answered, the strong tier\'s, and the limit\'s key', async () => {
    const budgetConfig = path.join(dir, 'downgrade.json');
    await writeFile(budgetConfig, JSON.stringify({ providers: { anthropic: fakes.urls.anthropic }, routes: { chat: ['anthropic:claude-sonnet-5'] }, auto: { enabled: true }, budget: { dailyUsd: 0.5, action: 'downgrade' } }));
    const ledger = path.join(dir, 'ask-downgraded.jsonl');
    await writeFile(ledger, `${JSON.stringify(autoRecord({ id: 'spent', model: 'claude-sonnet-5', costUsd: 0.75, time: new Date().toISOString() }))}\n`);
    // Scored for the strong tier (a proof and a design question), which the budget keeps it from.
    const hard = 'Design a consensus protocol that tolerates byzantine faults and prove its safety and liveness under partitions';

    const result = await runInProcess(['ask', '--config', budgetConfig, '--ledger', ledger, hard], { env: { ANTHROPIC_API_KEY: 'test' }, cwd: dir });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Simulated answer from claude-haiku-4-5/);
    assert.equal(
      result.stderr,
      `switchboard: warning: daily budget reached: $0.75 spent of $0.50 (budget.dailyUsd in ${budgetConfig}); sent to Auto's cheap tier, anthropic:claude-haiku-4-5 instead of the strong tier's anthropic:claude-sonnet-5, as budget.action is "downgrade"\n`,
    );
  });

  it('costs reports Auto: tiers, retries of cheap answers, and what it saved', async () => {
    const ledger = path.join(dir, 'costs.jsonl');
    const records = [
      autoRecord({ id: 'a', costUsd: 0.002 }),
      autoRecord({ id: 'b', costUsd: 0.002 }),
      // Scored cheap, handed to the strong tier when the cheap one failed: a strong-tier answer, counted as handed over.
      autoRecord({ id: 'c', model: 'claude-sonnet-5', costUsd: 0.004, routing: { mode: 'auto', tier: 'strong', score: 0.2, handedOverFrom: 'cheap', reasons: ['handed over from the cheap tier: its models failed before answering'] } }),
      autoRecord({ id: 'd', model: 'claude-sonnet-5', costUsd: 0.004, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'a' }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

    const text = await runInProcess(['costs', '--config', config, '--ledger', ledger], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    // Two cheap answers at half Sonnet's price save $0.002 each; the retry of one costs $0.004: no saving left.
    assert.match(text.stdout, /^Auto: 3 requests \(2 cheap tier, 1 strong tier, 1 handed over to the other tier when the one picked could not answer\); 1 of 2 cheap-tier answers retried on the strong tier \(50\.0 %\); of that, Auto's cheap tier saved \$0\.00, retries included$/m);

    const json = JSON.parse((await runInProcess(['costs', '--config', config, '--ledger', ledger, '--json'], { cwd: dir })).stdout) as { auto: Record<string, number>; savings: { savedUsd: number } };
    assert.deepEqual(json.auto, { requests: 3, cheap: 2, strong: 1, handedOver: 1, retries: 1, retriedShare: 0.5, savedUsd: 0 });
    // The overall figure counts the retry against routing as Auto's does: the strong-tier answer saved nothing, so they agree.
    assert.equal(json.savings.savedUsd, json.auto.savedUsd);
  });

  it('costs leaves a hand-over from a failed strong tier out of both savings and says what it cost less apart', async () => {
    const ledger = path.join(dir, 'costs-handed-over.jsonl');
    const records = [
      autoRecord({ id: 'a', costUsd: 0.002 }),
      // Scored strong, handed to the cheap tier when the strong one failed: cheaper by a failure, not by routing.
      autoRecord({ id: 'b', costUsd: 0.002, routing: { mode: 'auto', tier: 'cheap', score: 0.9, handedOverFrom: 'strong', reasons: ['handed over from the strong tier: its models failed before answering'] } }),
      // Its retry on the strong tier: the failure's cost too, neither a routing miss nor routing's cost.
      autoRecord({ id: 'c', model: 'claude-sonnet-5', costUsd: 0.004, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'b', retryOfHandedOver: true }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

    const text = await runInProcess(['costs', '--config', config, '--ledger', ledger], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    // The three figures rounded alike, so they add up: formatUsd alone wrote the strong side "$0.01" beside $0.008 and $0.002.
    assert.match(text.stdout, /^Routing saved \$0\.002: these requests cost \$0\.008, and would have cost \$0\.010 on each route's strong tier \(.*chat: anthropic:claude-sonnet-5.*\)$/m);
    assert.match(text.stdout, /^Not in the saving: 1 request Auto sent to the strong tier and handed over to the cheap tier because the strong tier failed \(\$0\.002 less than on the strong tier\), counted at what it cost, since a failure chose the cheap tier, not routing\.$/m);
    assert.match(text.stdout, /^Auto: 2 requests \(2 cheap tier, 0 strong tier, 1 handed over to the other tier when the one picked could not answer\); 0 of 2 cheap-tier answers retried on the strong tier \(0\.0 %\); of that, Auto's cheap tier saved \$0\.002, retries included, hand-overs from the strong tier left out$/m);

    const json = JSON.parse((await runInProcess(['costs', '--config', config, '--ledger', ledger, '--json'], { cwd: dir })).stdout) as { auto: Record<string, number>; savings: Record<string, number> };
    assert.deepEqual(json.auto, { requests: 2, cheap: 2, strong: 0, handedOver: 1, retries: 0, retriedShare: 0, savedUsd: 0.002 });
    assert.deepEqual([json.savings.savedUsd, json.savings.comparedRequests, json.savings.handedOverRequests, json.savings.handedOverUsd], [0.002, 1, 1, 0.002]);
    assert.equal(json.savings.savedUsd, json.auto.savedUsd, 'the two savings agree');
  });

  it('costs leaves an unpriced cheap answer and its retry out of both savings', async () => {
    const ledger = path.join(dir, 'costs-unpriced.jsonl');
    const records = [
      autoRecord({ id: 'a', costUsd: 0.002 }),
      autoRecord({ id: 'b', provider: 'local', model: 'llama3:8b', costUsd: null }),
      autoRecord({ id: 'c', model: 'claude-sonnet-5', costUsd: 0.004, routing: { mode: 'retry', tier: 'strong', reasons: [] }, retryOf: 'b', retryOfUnpriced: true }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

    const json = JSON.parse((await runInProcess(['costs', '--config', config, '--ledger', ledger, '--json'], { cwd: dir })).stdout) as { auto: Record<string, number>; savings: { savedUsd: number } };
    // The priced cheap answer saved $0.002; the local answer's cost is unknown, so neither it nor its retry counts.
    assert.deepEqual(json.auto, { requests: 2, cheap: 2, strong: 0, handedOver: 0, retries: 1, retriedShare: 0.5, savedUsd: 0.002 });
    assert.equal(json.savings.savedUsd, 0.002);
  });
  it('costs says a strong tier with no price is not compared, and which requests are unpriced and why', async () => {
    const ledger = path.join(dir, 'costs-unpriced-strong.jsonl');
    // openai:gpt-5.4-pro is not in the shipped price table (nor in its LiteLLM extract of 2026-07-24, under any name).
    const proConfig = path.join(dir, 'pro.json');
    await writeFile(proConfig, JSON.stringify({ routes: { chat: ['openai:gpt-5.4-pro', 'anthropic:claude-sonnet-5'] }, auto: { enabled: true } }));
    const records = [
      autoRecord({ id: 'a', costUsd: 0.002 }),
      autoRecord({ id: 'b', provider: 'openai', model: 'gpt-5.4-pro', requestedModel: 'openai:gpt-5.4-pro', costUsd: null, routing: { mode: 'auto', tier: 'strong', score: 0.9, reasons: [] } }),
    ];
    await writeFile(ledger, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

    const text = await runInProcess(['costs', '--config', proConfig, '--ledger', ledger], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Total: \$0\.002 over 2 requests \(1 unpriced, not counted\)$/m);
    assert.match(text.stdout, /^Unpriced, not in the total: openai:gpt-5\.4-pro \(1 request\): not in the price table \(of 2026-07-24\) or "prices" in \S+\.json \(give it a price there, input and output in USD per million tokens: its requests from then on are priced, and the budgets count these at it too\)$/m);
    assert.match(text.stdout, /^Routing's saving unknown: no answer routing sent to the cheap tier has both a price and a priced strong tier to compare with \(.*chat: openai:gpt-5\.4-pro \(unpriced: chat requests not compared\);/m);
    assert.match(text.stdout, /Auto's share of the saving unknown: no cheap-tier answer and its strong tier both have a price$/m);
  });
});
