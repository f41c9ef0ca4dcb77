import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../core/ledger/fixtures';
import { bareEnvIn, fakes, useFakeProviders } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * A new user's first `ask`, before any key is set, is recorded (every request is) but never left the machine:
 * `costs` says so, apart from the requests that failed or were refused, instead of "1 failed or refused".
 */
describe('switchboard costs: requests never sent for want of a provider', () => {
  const dir = tempDir('not-sent');
  useFakeProviders();

  const bareEnv = (): NodeJS.ProcessEnv => bareEnvIn(dir.path);
  const ledger = () => path.join(dir.path, 'ledger.jsonl');

  it('ask --json says notSent "setup", as the ledger record and costs --json\'s notSentRequests do; an answer has no notSent', async () => {
    const notSentLedger = path.join(dir.path, 'ask-json.jsonl');
    const refused = await runInProcess(['ask', '--json', '--ledger', notSentLedger, 'Hello'], { env: bareEnv(), cwd: dir.path });
    assert.equal(refused.code, 1, refused.stderr);
    const json = JSON.parse(refused.stdout) as Record<string, unknown>;
    assert.deepEqual([json.outcome, json.notSent], ['error', 'setup']);
    const env = { ...bareEnv(), OPENAI_BASE_URL: fakes.urls.openai.baseUrl };
    const answered = await runInProcess(['ask', '--json', '--ledger', notSentLedger, '--model', 'openai:gpt-5.4-nano', 'Hello'], { env, cwd: dir.path });
    assert.equal(answered.code, 0, answered.stderr);
    assert.equal('notSent' in (JSON.parse(answered.stdout) as Record<string, unknown>), false);
    const costs = JSON.parse((await runInProcess(['costs', '--json', '--ledger', notSentLedger], { env, cwd: dir.path })).stdout) as Record<string, unknown>;
    assert.deepEqual([costs.requests, costs.notSentRequests], [1, 1]);
  });

  it('records the refused first ask as not sent, and costs says no request was sent yet', async () => {
    const ask = await runInProcess(['ask', '--ledger', ledger(), 'Hello'], { env: bareEnv(), cwd: dir.path });
    assert.equal(ask.code, 1, ask.stderr);
    const [record] = (await readFile(ledger(), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { outcome: string; notSent?: string });
    assert.deepEqual([record!.outcome, record!.notSent], ['error', 'setup']);

    const costs = await runInProcess(['costs', '--ledger', ledger()], { env: bareEnv(), cwd: dir.path });
    assert.equal(costs.code, 0, costs.stderr);
    assert.equal(
      costs.stdout,
      `Ledger: ${ledger()}\n\n` +
        'No request sent yet: 1 request recorded but not sent, as no model of its route had credentials (or the route named none); ' +
        '"switchboard doctor" says what is missing.\n',
    );
    assert.doesNotMatch(costs.stdout, /failed/);

    const json = await runInProcess(['costs', '--json', '--ledger', ledger()], { env: bareEnv(), cwd: dir.path });
    const summary = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual([summary.requests, summary.failedRequests, summary.notSentRequests, summary.byModel], [0, 0, 1, {}]);
  });

  it('once a request is answered, counts it alone and says the one not sent on a line of its own', async () => {
    await runInProcess(['ask', '--ledger', ledger(), 'Hello'], { env: bareEnv(), cwd: dir.path });
    const env = { ...bareEnv(), OPENAI_BASE_URL: fakes.urls.openai.baseUrl };
    const answered = await runInProcess(['ask', '--ledger', ledger(), '--model', 'openai:gpt-5.4-nano', 'Hello'], { env, cwd: dir.path });
    assert.equal(answered.code, 0, answered.stderr);

    const costs = await runInProcess(['costs', '--ledger', ledger()], { env, cwd: dir.path });
    assert.equal(costs.code, 0, costs.stderr);
    const lines = costs.stdout.split('\n');
    // The model the refused ask would have tried first was never asked: it has no line.
    assert.deepEqual(lines.filter((line) => /^[a-z]+:/.test(line)).map((line) => line.split(' ')[0]), ['openai:gpt-5.4-nano']);
    assert.match(lines.find((line) => line.startsWith('Total: '))!, /^Total: \$0\.\d+ over 1 request$/);
    // A sentence, ended as the one after a measured saving is.
    assert.match(lines.find((line) => line.startsWith('Routing saved '))!, /^Routing saved \$0\.00: .* counts at what it cost\.$/);
    assert.equal(
      lines.find((line) => line.startsWith('Not sent')),
      'Not sent, not in the figures above: 1 request recorded but not sent, as no model of its route had credentials (or the route named none); ' +
        '"switchboard doctor" says what is missing',
    );
  });
});
