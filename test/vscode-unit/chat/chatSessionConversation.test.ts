import assert from 'node:assert/strict';
import { attachment } from '../../../src/core/prompts/attachments';
import { MAX_CONVERSATION_CHARS } from '../../../src/vscode/chat/conversationBound';
import { Conversations } from '../../../src/vscode/chat/conversations';
import { CODE, useChatSessionFixture } from './chatSessionFixture';

describe('chat session (the panel host without VS Code), against the fake OpenAI server', () => {
  const fixture = useChatSessionFixture();

  it('sends the attached code again with a follow-up question', async () => {
    const { session: chat } = fixture.session();
    fixture.fake.script({ text: 'It keeps the items below their reorder level.' }, { text: 'Because equal stock is still enough.' });
    await chat.send('What does this do?', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    await chat.send('Why below and not at?', []);

    assert.equal(fixture.fake.requests.length, 2);
    const followUp = fixture.sentMessages(1);
    assert.deepEqual(
      followUp.map((message) => message.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(followUp[1]!.content, `Attached src/inventory.ts:1-1:\n\`\`\`typescript\n${CODE}\n\`\`\`\n\nWhat does this do?`);
    assert.equal(followUp[2]!.content, 'It keeps the items below their reorder level.');
    assert.equal(followUp[3]!.content, 'Why below and not at?');
  });

  it('keeps the attached code across a reload, and shows the panel only the question and its chips', async () => {
    fixture.fake.script({ text: 'An answer.' }, { text: 'Another.' });
    await fixture.session().session.send('What does this do?', [attachment('src/inventory.ts', 'typescript', CODE)]);

    const reloaded = fixture.session();
    const history = reloaded.transcript.historyMessage();
    assert.equal(history.type, 'history');
    assert.deepEqual(history.messages[0], { role: 'user', text: 'What does this do?', attachments: [{ label: 'src/inventory.ts' }] });
    await reloaded.session.send('And then?', []);
    assert.match(fixture.sentMessages(1)[1]!.content, new RegExp(`Attached src/inventory\\.ts:\\n\`\`\`typescript\\n${escapeRegExp(CODE)}`));
    assert.deepEqual(fixture.warnings, []);
  });

  it('loads a history stored before prompts were kept (and before the conversation list), and sends its questions as they were shown', async () => {
    const footer = { model: 'openai:gpt-5.4', requestedModel: 'openai:gpt-5.4', fellBack: false, inputTokens: 10, outputTokens: 5, costUsd: 0.25, latencyMs: 400, estimated: false };
    await fixture.state.update('switchboard.chat.history', [
      { role: 'user', text: 'An old question', attachments: [{ label: 'src/old.ts' }] },
      { role: 'assistant', text: 'An old answer', footer },
    ]);
    const { session: chat, transcript } = fixture.session();
    assert.equal(transcript.totalCostUsd(), 0.25);
    fixture.fake.script({ text: 'A new answer.' });
    await chat.send('A new question', []);
    assert.deepEqual(
      fixture.sentMessages(0).slice(1).map((message) => message.content),
      ['An old question', 'An old answer', 'A new question'],
    );
    assert.deepEqual(fixture.warnings, []);
  });

  it('refuses a question too long for the model without sending it, and says by how much', async () => {
    const { session: chat, transcript } = fixture.session();
    // A model the price table does not know is assumed to take 128k tokens; this is about 150k.
    await chat.send('word '.repeat(120_000), [], { provider: 'openai', model: 'local-model' });
    assert.equal(fixture.fake.requests.length, 0);
    const error = fixture.posted.at(-1);
    assert.ok(error?.type === 'error', `the last message is an error, not ${error?.type}`);
    assert.match(error.message, /^This message is about [\d,]+ tokens; local-model accepts about [\d,]+ for a question/);
    assert.equal(error.partial, false);
    assert.equal(transcript.totalCostUsd(), 0);
  });

  it('leaves the oldest messages out of a conversation too long for the model, and says how many in the footer', async () => {
    // gpt-3.5-turbo takes 16,385 tokens, less the answer's 4,096: each old turn is about 7,500. (A conversation
    // kept in workspace state stays within 500,000 characters, so a 128k-token model is not the example.)
    const long = 'word '.repeat(6_000);
    await fixture.state.update('switchboard.chat.history', [
      { role: 'user', text: `first ${long}`, attachments: [] },
      { role: 'assistant', text: `first answer ${long}` },
      { role: 'user', text: 'second question', attachments: [] },
      { role: 'assistant', text: 'second answer' },
    ]);
    const { session: chat, transcript } = fixture.session();
    fixture.fake.script({ text: 'Fits now.' }, { text: 'Short.' });
    await chat.send('third question', [], { provider: 'openai', model: 'gpt-3.5-turbo' });
    assert.deepEqual(
      fixture.sentMessages(0).slice(1).map((message) => message.content.slice(0, 40)),
      ['second question', 'second answer', 'third question'],
    );
    const done = fixture.posted.find((message) => message.type === 'done');
    assert.ok(done?.type === 'done');
    assert.equal(done.footer.omittedMessages, 2);
    const stored = transcript.historyMessage().messages.at(-1);
    assert.ok(stored?.role === 'assistant');
    assert.equal(stored.footer?.omittedMessages, 2, 'kept with the answer, so a reload still shows it');

    // A conversation that fits says nothing.
    fixture.posted = [];
    await fixture.session().session.send('a new chat question', [], { provider: 'openai', model: 'gpt-5.4' });
    const fits = fixture.posted.find((message) => message.type === 'done');
    assert.ok(fits?.type === 'done');
    assert.equal(fits.footer.omittedMessages, undefined);
  });

  it('shows the conversation again, with a note of how many old messages went, when an answer took it past its bound', async () => {
    const tenth = 'x'.repeat(MAX_CONVERSATION_CHARS / 10);
    const before = new Conversations(fixture.state, (message) => fixture.warnings.push(message)).current;
    for (let i = 1; i <= 9; i++) {
      before.addQuestion(`question ${i}`, []);
      before.addAnswer({ role: 'assistant', text: tenth });
    }
    await before.save();
    const { session: chat } = fixture.session();
    fixture.fake.script({ text: 'Within the bound.' }, { text: tenth, chunks: 4 });
    await chat.send('A short one', []);
    assert.deepEqual(fixture.posted.map((message) => message.type).filter((type) => type !== 'chunk'), ['start', 'done'], 'nothing removed, nothing redrawn');

    fixture.posted = [];
    await chat.send('A question with a long answer', []);
    assert.deepEqual(fixture.posted.map((message) => message.type).filter((type) => type !== 'chunk'), ['start', 'done', 'history']);
    const history = fixture.posted.at(-1);
    assert.ok(history?.type === 'history');
    assert.ok(history.removedMessages !== undefined && history.removedMessages >= 2, `${history.removedMessages} removed`);
    assert.equal(history.messages.at(-1)?.text, tenth, 'the new answer is kept');
    assert.equal(history.messages.length, 22 - history.removedMessages);
  });
});


function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
