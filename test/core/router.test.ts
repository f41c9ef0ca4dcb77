import assert from 'node:assert/strict';
import path from 'node:path';
import { worstCaseCost } from '../../src/core/budget/requestCost';
import { resolveConfig } from '../../src/core/config';
import { recordProblem } from '../../src/core/ledger/record';
import { PriceTable } from '../../src/core/prices/priceTable';
import { Switchboard } from '../../src/core/switchboard';
import type { Usage } from '../../src/core/types';
import { closedPort } from '../fakes/closedPort';
import { textGate } from '../fakes/textGate';
import { NOVA, REQUEST, routerHarness } from './routerHarness';

const ROUTER_ARN = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1';
const HAIKU_PROFILE_ARN =
  'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0';

const prices = new PriceTable();

/** What the price table says `usage` costs on `provider:model`, worked out here by hand. */
function expectedCost(provider: string, model: string, usage: Usage): number {
  const price = prices.lookup(provider, model);
  assert.ok(price, `the shipped price table prices ${provider}:${model}`);
  assert.equal(price.inputAbove200k === undefined || usage.inputTokens < 200_000, true);
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadTokens * (price.cacheRead ?? price.input) +
      usage.cacheWriteTokens * (price.cacheWrite ?? price.input)) /
    1e6
  );
}

function assertCloseTo(actual: number | null, expected: number): void {
  assert.equal(typeof actual, 'number', `a cost, not ${String(actual)}`);
  assert.ok(Math.abs((actual as number) - expected) < 1e-12, `cost ${actual} should be ${expected}`);
}

