import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { record, tempDir } from '../core/ledger/fixtures';
import { fakes, useFakeProviders } from './cliFixture';
import { runInProcess, type Run } from './inProcess';

/**
 * The core's messages name the setting to change. Run from the CLI they must name the key of its --config file,
 * which is where a CLI user changes it; `switchboard.…` is the editor's name, and the CLI has no settings editor.
 */
describe('switchboard: settings named as the --config file has them', function () {
  this.timeout(20_000);
  const dir = tempDir('setting-names');
  useFakeProviders();

  /** `switchboard ask --config team.jsonc …` in the test's folder, with `settings` in team.jsonc and an OpenAI key. */
  async function ask(settings: Record<string, unknown>, ledgerLines: string[] = []): Promise<Run> {
    await writeFile(path.join(dir.path, 'team.jsonc'), JSON.stringify({ providers: { openai: fakes.urls.openai }, auto: { enabled: false }, ...settings }));
    const ledger = path.join(dir.path, 'ledger.jsonl');
    await writeFile(ledger, ledgerLines.map((line) => `${line}\n`).join(''));
    return runInProcess(['ask', '--config', 'team.jsonc', '--ledger', ledger, 'Hello?'], { env: { OPENAI_API_KEY: 'test' }, cwd: dir.path });
  }

  /** The run's error line, checked to name no editor setting. */
  function failure(run: Run): string {
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /switchboard\.[a-z]/, 'no editor setting named');
    return run.stderr;
  }

  it('names timeouts.firstTokenMs in the file when a model sends no first token in time', async () => {
    fakes.openai.script({ stall: true });
    const run = await ask({ routes: { chat: ['openai:gpt-5.4-nano'] }, timeouts: { firstTokenMs: 100 } });
    assert.match(failure(run), /openai:gpt-5\.4-nano: no first token within 100 ms \(timeouts\.firstTokenMs in team\.jsonc\)/);
  });

  it('names a provider\'s own limit, providers.openai.timeouts.firstTokenMs, in the file when it set the wait', async () => {
    fakes.openai.script({ stall: true });
    const run = await ask({ routes: { chat: ['openai:gpt-5.4-nano'] }, providers: { openai: { ...fakes.urls.openai, timeouts: { firstTokenMs: 100 } } } });
    assert.match(failure(run), /openai:gpt-5\.4-nano: no first token within 100 ms \(providers\.openai\.timeouts\.firstTokenMs in team\.jsonc\)/);
  });

  it('names a provider\'s own limit that is not one, at its line in the file, and makes no request', async () => {
    const run = await ask({ routes: { chat: ['openai:gpt-5.4-nano'] }, providers: { openai: { ...fakes.urls.openai, timeouts: { firstTokenMs: 'slow' } } } });
    // A bad setting stops the CLI before any request (exit 2), the file's line named.
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^switchboard: team\.jsonc:1: providers\.openai\.timeouts\.firstTokenMs: must be a number from 100 to 600000, not "slow"/);
    assert.doesNotMatch(run.stderr, /switchboard\.[a-z]/, 'no editor setting named');
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('names budget.dailyUsd in the file when the daily budget is spent', async () => {
    const run = await ask({ routes: { chat: ['openai:gpt-5.4-nano'] }, budget: { dailyUsd: 0.5 } }, [JSON.stringify(record({ costUsd: 0.75 }))]);
    assert.match(failure(run), /daily budget reached: \$0\.75 spent of \$0\.50; it resets on \d{4}-\d\d-\d\d at 00:00 \(raise budget\.dailyUsd in team\.jsonc to continue now\)/);
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('names budget.unpriced and prices in the file when a budget refuses an unpriced model', async () => {
    // The fake by a name that is no loopback name: a server elsewhere, whose unpriced model has no known cost (on this machine it is $0).
    const baseUrl = fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const run = await ask({ routes: { chat: ['openai:my-local-model'] }, budget: { dailyUsd: 5, unpriced: 'refuse' }, providers: { openai: { baseUrl } } });
    assert.match(failure(run), /openai:my-local-model has no known price, and under a budget requests to unpriced models are refused \(budget\.unpriced in team\.jsonc is "refuse"; give it a price under "prices" in team\.jsonc \("openai:my-local-model": \{ "input": …, "output": … \}, in USD per million tokens\), or set budget\.unpriced in team\.jsonc to "estimate" to count it at budget\.unpricedEstimate in team\.jsonc\)/);
  });

  it('names routes.chat in the file when the route lists no model', async () => {
    const run = await ask({ routes: { chat: [] } });
    assert.match(failure(run), /the chat route lists no model: add one to routes\.chat in team\.jsonc/);
  });
});

describe('switchboard: a --config key that is not a setting', () => {
  const dir = tempDir('unknown-keys');

  it('names the setting whose unit the key left out: budget.daily is budget.dailyUsd', async () => {
    await writeFile(path.join(dir.path, 'units.jsonc'), JSON.stringify({ budget: { daily: 5, monthly: 50 }, timeouts: { firstToken: 9000 } }));
    const run = await runInProcess(['route', '--config', 'units.jsonc', 'hello'], { env: { HOME: dir.path }, cwd: dir.path });
    assert.equal(run.code, 2);
    assert.deepEqual(run.stderr.trimEnd().split('\n'), [
      'switchboard: units.jsonc:1: budget.daily: is not a Switchboard setting (did you mean "budget.dailyUsd"?)',
      'switchboard: units.jsonc:1: budget.monthly: is not a Switchboard setting (did you mean "budget.monthlyUsd"?)',
      'switchboard: units.jsonc:1: timeouts.firstToken: is not a Switchboard setting (did you mean "timeouts.firstTokenMs"?)',
    ]);
  });

  it('names the setting a letter or two away, at the level the key is at, and nothing when none is close', async () => {
    await writeFile(path.join(dir.path, 'team.jsonc'), JSON.stringify({ provider: {}, providers: { openai: { baseURL: 'http://localhost:11434/v1' } }, routes: { chta: [] }, colour: 'blue' }));
    const run = await runInProcess(['route', '--config', 'team.jsonc', 'hello'], { env: { HOME: dir.path }, cwd: dir.path });
    assert.equal(run.code, 2);
    assert.deepEqual(run.stderr.trimEnd().split('\n'), [
      'switchboard: team.jsonc:1: provider: is not a Switchboard setting (did you mean "providers"?)',
      'switchboard: team.jsonc:1: providers.openai.baseURL: is not a Switchboard setting (did you mean "providers.openai.baseUrl"?)',
      'switchboard: team.jsonc:1: routes.chta: is not a Switchboard setting (did you mean "routes.chat"?)',
      'switchboard: team.jsonc:1: colour: is not a Switchboard setting',
    ]);
  });
});
