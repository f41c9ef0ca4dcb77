import assert from 'node:assert/strict';
import { DEFAULT_ROUTES, describeProblem, resolveConfig, SETTING_DEFAULTS } from '../../src/core/config';
import { formatModelRef, parseModelRef, shortModelName } from '../../src/core/modelRef';
import { ExcludeMatcher } from '../../src/core/exclude';
import { PriceTable } from '../../src/core/prices/priceTable';

describe('model references', () => {
  it('split at the first colon, so Bedrock ids keep theirs', () => {
    assert.deepEqual(parseModelRef('bedrock:us.amazon.nova-micro-v1:0'), { provider: 'bedrock', model: 'us.amazon.nova-micro-v1:0' });
    assert.deepEqual(parseModelRef('bedrock:arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1'), {
      provider: 'bedrock',
      model: 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1',
    });
    assert.equal(formatModelRef({ provider: 'ollama', model: 'qwen2.5-coder:7b' }), 'ollama:qwen2.5-coder:7b');
  });

  it('reject text without a provider or a model', () => {
    for (const bad of ['gpt-5.4', ':gpt', 'openai:', '', 'open ai:gpt']) assert.equal(parseModelRef(bad), undefined, bad);
  });

  it('read short in the status bar', () => {
    assert.equal(shortModelName('us.anthropic.claude-haiku-4-5-20251001-v1:0'), 'claude-haiku-4-5');
    assert.equal(shortModelName('gpt-5.4-mini-2026-03-17'), 'gpt-5.4-mini');
    assert.equal(shortModelName('arn:aws:bedrock:us-east-1:1:inference-profile/us.amazon.nova-micro-v1:0'), 'nova-micro');
  });
});

