import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { largestCompletionCost, worstCaseCost } from '../../../src/core/budget/requestCost';
import { SharedReservations } from '../../../src/core/budget/sharedReservations';
import { resolveConfig } from '../../../src/core/config';
import { formatUsd } from '../../../src/core/cost';
import { PriceTable } from '../../../src/core/prices/priceTable';
import type { RouterEvent } from '../../../src/core/router';
import type { LedgerSource } from '../../../src/core/ledger/record';
import { Switchboard } from '../../../src/core/switchboard';
import type { ModelRequest } from '../../../src/core/types';
import { startFakeAnthropic, startFakeOpenAI, type FakeServer } from '../../fakes/index';
import { record } from '../costs/cells';

const REQUEST: ModelRequest = { messages: [{ role: 'user', content: 'How much is left?' }], maxTokens: 200 };
const STRONG = { provider: 'anthropic', model: 'claude-sonnet-5' };
const CHEAP = { provider: 'openai', model: 'gpt-5.4-nano' };

/**
 * The fake OpenAI server by a name that is no loopback name, with the key allowed there: a server across a network
 * (a LAN box, a gateway), whose unpriced models a budget counts at the estimate. On this machine they cost $0.
 */
const elsewhere = (fake: FakeServer) => ({ providers: { openai: { baseUrl: `${fake.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`, sendKeyTo: ['[::ffff:7f00:1]'] } } });

