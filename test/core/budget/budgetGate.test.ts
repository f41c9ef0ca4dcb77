import assert from 'node:assert/strict';
import { Budget } from '../../../src/core/budget/budget';
import { budgetLine } from '../../../src/core/budget/budgetGate';
import { budgetLimits, periodEnd } from '../../../src/core/budget/budgetLimits';
import { admissionPromptTokens, cheapestModel, largestCompletionCost, worstCaseCost } from '../../../src/core/budget/requestCost';
import { buildCompletionRequest } from '../../../src/core/completion/completionPrompt';
import { resolveConfig, type BudgetConfig } from '../../../src/core/config';
import { PriceTable } from '../../../src/core/prices/priceTable';
import { SpendTracker } from '../../../src/core/spendTracker';
import type { ModelRequest } from '../../../src/core/types';
import { record } from '../costs/cells';

const NOW = new Date(2026, 10, 18, 15, 0); // 18 November 2026, local time

function budgetOf(raw: Record<string, unknown>, now = () => NOW) {
  const { config, problems } = resolveConfig({ budget: raw });
  assert.deepEqual(problems, []);
  // The month's spend as the router keeps it: each finished request added to the spend tracker.
  const spend = new SpendTracker(now);
  const budget = new Budget(() => config.budget, () => spend.monthCells(), now);
  return { spend, gate: budget.gate, config: config.budget };
}

/** A finished request of `costUsd` at `time` (today by default). */
const spent = (costUsd: number | null, fields: Parameters<typeof record>[0] = {}) =>
  record({ time: NOW.toISOString(), provider: 'openai', model: 'gpt-5.4', costUsd, ...fields });

describe('budget limits', () => {
  it('lists only the limits set, overall first, named by their settings', () => {
    const { config } = resolveConfig({ budget: { dailyUsd: 1, providers: { openai: { monthlyUsd: 20 }, anthropic: { dailyUsd: 0 } } } });
    assert.deepEqual(
      budgetLimits(config.budget).map((limit) => [limit.label, limit.setting]),
      [
        ['daily budget', 'budget.dailyUsd'],
        ['monthly openai budget', 'budget.providers.openai.monthlyUsd'],
      ],
    );
  });

  it('resets a day at the next local midnight and a month on the 1st, across a year end', () => {
    assert.equal(periodEnd('day', '2026-12-31').getTime(), new Date(2027, 0, 1).getTime());
    assert.equal(periodEnd('month', '2026-12-05').getTime(), new Date(2027, 0, 1).getTime());
    assert.equal(periodEnd('month', '2026-02-28').getTime(), new Date(2026, 2, 1).getTime());
  });

  it('reports bad values naming the setting, and keeps the rest', () => {
    const { problems, config } = resolveConfig({ budget: { action: 'stop', warnAt: 2, providers: { openai: { dailyUsd: -1, weeklyUsd: 3 } } } });
    assert.deepEqual(problems.map((p) => p.key), ['switchboard.budget.providers.openai.dailyUsd', 'switchboard.budget.providers.openai.weeklyUsd', 'switchboard.budget.warnAt', 'switchboard.budget.action']);
    assert.equal(config.budget.action, 'block');
    assert.equal(config.budget.warnAt, 0.8);
  });
});

