import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { attachment } from '../../../src/core/prompts/attachments';
import { Switchboard } from '../../../src/core/switchboard';
import type { ChatMessage } from '../../../src/core/types';
import { startFakeAnthropic } from '../../fakes/index';
import { record } from '../../core/costs/cells';
import { useChatSessionFixture } from './chatSessionFixture';

describe('chat session (the panel host without VS Code), against the fake OpenAI server', () => {
  const fixture = useChatSessionFixture();

  it('retries an Auto cheap-tier answer on the strong tier: same question and code, the conversation as it was, linked in the ledger', async () => {
    await fixture.switchboard.reconfigure(resolveConfig({ providers: { openai: { baseUrl: `${fixture.fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config);
    const { session: chat } = fixture.session();
    fixture.fake.script({ text: 'Press Esc, then :q.' }, { text: 'The strong answer.' }, { text: 'And again.' });
    await chat.send('How do I quit from this?', [attachment('notes.txt', 'plaintext', 'vim notes')]);
    const first = fixture.posted.find((message) => message.type === 'done');
    assert.ok(first?.type === 'done');
    assert.deepEqual([first.footer.routing?.mode, first.footer.routing?.tier], ['auto', 'cheap']);
    assert.equal((fixture.fake.requests[0]!.body as { model: string }).model, 'gpt-5.4-mini', 'the cheap tier: the built-in cheap model of the route\'s provider');
    const recordId = first.footer.recordId!;

    await chat.retry(recordId);
    const retried = fixture.fake.requests[1]!.body as { model: string; messages: ChatMessage[] };
    assert.equal(retried.model, 'gpt-5.4');
    assert.deepEqual(retried.messages.slice(1), fixture.sentMessages(0).slice(1), 'the same question, attachment included, with nothing after it');
    const start = fixture.posted.filter((message) => message.type === 'start').at(-1);
    assert.ok(start?.type === 'start');
    assert.deepEqual(start.attachments.map((chip) => chip.label), ['notes.txt', 'Retry with the strong model']);
    const done = fixture.posted.filter((message) => message.type === 'done').at(-1);
    assert.ok(done?.type === 'done');
    assert.deepEqual(done.footer.routing, { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] });
    await fixture.switchboard.ledger.flush();
    const { records } = await fixture.switchboard.ledger.read();
    assert.equal(records.at(-1)!.retryOf, recordId);

    // After a reload the question is still in the conversation, so the answer can still be retried.
    const reloaded = fixture.session().session;
    await reloaded.retry(recordId);
    assert.equal((fixture.fake.requests[2]!.body as { model: string }).model, 'gpt-5.4');
    await reloaded.retry('no-such-answer');
    const refused = fixture.posted.at(-1);
    assert.ok(refused?.type === 'error');
    assert.match(refused.message, /no longer in this conversation/);
  });

  it('marks the retry of an unpriced cheap-tier answer in the ledger, so the saving leaves the pair out', async () => {
    // The fake by a name that is no loopback name (a server elsewhere): there a model nobody priced has no known cost.
    const baseUrl = `${fixture.fake.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/v1`;
    const raw = { providers: { openai: { baseUrl, sendKeyTo: ['[::ffff:7f00:1]'] } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true, cheapRoutes: { chat: ['openai:house-model-x'] } } };
    await fixture.switchboard.reconfigure(resolveConfig(raw).config);
    const { session: chat } = fixture.session();
    fixture.fake.script({ text: 'Press Esc, then :q.' }, { text: 'The strong answer.' });
    await chat.send('How do I quit vim?', []);
    const first = fixture.posted.find((message) => message.type === 'done');
    assert.ok(first?.type === 'done');
    assert.equal(first.footer.costUsd, null, 'the cheap model has no known price');

    await chat.retry(first.footer.recordId!);
    await fixture.switchboard.ledger.flush();
    const { records } = await fixture.switchboard.ledger.read();
    assert.deepEqual([records.at(-1)!.retryOf, records.at(-1)!.retryOfUnpriced], [first.footer.recordId, true]);
  });

  it('marks the retry of an answer a failed strong tier handed over to the cheap tier, so the saving leaves the pair out', async () => {
    const raw = { providers: { openai: { baseUrl: `${fixture.fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } };
    await fixture.switchboard.reconfigure(resolveConfig(raw).config);
    const { session: chat } = fixture.session();
    const design =
      'Design a rate limiter for our public API: 10k customers, per-customer limits, 5 API servers behind a load balancer, Redis available. ' +
      'Compare token bucket and sliding window for this case, and say what happens when Redis fails over.';
    fixture.fake.script({ status: 503 }, { text: 'A cheap answer.' }, { text: 'The strong answer.' });
    await chat.send(design, []);
    const first = fixture.posted.find((message) => message.type === 'done');
    assert.ok(first?.type === 'done');
    assert.deepEqual([first.footer.routing?.tier, first.footer.routing?.handedOverFrom], ['cheap', 'strong']);

    await chat.retry(first.footer.recordId!);
    await fixture.switchboard.ledger.flush();
    const { records } = await fixture.switchboard.ledger.read();
    assert.deepEqual([records.at(-1)!.retryOf, records.at(-1)!.retryOfHandedOver, records.at(-1)!.retryOfUnpriced], [first.footer.recordId, true, undefined]);
  });

  it("offers to ask again an error after Auto handed the question over past the cheap tier's provider budget", async () => {
    const anthropic = await startFakeAnthropic();
    try {
      const raw = {
        providers: { openai: { baseUrl: `${fixture.fake.url}/v1` }, anthropic: { baseUrl: anthropic.url } },
        routes: { chat: ['openai:gpt-5.4'] },
        auto: { enabled: true, cheapRoutes: { chat: ['anthropic:claude-haiku-4-5'] } },
        budget: { action: 'block', providers: { anthropic: { dailyUsd: 0.5 } } },
      };
      fixture.switchboard = await Switchboard.create({ config: resolveConfig(raw).config, source: 'bench', env: { OPENAI_API_KEY: 'test', ANTHROPIC_API_KEY: 'test' }, ledgerPath: path.join(fixture.dir, 'ledger-budget.jsonl') });
      fixture.opened.push(fixture.switchboard);
      fixture.switchboard.spend.add(record({ time: new Date().toISOString(), provider: 'anthropic', model: 'claude-haiku-4-5', costUsd: 0.5 }));
      const { session: chat } = fixture.session();
      fixture.fake.script({ status: 503 });
      await chat.send('How do I quit vim?', []);

      const error = fixture.posted.find((message) => message.type === 'error');
      assert.ok(error?.type === 'error');
      assert.match(error.message, /^daily anthropic budget reached.*; every model of the chat route's strong tier failed/);
      // Asked again, the question goes to the strong tier as this one did: before, the check weighed the cheap tier alone and said no.
      assert.equal(error.retryable, true);
      assert.equal(anthropic.requests.length, 0);
    } finally {
      await anthropic.close();
    }
  });

  it("shows in the footer that Auto handed the question to the strong tier, before the cheap tier's reasons", async () => {
    await fixture.switchboard.reconfigure(resolveConfig({ providers: { openai: { baseUrl: `${fixture.fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config);
    const { session: chat } = fixture.session();
    fixture.fake.script({ status: 503 }, { text: 'The strong answer.' });
    await chat.send('How do I quit vim?', []);
    const done = fixture.posted.find((message) => message.type === 'done');
    assert.ok(done?.type === 'done');
    assert.equal(done.footer.model, 'openai:gpt-5.4');
    assert.equal(done.footer.fellBack, true);
    const routing = done.footer.routing!;
    assert.deepEqual([routing.mode, routing.tier], ['auto', 'strong']);
    assert.equal(routing.reasons[0], 'handed over from the cheap tier: its models failed before answering');
    assert.ok(routing.reasons.length > 1, 'the reasons Auto picked the cheap tier follow');
    assert.deepEqual(fixture.fake.requests.map((request) => (request.body as { model: string }).model), ['gpt-5.4-mini', 'gpt-5.4']);
  });
});