describe('settings', () => {
  it('default to one model of each provider per task, all priced and none deprecated', () => {
    const { config, problems } = resolveConfig({});
    assert.deepEqual(problems, []);
    const prices = new PriceTable();
    for (const [task, refs] of Object.entries(config.routes)) {
      assert.deepEqual(refs.map((r) => r.provider).sort(), ['anthropic', 'bedrock', 'openai'], task);
      for (const ref of refs) {
        const price = prices.lookup(ref.provider, ref.model);
        assert.ok(price, `${formatModelRef(ref)} has a price`);
        assert.equal(price.deprecationDate, undefined, `${formatModelRef(ref)} is not deprecated`);
        assert.doesNotMatch(ref.model, /^(gpt-5(-mini|-nano)?|gpt-4o.*|gpt-4\.1.*)$/, 'no model OpenAI has announced to shut down');
      }
    }
    const completion = prices.lookup('openai', 'gpt-5.4-nano')!;
    const chat = prices.lookup('anthropic', 'claude-sonnet-5')!;
    assert.ok(completion.output < chat.output, 'the completion route is the cheaper one');
  });

  it('accept nested objects (VS Code) and dotted keys alike', () => {
    const nested = resolveConfig({ providers: { openai: { baseUrl: 'http://localhost:11434/v1' } }, completion: { debounceMs: 80 } });
    const dotted = resolveConfig({ 'providers.openai.baseUrl': 'http://localhost:11434/v1', 'completion.debounceMs': 80 });
    assert.deepEqual(nested, dotted);
    assert.equal(nested.config.providers.openai.baseUrl, 'http://localhost:11434/v1');
    assert.equal(nested.config.completion.debounceMs, 80);
  });

  it('name the setting that is wrong and keep the valid rest', () => {
    const { config, problems } = resolveConfig({
      routes: { chat: ['anthropic:claude-sonnet-5', 'gpt5', 'mystery:model-x'] },
      completion: { debounceMs: 'fast', multiline: 'sometimes' },
      providers: { openai: { baseUrl: 'ftp://example' } },
    });
    assert.deepEqual(config.routes.chat, [{ provider: 'anthropic', model: 'claude-sonnet-5' }]);
    assert.equal(config.completion.debounceMs, SETTING_DEFAULTS['completion.debounceMs']);
    assert.equal(config.completion.multiline, 'auto');
    assert.equal(config.providers.openai.baseUrl, '');
    const keys = problems.map((p) => p.key);
    assert.deepEqual(keys.sort(), [
      'switchboard.completion.debounceMs',
      'switchboard.completion.multiline',
      'switchboard.providers.openai.baseUrl',
      'switchboard.routes.chat[1]',
      'switchboard.routes.chat[2]',
    ]);
    assert.match(problems.find((p) => p.key.endsWith('[2]'))!.message, /unknown provider "mystery"/);
    assert.match(problems.find((p) => p.key.endsWith('[1]'))!.message, /not a model reference/);
  });

  it('says what an unknown provider in a route probably meant: a misspelt one, or a local server reached through openai', () => {
    const { problems } = resolveConfig({ routes: { chat: ['opnai:gpt-5.4', 'ollama:llama3.1', 'mystery:x', 'anthropic:claude-sonnet-5'] } }, 'switchboard.');
    const message = (index: number) => problems.find((p) => p.key === `switchboard.routes.chat[${index}]`)!.message;
    assert.equal(message(0), 'unknown provider "opnai" in "opnai:gpt-5.4" (known: openai, anthropic, bedrock); did you mean "openai:gpt-5.4"?; skipped');
    assert.equal(
      message(1),
      'unknown provider "ollama" in "ollama:llama3.1" (known: openai, anthropic, bedrock); a local server is reached as "openai:llama3.1" with providers.openai.baseUrl set to its address (e.g. http://localhost:11434/v1), or as a provider of its own in providers.custom; skipped',
    );
    assert.equal(message(2), 'unknown provider "mystery" in "mystery:x" (known: openai, anthropic, bedrock); skipped');
  });

  it('let custom OpenAI-compatible providers into routes', () => {
    const { config, problems } = resolveConfig(
      {
        providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1', fim: true }, bad: { type: 'grpc', baseUrl: 'x' } } },
        routes: { completion: ['ollama:qwen2.5-coder:7b'] },
      },
      'config.json: ',
    );
    assert.deepEqual(config.routes.completion, [{ provider: 'ollama', model: 'qwen2.5-coder:7b' }]);
    assert.deepEqual(config.providers.custom.ollama, { type: 'openai', baseUrl: 'http://localhost:11434/v1', fim: true });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.key, 'config.json: providers.custom.bad.type');
  });

  it('keep a route empty, never the cloud defaults, when none of its entries is usable, and name the setting', () => {
    const { config, problems } = resolveConfig({
      providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } } },
      routes: { completion: ['olama:qwen2.5-coder'], plan: 'ollama:llama3.1' },
    });
    assert.deepEqual(config.routes.completion, []);
    assert.deepEqual(config.routes.plan, []);
    assert.equal(config.routes.chat.length, DEFAULT_ROUTES.chat.length, 'a route left unset keeps its default');
    const completion = problems.find((p) => p.key === 'switchboard.routes.completion');
    assert.match(completion!.message, /no valid model reference; no completion requests are made until it lists one/);
    const plan = problems.find((p) => p.key === 'switchboard.routes.plan');
    assert.match(plan!.message, /must be a list of model references, not one text: write it as \["ollama:llama3\.1"\]; no plan requests are made/);
  });

  it('name a route written as text that is no model reference, or as a number, without a list to copy', () => {
    const { problems } = resolveConfig({ routes: { chat: 'claude', plan: 42 } });
    assert.match(problems.find((p) => p.key === 'switchboard.routes.chat')!.message, /^must be a list of model references; no chat requests are made until it is one$/);
    assert.match(problems.find((p) => p.key === 'switchboard.routes.plan')!.message, /^must be a list of model references; no plan requests are made until it is one$/);
  });

  it('take spaces pasted around a string value off, so a base URL does not become a path ending in %20', () => {
    const { config, problems } = resolveConfig({
      providers: {
        openai: { baseUrl: ' http://localhost:11434/v1 ' },
        anthropic: { baseUrl: 'https://proxy.example\t' },
        bedrock: { region: ' eu-west-1', endpoint: 'https://bedrock.example ', profile: 'work ' },
        custom: { ollama: { type: 'openai', baseUrl: ' http://localhost:11434/v1\n', apiKeyEnv: ' OLLAMA_KEY ' } },
      },
      'ledger.path': ' /tmp/ledger.jsonl ',
      'budget.action': ' warn',
    });
    assert.deepEqual(problems, []);
    assert.equal(config.providers.openai.baseUrl, 'http://localhost:11434/v1');
    assert.equal(config.providers.anthropic.baseUrl, 'https://proxy.example');
    assert.deepEqual(config.providers.bedrock, { region: 'eu-west-1', endpoint: 'https://bedrock.example', profile: 'work' });
    assert.deepEqual(config.providers.custom.ollama, { type: 'openai', baseUrl: 'http://localhost:11434/v1', apiKeyEnv: 'OLLAMA_KEY' });
    assert.equal(config.ledger.path, '/tmp/ledger.jsonl');
    assert.equal(config.budget.action, 'warn');
  });

  it('take spaces pasted around an exclude pattern off, so the pattern still keeps its files out', () => {
    const { config, problems } = resolveConfig({ exclude: [' **/.env', '**/secrets/** '] });
    assert.deepEqual(problems, []);
    const matcher = new ExcludeMatcher(config.exclude);
    assert.equal(matcher.excludes('.env'), true);
    assert.equal(matcher.excludes('deploy/secrets/prod.yaml'), true);
  });

  it('name a model listed twice in a route and keep only its first place', () => {
    const { config, problems } = resolveConfig({
      routes: { chat: ['anthropic:claude-sonnet-5', 'openai:gpt-5.4', ' anthropic:claude-sonnet-5'] },
      auto: { cheapRoutes: { chat: ['openai:gpt-5.4-mini', 'openai:gpt-5.4-mini'] } },
    });
    assert.deepEqual(config.routes.chat, [{ provider: 'anthropic', model: 'claude-sonnet-5' }, { provider: 'openai', model: 'gpt-5.4' }]);
    assert.deepEqual(config.auto.cheapRoutes.chat, [{ provider: 'openai', model: 'gpt-5.4-mini' }]);
    assert.deepEqual(problems, [
      { key: 'switchboard.routes.chat[2]', message: '" anthropic:claude-sonnet-5" repeats routes.chat[0]; skipped' },
      { key: 'switchboard.auto.cheapRoutes.chat[1]', message: '"openai:gpt-5.4-mini" repeats auto.cheapRoutes.chat[0]; skipped' },
    ]);
  });

  it('quote at most 60 characters of a long bad value, so the warning still says what is wrong', () => {
    const long = 'x'.repeat(10_000);
    const { problems } = resolveConfig({
      routes: { chat: [long, `mystery:${long}`] },
      providers: { openai: { baseUrl: `ftp://${long}` }, custom: { [`${long}!`]: { type: 'openai', baseUrl: 'http://localhost:1/v1' } } },
      exclude: [{ pattern: long }],
      'ledger.path': `ledger-${long}`,
      budget: { providers: { [long]: { dailyUsd: 1 } } },
      prices: { [long]: { input: -1 } },
      completion: { languages: { [long]: 'on' } },
    });
    assert.equal(problems.length, 10, JSON.stringify(problems.map((p) => p.key)));
    for (const p of problems) {
      const line = describeProblem(p);
      assert.ok(line.length < 300, `${line.length} characters: ${line.slice(0, 120)}`);
      assert.match(line, /^switchboard\.(routes|providers|exclude|ledger|budget|prices|completion)/);
    }
    assert.equal(problems.find((p) => p.key === 'switchboard.routes.chat[0]')!.message, `"${'x'.repeat(60)}…" is not a model reference (expected "provider:model", e.g. "anthropic:claude-haiku-4-5"); skipped`);
  });

  it('leave a provider out, never at its cloud host, when its server setting is invalid', () => {
    const { config, problems } = resolveConfig({
      providers: { openai: { baseUrl: 'localhost:11434/v1' }, anthropic: { baseUrl: 42 }, bedrock: { endpoint: 'file:///etc/passwd' } },
    });
    assert.deepEqual(problems, [
      { key: 'switchboard.providers.openai.baseUrl', message: '"localhost:11434/v1" is not an http(s) URL; no openai requests are made until it is fixed' },
      { key: 'switchboard.providers.anthropic.baseUrl', message: 'must be a string; no anthropic requests are made until it is fixed' },
      { key: 'switchboard.providers.bedrock.endpoint', message: '"file:///etc/passwd" is not an http(s) URL; no bedrock requests are made until it is fixed' },
    ]);
    assert.deepEqual(config.providers.openai, { baseUrl: '', sendKeyTo: [], invalidSetting: 'switchboard.providers.openai.baseUrl' });
    assert.deepEqual(config.providers.anthropic, { baseUrl: '', sendKeyTo: [], invalidSetting: 'switchboard.providers.anthropic.baseUrl' });
    assert.equal(config.providers.bedrock.invalidSetting, 'switchboard.providers.bedrock.endpoint');
    assert.deepEqual(resolveConfig({ providers: { openai: { baseUrl: '' } } }).config.providers.openai, { baseUrl: '', sendKeyTo: [] }, 'empty is the default host, as documented');
  });

  it('take an explicitly empty route as no model, without a problem', () => {
    const { config, problems } = resolveConfig({ routes: { completion: [] } });
    assert.deepEqual(config.routes.completion, []);
    assert.deepEqual(problems, []);
  });

  it('add completion.languages entries to the defaults, so turning one language off does not turn ghost text on in Markdown or the commit box', () => {
    const { config, problems } = resolveConfig({ completion: { languages: { python: false } } });
    assert.deepEqual(problems, []);
    assert.deepEqual(config.completion.languages, { '*': true, plaintext: false, markdown: false, scminput: false, python: false });
    // A default is still the user's to change.
    const { config: withMarkdown } = resolveConfig({ completion: { languages: { markdown: true, '*': false } } });
    assert.deepEqual(withMarkdown.completion.languages, { '*': false, plaintext: false, markdown: true, scminput: false });
  });

  it('name a per-provider budget whose provider does not exist, which would cap nothing', () => {
    const { config, problems } = resolveConfig({
      providers: { custom: { ollama: { type: 'openai', baseUrl: 'http://localhost:11434/v1' } } },
      budget: { providers: { opneai: { dailyUsd: 2 }, ollama: { dailyUsd: 1 }, bedrock: { monthlyUsd: 5 } } },
    });
    assert.deepEqual(problems, [
      {
        key: 'switchboard.budget.providers.opneai',
        message: '"opneai" is not a provider (known: openai, anthropic, bedrock, ollama); this limit applies to no request',
      },
    ]);
    assert.deepEqual(config.budget.providers.ollama, { dailyUsd: 1 });
  });

  it('name a "__proto__" key in prices or per-provider budgets instead of losing it, and keep the maps plain', () => {
    // As JSON.parse (and the CLI's config parser) gives it: an own entry named "__proto__", not a prototype.
    const raw = JSON.parse('{"prices": {"__proto__": {"input": 1, "output": 2}, "constructor": {"input": 3, "output": 4}}, "budget": {"providers": {"__proto__": {"dailyUsd": 1}}}}') as unknown;
    const { config, problems } = resolveConfig(raw);
    assert.deepEqual(
      problems.map((problem) => problem.key),
      ['switchboard.prices["__proto__"]', 'switchboard.budget.providers.__proto__'],
    );
    assert.match(problems[0]!.message, /^"__proto__" is not a model id .*set the map's prototype instead of being read; ignored$/);
    assert.match(problems[1]!.message, /^"__proto__" is not a provider id: .*; this limit applies to no request$/);
    // The maps keep Object.prototype: the entry did not become their prototype (whose fields they would inherit).
    assert.equal(Object.getPrototypeOf(config.prices), Object.prototype);
    assert.equal(Object.getPrototypeOf(config.budget.providers), Object.prototype);
    // Another name every object has is an own entry when assigned, and prices its model.
    assert.deepEqual(Object.keys(config.prices), ['constructor']);
    assert.deepEqual(new PriceTable(config.prices).lookup('openai', 'constructor'), { input: 3, output: 4, source: 'user' });
  });

  it('reject price overrides that are not numbers, naming the field', () => {
    const { config, problems } = resolveConfig({ prices: { 'openai:gpt-5.4': { input: -1 }, 'ollama:llama3': { input: 0, output: 0 } } });
    assert.deepEqual(Object.keys(config.prices), ['ollama:llama3']);
    assert.equal(problems[0]!.key, 'switchboard.prices["openai:gpt-5.4"].input');
  });

  describe('an invalid value of every kind is named, replaced by its default, and the rest kept', () => {
    const cases: Array<{ key: string; value: unknown; message: RegExp }> = [
      { key: 'providers.bedrock.region', value: ['us-east-1'], message: /^must be a string; using the default$/ },
      { key: 'providers.bedrock.profile', value: false, message: /^must be a string; using the default$/ },
      { key: 'providers.custom', value: ['ollama'], message: /^must be an object of provider id to \{type, baseUrl\}; ignored$/ },
      { key: 'prices', value: 'cheap', message: /^must be an object of model to \{input, output, cacheRead, cacheWrite\}; ignored$/ },
      { key: 'ledger.path', value: 'ledger.jsonl', message: /^"ledger.jsonl" is a relative path; give an absolute one \(or one starting with ~\/\); using the default$/ },
      { key: 'ledger.path', value: 7, message: /^must be a string; using the default$/ },
      { key: 'timeouts.firstTokenMs', value: 'fast', message: /^must be a number from 100 to 600000, not "fast"; using the default$/ },
      { key: 'timeouts.completionFirstTokenMs', value: 10, message: /^must be a number from 100 to 60000, not 10; using the default$/ },
      { key: 'completion.enabled', value: 'yes', message: /^must be true or false; using the default$/ },
      { key: 'completion.languages', value: { python: 'on' }, message: /^"python" must be true or false; using the default$/ },
      { key: 'completion.debounceMs', value: 99_999, message: /^must be a number from 0 to 5000, not 99999; using the default$/ },
      { key: 'completion.prefixChars', value: 5, message: /^must be a number from 100 to 200000, not 5; using the default$/ },
      { key: 'completion.suffixChars', value: -1, message: /^must be a number from 0 to 100000, not -1; using the default$/ },
      { key: 'completion.contextChars', value: 'lots', message: /^must be a number from 0 to 100000, not "lots"; using the default$/ },
      { key: 'completion.maxTokens', value: 0, message: /^must be a number from 1 to 4096, not 0; using the default$/ },
      { key: 'completion.multiline', value: true, message: /^must be "auto", "always" or "never"; using the default$/ },
      { key: 'chat.maxTokens', value: 1.5e6, message: /^must be a number from 1 to 200000, not 1500000; using the default$/ },
      { key: 'plan.maxTokens', value: {}, message: /^must be a number from 1 to 200000, not \{\}; using the default$/ },
    ];
    for (const { key, value, message } of cases) {
      it(`${key} = ${JSON.stringify(value) ?? String(value)}`, () => {
        const valid = { 'completion.debounceMs': 90 };
        const { config, problems } = resolveConfig({ [key]: value, ...(key === 'completion.debounceMs' ? {} : valid) });
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.equal(problems[0]!.key, `switchboard.${key}`);
        assert.match(problems[0]!.message, message);
        assert.deepEqual(config, resolveConfig(key === 'completion.debounceMs' ? {} : valid).config, 'the default stands in; the valid setting is kept');
      });
    }

    it('a negative or non-numeric price, naming the model and the field', () => {
      const { config, problems } = resolveConfig({
        prices: { 'openai:gpt-5.4': { input: -1, output: 10 }, 'anthropic:claude-sonnet-5': { input: 3, output: 'fifteen' }, 'ollama:llama3': { input: 0, output: 0 } },
      });
      assert.deepEqual(Object.keys(config.prices), ['ollama:llama3']);
      assert.deepEqual(
        problems.map((p) => p.key),
        ['switchboard.prices["openai:gpt-5.4"].input', 'switchboard.prices["anthropic:claude-sonnet-5"].output'],
      );
      for (const p of problems) assert.match(p.message, /must be a number >= 0 \(USD per million tokens\); entry ignored/);
    });

    it('settings that are not an object at all', () => {
      const { config, problems } = resolveConfig(['routes'], 'config.json: ');
      assert.deepEqual(problems, [{ key: 'config.json', message: 'must be a JSON object' }]);
      assert.deepEqual(config, resolveConfig({}).config);
    });
  });
});

describe('budget.unpricedEstimate', () => {
  it('takes rates of 0 or more and refuses a negative or non-number rate, naming the field', () => {
    assert.deepEqual(resolveConfig({ budget: { unpricedEstimate: { input: 0, output: 2.5 } } }).config.budget.unpricedEstimate, { input: 0, output: 2.5 });
    for (const bad of [{ input: -1, output: 15 }, { input: 3, output: '15' }]) {
      const { config, problems } = resolveConfig({ budget: { unpricedEstimate: bad } });
      assert.deepEqual(config.budget.unpricedEstimate, SETTING_DEFAULTS['budget.unpricedEstimate']);
      const field = bad.input === -1 ? 'input' : 'output';
      assert.deepEqual(problems.map(describeProblem), [`switchboard.budget.unpricedEstimate: "${field}" must be a number >= 0 (USD per million tokens); using the default`]);
    }
  });
});
