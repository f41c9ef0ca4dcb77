import assert from 'node:assert/strict';
import { worstCaseCost } from '../../../src/core/budget/requestCost';
import { formatUsd } from '../../../src/core/cost';
import type { Switchboard } from '../../../src/core/switchboard';
import type { ModelRequest } from '../../../src/core/types';
import { record } from '../costs/cells';
import { KEYS, NOVA, routerHarness } from '../routerHarness';

const LOOKUP = 'How do I exit vim?';
const DESIGN =
  'Design a rate limiter for our public API: 10k customers, per-customer limits, 5 API servers behind a load balancer, Redis available. ' +
  'Compare token bucket and sliding window for this case, and say what happens when Redis fails over.';
const ask = (text: string): ModelRequest => ({ system: 'Answer briefly.', messages: [{ role: 'user', content: text }], maxTokens: 200 });

/** The cheap tier on Anthropic, the strong tier on OpenAI: each fake sees only its own tier's requests. */
const TIERS = { routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true, cheapRoutes: { chat: ['anthropic:claude-haiku-4-5'] } } };

/**
 * Spends today so that what is left of a $1 daily limit lies between the two
 * tiers' worst cases for `request`: the limit is not reached, but the dearer
 * tier's worst case would pass it and the other's would not. Returns the worst cases.
 */
function leaveBetweenWorstCases(switchboard: Switchboard, request: ModelRequest): { cheap: number; strong: number } {
  const strong = worstCaseCost(request, { provider: 'openai', model: 'gpt-5.4' }, switchboard.priceTable)!;
  const cheap = worstCaseCost(request, { provider: 'anthropic', model: 'claude-haiku-4-5' }, switchboard.priceTable)!;
  switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: 1 - (cheap + strong) / 2 }));
  return { cheap, strong };
}

