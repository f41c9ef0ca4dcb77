import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { Switchboard } from '../../../src/core/switchboard';
import { ChatSession } from '../../../src/vscode/chat/chatSession';
import { Conversations } from '../../../src/vscode/chat/conversations';
import { sandboxSimulated, SIMULATED_ENV } from '../../../src/vscode/sandboxSimulation';
import { fakeKeys } from '../../fakes/fakeKeys';
import { useChatSessionFixture } from './chatSessionFixture';

describe('chat session (the panel host without VS Code), against the fake OpenAI server', () => {
  const fixture = useChatSessionFixture();

  it("marks every footer simulated in the sandbox (SWITCHBOARD_SIMULATED), in the panel and in the stored conversation, and none elsewhere", async () => {
    fixture.fake.script({ text: 'A showcase answer.' }, { text: 'A real answer.' });
    const transcript = new Conversations(fixture.state, (message) => fixture.warnings.push(message)).current;
    const sandbox = new ChatSession({ switchboard: fixture.switchboard, transcript, simulated: () => true, log: { info: () => undefined, warn: (message) => fixture.warnings.push(message) }, post: (message) => fixture.posted.push(message) });
    await sandbox.send('What does this do?', []);
    const done = fixture.posted.filter((message) => message.type === 'done');
    assert.equal(done.length, 1);
    assert.equal(done[0]!.type === 'done' && done[0]!.footer.simulated, true);
    const stored = transcript.historyMessage().messages.at(-1);
    assert.equal(stored?.role === 'assistant' && stored.footer?.simulated, true, 'a reload shows it simulated too');

    await fixture.session().session.send('And for real?', []);
    const real = fixture.posted.filter((message) => message.type === 'done').at(-1);
    assert.equal(real?.type === 'done' && real.footer.simulated, undefined);
    assert.deepEqual(fixture.warnings, []);
  });

  it('labels an answer simulated only while every usable provider answers on this machine, decided at each answer: a real endpoint set after the start makes the next one billed', async () => {
    // The sandbox's fakes: OpenAI and Anthropic on 127.0.0.1 (Anthropic's fake is not asked here), Bedrock too.
    const onFakes = { openai: { baseUrl: `${fixture.fake.url}/v1` }, anthropic: { baseUrl: 'http://127.0.0.1:9' }, bedrock: { endpoint: 'http://127.0.0.1:9' } };
    const settings = (providers: Record<string, unknown>) => resolveConfig({ providers, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: false }, sandbox: { simulated: true } }).config;
    const env = { OPENAI_API_KEY: 'test', ANTHROPIC_API_KEY: fakeKeys.anthropic('real') };
    const sandboxed = await Switchboard.create({ config: settings(onFakes), source: 'bench', env, ledgerPath: path.join(fixture.dir, 'ledger.jsonl') });
    fixture.opened.push(sandboxed);
    const transcript = new Conversations(fixture.state, (message) => fixture.warnings.push(message)).current;
    const log = { info: () => undefined, warn: (message: string) => fixture.warnings.push(message) };
    const chat = new ChatSession({ switchboard: sandboxed, transcript, simulated: () => sandboxSimulated({ ...env, [SIMULATED_ENV]: '1' }, sandboxed.registry, sandboxed.currentConfig), log, post: (message) => fixture.posted.push(message) });
    fixture.fake.script({ text: 'From the fake.' }, { text: 'Still the fake, but Anthropic now bills.' });
    await chat.send('First?', []);
    // The user points Anthropic at its own API after the start (the Anthropic key is theirs): answers may be billed now.
    await sandboxed.reconfigure(settings({ ...onFakes, anthropic: { baseUrl: '' } }));
    await chat.send('Second?', []);
    const labels = fixture.posted.flatMap((message) => (message.type === 'done' ? [message.footer.simulated] : []));
    assert.deepEqual(labels, [true, undefined]);
    assert.deepEqual(fixture.warnings, []);
  });

  it('streams the answer to the panel and ends it with a footer naming the model, its tokens and cost', async () => {
    fixture.fake.script({ text: 'The answer is 42.', chunks: 3, usage: { inputTokens: 1000, cacheReadTokens: 200, outputTokens: 10 } });
    const { session: chat, transcript } = fixture.session();
    await chat.send('  What is the answer?  ', []);

    assert.deepEqual(fixture.posted[0], { type: 'start', id: 'm1', requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'What is the answer?' });
    const streamed = fixture.posted.filter((message) => message.type === 'chunk').map((message) => message.text).join('');
    assert.equal(streamed, 'The answer is 42.');
    const done = fixture.posted.at(-1);
    assert.ok(done?.type === 'done', `the last message is done, not ${done?.type}`);
    assert.equal(done.footer.model, 'openai:gpt-5.4');
    assert.equal(done.footer.fellBack, false);
    assert.equal(done.footer.inputTokens, 1200, 'cached tokens count as tokens in');
    assert.equal(done.footer.outputTokens, 10);
    assert.ok(done.footer.costUsd! > 0);
    assert.equal(done.totalCostUsd, done.footer.costUsd);
    assert.equal(transcript.totalCostUsd(), done.footer.costUsd);
  });

  it('says in the footer when the model stopped at the answer\'s max output', async () => {
    fixture.fake.script({ text: 'The first half', stopAtMaxTokens: true }, { text: 'Whole.' });
    const { session: chat } = fixture.session();
    await chat.send('Tell me everything', []);
    await chat.send('Briefly', []);

    const footers = fixture.posted.flatMap((message) => (message.type === 'done' ? [message.footer] : []));
    assert.equal(footers.length, 2);
    assert.equal(typeof footers[0]!.maxTokensReached, 'number');
    assert.ok(footers[0]!.maxTokensReached! > 0);
    assert.equal(footers[1]!.maxTokensReached, undefined);
  });

  it("says in the footer when the answer's cost was priced at a bound, and not when it was priced as reported", async () => {
    fixture.fake.script({ text: 'Hi.', usage: { inputTokens: 10, outputTokens: 1e12 } });
    fixture.fake.script({ text: 'Hello.', usage: { inputTokens: 10, outputTokens: 3 } });
    const { session: chat } = fixture.session();
    await chat.send('Hi', []);
    await chat.send('Hello', []);

    const footers = fixture.posted.flatMap((message) => (message.type === 'done' ? [message.footer] : []));
    assert.equal(footers.length, 2);
    assert.match(footers[0]!.pricedAtBound ?? '', /^the provider reported 1,000,000,000,000 output tokens, more than the request could produce \([\d,]+\); priced at [\d,]+$/);
    assert.equal(footers[0]!.outputTokens < 1e12, true, 'the footer shows the tokens priced');
    assert.equal(footers[1]!.pricedAtBound, undefined);
  });
});
