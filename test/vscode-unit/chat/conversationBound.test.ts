import assert from 'node:assert/strict';
import { MAX_CONVERSATION_CHARS, oldestToRemove, TRIMMED_CONVERSATION_CHARS } from '../../../src/vscode/chat/conversationBound';
import { Conversations } from '../../../src/vscode/chat/conversations';
import { MemoryMemento } from './memoryMemento';

const FOOTER = { model: 'openai:gpt-5.4', requestedModel: 'openai:gpt-5.4', fellBack: false, inputTokens: 10, outputTokens: 5, costUsd: 0.25, latencyMs: 400, estimated: false };
/** About a tenth of the bound: eleven exchanges of these outgrow it. */
const LONG_ANSWER = 'x'.repeat(MAX_CONVERSATION_CHARS / 10);

describe('a conversation kept within its bound in workspace state', () => {
  const user = { role: 'user' as const };
  const assistant = { role: 'assistant' as const };

  it('removes nothing while the conversation fits', () => {
    assert.equal(oldestToRemove([user, assistant], [MAX_CONVERSATION_CHARS / 2, MAX_CONVERSATION_CHARS / 2]), 0);
  });

  it('past the bound, removes whole exchanges from the oldest until the rest is within the trimmed size', () => {
    const tenth = MAX_CONVERSATION_CHARS / 10;
    // Six exchanges of question + answer (a tenth of the bound each, the second answered twice: a retry),
    // and a last answer of half the bound: 1.1 times the bound.
    const entries = [user, assistant, user, assistant, assistant, user, assistant, user, assistant, user, assistant, user, assistant];
    const sizes = [1, tenth, 1, tenth, tenth, 1, tenth, 1, tenth, 1, tenth, 1, tenth * 5];
    const removed = oldestToRemove(entries, sizes);
    assert.equal(removed, 7, 'the first three exchanges, the retried one with both its answers');
    assert.equal(entries[removed], user, 'what stays starts with a question');
    const kept = sizes.slice(removed).reduce((a, b) => a + b, 0);
    assert.ok(kept <= TRIMMED_CONVERSATION_CHARS, `${kept} characters kept`);
  });

  it('counts the answer streaming now, and never removes the last question, however long it is', () => {
    assert.equal(oldestToRemove([user, assistant, user], [1, 1, 1], MAX_CONVERSATION_CHARS), 2);
    assert.equal(oldestToRemove([user, assistant], [MAX_CONVERSATION_CHARS * 2, 1]), 0);
    assert.equal(oldestToRemove([user, assistant, user, assistant], [MAX_CONVERSATION_CHARS, 1, MAX_CONVERSATION_CHARS, 1]), 2);
  });

  it('stores at most its bound, says after a reload how many of its oldest messages were removed, and keeps their cost in the total', async () => {
    const state = new MemoryMemento();
    const warnings: string[] = [];
    const conversations = new Conversations(state, (message) => warnings.push(message));
    const transcript = conversations.current;
    let removedBySaves = 0;
    for (let i = 1; i <= 12; i++) {
      transcript.addQuestion(`question ${i}`, []);
      transcript.addAnswer({ role: 'assistant', text: LONG_ANSWER, footer: FOOTER });
      removedBySaves += await transcript.save();
      const stored = JSON.stringify(state.get(`switchboard.chat.conversation.${conversations.currentId}`));
      assert.ok(stored.length <= MAX_CONVERSATION_CHARS, `after question ${i}: ${stored.length} characters stored`);
    }
    assert.ok(removedBySaves > 0);
    assert.equal(transcript.removedMessages, removedBySaves);
    assert.equal(transcript.totalCostUsd(), 12 * 0.25, 'what removed answers cost still counts');

    const reloaded = new Conversations(state, (message) => warnings.push(message));
    const history = reloaded.current.historyMessage();
    assert.equal(history.removedMessages, removedBySaves);
    assert.equal(history.messages.length, 24 - removedBySaves);
    assert.deepEqual(history.messages[0], { role: 'user', text: `question ${removedBySaves / 2 + 1}`, attachments: [] }, 'the panel is sent what it shows, not the count');
    assert.equal(history.totalCostUsd, 3);
    assert.equal(reloaded.list()[0]!.costUsd, 3, 'the conversation list says the same');
    assert.deepEqual(
      reloaded.current.turns().slice(0, 1).map((turn) => turn.text),
      [`question ${removedBySaves / 2 + 1}`],
      'follow-ups send what is kept',
    );
    assert.deepEqual(warnings, []);
  });

  it('a conversation within its bound says nothing was removed', async () => {
    const conversations = new Conversations(new MemoryMemento(), () => undefined);
    conversations.current.addQuestion('short', []);
    conversations.current.addAnswer({ role: 'assistant', text: 'answer', footer: FOOTER });
    assert.equal(await conversations.current.save(), 0);
    assert.equal(conversations.current.historyMessage().removedMessages, undefined);
  });
});
