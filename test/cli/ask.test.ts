import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatUsd } from '../../src/core/cost';
import { PriceTable } from '../../src/core/prices/priceTable';
import { NOVA, cli, fakes, dir, configFile, baseEnv, keyedEnv, newLedger, ask, useCliFixture, ledgerRecord, readLedger, oneErrorLine } from './cliFixture';
import { runCli, startCli } from './cliHarness';
import { runInProcess } from './inProcess';

/** `switchboard ask`: the answer on stdout, its footer, --json, --task and --model, standard input, warnings, signals and closed pipes. */
describe('switchboard ask', function () {
  this.timeout(20_000);
  useCliFixture();

  it('streams the answer to stdout, exits 0 and writes one ledger record', async () => {
    fakes.openai.script({ text: 'The router tries each model in order.', chunks: 4 });

    const result = await ask(['How', 'does', 'routing', 'work?']);

    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'The router tries each model in order.\n');
    assert.equal(result.stderr, '');
    const body = fakes.openai.requests[0]?.body as { messages: Array<{ role: string; content: string }> };
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: 'How does routing work?' });
    const records = await readLedger(result.ledger);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.outcome, 'ok');
    assert.equal(records[0]?.source, 'cli');
  });

  it('says which model answered, its tokens, cost and time on stderr when a person watches it (a terminal), as the chat footer does', async () => {
    fakes.openai.script({ text: 'Yes.', usage: { inputTokens: 1200, outputTokens: 4 } });
    const ledger = newLedger();
    const result = await runInProcess(['ask', '--config', configFile, '--ledger', ledger, 'Is it sorted?'], { env: keyedEnv, stderrIsTTY: true });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Yes.\n', 'the answer alone on stdout');
    const [record] = await readLedger(ledger);
    assert.equal(result.stderr, `switchboard: openai:gpt-5.4-nano, 1,200 in / 4 out tokens, ${formatUsd(record!.costUsd)}, ${(record!.latencyMs / 1000).toFixed(1)} s\n`);
  });

  it('shows the escape sequences of an answer as "?" in a terminal, and passes them to a pipe as sent', async () => {
    const answer = 'Done.\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2K Really.';
    fakes.openai.script({ text: answer, chunks: 3 });
    const terminal = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'Is it done?'], { env: keyedEnv, stdoutIsTTY: true });
    assert.equal(terminal.code, 0, terminal.stderr);
    assert.equal(terminal.stdout, 'Done.?]52;c;cm0gLXJmIH4=??[2K Really.\n');

    fakes.openai.script({ text: answer, chunks: 3 });
    const piped = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'Is it done?'], { env: keyedEnv });
    assert.equal(piped.stdout, `${answer}\n`);
  });

  it('shows the bidi controls of an answer and of an error body by code point in a terminal, and passes them to a pipe', async () => {
    // Printed raw, the override shows "rm -rf ./build  # tidy" reversed past it: a command reading as another.
    const answer = 'Clean up with: rm -rf ~ \u202E# dliub ydit\u202C and \u2066isolated\u2069\u200B.';
    fakes.openai.script({ text: answer, chunks: 4 });
    const terminal = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'How do I clean?'], { env: keyedEnv, stdoutIsTTY: true, stderrIsTTY: true });
    assert.equal(terminal.code, 0, terminal.stderr);
    assert.equal(terminal.stdout, 'Clean up with: rm -rf ~ <U+202E># dliub ydit<U+202C> and <U+2066>isolated<U+2069><U+200B>.\n');

    fakes.openai.script({ text: answer, chunks: 4 });
    const piped = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), 'How do I clean?'], { env: keyedEnv });
    assert.equal(piped.stdout, `${answer}\n`);

    fakes.openai.script({ status: 400, errorMessage: 'Bad model \u202Egnp.exe\u202C, see \u200Fdocs' });
    const failed = await runInProcess(['ask', '--config', configFile, '--ledger', newLedger(), '--model', 'openai:gpt-5.4-nano', 'Hi'], { env: keyedEnv, stderrIsTTY: true });
    assert.equal(failed.code, 1);
    assert.ok(failed.stderr.includes('Bad model <U+202E>gnp.exe<U+202C>, see <U+200F>docs'), failed.stderr);
    assert.doesNotMatch(failed.stderr, /[\u202A-\u202E\u200F]/u);
  });

  it('warns, and still answers, when a route names a model past its deprecation date', async () => {
    const retired = path.join(dir, 'retired.json');
    await writeFile(retired, JSON.stringify({ routes: { chat: ['openai:gpt-4-0613'] }, providers: { openai: fakes.urls.openai } }));
    fakes.openai.script({ text: 'Still here.' });
    const result = await runCli(cli, ['ask', '--config', retired, '--ledger', newLedger(), 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Still here.\n');
    assert.match(oneErrorLine(result), /^switchboard: warning: .*retired\.json:1: routes\.chat: openai:gpt-4-0613 reached its deprecation date \(2025-06-06/);
  });

  it('warns, naming the nearest known id, and still answers, when a route names a model the price table does not know', async () => {
    const misspelt = path.join(dir, 'misspelt.json');
    await writeFile(misspelt, JSON.stringify({ routes: { chat: ['bedrock:us.anthropic.claude-sonet-5'] }, providers: { bedrock: fakes.urls.bedrock } }));
    fakes.bedrock.script({ text: 'Answered anyway.' });
    const result = await runCli(cli, ['ask', '--config', misspelt, '--ledger', newLedger(), 'Hello'], { env: keyedEnv });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Answered anyway.\n');
    assert.match(
      oneErrorLine(result),
      /^switchboard: warning: .*misspelt\.json:1: routes\.chat: bedrock:us\.anthropic\.claude-sonet-5 is not in the price table .*did you mean bedrock:us\.anthropic\.claude-sonnet-5\? If the id is right, give it a price under "prices" in .*misspelt\.json \("bedrock:us\.anthropic\.claude-sonet-5": \{ "input": …, "output": … \}, in USD per million tokens\)$/,
    );
  });

  it('prints exactly one JSON object with --json', async () => {
    const usage = { inputTokens: 120, outputTokens: 30, cacheReadTokens: 64, cacheWriteTokens: 0 };
    fakes.openai.script({ text: 'Forty-two.', usage });

    const result = await ask(['--json', 'What is the answer?']);

    assert.equal(result.code, 0);
    const lines = result.stdout.split('\n').filter((line) => line);
    assert.equal(lines.length, 1);
    const printed = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const key of ['text', 'task', 'provider', 'model', 'requestedModel', 'usage', 'costUsd', 'latencyMs', 'firstTokenMs', 'attempts']) {
      assert.ok(key in printed, `--json output has "${key}"`);
    }
    assert.equal(printed.text, 'Forty-two.');
    assert.equal(printed.task, 'chat');
    assert.equal(printed.provider, 'openai');
    assert.equal(printed.model, 'gpt-5.4-nano');
    assert.equal(printed.requestedModel, 'openai:gpt-5.4-nano');
    assert.deepEqual(printed.usage, usage);
    const price = new PriceTable().lookup('openai', 'gpt-5.4-nano')!;
    const expected = (120 * price.input + 30 * price.output + 64 * (price.cacheRead ?? price.input)) / 1e6;
    assert.ok(Math.abs((printed.costUsd as number) - expected) < 1e-12, `costUsd ${String(printed.costUsd)} is ${expected}`);
    assert.equal(typeof printed.latencyMs, 'number');
    assert.equal(typeof printed.firstTokenMs, 'number');
    assert.deepEqual(printed.attempts, []);
    assert.deepEqual(await readLedger(result.ledger).then((records) => records[0]?.costUsd), printed.costUsd);
  });

  it('uses the plan route and the planning prompt with --task plan', async () => {
    const result = await ask(['--task', 'plan', '--json', 'Split router.ts in two']);

    assert.equal(result.code, 0);
    const printed = JSON.parse(result.stdout) as { task: string; provider: string; model: string };
    assert.deepEqual([printed.task, printed.provider, printed.model], ['plan', 'anthropic', 'claude-sonnet-5']);
    assert.equal(fakes.openai.requests.length, 0);
    assert.match(String((fakes.anthropic.requests[0]?.body as { system?: string }).system), /## Steps/);
  });

  it('asks only the model named by --model, colons in its id included', async () => {
    fakes.bedrock.script({ text: 'Nova here.' });

    const result = await ask(['--model', `bedrock:${NOVA}`, '--json', 'Who are you?']);

    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as { provider: string; model: string; requestedModel: string; text: string };
    assert.equal(printed.text, 'Nova here.');
    assert.equal(printed.requestedModel, `bedrock:${NOVA}`);
    assert.equal(printed.model, NOVA);
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('refuses a prompt longer than the chosen model takes before sending it, as the chat panel does, and records nothing', async () => {
    // About 1.25 million tokens at four characters a token: past any model's context in the price table.
    const result = await ask(['-'], { stdin: 'word '.repeat(1_000_000) });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(oneErrorLine(result), /^switchboard: The prompt \(with its attachments\) is about 1,250,\d{3} tokens; openai:gpt-5\.4-nano accepts about [\d,]+ for a question\. Shorten it or attach less\. Nothing was sent\.$/);
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
    assert.deepEqual(await readLedger(result.ledger), []);
  });

  it('reads the prompt from standard input for "-"', async () => {
    const prompt = 'Review this function:\n\nfunction add(a, b) {\n  return a - b;\n}\n';

    const result = await ask(['-'], { stdin: prompt });

    assert.equal(result.code, 0, result.stderr);
    const body = fakes.openai.requests[0]?.body as { messages: Array<{ content: string }> };
    assert.equal(body.messages.at(-1)?.content, prompt);
  });

  it('falls back past a rejected key, saying so on stderr', async () => {
    fakes.openai.script({ status: 401, errorCode: 'invalid_api_key' });

    const result = await ask(['Hello']);

    assert.equal(result.code, 0);
    assert.match(result.stdout, /Simulated answer from claude-haiku-4-5/);
    assert.equal(result.stderr, `switchboard: openai rejected its API key (401) (the API key from OPENAI_API_KEY, sent to ${new URL(fakes.urls.openai.baseUrl).host}); the route's next model, if any, is tried\n`);
  });

  it('says Bedrock found no AWS credentials, not that it rejected a key', async () => {
    const bedrockOnly = path.join(dir, 'bedrock-only.json');
    await writeFile(bedrockOnly, JSON.stringify({ routes: { chat: [`bedrock:${NOVA}`] }, providers: { bedrock: fakes.urls.bedrock } }));
    // AWS_PROFILE makes the provider usable; the profile exists nowhere, so the SDK finds no credentials.
    const result = await runCli(cli, ['ask', '--config', bedrockOnly, '--ledger', newLedger(), 'Hello?'], { env: { ...baseEnv, AWS_PROFILE: 'nowhere' } });

    assert.equal(result.code, 1);
    const [first] = result.stderr.split('\n');
    assert.match(first!, /^switchboard: bedrock found no usable AWS credentials: .*; the route's next model, if any, is tried$/);
    assert.equal(fakes.bedrock.requests.length, 0);
  });

  it('exits 130 on Ctrl-C during a stalled answer and records the cancel', async () => {
    fakes.openai.script({ stall: true });
    const ledger = newLedger();
    const { child, finished } = startCli(cli, ['ask', '--config', configFile, '--ledger', ledger, 'Hello?'], { env: keyedEnv });
    await fakes.openai.waitForRequests(1);

    child.kill('SIGINT');
    const result = await finished;

    assert.equal(result.code, 130);
    assert.equal(result.stderr, 'switchboard: cancelled\n');
    await fakes.openai.waitForClosedEarly(1);
    const records = await readLedger(ledger);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.outcome, 'cancelled');
    assert.equal(records[0]?.usageEstimated, true);
    assert.equal(fakes.anthropic.requests.length, 0, 'a cancel is not a reason to fall back');
  });

  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`records the cancel when ${signal} ends the run mid-answer (timeout, kill, a closed terminal) and exits ${code}`, async () => {
      fakes.openai.script({ stall: true });
      const ledger = newLedger();
      const { child, finished } = startCli(cli, ['ask', '--config', configFile, '--ledger', ledger, 'Hello?'], { env: keyedEnv });
      await fakes.openai.waitForRequests(1);

      child.kill(signal);
      const result = await finished;

      assert.equal(result.code, code);
      assert.equal(result.stderr, 'switchboard: cancelled\n');
      const records = await readLedger(ledger);
      assert.equal(records.length, 1, 'the request the provider was asked for is in the ledger');
      assert.equal(records[0]?.outcome, 'cancelled');
    });
  }

  it('stops the request quietly with exit 0 when nobody reads the answer any more (| head -1), and still records it', async () => {
    fakes.openai.script({ text: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN', chunks: 8, chunkDelayMs: 150 });
    const ledger = newLedger();
    const { child, finished } = startCli(cli, ['ask', '--config', configFile, '--ledger', ledger, 'Hello?'], { env: keyedEnv });
    // What `| head -c 5` does: read a little, then close the pipe.
    child.stdout!.once('data', () => child.stdout!.destroy());

    const result = await finished;

    // As `yes | head -1`: the reader had what it wanted; no EPIPE stack trace, no "cancelled", no failure for pipefail.
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    await fakes.openai.waitForClosedEarly(1);
    const records = await readLedger(ledger);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.outcome, 'cancelled');
  });

  it('ends quietly when stderr is a closed pipe too (2>&1 | head) and a warning comes after the reader left, still recording the request', async () => {
    const ledger = newLedger();
    await writeFile(ledger, JSON.stringify(ledgerRecord(new Date(), { costUsd: 0.75 })) + '\n');
    const warnConfig = path.join(dir, 'budget-warn-closed.json');
    // A budget past its limit under "warn": the run writes its warning on stderr, after the reader is gone.
    await writeFile(
      warnConfig,
      JSON.stringify({ budget: { dailyUsd: 0.5, action: 'warn' }, providers: { openai: fakes.urls.openai, anthropic: fakes.urls.anthropic } }),
    );
    const { child, finished } = startCli(cli, ['ask', '--config', warnConfig, '--ledger', ledger, 'One more?'], { env: keyedEnv });
    child.stdout!.destroy();
    child.stderr!.destroy();

    const result = await finished;

    assert.equal(result.signal, null);
    assert.equal(result.code, 0, 'no EPIPE crash from a warning nobody reads');
    const records = await readLedger(ledger);
    assert.equal(records.length, 2, 'the earlier record and this request');
  });
});
