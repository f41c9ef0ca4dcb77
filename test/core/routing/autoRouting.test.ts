import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import type { LedgerRecord } from '../../../src/core/ledger';
import { Switchboard } from '../../../src/core/switchboard';
import type { ModelRequest } from '../../../src/core/types';
import { startFakeProviders, type FakeProviders } from '../../fakes/index';

const ROUTER_ARN = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1';
const HAIKU_PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';
const LOOKUP = 'How do I exit vim?';
const DESIGN =
  'Design a rate limiter for our public API: 10k customers, per-customer limits, 5 API servers behind a load balancer, Redis available. ' +
  'Compare token bucket and sliding window for this case, and say what happens when Redis fails over.';
const AWS_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'];

const ask = (text: string): ModelRequest => ({ system: 'Answer briefly.', messages: [{ role: 'user', content: text }], maxTokens: 200 });

/** Auto through the real router, adapters and SDKs, to the fake providers. */
describe('Auto routing, end to end', function () {
  this.timeout(20_000);
  let fakes: FakeProviders;
  let dir: string;
  let count = 0;
  const opened: Switchboard[] = [];
  const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));

  before(async () => {
    fakes = await startFakeProviders();
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-auto-'));
    // The AWS SDK reads its credentials from the process: test ones, and nothing from this machine.
    for (const name of AWS_VARIABLES) delete process.env[name];
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'test-id',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_CONFIG_FILE: path.join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
  afterEach(() => {
    fakes.openai.reset();
    fakes.anthropic.reset();
    fakes.bedrock.reset();
  });
  after(async () => {
    // Their ledgers and served counts are written in the background: out before the folder goes
    // (removing it under a late write failed with ENOTEMPTY once).
    await Promise.all(opened.map((switchboard) => switchboard.dispose()));
    await fakes.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  const ALL_KEYS = { OPENAI_API_KEY: 'test', ANTHROPIC_API_KEY: 'test', AWS_ACCESS_KEY_ID: 'test-id', AWS_SECRET_ACCESS_KEY: 'test-secret' };

  /** A Switchboard with Auto turned on, unless `raw.auto` says otherwise. */
  async function open(raw: { auto?: Record<string, unknown> } & Record<string, unknown>, keys: Record<string, string> = ALL_KEYS) {
    const { config, problems } = resolveConfig({
      providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic, bedrock: fakes.urls.bedrock },
      ...raw,
      auto: { enabled: true, ...raw.auto },
    });
    assert.deepEqual(problems, []);
    const ledgerPath = path.join(dir, `ledger-${++count}.jsonl`);
    const switchboard = await Switchboard.create({ config, source: 'cli', env: { ...keys, AWS_CONFIG_FILE: path.join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws-credentials') }, ledgerPath });
    opened.push(switchboard);
    const ledger = async (): Promise<LedgerRecord[]> => {
      await switchboard.ledger.flush();
      return (await readFile(ledgerPath, 'utf8')).split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as LedgerRecord);
    };
    return { switchboard, ledger };
  }

  it('answers a lookup on the cheap tier and a design question on the strong tier, and records why', async () => {
    const { switchboard, ledger } = await open({ routes: { chat: ['anthropic:claude-sonnet-5', 'openai:gpt-5.4'] } });
    const cheap = await switchboard.router.run('chat', ask(LOOKUP));
    const strong = await switchboard.router.run('chat', ask(DESIGN));

    assert.equal(`${cheap.record.provider}:${cheap.record.model}`, 'anthropic:claude-haiku-4-5');
    assert.equal(cheap.record.requestedModel, 'anthropic:claude-haiku-4-5');
    assert.equal(`${strong.record.provider}:${strong.record.model}`, 'anthropic:claude-sonnet-5');
    assert.deepEqual([cheap.record.routing?.mode, cheap.record.routing?.tier, strong.record.routing?.tier], ['auto', 'cheap', 'strong']);
    assert.ok(cheap.record.routing!.score! < strong.record.routing!.score!);
    for (const record of [cheap.record, strong.record]) {
      assert.ok(record.routing!.reasons.length > 0);
      // The ledger holds no prompt text: reasons never quote the request.
      for (const reason of record.routing!.reasons) assert.doesNotMatch(reason, /mentions|vim|redis|rate limiter/i);
      assert.ok(record.id, 'every record has an id, for retryOf to name');
    }
    assert.notEqual(cheap.record.id, strong.record.id);
    assert.deepEqual(await ledger(), JSON.parse(JSON.stringify([cheap.record, strong.record])));
    assert.equal(fakes.anthropic.requests.length, 2);
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('links "Retry with the strong model" to the answer it re-asks', async () => {
    const { switchboard, ledger } = await open({ routes: { chat: ['anthropic:claude-sonnet-5'] } });
    const first = await switchboard.router.run('chat', ask(LOOKUP));
    assert.equal(first.record.routing?.tier, 'cheap');
    const retry = await switchboard.router.run('chat', ask(LOOKUP), { tier: 'strong', retryOf: first.record.id! });

    assert.equal(retry.record.model, 'claude-sonnet-5');
    assert.deepEqual(retry.record.routing, { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] });
    assert.equal(retry.record.retryOf, first.record.id);
    const [stored, storedRetry] = await ledger();
    assert.equal(storedRetry!.retryOf, stored!.id);
    assert.equal(storedRetry!.retryOfUnpriced, undefined, 'the first answer had a price');

    // A first answer with no known price: the retry says so, for the saving to leave the pair out.
    const unpricedRetry = await switchboard.router.run('chat', ask(LOOKUP), { tier: 'strong', retryOf: 'local-answer', retryOfUnpriced: true });
    assert.equal(unpricedRetry.record.retryOfUnpriced, true);
    assert.equal((await ledger()).at(-1)!.retryOfUnpriced, true);
  });

  it('lets a picked model override Auto', async () => {
    const { switchboard } = await open({});
    const result = await switchboard.router.run('chat', ask(DESIGN), { model: { provider: 'openai', model: 'gpt-5.4-nano' } });
    assert.equal(result.record.model, 'gpt-5.4-nano');
    assert.deepEqual(result.record.routing, { mode: 'manual', reasons: ['model picked by you'] });
  });

  it('never sends a request to a provider the route does not use, even with its key at hand', async () => {
    const { switchboard } = await open({
      routes: { chat: ['local:llama3:8b'] },
      providers: { ...fakes.urls, custom: { local: { type: 'openai', baseUrl: fakes.urls.openai.baseUrl } } },
    });
    for (const text of [LOOKUP, DESIGN]) {
      const result = await switchboard.router.run('chat', ask(text));
      assert.equal(`${result.record.provider}:${result.record.model}`, 'local:llama3:8b');
      assert.deepEqual(result.record.routing?.reasons, ['no cheap tier: local is a local server with no built-in cheap model (name one in auto.cheapRoutes.chat)']);
    }
    assert.equal(fakes.anthropic.requests.length, 0);
    assert.equal(fakes.bedrock.requests.length, 0);
    assert.deepEqual(fakes.openai.requests.map((r) => (r.body as { model: string }).model), ['llama3:8b', 'llama3:8b']);
  });

  it('takes a Bedrock prompt router as a tier, recording the model it picked', async () => {
    const { switchboard } = await open({ routes: { chat: ['anthropic:claude-sonnet-5'] }, auto: { cheapRoutes: { chat: [`bedrock:${ROUTER_ARN}`] } } });
    fakes.bedrock.script({ text: 'Press Esc, then type :q', invokedModelId: HAIKU_PROFILE, usage: { inputTokens: 40, outputTokens: 8 } });
    const result = await switchboard.router.run('chat', ask(LOOKUP));
    assert.equal(result.record.routing?.tier, 'cheap');
    assert.equal(result.record.requestedModel, `bedrock:${ROUTER_ARN}`);
    assert.equal(result.record.model, HAIKU_PROFILE);
    assert.ok(result.record.costUsd !== null && result.record.costUsd > 0, 'priced as the model the router picked');
  });

  it('names each tier, not the whole route, when every model of both tiers is resting', async () => {
    const { switchboard } = await open({ routes: { chat: ['openai:gpt-5.4'] }, auto: { cheapRoutes: { chat: ['anthropic:claude-haiku-4-5'] } } });
    fakes.anthropic.script({ status: 429 });
    fakes.openai.script({ status: 429 });
    const failed = await switchboard.router.run('chat', ask(LOOKUP));
    assert.deepEqual([failed.record.routing?.tier, failed.record.routing?.handedOverFrom], ['strong', 'cheap']);
    assert.equal(failed.record.outcome, 'error');

    const refused = await switchboard.router.run('chat', ask(LOOKUP));

    assert.equal(fakes.anthropic.requests.length, 1, 'the resting cheap model was not asked again');
    assert.equal(fakes.openai.requests.length, 1, 'nor the resting strong one');
    assert.match(refused.error ?? '', /^all models of the chat route's cheap tier are unavailable until \d\d:\d\d .*; all models of the chat route's strong tier are unavailable until \d\d:\d\d /);
  });

  it('moves to the other tier when no model of the chosen one can be used', async () => {
    // No AWS credentials in this environment: the Bedrock cheap tier cannot be used.
    const { switchboard } = await open({ routes: { chat: ['anthropic:claude-sonnet-5'] }, auto: { cheapRoutes: { chat: ['bedrock:us.amazon.nova-micro-v1:0'] } } }, { ANTHROPIC_API_KEY: 'test' });
    const result = await switchboard.router.run('chat', ask(LOOKUP));
    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.record.model, 'claude-sonnet-5');
    assert.deepEqual(result.record.routing, { mode: 'auto', tier: 'strong', score: result.record.routing?.score, reasons: ['no model of the cheap tier can be used'] });
  });

  it('routes Plan between its own tiers, and leaves the route alone when Auto is off', async () => {
    const { switchboard } = await open({ routes: { plan: ['anthropic:claude-opus-5'] } });
    const small = await switchboard.router.run('plan', ask('Add a LICENSE file (MIT).'));
    assert.deepEqual([small.record.model, small.record.routing?.tier], ['claude-sonnet-5', 'cheap']);

    const off = await open({ routes: { chat: ['anthropic:claude-sonnet-5'] }, auto: { enabled: false } });
    const plain = await off.switchboard.router.run('chat', ask(LOOKUP));
    assert.equal(plain.record.model, 'claude-sonnet-5');
    assert.equal(plain.record.routing, undefined);
  });
});