describe('Router, end to end through the provider adapters', function () {
  const h = routerHarness('router');
  const open = h.open;

  describe('answers from each provider', () => {
    const cases = [
      {
        provider: 'openai',
        model: 'gpt-5.4-nano',
        usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 50, cacheWriteTokens: 0 },
      },
      {
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        usage: { inputTokens: 10, outputTokens: 9, cacheReadTokens: 900, cacheWriteTokens: 300 },
      },
      {
        provider: 'bedrock',
        model: NOVA,
        usage: { inputTokens: 40, outputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
    ] as const;

    for (const { provider, model, usage } of cases) {
      it(`streams ${provider}'s answer in order and records what it used and cost`, async () => {
        const fake = h.fakes[provider];
        fake.script({ text: 'First, second, third.', chunks: 3, usage });
        const harness = await open({ routes: { chat: [`${provider}:${model}`] } });

        const result = await harness.run('chat');

        assert.equal(result.text, 'First, second, third.');
        assert.equal(result.chunks.length, 3);
        assert.equal(result.chunks.join(''), 'First, second, third.');
        assert.equal(result.error, undefined);
        // One `streaming` event at the first text, not one per chunk, between `waiting` and `finished`.
        assert.deepEqual(
          harness.events.map((event) => event.type),
          ['waiting', 'streaming', 'finished'],
        );
        const { record } = result;
        assert.equal(record.task, 'chat');
        assert.equal(record.provider, provider);
        assert.equal(record.model, model);
        assert.equal(record.requestedModel, `${provider}:${model}`);
        assert.deepEqual(record.usage, usage);
        assert.equal(record.usageEstimated, false);
        assertCloseTo(record.costUsd, expectedCost(provider, model, usage));
        assert.equal(record.outcome, 'ok');
        assert.deepEqual(record.attempts, []);
        assert.equal(record.source, 'cli');
        assert.equal(typeof record.firstTokenMs, 'number');
        assert.ok(record.latencyMs >= (record.firstTokenMs ?? Infinity), 'latency covers the time to the first token');
        assert.equal(fake.requests.length, 1);
      });
    }
  });

  describe('falls back before the first token', () => {
    /** Real time plus jumps: `jump` passes time on both clocks (cooldowns pass without waiting for them), `step` sets the wall clock alone (NTP, the user, a VM resumed). */
    const jumpingClock = () => {
      let passed = 0;
      let stepped = 0;
      return {
        now: () => Date.now() + passed + stepped,
        elapsed: () => performance.now() + passed,
        jump: (ms: number) => (passed += ms),
        step: (ms: number) => (stepped += ms),
      };
    };

    it('moves on after a 429, skips the model while it cools down, and tries it again afterwards', async () => {
      const clock = jumpingClock();
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } }, { now: clock.now, elapsed: clock.elapsed });
      h.fakes.openai.script({ status: 429, retryAfterMs: '40000' });

      const restFrom = clock.now();
      const first = await harness.run('chat');
      assert.equal(first.record.outcome, 'ok');
      assert.equal(first.record.provider, 'anthropic');
      assert.equal(first.record.requestedModel, 'openai:gpt-5.4-nano');
      assert.equal(first.record.attempts.length, 1);
      assert.equal(first.record.attempts[0]?.provider, 'openai');
      assert.equal(first.record.attempts[0]?.model, 'gpt-5.4-nano');
      assert.match(first.record.attempts[0]?.error ?? '', /rate-limit.*429/);
      assert.match(first.text, /Simulated answer from claude-haiku-4-5/);

      clock.jump(30_000);
      const second = await harness.run('chat');
      const lookedAt = clock.now();
      assert.equal(second.record.provider, 'anthropic');
      assert.equal(h.fakes.openai.requests.length, 1, 'the cooling model is not asked again');
      assert.deepEqual(second.record.attempts.map((attempt) => attempt.model), ['gpt-5.4-nano']);
      assert.match(second.record.attempts[0]?.error ?? '', /^cooling down \(\d+s left\) after: openai is rate-limiting requests \(429\)$/);
      // 40 s from the 429 less the 30 s jumped, less whatever the fallback and the second request's start took in real time.
      const left = Number(/\((\d+)s left\)/.exec(second.record.attempts[0]?.error ?? '')?.[1]);
      assert.ok(left <= 10 && left >= Math.ceil((restFrom + 40_000 - lookedAt) / 1000), `${left} s left of the 10 s still to rest`);

      clock.jump(10_000);
      const third = await harness.run('chat');
      assert.equal(h.fakes.openai.requests.length, 2, 'tried again once the cooldown passed');
      assert.equal(third.record.provider, 'openai');
      assert.deepEqual(third.record.attempts, []);
    });

    it('rests a model for its Retry-After on the elapsed clock: the wall clock set back an hour does not lengthen the rest', async () => {
      const clock = jumpingClock();
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } }, { now: clock.now, elapsed: clock.elapsed });
      h.fakes.openai.script({ status: 429, retryAfterMs: '40000' });
      assert.equal((await harness.run('chat')).record.provider, 'anthropic');
      clock.step(-3_600_000);
      clock.jump(41_000);
      const after = await harness.run('chat');
      assert.equal(after.record.provider, 'openai', 'asked again once its 40 s passed, though the wall clock reads an hour earlier');
      assert.deepEqual(after.record.attempts, []);
    });

    it('says until when on the wall clock as it reads now, stepped or not, and a step forward does not end the rest', async () => {
      const clock = jumpingClock();
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano'] } }, { now: clock.now, elapsed: clock.elapsed });
      h.fakes.openai.script({ status: 429, retryAfterMs: '120000' });
      const failedFrom = clock.now();
      await harness.run('chat');
      const failedBy = clock.now();
      clock.step(2 * 3_600_000);
      const refused = await harness.run('chat');
      assert.equal(h.fakes.openai.requests.length, 1, 'still resting: two hours on the wall clock are a step, not time passed');
      const hhmm = (ms: number) => {
        const freeAt = new Date(Math.ceil(ms / 60_000) * 60_000);
        return `${String(freeAt.getHours()).padStart(2, '0')}:${String(freeAt.getMinutes()).padStart(2, '0')}`;
      };
      // The rest began during the failed run; on the stepped wall clock it ends two hours and two minutes after that.
      const until = [...new Set([hhmm(failedFrom + 2 * 3_600_000 + 120_000), hhmm(failedBy + 2 * 3_600_000 + 120_000)])].join('|');
      assert.match(refused.error ?? '', new RegExp(`^all models of the chat route are unavailable until (${until}) \\(rate-limited or failing; the first is free again in 1[12][0-9] s\\)$`));
    });

    it('skips a cooling model even when every other model of the route fails', async () => {
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } });
      h.fakes.openai.script({ status: 429, retryAfter: '60' });
      await harness.run('chat');
      h.fakes.anthropic.script({ status: 400, errorMessage: 'prompt is too long' });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'error');
      assert.equal(h.fakes.openai.requests.length, 1, 'the cooling model is not asked');
      assert.equal(result.record.attempts.length, 2);
      assert.match(result.record.attempts[0]?.error ?? '', /^cooling down \(\d+s left\) after: openai is rate-limiting/);
      assert.match(result.error ?? '', /every model of the chat route failed/);
    });

    it('answers at once, with when to try again, when every model of the route is cooling down', async () => {
      const clock = jumpingClock();
      const harness = await open({ routes: { chat: ['bedrock:' + NOVA, 'openai:gpt-5.4-nano'] } }, { now: clock.now, elapsed: clock.elapsed });
      h.fakes.bedrock.script({ errorCode: 'ThrottlingException', retryAfter: '120' });
      h.fakes.openai.script({ status: 503 });
      const beforeFailure = clock.now();
      const failed = await harness.run('chat');
      assert.equal(failed.record.outcome, 'error');
      assert.equal(h.fakes.bedrock.requests.length + h.fakes.openai.requests.length, 2);

      const refused = await harness.run('chat');
      const afterRefusal = clock.now();

      assert.equal(refused.record.outcome, 'error');
      assert.equal(h.fakes.bedrock.requests.length + h.fakes.openai.requests.length, 2, 'no model was asked');
      // openai rests 5 s after its 503 (no Retry-After): the first to be free again. The rest began at some
      // moment of the failed run, so its end, rounded up to the minute, is that of one of the run's two ends:
      // read from the clock after the refusal alone, a minute's edge passed in between named the next minute.
      const hhmm = (ms: number) => {
        const freeAt = new Date(Math.ceil(ms / 60_000) * 60_000);
        return `${String(freeAt.getHours()).padStart(2, '0')}:${String(freeAt.getMinutes()).padStart(2, '0')}`;
      };
      const until = [...new Set([hhmm(beforeFailure + 5000), hhmm(afterRefusal + 5000)])].join('|');
      assert.match(refused.error ?? '', new RegExp(`^all models of the chat route are unavailable until (${until}) \\(rate-limited or failing; the first is free again in [45] s\\)$`));
      assert.deepEqual(refused.record.attempts.map((attempt) => attempt.provider), ['bedrock', 'openai']);
      assert.equal(refused.record.costUsd, 0);

      clock.jump(6000);
      const again = await harness.run('chat');
      assert.equal(again.record.outcome, 'ok');
      assert.equal(again.record.provider, 'openai', 'tried again once its cooldown passed; bedrock still rests');
    });

    const serverErrors = [
      { status: 500, provider: 'openai', model: 'gpt-5.4-nano', message: /server error \(500\)/ },
      { status: 503, provider: 'openai', model: 'gpt-5.4-nano', message: /server error \(503\)/ },
      { status: 529, provider: 'anthropic', model: 'claude-haiku-4-5', message: /overloaded \(529\)/ },
      { status: 503, provider: 'bedrock', model: NOVA, message: /ServiceUnavailableException/ },
    ] as const;
    for (const { status, provider, model, message } of serverErrors) {
      it(`moves on when ${provider} answers ${status}`, async () => {
        const next = provider === 'anthropic' ? 'openai:gpt-5.4-nano' : 'anthropic:claude-haiku-4-5';
        const harness = await open({ routes: { chat: [`${provider}:${model}`, next] } });
        h.fakes[provider].script(
          provider === 'bedrock' ? { errorCode: 'ServiceUnavailableException' } : { status },
        );

        const result = await harness.run('chat');

        assert.equal(result.record.outcome, 'ok');
        assert.equal(`${result.record.provider}:${result.record.model}`, next);
        assert.match(result.text, /Simulated answer/);
        assert.equal(result.record.attempts.length, 1);
        assert.equal(result.record.attempts[0]?.provider, provider);
        assert.match(result.record.attempts[0]?.error ?? '', message);
      });
    }

    it('moves on when the provider refuses the connection', async () => {
      const port = await closedPort();
      const harness = await open({
        routes: { chat: ['openai:gpt-5.4-nano', 'bedrock:' + NOVA] },
        providers: {
          openai: { baseUrl: `http://127.0.0.1:${port}/v1` },
          anthropic: h.fakes.urls.anthropic,
          bedrock: h.fakes.urls.bedrock,
        },
      });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'ok');
      assert.equal(result.record.provider, 'bedrock');
      assert.match(result.record.attempts[0]?.error ?? '', /could not be reached: connection refused/);
    });

    it('gives up on a model that sends no first token in time, closing its stream', async () => {
      const harness = await open({
        routes: { chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-5.4-nano'] },
        timeouts: { firstTokenMs: 300 },
      });
      h.fakes.anthropic.script({ stall: true });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'ok');
      assert.equal(result.record.provider, 'openai');
      assert.deepEqual(result.record.attempts, [
        { provider: 'anthropic', model: 'claude-haiku-4-5', error: 'no first token within 300 ms (switchboard.timeouts.firstTokenMs)' },
      ]);
      await h.fakes.anthropic.waitForClosedEarly(1);
    });

    it('waits for a thinking model whose reasoning streams past the first-token limit, and shows only its answer', async () => {
      const harness = await open({ routes: { chat: ['openai:deepseek-r1:8b', 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: 300 } });
      // Nine pieces 100 ms apart: the answer's text comes 800 ms in, well past the limit, while the model is thinking.
      h.fakes.openai.script({
        reasoning: { text: 'The user asks which model answered; I am the first of the route. ', chunks: 8, field: 'reasoning' },
        text: 'The first one.',
        chunks: 1,
        chunkDelayMs: 100,
      });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'ok');
      assert.equal(result.record.provider, 'openai');
      assert.equal(result.text, 'The first one.');
      assert.deepEqual(result.record.attempts, []);
      assert.ok((result.record.firstTokenMs ?? 0) >= 300, 'the time to the first token is to the answer, past the reasoning');
      assert.equal(h.fakes.anthropic.requests.length, 0);
    });

    it('gives up on a model that stalls while thinking, billing its reasoning as output', async () => {
      const harness = await open({ routes: { chat: ['openai:deepseek-r1:8b', 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: 300 } });
      const thought = 'Let me think. '.repeat(20);
      h.fakes.openai.script({ reasoning: { text: thought, chunks: 2, field: 'reasoning_content' }, stallAfterChunks: 2 });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'ok');
      assert.equal(result.record.provider, 'anthropic');
      const [attempt] = result.record.attempts;
      assert.equal(attempt?.error, 'the stream stalled: nothing for 300 ms (switchboard.timeouts.firstTokenMs)');
      assert.equal(attempt?.usage?.outputTokens, thought.length / 4, 'the reasoning streamed is billed output');
      await h.fakes.openai.waitForClosedEarly(1);
    });

    it('records that an answer was cut at the request\'s max output, with that max', async () => {
      const harness = await open({ routes: { chat: ['anthropic:claude-haiku-4-5'] } });
      h.fakes.anthropic.script({ text: 'The first part of a long answer', stopAtMaxTokens: true }, { text: 'Short.' });

      const cut = await harness.run('chat');
      const whole = await harness.run('chat');

      assert.equal(cut.record.outcome, 'ok');
      assert.equal(cut.record.maxTokensReached, REQUEST.maxTokens);
      assert.equal(whole.record.maxTokensReached, undefined);
      assert.equal(recordProblem({ ...cut.record, maxTokensReached: 'yes' }), '"maxTokensReached" must be a number >= 0', 'the ledger\'s one check knows it');
    });

    it('uses the completion time-to-first-token limit for completions', async () => {
      const harness = await open({
        routes: { completion: ['bedrock:' + NOVA, 'openai:gpt-5.4-nano'] },
        timeouts: { firstTokenMs: 60_000, completionFirstTokenMs: 200 },
      });
      h.fakes.bedrock.script({ stall: true });

      const result = await harness.run('completion');

      assert.equal(result.record.provider, 'openai');
      assert.equal(result.record.attempts[0]?.error, 'no first token within 200 ms (switchboard.timeouts.completionFirstTokenMs)');
    });

    it('moves on when a key is rejected, telling listeners it was an auth failure', async () => {
      const harness = await open({ routes: { plan: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } });
      h.fakes.openai.script({ status: 401, errorCode: 'invalid_api_key', errorMessage: 'Incorrect API key provided: sk-te***st' });

      const result = await harness.run('plan');

      assert.equal(result.record.outcome, 'ok');
      assert.equal(result.record.provider, 'anthropic');
      assert.equal(result.record.attempts[0]?.error, 'openai rejected its API key (401)');
      const failed = harness.events.filter((event) => event.type === 'attempt-failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0]?.type === 'attempt-failed' && failed[0].error.kind, 'auth');
      assert.deepEqual(failed[0]?.type === 'attempt-failed' && failed[0].ref, { provider: 'openai', model: 'gpt-5.4-nano' });
    });

    it('leaves out a provider whose key was refused until the keys or settings change', async () => {
      const harness = await open({ routes: { plan: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } });
      h.fakes.openai.script({ status: 401, errorCode: 'invalid_api_key', errorMessage: 'Incorrect API key provided' });
      await harness.run('plan');
      assert.equal(h.fakes.openai.requests.length, 1);

      const again = await harness.run('plan');
      assert.equal(again.record.provider, 'anthropic');
      assert.equal(h.fakes.openai.requests.length, 1, 'the refused key is not sent again');
      assert.equal(again.record.requestedModel, 'openai:gpt-5.4-nano');
      assert.match(harness.switchboard.registry.status('openai')?.reason ?? '', /rejected its API key \(401\); store a new key/);

      await harness.switchboard.reconfigure(harness.switchboard.currentConfig);
      const afterChange = await harness.run('plan');
      assert.equal(afterChange.record.provider, 'openai', 'a new key (or settings) gives the provider another chance');
    });

    it('rests a model after a 429 without Retry-After', async () => {
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } });
      h.fakes.openai.script({ status: 429 });
      const restFrom = Date.now();
      await harness.run('chat');
      const second = await harness.run('chat');
      const lookedAt = Date.now();
      assert.equal(second.record.provider, 'anthropic');
      assert.equal(h.fakes.openai.requests.length, 1);
      assert.match(second.record.attempts[0]?.error ?? '', /^cooling down \(\d+s left\) after: openai is rate-limiting requests \(429\)$/);
      // 15 s from the 429, less whatever the fallback and the second request's start took.
      const left = Number(/\((\d+)s left\)/.exec(second.record.attempts[0]?.error ?? '')?.[1]);
      assert.ok(left <= 15 && left >= Math.ceil((restFrom + 15_000 - lookedAt) / 1000), `${left} s left of a 15 s rest`);
    });

    it('gives up on a stream that goes quiet mid-answer, keeping what arrived', async () => {
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: 300 } });
      h.fakes.openai.script({ text: 'First part. Second part. Third part.', chunks: 3, chunkDelayMs: 2000 });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'error');
      assert.equal(result.record.provider, 'openai');
      assert.equal(result.text, 'First part. ');
      assert.match(result.error ?? '', /failed mid-answer: the stream stalled: nothing for 300 ms \(switchboard\.timeouts\.firstTokenMs\)$/);
      assert.equal(result.record.usageEstimated, true);
      assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback after the first token');
    });

    describe('a stream that drips (a piece of text now and then, inside the idle limit) and does not finish', () => {
      // 100 ms between pieces, well inside the idle limits below, so only the total can end these streams.
      const DRIP = { text: 'x'.repeat(60), chunks: 60, chunkDelayMs: 100 };

      it('ends an inline completion at 5 × its first-token limit in all, naming the setting; the next completion answers', async () => {
        const harness = await open({ routes: { completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] }, timeouts: { completionFirstTokenMs: 600 } });
        h.fakes.openai.script(DRIP);
        const startedAt = Date.now();
        const dripped = await harness.run('completion');
        const took = Date.now() - startedAt;

        assert.equal(dripped.record.outcome, 'error');
        assert.equal(dripped.record.provider, 'openai');
        assert.match(
          dripped.error ?? '',
          /failed mid-answer: the completion was still streaming after 3000 ms \(5 × switchboard\.timeouts\.completionFirstTokenMs\), too late for ghost text; stopped$/,
        );
        assert.ok(dripped.chunks.length > 5 && dripped.chunks.length < 60, `${dripped.chunks.length} pieces before the cap`);
        assert.ok(took >= 3000 && took < 6000, `ended after ${took} ms, not when the 60 pieces (6 s) were through`);
        assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback once text was shown');

        const next = await harness.run('completion');
        assert.equal(next.record.outcome, 'ok');
        assert.equal(next.record.provider, 'openai', 'the provider is not rested for a slow answer it was giving');
      });

      it('falls back when an inline completion drips only reasoning until the cap, before any text', async () => {
        const harness = await open({ routes: { completion: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] }, timeouts: { completionFirstTokenMs: 600 } });
        h.fakes.openai.script({ reasoning: { text: 'hmm '.repeat(60), chunks: 60 }, text: 'late', chunkDelayMs: 100 });
        const result = await harness.run('completion');

        assert.equal(result.record.outcome, 'ok');
        assert.equal(result.record.provider, 'anthropic');
        assert.match(result.record.attempts[0]?.error ?? '', /^the completion was still streaming after 3000 ms /);
      });

      it('lets a chat answer run past that (it shows as it streams), and stops it when the user does, keeping what came', async () => {
        const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: 400 } });
        h.fakes.openai.script({ text: 'y'.repeat(25), chunks: 25, chunkDelayMs: 100 });
        const startedAt = Date.now();
        const whole = await harness.run('chat');
        assert.equal(whole.record.outcome, 'ok');
        assert.equal(whole.text, 'y'.repeat(25));
        assert.equal(whole.chunks.length, 25, 'each piece shown as it came');
        assert.ok(Date.now() - startedAt >= 2000, 'past 5 × the first-token limit');

        h.fakes.openai.script(DRIP);
        const stop = new AbortController();
        const stopped = await harness.run('chat', { signal: stop.signal, onText: () => stop.abort() });
        assert.equal(stopped.record.outcome, 'cancelled');
        assert.equal(stopped.text, 'x');
        assert.equal(h.fakes.anthropic.requests.length, 0);
        // The next question is answered at once: nothing of the stopped stream holds the provider.
        const after = await harness.run('chat');
        assert.equal(after.record.outcome, 'ok');
        assert.equal(after.record.provider, 'openai');
      });
    });

    it('times a stall and the latency on a clock the wall clock\'s steps do not move (NTP, a resumed VM)', async () => {
      const clock = jumpingClock();
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] }, timeouts: { firstTokenMs: 300 } }, { now: clock.now, elapsed: clock.elapsed });
      h.fakes.openai.script({ text: 'First part. Second part. Third part.', chunks: 3, chunkDelayMs: 5000 });

      // The wall clock steps back a minute as the first part arrives: on it the stream would look idle for -60 s.
      const result = await harness.run('chat', { onText: () => clock.step(-60_000) });

      assert.equal(result.text, 'First part. ');
      assert.match(result.error ?? '', /failed mid-answer: the stream stalled: nothing for 300 ms/);
      assert.ok(result.record.latencyMs >= 300 && result.record.latencyMs < 5000, `latency ${result.record.latencyMs} ms: the stall's 300 ms, not the step`);
      assert.ok((result.record.firstTokenMs ?? -1) >= 0, 'first token after the start');
    });

    it('reports every model it tried when all of them fail', async () => {
      const harness = await open({
        routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5', 'bedrock:' + NOVA] },
      });
      h.fakes.openai.script({ status: 500 });
      h.fakes.anthropic.script({ status: 529 });
      h.fakes.bedrock.script({ errorCode: 'ThrottlingException' });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'error');
      assert.equal(result.text, '');
      assert.deepEqual(
        result.record.attempts.map((attempt) => attempt.provider),
        ['openai', 'anthropic', 'bedrock'],
      );
      assert.match(result.error ?? '', /every model of the chat route failed/);
      assert.match(result.error ?? '', /openai:gpt-5.4-nano: .*500.*anthropic:claude-haiku-4-5: .*529.*bedrock:us.amazon.nova-micro-v1:0: /);
      assert.equal(result.record.error, result.error);
      assert.deepEqual([result.record.provider, result.record.model], ['bedrock', NOVA], 'the record names the last model tried');
      assert.equal(result.record.requestedModel, 'openai:gpt-5.4-nano');
    });
  });

  describe('after the first token', () => {
    it('keeps the partial text of a stream cut mid-answer and does not fall back', async () => {
      const harness = await open({ routes: { chat: ['openai:gpt-5.4-nano', 'anthropic:claude-haiku-4-5'] } });
      const gate = textGate('abcdefgh');
      h.fakes.openai.script({ text: 'abcdefghijklmnop', chunks: 4, cutAfterChunks: 2, cutOnceReceived: gate.received });

      const result = await harness.run('chat', { onText: gate.onText });

      assert.equal(result.text, 'abcdefgh');
      assert.equal(result.record.outcome, 'error');
      assert.match(result.error ?? '', /openai:gpt-5.4-nano failed mid-answer/);
      assert.equal(h.fakes.anthropic.requests.length, 0, 'no fallback once text has been shown');
      assert.equal(result.record.usageEstimated, true);
      assert.ok(result.record.usage.inputTokens > 0, 'the prompt is estimated');
      assert.equal(result.record.usage.outputTokens, 2, 'eight characters of answer, about two tokens');
      assert.ok((result.record.costUsd ?? 0) > 0, 'a broken stream still costs something');
    });

    it('keeps the input count Anthropic reported before the stream broke', async () => {
      const harness = await open({ routes: { chat: ['anthropic:claude-haiku-4-5'] } });
      h.fakes.anthropic.script({ text: 'abcdefghijklmnop', chunks: 4, streamErrorAfterChunks: 2, usage: { inputTokens: 321 } });

      const result = await harness.run('chat');

      assert.equal(result.text, 'abcdefgh');
      assert.equal(result.record.outcome, 'error');
      assert.equal(result.record.usageEstimated, true);
      assert.equal(result.record.usage.inputTokens, 321);
    });
  });

  describe('cancellation', () => {
    for (const provider of ['openai', 'anthropic', 'bedrock'] as const) {
      it(`stops ${provider}'s stream mid-answer, keeps the partial text and records the cancel`, async () => {
        const model = provider === 'openai' ? 'gpt-5.4-nano' : provider === 'anthropic' ? 'claude-haiku-4-5' : NOVA;
        const harness = await open({ routes: { chat: [`${provider}:${model}`, 'openai:gpt-5.4'] } });
        h.fakes[provider].script({ text: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN', chunks: 8, chunkDelayMs: 150 });
        const controller = new AbortController();

        const result = await harness.run('chat', {
          signal: controller.signal,
          onText: () => controller.abort(),
        });

        assert.equal(result.record.outcome, 'cancelled');
        assert.equal(result.error, undefined);
        assert.equal(result.text, 'abcde');
        assert.equal(result.record.provider, provider);
        assert.equal(result.record.usageEstimated, true);
        assert.equal(result.record.usage.outputTokens, 2, 'five characters of answer, about two tokens');
        assert.equal(typeof result.record.firstTokenMs, 'number');
        await h.fakes[provider].waitForClosedEarly(1);
        // The fallback model was not asked: a cancel is not a failure.
        assert.equal(h.fakes.openai.requests.length, provider === 'openai' ? 1 : 0);
      });
    }

    it('records a cancel that comes before any text', async () => {
      const harness = await open({ routes: { chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-5.4-nano'] } });
      h.fakes.anthropic.script({ stall: true });
      const controller = new AbortController();
      void h.fakes.anthropic.waitForRequests(1).then(() => controller.abort());

      const result = await harness.run('chat', { signal: controller.signal });

      assert.equal(result.record.outcome, 'cancelled');
      assert.equal(result.text, '');
      assert.equal(result.record.firstTokenMs, null);
      assert.deepEqual(result.record.attempts, []);
      assert.equal(h.fakes.openai.requests.length, 0);
      await h.fakes.anthropic.waitForClosedEarly(1);
    });
  });

  describe('credentials', () => {
    it('refuses a route with no usable credentials, naming the route and what to set', async () => {
      const { config } = resolveConfig({});
      const ledgerPath = path.join(h.dir, 'no-keys.jsonl');
      const switchboard = await Switchboard.create({ config, source: 'cli', env: h.isolatedEnv({}), ledgerPath });
      // Disposed (its ledger written) before the harness removes the folder.
      const result = await switchboard.router.run('chat', REQUEST).finally(() => switchboard.dispose());

      assert.equal(result.record.outcome, 'error');
      assert.match(result.error ?? '', /chat route/);
      assert.match(result.error ?? '', /OPENAI_API_KEY/);
      assert.match(result.error ?? '', /ANTHROPIC_API_KEY/);
      assert.match(result.error ?? '', /AWS/);
      assert.equal(result.record.attempts.length, 3);
      assert.deepEqual(await h.readLedger(ledgerPath), [JSON.parse(JSON.stringify(result.record))]);
    });

    it('needs no key for a provider on 127.0.0.1', async () => {
      const harness = await open({ routes: { chat: ['anthropic:claude-haiku-4-5', 'openai:gpt-5.4-nano'] } }, { env: {} });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'ok');
      assert.equal(result.record.provider, 'anthropic');
      assert.equal(harness.switchboard.registry.status('openai')?.keySource, 'not needed');
      assert.equal(harness.switchboard.registry.status('bedrock')?.usable, false);
    });

    it('skips models without credentials and answers with the next one', async () => {
      const harness = await open({
        routes: { chat: ['bedrock:' + NOVA, 'openai:gpt-5.4-nano'] },
      }, { env: {} });

      const result = await harness.run('chat');

      assert.equal(result.record.outcome, 'ok');
      assert.equal(result.record.provider, 'openai');
      assert.equal(h.fakes.bedrock.requests.length, 0);
    });
  });

  it('tries only the model asked for explicitly', async () => {
    const harness = await open({ routes: { chat: ['anthropic:claude-haiku-4-5', 'bedrock:' + NOVA] } });
    h.fakes.openai.script({ status: 500 });

    const result = await harness.run('chat', { model: { provider: 'openai', model: 'gpt-5.4' } });

    assert.equal(result.record.outcome, 'error');
    assert.equal(result.record.requestedModel, 'openai:gpt-5.4');
    assert.equal(h.fakes.anthropic.requests.length + h.fakes.bedrock.requests.length, 0);
    assert.equal(result.record.attempts.length, 1);

    const resting = await harness.run('chat', { model: { provider: 'openai', model: 'gpt-5.4' } });
    assert.match(resting.error ?? '', /^openai:gpt-5\.4 is unavailable until \d\d:\d\d/);
    assert.equal(h.fakes.openai.requests.length, 1);
  });

  it('records the model a Bedrock prompt router chose and prices it', async () => {
    const usage = { inputTokens: 500, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const harness = await open({ routes: { plan: ['bedrock:' + ROUTER_ARN] } });
    h.fakes.bedrock.script({ text: 'Routed.', invokedModelId: HAIKU_PROFILE_ARN, usage });

    const result = await harness.run('plan');

    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.record.model, HAIKU_PROFILE_ARN);
    assert.equal(result.record.requestedModel, `bedrock:${ROUTER_ARN}`);
    assertCloseTo(result.record.costUsd, expectedCost('bedrock', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', usage));
  });

  it('leaves a model with no known price on a server across a network unpriced rather than free', async () => {
    const harness = await open({
      routes: { chat: ['local:llama3:8b'] },
      providers: {
        ...{ openai: h.fakes.urls.openai, anthropic: h.fakes.urls.anthropic, bedrock: h.fakes.urls.bedrock },
        // The fake, reached by a name that is no loopback name: a server elsewhere, as a LAN box or a gateway is.
        custom: { local: { type: 'openai', baseUrl: h.fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]') } },
      },
    });

    const result = await harness.run('chat');

    assert.equal(result.record.outcome, 'ok');
    assert.equal(result.record.provider, 'local');
    assert.equal(result.record.model, 'llama3:8b');
    assert.equal(result.record.costUsd, null);
    assert.equal(result.record.costSource, undefined);
  });

  it('prices a model nobody priced at $0 on a server on this machine, recorded as local, failed attempts too', async () => {
    const harness = await open({
      routes: { chat: ['local:llama3:8b'] },
      providers: {
        ...{ openai: h.fakes.urls.openai, anthropic: h.fakes.urls.anthropic, bedrock: h.fakes.urls.bedrock },
        custom: { local: { type: 'openai', baseUrl: h.fakes.urls.openai.baseUrl } },
      },
    });

    const answered = await harness.run('chat');
    h.fakes.openai.script({ endAfterChunks: 0 });
    const billed = await harness.run('chat');

    assert.deepEqual([answered.record.outcome, answered.record.costUsd, answered.record.costSource], ['ok', 0, 'local']);
    assert.equal(billed.record.outcome, 'error');
    assert.equal(billed.record.attempts[0]?.costUsd, 0);
    assert.equal(billed.record.costUsd, 0);
  });

  it('leaves a failed request unpriced, not free, when its only billed attempt has no price', async () => {
    const harness = await open({
      routes: { chat: ['local:llama3:8b'] },
      providers: {
        ...{ openai: h.fakes.urls.openai, anthropic: h.fakes.urls.anthropic, bedrock: h.fakes.urls.bedrock },
        custom: { local: { type: 'openai', baseUrl: h.fakes.urls.openai.baseUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]') } },
      },
    });
    // Accepted (200) and ended before any text: the provider began to answer, so the attempt is billed.
    h.fakes.openai.script({ endAfterChunks: 0 });
    // Refused outright: nothing billed, so nothing spent.
    h.fakes.openai.script({ status: 500 });

    const billed = await harness.run('chat');
    const refused = await harness.run('chat');

    assert.equal(billed.record.outcome, 'error');
    assert.ok(billed.record.attempts[0]?.usage, 'the attempt is listed as billed');
    assert.equal(billed.record.attempts[0]?.costUsd, null);
    assert.equal(billed.record.costUsd, null, 'unknown, not $0');
    assert.equal(refused.record.outcome, 'error');
    assert.equal(refused.record.attempts[0]?.usage, undefined);
    assert.equal(refused.record.costUsd, 0);
  });

  it('counts completions served without a request in one ledger record per minute, not one per keystroke', async () => {
    const harness = await open({ routes: { completion: ['openai:gpt-5.4-nano'] } });
    for (let i = 0; i < 25; i++) harness.switchboard.router.recordServedWithoutRequest('completion', 'typed-through');
    assert.deepEqual(await h.readLedger(harness.ledgerPath), []);

    await harness.switchboard.flush();
    const records = await h.readLedger(harness.ledgerPath);
    assert.ok(records.length === 1 || records.length === 2, 'one record, or two if a minute ended meanwhile');
    assert.equal(records.reduce((sum, r) => sum + (r.count ?? 1), 0), 25);
    assert.ok(records.every((r) => r.servedFrom === 'typed-through' && r.costUsd === 0 && r.model === 'gpt-5.4-nano'));
    assert.equal(harness.switchboard.spend.today().servedWithoutRequest, 25);
    assert.equal(harness.switchboard.spend.today().total.requests, 0);
  });

  it("counts served completions still held in memory in today's figure at once, and once only after they are written", async () => {
    let told = 0;
    const harness = await open({ routes: { completion: ['openai:gpt-5.4-nano'] } }, { onServed: () => told++ });
    for (let i = 0; i < 12; i++) harness.switchboard.router.recordServedWithoutRequest('completion', 'cache');

    assert.equal(told, 12, 'each count is told, so the status bar can redraw');
    assert.equal(harness.switchboard.spend.today().servedWithoutRequest, 0, 'the ledger has none yet');
    assert.equal(harness.switchboard.today().servedWithoutRequest, 12, "today's figure has the held ones");
    assert.equal(harness.switchboard.router.servedHeldOn('1999-01-01'), 0, 'another day holds none');

    await harness.switchboard.flush();
    assert.equal(harness.switchboard.router.servedHeldOn(harness.switchboard.today().day), 0);
    assert.equal(harness.switchboard.today().servedWithoutRequest, 12, 'written: counted once, from the spend');
    assert.equal(harness.switchboard.today().total.requests, 0);
  });

  it('refuses requests once the daily budget is spent', async () => {
    const harness = await open({
      routes: { chat: ['openai:gpt-5.4-nano'] },
      // Room for the first request's worst case (its prompt and every output token at gpt-5.4-nano's price), not two.
      budget: { dailyUsd: worstCaseCost(REQUEST, { provider: 'openai', model: 'gpt-5.4-nano' }, new PriceTable())! * 1.5 },
    });
    // The provider counts a longer prompt than the estimate: the first request spends the day's limit.
    h.fakes.openai.script({ usage: { inputTokens: 10_000, outputTokens: 256 } });

    const spent = await harness.run('chat');
    assert.equal(spent.record.outcome, 'ok');
    const refused = await harness.run('chat');

    assert.equal(refused.record.outcome, 'error');
    assert.match(refused.error ?? '', /switchboard\.budget\.dailyUsd/);
    assert.equal(h.fakes.openai.requests.length, 1, 'the refused request reached no provider');
    assert.equal(refused.record.costUsd, 0);
    assert.equal(refused.budgetRefused, true, 'the result says a budget refused it, so the editor offers its ways out once');
    assert.equal(spent.budgetRefused, undefined);
  });

  describe('warming the connection', () => {
    for (const [provider, model] of [
      ['openai', 'gpt-5.4-nano'],
      ['anthropic', 'claude-haiku-4-5'],
    ] as const) {
      it(`asks ${provider} only for its unbilled model list, and records nothing`, async () => {
        const harness = await open({ routes: { completion: [`${provider}:${model}`] } });
        await harness.switchboard.router.warm('completion');
        assert.deepEqual(
          h.fakes[provider].requests.map((request) => `${request.method} ${request.path}`),
          ['GET /v1/models'],
        );
        await harness.switchboard.ledger.flush();
        assert.deepEqual(await h.readLedger(harness.ledgerPath), [], 'a warm-up is not a request in the ledger');
        assert.deepEqual(harness.events, []);
      });
    }

    it('reaches no provider when a request would be refused, and never throws for one that fails', async () => {
      const held = await open({ routes: { completion: ['openai:gpt-5.4-nano'] } });
      held.switchboard.router.hold('Restricted Mode');
      await held.switchboard.router.warm('completion');
      const empty = await open({ routes: { completion: [] } });
      await empty.switchboard.router.warm('completion');
      assert.equal(h.fakes.openai.requests.length, 0, 'nothing sent');

      const down = await open({
        routes: { completion: ['openai:gpt-5.4-nano'] },
        providers: { openai: { baseUrl: `http://127.0.0.1:${await closedPort()}/v1` } },
      });
      await assert.doesNotReject(down.switchboard.router.warm('completion'));
    });
  });
});