/** Budgets through the real router, adapters and SDKs, against fake providers. */
describe('budgets in the router', () => {
  let openai: FakeServer;
  let anthropic: FakeServer;
  let dir: string;
  let count = 0;
  const opened: Switchboard[] = [];

  before(async () => {
    [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-budget-'));
  });
  afterEach(() => {
    openai.reset();
    anthropic.reset();
  });
  after(async () => {
    // Their ledgers append in the background: written out before the folder goes.
    await Promise.all(opened.map((switchboard) => switchboard.dispose()));
    await Promise.all([openai.close(), anthropic.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  async function open(budget: Record<string, unknown>, spentToday = 0, onEvent?: (event: RouterEvent) => void, settings: Record<string, unknown> = {}, source: LedgerSource = 'cli') {
    const { config, problems } = resolveConfig({
      routes: { chat: [`${STRONG.provider}:${STRONG.model}`, `${CHEAP.provider}:${CHEAP.model}`] },
      budget,
      ...settings,
      providers: { openai: { baseUrl: `${openai.url}/v1` }, anthropic: { baseUrl: anthropic.url }, ...(settings.providers as object | undefined) },
    });
    assert.deepEqual(problems, []);
    const switchboard = await Switchboard.create({
      config,
      source,
      env: { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'test-key' },
      ledgerPath: path.join(dir, `ledger-${++count}.jsonl`),
      ...(onEvent ? { onEvent } : {}),
    });
    opened.push(switchboard);
    if (spentToday) switchboard.spend.add(record({ time: new Date().toISOString(), costUsd: spentToday }));
    return switchboard;
  }

  it('block: refuses past the limit, naming the budget and when it resets; no model is asked', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'block' }, 1);
    assert.equal(switchboard.router.refusal('chat')?.kind, 'budget');
    const result = await switchboard.router.run('chat', REQUEST);
    assert.equal(result.record.outcome, 'error');
    assert.match(result.error ?? '', /^daily budget reached: \$1\.00 spent of \$1\.00; it resets on \d{4}-\d\d-\d\d at 00:00 \(raise switchboard\.budget\.dailyUsd/);
    assert.equal(openai.requests.length + anthropic.requests.length, 0);
  });

  it('downgrade: past the limit the route\'s cheapest model answers, and the record says why', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'downgrade' }, 1);
    assert.equal(switchboard.router.refusal('chat'), undefined, 'nothing is refused');
    const result = await switchboard.router.run('chat', REQUEST);
    assert.equal(result.record.outcome, 'ok');
    assert.deepEqual([result.record.provider, result.record.model], [CHEAP.provider, CHEAP.model]);
    assert.equal(result.record.budgetAction, 'downgrade');
    assert.equal(result.budgetReason, 'daily budget reached: $1.00 spent of $1.00');
    assert.equal(anthropic.requests.length, 0, 'the strong model was not asked');
  });

  it('names the model it refuses for want of a price under budget.unpriced "refuse"', async () => {
    const switchboard = await open({ dailyUsd: 1, unpriced: 'refuse' }, 0, undefined, elsewhere(openai));
    const result = await switchboard.router.run('chat', REQUEST, { model: { provider: 'openai', model: 'my-local-model' } });
    assert.equal(result.record.outcome, 'error');
    assert.match(result.error ?? '', /^openai:my-local-model has no known price, and under a budget requests to unpriced models are refused \(switchboard\.budget\.unpriced/);
    // How to price it, and the other way out, named: the entry's shape and the estimate's setting.
    assert.match(
      result.error ?? '',
      /give it a price in switchboard\.prices \("openai:my-local-model": \{ "input": …, "output": … \}, in USD per million tokens\), or set switchboard\.budget\.unpriced to "estimate" to count it at switchboard\.budget\.unpricedEstimate\)$/,
    );
    assert.equal(openai.requests.length, 0, 'not asked');
  });

  it('a model with no price refused by its estimated worst case says the price was assumed, and the entry that prices it', async () => {
    const local = { provider: 'openai', model: 'llama3.2' };
    const switchboard = await open({ dailyUsd: 0.05, action: 'block' }, 0, undefined, { routes: { chat: ['openai:llama3.2'] }, ...elsewhere(openai) });
    const result = await switchboard.router.run('chat', { messages: [{ role: 'user', content: 'hello' }], maxTokens: 4000 });
    assert.equal(result.record.outcome, 'error');
    assert.ok(result.budgetRefused);
    const worst = worstCaseCost({ messages: [{ role: 'user', content: 'hello' }], maxTokens: 4000 }, local, new PriceTable(), { input: 3, output: 15, source: 'estimate' })!;
    assert.ok(worst > 0.05, `the estimate alone passes the limit: ${worst}`);
    assert.equal(
      result.error,
      `$0.05 left of the daily budget ($0.00 spent of $0.05), and this request could cost up to ${formatUsd(worst)} (its prompt and every output token it may generate; ` +
        'openai:llama3.2 has no known price, so this assumes switchboard.budget.unpricedEstimate, $3.00 input and $15.00 output per million tokens; ' +
        'give it its price in switchboard.prices, in USD per million tokens: "openai:llama3.2": { "input": 0, "output": 0 } if nothing bills you for it (a server of your own), else its provider\'s rates); ' +
        `it resets on ${result.error?.match(/resets on (\S+)/)?.[1]} at 00:00 (raise switchboard.budget.dailyUsd to continue now)`,
    );
    assert.equal(openai.requests.length, 0, 'not asked');
    // Priced as it says, the same request goes.
    const priced = await open({ dailyUsd: 0.05, action: 'block' }, 0, undefined, { routes: { chat: ['openai:llama3.2'] }, prices: { 'openai:llama3.2': { input: 0, output: 0 } }, ...elsewhere(openai) });
    const answered = await priced.router.run('chat', { messages: [{ role: 'user', content: 'hello' }], maxTokens: 4000 });
    assert.deepEqual([answered.record.outcome, answered.record.costUsd], ['ok', 0]);
  });

  it('a model of a server on this machine costs $0 unless priced: a daily budget never refuses it, and a price counts', async () => {
    const local = await open({ dailyUsd: 0.0001, action: 'block', unpriced: 'refuse' }, 0, undefined, { routes: { chat: ['openai:llama3.2'] } });
    const answered = await local.router.run('chat', { messages: [{ role: 'user', content: 'hello' }], maxTokens: 4000 });
    assert.deepEqual([answered.record.outcome, answered.record.costUsd, answered.record.costSource], ['ok', 0, 'local']);
    assert.equal(local.router.refusal('chat'), undefined);
    // Priced by the user (electricity, a rented GPU): that price counts, as for any model.
    const priced = await open({ dailyUsd: 0.0001, action: 'block' }, 0, undefined, { routes: { chat: ['openai:llama3.2'] }, prices: { 'openai:llama3.2': { input: 100, output: 100 } } });
    const refused = await priced.router.run('chat', { messages: [{ role: 'user', content: 'hello' }], maxTokens: 4000 });
    assert.equal(refused.record.outcome, 'error');
    assert.ok(refused.budgetRefused);
    assert.doesNotMatch(refused.error ?? '', /no known price/);
  });

  it('a priced model refused by its worst case is not said to be assumed', async () => {
    const switchboard = await open({ dailyUsd: 0.0001, action: 'block' }, 0, undefined, { routes: { chat: ['openai:gpt-5.4-nano'] } });
    const result = await switchboard.router.run('chat', REQUEST);
    assert.match(result.error ?? '', /could cost up to \$[\d.]+ \(its prompt and every output token it may generate; a lower max tokens setting or a cheaper model asks for less\); it resets/);
    assert.doesNotMatch(result.error ?? '', /no known price|unpricedEstimate/);
  });

  it('warn: a model with no price sent past the limit says the price was assumed', async () => {
    const switchboard = await open({ dailyUsd: 0.05, action: 'warn' }, 0, undefined, { routes: { chat: ['openai:llama3.2'] }, ...elsewhere(openai) });
    const result = await switchboard.router.run('chat', { messages: [{ role: 'user', content: 'hello' }], maxTokens: 4000 });
    assert.deepEqual([result.record.outcome, result.record.budgetAction], ['ok', 'warn']);
    assert.match(result.budgetReason ?? '', /openai:llama3\.2 has no known price, so this assumes switchboard\.budget\.unpricedEstimate, \$3\.00 input and \$15\.00 output per million tokens; give it its price in switchboard\.prices, in USD per million tokens: "openai:llama3\.2": \{ "input": 0, "output": 0 \} if nothing bills you for it \(a server of your own\), else its provider's rates/);
  });

  it('a limit reached by requests counted at the estimate says how much of the spend that is', async () => {
    // Across a network: on loopback the model would be local now, and its request counted at $0.
    const switchboard = await open({ dailyUsd: 0.05, action: 'block' }, 0, undefined, { routes: { chat: ['openai:llama3.2'] }, ...elsewhere(openai) });
    switchboard.spend.add(record({ time: new Date().toISOString(), provider: 'openai', model: 'llama3.2', costUsd: null, usage: { inputTokens: 1000, outputTokens: 4000, cacheReadTokens: 0, cacheWriteTokens: 0 } }));
    const result = await switchboard.router.run('chat', REQUEST);
    assert.match(result.error ?? '', /^daily budget reached: \$0\.063 spent of \$0\.05, \$0\.063 of it requests to unpriced models counted at switchboard\.budget\.unpricedEstimate; it resets/);
  });

  it('downgrade: under the limit the route is used as it is', async () => {
    const switchboard = await open({ dailyUsd: 100, action: 'downgrade' });
    const result = await switchboard.router.run('chat', REQUEST);
    assert.deepEqual([result.record.provider, result.record.budgetAction, result.budgetReason], [STRONG.provider, undefined, undefined]);
  });

  it('warn: goes on past the limit and records that it did', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'warn' }, 1);
    const result = await switchboard.router.run('chat', REQUEST);
    assert.deepEqual([result.record.outcome, result.record.provider, result.record.budgetAction], ['ok', STRONG.provider, 'warn']);
    assert.equal(result.budgetReason, 'daily budget reached: $1.00 spent of $1.00');
  });

  it('a provider\'s own limit passes its requests to the next model of the route', async () => {
    const switchboard = await open({ providers: { anthropic: { dailyUsd: 0.5 } } });
    switchboard.spend.add(record({ time: new Date().toISOString(), provider: 'anthropic', costUsd: 0.5 }));
    const result = await switchboard.router.run('chat', REQUEST);
    assert.equal(result.record.provider, CHEAP.provider);
    assert.match(result.record.attempts[0]!.error, /daily anthropic budget reached/);
  });

  it('block: the last cents go to no request that could cost more than them; no model is asked', async () => {
    const worst = worstCaseCost(REQUEST, STRONG, new PriceTable())!;
    const cheapWorst = worstCaseCost(REQUEST, CHEAP, new PriceTable())!;
    // Less is left than either model's worst case: both are passed over, neither asked.
    const switchboard = await open({ dailyUsd: 1, action: 'block' }, 1 - cheapWorst / 2);
    assert.ok(cheapWorst < worst);
    const result = await switchboard.router.run('chat', REQUEST);
    assert.equal(result.record.outcome, 'error');
    assert.ok(result.budgetRefused);
    assert.match(result.error ?? '', /^\$[\d.]+ left of the daily budget \(\$[\d.]+ spent of \$1\.00\), and this request could cost up to \$[\d.]+ .*\(raise switchboard\.budget\.dailyUsd/);
    assert.equal(openai.requests.length + anthropic.requests.length, 0);
  });

  it('holds what a failed attempt was billed until its record counts: the fallback is admitted against it', async () => {
    const worst = worstCaseCost(REQUEST, STRONG, new PriceTable())!;
    const cheapWorst = worstCaseCost(REQUEST, CHEAP, new PriceTable())!;
    // Room for the first model's worst case and half the fallback's: once the first has billed (nearly) its worst
    // case, the fallback's does not fit. Before, the first model's reservation was released and its bill counted
    // nowhere until the record, so the fallback went.
    const switchboard = await open({ dailyUsd: 1, action: 'block' }, 1 - worst - cheapWorst / 2, undefined, { timeouts: { firstTokenMs: 300 } });
    // It thinks (800 characters: max tokens' worth at four a token), then stalls before any text.
    anthropic.script({ reasoning: { text: `${'Let me think. '.repeat(57)}ok`, chunks: 2 }, stallAfterChunks: 2 });
    const result = await switchboard.router.run('chat', REQUEST);
    const [first, second] = result.record.attempts;
    assert.equal(first?.usage?.outputTokens, REQUEST.maxTokens, 'the first attempt billed its reasoning');
    assert.ok((first?.costUsd ?? 0) > worst - cheapWorst / 2, `billed ${first?.costUsd}, nearly its worst case ${worst}`);
    assert.equal(result.record.outcome, 'error');
    assert.match(second?.error ?? '', /^\$[\d.]+ left of the daily budget .*, and this request could cost up to /);
    assert.equal(openai.requests.length, 0, 'the fallback was not asked');
    // Counted once: in the record, no longer held.
    assert.equal(switchboard.budget.gate.statuses()[0]!.reservedUsd, 0);
    await anthropic.waitForClosedEarly(1);
  });

  it('publishes a failed attempt\'s bill to the other processes sharing the ledger while its fallback is in flight', async () => {
    let fallbackAsked!: () => void;
    const asked = new Promise<void>((resolve) => (fallbackAsked = resolve));
    const onEvent = (event: RouterEvent) => {
      if (event.type === 'waiting' && event.ref.provider === CHEAP.provider) fallbackAsked();
    };
    const switchboard = await open({ dailyUsd: 1 }, 0, onEvent);
    // Thinks, then the stream ends before any text; the fallback then hangs until stopped below.
    anthropic.script({ reasoning: { text: `${'Let me think. '.repeat(57)}ok`, chunks: 2 }, endAfterChunks: 2 });
    openai.script({ stall: true });
    const stop = new AbortController();
    const running = switchboard.router.run('chat', REQUEST, { signal: stop.signal });
    await asked;
    // Another window's view: the fallback's worst case and what the failed attempt was billed, both in flight.
    const seen = await new SharedReservations(switchboard.ledgerPath).others();
    const cheapWorst = worstCaseCost(REQUEST, CHEAP, new PriceTable())!;
    assert.deepEqual(seen.map((entry) => entry.provider).sort(), ['anthropic', 'openai']);
    assert.equal(seen.find((entry) => entry.provider === 'openai')?.usd, cheapWorst);
    const billed = seen.find((entry) => entry.provider === 'anthropic')?.usd ?? 0;
    stop.abort();
    const result = await running;
    assert.equal(billed, result.record.attempts[0]?.costUsd, 'what the record then counts');
  });

  it('downgrade: where the first model\'s worst case does not fit in what is left, the cheapest model answers', async () => {
    const worst = worstCaseCost(REQUEST, STRONG, new PriceTable())!;
    const switchboard = await open({ dailyUsd: 1, action: 'downgrade' }, 1 - worst / 2);
    const result = await switchboard.router.run('chat', REQUEST);
    assert.deepEqual([result.record.outcome, result.record.provider, result.record.budgetAction], ['ok', CHEAP.provider, 'downgrade']);
    // Not "reached": what was left, and the first model's worst case it was too little for.
    assert.match(result.budgetReason ?? '', new RegExp(`^\\$[\\d.]+ left of the daily budget \\(\\$[\\d.]+ spent of \\$1\\.00\\), and this request could cost up to ${formatUsd(worst).replace('$', '\\$')} \\(`));
    assert.equal(anthropic.requests.length, 0, 'the strong model was not asked');
  });

  it('ghost text pauses once what is left cannot pay for the largest completion, before the limit is spent', async () => {
    const { config } = resolveConfig({});
    const largest = largestCompletionCost(config.completion, { provider: 'openai', model: 'gpt-5.4-nano' }, new PriceTable())!;
    const roomy = await open({ dailyUsd: 1 }, 1 - largest * 2);
    assert.equal(roomy.router.refusal('completion'), undefined);
    const tight = await open({ dailyUsd: 1 }, 1 - largest / 2);
    const refusal = tight.router.refusal('completion');
    assert.equal(refusal?.kind, 'budget');
    assert.match(refusal?.message ?? '', /left of the daily budget .* could cost up to/);
    assert.equal(tight.budget.gate.statuses()[0]!.level, 'warning', 'not reached: chat may still fit');
  });

  it('Allow once lets the next question past a block, not ghost text typed meanwhile', async () => {
    const { config } = resolveConfig({});
    const switchboard = await open({ dailyUsd: 1, action: 'block' }, 1);
    switchboard.budget.gate.allowOnce();
    assert.equal(switchboard.router.refusal('completion')?.kind, 'budget', 'ghost text stays paused');
    const completion = await switchboard.router.run('completion', { messages: [{ role: 'user', content: 'const x = ' }], maxTokens: config.completion.maxTokens });
    assert.ok(completion.budgetRefused);
    assert.equal(openai.requests.length + anthropic.requests.length, 0);
    assert.equal(switchboard.router.refusal('chat'), undefined);
    const allowed = await switchboard.router.run('chat', REQUEST);
    assert.deepEqual([allowed.record.outcome, allowed.record.budgetAction], ['ok', 'allow-once']);
    assert.ok((await switchboard.router.run('chat', REQUEST)).budgetRefused, 'once');
  });

  it('Allow once granted under block is kept through questions `warn` and `downgrade` send anyway, for the next one block refuses', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'block' }, 1);
    switchboard.budget.gate.allowOnce();
    const settings = (action: string) => {
      const { config } = resolveConfig({
        providers: { openai: { baseUrl: `${openai.url}/v1` }, anthropic: { baseUrl: anthropic.url } },
        routes: { chat: [`${STRONG.provider}:${STRONG.model}`, `${CHEAP.provider}:${CHEAP.model}`] },
        budget: { dailyUsd: 1, action },
      });
      return config;
    };
    for (const action of ['warn', 'downgrade']) {
      await switchboard.reconfigure(settings(action));
      const sent = await switchboard.router.run('chat', REQUEST);
      assert.deepEqual([sent.record.outcome, sent.record.budgetAction], ['ok', action], `${action}: sent as the action says`);
    }
    await switchboard.reconfigure(settings('block'));
    const allowed = await switchboard.router.run('chat', REQUEST);
    assert.deepEqual([allowed.record.outcome, allowed.record.budgetAction], ['ok', 'allow-once'], 'the allowance is still there under block');
    assert.ok((await switchboard.router.run('chat', REQUEST)).budgetRefused, 'once');
  });

  it('Allow once covers the question\'s fallback when its first model fails before answering', async () => {
    const switchboard = await open({ dailyUsd: 1, action: 'block' }, 1);
    switchboard.budget.gate.allowOnce();
    anthropic.script({ status: 529 });
    const allowed = await switchboard.router.run('chat', REQUEST);
    // Before, the first model spent the allowance and the fallback was refused: "daily budget reached".
    assert.deepEqual([allowed.record.outcome, allowed.record.provider, allowed.record.budgetAction], ['ok', CHEAP.provider, 'allow-once']);
    assert.equal(openai.requests.length, 1);
    assert.ok((await switchboard.router.run('chat', REQUEST)).budgetRefused, 'once');
  });

  it("the editor's inline completion is admitted without the shared lock and publishes nothing; a chat request publishes its reservation", async () => {
    const { config } = resolveConfig({});
    let waiting!: () => void;
    let answering = new Promise<void>((resolve) => (waiting = resolve));
    // Ghost text in the editor; the CLI's `complete` takes the shared admission (see the CLI's tests).
    const switchboard = await open({ dailyUsd: 100 }, 0, (event) => {
      if (event.type === 'waiting') waiting();
    }, {}, 'vscode');
    const folder = `${switchboard.ledgerPath}.inflight`;
    const published = async () => {
      const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
      if (!names) return undefined;
      const files = names.filter((name) => name.endsWith('.json'));
      return { names, reservations: (await Promise.all(files.map(async (name) => JSON.parse(await readFile(path.join(folder, name), 'utf8')).reservations as { usd: number }[]))).flat() };
    };

    // Held mid-answer until looked at, so the completion is in flight (admitted and reserved) while the folder is read.
    let resume!: () => void;
    openai.scriptModel(CHEAP.model, { text: 'nswer = 42;', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) });
    const completionRequest: ModelRequest = { messages: [{ role: 'user', content: 'const a = ' }], maxTokens: config.completion.maxTokens };
    const completion = switchboard.router.run('completion', completionRequest);
    await answering;
    assert.ok(switchboard.budget.gate.statuses()[0]!.reservedUsd > 0, 'the completion is reserved in this process');
    assert.equal(await published(), undefined, 'no folder, no lock, nothing published for a completion');
    resume();
    assert.equal((await completion).record.outcome, 'ok');
    assert.equal(await published(), undefined);

    answering = new Promise<void>((resolve) => (waiting = resolve));
    anthropic.scriptModel(STRONG.model, { text: 'Plenty is left.', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) });
    const chat = switchboard.router.run('chat', REQUEST);
    await answering;
    const seen = await published();
    assert.deepEqual(seen?.reservations.map((r) => r.usd), [worstCaseCost(REQUEST, STRONG, switchboard.priceTable)], 'the chat request is published for the other processes');
    assert.ok(!seen?.names.includes('lock'), 'the lock is held only while admitting');
    resume();
    assert.equal((await chat).record.outcome, 'ok');
  });

  it('a model that failed before answering is withdrawn for the other processes as here: only the fallback being asked stays published', async () => {
    let waiting = 0;
    let fallbackAsked!: () => void;
    const asked = new Promise<void>((resolve) => (fallbackAsked = resolve));
    const switchboard = await open({ dailyUsd: 100 }, 0, (event) => {
      if (event.type === 'waiting' && ++waiting === 2) fallbackAsked();
    });
    const folder = `${switchboard.ledgerPath}.inflight`;
    anthropic.scriptModel(STRONG.model, { status: 529, errorMessage: 'Overloaded' });
    let resume!: () => void;
    openai.scriptModel(CHEAP.model, { text: 'Plenty.', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) });
    const chat = switchboard.router.run('chat', REQUEST);
    await asked;
    // The fallback is admitted and published before it is asked: its file is in place by now.
    const files = (await readdir(folder)).filter((name) => name.endsWith('.json'));
    const reservations = (await Promise.all(files.map(async (name) => JSON.parse(await readFile(path.join(folder, name), 'utf8')).reservations as { provider: string; usd: number }[]))).flat();
    assert.deepEqual(
      reservations.map((r) => [r.provider, r.usd]),
      [[CHEAP.provider, worstCaseCost(REQUEST, CHEAP, switchboard.priceTable)]],
      'the overloaded model\'s reservation is gone, as it is in this process',
    );
    resume();
    const result = await chat;
    assert.deepEqual([result.record.outcome, result.record.model], ['ok', CHEAP.model]);
  });

  it('holds with many requests in flight: requests start only while the others\' worst cases leave room', async () => {
    const worst = worstCaseCost(REQUEST, STRONG, new PriceTable())!;
    // Every answer is held after its first piece until each of the twelve has been sent or refused: all in flight together.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let decided = 0;
    const onDecided = () => {
      if (++decided === 12) release();
    };
    const switchboard = await open({ dailyUsd: worst * 4.5, action: 'block', providers: {} }, 0, (event) => {
      if (event.type === 'waiting') onDecided();
    });
    const held = { text: 'Held, then streamed.', chunks: 4, pauseAfterChunks: 1, resumeWhen: released, usage: { inputTokens: 10, outputTokens: 5 } };
    anthropic.scriptModel(STRONG.model, held);
    openai.scriptModel(CHEAP.model, held);
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        switchboard.router.run('chat', REQUEST).then((result) => {
          // Refused before any model: decided without a 'waiting' event.
          if (result.budgetRefused) onDecided();
          return result;
        }),
      ),
    );
    const answeredByStrong = results.filter((r) => r.record.provider === STRONG.provider && r.record.outcome === 'ok');
    // Four worst cases fit in 4.5 of them, a fifth would not: four start on the strong model.
    assert.equal(anthropic.requests.length, 4);
    assert.equal(answeredByStrong.length, 4);
    const total = results.reduce((sum, r) => sum + (r.record.costUsd ?? 0), 0);
    assert.ok(total <= worst * 4.5, `together they spent ${total}, over the limit of ${worst * 4.5}`);
    // The rest went to the cheaper model while the strong one's reservations filled the budget, or were refused.
    for (const result of results) assert.ok(result.record.outcome === 'ok' || /budget/.test(result.error ?? ''), result.error);
    assert.ok(switchboard.budget.gate.statuses()[0]!.reservedUsd === 0, 'every reservation was released');
  });
});