describe('a budget limit set to a value that is not one', () => {
  // Falling back to the default (0, no limit) would lift the cap the user meant to set.
  const cases: Array<{ budget: Record<string, unknown>; setting: string; provider?: string; given: string }> = [
    { budget: { dailyUsd: '5' }, setting: 'budget.dailyUsd', given: '"5"' },
    { budget: { dailyUsd: -5 }, setting: 'budget.dailyUsd', given: '-5' },
    { budget: { monthlyUsd: Number.NaN }, setting: 'budget.monthlyUsd', given: 'null' },
    { budget: { monthlyUsd: 2e7 }, setting: 'budget.monthlyUsd', given: '20000000' },
    { budget: { providers: { openai: { dailyUsd: 'two' } } }, setting: 'budget.providers.openai.dailyUsd', provider: 'openai', given: '"two"' },
    { budget: { providers: { openai: 3 } }, setting: 'budget.providers.openai', provider: 'openai', given: '' },
    { budget: { providers: 'openai' }, setting: 'budget.providers', given: '' },
  ];
  for (const { budget, setting, provider, given } of cases) {
    it(`${setting} = ${JSON.stringify(Object.values(budget)[0])}: named, and counted as reached until fixed`, () => {
      const { config, problems } = resolveConfig({ budget });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0]!.key, `switchboard.${setting}`);
      assert.match(problems[0]!.message, /counts as reached until it is fixed/);
      if (given) assert.ok(problems[0]!.message.startsWith(given), problems[0]!.message);
      const spend = new SpendTracker(() => NOW);
      const gate = new Budget(() => config.budget, () => spend.monthCells(), () => NOW).gate;
      assert.ok(gate.active());
      const admission = gate.admit('openai', 0.01);
      assert.equal(admission.kind, 'over');
      assert.match(admission.kind === 'over' ? admission.message : '', new RegExp(`^switchboard\\.${setting.replaceAll('.', '\\.')} is not a valid limit: .*counts as reached`));
      assert.equal(gate.blocking('openai')?.limit.setting, setting, 'inline completions pause too');
      // A provider's own invalid limit holds that provider only.
      assert.equal(gate.admit('anthropic', 0.01).kind, provider ? 'go' : 'over');
    });
  }
});