/** Auto's hand-over between tiers at request time, through the real router, adapters and SDKs, to the fakes. */
describe('Auto hands a request over to the other tier', function () {
  this.timeout(20_000);
  const h = routerHarness('auto-hand-over');

  it('answers on the strong tier when every cheap-tier model fails before its first token, and says so', async () => {
    const { run, events } = await h.open(TIERS);
    h.fakes.anthropic.script({ status: 529 });
    const result = await run('chat', { request: ask(LOOKUP) });

    assert.equal(result.record.outcome, 'ok');
    assert.deepEqual([result.record.provider, result.record.model, result.record.requestedModel], ['openai', 'gpt-5.4', 'anthropic:claude-haiku-4-5']);
    assert.match(result.text, /^Simulated answer from gpt-5\.4/);
    const routing = result.record.routing!;
    assert.deepEqual([routing.mode, routing.tier, routing.handedOverFrom], ['auto', 'strong', 'cheap']);
    assert.equal(routing.reasons[0], 'handed over from the cheap tier: its models failed before answering');
    assert.ok(routing.reasons.length > 1, "Auto's own reasons for the cheap tier are kept after the note");
    assert.deepEqual(result.record.attempts.map((a) => `${a.provider}:${a.model}`), ['anthropic:claude-haiku-4-5']);
    assert.match(result.record.attempts[0]!.error, /529|overloaded/i);
    const waiting = events.filter((event) => event.type === 'waiting');
    assert.match(waiting.at(-1)!.type === 'waiting' ? waiting.at(-1)!.reason : '', /^Auto handed over to the strong tier after: every model of the chat route's cheap tier failed/);
    assert.deepEqual([h.fakes.anthropic.requests.length, h.fakes.openai.requests.length], [1, 1]);
  });

  it("counts a cheap-tier attempt the provider billed in the handed-over request's cost", async () => {
    const { run, switchboard } = await h.open(TIERS);
    // Accepted (200) and ended before any text: Anthropic bills the prompt its message_start counted.
    h.fakes.anthropic.script({ endAfterChunks: 0, usage: { inputTokens: 40, outputTokens: 0 } });
    h.fakes.openai.script({ text: 'Press Esc, then :q', usage: { inputTokens: 30, outputTokens: 6 } });
    const result = await run('chat', { request: ask(LOOKUP) });

    assert.deepEqual([result.record.outcome, result.record.model, result.record.routing?.handedOverFrom], ['ok', 'gpt-5.4', 'cheap']);
    const attempt = result.record.attempts[0]!;
    assert.ok(attempt.usage && typeof attempt.costUsd === 'number' && attempt.costUsd > 0, 'the attempt is listed as billed, with its price');
    const answerCost = switchboard.priceTable.lookup('openai', 'gpt-5.4')!;
    const answered = (30 * answerCost.input + 6 * answerCost.output) / 1e6;
    assert.ok(Math.abs(result.record.costUsd! - (answered + attempt.costUsd)) < 1e-9, `cost ${result.record.costUsd} = answer ${answered} + attempt ${attempt.costUsd}`);
  });

  it('hands over at once while the cheap tier rests, without asking it again', async () => {
    const { run } = await h.open(TIERS);
    h.fakes.anthropic.script({ status: 429, retryAfter: '60' });
    const restFrom = Date.now();
    await run('chat', { request: ask(LOOKUP) });
    const second = await run('chat', { request: ask(LOOKUP) });
    const lookedAt = Date.now();

    assert.equal(second.record.outcome, 'ok');
    assert.equal(second.record.model, 'gpt-5.4');
    assert.equal(second.record.routing?.reasons[0], 'handed over from the cheap tier: its models are resting after failures');
    assert.match(second.record.attempts[0]!.error, /^cooling down \(\d+s left\) after: /);
    // 60 s from the 429, less whatever the hand-over and the second request's start took (more than a second on a busy machine).
    const left = Number(/\((\d+)s left\)/.exec(second.record.attempts[0]!.error)?.[1]);
    assert.ok(left <= 60 && left >= Math.ceil((restFrom + 60_000 - lookedAt) / 1000), `${left} s left of a 60 s rest`);
    assert.equal(h.fakes.anthropic.requests.length, 1, 'the resting cheap model was not asked again');
  });

  it('hands a strong-tier request to the cheap tier when the strong tier fails, marked so that it can be retried', async () => {
    const { run } = await h.open(TIERS);
    h.fakes.openai.script({ status: 503 });
    const result = await run('chat', { request: ask(DESIGN) });

    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.record.model, 'claude-haiku-4-5');
    assert.deepEqual([result.record.routing?.tier, result.record.routing?.handedOverFrom], ['cheap', 'strong']);
    assert.equal(result.record.routing?.reasons[0], 'handed over from the strong tier: its models failed before answering');
  });

  it('fails once both tiers fail, naming each, in one record that lists every attempt', async () => {
    const { run } = await h.open(TIERS);
    h.fakes.anthropic.script({ status: 500 });
    h.fakes.openai.script({ status: 502 });
    const result = await run('chat', { request: ask(LOOKUP) });

    assert.equal(result.record.outcome, 'error');
    assert.match(result.error ?? '', /^every model of the chat route's cheap tier failed \(anthropic:claude-haiku-4-5: .+\); every model of the chat route's strong tier failed \(openai:gpt-5\.4: .+\)$/);
    assert.deepEqual(result.record.attempts.map((a) => a.provider), ['anthropic', 'openai']);
    assert.equal(result.record.routing?.tier, 'strong');
    assert.equal(result.record.routing?.handedOverFrom, 'cheap');
  });

  it("lists the models of the tier it handed over to that could not be asked (no key), as a route's own are", async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutAws } = KEYS;
    // The strong tier starts with a Bedrock model, whose provider has no credentials here; the one after the answer is never its turn.
    const strong = { chat: [`bedrock:${NOVA}`, 'openai:gpt-5.4', 'bedrock:amazon.nova-pro-v1:0'] };
    const { run } = await h.open({ routes: strong, auto: TIERS.auto }, { env: withoutAws });
    h.fakes.anthropic.script({ status: 529 });
    const answered = await run('chat', { request: ask(LOOKUP) });
    assert.equal(answered.record.outcome, 'ok');
    assert.deepEqual([answered.record.provider, answered.record.routing?.handedOverFrom], ['openai', 'cheap']);
    assert.deepEqual(
      answered.record.attempts.map(({ provider, model, skipped }) => ({ provider, model, skipped })),
      [
        { provider: 'anthropic', model: 'claude-haiku-4-5', skipped: undefined },
        { provider: 'bedrock', model: NOVA, skipped: true },
      ],
    );
    assert.match(answered.record.attempts[1]!.error, /^no AWS credentials/);

    // Nothing answers: every model of the strong tier passed over is listed, before the one asked.
    h.fakes.anthropic.script({ status: 529 });
    h.fakes.openai.script({ status: 502 });
    const failed = await run('chat', { request: ask(LOOKUP) });
    assert.equal(failed.record.outcome, 'error');
    assert.deepEqual(
      failed.record.attempts.map(({ model, skipped }) => `${model}${skipped ? ' (skipped)' : ''}`),
      ['claude-haiku-4-5', `${NOVA} (skipped)`, 'amazon.nova-pro-v1:0 (skipped)', 'gpt-5.4'],
    );
    assert.equal(h.fakes.bedrock.requests.length, 0);
  });

  it('never hands a tier the user asked for ("Retry with the strong model") to the other', async () => {
    const { run } = await h.open(TIERS);
    h.fakes.openai.script({ status: 503 });
    const result = await run('chat', { request: ask(LOOKUP), tier: 'strong', retryOf: 'first-answer' });

    assert.equal(result.record.outcome, 'error');
    assert.match(result.error ?? '', /^every model of the chat route's strong tier failed/);
    assert.equal(result.record.routing?.handedOverFrom, undefined);
    assert.equal(h.fakes.anthropic.requests.length, 0, 'the cheap tier was not asked');
  });

  it('does not hand over an answer that broke off after its first token: the partial text stands', async () => {
    const { run } = await h.open(TIERS);
    h.fakes.anthropic.script({ text: 'Press Esc, then', chunks: 2, streamErrorAfterChunks: 1 });
    const result = await run('chat', { request: ask(LOOKUP) });

    assert.equal(result.record.outcome, 'error');
    assert.equal(result.record.model, 'claude-haiku-4-5');
    assert.ok(result.text.length > 0);
    assert.equal(h.fakes.openai.requests.length, 0);
  });

  it('records a request cancelled while the cheap tier is being asked as cancelled, and asks no other tier', async () => {
    const { run } = await h.open(TIERS);
    h.fakes.anthropic.script({ stall: true });
    const controller = new AbortController();
    const arrived = h.fakes.anthropic.waitForRequests(1);
    const running = run('chat', { request: ask(LOOKUP), signal: controller.signal });
    await arrived;
    controller.abort();
    const result = await running;

    assert.equal(result.record.outcome, 'cancelled');
    assert.equal(result.record.routing?.handedOverFrom, undefined);
    assert.equal(h.fakes.openai.requests.length, 0);
  });

  it('records a handed-over answer stopped mid-stream as cancelled, with what streamed and both tiers in one record', async () => {
    const { run } = await h.open(TIERS);
    h.fakes.anthropic.script({ status: 529 });
    h.fakes.openai.script({ text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise(() => undefined) });
    const controller = new AbortController();
    // Stop as soon as the strong tier's first piece arrives, as the chat panel's Stop would.
    const result = await run('chat', { request: ask(LOOKUP), signal: controller.signal, onText: () => controller.abort() });

    assert.equal(result.record.outcome, 'cancelled');
    assert.deepEqual([result.record.model, result.record.routing?.handedOverFrom], ['gpt-5.4', 'cheap']);
    assert.ok(result.text.length > 0 && result.record.usageEstimated, 'what streamed is kept and its usage estimated');
    assert.deepEqual(result.record.attempts.map((a) => a.provider), ['anthropic']);
    await h.fakes.openai.waitForClosedEarly();
  });

  describe('under a budget', () => {
    it('does not hand over to the dearer tier past a limit under `downgrade`, and says why', async () => {
      const { run, switchboard } = await h.open({ ...TIERS, budget: { dailyUsd: 1, action: 'downgrade' } });
      switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: 1 }));
      h.fakes.anthropic.script({ status: 529 });
      const result = await run('chat', { request: ask(LOOKUP) });

      assert.equal(result.record.outcome, 'error');
      assert.match(result.error ?? '', /^every model of the chat route's cheap tier failed \(.+\); not handed over to the strong tier: daily budget reached: \$1\.00 spent of \$1\.00/);
      assert.equal(h.fakes.openai.requests.length, 0, 'the strong tier was not asked');
    });

    it('sends a strong-tier request to the cheap tier past a limit under `downgrade`, and the record says why', async () => {
      const { run, switchboard } = await h.open({ ...TIERS, budget: { dailyUsd: 1, action: 'downgrade' } });
      const under = await run('chat', { request: ask(DESIGN) });
      assert.deepEqual([under.record.model, under.record.routing?.tier, under.record.budgetAction], ['gpt-5.4', 'strong', undefined], 'under the limit Auto picks as ever');

      switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: 1 }));
      const past = await run('chat', { request: ask(DESIGN) });

      assert.deepEqual([past.record.outcome, past.record.model, past.record.budgetAction], ['ok', 'claude-haiku-4-5', 'downgrade']);
      assert.deepEqual([past.record.routing?.tier, past.record.routing?.handedOverFrom], ['cheap', 'strong']);
      assert.equal(past.record.routing?.reasons[0], 'handed over from the strong tier: past the budget, whose action is to downgrade');
      assert.equal(h.fakes.openai.requests.length, 1, 'the strong tier was asked only under the limit');
    });

    it("lists the models of the cheap tier a limit downgraded to that could not be asked (no key), as a hand-over's are", async () => {
      const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutAws } = KEYS;
      const cheapFirstOnBedrock = { ...TIERS, auto: { enabled: true, cheapRoutes: { chat: [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5'] } } };
      const { run, switchboard } = await h.open({ ...cheapFirstOnBedrock, budget: { dailyUsd: 1, action: 'downgrade' } }, { env: withoutAws });
      switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: 1 }));
      const past = await run('chat', { request: ask(DESIGN) });

      assert.deepEqual([past.record.outcome, past.record.model, past.record.budgetAction, past.record.routing?.tier], ['ok', 'claude-haiku-4-5', 'downgrade', 'cheap']);
      assert.deepEqual(
        past.record.attempts.map(({ provider, model, skipped }) => ({ provider, model, skipped })),
        [{ provider: 'bedrock', model: NOVA, skipped: true }],
      );
      assert.match(past.record.attempts[0]!.error, /^no AWS credentials/);
      assert.deepEqual([h.fakes.bedrock.requests.length, h.fakes.openai.requests.length], [0, 0]);
    });

    it("sends a strong-tier request to the cheap tier under `downgrade` once the strong tier's worst case would pass a limit, before it is reached", async () => {
      const { run, switchboard } = await h.open({ ...TIERS, budget: { dailyUsd: 1, action: 'downgrade' } });
      const request = ask(DESIGN);
      const { cheap, strong } = leaveBetweenWorstCases(switchboard, request);
      assert.ok(cheap < strong, `the cheap tier's worst case ${cheap} is below the strong tier's ${strong}`);
      const result = await run('chat', { request });

      assert.deepEqual([result.record.outcome, result.record.model, result.record.budgetAction], ['ok', 'claude-haiku-4-5', 'downgrade']);
      assert.deepEqual([result.record.routing?.tier, result.record.routing?.handedOverFrom], ['cheap', 'strong']);
      // What the CLI's warning says: the strong tier's worst case against what was left, not "budget reached".
      assert.match(result.budgetReason ?? '', new RegExp(`^\\$[0-9.]+ left of the daily budget \\(.+\\), and this request could cost up to ${formatUsd(strong).replace('$', '\\$')} \\(`));
      assert.equal(h.fakes.openai.requests.length, 0, 'the strong tier was not asked');
    });

    it("does not hand over to the strong tier under `downgrade` when the request's worst case there would pass a limit not yet reached", async () => {
      const { run, switchboard } = await h.open({ ...TIERS, budget: { dailyUsd: 1, action: 'downgrade' } });
      const request = ask(LOOKUP);
      leaveBetweenWorstCases(switchboard, request);
      h.fakes.anthropic.script({ status: 529 });
      const result = await run('chat', { request });

      assert.equal(result.record.outcome, 'error');
      assert.match(result.error ?? '', /; not handed over to the strong tier: \$[0-9.]+ left of the daily budget \(.+\), and this request could cost up to \$/);
      assert.deepEqual([h.fakes.anthropic.requests.length, h.fakes.openai.requests.length], [1, 0]);
    });

    it('hands over past a limit under `warn`, and the record says the budget was passed', async () => {
      const { run, switchboard } = await h.open({ ...TIERS, budget: { dailyUsd: 1, action: 'warn' } });
      switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: 1 }));
      h.fakes.anthropic.script({ status: 529 });
      const result = await run('chat', { request: ask(LOOKUP) });

      assert.deepEqual([result.record.outcome, result.record.model, result.record.budgetAction], ['ok', 'gpt-5.4', 'warn']);
      assert.equal(result.record.routing?.handedOverFrom, 'cheap');
    });

    it("hands over when the cheap tier's provider is past its own limit and the strong tier's is not", async () => {
      const { run, switchboard } = await h.open({ ...TIERS, budget: { action: 'block', providers: { anthropic: { dailyUsd: 0.5 } } } });
      switchboard.spend.add(record({ time: new Date().toISOString(), provider: 'anthropic', costUsd: 0.5 }));
      const result = await run('chat', { request: ask(LOOKUP) });

      assert.deepEqual([result.record.outcome, result.record.model], ['ok', 'gpt-5.4']);
      assert.equal(result.record.routing?.reasons[0], "handed over from the cheap tier: its providers' budgets are reached");
      assert.match(result.record.attempts[0]!.error, /^daily anthropic budget reached/);
      assert.equal(h.fakes.anthropic.requests.length, 0);
    });

    it('under `block`, lets the hand-over of a question allowed once past the limit go on as part of that question, and only that one', async () => {
      for (const [failing, strongPick] of [['anthropic', false], ['openai', true]] as const) {
        const { run, switchboard } = await h.open({ ...TIERS, budget: { dailyUsd: 1, action: 'block' } });
        switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: 1 }));
        switchboard.budget.gate.allowOnce();
        h.fakes[failing].script({ status: 529 });
        const result = await run('chat', { request: ask(strongPick ? DESIGN : LOOKUP) });

        // Before, the picked tier's model spent the allowance and the hand-over was refused by the budget.
        assert.equal(result.error, undefined, failing);
        assert.deepEqual([result.record.outcome, result.record.model, result.record.budgetAction], ['ok', strongPick ? 'claude-haiku-4-5' : 'gpt-5.4', 'allow-once']);
        assert.equal(result.record.routing?.handedOverFrom, strongPick ? 'strong' : 'cheap');
        assert.ok((await run('chat', { request: ask(LOOKUP) })).budgetRefused, 'the next question is refused again');
        h.fakes.anthropic.reset();
        h.fakes.openai.reset();
      }
    });

    it('refuses as a budget refusal when both tiers are past their limits', async () => {
      const { run, switchboard } = await h.open({ ...TIERS, budget: { dailyUsd: 1, action: 'block' } });
      switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: 1 }));
      const result = await run('chat', { request: ask(LOOKUP) });

      assert.equal(result.record.outcome, 'error');
      assert.equal(result.budgetRefused, true);
      assert.match(result.error ?? '', /^daily budget reached/);
      assert.equal(h.fakes.anthropic.requests.length + h.fakes.openai.requests.length, 0);
    });
  });
});
