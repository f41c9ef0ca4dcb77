import assert from 'node:assert/strict';
import { resolveConfig, SETTING_DEFAULTS } from '../../../src/core/config';
import { cheapTier, describeRouting, noCheapTierReason, planRoute, routingInputOf } from '../../../src/core/routing/autoRoute';
import model from '../../../src/core/routing/model.json';

describe('Auto settings', () => {
  it('are off by default (no real-outcome evaluation yet), with the dial the training script computed and the built-in cheap tiers', () => {
    const { config, problems } = resolveConfig({});
    assert.deepEqual(problems, []);
    assert.equal(config.auto.enabled, false);
    assert.equal(config.auto.strongShare, model.dial.defaultShare);
    assert.equal(SETTING_DEFAULTS['auto.strongShare'], model.dial.defaultShare);
    assert.deepEqual(config.auto.cheapRoutes, { chat: [], plan: [] });
    assert.deepEqual(cheapTier(config, 'chat').map((r) => `${r.provider}:${r.model}`), ['anthropic:claude-haiku-4-5', 'openai:gpt-5.4-mini', 'bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0']);
    assert.deepEqual(cheapTier(config, 'plan').map((r) => r.model), ['claude-sonnet-5', 'gpt-5.4', 'us.anthropic.claude-sonnet-5']);
  });

  it('keep the existing route settings as the strong tier', () => {
    const { config } = resolveConfig({ routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } });
    const plan = planRoute(config, 'chat', () => ({ task: 'chat', prompt: 'Design an event-sourced order system with projections and schema evolution.' }));
    assert.equal(plan.routing?.tier, 'strong');
    assert.deepEqual(plan.models, [{ provider: 'openai', model: 'gpt-5.4' }]);
    assert.deepEqual(cheapTier(config, 'chat'), [{ provider: 'openai', model: 'gpt-5.4-mini' }]);
  });

  it('give a route on a local OpenAI-compatible server no built-in cheap tier: the server has no gpt-5.4-mini', () => {
    const local = { providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, auto: { enabled: true } };
    const { config } = resolveConfig({ ...local, routes: { chat: ['openai:llama3.1'] } });
    assert.deepEqual(cheapTier(config, 'chat'), []);
    const plan = planRoute(config, 'chat', () => ({ task: 'chat', prompt: 'what is 2 + 2?' }));
    assert.deepEqual(plan.models, [{ provider: 'openai', model: 'llama3.1' }]);
    assert.deepEqual(plan.routing?.reasons, ['no cheap tier: openai is a local server, where no OpenAI cheap model is sent (name one in auto.cheapRoutes.chat)']);
    // Elsewhere than this machine (OpenRouter, a LAN box), the reason says so rather than "local".
    const remote = resolveConfig({ providers: { openai: { baseUrl: 'https://openrouter.ai/api/v1' } }, auto: { enabled: true }, routes: { chat: ['openai:meta-llama/llama-3.1-70b'] } }).config;
    assert.deepEqual(planRoute(remote, 'chat', () => ({ task: 'chat', prompt: 'hi' })).routing?.reasons, [
      "no cheap tier: openai is a server other than OpenAI's API, where no OpenAI cheap model is sent (name one in auto.cheapRoutes.chat)",
    ]);
    // A cloud provider beside the local one keeps its own built-in cheap model.
    const mixed = resolveConfig({ ...local, routes: { chat: ['anthropic:claude-sonnet-5', 'openai:llama3.1'] } }).config;
    assert.deepEqual(cheapTier(mixed, 'chat'), [{ provider: 'anthropic', model: 'claude-haiku-4-5' }]);
    // A proxy or test server that answers to OpenAI's own ids keeps OpenAI's small model.
    const proxy = resolveConfig({ ...local, routes: { chat: ['openai:gpt-5.4'] } }).config;
    assert.deepEqual(cheapTier(proxy, 'chat'), [{ provider: 'openai', model: 'gpt-5.4-mini' }]);
    // The local model as the cheap tier the user names, a cloud model as the strong one.
    const named = resolveConfig({ ...local, routes: { chat: ['anthropic:claude-sonnet-5'] }, auto: { enabled: true, cheapRoutes: { chat: ['openai:llama3.1'] } } }).config;
    const cheap = planRoute(named, 'chat', () => ({ task: 'chat', prompt: 'rename getUser to fetchUser' }));
    assert.equal(cheap.routing?.tier, 'cheap');
    assert.deepEqual(cheap.models, [{ provider: 'openai', model: 'llama3.1' }]);
  });

  it('send no OpenAI cheap model to a local server whose route is still the default, and say why the strong tier answers', () => {
    // Only a local server: no key, the default routes (which name OpenAI's models only because nobody changed them).
    const { config } = resolveConfig({ providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, auto: { enabled: true } });
    assert.deepEqual(
      cheapTier(config, 'chat').map((r) => `${r.provider}:${r.model}`),
      ['anthropic:claude-haiku-4-5', 'bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0'],
      'no openai:gpt-5.4-mini on the local server',
    );
    assert.deepEqual(cheapTier(config, 'plan').map((r) => r.provider), ['anthropic', 'bedrock']);
    // Only openai can be used (no Anthropic or AWS credentials): the cheap tier has nothing, and the reason says why.
    const usable = (ref: { provider: string }) => ref.provider === 'openai';
    const plan = planRoute(config, 'chat', () => ({ task: 'chat', prompt: 'thanks!' }), {}, usable);
    assert.equal(plan.routing?.tier, 'strong');
    assert.deepEqual(plan.routing?.reasons, [
      "no model of the cheap tier can be used; openai is a local server and routes.chat is still the default, whose OpenAI models it may not serve, so none of them is its cheap tier; route chat to the server's own models",
    ]);
    // Every route given its own: only-local routes say the usual reason; one naming an OpenAI id (a proxy) keeps gpt-5.4-mini.
    const proxy = resolveConfig({ providers: { openai: { baseUrl: 'http://localhost:4000/v1' } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config;
    assert.deepEqual(cheapTier(proxy, 'chat'), [{ provider: 'openai', model: 'gpt-5.4-mini' }]);
    // At OpenAI's own API, the default route keeps its cheap model.
    assert.ok(cheapTier(resolveConfig({ auto: { enabled: true } }).config, 'chat').some((r) => r.model === 'gpt-5.4-mini'));
    // A cheap tier the user names is theirs, default route or not: no note.
    const named = resolveConfig({ providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, auto: { enabled: true, cheapRoutes: { chat: ['openai:llama3.2:1b'] } } }).config;
    assert.deepEqual(cheapTier(named, 'chat'), [{ provider: 'openai', model: 'llama3.2:1b' }]);
  });

  it('say in the no-cheap-tier reason why a local server on the default route gets no OpenAI or Anthropic cheap model', () => {
    // noCheapTierReason's sentence for the default route on a local server (the one localServerNote says after "no model
    // of the cheap tier can be used"): what the server may not serve, and what to do. With the shipped routes the
    // cheap tier keeps Bedrock's model, so planRoute never reaches it; it is said whole here, per provider.
    const local = resolveConfig({ providers: { openai: { baseUrl: 'http://localhost:11434/v1' }, anthropic: { baseUrl: 'http://127.0.0.1:8080' } } }).config;
    const reason = noCheapTierReason(local, 'plan');
    assert.ok(reason.startsWith('no cheap tier: '), reason);
    assert.ok(reason.includes("anthropic is a local server and routes.plan is still the default, whose Anthropic models it may not serve; route plan to the server's own models"), reason);
    assert.ok(reason.includes("openai is a local server and routes.plan is still the default, whose OpenAI models it may not serve; route plan to the server's own models"), reason);
    assert.ok(reason.endsWith('(name one in auto.cheapRoutes.plan)'), reason);
    assert.doesNotMatch(reason, /localhost|127\.0\.0\.1|11434/, 'names no host (the ledger keeps reasons)');
    // A route of the user's own on the same server is not "still the default": the usual sentence.
    const own = resolveConfig({ providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, routes: { plan: ['openai:qwen3:32b'] } }).config;
    assert.equal(noCheapTierReason(own, 'plan'), 'no cheap tier: openai is a local server, where no OpenAI cheap model is sent (name one in auto.cheapRoutes.plan)');
    // At the vendor's own API the default route is no local server's.
    assert.doesNotMatch(noCheapTierReason(resolveConfig({}).config, 'plan'), /still the default/);
  });

  it('name a bad value and fall back to the default, keeping the rest', () => {
    const { config, problems } = resolveConfig({
      auto: { enabled: 'yes', strongShare: 1.5, cheapRoutes: { chat: ['openai:gpt-5.4-nano', 'nope', 'mystery:x'], plan: 'anthropic:claude-sonnet-5' } },
    });
    assert.equal(config.auto.enabled, SETTING_DEFAULTS['auto.enabled']);
    assert.equal(config.auto.strongShare, model.dial.defaultShare);
    assert.deepEqual(config.auto.cheapRoutes.chat, [{ provider: 'openai', model: 'gpt-5.4-nano' }]);
    assert.deepEqual(config.auto.cheapRoutes.plan, []);
    assert.deepEqual(problems.map((p) => p.key).sort(), [
      'switchboard.auto.cheapRoutes.chat[1]',
      'switchboard.auto.cheapRoutes.chat[2]',
      'switchboard.auto.cheapRoutes.plan',
      'switchboard.auto.enabled',
      'switchboard.auto.strongShare',
    ]);
    assert.match(problems.find((p) => p.key.endsWith('strongShare'))!.message, /from 0 to 1/);
  });

  it('say how to write the dial when it is given as a percentage or as text, and keep the default', () => {
    const message = (strongShare: unknown) => {
      const { config, problems } = resolveConfig({ auto: { strongShare } });
      assert.equal(config.auto.strongShare, model.dial.defaultShare);
      assert.deepEqual(problems.map((p) => p.key), ['switchboard.auto.strongShare']);
      return problems[0]!.message;
    };
    assert.equal(message(50), 'must be a share from 0 to 1, not a percentage (0.5 for 50 %); using the default');
    assert.equal(message('35%'), 'must be a share from 0 to 1, not a percentage (0.35 for 35 %); using the default');
    assert.equal(message('0.7'), 'must be a number, not text (0.7, without quotes); using the default');
    assert.equal(message(-0.1), 'must be a number from 0 to 1; using the default');
    assert.equal(message(250), 'must be a number from 0 to 1; using the default');
    assert.match(resolveConfig({ budget: { warnAt: 80 } }).problems[0]!.message, /not a percentage \(0\.8 for 80 %\)/);
  });

  it('leave inline completions alone and score nothing when Auto is off', () => {
    const { config } = resolveConfig({ auto: { enabled: false } });
    let scored = false;
    const input = () => {
      scored = true;
      return { task: 'chat' as const, prompt: 'x' };
    };
    assert.deepEqual(planRoute(config, 'chat', input), { models: config.routes.chat });
    assert.deepEqual(planRoute(resolveConfig({}).config, 'completion', input), { models: config.routes.completion });
    assert.equal(scored, false);
  });

  it('read the request being routed from its last message and the conversation before it', () => {
    const input = routingInputOf('chat', {
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'answer' },
        { role: 'user', content: 'and then?' },
      ],
      maxTokens: 10,
    });
    assert.deepEqual(input, { task: 'chat', prompt: 'and then?', history: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'answer' }] });
  });

  it('describe a decision in one line', () => {
    assert.equal(describeRouting({ mode: 'auto', tier: 'cheap', score: 0.1, reasons: ['short request (4 words)', 'no code attached'] }), 'cheap tier: short request (4 words), no code attached');
    assert.equal(describeRouting({ mode: 'manual', reasons: ['model picked by you'] }), 'model picked by you');
    assert.equal(describeRouting({ mode: 'retry', tier: 'strong', reasons: [] }), 'strong tier');
  });
});
