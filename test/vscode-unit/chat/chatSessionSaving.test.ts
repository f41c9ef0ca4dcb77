import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { attachment } from '../../../src/core/prompts/attachments';
import { ChatSession } from '../../../src/vscode/chat/chatSession';
import { SAVE_ANSWER_EVERY_MS } from '../../../src/vscode/chat/streamingAnswer';
import { WINDOW_CLOSED_MESSAGE } from '../../../src/vscode/chat/chatTranscript';
import { Conversations } from '../../../src/vscode/chat/conversations';
import { AnswerDrafts } from '../../../src/vscode/chat/answerDrafts';
import { ManualClock } from './manualClock';
import { type MemoryMemento } from './memoryMemento';
import type { HostToWebview } from '../../../src/shared/chatProtocol';
import type { FakeReply } from '../../fakes/fakeServer';
import { CODE, useChatSessionFixture } from './chatSessionFixture';

describe('chat session (the panel host without VS Code), against the fake OpenAI server', () => {
  const fixture = useChatSessionFixture();

  /** A `page` for fixture.session that resolves `arrived` once the session posts its first chunk. */
  function firstChunk(): { arrived: Promise<void>; page: (message: HostToWebview) => void } {
    let textArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (textArrived = resolve));
    return {
      arrived,
      page: (message) => {
        if (message.type === 'chunk') textArrived();
      },
    };
  }

  /** The fake's answer, held after its first chunk until `resume()` (for good, when nothing calls it). */
  function heldAfterFirstChunk(): { reply: FakeReply; resume: () => void } {
    let resume!: () => void;
    const reply = { text: 'The first half, and the rest', chunks: 2, pauseAfterChunks: 1, resumeWhen: new Promise<void>((resolve) => (resume = resolve)) };
    return { reply, resume };
  }

  /** An answer as a reload shows it after the window died mid-answer: the `text` so far, with Ask again. */
  const brokenOff = (text: string) => ({ role: 'assistant', text, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } });

  it('records an answer cut short by the window closing (Switchboard disposed mid-answer) as cancelled, with what streamed, before the last flush', async () => {
    const { arrived, page } = firstChunk();
    const { session: chat, transcript } = fixture.session(page);
    const before = (await fixture.switchboard.ledger.read()).records.length;
    // Held after its first piece until the client leaves.
    fixture.fake.script(heldAfterFirstChunk().reply);
    const asked = chat.send('A long question', []);
    await arrived;
    const closing = fixture.opened.pop()!;
    assert.equal(closing, fixture.switchboard);
    // As VS Code shuts an extension down: deactivate (Switchboard.dispose begins Router.stopAll), then its subscriptions (the panel's host).
    const disposed = fixture.switchboard.dispose();
    chat.dispose();
    // What the state holds if the window dies before the cancelled answer's own save.
    const savedAtDispose = fixture.state.snapshot();
    await disposed;
    await asked;

    const records = (await fixture.switchboard.ledger.read()).records.slice(before);
    assert.equal(records.length, 1, 'the request is in the ledger once the window has closed');
    assert.equal(records[0]!.outcome, 'cancelled');
    assert.ok(records[0]!.usage.outputTokens > 0, 'what streamed is counted');
    const streamed = fixture.posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
    assert.ok(streamed.length > 0 && streamed.length < 'The first half, and the rest'.length);

    // After the reload: the question, what streamed, broken off with Ask again; and, once the cancel was saved too, what it cost.
    const atDispose = fixture.session(undefined, { memento: savedAtDispose }).transcript.historyMessage().messages;
    assert.deepEqual(atDispose, [
      { role: 'user', text: 'A long question', attachments: [] },
      { role: 'assistant', text: streamed, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } },
    ]);
    const last = fixture.session().transcript.historyMessage().messages.at(-1);
    assert.ok(last?.role === 'assistant');
    assert.equal(last.text, streamed);
    assert.deepEqual(last.error, { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true });
    assert.equal(last.footer?.stopped, undefined, 'not stopped by the user');
    assert.equal(last.footer?.costUsd, records[0]!.costUsd);
    assert.equal(transcript.totalCostUsd(), records[0]!.costUsd);
  });

  it('keeps the question as soon as it is sent and the answer so far every second: a window that dies mid-answer comes back with both, and Ask again asks the question', async () => {
    const clock = new ManualClock();
    const { arrived, page } = firstChunk();
    const { session: chat, transcript } = fixture.session(page, { clock });
    const { reply, resume } = heldAfterFirstChunk();
    fixture.fake.script(reply, { text: 'The whole answer.' });
    const asked = chat.send('What does this do?', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    await arrived;
    const question = { role: 'user', text: 'What does this do?', attachments: [{ label: 'src/inventory.ts:1-1' }] };
    const reloadedFrom = (memento: MemoryMemento) => fixture.session(undefined, { memento }).transcript.historyMessage().messages;

    // Text has streamed, and no second has passed: the question is kept, the text not yet.
    assert.deepEqual(reloadedFrom(fixture.state.snapshot()), [question, brokenOff('')]);
    clock.advanceTo(SAVE_ANSWER_EVERY_MS - 1);
    assert.deepEqual(reloadedFrom(fixture.state.snapshot()), [question, brokenOff('')], 'not saved per chunk');
    clock.advanceTo(SAVE_ANSWER_EVERY_MS);
    const streamed = fixture.posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
    assert.ok(streamed.length > 0);
    const diedMidAnswer = fixture.state.snapshot();
    assert.deepEqual(reloadedFrom(diedMidAnswer), [question, brokenOff(streamed)]);
    assert.equal(clock.pending, 0, 'no save waits while no new text came');

    // The answer ends: the live conversation has it whole, not broken off.
    resume();
    await asked;
    const ended = transcript.historyMessage().messages;
    assert.equal(ended.length, 2);
    assert.equal(ended[1]!.text, 'The first half, and the rest');
    assert.ok(ended[1]!.role === 'assistant' && ended[1]!.error === undefined && ended[1]!.footer !== undefined);
    assert.deepEqual(fixture.session().transcript.historyMessage().messages, ended, 'and stored so');
    assert.equal(clock.pending, 0, 'no save left waiting');

    // The window that died mid-answer: Ask again sends the same question and code.
    const reloaded = fixture.session(undefined, { memento: diedMidAnswer }).session;
    await reloaded.askAgain();
    assert.equal(fixture.fake.requests.length, 2);
    assert.deepEqual(fixture.sentMessages(1).slice(1), fixture.sentMessages(0).slice(1));
  });

  describe('with a storage folder: the answer so far goes to a draft file, not to workspace state', () => {
    let folder: string;
    let copies = 0;
    const draftsIn = (where: string) => new AnswerDrafts(where, (message) => fixture.warnings.push(message));
    /** What a window that died now would leave on disk: the draft folder as it is, copied. */
    const copyFolder = () => {
      const copy = path.join(fixture.dir, `drafts-copy-${++copies}`);
      if (existsSync(folder)) cpSync(folder, copy, { recursive: true });
      return copy;
    };
    beforeEach(() => {
      folder = path.join(fixture.dir, `drafts-${++copies}`);
    });

    it('saves each second only the draft: a window that dies mid-answer comes back with the question and what streamed, and the draft goes once the answer is whole', async () => {
      const clock = new ManualClock();
      const drafts = draftsIn(folder);
      const { arrived, page } = firstChunk();
      const { session: chat, transcript } = fixture.session(page, { clock, drafts });
      const { reply, resume } = heldAfterFirstChunk();
      fixture.fake.script(reply);
      const asked = chat.send('What does this do?', []);
      await arrived;
      const question = { role: 'user', text: 'What does this do?', attachments: [] };
      const reloadedFrom = (memento: MemoryMemento, where: string) => fixture.session(undefined, { memento, drafts: draftsIn(where) }).transcript.historyMessage().messages;

      const updatesBefore = fixture.state.sentChars.length;
      clock.advanceTo(SAVE_ANSWER_EVERY_MS);
      await drafts.idle();
      assert.equal(fixture.state.sentChars.length, updatesBefore, 'the save while streaming sends nothing to the workbench');
      const streamed = fixture.posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
      assert.ok(streamed.length > 0);
      assert.deepEqual(reloadedFrom(fixture.state.snapshot(), copyFolder()), [question, brokenOff(streamed)]);

      resume();
      await asked;
      await drafts.idle();
      const ended = transcript.historyMessage().messages;
      assert.equal(ended[1]!.text, 'The first half, and the rest');
      assert.ok(ended[1]!.role === 'assistant' && ended[1]!.error === undefined);
      assert.deepEqual(readdirSync(folder), [], 'the draft went once the answer was saved whole');
      assert.deepEqual(reloadedFrom(fixture.state.snapshot(), folder), ended);
      assert.deepEqual(fixture.warnings, []);
    });

    it('writes the answer so far before the panel host goes (window closing), so a reload shows it broken off with Ask again', async () => {
      const drafts = draftsIn(folder);
      const { arrived, page } = firstChunk();
      const { session: chat } = fixture.session(page, { drafts });
      fixture.fake.script(heldAfterFirstChunk().reply);
      const asked = chat.send('A long question', []);
      await arrived;
      chat.dispose();
      // Copied at once: the window may die before any promise runs.
      const atDispose = copyFolder();
      const savedAtDispose = fixture.state.snapshot();
      await asked;
      await drafts.idle();
      const streamed = fixture.posted.flatMap((message) => (message.type === 'chunk' ? [message.text] : [])).join('');
      assert.ok(streamed.length > 0);
      const reloaded = fixture.session(undefined, { memento: savedAtDispose, drafts: draftsIn(atDispose) });
      assert.deepEqual(reloaded.transcript.historyMessage().messages.at(-1), { role: 'assistant', text: streamed, error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } });
      await reloaded.session.askAgain();
      assert.equal(fixture.fake.requests.length, 2, 'Ask again asks the question');
    });

    it('never takes a draft left behind by an earlier answer for a later one', async () => {
      const drafts = draftsIn(folder);
      const conversations = new Conversations(fixture.state, (message) => fixture.warnings.push(message), Date.now, drafts);
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
      const messages = new Conversations(fixture.state.snapshot(), (message) => fixture.warnings.push(message), Date.now, draftsIn(stale)).current.historyMessage().messages;
      assert.deepEqual(messages.map((message) => message.text), ['First', 'The first answer, whole.', 'Second', '']);
    });
  });

  it('leaves a conversation deleted while its answer streams deleted: neither the answer so far nor its end brings it back', async () => {
    const clock = new ManualClock();
    const { arrived, page } = firstChunk();
    const conversations = new Conversations(fixture.state, (message) => fixture.warnings.push(message));
    const log = { info: () => undefined, warn: (message: string) => fixture.warnings.push(message) };
    const chat = new ChatSession({
      switchboard: fixture.switchboard,
      transcript: conversations.current,
      log,
      clock,
      post: (message) => {
        fixture.posted.push(message);
        page(message);
      },
    });
    const { reply, resume } = heldAfterFirstChunk();
    fixture.fake.script(reply);
    const asked = chat.send('A question to forget', []);
    await arrived;
    const id = conversations.currentId;
    assert.deepEqual(conversations.list().map((summary) => summary.id), [id], 'listed once the question was saved');
    await conversations.delete(id);
    clock.advanceTo(SAVE_ANSWER_EVERY_MS);
    resume();
    await asked;

    assert.deepEqual(conversations.list(), []);
    assert.equal(fixture.state.get(`switchboard.chat.conversation.${id}`), undefined);
    assert.deepEqual(new Conversations(fixture.state, (message) => fixture.warnings.push(message)).list(), [], 'nor after a reload');
  });

  it('ends the answer in the panel, and says so in the log, when the conversation cannot be saved', async () => {
    const { session: chat } = fixture.session();
    fixture.state.failWrites = new Error('SQLITE_FULL: database or disk is full');
    fixture.fake.script({ text: 'An answer the panel must still finish.' });
    await chat.send('A question', []);
    const done = fixture.posted.find((message) => message.type === 'done');
    assert.ok(done, 'the panel is told the answer ended (it kept waiting before)');
    assert.ok(fixture.warnings.some((warning) => warning.includes('could not save the conversation') && warning.includes('SQLITE_FULL')), fixture.warnings.join('\n'));
    fixture.state.failWrites = undefined;
    fixture.fake.script({ text: 'Saved this time.' });
    await chat.send('Again', []);
    assert.equal(new Conversations(fixture.state, (message) => fixture.warnings.push(message)).current.historyMessage().messages.at(-1)?.text, 'Saved this time.');
  });

  it('keeps an answer the user stopped as stopped, not broken off', async () => {
    const { session: chat, transcript } = fixture.session((message, chat) => {
      if (message.type === 'chunk') chat.stop();
    });
    fixture.fake.script(heldAfterFirstChunk().reply);
    await chat.send('A long question', []);
    const last = transcript.historyMessage().messages.at(-1);
    assert.ok(last?.role === 'assistant');
    assert.equal(last.footer?.stopped, true);
    assert.equal(last.error, undefined);
    assert.equal(fixture.posted.some((message) => message.type === 'error'), false);
  });
});
