import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Budget } from '../../src/core/budget/budget';
import { resolveConfig, type SwitchboardConfig } from '../../src/core/config';
import type { LedgerRecord } from '../../src/core/ledger';
import { PriceTable } from '../../src/core/prices/priceTable';
import { ProviderRegistry } from '../../src/core/providerRegistry';
import { Router, type RouterEvent } from '../../src/core/router';
import { SpendTracker } from '../../src/core/spendTracker';
import type { ModelRequest } from '../../src/core/types';

const REQUEST: ModelRequest = { system: 'Complete the code.', messages: [{ role: 'user', content: 'x' }], maxTokens: 16 };

/** Today's spend as the ledger would hold it: one chat answer that cost `costUsd`, at `time`. */
function spent(costUsd: number, time: Date): LedgerRecord {
  return {
    v: 1,
    time: time.toISOString(),
    task: 'chat',
    provider: 'openai',
    model: 'gpt-5.4',
    requestedModel: 'openai:gpt-5.4',
    usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 },
    usageEstimated: false,
    costUsd,
    latencyMs: 900,
    firstTokenMs: 300,
    outcome: 'ok',
    attempts: [],
    source: 'vscode',
  };
}

/**
 * Why the router refuses before asking any model: what the editor checks before
 * each inline completion (no request, no ledger record while it holds), and
 * what run() answers with when asked anyway. A closed port stands in for every
 * provider: a refused request must never reach one, so none is needed.
 */
