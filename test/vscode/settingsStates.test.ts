import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { runConfirmed } from './confirmedCommand';
import type { SwitchboardTestApi } from '../../src/vscode/testApi';
import { startFakeProviders, type FakeProviders } from '../fakes';
import { fakeKeys } from '../fakes/fakeKeys';
import { changeSetting } from './settingChange';

const EXTENSION_ID = 'switchboard-dev.switchboard';
const KEY = fakeKeys.openai('states');

/**
 * Lasting states in the real extension host: while the router would refuse
 * (an empty completion route, the day's budget spent), typing pauses make no
 * request and write no ledger record, and the status bar says why, once.
 */
describe('Switchboard while requests would be refused', function () {
  let fakes: FakeProviders;
  let sb: SwitchboardTestApi;
  let document: vscode.TextDocument;
  /** Resolves once the extension has applied the change (see settingChange.ts). */
  const setSetting = (key: string, value: unknown) => changeSetting(sb, key, value);

  async function ledgerLength(): Promise<number> {
    await sb.flushLedger();
    return (await readFile(sb.ledgerPath(), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
  }

  /** One typing pause after `return `, as VS Code asks after a keystroke. */
  function pause(at = document): Promise<string | undefined> {
    return sb.inlineCompletion(at, new vscode.Position(1, 9), new vscode.CancellationTokenSource().token);
  }

  before(async () => {
    fakes = await startFakeProviders();
    const exports = await vscode.extensions.getExtension<SwitchboardTestApi | undefined>(EXTENSION_ID)!.activate();
    assert.ok(exports, 'under the test harness activate() returns the test API');
    sb = exports;
    await sb.storeKey('openai', KEY);
    await setSetting('providers.openai.baseUrl', fakes.urls.openai.baseUrl);
    await setSetting('completion.debounceMs', 0);
    document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'function total(prices: number[]) {\n  return \n}\n' });
  });

  after(async () => {
    for (const key of ['providers.openai.baseUrl', 'routes.completion', 'routes.chat', 'completion.debounceMs', 'budget.dailyUsd']) await setSetting(key, undefined);
    await sb.clearKey('openai');
    await fakes.close();
  });

  it('keeps a completion route with no valid entry empty: no request, no record, and the status bar names the setting', async () => {
    await setSetting('routes.completion', ['gpt-5.4-nano']);
    assert.deepEqual(sb.route('completion'), [], 'not the cloud defaults');
    assert.ok(sb.settingProblems().some((p) => p.startsWith('switchboard.routes.completion: has no valid model reference')));
    const records = await ledgerLength();
    const requests = fakes.openai.requests.length;

    for (let i = 0; i < 3; i++) assert.equal(await pause(), undefined);

    assert.equal(await ledgerLength(), records, 'no error record per pause');
    assert.equal(fakes.openai.requests.length, requests);
    const view = sb.statusView()!;
    assert.equal(view.health, 'completion-unavailable');
    assert.match(view.text, /no completion model/);
    assert.match(view.tooltip, /switchboard\.routes\.completion/);

    await setSetting('routes.completion', ['openai:gpt-5.4-nano']);
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'prices.length;' });
    assert.equal(await pause(), 'prices.length;', 'completions resume with the fixed setting, without a reload');
  });

  it('leaves OpenAI out, stored key and all, while its baseUrl is invalid, and takes the fix without a reload', async () => {
    // A place never completed before, so no cached answer is served.
    const first = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'function first(prices: number[]) {\n  return \n}\n' });
    await setSetting('routes.completion', ['openai:gpt-5.4-nano']);
    // No scheme: before, this fell back to the default, api.openai.com, with the stored key.
    await setSetting('providers.openai.baseUrl', ' localhost:11434/v1');
    assert.deepEqual(sb.providerStatus('openai'), { usable: false });
    assert.ok(
      sb.settingProblems().includes('switchboard.providers.openai.baseUrl: "localhost:11434/v1" is not an http(s) URL; no openai requests are made until it is fixed'),
      sb.settingProblems().join('\n'),
    );
    const records = await ledgerLength();
    assert.equal(await pause(first), undefined);
    assert.equal(await ledgerLength(), records, 'nothing asked, nothing recorded');
    // No other provider has a key here: the readout says so, and why OpenAI is out.
    assert.equal(sb.statusView()!.health, 'no-credentials');
    assert.match(sb.statusView()!.text, /check provider settings/, 'a key would not help: the setting must be fixed');
    assert.match(sb.statusView()!.tooltip, /switchboard\.providers\.openai\.baseUrl is not an http\(s\) URL/);

    // Fixed, with a space pasted after it.
    await setSetting('providers.openai.baseUrl', `${fakes.urls.openai.baseUrl} `);
    assert.equal(sb.providerStatus('openai')?.usable, true);
    assert.ok(!sb.settingProblems().some((p) => p.startsWith('switchboard.providers.openai.baseUrl')));
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'prices.at(0);' });
    const requests = fakes.openai.requests.length;
    assert.equal(await pause(first), 'prices.at(0);');
    assert.equal(fakes.openai.requests.length, requests + 1, 'the fixed server was asked');
  });

  it('shows a spent budget once and makes no completion request until the budget is raised', async () => {
    await setSetting('routes.chat', ['openai:gpt-5.4']);
    // Spent first, then limited below it: a limit set first would refuse the question (its worst case does
    // not fit in $0.001) and spend nothing, so the budget would be reached only if earlier tests had spent.
    fakes.openai.scriptModel('gpt-5.4', { text: 'Use reduce.', usage: { inputTokens: 10_000, outputTokens: 100 } });
    await runConfirmed(sb, 'switchboard.ask', 'How do I add up prices?');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await setSetting('budget.dailyUsd', 0.001);
    assert.equal(sb.statusView()!.health, 'budget-reached');
    assert.match(sb.statusView()!.text, /budget reached · today \$/);

    // A place never completed before, so no cached answer (which would cost nothing) is served.
    const average = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'function mean(prices: number[]) {\n  return \n}\n' });
    const records = await ledgerLength();
    const requests = fakes.openai.requests.length;
    for (let i = 0; i < 3; i++) assert.equal(await pause(average), undefined);
    assert.equal(await ledgerLength(), records);
    assert.equal(fakes.openai.requests.length, requests);
    assert.equal(sb.statusView()!.health, 'budget-reached', 'not an error per pause');

    await setSetting('budget.dailyUsd', 100);
    assert.notEqual(sb.statusView()!.health, 'budget-reached');
    fakes.openai.scriptModel('gpt-5.4-nano', { text: 'prices.reduce((a, b) => a + b, 0) / prices.length;' });
    assert.equal(await pause(average), 'prices.reduce((a, b) => a + b, 0) / prices.length;');
  });
});