describe('BudgetGate', () => {
  it('admits a request only when its worst case fits in what is left, counting what is in flight: the limit bounds spend', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 1 });
    spend.add(spent(0.75));
    const tooDear = gate.admit('openai', 5);
    assert.equal(tooDear.kind, 'over', 'a request that could cost more than is left is not sent');
    assert.match(
      tooDear.kind === 'over' ? tooDear.message : '',
      /^\$0\.25 left of the daily budget \(\$0\.75 spent of \$1\.00\), and this request could cost up to \$5\.00 \(its prompt and every output token it may generate; .*\); it resets on 2026-11-19 at 00:00 \(raise switchboard\.budget\.dailyUsd/,
    );
    const first = gate.admit('openai', 0.2);
    assert.equal(first.kind, 'go');
    assert.equal(gate.admit('openai', 0.05).kind, 'go', 'exactly what is left fits');
    const none = gate.admit('openai', 0.001);
    assert.match(none.kind === 'over' ? none.message : '', /^daily budget taken up by requests in flight: \$0\.75 spent and \$0\.25 in flight of \$1\.00; it resets/);
    assert.equal(gate.admit('openai', 0).kind, 'over', 'not even a free request once the limit is taken up');
    // The first finishes at what it really cost: its room beyond that is free again.
    spend.add(spent(0.1));
    if (first.kind === 'go') first.reservation.release();
    assert.equal(gate.admit('openai', 0.1).kind, 'go');
    spend.add(spent(0.1));
    const reached = gate.admit('openai', 0.01);
    assert.equal(reached.kind, 'over');
  });

  it("counts other processes' requests in flight, except for an admission scoped to this process's own (inline completions)", () => {
    const { spend, gate } = budgetOf({ dailyUsd: 1, action: 'block' });
    spend.add(spent(0.5));
    const own = gate.admit('openai', 0.2);
    assert.equal(own.kind, 'go');
    gate.seeOthers([{ provider: 'openai', usd: 0.25 }]);
    assert.equal(gate.admit('openai', 0.1).kind, 'over', '0.5 spent, 0.2 here and 0.25 elsewhere leave 0.05');
    assert.equal(gate.blocking('openai', 0.1)?.limit.label, 'daily budget');
    assert.equal(gate.passing('openai', 0.1)?.reservedUsd, 0.45);
    assert.equal(gate.blocking('openai', 0.1, { inFlight: 'here' }), undefined);
    assert.equal(gate.passing('openai', 0.1, 'here'), undefined);
    assert.equal(gate.admit('openai', 0.1, { inFlight: 'here' }).kind, 'go', "0.5 spent and this process's 0.2 leave 0.3");
    assert.equal(gate.admit('openai', 0.25, { inFlight: 'here' }).kind, 'over', "this process's own reservations still count");
  });

  it('holds a request in flight against the day it started, as its record counts: not against the next day, still against its month', () => {
    let now = NOW;
    const { gate } = budgetOf({ dailyUsd: 1, monthlyUsd: 10, action: 'block' }, () => now);
    const reservedIn = (period: 'day' | 'month') => gate.statuses().find((status) => status.limit.period === period)!.reservedUsd;
    const late = gate.admit('openai', 0.6, { day: '2026-11-18' });
    assert.equal(late.kind, 'go');
    gate.seeOthers([{ provider: 'openai', usd: 0.3, since: '2026-11-18' }]);
    assert.equal(reservedIn('day'), 0.9);
    now = new Date(2026, 10, 19, 0, 0, 1); // past midnight, both still streaming
    assert.equal(reservedIn('day'), 0, "the new day's limit holds nothing of yesterday's requests");
    assert.equal(reservedIn('month'), 0.9, 'the month holds them still');
    assert.equal(gate.admit('openai', 0.9, { day: '2026-11-19' }).kind, 'go', "the new day's budget is the new day's whole");
    now = NOW; // set back: that day holds them again
    assert.equal(reservedIn('day'), 1.8 - 0.9, "the day before holds its own, not the new day's request");
  });

  it('is reached by what was spent, not by a request that does not fit; blocks ghost text that could cost more than is left', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 1 });
    spend.add(spent(0.99));
    assert.equal(gate.statuses()[0]!.level, 'warning');
    assert.equal(gate.blocking('openai'), undefined);
    assert.equal(gate.blocking('openai', 0.01), undefined, 'a completion of the cents left fits');
    assert.equal(gate.blocking('openai', 0.02)?.limit.label, 'daily budget');
    spend.add(spent(0.01));
    const reached = gate.admit('openai', 0.01);
    assert.match(reached.kind === 'over' ? reached.message : '', /^daily budget reached: \$1\.00 spent of \$1\.00; it resets/);
  });

  it('is reached at the limit exactly, and warns from the threshold exactly', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 1, warnAt: 0.8 });
    spend.add(spent(0.79));
    assert.equal(gate.statuses()[0]!.level, 'ok');
    spend.add(spent(0.01));
    assert.equal(gate.statuses()[0]!.level, 'warning');
    assert.equal(gate.statuses()[0]!.leftUsd, 0.2);
    spend.add(spent(0.2));
    const [status] = gate.statuses();
    assert.equal(status!.level, 'reached');
    assert.equal(status!.leftUsd, 0);
    assert.equal(gate.blocking('openai')?.limit.label, 'daily budget');
  });

  it('counts what is in flight: of 50 requests started at once only those that fit are admitted', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 1 });
    const admissions = Array.from({ length: 50 }, () => gate.admit('openai', 0.1));
    const admitted = admissions.filter((a) => a.kind === 'go');
    assert.equal(admitted.length, 10);
    assert.equal(gate.statuses()[0]!.reservedUsd, 1);
    assert.equal(gate.statuses()[0]!.level, 'warning', 'in flight counts toward the warning, not toward "reached"');
    // One settles (its record counted at what it really cost); the room it leaves is used again.
    spend.add(spent(0.05));
    if (admitted[0]!.kind === 'go') admitted[0]!.reservation.release();
    assert.equal(gate.admit('openai', 0.1).kind, 'over', 'what it cost is spent: less than a worst case is left');
    assert.equal(gate.admit('openai', 0.05).kind, 'go');
    assert.equal(gate.admit('openai', 0.1).kind, 'over');
  });

  it('a released reservation stays released when released twice', () => {
    const { gate } = budgetOf({ dailyUsd: 1 });
    const a = gate.admit('openai', 0.6);
    const b = gate.admit('openai', 0.3);
    assert.ok(a.kind === 'go' && b.kind === 'go');
    a.reservation.release();
    a.reservation.release();
    assert.equal(gate.statuses()[0]!.reservedUsd, 0.3);
  });

  it('applies a provider\'s limit to that provider only; the overall limit to all', () => {
    const { spend, gate } = budgetOf({ monthlyUsd: 10, providers: { openai: { dailyUsd: 0.5 } } });
    spend.add(spent(0.5));
    assert.equal(gate.admit('openai', 0.01).kind, 'over');
    assert.equal(gate.admit('anthropic', 0.01).kind, 'go');
    assert.equal(gate.blocking('openai')?.limit.label, 'daily openai budget');
    assert.equal(gate.blocking('anthropic'), undefined);
  });

  it('counts a month from the 1st and forgets last month', () => {
    let now = NOW;
    const { spend, gate } = budgetOf({ monthlyUsd: 1 }, () => now);
    for (const finished of [spent(0.6, { time: new Date(2026, 10, 1, 9).toISOString() }), spent(0.3), spent(5, { time: new Date(2026, 9, 31, 23).toISOString() })]) spend.add(finished);
    assert.equal(gate.statuses()[0]!.spentUsd, 0.9);
    now = new Date(2026, 11, 1, 0, 1);
    assert.equal(gate.statuses()[0]!.spentUsd, 0);
  });

  it('counts an unpriced model at the stated estimate, never as $0', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 1, unpricedEstimate: { input: 100_000, output: 0 } });
    // 1000 input tokens at $100,000 per million: $100 by the estimate.
    spend.add(spent(null, { provider: 'ollama', model: 'qwen', usage: { inputTokens: 1000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } }));
    assert.equal(gate.statuses()[0]!.spentUsd, 100);
    assert.equal(gate.statuses()[0]!.level, 'reached');
  });

  it('never lists the whole limit as left while something is spent (a fraction of a cent rounds the figure up)', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 0.15, monthlyUsd: 5 });
    spend.add(spent(0.002));
    assert.deepEqual(gate.statuses().map(budgetLine), [
      'Daily budget: $0.148 left of $0.15 ($0.002 spent); resets on 2026-11-19 at 00:00 (switchboard.budget.dailyUsd)',
      'Monthly budget: $4.998 left of $5.00 ($0.002 spent); resets on 2026-12-01 at 00:00 (switchboard.budget.monthlyUsd)',
    ]);
  });

  it('says how much of the spend it lists is the estimate for unpriced models, which the spend figures beside it leave out', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 5, monthlyUsd: 50, unpricedEstimate: { input: 1000, output: 0 } });
    spend.add(spent(1.25));
    // 1000 input tokens at $1,000 per million: $1 by the estimate; yesterday's counts in the month only.
    const unpriced = { provider: 'ollama', model: 'qwen', usage: { inputTokens: 1000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } };
    spend.add(spent(null, unpriced));
    spend.add(spent(null, { ...unpriced, time: new Date(NOW.getTime() - 86_400_000).toISOString() }));
    assert.deepEqual(gate.statuses().map(budgetLine), [
      'Daily budget: $2.75 left of $5.00 ($2.25 spent, $1.00 of it requests to unpriced models counted at switchboard.budget.unpricedEstimate); resets on 2026-11-19 at 00:00 (switchboard.budget.dailyUsd)',
      'Monthly budget: $46.75 left of $50.00 ($3.25 spent, $2.00 of it requests to unpriced models counted at switchboard.budget.unpricedEstimate); resets on 2026-12-01 at 00:00 (switchboard.budget.monthlyUsd)',
    ]);
  });

  it('refuses an unpriced model under a budget when told to, naming the setting', () => {
    const { gate } = budgetOf({ dailyUsd: 1, unpriced: 'refuse' });
    const admission = gate.admit('ollama', null);
    assert.equal(admission.kind, 'unpriced');
    assert.match(admission.kind === 'unpriced' ? admission.message : '', /switchboard\.budget\.unpriced/);
    assert.equal(budgetOf({}).gate.admit('ollama', null).kind, 'go', 'without a budget nothing is refused');
  });

  it('lets exactly one request past a limit after "Allow once"', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 1 });
    spend.add(spent(1));
    gate.allowOnce();
    assert.equal(gate.blocking('openai'), undefined, 'nothing blocks while the allowance is pending');
    const allowed = gate.admit('openai', 0.2);
    assert.ok(allowed.kind === 'go' && allowed.overridden);
    assert.equal(gate.admit('openai', 0.2).kind, 'over');
  });

  it('spends "Allow once" only on a request that needs it, and never on ghost text', () => {
    const { spend, gate } = budgetOf({ providers: { openai: { dailyUsd: 1 } } });
    spend.add(spent(1));
    gate.allowOnce();
    const free = gate.admit('anthropic', 0.2);
    assert.ok(free.kind === 'go' && !free.overridden, 'a request no limit stops does not spend it');
    assert.equal(gate.blocking('openai', 0.01, { allowOnce: false })?.limit.label, 'daily openai budget', 'ghost text stays paused');
    assert.equal(gate.admit('openai', 0.01, { allowOnce: false }).kind, 'over');
    const allowed = gate.admit('openai', 0.2);
    assert.ok(allowed.kind === 'go' && allowed.overridden, 'the question asked next goes');
    assert.equal(gate.admit('openai', 0.2).kind, 'over');
  });

  it('keeps a pending "Allow once" through `warn` and `downgrade`, which refuse nothing, for the next request `block` would refuse', () => {
    const { spend, config } = budgetOf({ dailyUsd: 1 });
    let action: BudgetConfig['action'] = 'block';
    const gate = new Budget(() => ({ ...config, action }), () => spend.monthCells(), () => NOW).gate;
    spend.add(spent(1));
    gate.allowOnce();
    for (const passing of ['warn', 'downgrade'] as const) {
      action = passing;
      const admission = gate.admit('openai', 0.2);
      // Goes on past the limit as the action says, not as an allowance spent.
      assert.deepEqual([admission.kind, admission.kind === 'over' ? admission.action : undefined], ['over', passing]);
    }
    action = 'block';
    const allowed = gate.admit('openai', 0.2);
    assert.ok(allowed.kind === 'go' && allowed.overridden, 'the allowance granted under block is still there');
    assert.equal(gate.admit('openai', 0.2).kind, 'over', 'and spent once');
  });

  it('says each limit in a line for the cost dashboard: what is left, what was spent and is in flight, when it resets', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 5, providers: { openai: { monthlyUsd: 1 } } });
    spend.add(spent(1.25));
    gate.admit('anthropic', 0.5);
    assert.deepEqual(gate.statuses().map(budgetLine), [
      'Daily budget: $3.25 left of $5.00 ($1.25 spent, $0.50 in flight); resets on 2026-11-19 at 00:00 (switchboard.budget.dailyUsd)',
      'Monthly openai budget reached: $1.25 spent of $1.00; resets on 2026-12-01 at 00:00 (switchboard.budget.providers.openai.monthlyUsd)',
    ]);
  });

  it('names the most pressing limit for the status bar', () => {
    const { spend, gate } = budgetOf({ dailyUsd: 10, monthlyUsd: 1 });
    spend.add(spent(0.9));
    assert.equal(gate.mostPressing()?.limit.label, 'monthly budget');
    assert.equal(gate.closest()?.limit.label, 'monthly budget');
    const far = budgetOf({ dailyUsd: 10, monthlyUsd: 100 });
    far.spend.add(spent(1));
    assert.equal(far.gate.mostPressing(), undefined, 'none is near');
    assert.deepEqual([far.gate.closest()?.limit.label, far.gate.closest()?.leftUsd], ['daily budget', 9], 'the status bar\'s tooltip still says what is left');
    spend.add(spent(0.2));
    assert.equal(gate.mostPressing()?.level, 'reached');
  });
});

