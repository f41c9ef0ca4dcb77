import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { attachment } from '../../../src/core/prompts/attachments';
import { Switchboard } from '../../../src/core/switchboard';
import type { ChatMessage } from '../../../src/core/types';
import type { HostToWebview } from '../../../src/shared/chatProtocol';
import { ChatSession } from '../../../src/vscode/chat/chatSession';
import { SAVE_ANSWER_EVERY_MS } from '../../../src/vscode/chat/streamingAnswer';
import { WINDOW_CLOSED_MESSAGE } from '../../../src/vscode/chat/chatTranscript';
import { MAX_CONVERSATION_CHARS } from '../../../src/vscode/chat/conversationBound';
import { Conversations } from '../../../src/vscode/chat/conversations';
import { AnswerDrafts } from '../../../src/vscode/chat/answerDrafts';
import { startFakeAnthropic, startFakeOpenAI, type FakeServer } from '../../fakes/index';
import { record } from '../../core/costs/cells';
import { sandboxSimulated, SIMULATED_ENV } from '../../../src/vscode/sandboxSimulation';
import { fakeKeys } from '../../fakes/fakeKeys';
import { ManualClock } from './manualClock';
import { MemoryMemento } from './memoryMemento';

const CODE = 'export const lowStock = (items) => items.filter((item) => item.count < item.reorderAt);';

