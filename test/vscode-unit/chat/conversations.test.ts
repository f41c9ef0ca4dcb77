import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Conversations, LEGACY_HISTORY_KEY, MAX_CONVERSATIONS, UNTITLED } from '../../../src/vscode/chat/conversations';
import { conversationRow } from '../../../src/vscode/chat/conversationRows';
import { MemoryMemento } from './memoryMemento';
import { AnswerDrafts, ORPHAN_DRAFT_MS } from '../../../src/vscode/chat/answerDrafts';
import { endedPid } from '../../core/ledger/fixtures';
import { WINDOW_CLOSED_MESSAGE } from '../../../src/vscode/chat/chatTranscript';

const FOOTER = { model: 'openai:gpt-5.4', requestedModel: 'openai:gpt-5.4', fellBack: false, inputTokens: 10, outputTokens: 5, costUsd: 0.25, latencyMs: 400, estimated: false };

describe('chat conversations (kept in workspace state)', () => {
  let state: MemoryMemento;
  let warnings: string[];
  let clock: number;
  const open = () => new Conversations(state, (message) => warnings.push(message), () => clock++);

  beforeEach(() => {
    state = new MemoryMemento();
    warnings = [];
    clock = 1_000;
  });

  async function talk(conversations: Conversations, question: string, answer = 'An answer.'): Promise<void> {
    conversations.current.addQuestion(question, []);
    conversations.current.addAnswer({ role: 'assistant', text: answer, footer: FOOTER });
    await conversations.current.save();
  }

  it('lists a conversation once something is said, named after its first question, with its size and cost', async () => {
    const conversations = open();
    assert.deepEqual(conversations.list(), [], 'an empty conversation is not listed');
    await talk(conversations, 'How do I sort numbers\nin place?');
    await talk(conversations, 'And strings?');
    const [only] = conversations.list();
    assert.equal(conversations.list().length, 1);
    assert.equal(only!.title, 'How do I sort numbers in place?');
    assert.equal(only!.messages, 4);
    assert.equal(only!.costUsd, 0.5);
    assert.equal(conversations.currentTitle, 'How do I sort numbers in place?');
  });

  it('lists a title that spells icons ($(check), from a question or a plan the model titled) as text, not as codicons', async () => {
    const conversations = open();
    await talk(conversations, "Let's continue from $(check) Plan $(loading~spin) approved.");
    const [only] = conversations.list();
    const row = conversationRow(only!, conversations.currentId);
    // VS Code draws every `$(name)` not preceded by a backslash in a quick pick's label as an icon.
    assert.deepEqual(row.label.match(/(?<!\\)\$\([\w~-]+\)/g), ['$(comment-discussion)'], row.label);
    assert.equal(row.label, "$(comment-discussion) Let's continue from \\$(check) Plan \\$(loading~spin) approved.");
    assert.equal(conversationRow(only!, undefined).label, "Let's continue from \\$(check) Plan \\$(loading~spin) approved.");
  });

  it('starts a new conversation while the old one stays listed, and opens either again after a reload', async () => {
    const first = open();
    await talk(first, 'First question');
    const firstId = first.currentId;
    await first.startNew();
    assert.equal(first.current.messageCount, 0);
    assert.equal(first.currentTitle, UNTITLED);
    await talk(first, 'Second question');

    const reloaded = open();
    assert.deepEqual(reloaded.list().map((c) => c.title), ['Second question', 'First question'], 'most recently used first');
    assert.equal(reloaded.currentTitle, 'Second question', 'the conversation shown before the reload');
    assert.equal(await reloaded.open(firstId), true);
    assert.deepEqual(reloaded.current.turns().map((turn) => turn.text), ['First question', 'An answer.']);
    assert.equal(await reloaded.open('no-such-id'), false);
  });

  it('renames a conversation, and a later question no longer renames it', async () => {
    const conversations = open();
    await talk(conversations, 'A long and rambling first question');
    await conversations.rename(conversations.currentId, '  Sorting   notes ');
    await talk(conversations, 'Another question');
    assert.equal(open().list()[0]!.title, 'Sorting notes');
  });

  it('deletes a conversation and its messages; deleting the shown one shows the most recent other', async () => {
    const conversations = open();
    await talk(conversations, 'Keep me');
    const kept = conversations.currentId;
    await conversations.startNew();
    await talk(conversations, 'Delete me');
    const doomed = conversations.currentId;
    await conversations.delete(doomed);
    assert.equal(conversations.currentId, kept);
    assert.deepEqual(conversations.list().map((c) => c.title), ['Keep me']);
    assert.ok(!state.keys().some((key) => key.endsWith(doomed)), 'its messages are gone from workspace state');
    await conversations.delete(kept);
    assert.deepEqual(conversations.list(), []);
    assert.equal(conversations.current.messageCount, 0, 'an empty conversation is shown');
  });

  it(`keeps at most ${MAX_CONVERSATIONS} conversations: a new one forgets the least recently used, messages and all`, async () => {
    const conversations = open();
    const ids: string[] = [];
    for (let i = 0; i < MAX_CONVERSATIONS; i++) {
      if (i > 0) await conversations.startNew();
      await talk(conversations, `Question ${i}`);
      ids.push(conversations.currentId);
    }
    // The first conversation was used again lately: the second is now the least recently used.
    assert.equal(await conversations.open(ids[0]!), true);
    await talk(conversations, 'Back to the first');
    const storedBefore = state.keys().length;

    await conversations.startNew();
    await talk(conversations, 'One more');
    const titles = open().list().map((c) => c.title);
    assert.equal(titles.length, MAX_CONVERSATIONS);
    assert.ok(!titles.includes('Question 1'), 'the least recently used went');
    assert.ok(titles.includes('Question 0') && titles.includes('One more'));
    assert.equal(state.get(`switchboard.chat.conversation.${ids[1]}`), undefined, 'its messages went too');
    assert.equal(state.keys().length, storedBefore, 'one conversation in, one out');
  });

  it('moves the single conversation older versions kept into the list, then forgets the old key', async () => {
    await state.update(LEGACY_HISTORY_KEY, [
      { role: 'user', text: 'An old question', attachments: [{ label: 'src/old.ts' }], prompt: 'Attached src/old.ts:\n```ts\nx\n```\n\nAn old question' },
      { role: 'assistant', text: 'An old answer', footer: FOOTER },
    ]);
    const conversations = open();
    assert.equal(conversations.current.turns()[0]!.text, 'Attached src/old.ts:\n```ts\nx\n```\n\nAn old question', 'the prompt with the attached code is kept');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(conversations.list().map((c) => [c.title, c.messages, c.costUsd]), [['An old question', 2, 0.25]]);
    assert.equal(state.get(LEGACY_HISTORY_KEY), undefined);
    assert.equal(open().current.turns().length, 2, 'and it survives a reload');
    assert.deepEqual(warnings, []);
  });

  it('validates what it loads: malformed list entries and messages are left out and named, the rest kept', async () => {
    const conversations = open();
    await talk(conversations, 'A good one');
    const id = conversations.currentId;
    const index = state.get<{ v: 1; current: string; list: unknown[] }>('switchboard.chat.conversations')!;
    await state.update('switchboard.chat.conversations', { ...index, list: [...index.list, { id: '../../etc', title: 7 }, 'nonsense'] });
    await state.update(`switchboard.chat.conversation.${id}`, [{ role: 'user', text: 'A good one', attachments: [] }, { role: 'wizard' }, { role: 'assistant', text: 'kept' }]);

    const reloaded = open();
    assert.deepEqual(reloaded.list().map((c) => c.id), [id]);
    assert.deepEqual(reloaded.current.turns().map((turn) => turn.text), ['A good one', 'kept']);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings.join('\n'), /left out 1 malformed message/);

    await state.update('switchboard.chat.conversations', 'not an index');
    warnings = [];
    assert.deepEqual(open().list(), []);
    assert.match(warnings[0] ?? '', /conversation list has an unexpected shape/);
  });

  describe('with answer drafts in the storage folder', () => {
    let root: string;
    const drafts = () => new AnswerDrafts(path.join(root, 'chat-drafts'), (message) => warnings.push(message));
    const openWithDrafts = () => new Conversations(state, (message) => warnings.push(message), () => clock++, drafts());
    beforeEach(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'switchboard-conversations-'));
    });
    afterEach(async () => {
      await rm(root, { recursive: true, force: true });
    });

    it('loads what an earlier version stored mid-answer (the answer so far in workspace state) as it was', async () => {
      const older = open();
      older.current.addQuestion('Asked before the upgrade', []);
      older.current.answerSoFar('What had streamed');
      await older.current.save();
      const upgraded = openWithDrafts();
      assert.deepEqual(upgraded.list().map((c) => c.title), ['Asked before the upgrade']);
      assert.deepEqual(upgraded.current.historyMessage().messages.at(-1), { role: 'assistant', text: 'What had streamed', error: { message: WINDOW_CLOSED_MESSAGE, attempts: [], retryable: true } });
      assert.deepEqual(warnings, []);
    });

    it('folds a draft left by a crash into its conversation on load, and removes the file on the next save', async () => {
      const conversations = openWithDrafts();
      conversations.current.addQuestion('A question', []);
      conversations.current.answerSoFar('');
      await conversations.current.save();
      conversations.current.answerSoFar('Streamed before the crash');
      await conversations.current.saveAnswerSoFar();
      const id = conversations.currentId;
      assert.ok(existsSync(path.join(root, 'chat-drafts', `${id}.json`)));

      const reloaded = openWithDrafts();
      assert.deepEqual(reloaded.current.historyMessage().messages.map((message) => message.text), ['A question', 'Streamed before the crash']);
      await talk(reloaded, 'Next question');
      assert.equal(existsSync(path.join(root, 'chat-drafts', `${id}.json`)), false);
      assert.deepEqual(openWithDrafts().current.turns().map((turn) => turn.text), ['A question', 'Streamed before the crash', 'Next question', 'An answer.']);
    });

    it('makes a save while streaming cost the answer, not the history: 50 conversations of 20 KB send nothing more to the workbench', async () => {
      const history = openWithDrafts();
      for (let index = 0; index < 50; index++) {
        await history.startNew();
        await talk(history, `Question ${index}`, 'y'.repeat(20_000));
      }
      await history.startNew();
      const transcript = history.current;
      transcript.addQuestion('A new question', []);
      transcript.answerSoFar('');
      await transcript.save();
      const answerSoFar = 'z'.repeat(2_000);
      transcript.answerSoFar(answerSoFar);

      // Without a storage folder the whole state goes, as before drafts: over a megabyte per second of streaming.
      const sends = state.sentChars.length;
      await new Conversations(state, () => undefined, () => clock++).current.save();
      const wholeState = state.sentChars.slice(sends).reduce((sum, chars) => sum + chars, 0);
      assert.ok(wholeState > 50 * 20_000, `${wholeState}`);

      const before = state.sentChars.length;
      await transcript.saveAnswerSoFar();
      assert.equal(state.sentChars.length, before, 'nothing sent to the workbench');
      const draft = path.join(root, 'chat-drafts', `${history.currentId}.json`);
      const { size } = await stat(draft);
      assert.ok(size > answerSoFar.length && size < answerSoFar.length + 100, `${size}`);
    });

    it('sweeps at load the temporary files crashes left and the old drafts of conversations no longer listed, only its own names', async () => {
      const conversations = openWithDrafts();
      await talk(conversations, 'Listed');
      const listed = conversations.currentId;
      const folder = path.join(root, 'chat-drafts');
      await mkdir(folder, { recursive: true });
      const dead = await endedPid();
      const put = async (name: string, oldMs: number): Promise<void> => {
        await writeFile(path.join(folder, name), '{"v":1,"position":1,"text":"x"}');
        const then = new Date(Date.now() - oldMs);
        await utimes(path.join(folder, name), then, then);
      };
      const long = ORPHAN_DRAFT_MS + 60_000;
      await put(`${listed}.json`, long); // a crash's draft of a listed conversation: folded in when it opens
      await put(`${listed}.json.${dead}.3.tmp`, 0); // a crash between write and rename: its writer is gone
      await put(`${listed}.closing.json.${process.pid}.4.tmp`, long); // untouched for an hour
      await put(`${listed}.closing.json.${process.pid}.5.tmp`, 0); // a write of this process under way
      await put('cdropped1.json', long); // a conversation dropped from a corrupt list
      await put('cdropped1.closing.json', long);
      await put('cstreaming.json', 0); // recent: perhaps another window's answer streaming now
      await put('notes.txt', long); // not a name drafts make
      const drafts = new AnswerDrafts(folder, (message) => warnings.push(message));
      const reloaded = new Conversations(state, (message) => warnings.push(message), Date.now, drafts);
      assert.equal(reloaded.currentId, listed);
      await drafts.idle();
      assert.deepEqual((await readdir(folder)).sort(), [`${listed}.closing.json.${process.pid}.5.tmp`, `${listed}.json`, 'cstreaming.json', 'notes.txt']);
      assert.deepEqual(warnings, []);
    });

    it('deletes a conversation with its draft: nothing of it comes back after a reload', async () => {
      const conversations = openWithDrafts();
      conversations.current.addQuestion('To be deleted', []);
      conversations.current.answerSoFar('');
      await conversations.current.save();
      conversations.current.answerSoFar('Some text');
      await conversations.current.saveAnswerSoFar();
      const id = conversations.currentId;
      const streaming = conversations.current;
      await conversations.delete(id);
      // The answer still streams into the deleted conversation: its next save writes nothing.
      streaming.answerSoFar('More text');
      await streaming.saveAnswerSoFar();
      assert.equal(existsSync(path.join(root, 'chat-drafts', `${id}.json`)), false);
      assert.deepEqual(openWithDrafts().list(), []);
    });
  });
});
