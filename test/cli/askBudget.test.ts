import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cli, fakes, dir, keyedEnv, newLedger, useCliFixture, ledgerRecord, oneErrorLine } from './cliFixture';
import { runCli } from './cliHarness';
import { runInProcess } from './inProcess';

/** `switchboard ask` under a budget: what it refuses, and what it says it let through. */
describe('switchboard ask under a budget', function () {
  this.timeout(20_000);
  useCliFixture();

  it('refuses once the daily budget is spent, counting what earlier runs wrote to the ledger', async () => {
    const ledger = newLedger();
    await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
    const budgetConfig = path.join(dir, 'budget.json');
    await writeFile(
      budgetConfig,
      JSON.stringify({ budget: { dailyUsd: 0.5 }, providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic } }),
    );

    const result = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', ledger, 'One more?'], { env: keyedEnv });

    assert.equal(result.code, 1);
    assert.match(oneErrorLine(result), /daily budget reached: \$0\.75 spent of \$0\.50; it resets on \d{4}-\d\d-\d\d at 00:00 \(raise budget\.dailyUsd in \S*budget\.json to continue now\)$/);
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('says on stderr what a budget past its limit let through under "warn" and "downgrade", and --json carries budgetAction', async () => {
    const budgetConfig = path.join(dir, 'budget-past.json');
    const write = (action: string) =>
      writeFile(
        budgetConfig,
        JSON.stringify({
          budget: { dailyUsd: 0.5, action },
          routes: { chat: ['anthropic:claude-sonnet-5', 'anthropic:claude-haiku-4-5'] },
          auto: { enabled: false },
          providers: { anthropic: fakes.urls.anthropic },
        }),
      );
    const spent = async () => {
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
      return ledger;
    };

    await write('warn');
    const warned = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', await spent(), 'One more?'], { env: keyedEnv });
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stdout, /^Simulated answer from claude-sonnet-5/);
    assert.match(oneErrorLine(warned), /^switchboard: warning: daily budget reached: \$0\.75\d* spent of \$0\.50 \(budget\.dailyUsd in \S+\.json\); sent anyway, as budget\.action is "warn"$/);

    await write('downgrade');
    const downgraded = await runCli(cli, ['ask', '--json', '--config', budgetConfig, '--ledger', await spent(), 'One more?'], { env: keyedEnv });
    assert.equal(downgraded.code, 0, downgraded.stderr);
    const answer = JSON.parse(downgraded.stdout) as { model: string; budgetAction?: string };
    assert.deepEqual([answer.model, answer.budgetAction], ['claude-haiku-4-5', 'downgrade']);
    assert.match(oneErrorLine(downgraded), / \(budget\.dailyUsd in \S+\.json\); sent to the route's cheapest model only, anthropic:claude-haiku-4-5 instead of anthropic:claude-sonnet-5, as budget\.action is "downgrade"$/);
  });

  it('says what was left, not "budget reached", when only the request\'s worst case would pass the limit', async () => {
    const budgetConfig = path.join(dir, 'budget-near.json');
    const write = (action: string, chat: string[]) =>
      writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.5, action }, routes: { chat }, auto: { enabled: false }, providers: { anthropic: fakes.urls.anthropic } }));
    const nearlySpent = async () => {
      const ledger = newLedger();
      await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.47 })) + '\n');
      return ledger;
    };
    // $0.03 left; claude-sonnet-5's worst case (4,096 output tokens at $10/M, and the prompt) is $0.041, claude-haiku-4-5's $0.021.
    const left = String.raw`\$0\.03 left of the daily budget \(\$0\.47 spent of \$0\.50\), and this request could cost up to \$0\.041 \(its prompt and every output token it may generate`;
    await write('downgrade', ['anthropic:claude-sonnet-5', 'anthropic:claude-haiku-4-5']);
    const downgraded = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', await nearlySpent(), 'One more?'], { env: keyedEnv });
    assert.equal(downgraded.code, 0, downgraded.stderr);
    assert.match(downgraded.stdout, /^Simulated answer from claude-haiku-4-5/);
    assert.match(oneErrorLine(downgraded), new RegExp(`^switchboard: warning: ${left}.*\\) \\(budget\\.dailyUsd in \\S+\\.json\\); sent to the route's cheapest model only, anthropic:claude-haiku-4-5 instead of anthropic:claude-sonnet-5, as budget\\.action is "downgrade"$`));

    await write('warn', ['anthropic:claude-sonnet-5']);
    const warned = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', await nearlySpent(), 'One more?'], { env: keyedEnv });
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(oneErrorLine(warned), new RegExp(`^switchboard: warning: ${left}.*\\) \\(budget\\.dailyUsd in \\S+\\.json\\); sent anyway, as budget\\.action is "warn"$`));
  });

  it('a model of a server elsewhere with no price, refused by a small budget, is said to be unpriced, with the estimate assumed and its --config price entry', async () => {
    const budgetConfig = path.join(dir, 'budget-local.json');
    // The fake by a name that is no loopback name: a server across a network (a LAN box), whose cost is unknown.
    const baseUrl = fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const settings = { budget: { dailyUsd: 0.05 }, routes: { chat: ['openai:llama3.2'] }, auto: { enabled: false }, providers: { openai: { baseUrl, sendKeyTo: ['[::ffff:7f00:1]'] } } };
    await writeFile(budgetConfig, JSON.stringify(settings));
    const refused = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', newLedger(), 'hello'], { env: keyedEnv });
    assert.equal(refused.code, 1);
    assert.equal(fakes.openai.requests.length, 0, 'not sent');
    assert.match(
      oneErrorLine(refused),
      /^switchboard: \$0\.05 left of the daily budget \(\$0\.00 spent of \$0\.05\), and this request could cost up to \$0\.06\d+ \(its prompt and every output token it may generate; openai:llama3\.2 has no known price, so this assumes budget\.unpricedEstimate in \S+budget-local\.json, \$3\.00 input and \$15\.00 output per million tokens; give it its price under "prices" in \S+budget-local\.json, in USD per million tokens: "openai:llama3\.2": \{ "input": 0, "output": 0 \} if nothing bills you for it \(a server of your own\), else its provider's rates\); it resets on \S+ at 00:00 \(raise budget\.dailyUsd in \S+budget-local\.json to continue now\)$/,
    );
    // The entry it names, added to the file, lets the request go at $0.
    await writeFile(budgetConfig, JSON.stringify({ ...settings, prices: { 'openai:llama3.2': { input: 0, output: 0 } } }));
    const priced = await runCli(cli, ['ask', '--json', '--config', budgetConfig, '--ledger', newLedger(), 'hello'], { env: keyedEnv });
    assert.equal(priced.code, 0, priced.stderr);
    const answer = JSON.parse(priced.stdout) as { outcome: string; costUsd: number | null; costSource?: string };
    assert.deepEqual([answer.outcome, answer.costUsd, answer.costSource], ['ok', 0, 'price-table']);
  });

  it('a model of a server on this machine costs "local, $0": a small budget lets it go, and the footer and --json say so', async () => {
    const budgetConfig = path.join(dir, 'budget-this-machine.json');
    await writeFile(budgetConfig, JSON.stringify({ budget: { dailyUsd: 0.0001 }, routes: { chat: ['openai:llama3.2'] }, auto: { enabled: false }, providers: { openai: fakes.urls.openai } }));
    const ledger = newLedger();
    const answered = await runInProcess(['ask', '--config', budgetConfig, '--ledger', ledger, 'hello'], { env: keyedEnv, stderrIsTTY: true });
    assert.equal(answered.code, 0, answered.stderr);
    assert.match(answered.stderr, /^switchboard: openai:llama3\.2, [\d,]+ in \/ [\d,]+ out tokens, local, \$0, [\d.]+ s$/m);
    const json = await runCli(cli, ['ask', '--json', '--config', budgetConfig, '--ledger', ledger, 'hello'], { env: keyedEnv });
    assert.equal(json.code, 0, json.stderr);
    const answer = JSON.parse(json.stdout) as { outcome: string; costUsd: number | null; costSource?: string };
    assert.deepEqual([answer.outcome, answer.costUsd, answer.costSource], ['ok', 0, 'local']);
  });

  it('says on stderr which model a provider\'s own limit passed over under "block", why, and which model answered instead', async () => {
    const budgetConfig = path.join(dir, 'budget-provider.json');
    await writeFile(
      budgetConfig,
      JSON.stringify({
        budget: { providers: { openai: { dailyUsd: 0.5 } } },
        routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] },
        auto: { enabled: false },
        providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic },
      }),
    );
    const ledger = newLedger();
    await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { provider: 'openai', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costUsd: 0.75 })) + '\n');

    const result = await runCli(cli, ['ask', '--config', budgetConfig, '--ledger', ledger, 'One more?'], { env: keyedEnv });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Simulated answer from claude-haiku-4-5/);
    assert.equal(fakes.openai.requests.length, 0, 'the limit stopped openai before any request');
    assert.match(
      oneErrorLine(result),
      /^switchboard: warning: openai:gpt-5\.4-nano was not asked: daily openai budget reached: \$0\.75 spent of \$0\.50; it resets on \d{4}-\d\d-\d\d at 00:00 \(raise budget\.providers\.openai\.dailyUsd in \S+budget-provider\.json to continue now\); answered by anthropic:claude-haiku-4-5 instead$/,
    );
  });
});