describe('Router refusals', () => {
  let dir: string;
  let clock: Date;
  const events: RouterEvent[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-refusal-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function router(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'test-key' }) {
    const { config } = resolveConfig({ providers: { openai: { baseUrl: 'http://127.0.0.1:9/v1' } }, ...raw });
    const registry = new ProviderRegistry({ AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'), ...env });
    await registry.configure(config);
    clock = new Date(2026, 10, 30, 23, 0);
    const spend = new SpendTracker(() => clock);
    events.length = 0;
    const budget = new Budget(() => config.budget, () => spend.monthCells(), () => clock);
    const routed = new Router({ registry, prices: () => new PriceTable(), config: (): SwitchboardConfig => config, spend, budget, source: 'cli', onEvent: (e) => events.push(e) });
    return { routed, spend };
  }

  it('goes ahead when the route has a usable model and budget is left', async () => {
    const { routed } = await router({ routes: { completion: ['openai:gpt-5.4-nano'] }, budget: { dailyUsd: 1 } });
    assert.equal(routed.refusal('completion'), undefined);
  });

  it('refuses a route that lists no model, naming the setting, and never picks another provider', async () => {
    const { routed } = await router({ routes: { completion: [] } });
    const refusal = routed.refusal('completion');
    assert.equal(refusal?.kind, 'empty-route');
    assert.match(refusal!.message, /the completion route lists no model: add one to switchboard\.routes\.completion$/);
    const result = await routed.run('completion', REQUEST);
    assert.equal(result.record.outcome, 'error');
    assert.equal(result.error, refusal!.message);
    assert.deepEqual(result.record.attempts, []);
    assert.deepEqual(events.map((e) => e.type), ['finished'], 'no model was waited on');
  });

  it('refuses a route none of whose providers has credentials, listing each model and why', async () => {
    const { routed } = await router({ routes: { completion: ['anthropic:claude-haiku-4-5'] } });
    const refusal = routed.refusal('completion');
    assert.equal(refusal?.kind, 'no-credentials');
    assert.match(refusal!.message, /no usable credentials for any model of the completion route \(anthropic:claude-haiku-4-5: no anthropic API key/);
    assert.deepEqual(refusal!.kind === 'no-credentials' && refusal.skipped.map((a) => a.provider), ['anthropic']);
  });

  it('refuses once the day\'s budget is spent, and goes ahead again the next day', async () => {
    const { routed, spend } = await router({ routes: { completion: ['openai:gpt-5.4-nano'] }, budget: { dailyUsd: 0.5 } });
    spend.add(spent(0.5, clock));
    const refusal = routed.refusal('completion');
    assert.equal(refusal?.kind, 'budget');
    assert.match(refusal!.message, /daily budget reached: \$0\.50 spent of \$0\.50; it resets on 2026-12-01 at 00:00 \(raise switchboard\.budget\.dailyUsd/);
    clock = new Date(2026, 11, 1, 0, 1);
    assert.equal(routed.refusal('completion'), undefined, 'a new day, a new budget');
  });

  describe('with Auto, answering as a request would act on either tier', () => {
    const CHAT: ModelRequest = { messages: [{ role: 'user', content: 'How do I exit vim?' }], maxTokens: 16 };
    const autoTiers = { routes: { chat: ['anthropic:claude-sonnet-5'] }, auto: { enabled: true, cheapRoutes: { chat: ['openai:gpt-5.4-mini'] } } };
    const waitedOn = () => events.flatMap((e) => (e.type === 'waiting' ? [`${e.ref.provider}:${e.ref.model}`] : []));

    it('goes ahead when the strong tier has no key and the cheap tier has one, as the request goes to the cheap tier', async () => {
      const { routed } = await router(autoTiers);
      // Before, only the route (the strong tier) was weighed: "no usable credentials for any model of the chat route".
      assert.equal(routed.refusal('chat'), undefined);
      const result = await routed.run('chat', CHAT);
      assert.equal(result.budgetRefused, undefined);
      assert.deepEqual(waitedOn(), ['openai:gpt-5.4-mini'], 'the request was sent, on the cheap tier');
      // The reverse (the cheap tier without a key) was and is answered by the strong tier.
      const { routed: reverse } = await router({ ...autoTiers, auto: { enabled: true, cheapRoutes: { chat: ['anthropic:claude-haiku-4-5'] } }, routes: { chat: ['openai:gpt-5.4'] } });
      assert.equal(reverse.refusal('chat'), undefined);
      // Neither tier usable: refused, naming the strong tier's models as before.
      const { routed: neither } = await router({ ...autoTiers, auto: { enabled: true, cheapRoutes: { chat: ['anthropic:claude-haiku-4-5'] } } }, {});
      assert.equal(neither.refusal('chat')?.kind, 'no-credentials');
      assert.match((await neither.run('chat', CHAT)).error ?? '', /^no usable credentials for any model of the chat route/);
    });

    it('goes ahead when the picked tier\'s providers are past their own budget and the other tier\'s are not, as the request is handed over', async () => {
      const raw = { ...autoTiers, budget: { providers: { openai: { dailyUsd: 0.5 } } } };
      const { routed, spend } = await router(raw, { OPENAI_API_KEY: 'test-key', ANTHROPIC_API_KEY: 'test-key' });
      spend.add(spent(0.5, clock));
      const plan = routed.route('chat', CHAT);
      assert.equal(plan.routing?.tier, 'cheap');
      // Before, the chat panel asked this of the plan, got "budget" and offered no Retry, while run() handed the request over.
      assert.equal(routed.refusal('chat', undefined, plan), undefined);
      assert.equal(routed.refusal('chat'), undefined);
      const result = await routed.run('chat', CHAT, { routed: plan });
      assert.equal(result.budgetRefused, undefined);
      assert.deepEqual(waitedOn(), ['anthropic:claude-sonnet-5'], 'handed over to the strong tier');
      assert.equal(result.record.routing?.handedOverFrom, 'cheap');
      // A limit both tiers' providers are past refuses, with the picked tier's words, and so does run().
      const both = await router({ ...raw, budget: { dailyUsd: 0.5 } }, { OPENAI_API_KEY: 'test-key', ANTHROPIC_API_KEY: 'test-key' });
      both.spend.add(spent(0.5, clock));
      const refusal = both.routed.refusal('chat', undefined, plan);
      assert.equal(refusal?.kind, 'budget');
      assert.equal((await both.routed.run('chat', CHAT, { routed: plan })).error, refusal!.message);
      // A tier asked for ("Retry with the strong model") is not handed over: its refusal stands.
      const retry = routed.route('chat', CHAT, { tier: 'cheap' });
      assert.equal(routed.refusal('chat', undefined, retry)?.kind, 'budget');
    });
  });

  it('refuses everything while held, whatever the route, and goes ahead once released', async () => {
    const { routed } = await router({ routes: { chat: ['openai:gpt-5.4'] } });
    routed.hold('this workspace is in Restricted Mode');
    for (const task of ['completion', 'chat', 'plan'] as const) {
      assert.deepEqual(routed.refusal(task), { kind: 'held', message: 'this workspace is in Restricted Mode' });
    }
    const explicit = await routed.run('chat', REQUEST, { model: { provider: 'openai', model: 'gpt-5.4' } });
    assert.equal(explicit.error, 'this workspace is in Restricted Mode', 'a model picked by hand is held too');
    routed.hold(undefined);
    assert.equal(routed.refusal('chat'), undefined);
  });
});
