import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Marked } from 'marked';
import { Ledger, type LedgerRecord } from '../../src/core/ledger';
import { SpendTracker } from '../../src/core/spendTracker';
import { table } from '../../src/vscode/hoverMarkdown';
import { recentRequestItem, requestDetails } from '../../src/vscode/requestStory';
import { StatusState, statusView, type BudgetReadout } from '../../src/vscode/statusModel';
import { record as ledgerRecord } from '../core/ledger/fixtures';

/** A completion Haiku answered in this window, unless a test says otherwise. */
function record(fields: Partial<LedgerRecord>): LedgerRecord {
  return ledgerRecord({
    task: 'completion',
    model: 'claude-haiku-4-5',
    requestedModel: 'anthropic:claude-haiku-4-5',
    usage: { inputTokens: 300, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0.0004,
    latencyMs: 420,
    firstTokenMs: 300,
    source: 'vscode',
    ...fields,
  });
}

function readout(fields: Partial<BudgetReadout>): BudgetReadout {
  return {
    label: 'daily budget',
    setting: 'budget.dailyUsd',
    limitUsd: 0.5,
    spentUsd: 0.5,
    leftUsd: 0,
    level: 'reached',
    action: 'block',
    resetsAt: new Date(2026, 11, 1),
    ...fields,
  };
}

function trackerWith(...records: LedgerRecord[]): SpendTracker {
  const tracker = new SpendTracker();
  for (const r of records) tracker.add(r);
  return tracker;
}

describe('status-bar readout', () => {
  it('shows the model that answered, its cost and today\'s total', () => {
    const last = record({});
    const tracker = trackerWith(record({ task: 'chat', model: 'claude-sonnet-5', costUsd: 0.0123 }), last);
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: tracker.today() });
    assert.equal(view.health, 'ok');
    assert.match(view.text, /claude-haiku-4-5 · \$0\.0004 · today \$0\.013/);
    assert.equal(view.background, undefined);
    assert.match(view.tooltip, /\| completion \| &emsp;&emsp;1 \| &emsp;&emsp;\$0\.0004 \|/);
    assert.match(view.tooltip, /\| chat \| &emsp;&emsp;1 \| &emsp;&emsp;\$0\.012 \|/);
    assert.match(view.tooltip, /anthropic:claude-sonnet-5 \| &emsp;&emsp;1 \|/);
  });

  it('says "local, $0" for a model of a server on this machine nobody priced, in the readout, the recent requests and their details', () => {
    const last = record({ task: 'chat', provider: 'ollama', model: 'llama3.1:8b', requestedModel: 'ollama:llama3.1:8b', costUsd: 0, costSource: 'local' });
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith(last).today() });
    assert.match(view.text, /llama3\.1:8b · local, \$0 · today \$0\.00$/);
    assert.match(recentRequestItem(last).label, /llama3\.1:8b · local, \$0$/);
    const cost = requestDetails({ requestId: 1, record: last, route: ['ollama:llama3.1:8b'] }).find((row) => row.label === 'Cost');
    assert.equal(cost?.value, 'local, $0 (a server on this machine; a price in switchboard.prices counts instead)');
    // A price someone set at $0 reads as that price.
    assert.match(statusView({ simulated: false, anyUsableProvider: true, last: { ...last, costSource: 'price-table' }, today: trackerWith(last).today() }).text, /llama3\.1:8b · \$0\.00 ·/);
  });

  it('says a vendor-named model of a server on this machine was charged at the vendor\'s rate, with the one-step fix, in the tooltip, the recent requests and their details', () => {
    const last = record({ task: 'chat', provider: 'openai', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costUsd: 0.000052, costSource: 'price-table', tableRateOnLocalServer: true });
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith(last).today() });
    assert.match(view.tooltip, /\*\*Vendor's rate, local server:\*\* priced at OpenAI's rate from the price table, though its server was on this machine/);
    // The link names the model, its parentheses encoded so that they do not end the link.
    assert.ok(view.tooltip.includes(`[It's Free (Local Server)](command:switchboard.freeOnLocalServer?${encodeURIComponent('["openai:gpt-5.4-nano"]')})`), view.tooltip);
    assert.match(recentRequestItem(last).label, /gpt-5\.4-nano · \$0\.000052 \(vendor's rate, local server\)$/);
    const cost = requestDetails({ requestId: 1, record: last, route: ['openai:gpt-5.4-nano'] }).find((row) => row.label === 'Cost');
    assert.match(cost?.value ?? '', /^\$0\.000052, priced at OpenAI's rate .* pick "It's Free \(Local Server\)" below, or add "openai:gpt-5\.4-nano" to switchboard\.freeOnLocalServer/);
    // Not said of the same model at OpenAI's own API, nor of a local $0.
    const atVendor = { ...last, tableRateOnLocalServer: undefined };
    assert.doesNotMatch(statusView({ simulated: false, anyUsableProvider: true, last: atVendor, today: trackerWith(atVendor).today() }).tooltip, /Vendor's rate/);
    assert.doesNotMatch(recentRequestItem(atVendor).label, /vendor's rate/);
    const modelWithParens = { ...last, model: 'gpt-5.4-nano (q4)' };
    assert.ok(statusView({ simulated: false, anyUsableProvider: true, last: modelWithParens, today: trackerWith(modelWithParens).today() }).tooltip.includes('%22openai%3Agpt-5.4-nano%20%28q4%29%22'));
  });

  it('says "local, $0" in the tooltip\'s tables for a model of a server on this machine, not a bare $0.00, and marks a vendor\'s rate there', () => {
    const local = { task: 'completion' as const, provider: 'ollama', model: 'qwen2.5-coder:7b', requestedModel: 'ollama:qwen2.5-coder:7b', costUsd: 0, costSource: 'local' as const };
    const nano = record({ task: 'chat', provider: 'openai', model: 'gpt-5.4-nano', requestedModel: 'openai:gpt-5.4-nano', costUsd: 0.00012, costSource: 'price-table', tableRateOnLocalServer: true });
    const onlyLocal = record(local);
    const view = statusView({ simulated: false, anyUsableProvider: true, last: onlyLocal, today: trackerWith(record(local), onlyLocal, nano).today() });
    assert.match(view.tooltip, /ollama:qwen2\.5-coder:7b \| &emsp;&emsp;2 \| &emsp;&emsp;local, \$0 \|/);
    assert.match(view.tooltip, /\| completion \| &emsp;&emsp;2 \| &emsp;&emsp;local, \$0 \|/);
    assert.match(view.tooltip, /openai:gpt-5\.4-nano \| &emsp;&emsp;1 \| &emsp;&emsp;\$0\.00012 \(vendor's rate, local server\) \|/);
    const allLocal = statusView({ simulated: false, anyUsableProvider: true, last: onlyLocal, today: trackerWith(onlyLocal).today() });
    assert.match(allLocal.tooltip, /\*\*Today\*\* \([\d-]+\): local, \$0 over 1 request/);
  });

  it('names where the OpenAI server came from: the environment variable (which the Settings editor cannot show) or the setting', () => {
    const last = record({});
    const today = trackerWith(last).today();
    const fromEnv = statusView({ simulated: false, anyUsableProvider: true, last, today, openaiServer: { url: 'http://localhost:11434/v1', from: 'OPENAI_BASE_URL' } });
    assert.match(fromEnv.tooltip, /OpenAI requests go to http\\:\/\/localhost:11434\/v1, from your `OPENAI_BASE_URL` environment variable \(`switchboard\.providers\.openai\.baseUrl` in User settings, when set, comes first\)\./);
    // Also where no provider is usable yet: the idle and refusal readouts carry the same tail.
    const idle = statusView({ simulated: false, anyUsableProvider: false, today, openaiServer: { url: 'http://gpu-box:8000/v1', from: 'setting' } });
    assert.match(idle.tooltip, /OpenAI requests go to http\\:\/\/gpu-box:8000\/v1, from `switchboard\.providers\.openai\.baseUrl`\./);
    assert.doesNotMatch(statusView({ simulated: false, anyUsableProvider: true, last, today }).tooltip, /OpenAI requests go to/, 'api.openai.com itself is not named');
  });

  it("shows the OpenAI server's URL in the tooltip with its password and the key in its query masked", () => {
    const last = record({});
    const today = trackerWith(last).today();
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today, openaiServer: { url: 'https://gwuser:gw-pass-7q2Zr@gw.example/v1?api-key=qk-9Xy4mT', from: 'setting' } });
    assert.ok(view.tooltip.includes('OpenAI requests go to https\\://gwuser:\\*\\*\\*\\@gw.example/v1?api-key=\\*\\*\\*, from `switchboard.providers.openai.baseUrl`.'), view.tooltip);
    for (const secret of ['gw-pass-7q2Zr', 'qk-9Xy4mT']) assert.ok(!view.tooltip.includes(secret), `"${secret}" is in the tooltip`);
  });

  it("says in the tooltip which of a container's Remote settings are held back, and why, until the user confirms them", () => {
    const today = trackerWith(record({})).today();
    const reason = "switchboard.providers.openai.baseUrl comes from this container's Remote settings (/home/node/.vscode-server/data/Machine/settings.json), which a repository's dev container configuration can set; not yet confirmed: defaults are used instead";
    const held = statusView({ simulated: false, anyUsableProvider: true, today, containerSettingsHeld: reason });
    assert.match(held.tooltip, /_Settings held back:_ switchboard\.providers\.openai\.baseUrl comes from this container's Remote settings .*not yet confirmed: defaults are used instead\./);
    assert.doesNotMatch(statusView({ simulated: false, anyUsableProvider: true, today }).tooltip, /held back/);
  });

  it('says in the tooltip, in the warning colour, while the ledger cannot be written, and stops once it is', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-status-ledger-'));
    try {
      // A real failure: a folder where the ledger file should be (EISDIR on every write). The temporary
      // path holds no Markdown syntax, so the tooltip quotes it as it is.
      const ledger = new Ledger(dir, { onError: () => undefined });
      const last = record({});
      await ledger.append(last);
      const tracker = trackerWith(last);
      const viewOf = (reachesOthers = true) => {
        const failure = ledger.failure();
        return statusView({ simulated: false, anyUsableProvider: true, last, today: tracker.today(), ...(failure ? { ledgerUnwritten: { path: ledger.path, ...failure, reachesOthers } } : {}) });
      };
      const failing = viewOf();
      assert.equal(failing.health, 'ok');
      assert.match(failing.text, /today \$0\.0004/, 'the total still counts the record not written');
      assert.equal(failing.background, 'warning');
      assert.equal(
        failing.tooltip.split('\n')[0],
        `**The ledger cannot be written** (${dir}: the path is a directory): 1 record kept in memory, counted in the totals below and in other windows' and the CLI's budgets, written once it works again.`,
      );
      assert.equal(
        viewOf(false).tooltip.split('\n')[0],
        `**The ledger cannot be written** (${dir}: the path is a directory): 1 record kept in memory, counted in the totals below and in this window's budgets only: other windows and the CLI do not see this spend until it is written, written once it works again.`,
      );

      await rm(dir, { recursive: true });
      await ledger.flush();
      assert.equal(ledger.failure(), undefined);
      assert.equal(viewOf().background, undefined);
      assert.doesNotMatch(viewOf().tooltip, /ledger cannot be written/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says in the tooltip how many records were dropped past what memory keeps while the ledger cannot be written', () => {
    const last = record({});
    const view = statusView({
      simulated: false,
      anyUsableProvider: true,
      last,
      today: trackerWith(last).today(),
      ledgerUnwritten: { path: '/data/ledger.jsonl', reason: 'the disk is full', kept: 12_000, dropped: 3, reachesOthers: true },
    });
    assert.equal(
      view.tooltip.split('\n')[0],
      "**The ledger cannot be written** (/data/ledger.jsonl: the disk is full): 12000 records kept in memory (3 older ones dropped past that, lost), counted in the totals below and in other windows' and the CLI's budgets, written once it works again.",
    );
  });

  it('says in the tooltip how much ghost text today was served without a request, a count that is never priced', () => {
    const last = record({});
    const tracker = trackerWith(last, record({ servedFrom: 'cache', count: 3, costUsd: 0 }), record({ servedFrom: 'typed-through', count: 2, costUsd: 0 }));
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: tracker.today() });
    const lines = view.tooltip.split('\n');
    assert.ok(lines.includes('Ghost text served without a request today: 5'), view.tooltip);
    // Not requests, and not in the spend.
    assert.match(view.tooltip, /\*\*Today\*\* \(\d{4}-\d\d-\d\d\): \$0\.0004 over 1 request\b/);
    assert.match(view.tooltip, /\| completion \| &emsp;&emsp;1 \| &emsp;&emsp;\$0\.0004 \|/);

    const none = statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith(last).today() });
    assert.doesNotMatch(none.tooltip, /served without a request/);
  });

  it('shows a model id as text in the tooltip, never as an image or link it spells', () => {
    const model = '![x](https://tracker.example/p.png)';
    const ref = { provider: 'bedrock', model };
    const last = record({ provider: 'bedrock', model, requestedModel: `bedrock:${model}` });
    const views = [
      statusView({ simulated: false, anyUsableProvider: true, waitingOn: { task: 'chat', ref, fallbackFrom: ref }, today: trackerWith().today() }),
      statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith().today() }),
      statusView({ simulated: false, anyUsableProvider: true, last: record({ ...last, outcome: 'error', error: 'reset' }), today: trackerWith().today() }),
      statusView({ simulated: false, anyUsableProvider: true, last: record({ ...last, attempts: [{ provider: 'bedrock', model, error: '503' }] }), today: trackerWith().today() }),
    ];
    for (const view of views) {
      assert.ok(view.tooltip.includes('bedrock:\\!\\[x\\](https\\://tracker.example/p.png)'), view.tooltip);
      assert.ok(!/(^|[^\\])!\[/.test(view.tooltip), `no image syntax left unescaped: ${view.tooltip}`);
    }
  });

  it('shows a server\'s error text in the tooltip without a link or an icon it spells', () => {
    // What a compromised OpenAI-compatible server can put in an error body: bare links (which VS Code's hover links as
    // GitHub does), an address, and codicons that would claim success or a request still running.
    const error = 'openai rejected the request (400): $(check) verify at https://evil.example/login or www.evil.example, mail admin@evil.example $(loading~spin)';
    const model = '$(pass) gpt-5.4';
    const last = record({ provider: 'openai', model, outcome: 'error', error, usage: { inputTokens: 10, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    const views = [
      statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith(last).today() }),
      statusView({ simulated: false, anyUsableProvider: true, last: record({ ...last, usage: { ...last.usage, outputTokens: 5 } }), today: trackerWith().today() }),
      statusView({ simulated: false, anyUsableProvider: true, last: record({ outcome: 'ok', attempts: [{ provider: 'openai', model, error }] }), today: trackerWith().today() }),
    ];
    // VS Code renders a hover's Markdown with marked, GitHub-flavoured, links included.
    const hover = new Marked({ gfm: true });
    for (const view of views) {
      const html = hover.parse(view.tooltip, { async: false });
      assert.doesNotMatch(html, /<a\b/, html);
      assert.ok(html.includes('https://evil.example/login') && html.includes('admin@evil.example'), `the text is still shown: ${html}`);
      // With theme icons on, every `$(name)` not preceded by a backslash is drawn as a codicon.
      assert.deepEqual(view.tooltip.match(/(?<!\\)\$\([\w~-]+\)/g), null, view.tooltip);
      assert.deepEqual(view.text.match(/(?<!\\)\$\([\w~-]+\)/g)?.length, 1, `only the readout's own icon: ${view.text}`);
    }
    const waiting = statusView({ simulated: false, anyUsableProvider: true, waitingOn: { task: 'chat', ref: { provider: 'openai', model } }, today: trackerWith().today() });
    assert.deepEqual(waiting.text.match(/(?<!\\)\$\([\w~-]+\)/g), ['$(loading~spin)'], waiting.text);
    // The recent-requests quick pick and a request's details draw icons in labels, descriptions and details too.
    const item = recentRequestItem(last);
    const details = requestDetails({ requestId: 1, record: last, route: [`openai:${model}`], error });
    for (const text of [item.label.replace(/^\$\(error\) /, ''), item.detail, ...details.map((row) => row.value)]) {
      assert.deepEqual(text.match(/(?<!\\)\$\([\w~-]+\)/g), null, text);
    }
  });

  it("writes the bidi controls of a model id or a server's error as code points in the tooltip", () => {
    // Bedrock's router names the model it invoked; a server's error body is its own words.
    const model = 'claude\u202E5-tennos';
    const last = record({ provider: 'bedrock', model, outcome: 'error', error: 'throttled \u2066retry\u2069\u200B', usage: { inputTokens: 10, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith(last).today() });
    assert.ok(view.tooltip.includes('claude\\[U+202E\\]5-tennos'), view.tooltip);
    assert.ok(view.tooltip.includes('throttled \\[U+2066\\]retry\\[U+2069\\]\\[U+200B\\]'), view.tooltip);
    assert.doesNotMatch(view.tooltip, /[\u202E\u2066\u2069\u200B]/u);
  });

  it('says why no provider is usable when the completion route knows, naming the setting', () => {
    const why = 'no usable credentials for any model of the completion route (openai:gpt-5.4-nano: switchboard.providers.openai.baseUrl is not an http(s) URL: nothing goes to openai until it is fixed)';
    const view = statusView({ simulated: false, anyUsableProvider: false, completionUnavailable: why, today: trackerWith().today() });
    assert.equal(view.health, 'no-credentials');
    assert.ok(view.tooltip.includes('Inline completions: no usable credentials for any model of the completion route (openai:gpt-5.4-nano: switchboard.providers.openai.baseUrl is not an http(s) URL'), view.tooltip);
  });

  it('asks for the settings, not a key, when the only providers are out for an invalid setting', () => {
    const problem = 'switchboard.providers.openai.baseUrl is not an http(s) URL: nothing goes to openai until it is fixed';
    const view = statusView({ simulated: false, anyUsableProvider: false, providerSettingProblems: [problem], today: trackerWith().today() });
    assert.equal(view.text, '$(warning) Switchboard: check provider settings');
    assert.equal(view.command, 'switchboard.openSettings');
    assert.ok(view.tooltip.includes('switchboard.providers.openai.baseUrl is not an http(s) URL'), view.tooltip);
    assert.doesNotMatch(view.tooltip, /Click for recent requests/, 'a click opens the settings');
    // With a provider usable, the readout is the usual one: the problem is for the log and the settings warning.
    const usable = statusView({ simulated: false, anyUsableProvider: true, providerSettingProblems: [problem], today: trackerWith().today() });
    assert.doesNotMatch(usable.text, /check provider settings/);
  });

  it('says which model it is waiting on while a request streams', () => {
    const view = statusView({
      simulated: false,
      anyUsableProvider: true,
      waitingOn: { task: 'chat', ref: { provider: 'openai', model: 'gpt-5.4' } },
      today: new SpendTracker().today(),
    });
    assert.equal(view.health, 'waiting');
    assert.match(view.text, /loading~spin\) gpt-5\.4…/);
  });

  it('stops spinning once the answer streams (a spinning icon makes the workbench draw every frame), until the request ends', () => {
    const state = new StatusState();
    const ref = { provider: 'anthropic' as const, model: 'claude-sonnet-5' };
    const view = () => statusView(state.input({ simulated: false, anyUsableProvider: true, today: new SpendTracker().today() }));
    state.onRouterEvent({ type: 'waiting', requestId: 7, task: 'chat', ref, reason: 'first of the route' });
    assert.match(view().text, /^\$\(loading~spin\) claude-sonnet-5…/);
    // Another request's text does not change this one's readout.
    state.onRouterEvent({ type: 'streaming', requestId: 8, task: 'chat', ref });
    assert.match(view().text, /loading~spin/);
    state.onRouterEvent({ type: 'streaming', requestId: 7, task: 'chat', ref });
    const streaming = view();
    assert.equal(streaming.health, 'waiting');
    assert.match(streaming.text, /^\$\(pulse\) claude-sonnet-5…/);
    assert.doesNotMatch(streaming.text, /~spin/);
    assert.match(streaming.tooltip, /^Streaming from \*\*anthropic:claude-sonnet-5\*\* for chat/);
  });

  it('makes a fallback visible: warning colour and the model that failed', () => {
    const last = record({ attempts: [{ provider: 'openai', model: 'gpt-5.4-nano', error: 'openai rate limited (429)' }] });
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith(last).today() });
    assert.equal(view.health, 'fell-back');
    assert.equal(view.background, 'warning');
    assert.match(view.text, /gpt-5\.4-nano failed/);
    assert.match(view.tooltip, /openai:gpt-5\.4-nano: openai rate limited \(429\)/);
  });

  it('shows an unknown price as unpriced, never as $0', () => {
    const last = record({ provider: 'ollama', model: 'llama3', costUsd: null });
    const view = statusView({ simulated: false, anyUsableProvider: true, last, today: trackerWith(last).today() });
    assert.match(view.text, /llama3 · unpriced · today \$0\.00\+/);
  });

  it('asks for a key when no provider has credentials, and labels simulated providers', () => {
    const none = statusView({ simulated: false, anyUsableProvider: false, today: new SpendTracker().today() });
    assert.equal(none.health, 'no-credentials');
    assert.equal(none.command, 'switchboard.setApiKey');
    // Someone with only Ollama or LM Studio needs no key: the tooltip names where a local server goes.
    assert.match(none.tooltip, /For a local server \(Ollama, LM Studio…\) run \*\*Switchboard: Use a Local Server…\*\* \(it sets `switchboard\.providers\.openai\.baseUrl`\)/);
    // A click sets a key: the tooltip does not end by promising the recent requests instead.
    assert.doesNotMatch(none.tooltip, /Click for recent requests/);
    const simulated = statusView({ simulated: true, anyUsableProvider: true, today: new SpendTracker().today() });
    assert.match(simulated.text, /^\$\(beaker\) Simulated · /);
    assert.match(simulated.tooltip, /Simulated providers/);
  });

  it('ends the tooltip with what a click does: recent requests when that is what it opens', () => {
    const idle = statusView({ simulated: false, anyUsableProvider: true, today: new SpendTracker().today() });
    assert.equal(idle.command, 'switchboard.showRecentRequests');
    assert.match(idle.tooltip, /\n\nClick for recent requests\.$/);
    const withheld = statusView({ simulated: false, anyUsableProvider: false, withheldKeys: [{ host: 'llm.example', reason: 'the openai key is kept from llm.example' }], today: new SpendTracker().today() });
    assert.equal(withheld.command, 'switchboard.allowKeyHost');
    assert.match(withheld.tooltip, /Click to allow llm\.example/);
    assert.doesNotMatch(withheld.tooltip, /Click for recent requests/);
  });

  it('says Restricted Mode before anything else, and that a click leads to workspace trust', () => {
    const view = statusView({ simulated: false, restricted: true, anyUsableProvider: false, budget: readout({}), today: new SpendTracker().today() });
    assert.equal(view.health, 'restricted');
    assert.equal(view.text, '$(shield) Switchboard: Restricted Mode');
    assert.match(view.tooltip, /sends nothing from it to any model/);
    assert.match(view.tooltip, /Click for \*\*Manage Workspace Trust\*\* and recent requests\./);
    assert.equal(view.command, 'switchboard.showRecentRequests');
    assert.equal(view.tooltip.match(/Click/g)?.length, 1, 'one line says what a click does');
  });

  it('shows a spent budget (block) as one lasting state, not as a failed request, with when it resets', () => {
    const spent = record({ task: 'chat', costUsd: 0.5 });
    const refused = record({ outcome: 'error', usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, costUsd: 0, error: 'daily budget reached' });
    const view = statusView({ simulated: false, anyUsableProvider: true, budget: readout({}), last: refused, today: trackerWith(spent, refused).today() });
    assert.equal(view.health, 'budget-reached');
    assert.equal(view.text, '$(circle-slash) budget reached · today $0.50');
    assert.equal(view.background, 'error');
    assert.match(view.tooltip, /\*\*Daily budget reached\*\*: \$0\.50 spent of \$0\.50 \(switchboard\.budget\.dailyUsd\); it resets on 2026-12-01 at 00:00\. Requests are refused/);
    assert.match(view.tooltip, /Raise Budget…\*\* or \*\*Allow Once/);
  });

  it('names a limit set to a value that is not one, which counts as reached until fixed, not when it resets', () => {
    const budget = readout({ limitUsd: 0, spentUsd: 0, leftUsd: 0, invalid: '"5*" must be a number from 0 to 1000000 (USD; 0 for no limit)' });
    const view = statusView({ simulated: false, anyUsableProvider: true, budget, today: new SpendTracker().today() });
    assert.equal(view.health, 'budget-reached');
    assert.match(view.tooltip, /^\*\*switchboard\.budget\.dailyUsd is not a valid limit\*\*: "5\\\*" must be a number from 0 to 1000000 \(USD; 0 for no limit\); the daily budget counts as reached until it is fixed\. Requests are refused/);
    assert.doesNotMatch(view.tooltip, /resets/);
  });

  it('says when only the cheapest models are used, and when requests go on past a limit', () => {
    const today = new SpendTracker().today();
    const downgraded = statusView({ simulated: false, anyUsableProvider: true, budget: readout({ action: 'downgrade' }), today });
    assert.equal(downgraded.health, 'budget-downgraded');
    assert.equal(downgraded.text, '$(arrow-down) cheapest models only · today $0.00');
    assert.equal(downgraded.background, 'warning');
    const over = statusView({ simulated: false, anyUsableProvider: true, budget: readout({ action: 'warn', label: 'monthly openai budget', setting: 'budget.providers.openai.monthlyUsd' }), today });
    assert.equal(over.health, 'budget-over');
    assert.equal(over.text, '$(warning) over monthly openai budget · today $0.00');
    assert.match(over.tooltip, /switchboard\.budget\.providers\.openai\.monthlyUsd/);
  });

  it('turns to the warning colour at the threshold and says how much is left, keeping the last answer', () => {
    const last = record({});
    const view = statusView({ simulated: false, anyUsableProvider: true, last, budget: readout({ level: 'warning', spentUsd: 0.42, leftUsd: 0.08 }), today: trackerWith(last).today() });
    assert.equal(view.health, 'budget-warning');
    assert.equal(view.text, '$(check) claude-haiku-4-5 · $0.0004 · today $0.0004 · $0.08 left');
    assert.equal(view.background, 'warning');
    assert.match(view.tooltip, /\*\*Daily budget\*\*: \$0\.08 left of \$0\.50/);
    const failed = statusView({ simulated: false, anyUsableProvider: true, last: record({ outcome: 'error', usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } }), budget: readout({ level: 'warning' }), today: trackerWith(last).today() });
    assert.equal(failed.health, 'error', 'a failure still shows as one');
  });

  it('says in the tooltip what is left of a budget far from its limit, leaving the readout as it is', () => {
    const last = record({});
    const today = trackerWith(last).today();
    const without = statusView({ simulated: false, anyUsableProvider: true, last, today });
    const view = statusView({ simulated: false, anyUsableProvider: true, last, budget: readout({ level: 'ok', spentUsd: 0.1, leftUsd: 0.4 }), today });
    assert.deepEqual([view.health, view.text, view.background], [without.health, without.text, without.background]);
    assert.ok(view.tooltip.startsWith('**Daily budget**: $0.40 left of $0.50 (switchboard.budget.dailyUsd); it resets on 2026-12-01 at 00:00.\n\n'), view.tooltip);
  });

  it('says why there are no inline completions when their route cannot be used', () => {
    const view = statusView({
      simulated: false,
      anyUsableProvider: true,
      completionUnavailable: 'the completion route lists no model: add one to switchboard.routes.completion',
      last: record({}),
      today: new SpendTracker().today(),
    });
    assert.equal(view.health, 'completion-unavailable');
    assert.equal(view.text, '$(circle-slash) no completion model · today $0.00');
    assert.equal(view.background, 'warning');
    assert.match(view.tooltip, /switchboard\.routes\.completion/);
  });

  it('lists a recent request with model, task, tokens, cost and latency', () => {
    const item = recentRequestItem(record({ task: 'chat', usage: { inputTokens: 100, outputTokens: 50, cacheReadTokens: 900, cacheWriteTokens: 0 } }));
    assert.match(item.label, /claude-haiku-4-5 · \$0\.0004/);
    assert.equal(item.description, 'chat · 1000→50 tok · 420 ms');
  });

  it('spaces the tooltip tables\' columns, figures right-aligned, since hovers pad no cell', () => {
    assert.deepEqual(table(['task', 'requests', 'cost'], [['chat', '3', '$0.00027']]), [
      '| task | &emsp;&emsp;requests | &emsp;&emsp;cost |',
      '|:---|---:|---:|',
      '| chat | &emsp;&emsp;3 | &emsp;&emsp;$0.00027 |',
    ]);
  });

  it('details a recent request: model, route, why, fallbacks, tokens, cost, latency, outcome', () => {
    const fellBack = record({
      task: 'chat',
      provider: 'anthropic',
      model: 'claude-sonnet-5',
      requestedModel: 'openai:gpt-5.4',
      usage: { inputTokens: 1000, outputTokens: 50, cacheReadTokens: 200, cacheWriteTokens: 0 },
      costUsd: 0.0042,
      latencyMs: 1520,
      firstTokenMs: 310,
      attempts: [{ provider: 'openai', model: 'gpt-5.4', error: 'openai is rate-limiting requests (429)' }],
    });
    const rows = requestDetails({
      requestId: 7,
      record: fellBack,
      route: ['openai:gpt-5.4', 'anthropic:claude-sonnet-5'],
      reason: 'fallback after openai is rate-limiting requests (429)',
    });
    const value = (label: string) => rows.find((row) => row.label === label)?.value;
    assert.equal(value('Model'), "anthropic:claude-sonnet-5 (the route's first choice was openai:gpt-5.4)");
    assert.equal(value('Route (chat)'), 'openai:gpt-5.4 → anthropic:claude-sonnet-5');
    assert.equal(value('Why this model'), 'fallback after openai is rate-limiting requests (429)');
    assert.equal(value('Fallbacks'), 'openai:gpt-5.4: openai is rate-limiting requests (429)');
    assert.equal(value('Tokens'), '1,200 in (200 cache read, 0 cache write) / 50 out');
    assert.equal(value('Cost'), '$0.0042');
    assert.equal(value('Latency'), '1.5 s in all, first token after 310 ms');
    assert.equal(value('Outcome'), 'answered');

    assert.equal(value('Usage over its bound'), undefined, 'a request priced as reported has no such row');

    const bounded = requestDetails({
      requestId: 9,
      record: record({ usage: { inputTokens: 30, outputTokens: 256, cacheReadTokens: 0, cacheWriteTokens: 0 }, reportedUsage: { inputTokens: 30, outputTokens: 1e15 }, usageBound: { outputTokens: 256 } }),
      route: ['anthropic:claude-haiku-4-5'],
    });
    assert.equal(
      bounded.find((row) => row.label === 'Usage over its bound')?.value,
      'the provider reported 1,000,000,000,000,000 output tokens, more than the request could produce (256); priced at 256',
    );
    assert.equal(bounded.find((row) => row.label === 'Tokens')?.value, '30 in (0 cache read, 0 cache write) / 256 out');

    const failed = requestDetails({ requestId: 8, record: record({ outcome: 'error', costUsd: null }), route: [], error: 'every model failed' });
    assert.equal(failed.find((row) => row.label === 'Outcome')?.value, 'failed: every model failed');
    assert.equal(failed.find((row) => row.label === 'Cost')?.value, 'unpriced (no known price for this model)');
    assert.equal(failed.find((row) => row.label === 'Route (completion)')?.value, 'empty');

    const cut = requestDetails({ requestId: 10, record: record({ task: 'plan', maxTokensReached: 4096 }), route: [] });
    assert.equal(cut.find((row) => row.label === 'Outcome')?.value, 'answered, cut at the 4,096-token limit (switchboard.plan.maxTokens)');
  });
});
