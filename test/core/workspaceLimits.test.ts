import assert from 'node:assert/strict';
import { resolveConfig, type SettingKey } from '../../src/core/config';
import { formatModelRef, parseModelRef } from '../../src/core/modelRef';
import { PriceTable } from '../../src/core/prices/priceTable';
import { languageOn } from '../../src/core/completion/languages';
import { limitWorkspaceSpend, withinCeiling } from '../../src/core/workspaceLimits';

/** The user's own settings and a trusted workspace's on top, resolved as the editor does, then limited. */
function limited(user: Record<string, unknown>, workspace: Record<string, unknown>) {
  const own = resolveConfig(user).config;
  const withWorkspace = resolveConfig({ ...user, ...workspace }).config;
  return limitWorkspaceSpend(own, withWorkspace, new Set(Object.keys(workspace) as SettingKey[]), new PriceTable(own.prices));
}

const refs = (...texts: string[]) => texts.map((text) => parseModelRef(text)!);
const names = (list: readonly { provider: string; model: string }[]) => list.map(formatModelRef);

describe('a trusted workspace cannot raise spend', () => {
  describe('routes', () => {
    it('leave out a model dearer than every model of the user\'s own route (claude-opus-5 at $5/$25 against haiku\'s $1/$5)', () => {
      const { config, limits } = limited({}, { 'routes.completion': ['anthropic:claude-opus-5', 'openai:gpt-5.4-nano'] });
      assert.deepEqual(names(config.routes.completion), ['openai:gpt-5.4-nano']);
      assert.deepEqual(limits, [{ key: 'routes.completion', detail: 'anthropic:claude-opus-5 costs more than your own route\'s models; left out' }]);
    });

    it('keep a reordered or narrowed route of models no dearer than the user\'s', () => {
      const { config, limits } = limited({}, { 'routes.completion': ['bedrock:us.amazon.nova-micro-v1:0', 'anthropic:claude-haiku-4-5'] });
      assert.deepEqual(names(config.routes.completion), ['bedrock:us.amazon.nova-micro-v1:0', 'anthropic:claude-haiku-4-5']);
      assert.deepEqual(limits, []);
    });

    it('compare input and output separately: gpt-5.4-mini ($0.75/$4.50) passes a haiku ceiling ($1/$5), gpt-5.4 ($2.50/$15) does not', () => {
      const { config } = limited({ 'routes.completion': ['anthropic:claude-haiku-4-5'] }, { 'routes.completion': ['openai:gpt-5.4', 'openai:gpt-5.4-mini'] });
      assert.deepEqual(names(config.routes.completion), ['openai:gpt-5.4-mini']);
    });

    it('take the ceiling from the user\'s own route and price overrides, not the defaults', () => {
      const user = { 'routes.chat': ['openai:gpt-5.4-nano'], prices: { 'openai:gpt-5.4-nano': { input: 3, output: 15 } } };
      // With the user's override, nano counts at $3/$15: sonnet ($2/$10) is within it; opus ($5/$25) is not.
      const { config, limits } = limited(user, { 'routes.chat': ['anthropic:claude-opus-5', 'anthropic:claude-sonnet-5'] });
      assert.deepEqual(names(config.routes.chat), ['anthropic:claude-sonnet-5']);
      assert.deepEqual(limits.filter((limit) => limit.key === 'routes.chat').map((limit) => limit.detail), ['anthropic:claude-opus-5 costs more than your own route\'s models; left out']);
      // Auto's built-in cheap tier would follow the route to anthropic (haiku, $1/$5), dearer than the user's own
      // (openai's gpt-5.4-mini, $0.75/$4.50): the user's is kept.
      assert.deepEqual(names(config.auto.cheapRoutes.chat), ['openai:gpt-5.4-mini']);
      assert.deepEqual(limits.filter((limit) => limit.key === 'auto.cheapRoutes.chat').map((limit) => limit.detail), [
        'anthropic:claude-haiku-4-5 (the built-in cheap tier of this workspace\'s route) costs more than your own cheap tier\'s models; left out',
        'none of its models is within your own cheap tier\'s prices; your cheap tier is used',
      ]);
    });

    it('use the user\'s route when every entry is left out, and say so', () => {
      const { config, limits } = limited({}, { 'routes.completion': ['anthropic:claude-opus-5', 'openai:gpt-5.5'] });
      assert.deepEqual(names(config.routes.completion), ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5', 'bedrock:us.amazon.nova-micro-v1:0']);
      assert.deepEqual(limits.map((limit) => limit.detail), [
        'anthropic:claude-opus-5 costs more than your own route\'s models; left out',
        'openai:gpt-5.5 costs more than your own route\'s models; left out',
        'none of its models is within your own route\'s prices; your route is used',
      ]);
    });

    it('leave out an unpriced model unless the user\'s own route has an unpriced model of the same provider', () => {
      const custom = { 'providers.custom': { ollama: { type: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' }, corp: { type: 'openai', baseUrl: 'http://127.0.0.1:4000/v1' } } };
      const cloud = limited(custom, { 'routes.completion': ['ollama:qwen2.5-coder:7b'] });
      assert.deepEqual(cloud.limits.map((limit) => limit.detail), [
        'ollama:qwen2.5-coder:7b has no known price and your own route has no unpriced ollama model; left out',
        'none of its models is within your own route\'s prices; your route is used',
      ]);
      const local = { ...custom, 'routes.completion': ['ollama:qwen2.5-coder:7b'] };
      const other = limited(local, { 'routes.completion': ['ollama:codellama:13b', 'corp:big-model', 'openai:gpt-5.4-nano'] });
      // Another local model of the same server is kept; another unpriced provider and any priced cloud model are not.
      assert.deepEqual(names(other.config.routes.completion), ['ollama:codellama:13b']);
      assert.equal(other.limits.length, 2);
    });

    it('leave out an unpriced model of a provider whose server is not on this machine, even beside an unpriced one of the user\'s', () => {
      // A gateway prices none of its models in the table: the user's cheap one must not let a workspace name its dearest.
      const gateway = {
        'providers.custom': { openrouter: { type: 'openai', baseUrl: 'https://openrouter.ai/api/v1' } },
        'routes.chat': ['openrouter:anthropic/claude-haiku-4.5'],
      };
      const viaGateway = limited(gateway, { 'routes.chat': ['openrouter:openai/o1-pro'] });
      assert.deepEqual(names(viaGateway.config.routes.chat), ['openrouter:anthropic/claude-haiku-4.5']);
      assert.deepEqual(viaGateway.limits.map((limit) => limit.detail), [
        'openrouter:openai/o1-pro has no known price and openrouter is not a server on this machine (a price in switchboard.prices lets it in); left out',
        'none of its models is within your own route\'s prices; your route is used',
      ]);
      // The same through the openai adapter pointed at the gateway, and at OpenAI's own API with a model newer than the table.
      const openaiGateway = limited({ 'providers.openai.baseUrl': 'https://openrouter.ai/api/v1', 'routes.chat': ['openai:anthropic/claude-haiku-4.5'] }, { 'routes.chat': ['openai:openai/o1-pro'] });
      assert.deepEqual(names(openaiGateway.config.routes.chat), ['openai:anthropic/claude-haiku-4.5']);
      const newModel = limited({ 'routes.chat': ['openai:gpt-5.9-mini'] }, { 'routes.chat': ['openai:gpt-5.9-pro'] });
      assert.deepEqual(names(newModel.config.routes.chat), ['openai:gpt-5.9-mini']);
      // Priced by the user, the gateway's model is judged by that price like any other.
      const priced = limited({ ...gateway, prices: { 'openrouter:anthropic/claude-haiku-4.5': { input: 1, output: 5 }, 'openrouter:openai/gpt-5.4-mini': { input: 0.75, output: 4.5 } } }, { 'routes.chat': ['openrouter:openai/gpt-5.4-mini'] });
      assert.deepEqual(names(priced.config.routes.chat), ['openrouter:openai/gpt-5.4-mini']);
    });

    it('a long-prompt tier counts too: a model whose rate above 200k tokens is over the ceiling\'s is left out', () => {
      const prices = new PriceTable({ 'corp:long': { input: 1, output: 5 } });
      const longTier = new PriceTable({}, { source: 'test', sourceDate: '2026-01-01', unit: 'USD per million tokens', models: {
        'openai:flat': { input: 3, output: 15 },
        'anthropic:tiered': { input: 3, output: 15, inputAbove200k: 6, outputAbove200k: 22.5 },
      } });
      assert.deepEqual(names(withinCeiling(refs('anthropic:tiered'), refs('openai:flat'), longTier).leftOut), ['anthropic:tiered']);
      assert.deepEqual(names(withinCeiling(refs('openai:flat'), refs('anthropic:tiered'), longTier).kept), ['openai:flat']);
      assert.deepEqual(names(withinCeiling(refs('corp:long'), refs('anthropic:claude-haiku-4-5'), prices).kept), ['corp:long']);
    });

    it('hold Auto\'s cheap tier to the user\'s own cheap tier, the built-in one included', () => {
      const { config, limits } = limited({}, { 'auto.cheapRoutes.chat': ['anthropic:claude-sonnet-5', 'openai:gpt-5.4-nano'] });
      assert.deepEqual(names(config.auto.cheapRoutes.chat), ['openai:gpt-5.4-nano']);
      assert.deepEqual(limits, [{ key: 'auto.cheapRoutes.chat', detail: 'anthropic:claude-sonnet-5 costs more than your own cheap tier\'s models; left out' }]);

      // The user's route is a free local server, so Auto has no cheap tier of its own; the workspace's route, free
      // by the user's price, would bring openai's built-in cheap tier (gpt-5.4-mini): left out, the route stands in.
      const local = {
        'providers.custom': { ollama: { type: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' } },
        'routes.chat': ['ollama:llama3:8b'],
        prices: { 'ollama:llama3:8b': { input: 0, output: 0 }, 'openai:gpt-5.4-nano': { input: 0, output: 0 } },
      };
      const free = limited(local, { 'routes.chat': ['openai:gpt-5.4', 'openai:gpt-5.4-nano'] });
      assert.deepEqual(names(free.config.routes.chat), ['openai:gpt-5.4-nano']);
      assert.deepEqual(names(free.config.auto.cheapRoutes.chat), ['openai:gpt-5.4-nano']);
      assert.deepEqual(free.limits.map((limit) => `${limit.key}: ${limit.detail}`), [
        'routes.chat: openai:gpt-5.4 costs more than your own route\'s models; left out',
        'auto.cheapRoutes.chat: openai:gpt-5.4-mini (the built-in cheap tier of this workspace\'s route) costs more than your own cheap tier\'s models; left out',
        'auto.cheapRoutes.chat: none of its models is within your own route\'s prices; the route is used',
      ]);
    });
  });

  describe('completion tuning', () => {
    it('takes fewer characters and a longer pause, never more characters or a shorter pause', () => {
      const raised = limited({ 'completion.debounceMs': 200 }, { 'completion.prefixChars': 200_000, 'completion.suffixChars': 50_000, 'completion.contextChars': 100_000, 'completion.debounceMs': 0 });
      assert.deepEqual(
        { prefix: raised.config.completion.prefixChars, suffix: raised.config.completion.suffixChars, context: raised.config.completion.contextChars, debounce: raised.config.completion.debounceMs },
        { prefix: 6000, suffix: 2000, context: 2000, debounce: 200 },
      );
      assert.deepEqual(raised.limits.map((limit) => `${limit.key}: ${limit.detail}`), [
        'completion.prefixChars: 200000 is more than your 6000; 6000 kept',
        'completion.suffixChars: 50000 is more than your 2000; 2000 kept',
        'completion.contextChars: 100000 is more than your 2000; 2000 kept',
        'completion.debounceMs: 0 is less than your 200; 200 kept',
      ]);
      const lowered = limited({}, { 'completion.prefixChars': 1000, 'completion.contextChars': 0, 'completion.debounceMs': 400 });
      assert.deepEqual([lowered.config.completion.prefixChars, lowered.config.completion.contextChars, lowered.config.completion.debounceMs], [1000, 0, 400]);
      assert.deepEqual(lowered.limits, []);
    });

    it('lets switches that add requests be turned off, never on', () => {
      const on = limited({ 'completion.speculate': false }, { 'completion.speculate': true, 'completion.nextLine': true, 'completion.speculateNextLine': true });
      assert.deepEqual([on.config.completion.speculate, on.config.completion.nextLine, on.config.completion.speculateNextLine], [false, false, false]);
      assert.deepEqual(on.limits.map((limit) => limit.key), ['completion.speculate', 'completion.nextLine', 'completion.speculateNextLine']);
      const enabled = limited({ 'completion.enabled': false }, { 'completion.enabled': true });
      assert.equal(enabled.config.completion.enabled, false);
      const off = limited({ 'completion.nextLine': true }, { 'completion.enabled': false, 'completion.speculate': false, 'completion.nextLine': false });
      assert.deepEqual([off.config.completion.enabled, off.config.completion.speculate, off.config.completion.nextLine], [false, false, false]);
      assert.deepEqual(off.limits, []);
    });

    it('lets speculationBackoff, which leaves requests out, be turned on, never off', () => {
      const off = limited({ 'completion.speculationBackoff': true }, { 'completion.speculationBackoff': false });
      assert.equal(off.config.completion.speculationBackoff, true);
      assert.deepEqual(off.limits.map((limit) => limit.key), ['completion.speculationBackoff']);
      const on = limited({}, { 'completion.speculationBackoff': true });
      assert.equal(on.config.completion.speculationBackoff, true);
      assert.deepEqual(on.limits, []);
    });

    it('orders multiline never < auto < always', () => {
      assert.equal(limited({}, { 'completion.multiline': 'always' }).config.completion.multiline, 'auto');
      assert.equal(limited({}, { 'completion.multiline': 'never' }).config.completion.multiline, 'never');
      assert.equal(limited({ 'completion.multiline': 'never' }, { 'completion.multiline': 'auto' }).config.completion.multiline, 'never');
    });

    it('completion.languages: a language id named like a property of every object ("toString", "constructor", "__proto__") is decided by its own entry or *, never by Object.prototype', () => {
      // Parsed as VS Code hands the settings over: "__proto__" is then an own key, not the prototype.
      const user = { 'completion.languages': JSON.parse('{"*": false, "__proto__": false}') as unknown };
      const workspace = { 'completion.languages': JSON.parse('{"*": false, "toString": true, "constructor": true, "hasOwnProperty": true, "python": false}') as unknown };
      const { config, limits } = limited(user, workspace);
      for (const id of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf']) assert.equal(languageOn(config.completion.languages, id), false, id);
      assert.deepEqual(limits, [{ key: 'completion.languages', detail: 'turns on "toString", "constructor", "hasOwnProperty", off in yours; left off' }]);
      // The user's own map alone: "*" off reaches every id, "__proto__" keeps its entry.
      const own = resolveConfig({ 'completion.languages': JSON.parse('{"*": true, "__proto__": false}') as unknown }).config.completion.languages;
      assert.equal(languageOn(own, '__proto__'), false);
      assert.equal(languageOn(own, 'toString'), true);
      const withWorkspace = limited({ 'completion.languages': JSON.parse('{"*": true, "__proto__": false}') as unknown }, { 'completion.languages': { python: false } });
      assert.equal(languageOn(withWorkspace.config.completion.languages, '__proto__'), false, 'the combined map keeps the entry');
    });

    it('keeps a language on only where the user has it on too', () => {
      const { config, limits } = limited({}, { 'completion.languages': { '*': true, markdown: true, python: false } });
      assert.deepEqual(config.completion.languages, { '*': true, plaintext: false, markdown: false, scminput: false, python: false });
      // The workspace's map is added to the defaults too, so only the language it names is one it turns on.
      assert.deepEqual(limits, [{ key: 'completion.languages', detail: 'turns on "markdown", off in yours; left off' }]);
    });

    it('keeps the user\'s adaptiveDebounce (either way can add requests); takes earlyFirstLine and preconnect as given', () => {
      const { config, limits } = limited({}, { 'completion.adaptiveDebounce': false, 'completion.earlyFirstLine': true, 'completion.preconnect': true });
      assert.deepEqual([config.completion.adaptiveDebounce, config.completion.earlyFirstLine, config.completion.preconnect], [true, true, true]);
      assert.deepEqual(limits.map((limit) => limit.key), ['completion.adaptiveDebounce']);
    });

    it('takes a first-token time-out at least as long as the user\'s, never shorter (a cut request is billed, then the next model)', () => {
      const { config, limits } = limited({ 'timeouts.completionFirstTokenMs': 4000 }, { 'timeouts.firstTokenMs': 100, 'timeouts.completionFirstTokenMs': 100 });
      assert.deepEqual(config.timeouts, { firstTokenMs: 20_000, completionFirstTokenMs: 4000 });
      assert.deepEqual(limits, [
        { key: 'timeouts.firstTokenMs', detail: '100 is less than your 20000; 20000 kept' },
        { key: 'timeouts.completionFirstTokenMs', detail: '100 is less than your 4000; 4000 kept' },
      ]);
      const longer = limited({}, { 'timeouts.firstTokenMs': 60_000 });
      assert.equal(longer.config.timeouts.firstTokenMs, 60_000);
      assert.deepEqual(longer.limits, []);
    });

    it('leaves alone what the workspace did not set', () => {
      const { config, limits } = limited({ 'completion.prefixChars': 20_000, 'routes.plan': ['anthropic:claude-opus-5'] }, {});
      assert.equal(config.completion.prefixChars, 20_000);
      assert.deepEqual(names(config.routes.plan), ['anthropic:claude-opus-5']);
      assert.deepEqual(limits, []);
    });
  });
});