describe('request cost estimates', () => {
  const prices = new PriceTable();
  const request: ModelRequest = { messages: [{ role: 'user', content: 'x'.repeat(4000) }], maxTokens: 1000 };

  it('reserve the prompt and every output token the request may generate', () => {
    const price = prices.lookup('openai', 'gpt-5.4')!;
    // 4,000 letters at four a token, 4 for the message's framing and 3 before the answer.
    const expected = (1007 * price.input + 1000 * price.output) / 1e6;
    assert.ok(Math.abs(worstCaseCost(request, { provider: 'openai', model: 'gpt-5.4' }, prices)! - expected) < 1e-12);
    assert.equal(worstCaseCost(request, { provider: 'ollama', model: 'qwen' }, prices), null);
  });

  it('reserve no less of a prompt than a real tokenizer counts: Chinese or Japanese a token a character, digits and punctuation two a token, each message framed', () => {
    // Its 21 characters are 14 tokens in o200k and 22 in cl100k; four characters a token reserved 6, so a
    // long conversation in Chinese was reserved at a third of its bill or less.
    const question = '请解释这个函数为什么在预算用完时拒绝请求。';
    const turns: ModelRequest = { messages: Array.from({ length: 30 }, (_, index) => ({ role: index % 2 ? 'assistant' : 'user', content: question })), maxTokens: 1 };
    // Each character a token, the 29 line breaks between the turns at four a token, 4 a message, 3 before the answer.
    assert.equal(admissionPromptTokens(turns), 30 * question.length + Math.ceil(29 / 4) + 30 * 4 + 3);
    assert.ok(admissionPromptTokens(turns) >= 30 * (22 + 3) + 3, "above cl100k's count with OpenAI's framing");
    // Numbers and punctuation: 700 tokens in both tokenizers for these 1,600 characters; four a token reserved 400.
    const digits: ModelRequest = { messages: [{ role: 'user', content: '1234567890.,:"{}'.repeat(100) }], maxTokens: 1 };
    assert.equal(admissionPromptTokens(digits), 800 + 4 + 3);
    // Code and prose: letters and white space still at four a token.
    const prose: ModelRequest = { system: 'Be brief.', messages: [{ role: 'user', content: 'abcd '.repeat(400) }], maxTokens: 1 };
    assert.equal(admissionPromptTokens(prose), Math.ceil(('Be brief' + '\n' + 'abcd '.repeat(400)).length / 4 + 1 / 2) + 2 * 4 + 3);
    // And the worst case prices that count.
    const price = prices.lookup('openai', 'gpt-5.4')!;
    assert.ok(Math.abs(worstCaseCost(turns, { provider: 'openai', model: 'gpt-5.4' }, prices)! - (admissionPromptTokens(turns) * price.input + price.output) / 1e6) < 1e-12);
  });

  it('stand in for ghost text with a request no smaller than the largest the settings allow', () => {
    const ref = { provider: 'openai', model: 'gpt-5.4-nano' };
    for (const completion of [{}, { prefixChars: 200_000, suffixChars: 100_000, contextChars: 100_000, maxTokens: 4096 }]) {
      const settings = resolveConfig({ completion }).config.completion;
      const largest = largestCompletionCost(settings, ref, prices)!;
      // Code lines, and lines of one character, where comment markers weigh most; snippets are written as comments.
      // A file in Chinese (each character a token to the admission's estimate) and one of numbers and punctuation
      // (two a token): at four characters a token the stand-in was below them, so the pause let ghost text ask and the
      // admission refused it, an error record each typing pause.
      for (const line of ['const value = compute(input); // a line of code\n', 'x\n', '// 计算预算还剩多少，并返回结果\n', '{"a":[1,2,3.5],"b":-7},\n', '界\n']) {
        const full = (chars: number) => line.repeat(Math.ceil(chars / line.length));
        const snippets = Array.from({ length: 50 }, (_, index) => ({ path: `src/file${index}.ts`, text: full(5_000), score: 1 }));
        for (const languageId of ['typescript', 'html']) {
          for (const fim of [false, true]) {
            const real = buildCompletionRequest(
              { languageId, relativePath: 'src/a-rather-long/path/to/the/file/being/edited.ts', prefix: full(300_000), suffix: full(200_000), snippets },
              { prefixChars: settings.prefixChars, suffixChars: settings.suffixChars, snippetChars: settings.contextChars },
              { fim, multiline: true, nextLine: true, maxTokens: settings.maxTokens },
            );
            const cost = worstCaseCost(real, ref, prices)!;
            assert.ok(cost <= largest, `${languageId}, fim ${fim}, ${JSON.stringify(completion)}: ${cost} > ${largest}`);
          }
        }
      }
    }
  });

  it('pick the cheapest model of a route, unpriced ones by the estimate', () => {
    const route = [
      { provider: 'anthropic', model: 'claude-opus-5' },
      { provider: 'openai', model: 'gpt-5.4-nano' },
      { provider: 'ollama', model: 'qwen' },
    ];
    assert.deepEqual(cheapestModel(route, request, prices), route[1]);
    const free: BudgetConfig['unpricedEstimate'] = { input: 0, output: 0 };
    assert.deepEqual(cheapestModel(route, request, prices, { ...free, source: 'estimate' }), route[2]);
  });
});
