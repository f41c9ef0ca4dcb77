import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fakeKeys } from '../fakes/fakeKeys';
import { bareEnvIn, dir, fakes, NOVA, useFakeProviders, useTempFolder } from './cliFixture';
import { runInProcess } from './inProcess';

/**
 * What `ask` says of the models before its answer: a line on a terminal when it fell back after a failure
 * (with the models not asked), the models not asked when none answered, and nothing for a route whose first models
 * merely have no key, as the default routes have for a user with one provider's key.
 */
describe('switchboard ask: the models it fell back from and those it did not ask', function () {
  this.timeout(20_000);
  let config: string;
  /** An Anthropic key and nothing else of this machine's (bareEnvIn): no AWS credentials anywhere, so Bedrock is not asked. */
  let env: NodeJS.ProcessEnv;

  useFakeProviders();
  useTempFolder('cli-fallback');

  before(async () => {
    config = path.join(dir, 'config.json');
    env = bareEnvIn(dir, { ANTHROPIC_API_KEY: fakeKeys.anthropic('fallback') });
    const route = [`bedrock:${NOVA}`, 'anthropic:claude-haiku-4-5', 'openai:gpt-5.4'];
    await writeFile(config, JSON.stringify({ providers: fakes.urls, routes: { chat: route }, auto: { enabled: false } }));
  });

  const ask = (options: { stderrIsTTY?: boolean; env?: NodeJS.ProcessEnv } = {}) =>
    runInProcess(['ask', '--config', config, '--ledger', path.join(dir, 'ledger.jsonl'), 'Hello?'], { cwd: dir, ...options, env: { ...env, ...options.env } });

  it('on a terminal, an answer from a fallback after a failure: one line naming the failure and the models not asked', async () => {
    fakes.anthropic.script({ status: 529 });
    const result = await ask({ stderrIsTTY: true });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Simulated answer from gpt-5\.4/);
    const [line, footer] = result.stderr.split('\n');
    assert.equal(line, `switchboard: fell back after anthropic:claude-haiku-4-5 (anthropic is overloaded (529)); not asked: bedrock:${NOVA} (no AWS credentials)`);
    assert.match(footer ?? '', /^switchboard: openai:gpt-5\.4, /);
  });

  it('no line when the first usable model answered: models without a key are not news on every request', async () => {
    const result = await ask({ stderrIsTTY: true });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^switchboard: anthropic:claude-haiku-4-5, [^\n]*\n$/);
    // Nor, with no terminal, any line at all: a script reads --json.
    fakes.anthropic.script({ status: 529 });
    assert.equal((await ask()).stderr, '');
  });

  it('nothing answered: the models not asked, with what to set up, before the error', async () => {
    fakes.anthropic.script({ status: 529 });
    fakes.openai.script({ status: 500 });
    const result = await ask();
    assert.equal(result.code, 1);
    const [notAsked, error] = result.stderr.split('\n');
    assert.match(notAsked ?? '', new RegExp(`^switchboard: not asked: bedrock:${NOVA.replace(/\./g, '\\.')} \\(no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; .*providers\\.bedrock\\.profile in .*config\\.json\\)$`));
    assert.match(error ?? '', /^switchboard: every model of the chat route failed \(anthropic:claude-haiku-4-5: anthropic is overloaded \(529\); openai:gpt-5\.4: openai had a server error \(500\)\)$/);
  });
});