describe('chat session (the panel host without VS Code), against the fake OpenAI server', () => {
  let fake: FakeServer;
  let dir: string;
  let switchboard: Switchboard;
  let state: MemoryMemento;
  let posted: HostToWebview[];
  let warnings: string[];

  /** `page`: what the webview does with each message after it is posted (acknowledge, reload). */
  const session = (
    page?: (message: HostToWebview, chat: ChatSession) => void,
    { memento = state, clock, drafts }: { memento?: MemoryMemento; clock?: ManualClock; drafts?: AnswerDrafts } = {},
  ) => {
    const transcript = new Conversations(memento, (message) => warnings.push(message), Date.now, drafts).current;
    const log = { info: () => undefined, warn: (message: string) => warnings.push(message) };
    const chat: ChatSession = new ChatSession({
      switchboard,
      transcript,
      log,
      ...(clock ? { clock } : {}),
      post: (message) => {
        posted.push(message);
        page?.(message, chat);
      },
    });
    return { transcript, session: chat };
  };
  /** Every Switchboard a test opens, disposed after it: their ledgers append in the background, and must be written out before the folder goes. */
  const opened: Switchboard[] = [];
  const openSwitchboard = async (config: Parameters<typeof Switchboard.create>[0]['config']) => {
    const created = await Switchboard.create({ config, source: 'bench', env: { OPENAI_API_KEY: 'test' }, ledgerPath: path.join(dir, 'ledger.jsonl') });
    opened.push(created);
    return created;
  };
  const sentMessages = (index: number) => (fake.requests[index]?.body as { messages: ChatMessage[] }).messages;

  before(async () => {
    fake = await startFakeOpenAI();
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-chat-'));
  });
  beforeEach(async () => {
    fake.reset();
    // The chat route as listed; the retry test below turns Auto on.
    const { config, problems } = resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: false } });
    assert.deepEqual(problems, []);
    switchboard = await openSwitchboard(config);
    state = new MemoryMemento();
    posted = [];
    warnings = [];
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((opening) => opening.dispose()));
  });
  after(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("marks every footer simulated in the sandbox (SWITCHBOARD_SIMULATED), in the panel and in the stored conversation, and none elsewhere", async () => {
    fake.script({ text: 'A showcase answer.' }, { text: 'A real answer.' });
    const transcript = new Conversations(state, (message) => warnings.push(message)).current;
    const sandbox = new ChatSession({ switchboard, transcript, simulated: () => true, log: { info: () => undefined, warn: (message) => warnings.push(message) }, post: (message) => posted.push(message) });
    await sandbox.send('What does this do?', []);
    const done = posted.filter((message) => message.type === 'done');
    assert.equal(done.length, 1);
    assert.equal(done[0]!.type === 'done' && done[0]!.footer.simulated, true);
    const stored = transcript.historyMessage().messages.at(-1);
    assert.equal(stored?.role === 'assistant' && stored.footer?.simulated, true, 'a reload shows it simulated too');

    await session().session.send('And for real?', []);
    const real = posted.filter((message) => message.type === 'done').at(-1);
    assert.equal(real?.type === 'done' && real.footer.simulated, undefined);
    assert.deepEqual(warnings, []);
  });

  it('labels an answer simulated only while every usable provider answers on this machine, decided at each answer: a real endpoint set after the start makes the next one billed', async () => {
    // The sandbox's fakes: OpenAI and Anthropic on 127.0.0.1 (Anthropic's fake is not asked here), Bedrock too.
    const onFakes = { openai: { baseUrl: `${fake.url}/v1` }, anthropic: { baseUrl: 'http://127.0.0.1:9' }, bedrock: { endpoint: 'http://127.0.0.1:9' } };
    const settings = (providers: Record<string, unknown>) => resolveConfig({ providers, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: false } }).config;
    const env = { OPENAI_API_KEY: 'test', ANTHROPIC_API_KEY: fakeKeys.anthropic('real') };
    const sandboxed = await Switchboard.create({ config: settings(onFakes), source: 'bench', env, ledgerPath: path.join(dir, 'ledger.jsonl') });
    opened.push(sandboxed);
    const transcript = new Conversations(state, (message) => warnings.push(message)).current;
    const log = { info: () => undefined, warn: (message: string) => warnings.push(message) };
    const chat = new ChatSession({ switchboard: sandboxed, transcript, simulated: () => sandboxSimulated({ ...env, [SIMULATED_ENV]: '1' }, sandboxed.registry), log, post: (message) => posted.push(message) });
    fake.script({ text: 'From the fake.' }, { text: 'Still the fake, but Anthropic now bills.' });
    await chat.send('First?', []);
    // The user points Anthropic at its own API after the start (the Anthropic key is theirs): answers may be billed now.
    await sandboxed.reconfigure(settings({ ...onFakes, anthropic: { baseUrl: '' } }));
    await chat.send('Second?', []);
    const labels = posted.flatMap((message) => (message.type === 'done' ? [message.footer.simulated] : []));
    assert.deepEqual(labels, [true, undefined]);
    assert.deepEqual(warnings, []);
  });

  it('sends the attached code again with a follow-up question', async () => {
    const { session: chat } = session();
    fake.script({ text: 'It keeps the items below their reorder level.' }, { text: 'Because equal stock is still enough.' });
    await chat.send('What does this do?', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    await chat.send('Why below and not at?', []);

    assert.equal(fake.requests.length, 2);
    const followUp = sentMessages(1);
    assert.deepEqual(
      followUp.map((message) => message.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(followUp[1]!.content, `Attached src/inventory.ts:1-1:\n\`\`\`typescript\n${CODE}\n\`\`\`\n\nWhat does this do?`);
    assert.equal(followUp[2]!.content, 'It keeps the items below their reorder level.');
    assert.equal(followUp[3]!.content, 'Why below and not at?');
  });

  it('keeps the attached code across a reload, and shows the panel only the question and its chips', async () => {
    fake.script({ text: 'An answer.' }, { text: 'Another.' });
    await session().session.send('What does this do?', [attachment('src/inventory.ts', 'typescript', CODE)]);

    const reloaded = session();
    const history = reloaded.transcript.historyMessage();
    assert.equal(history.type, 'history');
    assert.deepEqual(history.messages[0], { role: 'user', text: 'What does this do?', attachments: [{ label: 'src/inventory.ts' }] });
    await reloaded.session.send('And then?', []);
    assert.match(sentMessages(1)[1]!.content, new RegExp(`Attached src/inventory\\.ts:\\n\`\`\`typescript\\n${escapeRegExp(CODE)}`));
    assert.deepEqual(warnings, []);
  });

  it('loads a history stored before prompts were kept (and before the conversation list), and sends its questions as they were shown', async () => {
    const footer = { model: 'openai:gpt-5.4', requestedModel: 'openai:gpt-5.4', fellBack: false, inputTokens: 10, outputTokens: 5, costUsd: 0.25, latencyMs: 400, estimated: false };
    await state.update('switchboard.chat.history', [
      { role: 'user', text: 'An old question', attachments: [{ label: 'src/old.ts' }] },
      { role: 'assistant', text: 'An old answer', footer },
    ]);
    const { session: chat, transcript } = session();
    assert.equal(transcript.totalCostUsd(), 0.25);
    fake.script({ text: 'A new answer.' });
    await chat.send('A new question', []);
    assert.deepEqual(
      sentMessages(0).slice(1).map((message) => message.content),
      ['An old question', 'An old answer', 'A new question'],
    );
    assert.deepEqual(warnings, []);
  });

  it('streams the answer to the panel and ends it with a footer naming the model, its tokens and cost', async () => {
    fake.script({ text: 'The answer is 42.', chunks: 3, usage: { inputTokens: 1000, cacheReadTokens: 200, outputTokens: 10 } });
    const { session: chat, transcript } = session();
    await chat.send('  What is the answer?  ', []);

    assert.deepEqual(posted[0], { type: 'start', id: 'm1', requestedModel: 'openai:gpt-5.4', attachments: [], userText: 'What is the answer?' });
    const streamed = posted.filter((message) => message.type === 'chunk').map((message) => message.text).join('');
    assert.equal(streamed, 'The answer is 42.');
    const done = posted.at(-1);
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
    fake.script({ text: 'The first half', stopAtMaxTokens: true }, { text: 'Whole.' });
    const { session: chat } = session();
    await chat.send('Tell me everything', []);
    await chat.send('Briefly', []);

    const footers = posted.flatMap((message) => (message.type === 'done' ? [message.footer] : []));
    assert.equal(footers.length, 2);
    assert.equal(typeof footers[0]!.maxTokensReached, 'number');
    assert.ok(footers[0]!.maxTokensReached! > 0);
    assert.equal(footers[1]!.maxTokensReached, undefined);
  });

  it("says in the footer when the answer's cost was priced at a bound, and not when it was priced as reported", async () => {
    fake.script({ text: 'Hi.', usage: { inputTokens: 10, outputTokens: 1e12 } });
    fake.script({ text: 'Hello.', usage: { inputTokens: 10, outputTokens: 3 } });
    const { session: chat } = session();
    await chat.send('Hi', []);
    await chat.send('Hello', []);

    const footers = posted.flatMap((message) => (message.type === 'done' ? [message.footer] : []));
    assert.equal(footers.length, 2);
    assert.match(footers[0]!.pricedAtBound ?? '', /^the provider reported 1,000,000,000,000 output tokens, more than the request could produce \([\d,]+\); priced at [\d,]+$/);
    assert.equal(footers[0]!.outputTokens < 1e12, true, 'the footer shows the tokens priced');
    assert.equal(footers[1]!.pricedAtBound, undefined);
  });

  describe('flow control (switchboard.chat.flowControl)', () => {
    const ANSWER = 'one two three four five six seven eight';
    const chunkMessages = () => posted.flatMap((message) => (message.type === 'chunk' ? [message] : []));

    it('sends each chunk at once while the webview acknowledges it', async () => {
      fake.script({ text: ANSWER, chunks: 8 });
      // A webview that applies each message before the next chunk arrives.
      const { session: chat } = session((message, chat) => {
        if (message.type === 'chunk' && message.ack) chat.acknowledge(message.id, message.seq);
      });
      await chat.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER);
      assert.ok(chunks.length >= 2, `${chunks.length} chunk messages`);
      assert.ok(chunks.every((chunk) => chunk.ack === true), 'each asking for an acknowledgement');
      // One chunk a message, so `firstSeq` (which defaults to `seq`) is not serialised and relayed with each.
      assert.ok(chunks.every((chunk) => !('firstSeq' in chunk)), 'one chunk a message, with no firstSeq');
      assert.equal(posted.at(-1)?.type, 'done');
    });

    it('never waits for acknowledgements that do not come: the last chunk message carries the rest, then the footer', async () => {
      fake.script({ text: ANSWER, chunks: 8 });
      const { session: chat, transcript } = session();
      await chat.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER, 'nothing lost');
      // Two went at once; the rest waited (a second without an acknowledgement would free one more) and went last.
      assert.ok(chunks.length >= 3 && chunks.length < 8, `${chunks.length} chunk messages for 8 chunks`);
      assert.ok(chunks.slice(0, -1).every((chunk) => chunk.ack === true));
      assert.equal(chunks.at(-1)?.ack, undefined, 'the final message asks for no acknowledgement');
      assert.equal(posted.at(-1)?.type, 'done', 'the footer did not wait');
      assert.equal(transcript.turns().at(-1)?.text, ANSWER);
    });

    it('gives a page that announces itself mid-answer the question and the answer so far, then the rest', async () => {
      fake.script({ text: ANSWER, chunks: 8 });
      let newPageAt = -1;
      // The page applies each message; after the second chunk message a new page says it is ready
      // (the panel first shown, or reloaded, while the answer streams).
      const { session: chat, transcript } = session((message, chat) => {
        if (message.type !== 'chunk' || !message.ack) return;
        chat.acknowledge(message.id, message.seq);
        if (newPageAt < 0 && posted.filter((m) => m.type === 'chunk').length === 2) {
          newPageAt = posted.length;
          chat.pageReady(transcript.historyMessage());
        }
      });
      await chat.send('Count to eight', []);
      assert.ok(newPageAt > 0, 'the answer streamed in more than two chunk messages');
      const forNewPage = posted.slice(newPageAt);
      const [history, start, soFar] = forNewPage;
      assert.equal(history?.type, 'history');
      assert.deepEqual(history.type === 'history' && history.messages, [], 'the question being answered is not in the history: the start below shows it');
      assert.equal(start?.type, 'start');
      assert.equal(start.type === 'start' && start.userText, 'Count to eight');
      const id = start.type === 'start' ? start.id : '';
      const before = posted.slice(0, newPageAt).flatMap((m) => (m.type === 'chunk' ? [m.text] : [])).join('');
      assert.equal(soFar?.type === 'chunk' && soFar.text, before, 'the answer so far, in one message');
      const rest = forNewPage.slice(3).flatMap((m) => (m.type === 'chunk' && m.id === id ? [m.text] : [])).join('');
      assert.equal(before + rest, ANSWER, 'the new page gets the whole answer, once');
      assert.equal(posted.at(-1)?.type, 'done');
    });

    it('with frame pacing (switchboard.chat.framePacing): once the page has said where its frames fall, chunks wait for the time that lands them just before one', async () => {
      const { config } = resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, chat: { framePacing: true } });
      switchboard = await openSwitchboard(config);
      // Eight chunks, 2 ms apart: 500 tokens a second.
      fake.script({ text: ANSWER, chunks: 8, chunkDelayMs: 2 });
      const postedAt: number[] = [];
      // A page that applies each message at once, and says its next frame is due 16.6 ms later: the message could
      // have been sent 12.6 ms later and still made that frame (chunkPacer.ts's 4 ms margin).
      const { session: chat } = session((message, chat) => {
        if (message.type !== 'chunk') return;
        postedAt.push(performance.now());
        if (message.ack) chat.acknowledge(message.id, message.seq, { slackMs: 16.6, frameMs: 1000 / 60 });
      });
      await chat.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER, 'nothing lost');
      assert.ok(chunks.length >= 2, `${chunks.length} chunk messages`);
      // The first goes at once (no frame known yet); the next waits for its send time, 12.6 ms on, however soon its chunk came.
      const gap = (postedAt[1] ?? Number.NaN) - (postedAt[0] ?? Number.NaN);
      assert.ok(gap >= 12, `the second chunk message followed the first after ${gap.toFixed(1)} ms`);
      assert.equal(posted.at(-1)?.type, 'done');
    });

    it('off: chunks paced by the clock alone, no acknowledgement asked for', async () => {
      const { config } = resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, chat: { flowControl: false } });
      switchboard = await openSwitchboard(config);
      fake.script({ text: ANSWER, chunks: 8 });
      await session().session.send('Count to eight', []);
      const chunks = chunkMessages();
      assert.equal(chunks.map((chunk) => chunk.text).join(''), ANSWER);
      assert.ok(chunks.every((chunk) => chunk.ack === undefined));
    });
  });

  it('refuses a question too long for the model without sending it, and says by how much', async () => {
    const { session: chat, transcript } = session();
    // A model the price table does not know is assumed to take 128k tokens; this is about 150k.
    await chat.send('word '.repeat(120_000), [], { provider: 'openai', model: 'local-model' });
    assert.equal(fake.requests.length, 0);
    const error = posted.at(-1);
    assert.ok(error?.type === 'error', `the last message is an error, not ${error?.type}`);
    assert.match(error.message, /^This message is about [\d,]+ tokens; local-model accepts about [\d,]+ for a question/);
    assert.equal(error.partial, false);
    assert.equal(transcript.totalCostUsd(), 0);
  });

  it('leaves the oldest messages out of a conversation too long for the model, and says how many in the footer', async () => {
    // gpt-3.5-turbo takes 16,385 tokens, less the answer's 4,096: each old turn is about 7,500. (A conversation
    // kept in workspace state stays within 500,000 characters, so a 128k-token model is not the example.)
    const long = 'word '.repeat(6_000);
    await state.update('switchboard.chat.history', [
      { role: 'user', text: `first ${long}`, attachments: [] },
      { role: 'assistant', text: `first answer ${long}` },
      { role: 'user', text: 'second question', attachments: [] },
      { role: 'assistant', text: 'second answer' },
    ]);
    const { session: chat, transcript } = session();
    fake.script({ text: 'Fits now.' }, { text: 'Short.' });
    await chat.send('third question', [], { provider: 'openai', model: 'gpt-3.5-turbo' });
    assert.deepEqual(
      sentMessages(0).slice(1).map((message) => message.content.slice(0, 40)),
      ['second question', 'second answer', 'third question'],
    );
    const done = posted.find((message) => message.type === 'done');
    assert.ok(done?.type === 'done');
    assert.equal(done.footer.omittedMessages, 2);
    const stored = transcript.historyMessage().messages.at(-1);
    assert.ok(stored?.role === 'assistant');
    assert.equal(stored.footer?.omittedMessages, 2, 'kept with the answer, so a reload still shows it');

    // A conversation that fits says nothing.
    posted = [];
    await session().session.send('a new chat question', [], { provider: 'openai', model: 'gpt-5.4' });
    const fits = posted.find((message) => message.type === 'done');
    assert.ok(fits?.type === 'done');
    assert.equal(fits.footer.omittedMessages, undefined);
  });

  it('offers to ask again after an answer broke off, and asks its question (attached code included) with the conversation as it was', async () => {
    await switchboard.reconfigure(resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4', 'openai:gpt-5.4-mini'] }, auto: { enabled: false } }).config);
    const { session: chat, transcript } = session();
    fake.script({ text: 'First.' }, { text: 'Half an answer, then', chunks: 2, streamErrorAfterChunks: 1 }, { text: 'The whole answer.' });
    await chat.send('An earlier question', []);
    await chat.send('What does this do?', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    const failed = posted.find((message) => message.type === 'error');
    assert.ok(failed?.type === 'error');
    assert.equal(failed.partial, true);
    assert.equal(failed.retryable, true, 'a provider failure may pass: the panel offers Ask again');
    assert.ok(posted.at(-1)?.type === 'done', 'what the broken-off answer cost follows');

    await chat.askAgain();
    assert.equal(fake.requests.length, 3);
    assert.deepEqual(sentMessages(2).slice(1), sentMessages(1).slice(1), 'the same question and code after the same conversation, without the broken-off answer');
    const start = posted.filter((message) => message.type === 'start').at(-1);
    assert.ok(start?.type === 'start');
    assert.deepEqual([start.userText, start.attachments], ['What does this do?', [{ label: 'src/inventory.ts:1-1' }]]);
    assert.equal(transcript.historyMessage().messages.at(-1)?.text, 'The whole answer.');

    // The last answer did not fail: nothing is asked.
    await chat.askAgain();
    assert.equal(fake.requests.length, 3);
    const refused = posted.at(-1);
    assert.ok(refused?.type === 'error');
    assert.match(refused.message, /nothing to ask again/);
  });

  it('does not offer to ask again a question refused before any model was asked', async () => {
    const { session: chat } = session();
    await chat.send('word '.repeat(120_000), [], { provider: 'openai', model: 'local-model' });
    const error = posted.at(-1);
    assert.ok(error?.type === 'error');
    assert.equal(error.retryable, undefined);
    await chat.askAgain();
    assert.equal(fake.requests.length, 0);
    assert.match((posted.at(-1) as { message: string }).message, /nothing to ask again/);
  });

  it('records an answer cut short by the window closing (Switchboard disposed mid-answer) as cancelled, with what streamed, before the last flush', async () => {
    let textArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (textArrived = resolve));
    const { session: chat, transcript } = session((message) => {
      if (message.type === 'chunk') textArrived();
    });
    const before = (await switchboard.ledger.read()).records.length;
    // Held after its first piece until the client leaves.
    fake.script({ text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise(() => undefined) });
    const asked = chat.send('A long question', []);
    await arrived;
    const closing = opened.pop()!;
    assert.equal(closing, switchboard);
    // As VS Code shuts an extension down: deactivate (Switchboard.dispose begins Router.stopAll), then its subscriptions (the panel's host).
    const disposed = switchboard.dispose();
    chat.dispose();
    // What the state holds if the window dies before the cancelled answer's own save.
    const savedAtDispose = state.snapshot();
    await disposed;
    await asked;

    const records = (await switchboard.ledger.read()).records.slice(before);
    assert.equal(records.length, 1, 'the request is in the ledger once the window has closed');
    assert.equal(records[0]!.outcome, 'cancelled');
    assert.ok(records[0]!.usage.outputTokens > 0, 'what streamed is counted');
    const streamed = posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
    assert.ok(streamed.length > 0 && streamed.length < 'The first half, and the rest'.length);

    // After the reload: the question, what streamed, broken off with Ask again; and, once the cancel was saved too, what it cost.
    const atDispose = session(undefined, { memento: savedAtDispose }).transcript.historyMessage().messages;
    assert.deepEqual(atDispose, [
      { role: 'user', text: 'A long question', attachments: [] },
      { role: 'assistant', text: streamed, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } },
    ]);
    const last = session().transcript.historyMessage().messages.at(-1);
    assert.ok(last?.role === 'assistant');
    assert.equal(last.text, streamed);
    assert.deepEqual(last.error, { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true });
    assert.equal(last.footer?.stopped, undefined, 'not stopped by the user');
    assert.equal(last.footer?.costUsd, records[0]!.costUsd);
    assert.equal(transcript.totalCostUsd(), records[0]!.costUsd);
  });

  it('keeps the question as soon as it is sent and the answer so far every second: a window that dies mid-answer comes back with both, and Ask again asks the question', async () => {
    const clock = new ManualClock();
    let resume!: () => void;
    let textArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (textArrived = resolve));
    const { session: chat, transcript } = session(
      (message) => {
        if (message.type === 'chunk') textArrived();
      },
      { clock },
    );
    fake.script(
      { text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) },
      { text: 'The whole answer.' },
    );
    const asked = chat.send('What does this do?', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    await arrived;
    const question = { role: 'user', text: 'What does this do?', attachments: [{ label: 'src/inventory.ts:1-1' }] };
    const brokenOff = (text: string) => ({ role: 'assistant', text, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } });
    const reloadedFrom = (memento: MemoryMemento) => session(undefined, { memento }).transcript.historyMessage().messages;

    // Text has streamed, and no second has passed: the question is kept, the text not yet.
    assert.deepEqual(reloadedFrom(state.snapshot()), [question, brokenOff('')]);
    clock.advanceTo(SAVE_ANSWER_EVERY_MS - 1);
    assert.deepEqual(reloadedFrom(state.snapshot()), [question, brokenOff('')], 'not saved per chunk');
    clock.advanceTo(SAVE_ANSWER_EVERY_MS);
    const streamed = posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
    assert.ok(streamed.length > 0);
    const diedMidAnswer = state.snapshot();
    assert.deepEqual(reloadedFrom(diedMidAnswer), [question, brokenOff(streamed)]);
    assert.equal(clock.pending, 0, 'no save waits while no new text came');

    // The answer ends: the live conversation has it whole, not broken off.
    resume();
    await asked;
    const ended = transcript.historyMessage().messages;
    assert.equal(ended.length, 2);
    assert.equal(ended[1]!.text, 'The first half, and the rest');
    assert.ok(ended[1]!.role === 'assistant' && ended[1]!.error === undefined && ended[1]!.footer !== undefined);
    assert.deepEqual(session().transcript.historyMessage().messages, ended, 'and stored so');
    assert.equal(clock.pending, 0, 'no save left waiting');

    // The window that died mid-answer: Ask again sends the same question and code.
    const reloaded = session(undefined, { memento: diedMidAnswer }).session;
    await reloaded.askAgain();
    assert.equal(fake.requests.length, 2);
    assert.deepEqual(sentMessages(1).slice(1), sentMessages(0).slice(1));
  });

  describe('with a storage folder: the answer so far goes to a draft file, not to workspace state', () => {
    let folder: string;
    let copies = 0;
    const draftsIn = (where: string) => new AnswerDrafts(where, (message) => warnings.push(message));
    /** What a window that died now would leave on disk: the draft folder as it is, copied. */
    const copyFolder = () => {
      const copy = path.join(dir, `drafts-copy-${++copies}`);
      if (existsSync(folder)) cpSync(folder, copy, { recursive: true });
      return copy;
    };
    beforeEach(() => {
      folder = path.join(dir, `drafts-${++copies}`);
    });

    it('saves each second only the draft: a window that dies mid-answer comes back with the question and what streamed, and the draft goes once the answer is whole', async () => {
      const clock = new ManualClock();
      const drafts = draftsIn(folder);
      let resume!: () => void;
      let textArrived!: () => void;
      const arrived = new Promise<void>((resolve) => (textArrived = resolve));
      const { session: chat, transcript } = session(
        (message) => {
          if (message.type === 'chunk') textArrived();
        },
        { clock, drafts },
      );
      fake.script({ text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) });
      const asked = chat.send('What does this do?', []);
      await arrived;
      const question = { role: 'user', text: 'What does this do?', attachments: [] };
      const brokenOff = (text: string) => ({ role: 'assistant', text, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } });
      const reloadedFrom = (memento: MemoryMemento, where: string) => session(undefined, { memento, drafts: draftsIn(where) }).transcript.historyMessage().messages;

      const updatesBefore = state.sentChars.length;
      clock.advanceTo(SAVE_ANSWER_EVERY_MS);
      await drafts.idle();
      assert.equal(state.sentChars.length, updatesBefore, 'the save while streaming sends nothing to the workbench');
      const streamed = posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
      assert.ok(streamed.length > 0);
      assert.deepEqual(reloadedFrom(state.snapshot(), copyFolder()), [question, brokenOff(streamed)]);

      resume();
      await asked;
      await drafts.idle();
      const ended = transcript.historyMessage().messages;
      assert.equal(ended[1]!.text, 'The first half, and the rest');
      assert.ok(ended[1]!.role === 'assistant' && ended[1]!.error === undefined);
      assert.deepEqual(readdirSync(folder), [], 'the draft went once the answer was saved whole');
      assert.deepEqual(reloadedFrom(state.snapshot(), folder), ended);
      assert.deepEqual(warnings, []);
    });

    it('writes the answer so far before the panel host goes (window closing), so a reload shows it broken off with Ask again', async () => {
      const drafts = draftsIn(folder);
      let textArrived!: () => void;
      const arrived = new Promise<void>((resolve) => (textArrived = resolve));
      const { session: chat } = session(
        (message) => {
          if (message.type === 'chunk') textArrived();
        },
        { drafts },
      );
      fake.script({ text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise(() => undefined) });
      const asked = chat.send('A long question', []);
      await arrived;
      chat.dispose();
      // Copied at once: the window may die before any promise runs.
      const atDispose = copyFolder();
      const savedAtDispose = state.snapshot();
      await asked;
      await drafts.idle();
      const streamed = posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
      assert.ok(streamed.length > 0);
      const reloaded = session(undefined, { memento: savedAtDispose, drafts: draftsIn(atDispose) });
      assert.deepEqual(reloaded.transcript.historyMessage().messages.at(-1), { role: 'assistant', text: streamed, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } });
      await reloaded.session.askAgain();
      assert.equal(fake.requests.length, 2, 'Ask again asks the question');
    });

    it('never takes a draft left behind by an earlier answer for a later one', async () => {
      const drafts = draftsIn(folder);
      const conversations = new Conversations(state, (message) => warnings.push(message), Date.now, drafts);
      const transcript = conversations.current;
      transcript.addQuestion('First', []);
      transcript.answerSoFar('Draft of the first answer');
      await transcript.save();
      await transcript.saveAnswerSoFar();
      // The window dies after the first answer is saved whole, before its draft is removed.
      const stale = copyFolder();
      transcript.addAnswer({ role: 'assistant', text: 'The first answer, whole.' });
      await transcript.save();
      transcript.addQuestion('Second', []);
      transcript.answerSoFar('');
      await transcript.save();
      const messages = new Conversations(state.snapshot(), (message) => warnings.push(message), Date.now, draftsIn(stale)).current.historyMessage().messages;
      assert.deepEqual(messages.map((message) => message.text), ['First', 'The first answer, whole.', 'Second', '']);
    });
  });

  it('leaves a conversation deleted while its answer streams deleted: neither the answer so far nor its end brings it back', async () => {
    const clock = new ManualClock();
    let resume!: () => void;
    let textArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (textArrived = resolve));
    const conversations = new Conversations(state, (message) => warnings.push(message));
    const log = { info: () => undefined, warn: (message: string) => warnings.push(message) };
    const chat = new ChatSession({
      switchboard,
      transcript: conversations.current,
      log,
      clock,
      post: (message) => {
        posted.push(message);
        if (message.type === 'chunk') textArrived();
      },
    });
    fake.script({ text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) });
    const asked = chat.send('A question to forget', []);
    await arrived;
    const id = conversations.currentId;
    assert.deepEqual(conversations.list().map((summary) => summary.id), [id], 'listed once the question was saved');
    await conversations.delete(id);
    clock.advanceTo(SAVE_ANSWER_EVERY_MS);
    resume();
    await asked;

    assert.deepEqual(conversations.list(), []);
    assert.equal(state.get(`switchboard.chat.conversation.${id}`), undefined);
    assert.deepEqual(new Conversations(state, (message) => warnings.push(message)).list(), [], 'nor after a reload');
  });

  it('ends the answer in the panel, and says so in the log, when the conversation cannot be saved', async () => {
    const { session: chat } = session();
    state.failWrites = new Error('SQLITE_FULL: database or disk is full');
    fake.script({ text: 'An answer the panel must still finish.' });
    await chat.send('A question', []);
    const done = posted.find((message) => message.type === 'done');
    assert.ok(done, 'the panel is told the answer ended (it kept waiting before)');
    assert.ok(warnings.some((warning) => warning.includes('could not save the conversation') && warning.includes('SQLITE_FULL')), warnings.join('\n'));
    state.failWrites = undefined;
    fake.script({ text: 'Saved this time.' });
    await chat.send('Again', []);
    assert.equal(new Conversations(state, (message) => warnings.push(message)).current.historyMessage().messages.at(-1)?.text, 'Saved this time.');
  });

  it('keeps an answer the user stopped as stopped, not broken off', async () => {
    const { session: chat, transcript } = session((message, chat) => {
      if (message.type === 'chunk') chat.stop();
    });
    fake.script({ text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise(() => undefined) });
    await chat.send('A long question', []);
    const last = transcript.historyMessage().messages.at(-1);
    assert.ok(last?.role === 'assistant');
    assert.equal(last.footer?.stopped, true);
    assert.equal(last.error, undefined);
    assert.equal(posted.some((message) => message.type === 'error'), false);
  });

  it('shows the conversation again, with a note of how many old messages went, when an answer took it past its bound', async () => {
    const tenth = 'x'.repeat(MAX_CONVERSATION_CHARS / 10);
    const before = new Conversations(state, (message) => warnings.push(message)).current;
    for (let i = 1; i <= 9; i++) {
      before.addQuestion(`question ${i}`, []);
      before.addAnswer({ role: 'assistant', text: tenth });
    }
    await before.save();
    const { session: chat } = session();
    fake.script({ text: 'Within the bound.' }, { text: tenth, chunks: 4 });
    await chat.send('A short one', []);
    assert.deepEqual(posted.map((message) => message.type).filter((type) => type !== 'chunk'), ['start', 'done'], 'nothing removed, nothing redrawn');

    posted = [];
    await chat.send('A question with a long answer', []);
    assert.deepEqual(posted.map((message) => message.type).filter((type) => type !== 'chunk'), ['start', 'done', 'history']);
    const history = posted.at(-1);
    assert.ok(history?.type === 'history');
    assert.ok(history.removedMessages !== undefined && history.removedMessages >= 2, `${history.removedMessages} removed`);
    assert.equal(history.messages.at(-1)?.text, tenth, 'the new answer is kept');
    assert.equal(history.messages.length, 22 - history.removedMessages);
  });

  it('refuses a new question, Ask again and Retry with the strong model before asking while no provider is usable: nothing sent, every question kept', async () => {
    // A local server and no key (env {}): removing the server's setting leaves no provider at all.
    const localServer = (baseUrl?: string) => resolveConfig({ providers: { openai: baseUrl ? { baseUrl } : {} }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config;
    switchboard = await Switchboard.create({ config: localServer(`${fake.url}/v1`), source: 'bench', env: {}, ledgerPath: path.join(dir, 'no-provider.jsonl') });
    opened.push(switchboard);
    const { session: chat, transcript } = session();
    fake.script({ text: 'Press Esc, then :q.' }, { status: 400, errorMessage: 'unsupported parameter' }, { status: 400, errorMessage: 'unsupported parameter' });
    await chat.send('How do I quit vim?', []);
    const cheap = posted.find((message) => message.type === 'done');
    assert.ok(cheap?.type === 'done' && cheap.footer.recordId, 'an Auto cheap-tier answer, which offers Retry with the strong model');
    await chat.send('And emacs?', []);
    const failed = posted.at(-1);
    assert.ok(failed?.type === 'error' && failed.retryable, `a failed answer, which offers Ask again: ${JSON.stringify(failed)}`);
    const asked = fake.requests.length;
    const kept = transcript.historyMessage().messages;

    await switchboard.reconfigure(localServer());
    assert.equal(switchboard.registry.anyUsable(), false);
    posted = [];
    await chat.askAgain();
    await chat.retry(cheap.footer.recordId);
    await chat.send('And nano?', []);
    assert.equal(fake.requests.length, asked, 'nothing reached a server');
    // Not the router's error naming every model of the route: the page shows its notice, and a typed question comes back.
    assert.deepEqual(posted, [{ type: 'notSent' }, { type: 'notSent' }, { type: 'notSent', text: 'And nano?' }]);
    assert.deepEqual(transcript.historyMessage().messages, kept, 'nothing added to the conversation, the failed answer still last');

    // Once a provider is back, Ask again asks the kept question.
    await switchboard.reconfigure(localServer(`${fake.url}/v1`));
    fake.script({ text: 'C-x C-c.' });
    await chat.askAgain();
    assert.equal(fake.requests.length, asked + 1);
    assert.match(JSON.stringify(fake.requests.at(-1)!.body), /And emacs\?/);
    assert.equal(transcript.historyMessage().messages.at(-1)?.text, 'C-x C-c.');
  });

  it('refuses every question while the host says why (Restricted Mode): nothing sent, nothing kept', async () => {
    const transcript = new Conversations(state, (message) => warnings.push(message)).current;
    const log = { info: () => undefined, warn: (message: string) => warnings.push(message) };
    const chat = new ChatSession({ switchboard, transcript, post: (message) => posted.push(message), log, refusal: () => 'This workspace is in Restricted Mode.' });
    await chat.send('Summarise this repository', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(posted.map((message) => message.type), ['error']);
    assert.equal(posted[0]?.type === 'error' && posted[0].message, 'This workspace is in Restricted Mode.');
    assert.deepEqual(transcript.turns(), [], 'the question and its attachment are not kept either');
  });

  it('retries an Auto cheap-tier answer on the strong tier: same question and code, the conversation as it was, linked in the ledger', async () => {
    await switchboard.reconfigure(resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config);
    const { session: chat } = session();
    fake.script({ text: 'Press Esc, then :q.' }, { text: 'The strong answer.' }, { text: 'And again.' });
    await chat.send('How do I quit from this?', [attachment('notes.txt', 'plaintext', 'vim notes')]);
    const first = posted.find((message) => message.type === 'done');
    assert.ok(first?.type === 'done');
    assert.deepEqual([first.footer.routing?.mode, first.footer.routing?.tier], ['auto', 'cheap']);
    assert.equal((fake.requests[0]!.body as { model: string }).model, 'gpt-5.4-mini', 'the cheap tier: the built-in cheap model of the route\'s provider');
    const recordId = first.footer.recordId!;

    await chat.retry(recordId);
    const retried = fake.requests[1]!.body as { model: string; messages: ChatMessage[] };
    assert.equal(retried.model, 'gpt-5.4');
    assert.deepEqual(retried.messages.slice(1), sentMessages(0).slice(1), 'the same question, attachment included, with nothing after it');
    const start = posted.filter((message) => message.type === 'start').at(-1);
    assert.ok(start?.type === 'start');
    assert.deepEqual(start.attachments.map((chip) => chip.label), ['notes.txt', 'Retry with the strong model']);
    const done = posted.filter((message) => message.type === 'done').at(-1);
    assert.ok(done?.type === 'done');
    assert.deepEqual(done.footer.routing, { mode: 'retry', tier: 'strong', reasons: ['asked again on the strong tier'] });
    await switchboard.ledger.flush();
    const { records } = await switchboard.ledger.read();
    assert.equal(records.at(-1)!.retryOf, recordId);

    // After a reload the question is still in the conversation, so the answer can still be retried.
    const reloaded = session().session;
    await reloaded.retry(recordId);
    assert.equal((fake.requests[2]!.body as { model: string }).model, 'gpt-5.4');
    await reloaded.retry('no-such-answer');
    const refused = posted.at(-1);
    assert.ok(refused?.type === 'error');
    assert.match(refused.message, /no longer in this conversation/);
  });

  it('marks the retry of an unpriced cheap-tier answer in the ledger, so the saving leaves the pair out', async () => {
    const raw = { providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true, cheapRoutes: { chat: ['openai:house-model-x'] } } };
    await switchboard.reconfigure(resolveConfig(raw).config);
    const { session: chat } = session();
    fake.script({ text: 'Press Esc, then :q.' }, { text: 'The strong answer.' });
    await chat.send('How do I quit vim?', []);
    const first = posted.find((message) => message.type === 'done');
    assert.ok(first?.type === 'done');
    assert.equal(first.footer.costUsd, null, 'the cheap model has no known price');

    await chat.retry(first.footer.recordId!);
    await switchboard.ledger.flush();
    const { records } = await switchboard.ledger.read();
    assert.deepEqual([records.at(-1)!.retryOf, records.at(-1)!.retryOfUnpriced], [first.footer.recordId, true]);
  });

  it('marks the retry of an answer a failed strong tier handed over to the cheap tier, so the saving leaves the pair out', async () => {
    const raw = { providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } };
    await switchboard.reconfigure(resolveConfig(raw).config);
    const { session: chat } = session();
    const design =
      'Design a rate limiter for our public API: 10k customers, per-customer limits, 5 API servers behind a load balancer, Redis available. ' +
      'Compare token bucket and sliding window for this case, and say what happens when Redis fails over.';
    fake.script({ status: 503 }, { text: 'A cheap answer.' }, { text: 'The strong answer.' });
    await chat.send(design, []);
    const first = posted.find((message) => message.type === 'done');
    assert.ok(first?.type === 'done');
    assert.deepEqual([first.footer.routing?.tier, first.footer.routing?.handedOverFrom], ['cheap', 'strong']);

    await chat.retry(first.footer.recordId!);
    await switchboard.ledger.flush();
    const { records } = await switchboard.ledger.read();
    assert.deepEqual([records.at(-1)!.retryOf, records.at(-1)!.retryOfHandedOver, records.at(-1)!.retryOfUnpriced], [first.footer.recordId, true, undefined]);
  });

  it("offers to ask again an error after Auto handed the question over past the cheap tier's provider budget", async () => {
    const anthropic = await startFakeAnthropic();
    try {
      const raw = {
        providers: { openai: { baseUrl: `${fake.url}/v1` }, anthropic: { baseUrl: anthropic.url } },
        routes: { chat: ['openai:gpt-5.4'] },
        auto: { enabled: true, cheapRoutes: { chat: ['anthropic:claude-haiku-4-5'] } },
        budget: { action: 'block', providers: { anthropic: { dailyUsd: 0.5 } } },
      };
      switchboard = await Switchboard.create({ config: resolveConfig(raw).config, source: 'bench', env: { OPENAI_API_KEY: 'test', ANTHROPIC_API_KEY: 'test' }, ledgerPath: path.join(dir, 'ledger-budget.jsonl') });
      opened.push(switchboard);
      switchboard.spend.add(record({ time: new Date().toISOString(), provider: 'anthropic', model: 'claude-haiku-4-5', costUsd: 0.5 }));
      const { session: chat } = session();
      fake.script({ status: 503 });
      await chat.send('How do I quit vim?', []);

      const error = posted.find((message) => message.type === 'error');
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
    await switchboard.reconfigure(resolveConfig({ providers: { openai: { baseUrl: `${fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config);
    const { session: chat } = session();
    fake.script({ status: 503 }, { text: 'The strong answer.' });
    await chat.send('How do I quit vim?', []);
    const done = posted.find((message) => message.type === 'done');
    assert.ok(done?.type === 'done');
    assert.equal(done.footer.model, 'openai:gpt-5.4');
    assert.equal(done.footer.fellBack, true);
    const routing = done.footer.routing!;
    assert.deepEqual([routing.mode, routing.tier], ['auto', 'strong']);
    assert.equal(routing.reasons[0], 'handed over from the cheap tier: its models failed before answering');
    assert.ok(routing.reasons.length > 1, 'the reasons Auto picked the cheap tier follow');
    assert.deepEqual(fake.requests.map((request) => (request.body as { model: string }).model), ['gpt-5.4-mini', 'gpt-5.4']);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
