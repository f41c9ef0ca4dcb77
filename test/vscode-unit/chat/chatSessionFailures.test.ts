import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveConfig } from '../../../src/core/config';
import { attachment } from '../../../src/core/prompts/attachments';
import { Switchboard } from '../../../src/core/switchboard';
import { ChatSession } from '../../../src/vscode/chat/chatSession';
import { Conversations } from '../../../src/vscode/chat/conversations';
import { CODE, useChatSessionFixture } from './chatSessionFixture';

describe('chat session (the panel host without VS Code), against the fake OpenAI server', () => {
  const fixture = useChatSessionFixture();

  it('offers to ask again after an answer broke off, and asks its question (attached code included) with the conversation as it was', async () => {
    await fixture.switchboard.reconfigure(resolveConfig({ providers: { openai: { baseUrl: `${fixture.fake.url}/v1` } }, routes: { chat: ['openai:gpt-5.4', 'openai:gpt-5.4-mini'] }, auto: { enabled: false } }).config);
    const { session: chat, transcript } = fixture.session();
    fixture.fake.script({ text: 'First.' }, { text: 'Half an answer, then', chunks: 2, streamErrorAfterChunks: 1 }, { text: 'The whole answer.' });
    await chat.send('An earlier question', []);
    await chat.send('What does this do?', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    const failed = fixture.posted.find((message) => message.type === 'error');
    assert.ok(failed?.type === 'error');
    assert.equal(failed.partial, true);
    assert.equal(failed.retryable, true, 'a provider failure may pass: the panel offers Ask again');
    assert.ok(fixture.posted.at(-1)?.type === 'done', 'what the broken-off answer cost follows');

    await chat.askAgain();
    assert.equal(fixture.fake.requests.length, 3);
    assert.deepEqual(fixture.sentMessages(2).slice(1), fixture.sentMessages(1).slice(1), 'the same question and code after the same conversation, without the broken-off answer');
    const start = fixture.posted.filter((message) => message.type === 'start').at(-1);
    assert.ok(start?.type === 'start');
    assert.deepEqual([start.userText, start.attachments], ['What does this do?', [{ label: 'src/inventory.ts:1-1' }]]);
    assert.equal(transcript.historyMessage().messages.at(-1)?.text, 'The whole answer.');

    // The last answer did not fail: nothing is asked.
    await chat.askAgain();
    assert.equal(fixture.fake.requests.length, 3);
    const refused = fixture.posted.at(-1);
    assert.ok(refused?.type === 'error');
    assert.match(refused.message, /nothing to ask again/);
  });

  it('does not offer to ask again a question refused before any model was asked', async () => {
    const { session: chat } = fixture.session();
    await chat.send('word '.repeat(120_000), [], { provider: 'openai', model: 'local-model' });
    const error = fixture.posted.at(-1);
    assert.ok(error?.type === 'error');
    assert.equal(error.retryable, undefined);
    await chat.askAgain();
    assert.equal(fixture.fake.requests.length, 0);
    assert.match((fixture.posted.at(-1) as { message: string }).message, /nothing to ask again/);
  });

  it('refuses a new question, Ask again and Retry with the strong model before asking while no provider is usable: nothing sent, every question kept', async () => {
    // A local server and no key (env {}): removing the server's setting leaves no provider at all.
    const localServer = (baseUrl?: string) => resolveConfig({ providers: { openai: baseUrl ? { baseUrl } : {} }, routes: { chat: ['openai:gpt-5.4'] }, auto: { enabled: true } }).config;
    fixture.switchboard = await Switchboard.create({ config: localServer(`${fixture.fake.url}/v1`), source: 'bench', env: {}, ledgerPath: path.join(fixture.dir, 'no-provider.jsonl') });
    fixture.opened.push(fixture.switchboard);
    const { session: chat, transcript } = fixture.session();
    fixture.fake.script({ text: 'Press Esc, then :q.' }, { status: 400, errorMessage: 'unsupported parameter' }, { status: 400, errorMessage: 'unsupported parameter' });
    await chat.send('How do I quit vim?', []);
    const cheap = fixture.posted.find((message) => message.type === 'done');
    assert.ok(cheap?.type === 'done' && cheap.footer.recordId, 'an Auto cheap-tier answer, which offers Retry with the strong model');
    await chat.send('And emacs?', []);
    const failed = fixture.posted.at(-1);
    assert.ok(failed?.type === 'error' && failed.retryable, `a failed answer, which offers Ask again: ${JSON.stringify(failed)}`);
    const asked = fixture.fake.requests.length;
    const kept = transcript.historyMessage().messages;

    await fixture.switchboard.reconfigure(localServer());
    assert.equal(fixture.switchboard.registry.anyUsable(), false);
    fixture.posted = [];
    await chat.askAgain();
    await chat.retry(cheap.footer.recordId);
    await chat.send('And nano?', []);
    assert.equal(fixture.fake.requests.length, asked, 'nothing reached a server');
    // Not the router's error naming every model of the route: the page shows its notice, and a typed question comes back.
    assert.deepEqual(fixture.posted, [{ type: 'notSent' }, { type: 'notSent' }, { type: 'notSent', text: 'And nano?' }]);
    assert.deepEqual(transcript.historyMessage().messages, kept, 'nothing added to the conversation, the failed answer still last');

    // Once a provider is back, Ask again asks the kept question.
    await fixture.switchboard.reconfigure(localServer(`${fixture.fake.url}/v1`));
    fixture.fake.script({ text: 'C-x C-c.' });
    await chat.askAgain();
    assert.equal(fixture.fake.requests.length, asked + 1);
    assert.match(JSON.stringify(fixture.fake.requests.at(-1)!.body), /And emacs\?/);
    assert.equal(transcript.historyMessage().messages.at(-1)?.text, 'C-x C-c.');
  });

  it('refuses every question while the host says why (Restricted Mode): nothing sent, nothing kept', async () => {
    const transcript = new Conversations(fixture.state, (message) => fixture.warnings.push(message)).current;
    const log = { info: () => undefined, warn: (message: string) => fixture.warnings.push(message) };
    const chat = new ChatSession({ switchboard: fixture.switchboard, transcript, post: (message) => fixture.posted.push(message), log, refusal: () => 'This workspace is in Restricted Mode.' });
    await chat.send('Summarise this repository', [attachment('src/inventory.ts:1-1', 'typescript', CODE)]);
    assert.equal(fixture.fake.requests.length, 0);
    assert.deepEqual(fixture.posted.map((message) => message.type), ['error']);
    assert.equal(fixture.posted[0]?.type === 'error' && fixture.posted[0].message, 'This workspace is in Restricted Mode.');
    assert.deepEqual(transcript.turns(), [], 'the question and its attachment are not kept either');
  });
});
